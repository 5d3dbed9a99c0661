"""The assignment core: a generalized assignment problem with forbidden pairs, solved with CP-SAT.

Items go to agents: every item to exactly one agent, each agent's resource use within its capacity,
forbidden (item, agent) pairs never used, total cost minimised. The term plan (organisations into
rounds), the targets of a round (organisations into groups, inside ``staffing``) and
``lijian solve-gap`` (OR-Library instances) all reduce to it.

Pure Python over plain data; no Django import.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

Progress = Callable[[float, float, float], None]  # (objective, bound, seconds) of each better solution


@dataclass
class GapResult:
    status: str  # "optimal", "feasible", "infeasible" or "unknown" (no solution within the time limit)
    assignment: list[int | None]  # agent of each item
    objective: float | None
    bound: float | None
    seconds: float
    solutions: list[tuple[float, float, float]] = field(default_factory=list)  # (objective, bound, seconds)

    @property
    def gap(self) -> float | None:
        """Relative distance between the solution and the proven bound (0 when optimal)."""
        if self.objective is None or self.bound is None:
            return None
        if self.objective == 0:
            return 0.0 if self.bound == 0 else None
        return abs(self.objective - self.bound) / abs(self.objective)


class _Progress(cp_model.CpSolverSolutionCallback):
    def __init__(self, callback: Progress | None, log: list):
        super().__init__()
        self.callback = callback
        self.log = log
        self.started = time.monotonic()

    def on_solution_callback(self):
        entry = (self.ObjectiveValue(), self.BestObjectiveBound(), time.monotonic() - self.started)
        self.log.append(entry)
        if self.callback:
            self.callback(*entry)


STATUS = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
    cp_model.MODEL_INVALID: "invalid",
    cp_model.UNKNOWN: "unknown",
}


def solver_for(time_limit: float, workers: int = 2, seed: int = 0) -> cp_model.CpSolver:
    """A CP-SAT solver with the project's settings: a time limit, two workers (the machines users run
    have two cores), and a fixed seed so that the same input gives the same plan."""
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, float(time_limit))
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    return solver


def greedy_hint(
    costs: Sequence[Sequence[int]],
    weights: Sequence[Sequence[int]],
    capacities: Sequence[int],
    forbidden: set[tuple[int, int]],
) -> list[int | None]:
    """A quick feasible-if-possible start: items by decreasing regret, each to its cheapest agent with room."""
    agents, items = len(capacities), len(costs[0]) if costs else 0
    room = list(capacities)
    order = sorted(
        range(items),
        key=lambda j: (
            -(sorted(costs[i][j] for i in range(agents))[1] - min(costs[i][j] for i in range(agents)))
            if agents > 1
            else 0
        ),
    )
    hint: list[int | None] = [None] * items
    for j in order:
        for i in sorted(range(agents), key=lambda i: costs[i][j]):
            if (j, i) not in forbidden and weights[i][j] <= room[i]:
                hint[j] = i
                room[i] -= weights[i][j]
                break
    return hint


def solve_gap(
    costs: Sequence[Sequence[int]],
    weights: Sequence[Sequence[int]],
    capacities: Sequence[int],
    *,
    forbidden: set[tuple[int, int]] | None = None,
    time_limit: float = 10.0,
    progress: Progress | None = None,
    workers: int = 2,
    improve: bool = True,
) -> GapResult:
    """Minimise the total cost of putting every item j on one agent i.

    ``costs[i][j]`` and ``weights[i][j]`` are integers (agent-major, as in OR-Library);
    ``forbidden`` holds (item, agent) pairs that may not be used. CP-SAT searches the whole problem
    for the first 40% of the time; if it has not proved its solution optimal by then, the rest goes to
    large-neighbourhood search (``improve``): a few agents at a time are re-solved exactly with CP-SAT
    while the others keep their items, which finds better plans faster on the hardest instances.
    """
    started = time.monotonic()
    first = time_limit * 0.4 if improve else time_limit
    result = _solve_whole(costs, weights, capacities, forbidden or set(), first, progress, workers)
    if not improve or result.status != "feasible":
        return result
    assignment, objective = _neighbourhood_search(
        costs,
        weights,
        capacities,
        forbidden or set(),
        result.assignment,
        started + time_limit,
        progress,
        result.bound,
        started,
        result.solutions,
    )
    return GapResult(
        "optimal" if objective == result.bound else "feasible",
        assignment,
        objective,
        result.bound,
        time.monotonic() - started,
        result.solutions,
    )


def _neighbourhood_search(
    costs, weights, capacities, forbidden, assignment, deadline, progress, bound, started, log
) -> tuple[list[int], float]:
    """Improve ``assignment`` until ``deadline``: pick an item at random and, with its agent, the agents
    that would take it most cheaply (3 to 5 in all); free all their items among them, solve that small
    problem exactly, keep it when cheaper."""
    rng = random.Random(0)
    agents, items = len(capacities), len(assignment)
    assignment = list(assignment)
    objective = sum(costs[assignment[j]][j] for j in range(items))
    cheapest = [sorted(range(agents), key=lambda i, j=j: costs[i][j]) for j in range(items)]
    while time.monotonic() < deadline - 0.05 and objective > (bound or -math.inf):
        size = min(agents, rng.choice((3, 4, 5)))
        if rng.random() < 0.5:
            chosen = rng.sample(range(agents), size)
        else:
            j = rng.randrange(items)
            chosen = [assignment[j]] + [i for i in cheapest[j] if i != assignment[j]][: size - 1]
        free = [j for j in range(items) if assignment[j] in chosen]
        model = cp_model.CpModel()
        x = {
            (i, j): model.NewBoolVar("")
            for i in chosen
            for j in free
            if (j, i) not in forbidden and weights[i][j] <= capacities[i]
        }
        for j in free:
            model.AddExactlyOne([x[i, j] for i in chosen if (i, j) in x])
        for i in chosen:
            model.Add(sum(weights[i][j] * x[i, j] for j in free if (i, j) in x) <= capacities[i])
        model.Minimize(sum(costs[i][j] * var for (i, j), var in x.items()))
        for (i, j), var in x.items():
            model.AddHint(var, assignment[j] == i)
        solver = solver_for(min(2.0, max(0.05, deadline - time.monotonic())), workers=1)
        if solver.Solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            continue
        before = sum(costs[assignment[j]][j] for j in free)
        if solver.ObjectiveValue() < before:
            for (i, j), var in x.items():
                if solver.Value(var):
                    assignment[j] = i
            objective -= before - solver.ObjectiveValue()
            entry = (objective, bound, time.monotonic() - started)
            log.append(entry)
            if progress:
                progress(*entry)
    return assignment, objective


def _solve_whole(costs, weights, capacities, forbidden, time_limit, progress, workers) -> GapResult:
    agents = len(capacities)
    items = len(costs[0]) if agents else 0
    model = cp_model.CpModel()
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    for i in range(agents):
        for j in range(items):
            if (j, i) not in forbidden and weights[i][j] <= capacities[i]:
                x[i, j] = model.NewBoolVar(f"x{i}_{j}")
    for j in range(items):
        choices = [x[i, j] for i in range(agents) if (i, j) in x]
        if not choices:
            return GapResult("infeasible", [None] * items, None, None, 0.0)
        model.AddExactlyOne(choices)
    for i in range(agents):
        model.Add(sum(weights[i][j] * x[i, j] for j in range(items) if (i, j) in x) <= capacities[i])
    model.Minimize(sum(costs[i][j] * var for (i, j), var in x.items()))
    hint = greedy_hint(costs, weights, capacities, forbidden)
    if all(a is not None for a in hint):
        for (i, j), var in x.items():
            model.AddHint(var, hint[j] == i)
    solver = solver_for(time_limit, workers)
    log: list = []
    started = time.monotonic()
    status = solver.Solve(model, _Progress(progress, log))
    seconds = time.monotonic() - started
    name = STATUS.get(status, "unknown")
    if name not in ("optimal", "feasible"):
        return GapResult(name, [None] * items, None, None, seconds, log)
    assignment = [
        next(i for i in range(agents) if (i, j) in x and solver.Value(x[i, j])) for j in range(items)
    ]
    return GapResult(name, assignment, solver.ObjectiveValue(), solver.BestObjectiveBound(), seconds, log)


@dataclass
class GapInstance:
    agents: int
    items: int
    costs: list[list[int]]
    weights: list[list[int]]
    capacities: list[int]


def read_orlib(text: str) -> GapInstance:
    """An OR-Library generalized-assignment instance: ``m n``, the m×n costs, the m×n resources,
    the m capacities (whitespace-separated integers). Raises ``ValueError`` on a malformed file."""
    numbers = [int(v) for v in text.split()]
    if len(numbers) < 2:
        raise ValueError("empty instance")
    m, n = numbers[0], numbers[1]
    expected = 2 + 2 * m * n + m
    if len(numbers) != expected:
        raise ValueError(f"expected {expected} numbers for {m} agents × {n} items, found {len(numbers)}")
    at = 2
    costs = [numbers[at + i * n : at + (i + 1) * n] for i in range(m)]
    at += m * n
    weights = [numbers[at + i * n : at + (i + 1) * n] for i in range(m)]
    at += m * n
    return GapInstance(m, n, costs, weights, numbers[at : at + m])
