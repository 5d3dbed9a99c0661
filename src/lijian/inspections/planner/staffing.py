"""Staffing a round: which group inspects which organisation, and who serves in each group.

One CP-SAT model decides both at once, so that no cadre ever sits in a group inspecting an
organisation they must stay away from (回避):

- the round uses only as many of its groups as its targets need (a group left out has no target and
  nobody in it); every target goes to exactly one group, each group used takes
  ``min_targets``..``max_targets`` of them;
- every group used has ``size_min``..``size_max`` cadres, exactly one leader of sufficient rank, the
  deputy leaders the rules ask for (副组长, of their own minimum rank), the required skills (e.g. one
  auditor or finance cadre), cadres from at least ``min_units`` units (混合编组); a cadre serves in at
  most one group;
- a cadre engaged elsewhere over the round's dates (another round of any body, training, leave …:
  ``Problem.unavailable``) serves in none;
- a cadre and a target they conflict with never share a group (cross patrol — 交叉巡察 — arrives
  here as conflicts between a cadre's home district and its organisations);
- among all such plans it prefers cadres who served least in recent rounds, keeps each standing
  group's core staff, spreads young cadres and workload evenly, and aims at the middle group size.

When no plan exists, the model is solved again with one assumption per rule and group; CP-SAT's
sufficient assumptions for infeasibility name the rules that cannot hold together, and each is put
in words with the counts behind it. Every member of a plan carries the reasons they were chosen.

Pure Python over plain data; no Django import. The words are Chinese, the interface's language.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from .gap import STATUS, Progress, _Progress, is_deterministic, solver_for


@dataclass(frozen=True)
class Target:
    id: int
    name: str
    workload: int = 1


@dataclass(frozen=True)
class Group:
    id: int
    name: str
    core: frozenset[int] = frozenset()  # the standing group's own staff (cadre ids)
    min_targets: int = 1
    max_targets: int = 3


@dataclass(frozen=True)
class Cadre:
    id: int
    name: str
    unit: str  # home unit, for mixed grouping
    unit_name: str
    rank: int  # seniority: a larger number is more senior
    rank_name: str
    skills: frozenset[str] = frozenset()
    birth_year: int = 1980
    recent_rounds: int = 0  # rounds served within the look-back window


@dataclass(frozen=True)
class SkillRule:
    skills: frozenset[str]
    minimum: int
    label: str  # e.g. "审计或财务"
    names: tuple[tuple[str, str], ...] = ()  # (code, name) of each skill, for the reasons

    def name_of(self, code: str) -> str:
        return dict(self.names).get(code, code)


@dataclass
class Rules:
    size_min: int = 5
    size_max: int = 7
    leader_min_rank: int = 6
    leader_rank_name: str = "正处级"
    skill_rules: tuple[SkillRule, ...] = ()
    min_units: int = 2
    young_from_year: int | None = None  # cadres born in or after this year count as young
    deputies: int = 0  # deputy leaders (副组长) each group used needs
    deputy_min_rank: int = 0
    deputy_rank_name: str = ""
    group_weight: int = 1000  # each group used costs more than any preference gains: as few as needed
    rotation_weight: int = 10
    core_bonus: int = 30
    young_weight: int = 5
    balance_weight: int = 3
    size_weight: int = 2


@dataclass
class Problem:
    targets: list[Target]
    groups: list[Group]
    cadres: list[Cadre]
    conflicts: dict[tuple[int, int], str]  # (cadre id, target id) -> the reason, in words
    rules: Rules = field(default_factory=Rules)
    fixed_targets: dict[int, int] = field(default_factory=dict)  # target -> group
    fixed_members: dict[int, int] = field(default_factory=dict)  # cadre -> group (chosen by hand)
    excluded: set[tuple[int, int]] = field(default_factory=set)  # (cadre, group) removed by hand
    fixed_leaders: dict[int, int] = field(default_factory=dict)  # group -> cadre
    unavailable: dict[int, str] = field(default_factory=dict)  # cadre -> where they are instead, in words


@dataclass
class GroupPlan:
    group: int
    targets: list[int]
    leader: int | None
    members: list[int]  # the leader included
    deputies: list[int] = field(default_factory=list)


@dataclass
class Plan:
    status: str  # "optimal", "feasible", "infeasible", "unknown"
    groups: dict[int, GroupPlan] = field(default_factory=dict)
    objective: float | None = None
    bound: float | None = None
    seconds: float = 0.0
    reasons: dict[tuple[int, int], list[str]] = field(default_factory=dict)  # (cadre, group) -> why
    avoided: dict[int, list[str]] = field(default_factory=dict)  # cadre -> conflicts the plan stays clear of
    problems: list[str] = field(default_factory=list)  # why no plan exists
    solutions: list[tuple[float, float, float]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status in ("optimal", "feasible")

    @property
    def gap(self) -> float | None:
        if self.objective is None or self.bound is None or self.objective == self.bound:
            return 0.0 if self.objective is not None else None
        return abs(self.objective - self.bound) / max(abs(self.objective), 1.0)


class _Model:
    """The CP-SAT model of a ``Problem``; with ``diagnose`` every rule hangs on an assumption literal."""

    def __init__(self, problem: Problem, diagnose: bool = False, all_used: bool = False):
        self.p = p = problem
        self.m = m = cp_model.CpModel()
        self.diagnose = diagnose
        self.assumptions: dict[int, tuple] = {}  # literal index -> (rule, group id, detail)
        self.literals: list = []
        r = p.rules
        conflicted = {(c, t) for (c, t) in p.conflicts}
        self.y = {(t.id, g.id): m.NewBoolVar(f"y{t.id}_{g.id}") for t in p.targets for g in p.groups}
        self.x = {
            (c.id, g.id): m.NewBoolVar(f"x{c.id}_{g.id}")
            for c in p.cadres
            if c.id not in p.unavailable
            for g in p.groups
            if (c.id, g.id) not in p.excluded
        }
        self.used = {g.id: m.NewBoolVar(f"used{g.id}") for g in p.groups}
        self.all_used = all_used
        if all_used:  # the groups were chosen beforehand (``solve_round``): each is staffed
            for used in self.used.values():
                m.Add(used == 1)
        self.lead = {
            (c.id, g.id): m.NewBoolVar(f"l{c.id}_{g.id}")
            for c in p.cadres
            if c.rank >= r.leader_min_rank
            for g in p.groups
            if (c.id, g.id) in self.x
        }
        for t in p.targets:
            self._rule(m.Add(sum(self.y[t.id, g.id] for g in p.groups) == 1), "target", None, t.id)
        for c in p.cadres:
            m.AddAtMostOne([v for (cid, _g), v in self.x.items() if cid == c.id])
        self.deputy = {
            (c.id, g.id): m.NewBoolVar(f"d{c.id}_{g.id}")
            for c in p.cadres
            if r.deputies and c.rank >= r.deputy_min_rank
            for g in p.groups
            if (c.id, g.id) in self.x
        }
        for (cid, gid), v in self.lead.items():
            m.AddImplication(v, self.x[cid, gid])
        for (cid, gid), v in self.deputy.items():
            m.AddImplication(v, self.x[cid, gid])
            if (cid, gid) in self.lead:
                m.AddImplication(v, self.lead[cid, gid].Not())
        for cid, tid in conflicted:
            for g in p.groups:
                if (cid, g.id) in self.x:
                    m.AddBoolOr([self.x[cid, g.id].Not(), self.y[tid, g.id].Not()])
        self.size, self.young, self.load = {}, {}, {}
        young = {c.id for c in p.cadres if r.young_from_year and c.birth_year >= r.young_from_year}
        for g in p.groups:
            used = self.used[g.id]
            members = [v for (cid, gid), v in self.x.items() if gid == g.id]
            targets = [self.y[t.id, g.id] for t in p.targets]
            # A group left out of the round has no target and nobody in it; one used keeps every rule.
            m.Add(sum(targets) <= len(p.targets) * used)
            m.Add(sum(members) <= len(members) * used)
            self._rule(m.Add(sum(targets) >= max(1, g.min_targets) * used), "min_targets", g.id)
            self._rule(m.Add(sum(targets) <= g.max_targets), "max_targets", g.id)
            self._rule(m.Add(sum(members) >= r.size_min * used), "size_min", g.id)
            self._rule(m.Add(sum(members) <= r.size_max), "size_max", g.id)
            self._rule(
                m.Add(sum(v for (cid, gid), v in self.lead.items() if gid == g.id) == used), "leader", g.id
            )
            if r.deputies:
                self._rule(
                    m.Add(
                        sum(v for (cid, gid), v in self.deputy.items() if gid == g.id) == r.deputies * used
                    ),
                    "deputies",
                    g.id,
                )
            for k, rule in enumerate(r.skill_rules):
                skilled = [
                    v
                    for (cid, gid), v in self.x.items()
                    if gid == g.id and self._cadre(cid).skills & rule.skills
                ]
                self._rule(m.Add(sum(skilled) >= rule.minimum * used), "skill", g.id, k)
            units: dict[str, list] = {}
            for (cid, gid), v in self.x.items():
                if gid == g.id:
                    units.setdefault(self._cadre(cid).unit, []).append(v)
            present = []
            for unit, vs in units.items():
                u = m.NewBoolVar(f"u{g.id}_{unit}")
                m.Add(sum(vs) >= 1).OnlyEnforceIf(u)
                present.append(u)
            self._rule(m.Add(sum(present) >= r.min_units * used), "units", g.id)
            self.size[g.id] = sum(members)
            self.young[g.id] = sum(v for (cid, gid), v in self.x.items() if gid == g.id and cid in young)
            self.load[g.id] = sum(t.workload * self.y[t.id, g.id] for t in p.targets)
        # Implied, but it helps the search: at least this many groups are used. (Not while diagnosing:
        # the explanation must come from the rules' own assumptions.)
        if p.groups and p.targets and not diagnose:
            room = max(g.max_targets for g in p.groups) or 1
            m.Add(sum(self.used.values()) >= -(-len(p.targets) // room))
        for tid, gid in p.fixed_targets.items():
            self._rule(m.Add(self.y[tid, gid] == 1), "fixed_target", gid, tid)
        for cid, gid in p.fixed_members.items():
            if (cid, gid) in self.x:
                self._rule(m.Add(self.x[cid, gid] == 1), "fixed_member", gid, cid)
        for gid, cid in p.fixed_leaders.items():
            if (cid, gid) in self.lead:
                self._rule(m.Add(self.lead[cid, gid] == 1), "fixed_leader", gid, cid)
        self._objective(young)

    def _cadre(self, cid: int) -> Cadre:
        if not hasattr(self, "_cadres"):
            self._cadres = {c.id: c for c in self.p.cadres}
        return self._cadres[cid]

    def _rule(self, constraint, rule: str, group: int | None, detail=None) -> None:
        if self.diagnose:
            literal = self.m.NewBoolVar(f"a_{rule}_{group}_{detail}")
            constraint.OnlyEnforceIf(literal)
            self.assumptions[literal.Index()] = (rule, group, detail)
            self.literals.append(literal)

    def _objective(self, young: set[int]) -> None:
        p, r, m = self.p, self.p.rules, self.m
        terms = []
        for (cid, gid), v in self.x.items():
            cadre = self._cadre(cid)
            weight = r.rotation_weight * cadre.recent_rounds
            group = next(g for g in p.groups if g.id == gid)
            if cid in group.core:
                weight -= r.core_bonus
            if weight:
                terms.append(weight * v)
        preferred = (r.size_min + r.size_max) // 2
        if not self.all_used:  # otherwise a constant
            terms.append(r.group_weight * sum(self.used.values()))
        for g in p.groups:
            deviation = m.NewIntVar(0, max(r.size_max, preferred), f"dev{g.id}")
            m.Add(deviation >= self.size[g.id] - preferred).OnlyEnforceIf(self.used[g.id])
            m.Add(deviation >= preferred - self.size[g.id]).OnlyEnforceIf(self.used[g.id])
            terms.append(r.size_weight * deviation)
        if len(p.groups) > 1:
            for values, weight, top in (
                (self.young, r.young_weight, r.size_max),
                (self.load, r.balance_weight, sum(t.workload for t in p.targets)),
            ):
                if weight and top:
                    # The spread among the groups used: a group left out counts neither way.
                    high, low = m.NewIntVar(0, top, ""), m.NewIntVar(0, top, "")
                    for g in p.groups:
                        m.Add(high >= values[g.id])
                        m.Add(low <= values[g.id] + top * (1 - self.used[g.id]))
                    terms.append(weight * (high - low))
        m.Minimize(sum(terms))


def groups_needed(problem: Problem) -> int:
    """The fewest groups that can take the round's targets (at least one)."""
    room = max((g.max_targets for g in problem.groups), default=1) or 1
    return min(len(problem.groups), max(1, -(-len(problem.targets) // room)))


def _first_groups(problem: Problem, count: int) -> list[Group]:
    """``count`` of the round's groups to staff: those a hand choice pins first, then those with their
    own standing staff, then in the order given (the groups' numbers)."""
    pinned = {*problem.fixed_targets.values(), *problem.fixed_members.values(), *problem.fixed_leaders}
    order = sorted(problem.groups, key=lambda g: (g.id not in pinned, not g.core))
    chosen = {g.id for g in order[: max(count, len(pinned))]}
    return [g for g in problem.groups if g.id in chosen]


def solve_round(problem: Problem, *, time_limit: float = 10.0, progress: Progress | None = None) -> Plan:
    """The best plan found within ``time_limit`` seconds, with reasons; or why none exists.

    Only the groups the targets need are staffed: first as few as can take them (``groups_needed``);
    when those cannot be staffed under the rules (conflicts, say), the model is solved again over all
    the round's groups and itself chooses how many to use, as few as it can."""
    if not problem.groups:
        return Plan("infeasible", problems=["本轮没有选定巡视巡察组。"])
    needed = groups_needed(problem)
    if needed < len(problem.groups):
        fewest = Problem(**{**problem.__dict__, "groups": _first_groups(problem, needed)})
        plan = _solve(fewest, time_limit=time_limit, progress=progress, all_used=True)
        if plan.status != "infeasible":
            return plan
    return _solve(problem, time_limit=time_limit, progress=progress, all_used=needed == len(problem.groups))


def _solve(problem: Problem, *, time_limit: float, progress: Progress | None, all_used: bool) -> Plan:
    model = _Model(problem, all_used=all_used)
    solver = solver_for(time_limit)
    log: list = []
    started = time.monotonic()
    status = STATUS.get(solver.Solve(model.m, _Progress(progress, log)), "unknown")
    seconds = time.monotonic() - started
    if status not in ("optimal", "feasible"):
        plan = Plan(status, seconds=seconds, solutions=log)
        plan.problems = (
            explain_infeasible(problem, time_limit=max(5.0, time_limit), all_used=all_used)
            if status == "infeasible"
            else [f"在 {time_limit:.0f} 秒内没有找到可行方案，请延长求解时间或放宽规则。"]
        )
        return plan
    plan = Plan(
        status,
        objective=solver.ObjectiveValue(),
        bound=solver.BestObjectiveBound(),
        seconds=seconds,
        solutions=log,
    )
    for g in problem.groups:
        if not solver.Value(model.used[g.id]):
            continue  # not needed in this round: no targets, nobody staffed
        targets = [t.id for t in problem.targets if solver.Value(model.y[t.id, g.id])]
        members = [cid for (cid, gid), v in model.x.items() if gid == g.id and solver.Value(v)]
        leader = next((cid for (cid, gid), v in model.lead.items() if gid == g.id and solver.Value(v)), None)
        deputies = sorted(cid for (cid, gid), v in model.deputy.items() if gid == g.id and solver.Value(v))
        plan.groups[g.id] = GroupPlan(
            g.id,
            targets,
            leader,
            sorted(members, key=lambda c: (c != leader, c not in deputies, c)),
            deputies,
        )
    plan.reasons, plan.avoided = explain_plan(problem, plan)
    return plan


# --- explanations ---------------------------------------------------------------------------------


def explain_plan(problem: Problem, plan: Plan) -> tuple[dict, dict]:
    """Why each member is where they are, and which conflicts the plan keeps them clear of."""
    r = problem.rules
    cadres = {c.id: c for c in problem.cadres}
    groups = {g.id: g for g in problem.groups}
    targets = {t.id: t for t in problem.targets}
    target_group = {t: gp.group for gp in plan.groups.values() for t in gp.targets}
    reasons: dict[tuple[int, int], list[str]] = {}
    for gp in plan.groups.values():
        units = {cadres[c].unit for c in gp.members}
        for cid in gp.members:
            c = cadres[cid]
            why = []
            if cid == gp.leader:
                why.append(f"组长：职级{c.rank_name}，不低于{r.leader_rank_name}")
            elif cid in gp.deputies:
                why.append(f"副组长：职级{c.rank_name}，不低于{r.deputy_rank_name or r.leader_rank_name}")
            if cid in groups[gp.group].core:
                why.append("本组在编人员")
            for rule in r.skill_rules:
                have = c.skills & rule.skills
                if have:
                    why.append(
                        f"具备{'、'.join(rule.name_of(k) for k in sorted(have))}专长，满足本组至少{rule.minimum}名{rule.label}干部的要求"
                    )
            why.append(f"来自{c.unit_name}，本组来自{len(units)}个单位（混合编组）")
            why.append(
                "本机构近期轮次未参加，优先轮换"
                if c.recent_rounds == 0
                else f"本机构近期参加过{c.recent_rounds}轮"
            )
            why.append("本轮期间没有其他轮次或培训、休假等安排")
            if r.young_from_year and c.birth_year >= r.young_from_year:
                why.append(f"年轻干部（{c.birth_year}年出生）")
            clear = [targets[t].name for t in gp.targets]
            why.append(f"与本组巡视巡察对象（{'、'.join(clear)}）均无回避关系")
            reasons[cid, gp.group] = why
    avoided: dict[int, list[str]] = {}
    for (cid, tid), reason in problem.conflicts.items():
        if cid in cadres and tid in target_group:
            avoided.setdefault(cid, []).append(
                f"与{targets[tid].name}有回避关系（{reason}），未安排在{groups[target_group[tid]].name}"
            )
    return reasons, avoided


def explain_infeasible(problem: Problem, *, time_limit: float = 10.0, all_used: bool = False) -> list[str]:
    """The rules that cannot all hold, in words, from CP-SAT's sufficient assumptions for infeasibility."""
    model = _Model(problem, diagnose=True, all_used=all_used)
    model.m.AddAssumptions(model.literals)
    solver = solver_for(time_limit, workers=1)  # the assumption core comes from a single search worker
    status = solver.Solve(model.m)
    if status != cp_model.INFEASIBLE:
        return ["规则互相冲突，但在限定时间内未能确定是哪几条，请延长求解时间后重试。"]
    core = [i for i in solver.SufficientAssumptionsForInfeasibility() if i in model.assumptions]
    core = _minimise(model, core, budget=time_limit)
    return [_describe(problem, *model.assumptions[i]) for i in core] or [
        "回避关系使任何安排都不可行：请检查回避事项或增加人才库人选。"
    ]


def _minimise(model: _Model, core: list[int], budget: float) -> list[int]:
    """Drop from the core every assumption without which the rest is still infeasible, so the
    explanation names only rules that matter (deletion filter, within a time budget: seconds, or
    deterministic time inside ``deterministic_search`` so the same rules are named on every run)."""
    by_index = {lit.Index(): lit for lit in model.literals}
    kept = list(core)
    deadline = time.monotonic() + budget
    spent = 0.0  # deterministic time used so far

    def left() -> float:
        return budget - spent if is_deterministic() else deadline - time.monotonic()

    for index in list(core):
        if len(kept) <= 1 or left() < 0:
            break
        trial = [i for i in kept if i != index]
        model.m.ClearAssumptions()
        model.m.AddAssumptions([by_index[i] for i in trial])
        solver = solver_for(max(0.2, min(2.0, left())), workers=1)
        infeasible = solver.Solve(model.m) == cp_model.INFEASIBLE
        spent += solver.deterministic_time
        if infeasible:
            kept = trial
    return kept


def _describe(problem: Problem, rule: str, group_id: int | None, detail) -> str:
    r = problem.rules
    groups = {g.id: g for g in problem.groups}
    group = groups.get(group_id)
    name = group.name if group else ""
    targets = {t.id: t for t in problem.targets}
    free = _free_cadres(problem, group_id) if group else []
    if rule == "target":
        t = targets[detail]
        return f"{t.name}：没有哪个组能接收（各组人员都与其有回避关系，或各组对象已满）。"
    if rule == "min_targets":
        return f"{name}：至少要有{group.min_targets}个巡视巡察对象，但本轮只有{len(problem.targets)}个对象分给{len(groups)}个组。"
    if rule == "max_targets":
        return (
            f"{name}：最多{group.max_targets}个对象，{len(groups)}个组容纳不下{len(problem.targets)}个对象。"
        )
    if rule == "size_min":
        busy = f"，其中{len(problem.unavailable)}人同期另有安排" if problem.unavailable else ""
        return (
            f"{name}：至少需要{r.size_min}人，但可用人选（未被手工移出、同期没有其他安排、至少可巡视一个对象）"
            f"只有{len(free)}人（人才库共{len(problem.cadres)}人{busy}）。"
        )
    if rule == "size_max":
        return f"{name}：最多{r.size_max}人，但已指定的成员超过这一人数。"
    if rule == "leader":
        eligible = [c for c in free if c.rank >= r.leader_min_rank]
        return (
            f"{name}：需要一名职级不低于{r.leader_rank_name}的组长，可用的合格人选有"
            f"{len(eligible)}人，不足以同时满足各组。"
        )
    if rule == "deputies":
        eligible = [c for c in free if c.rank >= r.deputy_min_rank]
        return (
            f"{name}：需要{r.deputies}名职级不低于{r.deputy_rank_name}的副组长，可用的合格人选有"
            f"{len(eligible)}人（组长也从中产生），不足以同时满足各组。"
        )
    if rule == "skill":
        skill = r.skill_rules[detail]
        have = [c for c in free if c.skills & skill.skills]
        total = [c for c in problem.cadres if c.skills & skill.skills]
        return (
            f"{name}：至少需要{skill.minimum}名{skill.label}干部，人才库共有{len(total)}名，"
            f"其中可用的（未被手工移出、至少可巡视一个对象）只有{len(have)}名。"
        )
    if rule == "units":
        units = {c.unit for c in free}
        return f"{name}：成员须来自至少{r.min_units}个单位（混合编组），可用人选只来自{len(units)}个单位。"
    if rule == "fixed_target":
        return f"{name}：手工指定的对象“{targets[detail].name}”无法安排在本组。"
    if rule == "fixed_member":
        cadre = next(c for c in problem.cadres if c.id == detail)
        return f"{name}：手工指定的成员“{cadre.name}”无法安排在本组。"
    if rule == "fixed_leader":
        cadre = next(c for c in problem.cadres if c.id == detail)
        return f"{name}：手工指定的组长“{cadre.name}”无法担任。"
    return f"{name}：规则“{rule}”无法满足。"


def _free_cadres(problem: Problem, group_id: int) -> list[Cadre]:
    """Cadres who could serve in the group: not removed from it by hand, not engaged elsewhere, without
    conflict with a target fixed to it, and free of conflict with at least one target of the round."""
    fixed = {t for t, g in problem.fixed_targets.items() if g == group_id}
    return [
        c
        for c in problem.cadres
        if (c.id, group_id) not in problem.excluded
        and c.id not in problem.unavailable
        and not any((c.id, t) in problem.conflicts for t in fixed)
        and any((c.id, t.id) not in problem.conflicts for t in problem.targets)
    ]


def check_plan(problem: Problem, plan: Plan) -> list[str]:
    """Every rule a plan breaks, in words (empty for a valid plan). Used to re-check a plan edited by
    hand and, in the tests, every plan the solver returns."""
    r = problem.rules
    cadres = {c.id: c for c in problem.cadres}
    groups = {g.id: g for g in problem.groups}
    targets = {t.id: t for t in problem.targets}
    broken: list[str] = []
    seen: dict[int, int] = {}
    placed = [t for gp in plan.groups.values() for t in gp.targets]
    for t in problem.targets:
        if placed.count(t.id) != 1:
            broken.append(f"{t.name}：应当且只能由一个组巡视巡察。")
    for gp in plan.groups.values():
        # The pool, the round's groups or its targets may have changed since the plan was made.
        if gp.group not in groups:
            broken.append(f"方案中的第{gp.group}号组已不参加本轮。")
            continue
        group = groups[gp.group]
        name = group.name
        members = [c for c in gp.members if c in cadres]
        if len(members) < len(gp.members):
            broken.append(f"{name}：有{len(gp.members) - len(members)}名成员已不在人才库中。")
        if any(t not in targets for t in gp.targets):
            broken.append(f"{name}：方案中有对象已不在本轮。")
        for cid in members:
            if cid in seen:
                broken.append(f"{cadres[cid].name}：同时在{groups[seen[cid]].name}和{name}。")
            seen[cid] = gp.group
            for tid in gp.targets:
                if (cid, tid) in problem.conflicts:
                    broken.append(
                        f"{name}：{cadres[cid].name}与{targets[tid].name}有回避关系（{problem.conflicts[cid, tid]}）。"
                    )
            if (cid, gp.group) in problem.excluded:
                broken.append(f"{name}：{cadres[cid].name}已被手工移出本组。")
            if cid in problem.unavailable:
                broken.append(f"{name}：{cadres[cid].name}{problem.unavailable[cid]}。")
        if not gp.targets and not members:
            continue  # a group left out of the round
        if not max(1, group.min_targets) <= len(gp.targets) <= group.max_targets:
            broken.append(
                f"{name}：对象数应在{max(1, group.min_targets)}至{group.max_targets}个之间，现为{len(gp.targets)}个。"
            )
        if not r.size_min <= len(members) <= r.size_max:
            broken.append(f"{name}：人数应在{r.size_min}至{r.size_max}人之间，现为{len(members)}人。")
        if gp.leader is None or gp.leader not in members:
            broken.append(f"{name}：没有组长。")
        elif cadres[gp.leader].rank < r.leader_min_rank:
            broken.append(
                f"{name}：组长{cadres[gp.leader].name}职级为{cadres[gp.leader].rank_name}，低于{r.leader_rank_name}。"
            )
        deputies = [d for d in gp.deputies if d in members and d != gp.leader]
        if len(deputies) < r.deputies:
            broken.append(f"{name}：需要{r.deputies}名副组长，现有{len(deputies)}名。")
        for d in deputies:
            if cadres[d].rank < r.deputy_min_rank:
                broken.append(
                    f"{name}：副组长{cadres[d].name}职级为{cadres[d].rank_name}，低于{r.deputy_rank_name}。"
                )
        for rule in r.skill_rules:
            have = sum(1 for c in members if cadres[c].skills & rule.skills)
            if have < rule.minimum:
                broken.append(f"{name}：至少需要{rule.minimum}名{rule.label}干部，现有{have}名。")
        units = {cadres[c].unit for c in members}
        if len(units) < r.min_units:
            broken.append(f"{name}：成员须来自至少{r.min_units}个单位，现只来自{len(units)}个。")
    return broken
