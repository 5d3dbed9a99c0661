"""The optimiser on plain data: every plan it returns keeps every rule, and when none exists it says
which rule fails and why, from the solver's own reasoning."""

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lijian.inspections.planner import staffing as sf
from lijian.inspections.planner.coverage import Candidate, Slot, plan_coverage
from lijian.inspections.planner.gap import read_orlib, solve_gap

SKILLS = ["audit", "finance", "law", "discipline"]
AUDIT = sf.SkillRule(frozenset({"audit", "finance"}), 1, "审计或财务")


def cadre(i, unit, rank=3, skills=(), year=1980, recent=0):
    return sf.Cadre(
        i, f"干部{i}", f"U{unit}", f"单位{unit}", rank, f"{rank}级", frozenset(skills), year, recent
    )


@st.composite
def problems(draw):
    n_groups = draw(st.integers(1, 3))
    n_targets = draw(st.integers(n_groups, n_groups * 2))
    n_cadres = draw(st.integers(n_groups * 3, n_groups * 5 + 4))
    cadres = [
        cadre(
            i,
            draw(st.integers(0, 3)),
            draw(st.integers(1, 6)),
            draw(st.sets(st.sampled_from(SKILLS), max_size=2)),
            draw(st.integers(1965, 1998)),
            draw(st.integers(0, 2)),
        )
        for i in range(n_cadres)
    ]
    targets = [sf.Target(100 + t, f"对象{t}", draw(st.integers(1, 3))) for t in range(n_targets)]
    groups = [
        sf.Group(
            200 + g, f"第{g + 1}组", frozenset(draw(st.sets(st.integers(0, n_cadres - 1), max_size=2))), 1, 2
        )
        for g in range(n_groups)
    ]
    pairs = draw(
        st.sets(st.tuples(st.integers(0, n_cadres - 1), st.integers(0, n_targets - 1)), max_size=n_cadres)
    )
    conflicts = {(c, 100 + t): "亲属" for c, t in pairs}
    rules = sf.Rules(
        size_min=3,
        size_max=4,
        leader_min_rank=4,
        leader_rank_name="4级",
        skill_rules=(AUDIT,),
        min_units=2,
        young_from_year=1990,
    )
    return sf.Problem(targets, groups, cadres, conflicts, rules)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_every_plan_keeps_every_rule_and_every_failure_is_explained(problem):
    plan = sf.solve_round(problem, time_limit=5)
    if plan.ok:
        assert sf.check_plan(problem, plan) == []
        for gp in plan.groups.values():
            assert not any((c, t) in problem.conflicts for c in gp.members for t in gp.targets)
            for c in gp.members:
                assert plan.reasons[c, gp.group]  # every member says why they are there
    else:
        assert plan.status == "infeasible" and plan.problems and all(plan.problems)


def test_a_shortage_of_auditors_is_named_with_its_counts():
    cadres = [cadre(i, i % 3, rank=5) for i in range(10)] + [cadre(10, 1, skills={"audit"})]
    problem = sf.Problem(  # two targets, one per group: both groups are needed
        [sf.Target(100, "甲单位"), sf.Target(101, "乙单位")],
        [sf.Group(200, "第一组", max_targets=1), sf.Group(201, "第二组", max_targets=1)],
        cadres,
        {},
        sf.Rules(size_min=3, size_max=5, leader_min_rank=5, skill_rules=(AUDIT,)),
    )
    plan = sf.solve_round(problem, time_limit=5)
    assert plan.status == "infeasible"
    assert any("审计或财务" in p and "共有1名" in p for p in plan.problems), plan.problems


def test_conflicts_decide_who_goes_where_and_are_reported_as_avoided():
    cadres = [
        cadre(i, i % 4, rank=5 if i in (0, 5) else 3, skills={"audit"} if i in (1, 6) else ())
        for i in range(10)
    ]
    conflicts = {(0, 100): "亲属：配偶在甲单位", (1, 100): "曾在该单位任职"}
    problem = sf.Problem(
        [sf.Target(100, "甲单位"), sf.Target(101, "乙单位")],
        [sf.Group(200, "第一组", max_targets=1), sf.Group(201, "第二组", max_targets=1)],
        cadres,
        conflicts,
        sf.Rules(size_min=4, size_max=5, leader_min_rank=5, skill_rules=(AUDIT,)),
    )
    plan = sf.solve_round(problem, time_limit=5)
    assert plan.ok
    group_of_a = next(g for g in plan.groups.values() if 100 in g.targets)
    assert 0 not in group_of_a.members and 1 not in group_of_a.members
    assert any("甲单位" in why and "配偶" in why for why in plan.avoided[0])


