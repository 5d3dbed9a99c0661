"""The optimiser benchmarks (DESIGN.md §8).

- Every OR-Library generalized-assignment instance in ``../shared/data/gap/`` (types C, D, E) solved by
  the assignment core behind ``lijian solve-gap``: bar within 1% of the best-known value in ≤ 60 s.
- A round of 200 targets × 30 groups × 600 cadres with conflicts staffed by the round model: bar zero
  violations in ≤ 30 s (violations counted by ``check_plan``, independently of the solver).

Pure planner code: no database is involved.
"""

from __future__ import annotations

import csv
import random
import time

from bench.common import PROJECT, code_version, load_results, machine, now_iso, save_results, table

KEY = "optimiser"
GAP_DIR = PROJECT.parent / "shared" / "data" / "gap"
GAP_BAR = 0.01
GAP_SECONDS = 60.0
ROUND_SECONDS = 30.0


def _planner():
    import sys

    sys.path.insert(0, str(PROJECT / "src"))
    from lijian.inspections.planner import gap, staffing

    return gap, staffing


def run_gap(seconds: float = GAP_SECONDS, only: list[str] | None = None) -> list[dict]:
    gap, _staffing = _planner()
    with open(GAP_DIR / "best_known.csv", encoding="utf-8") as handle:
        known = {row["instance"]: row for row in csv.DictReader(handle)}
    rows = []
    for name in sorted(known):
        if only and name not in only:
            continue
        instance = gap.read_orlib((GAP_DIR / f"{name}.txt").read_text())
        started = time.monotonic()
        result = gap.solve_gap(instance.costs, instance.weights, instance.capacities, time_limit=seconds)
        wall = time.monotonic() - started
        best = float(known[name]["best_known"])
        distance = (result.objective - best) / best if result.objective is not None else None
        first_within = next((s for obj, _b, s in result.solutions if (obj - best) / best <= GAP_BAR), None)
        rows.append(
            {
                "instance": name,
                "agents": instance.agents,
                "items": instance.items,
                "best_known": best,
                "objective": result.objective,
                "bound": result.bound,
                "status": result.status,
                "gap_to_best_known": distance,
                "seconds": round(wall, 2),
                "seconds_to_within_1pct": round(first_within, 2) if first_within is not None else None,
                "pass": distance is not None and distance <= GAP_BAR and wall <= seconds + 1.0,
            }
        )
        print(
            f"  {name}: {result.objective} (best known {best:.0f}, {100 * (distance or 0):.2f}%) in {wall:.1f} s",
            flush=True,
        )
    return rows


def synthetic_round(seed: int = 20_240_602, targets: int = 200, groups: int = 30, cadres: int = 600):
    """A round as large as DESIGN.md §8 asks: cadres from 60 units with ranks, skills and ages; each has
    declared or derived conflicts with about four targets; groups take up to eight targets."""
    _gap, sf = _planner()
    rng = random.Random(seed)
    skills = ["audit", "finance", "law", "discipline", "organisation", "petitions", "propaganda", "economics"]
    pool = [
        sf.Cadre(
            i,
            f"干部{i}",
            f"U{i % 60}",
            f"单位{i % 60}",
            rng.choice([2, 3, 3, 4, 4, 5, 5, 6, 7]),
            "",
            frozenset(rng.sample(skills, 2)),
            rng.randint(1963, 1998),
            rng.choice([0, 0, 1, 1, 2, 3]),
        )
        for i in range(cadres)
    ]
    items = [sf.Target(10_000 + t, f"对象{t}", rng.randint(1, 3)) for t in range(targets)]
    teams = [
        sf.Group(20_000 + g, f"第{g + 1}组", frozenset(range(g * 8, g * 8 + 3)), 1, 8) for g in range(groups)
    ]
    conflicts = {}
    for c in pool:
        for t in rng.sample(items, 4):
            conflicts[c.id, t.id] = rng.choice(["亲属", "曾在该单位任职", "本人所在单位"])
    rules = sf.Rules(
        size_min=5,
        size_max=7,
        leader_min_rank=5,
        leader_rank_name="正处级",
        skill_rules=(sf.SkillRule(frozenset({"audit", "finance"}), 1, "审计或财务"),),
        min_units=2,
        young_from_year=1986,
    )
    return sf.Problem(items, teams, pool, conflicts, rules)


