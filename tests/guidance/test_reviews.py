"""M16: the review of a special meeting's material, round by round, and every move its table allows
or forbids, through the services."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lijian.accounts.choices import Role
from lijian.documents.models import Attachment
from lijian.guidance import selectors, services
from lijian.guidance.choices import REVIEW_TRANSITIONS, ReviewStatus
from lijian.guidance.models import MaterialReview

from ..world_guidance import build_guidance

DAY = datetime.date(2026, 4, 1)

ALLOWED = {
    ("received", "under_review"),
    ("under_review", "returned"),
    ("under_review", "accepted"),
    ("returned", "resubmitted"),
    ("resubmitted", "under_review"),
}


def test_the_table_allows_exactly_these_moves():
    every = {(a, b) for a in ReviewStatus.values for b in ReviewStatus.values}
    assert REVIEW_TRANSITIONS.pairs() == ALLOWED
    for a, b in every - ALLOWED:
        assert not REVIEW_TRANSITIONS.can(a, b)


def _put(review: MaterialReview, status: str) -> MaterialReview:
    MaterialReview.objects.filter(pk=review.pk).update(status=status)
    review.refresh_from_db()
    return review


def _moves(world, review):
    """Each service move of a review, by the status it leads to."""
    office = world.users[Role.OFFICE_STAFF]
    return {
        "under_review": lambda: services.material_review_start(
            actor=office, review=review, reviewer=office, on=DAY
        ),
        "returned": lambda: services.material_review_return(
            actor=office, review=review, opinions="请补充", on=DAY
        ),
        "accepted": lambda: services.material_review_accept(actor=office, review=review, on=DAY),
        "resubmitted": lambda: services.material_review_resubmit(actor=office, review=review, on=DAY),
    }


@pytest.mark.parametrize("current", ReviewStatus.values)
@pytest.mark.parametrize("target", ["under_review", "returned", "accepted", "resubmitted"])
def test_each_service_move_is_allowed_or_refused_as_the_table_says(world, current, target):
    g = build_guidance(world)
    review = g.review1
    if current != "received":  # a round to decide on, as the status implies
        services.material_review_start(
            actor=world.admin, review=review, reviewer=world.users[Role.OFFICE_STAFF], on=DAY
        )
    review = _put(review, current)
    move = _moves(world, review)[target]
    if (current, target) in ALLOWED:
        move()
        review.refresh_from_db()
        assert review.status == target
    else:
        with pytest.raises(ValidationError):
            move()


def test_a_material_is_returned_then_accepted_and_each_round_is_kept(world):
    g = build_guidance(world)
    office = world.users[Role.OFFICE_STAFF]
    review = g.review1
    services.material_review_start(actor=office, review=review, reviewer=office, on=datetime.date(2026, 3, 6))
    services.material_review_return(
        actor=office, review=review, opinions="对巡察发现问题的整改剖析不深", on=datetime.date(2026, 3, 10)
    )
    services.material_review_resubmit(actor=office, review=review, on=datetime.date(2026, 3, 20))
    services.material_review_start(
        actor=office, review=review, reviewer=office, on=datetime.date(2026, 3, 21)
    )
    services.material_review_accept(
        actor=office, review=review, on=datetime.date(2026, 3, 25), opinions="同意"
    )
    review.refresh_from_db()
    assert review.status == "accepted" and review.accepted_on == datetime.date(2026, 3, 25)
    rounds = list(review.rounds.values_list("number", "outcome", "opinions"))
    assert rounds == [(1, "returned", "对巡察发现问题的整改剖析不深"), (2, "accepted", "同意")]


def test_returning_needs_opinions_and_days_keep_their_order(world):
    g = build_guidance(world)
    office = world.users[Role.OFFICE_STAFF]
    review = g.review1
    with pytest.raises(ValidationError) as caught:  # before the material was received (2026-03-05)
        services.material_review_start(
            actor=office, review=review, reviewer=office, on=datetime.date(2026, 3, 1)
        )
    assert "on" in caught.value.error_dict
    services.material_review_start(actor=office, review=review, reviewer=office, on=datetime.date(2026, 3, 6))
    with pytest.raises(ValidationError) as caught:
        services.material_review_return(actor=office, review=review, opinions="  ", on=DAY)
    assert "opinions" in caught.value.error_dict
    with pytest.raises(ValidationError):
        services.material_review_accept(actor=office, review=review, on=datetime.date(2099, 1, 1))


def test_only_the_reviewing_office_moves_a_review_and_reviews_it(world):
    g = build_guidance(world)
    with pytest.raises(PermissionDenied):  # 河西's office sees nothing of 和平's reviews
        services.material_review_start(
            actor=world.outsider, review=g.review1, reviewer=world.outsider, on=DAY
        )
    with pytest.raises(ValidationError) as caught:  # a reviewer outside the reviewing office
        services.material_review_start(
            actor=world.admin, review=g.review1, reviewer=world.users[Role.LEADER], on=DAY
        )
    assert "reviewer" in caught.value.error_dict


def test_receiving_checks_the_organisation_and_the_dates(world):
    g = build_guidance(world)
    office = world.users[Role.OFFICE_STAFF]
    common = {"secretary_name": "李某", "meeting_title": "专题会", "body": world.body1}
    with pytest.raises(ValidationError) as caught:  # the body's own committee is not below it
        services.material_review_receive(
            actor=office, organization=world.d1, meeting_on=DAY, received_on=DAY, **common
        )
    assert "organization" in caught.value.error_dict
    with pytest.raises(ValidationError) as caught:
        services.material_review_receive(
            actor=office,
            organization=g.review1.organization,
            meeting_on=DAY,
            received_on=DAY - datetime.timedelta(days=1),
            **common,
        )
    assert "received_on" in caught.value.error_dict
    with pytest.raises(PermissionDenied):
        services.material_review_receive(
            actor=world.outsider,
            organization=g.review1.organization,
            meeting_on=DAY,
            received_on=DAY,
            **common,
        )


def test_the_district_reads_the_review_of_its_own_material(world):
    """A review by the city of a district's material is seen over the district, not acted on there."""
    g = build_guidance(world)
    review = services.material_review_receive(
        actor=world.admin,
        body=world.city_body,
        organization=world.d1,
        secretary_name="区委书记",
        meeting_on=DAY,
        meeting_title="区委书记专题会听取巡察情况汇报",
        received_on=DAY,
    )
    office = world.users[Role.OFFICE_STAFF]
    assert set(selectors.material_reviews_visible(office)) == {g.review1, g.returned1, review}
    assert not selectors.can_manage(office, review)
    assert set(selectors.material_reviews_visible(world.outsider)) == {g.review2, g.returned2}


