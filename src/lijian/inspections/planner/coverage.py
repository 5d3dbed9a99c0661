"""The term's coverage plan: every organisation of a jurisdiction not yet covered goes into one of the term's
remaining rounds, higher risk first, within each round's capacity, so coverage reaches 100% by the
term's end. A generalized assignment (``gap``): organisations are items, rounds are agents, the cost
of putting an organisation in a later round grows with its risk.

Pure Python over plain data; no Django import.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .gap import Progress, solve_gap


@dataclass(frozen=True)
class Candidate:
    id: int
    name: str
    risk: int  # 0..100: petitions, earlier problems, audit findings, or a manual score
    kind: str = ""


@dataclass(frozen=True)
class Slot:
    """A remaining round: its order in the term and how many organisations it can take."""

    id: int
    name: str
    order: int
    capacity: int
    kinds: frozenset[str] = frozenset()  # when set, only organisations of these kinds (e.g. an SOE round)


@dataclass
class CoveragePlan:
    """Where each candidate goes (``rounds``), what is wrong (``problems``) and who has no room."""

    status: str
    rounds: dict[int, list[int]] = field(default_factory=dict)  # slot id -> candidate ids, riskiest first
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0
    unplaced: list[int] = field(default_factory=list)  # candidates the rounds have no room for

    @property
    def ok(self) -> bool:
        """A plan exists (perhaps for the riskiest candidates only: see ``complete``)."""
        return self.status in ("optimal", "feasible")

    @property
    def complete(self) -> bool:
        return self.ok and not self.unplaced


def plan_coverage(
    candidates: list[Candidate],
    slots: list[Slot],
    *,
    time_limit: float = 10.0,
    progress: Progress | None = None,
) -> CoveragePlan:
    """Place every candidate in one slot. When the slots cannot take them all, ``problems`` says why
    and the riskiest candidates that fit are still placed (the rest are ``unplaced``), so the office
    can go on with the next round while it adds rounds or groups."""
    if not candidates:
        return CoveragePlan("optimal", {s.id: [] for s in slots})
    problems: list[str] = []
    unplaceable = [c for c in candidates if not any(not s.kinds or c.kind in s.kinds for s in slots)]
    if unplaceable:
        problems += [f"{c.name}：剩余轮次都限定了对象类别，没有一轮可以安排它。" for c in unplaceable[:20]]
        candidates = [c for c in candidates if c not in unplaceable]
    capacity = sum(s.capacity for s in slots)
    left_out: list[Candidate] = []
    if capacity < len(candidates):
        total = len(candidates) + len(unplaceable)
        problems.append(
            f"尚未覆盖的组织有{total}个，剩余{len(slots)}轮最多安排{capacity}个，"
            f"还差{total - capacity}个：需要增加轮次或增加每轮的组数、每组的对象数，才能在本届内实现全覆盖。"
            f"下面先安排风险最高的{capacity}个。"
        )
        by_risk = sorted(candidates, key=lambda c: -c.risk)  # stable: equal risks keep the given order
        candidates, left_out = by_risk[:capacity], by_risk[capacity:]
    plan = _place(candidates, slots, time_limit, progress)
    plan.problems = problems + plan.problems
    plan.unplaced = [c.id for c in [*unplaceable, *left_out]]
    return plan


def _place(candidates, slots, time_limit, progress) -> CoveragePlan:
    if not candidates:
        return CoveragePlan("optimal", {s.id: [] for s in slots})
    # Cost: a risky organisation waiting longer costs more; ties keep the given order stable.
    ordered = sorted(slots, key=lambda s: s.order)
    costs = [[(1 + c.risk) * (k + 1) * 10 + k for c in candidates] for k, _s in enumerate(ordered)]
    weights = [[1] * len(candidates) for _s in ordered]
    forbidden = {
        (j, i)
        for i, s in enumerate(ordered)
        for j, c in enumerate(candidates)
        if s.kinds and c.kind not in s.kinds
    }
    result = solve_gap(
        costs,
        weights,
        [s.capacity for s in ordered],
        forbidden=forbidden,
        time_limit=time_limit,
        progress=progress,
    )
    if result.status == "unknown":
        return CoveragePlan(
            result.status,
            seconds=result.seconds,
            problems=[f"在 {time_limit:.0f} 秒内没有算出规划，请稍后重试或减少剩余轮次的类别限定。"],
        )
    if result.status not in ("optimal", "feasible"):
        return CoveragePlan(
            result.status,
            seconds=result.seconds,
            problems=["按各轮的对象类别和容量，无法安排全部尚未覆盖的组织：请放宽轮次的类别限定或增加容量。"],
        )
    plan = CoveragePlan(result.status, {s.id: [] for s in ordered}, seconds=result.seconds)
    for j, i in enumerate(result.assignment):
        plan.rounds[ordered[i].id].append(candidates[j].id)
    risk = {c.id: c.risk for c in candidates}
    for ids in plan.rounds.values():
        ids.sort(key=lambda cid: -risk[cid])
    return plan
