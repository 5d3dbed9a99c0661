"""The optimiser's promise across the whole system: a cadre serves in one place at a time (rounds of
every body, declared absences), groups only where there are targets, deputy leaders where the rules
ask for them, and lines of supervision count as conflicts — in the optimiser, a hand edit, the
confirmation and the groups.csv import."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lijian.accounts.choices import Role
from lijian.documents.ledger.importer import ledger_import
from lijian.inspections import round_staffing, services
from lijian.inspections.availability import Engagement, first_clash
from lijian.inspections.choices import PlanStatus
from lijian.inspections.models import RoundMember
from lijian.inspections.planner import staffing as sf
from lijian.orgs import services as org_services
from lijian.people.models import SupervisionLine
from lijian.people.services import absence_declare

from ..bundles import write_bundle
from ..world import make_cadre, make_patrol_setup

D = datetime.date
AUDIT = sf.SkillRule(frozenset({"audit", "finance"}), 1, "审计或财务")


# --- the planner over random rounds of several bodies ---------------------------------------------


@st.composite
def terms(draw):
    """Rounds of three bodies over one shared pool (a city's pool holds the districts' cadres), with
    random dates, targets and standing groups, and some declared absences."""
    n_cadres = draw(st.integers(18, 30))
    cadres = [
        sf.Cadre(
            i,
            f"干部{i}",
            f"U{i % 4}",
            f"单位{i % 4}",
            draw(st.integers(2, 6)),
            "",
            frozenset({"audit"}) if i % 3 == 0 else frozenset(),
            draw(st.integers(1965, 1998)),
        )
        for i in range(n_cadres)
    ]
    pools = {0: range(n_cadres), 1: range(0, n_cadres, 2), 2: range(1, n_cadres, 2)}  # body -> cadres
    rounds = []
    for k in range(draw(st.integers(2, 5))):
        body = draw(st.sampled_from(sorted(pools)))
        start = D(2024, 1, 1) + datetime.timedelta(days=draw(st.integers(0, 120)))
        end = start + datetime.timedelta(days=draw(st.integers(10, 60)))
        n_targets = draw(st.integers(1, 4))
        targets = [sf.Target(1000 * (k + 1) + t, f"对象{k}-{t}") for t in range(n_targets)]
        groups = [sf.Group(100 * (k + 1) + g, f"第{k}轮第{g + 1}组", max_targets=2) for g in range(3)]
        pairs = draw(st.sets(st.tuples(st.sampled_from(list(pools[body])), st.integers(0, n_targets - 1))))
        conflicts = {(c, targets[t].id): "亲属" for c, t in pairs}
        rounds.append((body, start, end, targets, groups, conflicts))
    absences = [
        Engagement(c, D(2024, 2, 1), D(2024, 2, 20), "培训")
        for c in draw(st.sets(st.integers(0, n_cadres - 1), max_size=3))
    ]
    return cadres, pools, rounds, absences


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(terms())
def test_no_cadre_is_ever_booked_twice_in_overlapping_dates_across_bodies(term):
    cadres, pools, rounds, absences = term
    booked: dict[int, list[Engagement]] = {}
    for body, start, end, targets, groups, conflicts in rounds:
        pool = [c for c in cadres if c.id in pools[body]]
        unavailable = {}
        for c in pool:
            clash = first_clash(booked.get(c.id, []) + [a for a in absences if a.cadre == c.id], start, end)
            if clash:
                unavailable[c.id] = clash.describe()
        problem = sf.Problem(
            targets,
            groups,
            pool,
            conflicts,
            sf.Rules(
                size_min=3,
                size_max=4,
                leader_min_rank=5,
                skill_rules=(AUDIT,),
                min_units=2,
                deputies=1,
                deputy_min_rank=4,
                deputy_rank_name="4级",
            ),
            unavailable=unavailable,
        )
        plan = sf.solve_round(problem, time_limit=5)
        if not plan.ok:
            assert plan.status == "infeasible" and all(plan.problems)
            continue
        assert sf.check_plan(problem, plan) == []
        # Only the groups the targets need, each with targets, a leader and its deputy.
        assert len(plan.groups) <= len(targets)
        for gp in plan.groups.values():
            assert gp.targets and gp.leader in gp.members and len(gp.deputies) == 1
            assert gp.leader not in gp.deputies
        for gp in plan.groups.values():
            for c in gp.members:
                assert first_clash(booked.get(c, []), start, end) is None, (c, start, end)
                assert not any(a.cadre == c and a.overlaps(start, end) for a in absences)
                booked.setdefault(c, []).append(Engagement(c, start, end, f"第{body}机构"))
    # And afterwards, over all the rounds: no cadre in two overlapping bookings.
    for items in booked.values():
        for i, a in enumerate(items):
            assert not any(a.overlaps(b.start, b.end) for b in items[i + 1 :])


def test_a_one_target_round_staffs_one_group_only():
    cadres = [
        sf.Cadre(i, f"干部{i}", f"U{i % 3}", "", 5 if i < 4 else 3, "", frozenset({"audit"}))
        for i in range(30)
    ]
    problem = sf.Problem(
        [sf.Target(1, "甲单位")],
        [sf.Group(100 + g, f"第{g + 1}组") for g in range(12)],
        cadres,
        {},
        sf.Rules(size_min=5, size_max=7, leader_min_rank=5, skill_rules=(AUDIT,)),
    )
    plan = sf.solve_round(problem, time_limit=5)
    assert plan.ok and len(plan.groups) == 1
    (gp,) = plan.groups.values()
    assert gp.targets == [1] and 5 <= len(gp.members) <= 7
    assert not any("（）" in why for reasons in plan.reasons.values() for why in reasons)


def test_the_check_names_a_missing_deputy_and_a_cadre_engaged_elsewhere():
    cadres = [sf.Cadre(i, f"干部{i}", f"U{i % 2}", "", 5, "正处级", frozenset({"audit"})) for i in range(6)]
    problem = sf.Problem(
        [sf.Target(1, "甲单位")],
        [sf.Group(100, "第一组")],
        cadres,
        {},
        sf.Rules(
            size_min=3,
            size_max=5,
            leader_min_rank=5,
            deputies=1,
            deputy_min_rank=4,
            deputy_rank_name="副处级",
        ),
        unavailable={5: "同期另有安排：某区第1轮第一组（2024-03-01至2024-05-01）"},
    )
    plan = sf.solve_round(problem, time_limit=5)
    assert plan.ok and 5 not in plan.groups[100].members
    gp = plan.groups[100]
    gp.deputies = []
    gp.members.append(5)
    broken = sf.check_plan(problem, plan)
    assert any("需要1名副组长" in b for b in broken), broken
    assert any("干部5同期另有安排：某区第1轮第一组" in b for b in broken), broken


# --- on the database ------------------------------------------------------------------------------


@pytest.fixture
def two_rounds(world):
    """和平区's round 1 (March–April 2024) staffed and confirmed; round 2 (April–May) overlapping it."""
    g1, g2, pool = make_patrol_setup(world, cadres=20)
    units = [pool[0].home_org, pool[1].home_org]
    pool += [
        make_cadre(world, f"D{i}", units[i % 2], "division", ("audit",) if i < 2 else ()) for i in range(6)
    ]
    staff = world.users[Role.OFFICE_STAFF]
    branches = [
        org_services.organization_create(
            actor=world.admin,
            parent=world.v1,
            code=f"B{i}",
            name=f"第{i}支部",
            kind="branch",
            supervising_body=world.body1,
        )
        for i in (1, 2)
    ]
    rounds = []
    for number, start, end, group, target in (
        (1, D(2024, 3, 1), D(2024, 4, 30), g1, branches[0]),
        (2, D(2024, 4, 15), D(2024, 5, 31), g2, branches[1]),
    ):
        round_ = services.round_create(
            actor=staff,
            body=world.body1,
            term=world.term1,
            number=number,
            kind="regular",
            start=start,
            end=end,
            groups=[group],
        )
        services.round_add_targets(actor=staff, round_=round_, organizations=[target])
        rounds.append(round_)
    first = round_staffing.plan_run_submit(actor=staff, round_=rounds[0], time_limit=5, background=False)
    assert first.status == PlanStatus.DONE, first.problems
    round_staffing.plan_confirm(actor=staff, run=first)
    return {"rounds": rounds, "pool": pool, "staff": staff, "branches": branches}


