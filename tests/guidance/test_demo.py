"""The demo's guidance (``lijian.demo.guidance.ensure_guidance``) on a city of 12 districts: last
year's reviews, self-inspection and assessment, whose naming is the seed's (11 district committees,
5 district secretaries, 1 discipline secretary, 1 organisation-department head)."""

import datetime

from lijian.accounts.choices import Role
from lijian.demo.guidance import ensure_guidance
from lijian.guidance import selectors
from lijian.guidance.models import Assessment, MaterialReview, SelfInspection
from lijian.orgs import services as orgs

from ..world import make_user

TODAY = datetime.date(2026, 12, 4)


def test_the_demo_guidance_names_what_the_seed_names(world):
    for n in range(3, 13):  # ten districts more than the world's two
        committee = orgs.organization_create(
            actor=world.admin,
            parent=world.root,
            code=f"1299{n:02d}",
            name=f"中共天津市第{n}区委员会",
            kind="district_committee",
            supervising_body=world.city_body,
        )
        orgs.body_create(
            actor=world.admin,
            code=f"XCB-1299{n:02d}",
            name=f"第{n}区委巡察办",
            level="patrol",
            owner_org=committee,
        )
    make_user("xunshiban", Role.OFFICE_STAFF, world.root, world.city_body)
    counts = ensure_guidance(today=TODAY)
    assert counts == {"material_reviews": 12, "self_inspection_items": 6, "naming_candidates": 18}
    assert ensure_guidance(today=TODAY) == {}  # once
    reviews = MaterialReview.objects.filter(body=world.city_body)
    assert set(reviews.values_list("status", flat=True)) == {"accepted"}
    assert reviews.filter(rounds__outcome="returned").distinct().count() == 4  # every third of 12
    notice = selectors.self_inspection_notice_content(SelfInspection.objects.get(body=world.city_body))
    assert notice["counts"] == {"items": 6, "problems": 4, "fixed": 4, "open": 0}
    assessment = Assessment.objects.get(body=world.city_body)
    assert (assessment.year, assessment.status) == (2025, "confirmed")
    content = selectors.naming_notice_content(assessment)
    assert content["counts"] == {
        "district_committee": 11,
        "district_secretary": 5,
        "discipline_secretary": 1,
        "organisation_head": 1,
    }
    ranked = [row["body"] for row in selectors.ranking(assessment)]
    named = {e["body"] for e in content["groups"][0]["entries"]}
    assert named == set(ranked[-11:])  # the lowest eleven
