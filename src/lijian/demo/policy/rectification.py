"""How the demo's organisations rectify, decided before anything is written: each organisation's pace,
the slowest that stay below the line, the tasks each problem gets (measures, leader, department,
deadline, kind), which are done and when, which problems are closed, stage-met, stalled or reopened
by the look-back, and the showcase organisation's work in between. Every function draws from the
``rng`` it is given in a fixed order: the same seed gives the same term. The figures of the seed these
numbers produce are explained in ``demo.rectification``.
"""

from __future__ import annotations

import datetime
import math
import random
from dataclasses import dataclass, field

from lijian.demo.vocabulary.people import (
    ANONYMOUS_SURNAMES,
    anonymous_person,
    discipline_secretary,
    top_leader,
)
from lijian.demo.vocabulary.rectification import (
    CITY_MEASURES,
    INTERVIEWERS,
    PATROL_MEASURES,
    RESPONSIBLE_DEPARTMENTS,
)
from lijian.demo.vocabulary.tianjin import ACCOUNT_DAY
from lijian.findings.models import Problem
from lijian.findings.services import add_months
from lijian.orgs.choices import OrgKind
from lijian.rectification.choices import SelfCriticismStatus, TaskKind

D = datetime.date
DAY = datetime.timedelta(days=1)
SEED = 20_221_119  # the first round's feedback

LAGGING = 11  # M11: organisations below 70%, each ordered to make a self-criticism

INTERVIEWED = 39  # M10: unit top leaders interviewed

SECRETARIES = 8  # M12: party secretaries of enterprises and institutions held accountable

DISCIPLINE = 6  # M12: SOE discipline secretaries removed

# The committee's assessment of the rates (M11), on a fixed day of the term forty days before the
# account's day: the accountability decisions (three to five weeks after it), the self-criticisms and
# the mayor's interviews that follow it all fall before that day.
ASSESSED = ACCOUNT_DAY - datetime.timedelta(days=40)

OVERSIGHT_SEED = 20261127  # the office's evaluations
PUBLIC_DISCLOSURES = 12  # the organisations that finished best, disclosed to the public
SHOWCASE = "TJ-S01"  # 天津港集团, the demo liaison's organisation

LONG_TERM_CATEGORIES = {"1.1", "1.5", "2.1", "2.4", "3.2", "3.3", "3.4", "4.1"}

TOP_LEADER_CATEGORIES = {"1.2", "2.1", "3.1", "4.1"}

CLOSED, STAGE, STAGE_CLOSED, REOPENED, STALLED, REPORTED = (
    "closed",
    "stage_met",
    "stage_closed",
    "reopened",
    "stalled",
    "reported",
)


@dataclass
class TaskPlan:
    measure: str
    leader: str
    department: str
    deadline: D
    kind: str
    done_on: D | None = None
    progress_on: D | None = None  # a progress report on a task still not done


@dataclass
class ProblemPlan:
    problem: Problem
    tasks: list[TaskPlan]
    fate: str = STALLED
    reported_on: D | None = None
    stage_on: D | None = None
    closed_on: D | None = None
    reopened_on: D | None = None
    redo: list[TaskPlan] = field(default_factory=list)
    accept_redo: bool = True
    change_to: D | None = None  # a deadline the liaison changed, awaiting re-acceptance


def _between(day: D, low: D, high: D) -> D:
    return max(low, min(day, high))


def task_plans(
    rng: random.Random, problem: Problem, measures, leader: str, department: str, fed: D, long_term: bool
) -> list[TaskPlan]:
    """One task per measure: the first immediate (立行立改) when the problem is so marked, the last
    long-term when ``long_term``, the others concentrated, due one to six months after feedback."""
    plans = []
    for k, measure in enumerate(measures):
        if k == 0 and problem.rectify_at_once:
            kind, months = TaskKind.IMMEDIATE, 1
        elif k == len(measures) - 1 and long_term:
            kind, months = TaskKind.LONG_TERM, 6
        else:
            kind, months = TaskKind.CONCENTRATED, rng.randint(2, 6)
        plans.append(TaskPlan(measure, leader, department, add_months(fed, months), kind))
    return plans