def test_a_hand_edit_into_a_conflict_is_refused_by_the_check():
    cadres = [cadre(i, i % 3, rank=5, skills={"audit"}) for i in range(8)]
    problem = sf.Problem(
        [sf.Target(100, "甲单位")],
        [sf.Group(200, "第一组")],
        cadres,
        {(7, 100): "亲属"},
        sf.Rules(size_min=3, size_max=8, leader_min_rank=5, skill_rules=(AUDIT,)),
    )
    plan = sf.solve_round(problem, time_limit=5)
    plan.groups[200].members.append(7)
    assert any("干部7与甲单位有回避关系（亲属）" in b for b in sf.check_plan(problem, plan))


def test_gap_core_matches_brute_force_on_a_small_instance():
    costs = [[4, 2, 7, 3], [3, 6, 1, 5], [5, 4, 4, 2]]
    weights = [[2, 3, 2, 1], [2, 1, 3, 2], [1, 2, 2, 2]]
    capacities = [4, 4, 3]
    result = solve_gap(costs, weights, capacities, time_limit=5)
    best = min(
        sum(costs[a][j] for j, a in enumerate(choice))
        for choice in itertools.product(range(3), repeat=4)
        if all(sum(weights[a][j] for j, x in enumerate(choice) if x == a) <= capacities[a] for a in range(3))
    )
    assert result.status == "optimal" and result.objective == best and result.gap == 0


def test_forbidden_pairs_are_never_used_and_impossible_instances_say_so():
    costs = [[1, 1], [9, 9]]
    result = solve_gap(costs, [[1, 1], [1, 1]], [2, 2], forbidden={(0, 0)}, time_limit=5)
    assert result.assignment[0] == 1 and result.status == "optimal"
    assert solve_gap(costs, [[3, 3], [3, 3]], [2, 2], time_limit=5).status == "infeasible"


def test_orlib_files_are_read_and_checked():
    instance = read_orlib("2 3\n1 2 3\n4 5 6\n1 1 1\n2 2 2\n5 6\n")
    assert (instance.agents, instance.items, instance.capacities) == (2, 3, [5, 6])
    with pytest.raises(ValueError):
        read_orlib("2 3\n1 2 3\n")


def test_the_term_plan_puts_risky_organisations_first_and_says_when_rounds_are_too_few():
    candidates = [Candidate(i, f"单位{i}", risk) for i, risk in enumerate([10, 90, 50, 70])]
    plan = plan_coverage(candidates, [Slot(1, "第6轮", 0, 2), Slot(2, "第7轮", 1, 2)], time_limit=5)
    assert plan.ok and set(plan.rounds[1]) == {1, 3} and set(plan.rounds[2]) == {0, 2}
    # Too few rounds: the shortfall is named, and the riskiest that fit are still placed.
    short = plan_coverage(candidates, [Slot(1, "第6轮", 0, 3)], time_limit=5)
    assert "还差1个" in short.problems[0] and "风险最高的3个" in short.problems[0]
    assert short.ok and not short.complete
    assert short.rounds[1] == [1, 3, 2] and short.unplaced == [0]


def test_cadres_who_conflict_with_every_target_are_not_counted_as_available():
    # Two of the three cadres are relatives at both targets: the shortage counts only the third.
    cadres = [cadre(i, i, rank=5) for i in range(3)]
    conflicts = {(c, t): "亲属" for c in (0, 1) for t in (100, 101)}
    problem = sf.Problem(
        [sf.Target(100, "甲单位"), sf.Target(101, "乙单位")],
        [sf.Group(200, "第一组")],
        cadres,
        conflicts,
        sf.Rules(size_min=2, size_max=3, leader_min_rank=5, min_units=1),
    )
    plan = sf.solve_round(problem, time_limit=5)
    assert plan.status == "infeasible"
    assert any("至少需要2人" in p and "只有1人" in p for p in plan.problems), plan.problems
