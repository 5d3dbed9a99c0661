"""What the demo's groups find, and when: how many problems each inspection records and of which
categories, how many are watched closely or rectified at once, how many clues go to which
department, and how soon (and with what result) the departments answer. Each function draws from
the ``rng`` it is given in a fixed order, so the same seed gives the same term.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from lijian.demo.vocabulary.findings import (
    CITY_SUMMARIES,
    CLUE_MATTERS,
    CLUE_POSTS,
    PATROL_CLUES,
    PATROL_SUMMARIES,
)
from lijian.demo.vocabulary.people import ANONYMOUS_SURNAMES
from lijian.orgs.choices import OrgKind

D = datetime.date
CITY_SEED = 4_730
CITY_PROBLEMS = 4_730

# The share of problems in each 四个落实 subcategory (by code).
CITY_WEIGHTS = {
    "1.1": 6,
    "1.2": 12,
    "1.3": 8,
    "1.4": 3,
    "1.5": 3,
    "2.1": 9,
    "2.2": 6,
    "2.3": 8,
    "2.4": 9,
    "2.5": 8,
    "3.1": 6,
    "3.2": 7,
    "3.3": 6,
    "3.4": 2,
    "4.1": 4,
    "4.2": 2,
    "4.3": 1,
}

RESULTS = (
    ("case_opened", 24),
    ("inquiry", 36),
    ("preliminary_verification", 16),
    ("filed_for_later", 9),
    ("closed", 15),
)


def quotas(count: int, total: int, rng: random.Random) -> list[int]:
    """``count`` whole numbers near ``total / count`` (±40%) that add up to exactly ``total``."""
    weights = [rng.uniform(0.6, 1.4) for _ in range(count)]
    shares = [w * total / sum(weights) for w in weights]
    quotas = [int(s) for s in shares]
    for k in sorted(range(count), key=lambda k: quotas[k] - shares[k])[: total - sum(quotas)]:
        quotas[k] += 1
    return quotas


def weighted(rng: random.Random, pairs):
    return rng.choices([p[0] for p in pairs], weights=[p[-1] for p in pairs])[0]


# The city committee's departments' share of the clues, by code.
CLUE_SHARES = {"TJ-JWJW": 64, "TJ-ZZB": 20, "TJ-SJJ": 8, "TJ-XCB": 1, "TJ-ZFW": 4, "TJ-XFB": 2, "TJ-GZW": 1}
CITY_CLUES_PER_INSPECTION = ((0, 1, 2, 3, 4, 5), (1, 3, 4, 4, 2, 1))  # how many, how often
PSB_FOUND_AFTER = datetime.timedelta(days=10)  # the case's problem, days after the group goes on site
PSB_TRANSFER_AFTER = datetime.timedelta(days=3)  # its clue, after the feedback
PSB_OUTCOME = {
    "party_discipline": 9,
    "organisational_handling": 14,
    "judicial_transfers": 3,
    "losses_recovered": 1260,
}
# The secretary's instructions: the first a week after the feedback, then every 40 days; 30 days each.
PSB_INSTRUCTION_FIRST, PSB_INSTRUCTION_EVERY = 7, 40
PSB_INSTRUCTION_DEADLINE = datetime.timedelta(days=30)

WORKED_ROUNDS = 2

VILLAGES_PER_EXTRA_PROBLEM = 10

# The share of problems in each 四个聚焦 subcategory: at a town or street, and at a unit or college.
PATROL_GRASSROOTS_WEIGHTS = {
    "1.1": 12,
    "1.2": 12,
    "2.1": 14,
    "2.2": 10,
    "2.3": 4,
    "3.1": 12,
    "3.2": 14,
    "3.3": 12,
    "4.1": 10,
}

PATROL_UNIT_WEIGHTS = {"1.1": 6, "1.2": 22, "2.1": 8, "2.2": 6, "3.1": 20, "3.2": 26, "4.1": 12}
# A patrol committee's departments' share of the clues, in the order of ``vocabulary.findings``.
PATROL_CLUE_SHARES = {OrgKind.DISTRICT_COMMITTEE: (70, 20, 10), OrgKind.UNIVERSITY: (75, 25)}
PATROL_CLUES_PER_INSPECTION = ((0, 1, 2), (75, 20, 5))


@dataclass(frozen=True)
class ProblemDraw:
    code: str
    summary: str
    found_on: D
    close_attention: bool
    rectify_at_once: bool


@dataclass(frozen=True)
class ClueDraw:
    department: object  # a department code (the city) or the department itself (a patrol)
    subject_name: str
    subject_post: str
    summary: str
    problem: object | None


@dataclass(frozen=True)
class Answer:
    """A department's handling of a clue: accepted (or not yet), answered (or not yet), and how."""

    accepted_on: D | None
    answered_on: D | None = None
    result: str = ""
    outcome: dict = field(default_factory=dict)


