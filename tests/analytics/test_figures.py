"""Figures from known states, at several reference dates, each with the records it counts."""

import datetime
import io
import json

from django.core.management import call_command

from lijian.analytics.figures import body_figures
from lijian.inspections.models import Group, Inspection, Round

D = datetime.date


def _round(world, number, start, body=None, term=None):
    body = body or world.body1
    round_ = Round.objects.create(
        body=body,
        term=term or world.term1,
        number=number,
        start=start,
        end=start + datetime.timedelta(days=60),
    )
    group, _created = Group.objects.get_or_create(body=body, number=1, defaults={"name": "第一巡察组"})
    return round_, group


def test_inspected_and_coverage_count_from_the_on_site_date(world):
    r1, g = _round(world, 1, D(2024, 3, 1))
    Inspection.objects.create(
        round=r1, group=g, organization=world.v1, stage="onsite", onsite_start=D(2024, 3, 10)
    )
    Inspection.objects.create(round=r1, group=g, organization=world.t1, stage="planned")  # not on site yet
    r2, g = _round(world, 2, D(2024, 9, 1))
    Inspection.objects.create(
        round=r2, group=g, organization=world.v1, stage="onsite", onsite_start=D(2024, 9, 5)
    )
    Inspection.objects.create(
        round=r2, group=g, organization=world.t1, stage="withdrawn", onsite_start=D(2024, 9, 5)
    )

    before = body_figures(world.body1, world.term1, D(2024, 3, 9))
    assert before["inspected_organizations"].value == 0
    assert before["grassroots_coverage"].numerator == 0
    after = body_figures(world.body1, world.term1, D(2024, 12, 31))
    assert (
        after["inspected_organizations"].value == 1
    )  # the community once, however many rounds; withdrawn never
    coverage = after["term_coverage"]
    assert (coverage.numerator, coverage.denominator, coverage.value) == (1, 2, 0.5)  # street and community
    assert [o.code for o in coverage.records] == ["120101001001"]
    grass = after["grassroots_coverage"]
    assert (grass.numerator, grass.denominator) == (1, 1)
    assert after["rounds"].value == 2
    assert after["coverage_community"].numerator == 1 and after["coverage_street"].numerator == 0


def test_grassroots_coverage_counts_only_terms_containing_the_date(world):
    from lijian.orgs.services import term_create

    old = term_create(
        actor=world.admin, body=world.body1, name="第十一届", start=D(2017, 6, 1), end=D(2022, 6, 1)
    )
    r_old, g = _round(world, 1, D(2019, 3, 1), term=old)
    Inspection.objects.create(
        round=r_old, group=g, organization=world.v1, stage="onsite", onsite_start=D(2019, 3, 5)
    )
    assert body_figures(world.body1, world.term1, D(2024, 1, 1))["grassroots_coverage"].numerator == 0
    assert body_figures(world.body1, old, D(2020, 1, 1))["grassroots_coverage"].numerator == 1


def test_the_figures_command_prints_stable_keys(world):
    r1, g = _round(world, 1, D(2024, 3, 1))
    Inspection.objects.create(
        round=r1, group=g, organization=world.v1, stage="onsite", onsite_start=D(2024, 3, 10)
    )
    out = io.StringIO()
    call_command("figures", "--body", "XCB-120101", "--date", "2024-12-31", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["inspected_organizations"] == 1
    assert data["term_coverage"] == {
        "value": 0.5,
        "numerator": 1,
        "denominator": 2,
        "definition": "已巡视巡察的对象 ÷ 本届内存续过的巡视巡察对象。",
    }
    assert {
        "rounds",
        "grassroots_coverage",
        "patrolled_organizations",
        "jurisdiction_organizations",
        "staffing",
    } <= set(data)
    assert data["staffing"]["patrol_bodies"] == 1


def test_every_figure_drills_down_to_its_list(client, world):
    r1, g = _round(world, 1, D(2024, 3, 1))
    Inspection.objects.create(
        round=r1, group=g, organization=world.v1, stage="onsite", onsite_start=D(2024, 3, 10)
    )
    client.force_login(world.users["leader"])
    page = client.get(
        f"/analytics/bodies/{world.body1.pk}/figures/inspected_organizations/", {"date": "2024-12-31"}
    ).content.decode()
    assert "多福巷社区党委" in page and "和平区劝业场街道党工委" not in page


def test_coverage_by_kind_counts_every_object_of_the_kind(world):
    """Two communities, one inspected: the kind's coverage is one half, labelled in Chinese."""
    from lijian.orgs.services import organization_create

    organization_create(
        actor=world.admin,
        parent=world.t1,
        code="120101001002",
        name="新华社区党委",
        kind="community",
        supervising_body=world.body1,
    )
    r1, g = _round(world, 1, D(2024, 3, 1))
    Inspection.objects.create(
        round=r1, group=g, organization=world.v1, stage="onsite", onsite_start=D(2024, 3, 10)
    )
    figures = body_figures(world.body1, world.term1, D(2024, 12, 31))
    community = figures["coverage_community"]
    assert (community.numerator, community.denominator, community.value) == (1, 2, 0.5)
    assert community.label == "社区党组织覆盖率"
    assert [o.code for o in community.records] == ["120101001001"]