def test_a_cadre_booked_in_an_overlapping_round_is_never_proposed_and_a_hand_edit_is_refused(two_rounds):
    first, second = two_rounds["rounds"]
    staff = two_rounds["staff"]
    busy = set(RoundMember.objects.filter(round=first).values_list("cadre_id", flat=True))
    run = round_staffing.plan_run_submit(actor=staff, round_=second, time_limit=5, background=False)
    assert run.status == PlanStatus.DONE, run.problems
    (group,) = run.proposal["groups"]
    assert not busy & set(group["members"])
    before = run.proposal
    with pytest.raises(ValidationError) as refused:
        round_staffing.plan_member_change(actor=staff, run=run, group_id=group["group"], add=min(busy))
    words = " ".join(refused.value.messages)
    assert "同期另有安排" in words and str(first) in words and "第一巡察组" in words, words
    run.refresh_from_db()
    assert run.proposal == before


def test_a_confirmation_is_refused_once_a_member_was_booked_elsewhere(world, two_rounds):
    first, second = two_rounds["rounds"]
    staff = two_rounds["staff"]
    run = round_staffing.plan_run_submit(actor=staff, round_=second, time_limit=5, background=False)
    member = run.proposal["groups"][0]["members"][-1]
    absence_declare(
        actor=world.admin,
        cadre=two_rounds["pool"][0].__class__.objects.get(pk=member),
        kind="training",
        start=D(2024, 5, 1),
        end=D(2024, 5, 10),
        detail="党校轮训",
    )
    with pytest.raises(ValidationError) as refused:
        round_staffing.plan_confirm(actor=staff, run=run)
    assert "培训：党校轮训" in " ".join(refused.value.messages)
    assert not RoundMember.objects.filter(round=second).exists()


