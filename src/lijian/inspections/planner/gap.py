"""The assignment core: a generalized assignment problem with forbidden pairs, solved with CP-SAT.

Items go to agents: every item to exactly one agent, each agent's resource use within its capacity,
forbidden (item, agent) pairs never used, total cost minimised. The term plan (organisations into
rounds), the targets of a round (organisations into groups, inside ``staffing``) and
``lijian solve-gap`` (OR-Library instances) all reduce to it.

Pure Python over plain data; no Django import.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

Progress = Callable[[float, float, float], None]  # (objective, bound, seconds) of each better solution

# Whether searches started in this context must give the same answer on any machine at any load
# (see ``deterministic_search``). A context variable, so a user's optimiser run beside it keeps the
# wall-clock search; threads start with a fresh context, so it does not leak into them either.
_DETERMINISTIC: ContextVar[bool] = ContextVar("deterministic_search", default=False)
# A deterministic search still stops after this many times its limit in wall-clock seconds. Generous,
# because under load the clock runs far ahead of the work: the demo's largest round (8 units of
# deterministic time) took 39 s with the load at 15 on two cores, and a cap of 5 cut it short.
WALL_CAP = 20


@contextmanager
def deterministic_search() -> Iterator[None]:
    """Within this block every search of the planner is reproducible: one CP-SAT worker limited by
    CP-SAT's deterministic time (a count of work done, not seconds), and the neighbourhood search in
    one thread with a budget of that same deterministic time, so the same input gives the same plan
    whatever the machine's load. A wall-clock cap of ``WALL_CAP`` times each limit still ends a search
    on a very slow machine (only then could two runs differ). Used by the demo, whose world must come
    out the same on every load; users' optimiser runs keep the faster two-worker wall-clock search."""
    token = _DETERMINISTIC.set(True)
    try:
        yield
    finally:
        _DETERMINISTIC.reset(token)


