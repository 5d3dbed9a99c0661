"""How the demo staffs its talent pools: the pools' sizes, ranks that fit the leaders each needs,
ages that fit the ranks, the share of auditors and accountants, the few declared conflicts. Seeded:
the same pools give the same cadres."""

from __future__ import annotations

import random

from lijian.demo.vocabulary.people import GIVEN, SKILLS, SURNAMES
from lijian.people.choices import ConflictKind, Rank

# Cadres, of whom leaders, and the leaders' rank: in the city's pool, each district's, each
# university's and the public security bureau's.
CITY_POOL = (420, 48, Rank.DEPUTY_BUREAU)
DISTRICT_POOL = (42, 9, Rank.DIVISION)
UNIVERSITY_POOL = (14, 5, Rank.DIVISION)
PSB_POOL = (16, 5, Rank.DIVISION)

SEED = 20_221_023

# Years of birth that fit each rank (a 正厅 is in their fifties, a 科员 in their twenties or thirties).
BORN = {
    Rank.BUREAU: (1962, 1971),
    Rank.DEPUTY_BUREAU: (1964, 1975),
    Rank.DIVISION: (1966, 1981),
    Rank.DEPUTY_DIVISION: (1970, 1986),
    Rank.SECTION: (1974, 1990),
    Rank.DEPUTY_SECTION: (1980, 1994),
    Rank.STAFF: (1985, 1998),
}


def person_name(rng: random.Random) -> str:
    """A made-up name: a surname and one or two given characters."""
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def pool_ranks(rng: random.Random, senior: Rank, count: int, leaders: int) -> list[str]:
    """``leaders`` cadres at or above ``senior`` (who can lead groups), the rest below."""
    order = list(Rank)
    top = order.index(senior)
    ranks = [order[rng.randint(max(0, top - 1), top)] for _ in range(leaders)]
    ranks += [order[rng.randint(top + 1, len(order) - 1)] for _ in range(count - leaders)]
    rng.shuffle(ranks)
    return ranks


def pool_rows(specs) -> tuple[list[list], list[list]]:
    """The rows of cadres.csv and conflicts.csv for the pools ``specs`` (prefix, home units, cadres,
    leaders, leader rank), drawn from ``SEED``: the same specs give the same rows."""
    rng = random.Random(SEED)
    cadres, conflicts = [], []
    for prefix, units, count, leaders, senior in specs:
        for i, rank in enumerate(pool_ranks(rng, senior, count, leaders)):
            home = units[i % len(units)]
            cadre_id = f"{prefix}{i + 1:04d}"
            # Every fourth cadre audits or keeps accounts: each group needs one.
            chosen = {"audit" if i % 8 == 0 else "finance"} if i % 4 == 0 else set()
            chosen |= set(rng.sample(SKILLS, rng.randint(1, 2)))
            cadres.append(
                [
                    cadre_id,
                    person_name(rng),
                    rng.choice("MMMF"),
                    rng.randint(*BORN[rank]),
                    home.code,
                    rank,
                    ";".join(sorted(chosen)),
                    1,
                ]
            )
            other = rng.choice(units)
            if rng.random() < 0.06 and other != home:  # a relative works in another unit of the same pool
                conflicts.append([cadre_id, other.code, ConflictKind.RELATIVE])
    return cadres, conflicts