def run_round(seconds: float = ROUND_SECONDS) -> dict:
    _gap, sf = _planner()
    problem = synthetic_round()
    started = time.monotonic()
    plan = sf.solve_round(
        problem, time_limit=seconds - 5
    )  # the bar counts the whole call, explanations included
    wall = time.monotonic() - started
    broken = sf.check_plan(problem, plan) if plan.ok else ["no plan"]
    conflicts = sum(
        1
        for gp in plan.groups.values()
        for c in gp.members
        for t in gp.targets
        if (c, t) in problem.conflicts
    )
    return {
        "targets": len(problem.targets),
        "groups": len(problem.groups),
        "cadres": len(problem.cadres),
        "conflict_pairs": len(problem.conflicts),
        "status": plan.status,
        "objective": plan.objective,
        "bound": plan.bound,
        "seconds": round(wall, 2),
        "seconds_to_first_plan": round(plan.solutions[0][2], 2) if plan.solutions else None,
        "conflict_violations": conflicts,
        "rule_violations": len(broken),
        "pass": plan.ok and not broken and conflicts == 0 and wall <= seconds + 1.0,
    }


def run(*, gap_seconds: float = GAP_SECONDS, only: list[str] | None = None, save: bool = True) -> dict:
    print("== generalized assignment (OR-Library C, D, E)", flush=True)
    gap_rows = run_gap(gap_seconds, only)
    print("== a round of 200 targets × 30 groups × 600 cadres", flush=True)
    round_row = run_round()
    entry = {
        "gap": gap_rows,
        "round": round_row,
        "gap_seconds": gap_seconds,
        "measured_at": now_iso(),
        "machine": machine(),
        **code_version(),
    }
    print_table(entry)
    if save:
        if only:  # a partial run keeps the other instances' figures
            kept = {r["instance"]: r for r in load_results().get(KEY, {}).get("gap", [])}
            kept.update({r["instance"]: r for r in gap_rows})
            entry["gap"] = [kept[k] for k in sorted(kept)]
        save_results(KEY, entry)
    return entry


def print_table(entry: dict) -> None:
    rows = [
        [
            r["instance"],
            f"{r['agents']}×{r['items']}",
            f"{r['best_known']:.0f}",
            "—" if r["objective"] is None else f"{r['objective']:.0f}",
            "—" if r["gap_to_best_known"] is None else f"{100 * r['gap_to_best_known']:.2f}%",
            f"{r['seconds']:.1f}",
            "ok" if r["pass"] else "FAIL",
        ]
        for r in entry["gap"]
    ]
    print(table(["instance", "size", "best known", "ours", "gap", "seconds", "bar"], rows))
    r = entry["round"]
    print(
        f"\nRound {r['targets']} targets × {r['groups']} groups × {r['cadres']} cadres, "
        f"{r['conflict_pairs']} conflict pairs: {r['status']} in {r['seconds']} s "
        f"(first plan {r['seconds_to_first_plan']} s), {r['conflict_violations']} conflicts, "
        f"{r['rule_violations']} rule violations [{'ok' if r['pass'] else 'FAIL'}]"
    )
    passed = sum(1 for row in entry["gap"] if row["pass"]) + (1 if r["pass"] else 0)
    print(f"Bars: {passed}/{len(entry['gap']) + 1} pass")


def failed(entry: dict) -> bool:
    return not all(r["pass"] for r in entry["gap"]) or not entry["round"]["pass"]


if __name__ == "__main__":
    run()
