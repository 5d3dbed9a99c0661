"""A group's people see their own group of a round, nothing of the others.

On the round page, the plan page and the API, a group member or leader sees exactly their group's
targets and members — not the other groups, their targets or their people, not the targets no group
took, and nobody's reasons (which name birth years) nor recusals (which name kinship). The office
of the round's body still sees the whole round with every reason."""

import datetime

import pytest
from django.urls import reverse

from lijian.accounts.choices import ROLE_PERMISSIONS, Role
from lijian.core.routes import iter_api_operations
from lijian.findings import services as findings_services
from lijian.inspections.models import Group, Inspection, PlanRun, RoundMember
from lijian.orgs import services as org_services

from ..world import build_rounds, category, make_cadre

LIST_PERMISSION = {op.path: op.permission for op in iter_api_operations() if op.method == "GET"}

OWN_REASON = "年轻干部（1991年出生）"
OTHER_REASON = "年轻干部（1993年出生）"
RECUSAL = "与和平区劝业场街道党工委有回避关系（亲属关系），未安排在第一巡察组"
OTHER_GROUP = "第二巡察组"
OTHER_TARGET = "和平区第二目标单位"
OTHER_UNIT = "和平区另一派出单位"
OTHER_PEOPLE = ("干部G2-A", "干部G2-B")
OWN_PEOPLE = ("干部R1", "干部R1-group_leader", "干部R1-group_member")
OWN_TARGET = "和平区劝业场街道党工委"
UNGROUPED_TARGET = "多福巷社区党委"  # build_rounds' spare target, in no group yet


@pytest.fixture
def r(world):
    """和平's round with a second group beside the accounts' group: its own target, two people from
    another unit (one a young cadre with a declared kinship recusal), a problem found there, and a
    plan run whose proposal carries every member's reasons and the recusal."""
    rounds = build_rounds(world)
    round_ = rounds.round1
    first = rounds.inspection1.group
    second = Group.objects.create(body=world.body1, number=2, name=OTHER_GROUP)
    round_.groups.add(second)
    target = org_services.organization_create(
        actor=world.admin,
        parent=world.d1,
        code="D1-T2",
        name=OTHER_TARGET,
        kind="department",
        supervising_body=world.body1,
    )
    other = Inspection.objects.create(
        round=round_,
        organization=target,
        group=second,
        stage="onsite",
        onsite_start=datetime.date(2024, 3, 10),
    )
    unit = org_services.organization_create(
        actor=world.admin, parent=world.d1, code="D1-U9", name=OTHER_UNIT, kind="department"
    )
    people = [make_cadre(world, code, unit, "division", birth_year=1993) for code in ("G2-A", "G2-B")]
    for cadre, role in zip(people, ("leader", "member"), strict=True):
        RoundMember.objects.create(round=round_, group=second, cadre=cadre, role=role, reasons=[OTHER_REASON])
    RoundMember.objects.filter(round=round_, group=first).update(reasons=[OWN_REASON])
    own = list(RoundMember.objects.filter(round=round_, group=first).values_list("cadre_id", flat=True))
    run = PlanRun.objects.create(
        round=round_,
        status="done",
        proposal={
            "gap": 0,
            "groups": [
                {
                    "group": first.pk,
                    "targets": [world.t1.pk],
                    "members": own,
                    "leader": own[0],
                    "deputies": [],
                    "reasons": {str(c): [OWN_REASON] for c in own},
                },
                {
                    "group": second.pk,
                    "targets": [target.pk],
                    "members": [c.pk for c in people],
                    "leader": people[0].pk,
                    "deputies": [],
                    "reasons": {str(c.pk): [OTHER_REASON] for c in people},
                },
            ],
            "avoided": {str(people[0].pk): [RECUSAL]},
        },
        problems=[f"{OTHER_PEOPLE[0]}与{OWN_TARGET}有回避关系"],
    )
    problem = findings_services.problem_record(
        actor=world.admin,
        inspection=other,
        category=category(),
        summary="第二组发现的问题",
        found_on=datetime.date(2024, 3, 20),
    )
    world.r = rounds
    world.second, world.other, world.run, world.other_problem = second, other, run, problem
    return world


def _forbidden_in(page: str) -> list[str]:
    shown = [text for text in (OTHER_GROUP, OTHER_TARGET, OTHER_UNIT, *OTHER_PEOPLE) if text in page]
    shown += [text for text in (OWN_REASON, OTHER_REASON, RECUSAL, "回避", "1991", "1993") if text in page]
    return shown + ([UNGROUPED_TARGET] if UNGROUPED_TARGET in page else [])