def is_deterministic() -> bool:
    """Whether the current context asked for ``deterministic_search``."""
    return _DETERMINISTIC.get()


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
    """A CP-SAT solver with the project's settings and a fixed seed.

    By default: ``workers`` search workers (two: the machines users run have two cores) stopped by
    the wall clock after ``time_limit`` seconds (at least 0.1), so the plan found may differ from
    one run to the next with the machine's load. Inside ``deterministic_search``: one worker,
    stopped after ``time_limit`` units of CP-SAT's deterministic time (or ``WALL_CAP`` times the
    limit in seconds, whichever comes first), so the same input gives the same plan."""
    limit = max(0.1, float(time_limit))
    solver = cp_model.CpSolver()
    solver.parameters.random_seed = seed
    if is_deterministic():
        solver.parameters.num_workers = 1
        solver.parameters.max_deterministic_time = limit
        solver.parameters.max_time_in_seconds = limit * WALL_CAP
    else:
        solver.parameters.num_workers = workers
        solver.parameters.max_time_in_seconds = limit
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
    for the first twentieth of the time (at least a second); if it has not proved its solution
    optimal by then, the rest goes to large-neighbourhood search (``improve``, see
    ``_NeighbourhoodSearch``). On the hardest instances the whole-model search improves its plan
    by about a point a second after its first ones while the neighbourhood search gains several,
    so it gets the time. The bound is always CP-SAT's proven one. Inside ``deterministic_search``
    the times are deterministic time and the neighbourhood search runs in this thread alone, so the
    same input gives the same result.
    """
    started = time.monotonic()
    first = min(time_limit, max(1.0, time_limit * 0.05)) if improve else time_limit
    forbidden = forbidden or set()
    result = _solve_whole(costs, weights, capacities, forbidden, first, progress, workers)
    if result.status == "unknown" and improve:  # no plan yet: the whole model gets the rest of the time
        rest = time_limit - (first if is_deterministic() else time.monotonic() - started)
        result = _solve_whole(costs, weights, capacities, forbidden, rest, progress, workers)
        result.seconds = time.monotonic() - started
        return result
    if not improve or result.status != "feasible":
        return result
    search = _NeighbourhoodSearch(
        costs, weights, capacities, forbidden, result.assignment, result.bound, progress, started
    )
    search.log = result.solutions
    if is_deterministic():
        search.budget = time_limit - first
        search.run(started + time_limit * WALL_CAP, threads=1)
    else:
        search.run(started + time_limit, threads=workers)
    return GapResult(
        "optimal" if search.objective == result.bound else "feasible",
        search.assignment,
        float(search.objective),
        result.bound,
        time.monotonic() - started,
        result.solutions,
    )


class _NeighbourhoodSearch:
    """Improve a feasible assignment until a deadline by re-solving small parts of it exactly.

    A part is either 15–35 items chosen at random, free to move to any agent with room left once the
    other items are placed, or every item of 3–5 agents (chosen at random, or an item's agent and
    the agents that would take that item most cheaply). CP-SAT solves the part to optimality (or
    for at most a second); a result no worse than the current one replaces it — equal ones too, so
    the search moves across plateaus. One thread per worker: CP-SAT releases the GIL while it
    solves, and a result is merged only if it still fits the capacities of the assignment it finds.
    With a ``budget`` (deterministic search) it runs in the calling thread alone and stops when the
    parts' deterministic time has used the budget up, so its result does not depend on the clock.
    """

    # Deterministic time charged at least per part: building and merging a part is work CP-SAT does
    # not count, and without a floor a budget of tiny parts could outlast the wall-clock cap.
    PART_CHARGE = 0.01

    def __init__(self, costs, weights, capacities, forbidden, assignment, bound, progress, started):
        self.costs, self.weights, self.capacities = costs, weights, capacities
        self.forbidden, self.bound, self.progress, self.started = forbidden, bound, progress, started
        self.assignment = list(assignment)
        self.objective = self._cost(self.assignment)
        self.agents, self.items = len(capacities), len(assignment)
        self.cheapest = [
            sorted(range(self.agents), key=lambda i, j=j: costs[i][j]) for j in range(self.items)
        ]
        self.log: list = []
        self.lock = threading.Lock()
        self.budget: float | None = None  # deterministic time left; None: stop at the deadline only

    def _cost(self, assignment) -> float:
        return sum(self.costs[assignment[j]][j] for j in range(len(assignment)))

    def run(self, deadline: float, threads: int) -> None:
        if self.budget is not None:  # here, not in a thread: the deterministic search is per context
            self._work(deadline, 0)
            return
        pool = [
            threading.Thread(target=self._work, args=(deadline, seed), daemon=True)
            for seed in range(max(1, threads))
        ]
        for thread in pool:
            thread.start()
        for thread in pool:
            thread.join()

    def _done(self, deadline: float) -> bool:
        return (
            time.monotonic() >= deadline - 0.05
            or (self.budget is not None and self.budget <= 0)
            or (self.bound is not None and self.objective <= self.bound)
        )

    def _part(self, rng: random.Random, assignment: list[int]) -> set[int]:
        if rng.random() < 0.5:
            return set(rng.sample(range(self.items), min(self.items, rng.choice((15, 20, 25, 30, 35)))))
        size = min(self.agents, rng.choice((3, 4, 5)))
        if rng.random() < 0.5:
            chosen = set(rng.sample(range(self.agents), size))
        else:
            j = rng.randrange(self.items)
            chosen = {assignment[j], *[i for i in self.cheapest[j] if i != assignment[j]][: size - 1]}
        return {j for j in range(self.items) if assignment[j] in chosen}

    def _work(self, deadline: float, seed: int) -> None:
        rng = random.Random(seed)
        while not self._done(deadline):
            with self.lock:
                assignment = list(self.assignment)
            free = self._part(rng, assignment)
            room = list(self.capacities)
            for j in range(self.items):
                if j not in free:
                    room[assignment[j]] -= self.weights[assignment[j]][j]
            moves = self._solve_part(free, room, assignment, deadline, seed)
            if moves is not None:
                self._merge(moves)

    def _solve_part(self, free, room, assignment, deadline, seed) -> dict[int, int] | None:
        model = cp_model.CpModel()
        x = {
            (i, j): model.NewBoolVar("")
            for j in free
            for i in range(self.agents)
            if (j, i) not in self.forbidden and self.weights[i][j] <= room[i]
        }
        for j in free:
            model.AddExactlyOne([x[i, j] for i in range(self.agents) if (i, j) in x])
        for i in range(self.agents):
            used = [self.weights[i][j] * x[i, j] for j in free if (i, j) in x]
            if used:
                model.Add(sum(used) <= room[i])
        model.Minimize(sum(self.costs[i][j] * var for (i, j), var in x.items()))
        for (i, j), var in x.items():
            model.AddHint(var, assignment[j] == i)
        left = deadline - time.monotonic() if self.budget is None else self.budget
        solver = solver_for(min(1.0, max(0.05, left)), workers=1, seed=seed)
        status = solver.Solve(model)
        if self.budget is not None:
            self.budget -= max(self.PART_CHARGE, solver.deterministic_time)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        return {j: i for (i, j), var in x.items() if solver.Value(var)}

    def _merge(self, moves: dict[int, int]) -> None:
        with self.lock:
            candidate = list(self.assignment)
            for j, i in moves.items():
                candidate[j] = i
            load = [0] * self.agents
            for j, i in enumerate(candidate):
                load[i] += self.weights[i][j]
            if any(load[i] > self.capacities[i] for i in range(self.agents)):
                return  # another thread changed the agents this part counted on
            objective = self._cost(candidate)
            if objective > self.objective:
                return
            improved = objective < self.objective
            self.assignment, self.objective = candidate, objective
            if improved:  # reported under the lock, so reports come one at a time and in order
                entry = (objective, self.bound, time.monotonic() - self.started)
                self.log.append(entry)
                if self.progress:
                    self.progress(*entry)


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
