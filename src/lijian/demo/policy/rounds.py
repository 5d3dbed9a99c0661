"""What the demo's offices decide for the term's rounds: the city's five rounds (dates, sizes, the kinds
a special round takes), how many organisations the patrols reach and how many villages among them,
when each patrol round starts, each organisation's manual risk score, which towns a district takes
first, and the days from a round's start to going on site, leaving, feedback and rectification.
The term planner and the optimiser decide the rest. Seeded: the same seed gives the same rounds.
"""

from __future__ import annotations

import datetime
import random

from lijian.orgs.choices import OrgKind

D = datetime.date
SEED = 20_220_623

CITY_ROUNDS = (  # number, kind, start, organisations, kinds allowed, theme
    (1, "regular", D(2022, 9, 5), 25, None, "常规巡视"),
    (2, "regular", D(2023, 3, 6), 25, None, "常规巡视"),
    (3, "regular", D(2023, 9, 4), 25, None, "常规巡视"),
    (4, "special", D(2024, 3, 4), 25, {OrgKind.DEPARTMENT}, "市级部门专项巡视"),
    (5, "regular", D(2024, 9, 2), 26, None, "常规巡视"),
)

GRASSROOTS_PATROLLED = 2_696  # 48% of the 5,617 villages and communities

# How far each district has taken its patrols to the villages differs: each district's share of the
# city's villages patrolled is its villages weighted by a pace drawn in this range (about a quarter
# to seven tenths of its villages), while the city-wide total stays ``GRASSROOTS_PATROLLED``.
GRASSROOTS_PACE = (0.5, 1.45)

PATROLLED_IN_ALL = 3_844

DISTRICT_START = D(2022, 9, 1)

ROUND_GAP = datetime.timedelta(days=150)


def split_by_weight(total: int, weights: dict[str, int]) -> dict[str, int]:
    """``total`` split in proportion to ``weights`` (largest remainder, so the parts add up exactly)."""
    whole = sum(weights.values())
    raw = {k: total * w / whole for k, w in weights.items()}
    parts = {k: int(v) for k, v in raw.items()}
    for k in sorted(raw, key=lambda k: raw[k] - parts[k], reverse=True)[: total - sum(parts.values())]:
        parts[k] += 1
    return parts


def village_quotas(villages: dict[int, int]) -> dict[int, int]:
    """How many of its villages and communities each district (by id, in the order given, with its
    count of them) patrols: ``GRASSROOTS_PATROLLED`` in all, split by the villages weighted by each
    district's pace (``GRASSROOTS_PACE``, drawn from its own seed so no other draw moves), never more
    than a district has."""
    rng = random.Random(SEED + 7)
    weights = {d: n * rng.uniform(*GRASSROOTS_PACE) for d, n in villages.items()}
    quotas = split_by_weight(GRASSROOTS_PATROLLED, weights)
    over = sum(max(0, quotas[d] - villages[d]) for d in villages)
    for d in sorted(villages, key=lambda d: villages[d] - quotas[d], reverse=True):  # most room first
        quotas[d] = min(quotas[d], villages[d])
        room = villages[d] - quotas[d]
        quotas[d] += min(room, over)
        over -= min(room, over)
    return quotas


ONSITE_AFTER = datetime.timedelta(days=7)  # from the round's start: the group goes on site
LEAVE_AFTER = datetime.timedelta(days=45)  # ... leaves the site
FEEDBACK_AFTER = datetime.timedelta(days=75)  # ... feeds back (the round's end)
RECTIFYING_AFTER = datetime.timedelta(days=365)  # a round older than this is in rectification by now
LOOKBACK_STARTED = datetime.timedelta(days=10)  # the look-back under way today started this long ago
HIGH_RISK, OTHER_RISK = (
    (82, 98),
    (20, 80),
)  # manual risk scores: of the kinds an office worries about, of others


def risk_score(rng: random.Random, kind: str, high_kinds=()) -> int:
    """The manual risk score an office gives an organisation of ``kind``."""
    return rng.randint(*HIGH_RISK) if kind in high_kinds else rng.randint(*OTHER_RISK)


def towns_in_order(rng: random.Random, towns: list) -> list:
    """A district's towns and streets in the order its office takes them (its sense of their risk)."""
    return sorted(towns, key=lambda t: -rng.random())


def units_taken(rng: random.Random, units: list, count: int) -> list:
    """The ``count`` district units a district's office patrols in the term."""
    return sorted(units, key=lambda u: rng.random())[:count]