def test_a_review_imported_as_under_review_is_decided_on_its_first_round(world):
    g = build_guidance(world)
    review = _put(g.review1, "under_review")
    services.material_review_return(actor=world.admin, review=review, opinions="请补充", on=DAY)
    assert list(review.rounds.values_list("number", "started_on", "outcome")) == [
        (1, review.received_on, "returned")
    ]


def test_the_office_uploads_a_material_file_from_the_review_page(world, client):
    """The review's upload goes through the shared upload helper: a file is kept and said so, a
    missing file or a refused one keeps nothing and says why."""
    g = build_guidance(world)
    client.force_login(world.users[Role.OFFICE_STAFF])
    url = reverse("guidance:review_attach", args=[g.review1.pk])
    before = Attachment.objects.count()
    response = client.post(url, {"file": SimpleUploadedFile("材料.txt", "会议材料".encode())}, follow=True)
    assert "材料已上传" in response.content.decode()
    assert Attachment.objects.count() == before + 1
    response = client.post(url, {}, follow=True)
    assert "请选择要上传的文件" in response.content.decode()
    response = client.post(url, {"file": SimpleUploadedFile("材料.pdf", b"MZ not a pdf")}, follow=True)
    assert "文件内容与扩展名不符" in response.content.decode()
    assert Attachment.objects.count() == before + 1
