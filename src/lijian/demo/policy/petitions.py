"""How petitions reach the city's groups in the demo: how many per inspection, by which channel, when,
how many petitioners give their name, which are out of scope and how soon the rest are answered.
Each function draws from the ``rng`` it is given, in a fixed order."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from lijian.demo.vocabulary.petitions import MATTERS, NAMES

D = datetime.date
CHANNELS = (("letter", 30), ("visit", 20), ("call", 15), ("online", 15), ("qr", 20))
NAMED = 0.4  # petitioners who give their name and telephone
OUT_OF_SCOPE = 0.1  # closed at once: not the inspection's business
JOINT_RECEPTION_DAY = datetime.timedelta(days=10)  # after the group goes on site


@dataclass(frozen=True)
class Petition:
    received_on: D
    channel: str
    summary: str
    identity: dict | None


@dataclass(frozen=True)
class Handling:
    """Closed at once as out of scope, or routed to the group and answered on ``answered_on``."""

    out_of_scope: bool
    answered_on: D | None = None


def petition_count(rng: random.Random) -> int:
    """Two to six petitions for an inspection."""
    return rng.randint(2, 6)


def petition_draw(rng: random.Random, onsite: D, org_name: str) -> Petition:
    """A petition about ``org_name`` received while the group is on site."""
    received = onsite + datetime.timedelta(days=rng.randint(1, 35))
    named = rng.random() < NAMED
    channel = rng.choices([c for c, _ in CHANNELS], weights=[w for _, w in CHANNELS])[0]
    summary = rng.choice(MATTERS).format(org=org_name)
    identity = (
        {"name": rng.choice(NAMES), "phone": f"139{rng.randint(10_000_000, 99_999_999)}"} if named else None
    )
    return Petition(received, channel, summary, identity)


def joint_petitioner(rng: random.Random) -> dict:
    """The visitor received together with the district's patrol office."""
    return {"name": rng.choice(NAMES)}


def handling_draw(rng: random.Random, received_on: D) -> Handling:
    if rng.random() < OUT_OF_SCOPE:
        return Handling(True)
    return Handling(False, received_on + datetime.timedelta(days=rng.randint(10, 40)))