def city_tasks(rng: random.Random, org, problem: Problem, fed: D) -> list[TaskPlan]:
    code = problem.category.code
    count = rng.choices((1, 2, 3), weights=(60, 30, 10))[0]
    measures = rng.sample(CITY_MEASURES[code], min(count, len(CITY_MEASURES[code])))
    name, post = top_leader(org)
    if code in TOP_LEADER_CATEGORIES:
        leader = f"{post.split('、')[0]}{name}"
    elif code == "2.2":
        leader = "".join(reversed(discipline_secretary(org)))
    else:
        leader = "分管领导" + anonymous_person(f"deputy:{org.code}:{code}", avoid=name[0])
    department = RESPONSIBLE_DEPARTMENTS.get(
        code, "组织人事部门" if code.startswith("3") else "整改工作领导小组办公室"
    )
    long_term = code in LONG_TERM_CATEGORIES and rng.random() < 0.35
    return task_plans(rng, problem, measures, leader, department, fed, long_term)


def _finish(rng: random.Random, plan: ProblemPlan, fed: D, pace: float, cap: D, tasks=None) -> D:
    """Complete ``tasks`` (all of the plan's by default) around their deadlines, later the slower
    the organisation; returns the last completion."""
    for task in plan.tasks if tasks is None else tasks:
        delay = rng.randint(-20, 10) + int((1 - pace) * rng.randint(0, 60))
        task.done_on = _between(task.deadline + delay * DAY, fed + 21 * DAY, cap)
    return max(t.done_on for t in plan.tasks if t.done_on)


def implement(rng: random.Random, plan: ProblemPlan, fed: D, pace: float, cap: D) -> None:
    """Every task done; the problem closed on evidence, or a long-term one's stage met (some of
    those closed half a year or more later)."""
    last = _finish(rng, plan, fed, pace, cap)
    if any(t.kind == TaskKind.LONG_TERM for t in plan.tasks):
        plan.fate, plan.stage_on = STAGE, min(last + rng.randint(5, 20) * DAY, cap)
        later = plan.stage_on + rng.randint(180, 360) * DAY
        if rng.random() < 0.4 and later <= cap:
            plan.fate, plan.closed_on = STAGE_CLOSED, later
    else:
        plan.fate, plan.reported_on = CLOSED, min(last + rng.randint(1, 10) * DAY, cap)
        plan.closed_on = min(plan.reported_on + rng.randint(5, 25) * DAY, cap)


def stall(rng: random.Random, plan: ProblemPlan, fed: D, pace: float, cap: D, lagging: bool) -> None:
    """The task with the latest deadline is still not done (overdue); earlier ones perhaps done."""
    ordered = sorted(plan.tasks, key=lambda t: t.deadline)
    done = [t for t in ordered[:-1] if rng.random() < (0.3 if lagging else 0.5)]
    if done:
        _finish(rng, plan, fed, pace, cap, done)
    for task in plan.tasks:
        if not task.done_on:
            task.progress_on = _between(task.deadline - rng.randint(5, 40) * DAY, fed + 30 * DAY, cap)
    plan.fate = STALLED


def _reopen(plan: ProblemPlan, on: D, rng: random.Random, redo: int = 1) -> None:
    plan.fate, plan.reopened_on = REOPENED, on
    first = plan.tasks[0]
    for k in range(redo):
        measure = ("针对整改“回头看”发现的反弹问题，" if k == 0 else "举一反三、建章立制：") + first.measure
        deadline = add_months(on, rng.randint(2, 3))
        plan.redo.append(TaskPlan(measure, first.leader, first.department, deadline, TaskKind.CONCENTRATED))


def _weight(plan: ProblemPlan) -> float:
    """How readily a problem is fixed: 立行立改 ones first, long-term and closely watched ones last."""
    weight = 4.0 if plan.problem.rectify_at_once else 1.0
    if any(t.kind == TaskKind.LONG_TERM for t in plan.tasks):
        weight *= 0.7
    return weight * (0.4 if plan.problem.close_attention else 1.0)