def test_an_absence_over_a_booked_round_is_refused_with_the_round_named(world, two_rounds):
    first, _second = two_rounds["rounds"]
    member = RoundMember.objects.filter(round=first).select_related("cadre").first().cadre
    with pytest.raises(ValidationError) as refused:
        absence_declare(
            actor=world.admin, cadre=member, kind="leave", start=D(2024, 4, 1), end=D(2024, 4, 10)
        )
    assert str(first) in " ".join(refused.value.messages)
    assert not member.absences.exists()
    # After the round, the same leave is recorded.
    absence_declare(actor=world.admin, cadre=member, kind="leave", start=D(2024, 6, 1), end=D(2024, 6, 10))
    assert member.absences.count() == 1


def test_the_cadre_page_records_an_absence_and_bad_dates_change_nothing(world, two_rounds, client):
    cadre = two_rounds["pool"][5]
    client.force_login(world.admin)
    url = f"/people/{cadre.pk}/absences/"
    page = client.post(url, {"kind": "training", "start": "2024-09-10", "end": "2024-09-01"})
    assert page.status_code == 200 and "终止日期不能早于起始日期" in page.content.decode()
    assert not cadre.absences.exists()
    assert (
        client.post(url, {"kind": "training", "start": "2024-09-01", "end": "2024-09-10"}).status_code == 302
    )
    assert "培训" in client.get(f"/people/{cadre.pk}/").content.decode()


def test_a_groups_csv_booking_a_cadre_twice_in_overlapping_dates_is_refused(world, two_rounds, tmp_path):
    first, second = two_rounds["rounds"]
    member = RoundMember.objects.filter(round=first).select_related("cadre").first().cadre
    free = [c for c in two_rounds["pool"] if not RoundMember.objects.filter(cadre=c).exists()]
    header = ["body_code", "term", "round", "group_no", "leader_id", "deputy_ids", "member_ids"]
    folder = write_bundle(
        tmp_path / "twice",
        {
            "groups.csv": [
                header,
                [
                    "XCB-120101",
                    "第十二届",
                    "2",
                    "2",
                    member.cadre_id,
                    "",
                    ";".join(c.cadre_id for c in free[:3]),
                ],
            ]
        },
    )
    report = ledger_import(folder, actor=world.admin)
    assert not report.ok
    assert any("同期另有安排" in e.reason and str(first) in e.reason for e in report.errors), report.errors
    assert not RoundMember.objects.filter(round=second).exists()