def city_problem(rng: random.Random, onsite: D) -> ProblemDraw:
    """A problem a city group records on site, in the 四个落实 category ``CITY_WEIGHTS`` favours."""
    code = rng.choices(list(CITY_WEIGHTS), weights=list(CITY_WEIGHTS.values()))[0]
    return ProblemDraw(
        code,
        rng.choice(CITY_SUMMARIES[code]),
        onsite + datetime.timedelta(days=rng.randint(1, 37)),
        rng.random() < 0.04,
        rng.random() < 0.12,
    )


def city_clues(rng: random.Random, problems: list) -> list[ClueDraw]:
    """The clues about people a city group hands over with its report (none to five)."""
    count, often = CITY_CLUES_PER_INSPECTION
    clues = []
    for _ in range(rng.choices(count, weights=often)[0]):
        code = weighted(rng, list(CLUE_SHARES.items()))
        clues.append(
            ClueDraw(
                code,
                rng.choice(ANONYMOUS_SURNAMES) + "某",
                rng.choice(CLUE_POSTS),
                "反映其" + rng.choice(CLUE_MATTERS) + "问题。",
                rng.choice(problems) if problems else None,
            )
        )
    return clues


def transfer_day(rng: random.Random, feedback_on: D) -> D:
    """When the office transfers a clue: three to ten days after the feedback."""
    return feedback_on + datetime.timedelta(days=rng.randint(3, 10))


def answer(
    rng: random.Random, transferred_on: D, today: D, result: str | None = None, outcome=None
) -> Answer:
    """How a department handles a clue transferred on ``transferred_on``: accepted within ten days,
    mostly answered in time (a few still being handled, a few late), with a result ``RESULTS``
    favours unless ``result`` (and its ``outcome``) is given; nothing after ``today``."""
    accepted = transferred_on + datetime.timedelta(days=rng.randint(2, 10))
    if accepted > today:
        return Answer(None)
    roll = rng.random()
    if roll < 0.03 and result is None:
        return Answer(accepted)  # still being handled: overdue, escalated by the daily job
    days = rng.randint(30, 88) if roll < 0.92 or result else rng.randint(95, 160)
    answered = transferred_on + datetime.timedelta(days=days)
    if answered > today:
        return Answer(accepted)
    result = result or weighted(rng, RESULTS)
    outcome = dict(outcome or {})
    if not outcome and result == "case_opened":
        outcome = {
            "party_discipline": rng.randint(1, 3),
            "judicial_transfers": int(rng.random() < 0.3),
            "losses_recovered": round(rng.uniform(0, 300), 2) if rng.random() < 0.5 else 0,
        }
    elif not outcome and result == "preliminary_verification":
        outcome = {"organisational_handling": rng.randint(0, 2)}
    return Answer(accepted, answered, result, outcome)


def patrol_problem(rng: random.Random, grassroots: bool, onsite: D, last: D) -> ProblemDraw:
    """A problem a patrol group records on site (by ``last``), in the 四个聚焦 category its weights
    favour at a town or street (``grassroots``) or at a unit or college."""
    weights = PATROL_GRASSROOTS_WEIGHTS if grassroots else PATROL_UNIT_WEIGHTS
    code = rng.choices(list(weights), weights=list(weights.values()))[0]
    return ProblemDraw(
        code,
        rng.choice(PATROL_SUMMARIES[code]),
        min(onsite + datetime.timedelta(days=rng.randint(0, 36)), last),
        rng.random() < 0.03,
        rng.random() < 0.15,
    )


def patrol_problem_count(rng: random.Random, villages: int) -> int:
    """Two or three problems, one more per ``VILLAGES_PER_EXTRA_PROBLEM`` villages taken along."""
    return rng.randint(2, 3) + villages // VILLAGES_PER_EXTRA_PROBLEM


def patrol_clues(rng: random.Random, departments: list, town: bool, problems: list) -> list[ClueDraw]:
    """Now and then a clue about a person for one of ``departments`` ((department, share) pairs)."""
    posts, summaries = PATROL_CLUES[town]
    count, often = PATROL_CLUES_PER_INSPECTION
    clues = []
    for _ in range(rng.choices(count, weights=often)[0]):
        department = rng.choices([d for d, _share in departments], weights=[s for _d, s in departments])[0]
        clues.append(
            ClueDraw(
                department,
                rng.choice(ANONYMOUS_SURNAMES) + "某",
                rng.choice(posts),
                f"反映其{rng.choice(summaries)}问题。",
                rng.choice(problems) if problems else None,
            )
        )
    return clues
