"""Correcting a round: everything until a group goes on site (groups until the staffing is
confirmed), then only the end date and the theme; every change audited, every refusal changing nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from lijian.accounts.choices import Role
from lijian.core.models import AuditEvent
from lijian.findings import services as findings_services
from lijian.inspections import services
from lijian.inspections.models import Group, LinkageMode, Round, RoundMember
from lijian.orgs import services as org_services

from ..world import build_rounds, category, make_cadre

D = datetime.date


@pytest.fixture
def r(world):
    world.rounds = build_rounds(world)
    return world


def _on_site(r):
    inspection = r.rounds.inspection1
    services.inspection_prepare(actor=r.admin, inspection=inspection)
    services.inspection_enter_site(actor=r.admin, inspection=inspection, on=D(2024, 3, 10))
    return inspection


def test_before_going_on_site_everything_changes_and_is_audited(r):
    staff, round_ = r.users[Role.OFFICE_STAFF], r.rounds.round1
    g2 = Group.objects.create(body=r.body1, number=2, name="第二巡察组")
    mode = LinkageMode.objects.order_by("order").exclude(code="relay").first()
    services.round_update(
        actor=staff,
        round_=round_,
        start=D(2024, 3, 4),
        end=D(2024, 5, 20),
        theme=" 专项巡察 ",
        kind="special",
        linkage_mode=mode,
        rectification_report_months=3,
        groups=[*round_.groups.all(), g2],
    )
    round_.refresh_from_db()
    assert (round_.start, round_.end, round_.theme, round_.kind) == (
        D(2024, 3, 4),
        D(2024, 5, 20),
        "专项巡察",
        "special",
    )
    assert round_.linkage_mode == mode and round_.rectification_report_months == 3
    assert set(round_.groups.values_list("number", flat=True)) == {1, 2}
    event = AuditEvent.objects.get(action="round.update", object_id=str(round_.pk))
    assert event.before["start"] == "2024-03-01" and event.after["start"] == "2024-03-04"
    assert event.after["theme"] == "专项巡察" and len(event.after["groups"]) == 2


def test_after_going_on_site_only_the_end_and_the_theme_change(r):
    staff, round_ = r.users[Role.OFFICE_STAFF], r.rounds.round1
    _on_site(r)
    for change in ({"start": D(2024, 3, 2)}, {"kind": "special"}, {"clue_feedback_months": 6}):
        with pytest.raises(ValidationError, match="只能修改结束日期和主题"):
            services.round_update(actor=staff, round_=round_, **change)
    g2 = Group.objects.create(body=r.body1, number=2, name="第二巡察组")
    with pytest.raises(ValidationError, match="只能修改结束日期和主题"):
        services.round_update(actor=staff, round_=round_, groups=[g2])
    with pytest.raises(ValidationError, match="不能早于本轮已有的进驻"):
        services.round_update(actor=staff, round_=round_, end=D(2024, 3, 9))
    round_.refresh_from_db()
    assert (round_.start, round_.end, round_.kind) == (D(2024, 3, 1), D(2024, 5, 1), "regular")
    assert not AuditEvent.objects.filter(action="round.update").exists()
    services.round_update(actor=staff, round_=round_, end=D(2024, 6, 30), theme="延长一个月")
    round_.refresh_from_db()
    assert (round_.end, round_.theme) == (D(2024, 6, 30), "延长一个月")
    # Unchanged values sent along (a form posts every field) are no change.
    services.round_update(actor=staff, round_=round_, start=round_.start, kind=round_.kind, theme="再改")
    assert AuditEvent.objects.filter(action="round.update").count() == 2


def test_targets_are_fixed_once_a_group_is_on_site(r):
    """A round whose fieldwork came in from the ledger has groups on site without a confirmed staffing."""
    staff, round_ = r.users[Role.OFFICE_STAFF], r.rounds.round1
    _on_site(r)
    assert round_.staffed_at is None
    branch = org_services.organization_create(
        actor=r.admin, parent=r.v1, code="B1", name="第一支部", kind="branch", supervising_body=r.body1
    )
    with pytest.raises(ValidationError, match="不能再增加对象"):
        services.round_add_targets(actor=staff, round_=round_, organizations=[branch])
    with pytest.raises(ValidationError, match="不能再移除对象"):
        services.round_remove_target(actor=staff, inspection=r.rounds.spare1)
    assert round_.inspections.count() == 2


def test_a_staffed_round_keeps_its_groups_and_its_members_free(r):
    staff, round_ = r.users[Role.OFFICE_STAFF], r.rounds.round1
    Round.objects.filter(pk=round_.pk).update(staffed_at=datetime.datetime(2024, 2, 1, tzinfo=datetime.UTC))
    round_.refresh_from_db()
    g2 = Group.objects.create(body=r.body1, number=2, name="第二巡察组")
    with pytest.raises(ValidationError, match="编组已确认"):
        services.round_update(actor=staff, round_=round_, groups=[g2])
    # Its leader serves in a later round from 6 May: the round cannot be stretched over it.
    later = Round.objects.create(body=r.body1, term=r.term1, number=2, start=D(2024, 5, 6), end=D(2024, 7, 1))
    RoundMember.objects.create(round=later, group=round_.groups.first(), cadre=r.rounds.cadre1, role="leader")
    with pytest.raises(ValidationError, match="同期另有安排"):
        services.round_update(actor=staff, round_=round_, end=D(2024, 5, 10))
    services.round_update(actor=staff, round_=round_, end=D(2024, 5, 5))
    round_.refresh_from_db()
    assert round_.end == D(2024, 5, 5)


def test_the_start_cannot_pass_a_problem_already_found(r):
    staff, round_ = r.users[Role.OFFICE_STAFF], r.rounds.round1
    inspection = r.rounds.inspection1
    services.inspection_prepare(actor=r.admin, inspection=inspection)
    findings_services.problem_record(
        actor=r.admin, inspection=inspection, category=category(), summary="x", found_on=D(2024, 3, 2)
    )
    with pytest.raises(ValidationError, match="2024-03-02"):
        services.round_update(actor=staff, round_=round_, start=D(2024, 3, 5))
    services.round_update(actor=staff, round_=round_, start=D(2024, 3, 2))
    with pytest.raises(ValidationError, match="开始日期应在本届"):
        services.round_update(actor=staff, round_=round_, start=D(2021, 3, 2))


@pytest.mark.parametrize("who", ["outsider", Role.LEADER, Role.GROUP_LEADER])
def test_only_the_bodys_office_edits_its_rounds(r, who):
    user = r.outsider if who == "outsider" else r.users[who]
    with pytest.raises(PermissionDenied):
        services.round_update(actor=user, round_=r.rounds.round1, theme="x")


def test_the_edit_page_offers_what_may_change_and_saves(r, login):
    client = login(r.users[Role.OFFICE_STAFF])
    round_ = r.rounds.round1
    page = client.get(reverse("inspections:round", args=[round_.pk]))
    assert reverse("inspections:round_edit", args=[round_.pk]) in page.content.decode()
    url = reverse("inspections:round_edit", args=[round_.pk])
    _on_site(r)
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    assert {n for n, f in form.fields.items() if not f.disabled} == {"end", "theme"}
    assert "只能修改结束日期和主题" in page.content.decode()
    data = {
        "kind": "special",  # disabled: ignored, not refused
        "start": "2024-03-05",
        "end": "2024-05-31",
        "theme": "常规巡察",
        "clue_feedback_months": "3",
        "rectification_report_months": "2",
    }
    answer = client.post(url, data)
    assert answer.status_code == 302
    round_.refresh_from_db()
    assert (round_.start, round_.end, round_.theme, round_.kind) == (
        D(2024, 3, 1),
        D(2024, 5, 31),
        "常规巡察",
        "regular",
    )
    answer = client.post(url, {**data, "end": "2024-03-01"})
    assert answer.status_code == 200 and "不能早于本轮已有的进驻" in answer.content.decode()


def test_a_fresh_round_is_edited_through_the_page(r, login):
    staff = r.users[Role.OFFICE_STAFF]
    g1 = r.rounds.round1.groups.first()
    g2 = Group.objects.create(body=r.body1, number=2, name="第二巡察组")
    round_ = services.round_create(
        actor=staff,
        body=r.body1,
        term=r.term1,
        number=3,
        kind="regular",
        start=D(2025, 3, 1),
        end=D(2025, 5, 1),
        groups=[g1],
    )
    make_cadre(r, "X1", r.d1)
    client = login(staff)
    answer = client.post(
        reverse("inspections:round_edit", args=[round_.pk]),
        {
            "kind": "special",
            "start": "2025-03-10",
            "end": "2025-04-30",
            "theme": "",
            "clue_feedback_months": "3",
            "rectification_report_months": "2",
            "groups": [g2.pk],
        },
    )
    assert answer.status_code == 302, answer.context["form"].errors
    round_.refresh_from_db()
    assert round_.kind == "special" and round_.start == D(2025, 3, 10)
    assert list(round_.groups.all()) == [g2]


def _staffed(r):
    round_ = r.rounds.round1
    Round.objects.filter(pk=round_.pk).update(staffed_at=datetime.datetime(2024, 2, 1, tzinfo=datetime.UTC))
    inspection = r.rounds.inspection1
    services.inspection_prepare(actor=r.admin, inspection=inspection)
    round_.refresh_from_db()
    return round_


def test_reopening_the_staffing_frees_targets_and_groups_until_a_group_is_on_site(r):
    staff = r.users[Role.OFFICE_STAFF]
    round_ = _staffed(r)
    branch = org_services.organization_create(
        actor=r.admin, parent=r.v1, code="B1", name="第一支部", kind="branch", supervising_body=r.body1
    )
    with pytest.raises(ValidationError, match="编组已确认"):
        services.round_add_targets(actor=staff, round_=round_, organizations=[branch])
    with pytest.raises(ValidationError, match="理由"):
        services.round_reopen_staffing(actor=staff, round_=round_, reason=" ")
    services.round_reopen_staffing(actor=staff, round_=round_, reason="增加一个支部")
    round_.refresh_from_db()
    assert round_.staffed_at is None and not round_.members.exists()
    assert set(round_.inspections.values_list("stage", "group")) == {("planned", None)}
    event = AuditEvent.objects.get(action="round.reopen_staffing")
    assert len(event.before["members"]) == 3 and event.after["reason"] == "增加一个支部"
    services.round_add_targets(actor=staff, round_=round_, organizations=[branch])
    g2 = Group.objects.create(body=r.body1, number=2, name="第二巡察组")
    services.round_update(actor=staff, round_=round_, groups=[g2])
    assert list(round_.groups.all()) == [g2]
    with pytest.raises(ValidationError, match="尚未确认"):
        services.round_reopen_staffing(actor=staff, round_=round_, reason="再来一次")


def test_the_staffing_stays_once_a_group_is_on_site(r):
    round_ = _staffed(r)
    services.inspection_enter_site(actor=r.admin, inspection=r.rounds.inspection1, on=D(2024, 3, 10))
    with pytest.raises(ValidationError, match="编组不能再撤销"):
        services.round_reopen_staffing(actor=r.users[Role.OFFICE_STAFF], round_=round_, reason="x")
    assert round_.members.count() == 3
    with pytest.raises(PermissionDenied):
        services.round_reopen_staffing(actor=r.outsider, round_=round_, reason="x")


def test_the_round_page_offers_the_reopening_and_it_works(r, login):
    round_ = _staffed(r)
    client = login(r.users[Role.OFFICE_STAFF])
    page = client.get(reverse("inspections:round", args=[round_.pk]))
    assert 'id="reopen-staffing"' in page.content.decode()
    url = reverse("inspections:round_reopen_staffing", args=[round_.pk])
    client.post(url, {"reason": ""})
    round_.refresh_from_db()
    assert round_.staffed_at is not None
    answer = client.post(url, {"reason": "调整对象"}, follow=True)
    round_.refresh_from_db()
    assert round_.staffed_at is None and "编组确认已撤销" in answer.content.decode()
    assert 'id="reopen-staffing"' not in answer.content.decode()
