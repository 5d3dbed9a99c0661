"""The cockpit's charts read a fixed number of queries, however many districts (or streets) the
jurisdiction has: a city of 16 districts draws its map as fast as one of two."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from lijian.accounts.choices import Role
from lijian.analytics import figures
from lijian.analytics.cockpit import CHARTS
from lijian.analytics.cockpit_rankings import RANKINGS
from lijian.findings import services as findings_services
from lijian.inspections.models import Inspection, Round
from lijian.orgs import services
from lijian.orgs.models import Organization
from lijian.rectification import services as rectification
from tests.world import TERM, category, make_user

ON = datetime.date(2024, 12, 31)
NEW_DISTRICTS = (("120104", "南开区"), ("120105", "河北区"), ("120106", "红桥区"))


def inspected(world, round_, organization, *, level: str = "patrol") -> Inspection:
    """An inspection of ``organization`` in ``round_`` that went on site, found one problem, approved
    and fed back (so it counts for coverage, problems, clues and the rectification rates)."""
    inspection = Inspection.objects.create(
        round=round_, organization=organization, stage="onsite", onsite_start=datetime.date(2024, 3, 10)
    )
    problem = findings_services.problem_record(
        actor=world.admin,
        inspection=inspection,
        category=category("2.1", level),
        summary=f"{organization.name}的问题",
        found_on=datetime.date(2024, 3, 20),
    )
    findings_services.problem_approve(actor=world.admin, problem=problem)
    inspection.stage, inspection.onsite_end = "report", datetime.date(2024, 4, 20)
    inspection.save()
    rectification.feedback_give(
        actor=world.admin,
        inspection=inspection,
        held_on=datetime.date(2024, 5, 10),
        given_by="巡察组组长",
        received_by="党组织书记",
    )
    return inspection


def street(world, district, body, code: str):
    """A street of ``district`` under ``body``, with a community under it."""
    made = services.organization_create(
        actor=world.admin,
        parent=district,
        code=code,
        name=f"{code}街道党工委",
        kind="street",
        supervising_body=body,
    )
    services.organization_create(
        actor=world.admin,
        parent=made,
        code=f"{code}001",
        name=f"{code}社区党委",
        kind="community",
        supervising_body=body,
    )
    return made


def a_round(body, term, number: int = 1) -> Round:
    return Round.objects.create(
        body=body, term=term, number=number, start=datetime.date(2024, 3, 1), end=datetime.date(2024, 5, 1)
    )


def district(world, code: str, region: str, city_round: Round) -> None:
    """A district of the city with its patrol office and term, whose street the office inspected,
    itself inspected by the city in ``city_round``."""
    committee = services.organization_create(
        actor=world.admin,
        parent=world.root,
        code=code,
        name=f"中共天津市{region}委员会",
        kind="district_committee",
        supervising_body=world.city_body,
    )
    body = services.body_create(
        actor=world.admin,
        code=f"XCB-{code}",
        name=f"{region}委巡察办",
        level="patrol",
        owner_org=committee,
        authorized_posts=12,
    )
    term = services.term_create(actor=world.admin, body=body, name="第十二届", start=TERM[0], end=TERM[1])
    inspected(world, a_round(body, term), street(world, committee, body, f"{code}001"))
    inspected(world, city_round, committee, level="inspection")


def queries_of_every_chart(client, body) -> dict[str, int]:
    """How many queries each chart's API operation reads (after a first call, which fills caches)."""
    counts = {}
    for key in {**CHARTS, **RANKINGS}:
        url = f"/api/cockpit/bodies/{body.pk}/{key}"
        assert client.get(url, {"date": ON.isoformat()}).status_code == 200, key
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, {"date": ON.isoformat()}).status_code == 200, key
        counts[key] = len(captured)
    return counts


def test_the_city_charts_read_as_many_queries_for_five_districts_as_for_two(client, world):
    city_term = world.city_body.terms.get()
    city_round = a_round(world.city_body, city_term)
    for committee, body, term, place in (
        (world.d1, world.body1, world.term1, world.t1),
        (world.d2, world.body2, world.term2, world.t2),
    ):
        inspected(world, a_round(body, term), place)
        inspected(world, city_round, committee, level="inspection")
    client.force_login(make_user("city-office", Role.OFFICE_STAFF, world.root, world.city_body))
    two = queries_of_every_chart(client, world.city_body)
    assert len(client.get(f"/api/cockpit/bodies/{world.city_body.pk}/areas").json()["marks"]) == 2

    for code, region in NEW_DISTRICTS:
        district(world, code, region, city_round)
    five = queries_of_every_chart(client, world.city_body)
    assert len(client.get(f"/api/cockpit/bodies/{world.city_body.pk}/areas").json()["marks"]) == 5
    assert five == two


def test_a_district_charts_read_as_many_queries_for_five_streets_as_for_two(client, world):
    round_ = a_round(world.body1, world.term1)
    inspected(world, round_, world.t1)
    inspected(world, round_, street(world, world.d1, world.body1, "120101002"))
    client.force_login(world.users[Role.OFFICE_STAFF])
    two = queries_of_every_chart(client, world.body1)
    assert len(client.get(f"/api/cockpit/bodies/{world.body1.pk}/areas").json()["marks"]) == 2

    for n in (3, 4, 5):
        inspected(world, round_, street(world, world.d1, world.body1, f"12010100{n}"))
    five = queries_of_every_chart(client, world.body1)
    assert len(client.get(f"/api/cockpit/bodies/{world.body1.pk}/areas").json()["marks"]) == 5
    assert five == two


def test_counts_read_together_are_the_counts_of_each_set(world, monkeypatch):
    monkeypatch.setattr(figures, "COUNTS_PER_QUERY", 2)  # so the five sets take three queries
    sets = [
        Organization.objects.filter(kind="street"),
        Organization.objects.filter(kind="community"),
        Organization.objects.none(),  # first of its query
        Organization.objects.filter(supervising_body=world.city_body),
        Organization.objects.filter(kind="street", supervising_body=world.city_body),
    ]
    with CaptureQueriesContext(connection) as captured:
        counts = figures.count_each(sets)
    assert counts == [records.count() for records in sets] == [2, 2, 0, 3, 0]
    assert len(captured) == 3