def plan_organization(
    rng: random.Random, org, problems, fed: D, pace: float, lagging: bool, share: float, cap: D, today: D
) -> list[ProblemPlan]:
    """What one organisation does with its problems. A lagging organisation gets fewer than
    ``share`` of them done (closed or stage met), any other at least ``share`` + 2 points; the rest
    stay with an overdue task, or were closed and then reopened by the look-back."""
    plans = [ProblemPlan(p, city_tasks(rng, org, p, fed)) for p in problems]
    n = len(plans)
    if lagging:
        done = min(int(n * rng.uniform(0.45, 0.66)), math.ceil(n * share) - 1)
    else:
        done = max(math.ceil(n * min(0.99, 0.72 + 0.27 * pace)), math.ceil(n * (share + 0.02)))
    showcase = org.code == SHOWCASE
    if showcase:
        done = min(done, n - 3)  # three problems to show the work in between
    keys = {id(p): rng.random() ** (1 / _weight(p)) for p in plans}
    ranked = sorted(plans, key=lambda p: -keys[id(p)])
    for plan in ranked[:done]:
        implement(rng, plan, fed, pace, cap)
    for plan in ranked[done:]:
        if not showcase and rng.random() < (0.1 if lagging else 0.25):
            implement(rng, plan, fed, pace, cap)
            again = (plan.closed_on or plan.stage_on) + rng.randint(180, 420) * DAY
            if plan.fate == CLOSED and again <= cap:
                _reopen(plan, again, rng)
                continue
            for task in plan.tasks:  # too late for a look-back: still under way instead
                task.done_on = task.progress_on = None
            plan.reported_on = plan.stage_on = plan.closed_on = None
        stall(rng, plan, fed, pace, cap, lagging)
    if showcase:
        _showcase(rng, sorted(ranked[done:], key=lambda p: p.problem.ref), fed, pace, today)
    return plans


def _showcase(rng: random.Random, stalled: list[ProblemPlan], fed: D, pace: float, today: D) -> None:
    """The work in between, recent: reported done and awaiting closing; a deadline changed and
    awaiting re-acceptance; reopened by the look-back with new tasks awaiting acceptance."""
    reported, changed, reopened = stalled[:3]
    for task in reported.tasks:
        task.done_on = task.done_on or today - rng.randint(12, 30) * DAY
        task.progress_on = None
    reported.fate, reported.reported_on = REPORTED, today - 5 * DAY
    changed.change_to = today + 60 * DAY
    for task in reopened.tasks:
        task.progress_on = None
    implement(rng, reopened, fed, pace, today - 90 * DAY)
    if reopened.fate != CLOSED:  # a long-term one: its stage met is what the look-back finds back
        reopened.closed_on = None
    _reopen(reopened, today - 60 * DAY, rng, redo=2)
    reopened.accept_redo = False


# --- a patrolled organisation --------------------------------------------------------------------


PATROL_LAGGING_SHARE = (0.1, 0.25)  # of each body's organisations fed back, at least one, stay below the line

PATROL_LONG_TERM_CATEGORIES = {"1.2", "3.1", "3.3", "4.1"}

PATROL_TOP_LEADER_CATEGORIES = {"3.1", "4.1"}


def patrol_tasks(rng: random.Random, org, problem: Problem, fed: D) -> list[TaskPlan]:
    code = problem.category.code
    measures = rng.sample(PATROL_MEASURES[code], rng.choices((1, 2), weights=(80, 20))[0])
    name, post = top_leader(org)
    if code in PATROL_TOP_LEADER_CATEGORIES:
        leader = f"{post.split('、')[0]}{name}"
    else:
        leader = "分管领导" + random.Random(f"deputy:{org.code}:{code}").choice(ANONYMOUS_SURNAMES) + "某某"
    department = "党政办公室" if org.kind in (OrgKind.TOWN, OrgKind.STREET) else "办公室"
    long_term = code in PATROL_LONG_TERM_CATEGORIES and rng.random() < 0.3
    return task_plans(rng, problem, measures, leader, department, fed, long_term)


def patrol_plan_organization(rng: random.Random, org, problems, fed: D, pace: float, lagging: bool, cap: D):
    """What one organisation does with its problems: a lagging one gets under 70% of them done
    (closed, or a long-term stage met), any other at least 75%; the rest keep an overdue task."""
    plans = [ProblemPlan(p, patrol_tasks(rng, org, p, fed)) for p in problems]
    n = len(plans)
    if lagging:
        done = min(int(n * rng.uniform(0.3, 0.67)), math.ceil(n * 0.7) - 1)
    else:
        done = n if pace >= 0.35 or n < 4 else math.ceil(n * 0.75)
    ranked = sorted(plans, key=lambda p: (p.problem.rectify_at_once, rng.random()), reverse=True)
    for plan in ranked[:done]:
        implement(rng, plan, fed, pace, cap)
    for plan in ranked[done:]:
        stall(rng, plan, fed, pace, cap, lagging)
    return plans


