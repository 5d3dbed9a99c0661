"""Deterministic search: inside ``deterministic_search`` the optimiser gives the same plan for the same
input whatever else the machine is doing (the demo relies on it); outside it, users' runs keep the
two-worker wall-clock search."""

import random
import threading
from contextlib import contextmanager

from lijian.inspections.planner import staffing as sf
from lijian.inspections.planner.gap import (
    WALL_CAP,
    deterministic_search,
    is_deterministic,
    solve_gap,
    solver_for,
)


def test_deterministic_search_sets_one_worker_and_a_deterministic_limit():
    with deterministic_search():
        solver = solver_for(3.0)
    assert solver.parameters.num_workers == 1
    assert solver.parameters.max_deterministic_time == 3.0
    assert solver.parameters.max_time_in_seconds == 3.0 * WALL_CAP


def test_the_default_search_keeps_two_workers_and_the_wall_clock():
    solver = solver_for(3.0)
    default = solver_for(3.0, workers=1).parameters.max_deterministic_time
    assert solver.parameters.num_workers == 2
    assert solver.parameters.max_time_in_seconds == 3.0
    assert solver.parameters.max_deterministic_time == default > 1e6  # CP-SAT's "no limit"


def test_the_flag_ends_with_its_block_and_does_not_reach_other_threads():
    seen = []
    with deterministic_search():
        thread = threading.Thread(target=lambda: seen.append(is_deterministic()))
        thread.start()
        thread.join()
        assert is_deterministic()
    assert seen == [False] and not is_deterministic()


@contextmanager
def _busy_machine():
    """Another thread keeps CP-SAT's native workers busy (wall-clock search, both cores) meanwhile."""
    stop = threading.Event()
    rng = random.Random(7)
    costs = [[rng.randint(10, 50) for _ in range(80)] for _ in range(8)]
    weights = [[rng.randint(5, 25) for _ in range(80)] for _ in range(8)]

    def burn():
        while not stop.is_set():
            solve_gap(costs, weights, [130] * 8, time_limit=0.5, improve=False)

    thread = threading.Thread(target=burn, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def _round() -> sf.Problem:
    """A round with many equally good plans and more than a second's search to tell them apart."""
    rng = random.Random(12)
    cadres = [
        sf.Cadre(
            i,
            f"干部{i}",
            f"U{i % 6}",
            f"单位{i % 6}",
            rng.randint(2, 6),
            "级",
            frozenset(rng.sample(["audit", "finance", "law"], rng.randint(0, 1))),
            rng.randint(1965, 1998),
            rng.randint(0, 2),
        )
        for i in range(60)
    ]
    targets = [sf.Target(100 + t, f"对象{t}", rng.randint(1, 3)) for t in range(12)]
    groups = [sf.Group(200 + g, f"第{g + 1}组", max_targets=3) for g in range(5)]
    conflicts = {(rng.randrange(60), 100 + rng.randrange(12)): "亲属" for _ in range(40)}
    rules = sf.Rules(
        size_min=4,
        size_max=6,
        leader_min_rank=5,
        skill_rules=(sf.SkillRule(frozenset({"audit", "finance"}), 1, "审计或财务"),),
        young_from_year=1988,
    )
    return sf.Problem(targets, groups, cadres, conflicts, rules)


def _staffing(plan: sf.Plan):
    return plan.objective, {
        g: (p.targets, p.leader, p.members, p.deputies) for g, p in sorted(plan.groups.items())
    }


def test_the_same_round_staffed_twice_on_a_busy_machine_gets_the_same_plan():
    problem = _round()
    with deterministic_search():
        first = sf.solve_round(problem, time_limit=1)
        with _busy_machine():
            second = sf.solve_round(problem, time_limit=1)
    assert first.ok
    assert _staffing(second) == _staffing(first)


def test_the_neighbourhood_search_is_deterministic_too():
    # An OR-Library type D instance (costs against weights, tight capacities): not proved optimal in
    # the first second, so the neighbourhood search runs.
    rng = random.Random(3)
    weights = [[rng.randint(1, 100) for _ in range(40)] for _ in range(5)]
    costs = [[111 - weights[i][j] + rng.randint(-10, 10) for j in range(40)] for i in range(5)]
    capacities = [int(0.8 * sum(w) / 5) for w in weights]
    with deterministic_search():
        first = solve_gap(costs, weights, capacities, time_limit=1.2)
        with _busy_machine():
            second = solve_gap(costs, weights, capacities, time_limit=1.2)
    assert first.status == "feasible"  # not optimal: the neighbourhood search had its turn
    assert (second.objective, second.assignment) == (first.objective, first.assignment)