@pytest.mark.parametrize("role", [Role.GROUP_MEMBER, Role.GROUP_LEADER])
def test_the_round_page_shows_a_group_its_own_group_only(client, r, role):
    client.force_login(r.users[role])
    response = client.get(reverse("inspections:round", args=[r.r.round1.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert OWN_TARGET in page and "第一巡察组" in page
    assert all(name in page for name in OWN_PEOPLE)
    assert _forbidden_in(page) == []


@pytest.mark.parametrize("role", [Role.GROUP_MEMBER, Role.GROUP_LEADER])
def test_the_plan_page_shows_a_group_its_own_group_only(client, r, role):
    client.force_login(r.users[role])
    response = client.get(reverse("inspections:plan", args=[r.run.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert all(name in page for name in OWN_PEOPLE) and OWN_TARGET in page
    assert _forbidden_in(page) == []


@pytest.mark.parametrize("role", [Role.GROUP_MEMBER, Role.GROUP_LEADER])
def test_the_other_groups_inspection_stays_closed(client, r, role):
    client.force_login(r.users[role])
    assert client.get(reverse("inspections:inspection", args=[r.other.pk])).status_code == 404
    assert client.get(reverse("inspections:group", args=[r.second.pk])).status_code == 404
    assert client.get(reverse("inspections:inspection", args=[r.r.inspection1.pk])).status_code == 200


@pytest.mark.parametrize("role", [Role.GROUP_MEMBER, Role.GROUP_LEADER])
def test_the_api_gives_a_group_its_own_inspections_only(client, r, role):
    client.force_login(r.users[role])
    problems = client.get("/api/problems/").json()
    assert r.other_problem.pk not in [p["id"] for p in problems["items"]]
    assert client.get(f"/api/problems/{r.other_problem.pk}").status_code == 404
    for url in ("/api/problems/", "/api/clues/", "/api/petitions/", "/api/rectification/inspections/"):
        answer = client.get(url)
        allowed = LIST_PERMISSION[url.removeprefix("/api")] in ROLE_PERMISSIONS[role]
        assert answer.status_code == (200 if allowed else 403), url
        assert _forbidden_in(answer.content.decode()) == [], url


@pytest.mark.parametrize("role", [Role.OFFICE_STAFF, Role.LEADER])
def test_the_office_still_sees_the_whole_round_and_every_reason(client, r, role):
    client.force_login(r.users[role])
    page = client.get(reverse("inspections:round", args=[r.r.round1.pk])).content.decode()
    for text in (OWN_TARGET, OTHER_TARGET, UNGROUPED_TARGET, OTHER_GROUP, *OWN_PEOPLE, *OTHER_PEOPLE):
        assert text in page, text
    plan = client.get(reverse("inspections:plan", args=[r.run.pk])).content.decode()
    for text in (OWN_REASON, OTHER_REASON, RECUSAL, *OTHER_PEOPLE, OTHER_TARGET):
        assert text in plan, text


def test_the_office_sees_the_reasons_on_a_confirmed_round(client, r):
    r.r.round1.staffed_at = datetime.datetime(2024, 2, 1, tzinfo=datetime.UTC)
    r.r.round1.save()
    client.force_login(r.users[Role.OFFICE_STAFF])
    page = client.get(reverse("inspections:round", args=[r.r.round1.pk])).content.decode()
    assert OWN_REASON in page and OTHER_REASON in page and OTHER_UNIT in page
    client.force_login(r.users[Role.GROUP_MEMBER])
    page = client.get(reverse("inspections:round", args=[r.r.round1.pk])).content.decode()
    assert _forbidden_in(page) == []


def test_the_selectors_restrict_not_only_the_templates(r):
    from lijian.inspections import selectors

    member = r.users[Role.GROUP_MEMBER]
    round_ = r.r.round1
    assert set(selectors.round_inspections(member, round_)) == {r.r.inspection1}
    assert [g.name for g in selectors.round_groups(member, round_)] == ["第一巡察组"]
    composition = selectors.round_composition(member, round_)
    assert list(composition) == [r.r.inspection1.group_id]
    assert all(m.reasons == [] for members in composition.values() for m in members)
    proposal = selectors.plan_proposal(member, r.run)
    assert [g["group"].name for g in proposal] == ["第一巡察组"]
    assert all(not m["reasons"] and not m["avoided"] for g in proposal for m in g["members"])
    office = r.users[Role.OFFICE_STAFF]
    assert len(selectors.round_composition(office, round_)) == 2
    assert len(selectors.plan_proposal(office, r.run)) == 2
    assert RoundMember.objects.filter(round=round_, reasons=[OWN_REASON]).count() == 3  # nothing saved