def test_a_line_of_supervision_keeps_its_cadres_away_in_the_optimiser_the_hand_edit_and_the_import(
    world, two_rounds, tmp_path
):
    """A 政法委-like unit supervises the second round's target: its cadre never joins that group."""
    _first, second = two_rounds["rounds"]
    staff = two_rounds["staff"]
    committee = org_services.organization_create(
        actor=world.admin,
        parent=world.d1,
        code="ZFW",
        name="区委政法委",
        kind="department",
        supervising_body=world.body1,
    )
    watcher = make_cadre(world, "W1", committee, "division", ("audit",))
    SupervisionLine.objects.create(
        supervisor=committee, supervised=two_rounds["branches"][1], description="政法委领导政法机关"
    )
    run = round_staffing.plan_run_submit(actor=staff, round_=second, time_limit=5, background=False)
    assert run.status == PlanStatus.DONE, run.problems
    (group,) = run.proposal["groups"]
    assert watcher.pk not in group["members"]
    assert any("监督关系" in why for why in run.proposal["avoided"][str(watcher.pk)])
    with pytest.raises(ValidationError) as refused:
        round_staffing.plan_member_change(actor=staff, run=run, group_id=group["group"], add=watcher.pk)
    assert "监督关系" in " ".join(refused.value.messages)
    # The import refuses the same composition.
    header = ["body_code", "term", "round", "group_no", "leader_id", "deputy_ids", "member_ids"]
    folder = write_bundle(
        tmp_path / "line",
        {
            "groups.csv": [header, ["XCB-120101", "第十二届", "2", "2", watcher.cadre_id, "", ""]],
            "inspections.csv": [
                [
                    "body_code",
                    "term",
                    "round",
                    "group_no",
                    "org_code",
                    "onsite_start",
                    "onsite_end",
                    "feedback_date",
                ],
                ["XCB-120101", "第十二届", "2", "2", "B2", "", "", ""],
            ],
        },
    )
    report = ledger_import(folder, actor=world.admin)
    assert any("监督关系" in e.reason for e in report.errors), report.errors


def test_lines_of_supervision_are_reference_data_entered_by_code(world, client):
    client.force_login(world.admin)
    url = "/reference/supervision-lines/"
    assert client.get(url).status_code == 200
    bad = client.post(
        url, {"supervisor": "NOPE", "supervised": world.t1.code, "description": "", "active": "on"}
    )
    assert bad.status_code == 200 and not SupervisionLine.objects.exists()
    same = client.post(url, {"supervisor": world.t1.code, "supervised": world.t1.code, "active": "on"})
    assert same.status_code == 200 and not SupervisionLine.objects.exists()
    saved = client.post(
        url,
        {"supervisor": world.d1.code, "supervised": world.soe.code, "description": "审计过", "active": "on"},
    )
    assert saved.status_code == 302
    line = SupervisionLine.objects.get()
    assert (line.supervisor, line.supervised, line.description) == (world.d1, world.soe, "审计过")
    page = client.get(f"{url}{line.pk}/").content.decode()
    assert world.d1.code in page  # the units show by code when the entry is changed


def test_moving_a_staffed_rounds_dates_is_checked_against_its_members_engagements(world, two_rounds):
    from lijian.inspections.availability import member_clashes

    first, _second = two_rounds["rounds"]
    member = RoundMember.objects.filter(round=first).select_related("cadre").first().cadre
    absence_declare(
        actor=world.admin, cadre=member, kind="secondment", start=D(2024, 6, 1), end=D(2024, 8, 31)
    )
    assert member_clashes(first, first.start, first.end) == []
    clashes = member_clashes(first, first.start, D(2024, 6, 15))
    assert len(clashes) == 1 and clashes[0].startswith(member.name) and "借调" in clashes[0]