# --- reports, self-criticisms, interviews, accountability, evaluations ----------------------------


@dataclass(frozen=True)
class Reports:
    """When an organisation reports (days after the deadline; negative: before) and how many
    meetings its top leader held on the rectification."""

    late: int
    meetings: int


def city_reports(rng: random.Random, lagging: bool) -> Reports:
    """A slow organisation reports weeks late, any other up to ten days early."""
    late = rng.randint(5, 40) if lagging else -rng.randint(0, 10)
    return Reports(late, rng.randint(3, 8))


def patrol_reports(rng: random.Random, lagging: bool) -> Reports:
    late = rng.randint(5, 30) if lagging else -rng.randint(0, 10)
    return Reports(late, rng.randint(2, 5))


def self_criticism_fates(
    rng: random.Random, items: list, today: D
) -> list[tuple[object, str, D | None, D | None]]:
    """What becomes of each self-criticism made due (``items``, sorted by organisation code): most
    submitted two to three weeks after the assessment and accepted days later, one returned for
    rewriting, one awaiting acceptance, one still owed. Each as (item, fate, submitted, accepted)."""
    ordered = list(items)
    rng.shuffle(ordered)
    fates = [SelfCriticismStatus.ACCEPTED] * (LAGGING - 3) + [
        SelfCriticismStatus.RETURNED,
        SelfCriticismStatus.SUBMITTED,
        SelfCriticismStatus.DUE,
    ]
    out = []
    for item, fate in zip(ordered, fates, strict=True):
        if fate == SelfCriticismStatus.DUE:
            out.append((item, fate, None, None))
            continue
        submitted = item.assessed_on + rng.randint(10, 24) * DAY
        accepted = (
            min(submitted + rng.randint(2, 8) * DAY, today) if fate == SelfCriticismStatus.ACCEPTED else None
        )
        out.append((item, fate, submitted, accepted))
    return out


def mayor_interview_day(rng: random.Random, assessed: D) -> D:
    """The mayor's interview of an organisation below the line: days after the assessment."""
    return assessed + rng.randint(3, 12) * DAY


def late_interview(rng: random.Random, review: D) -> tuple[D, str]:
    """An interview for tasks still overdue at the ``review`` seven months after feedback: its day and
    which member of the city leadership holds it."""
    held = review + rng.randint(5, 20) * DAY
    return held, rng.choice(INTERVIEWERS)


def decision_day(rng: random.Random, assessed: D, today: D) -> D:
    """An accountability decision: three to five weeks after the assessment, not after ``today``."""
    return min(assessed + rng.randint(20, 35) * DAY, today)


def evaluation_scores(rng: random.Random, lagging: bool) -> dict[str, int]:
    """The indicators an evaluation scores by judgement (the rates suggest the others)."""
    return {
        "responsibility": rng.randint(8, 12) if lagging else rng.randint(15, 20),
        "rules": rng.randint(5, 9) if lagging else rng.randint(10, 15),
        "use": rng.randint(5, 9) if lagging else rng.randint(10, 15),
    }


def city_paces(rng: random.Random, orgs: list) -> tuple[dict, set]:
    """Each organisation's pace (0..1, drawn in the order given) and the ``LAGGING`` slowest."""
    pace = {org: rng.random() for org in orgs}
    return pace, set(sorted(orgs, key=lambda o: pace[o])[:LAGGING])


def patrol_paces(rng: random.Random, keys: list) -> tuple[dict, set]:
    """Each patrolled organisation's pace and the slowest of the body (``PATROL_LAGGING_SHARE``, at
    least one)."""
    pace = {k: rng.random() for k in keys}
    slow = max(1, round(len(keys) * rng.uniform(*PATROL_LAGGING_SHARE)))
    return pace, set(sorted(pace, key=pace.get)[:slow])
