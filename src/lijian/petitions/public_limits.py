"""Limits on the public pages (码上巡察 filing and the receipt-code status page), per client and against
guessing receipt codes.

- Filing: 5 a hour per client; lookups: 30 a hour per client. The client is
  :func:`lijian.core.client.client_address` (X-Forwarded-For only from a trusted proxy), counted by
  network (an IPv6 /64), so citizens behind the reverse proxy each have their own allowance.
- Guessing: failed lookups are counted per client, per receipt (its first four symbols, which a
  guesser aiming at one receipt keeps fixed) and across everyone. Reaching a count locks that key;
  each further lock in a row lasts twice the one before, up to a ceiling, and a key quiet for a day
  starts again from the first lock. While locked, lookups are refused before the code is checked,
  so a lock also stops a lucky guess. A receipt lock never tells whether that receipt exists.

Counters live in the database (``PublicCounter``), each changed under a row lock, so the limits hold
across web workers and processes on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import math
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from lijian.core.client import client_network

from . import services
from .models import Petition, PublicCounter

MINUTE = datetime.timedelta(minutes=1)
HOUR = datetime.timedelta(hours=1)
# A key with nothing to count for this long is forgotten: its next lock is the first one again.
FORGET_AFTER = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Policy:
    """``events`` within ``window`` earn a lock. Without ``first_lock`` the lock lasts to the end of
    the window (a plain allowance); with it, the n-th lock in a row lasts ``first_lock × 2ⁿ⁻¹``, at
    most ``longest_lock`` (exponential back-off)."""

    events: int
    window: datetime.timedelta
    first_lock: datetime.timedelta | None = None
    longest_lock: datetime.timedelta = HOUR


FILINGS_PER_CLIENT = Policy(5, HOUR)
LOOKUPS_PER_CLIENT = Policy(30, HOUR)
FAILURES_PER_CLIENT = Policy(10, 15 * MINUTE, first_lock=5 * MINUTE, longest_lock=24 * HOUR)
FAILURES_PER_RECEIPT = Policy(5, HOUR, first_lock=15 * MINUTE, longest_lock=24 * HOUR)
FAILURES_OF_EVERYONE = Policy(200, 15 * MINUTE, first_lock=MINUTE, longest_lock=HOUR)
# The first symbols of a receipt code name the receipt for its guessing limit: a guesser aiming at
# one receipt keeps them; random guessing spreads over 31⁴ ≈ 920,000 of them.
RECEIPT_PREFIX = 4


class TooFrequent(Exception):
    """Refused for now; ``wait`` says for how long."""

    def __init__(self, wait: datetime.timedelta):
        super().__init__(wait)
        self.wait = wait

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.wait.total_seconds() / 60))


def _now() -> datetime.datetime:
    return timezone.now()


def _key(kind: str, value: str) -> str:
    """A keyed hash, so the table holds no address and no part of a receipt code."""
    return hmac.new(settings.SECRET_KEY.encode(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def _receipt_key(code: str) -> str:
    clean = "".join(ch for ch in code.upper() if ch.isalnum())
    return _key("receipt", clean[:RECEIPT_PREFIX])


def _count(key: str, policy: Policy, now: datetime.datetime) -> tuple[datetime.timedelta | None, bool]:
    """Count one event under ``key`` unless the key is locked. Returns how long it stays locked (then
    the event was not counted) or ``None``, and whether the key is new. Call inside a transaction:
    the row stays locked until it ends."""
    row, created = PublicCounter.objects.select_for_update().get_or_create(
        key=key, defaults={"window_started_at": now, "updated_at": now}
    )
    if row.locked_until and row.locked_until > now:
        return row.locked_until - now, created
    if now - max(row.updated_at, row.locked_until or row.updated_at) > FORGET_AFTER:
        row.strikes = 0
    if now - row.window_started_at >= policy.window:
        row.count, row.window_started_at = 0, now
    row.count += 1
    if row.count >= policy.events:
        if policy.first_lock is None:
            row.locked_until = row.window_started_at + policy.window
        else:
            row.strikes += 1
            lock = min(policy.first_lock * 2 ** min(row.strikes - 1, 30), policy.longest_lock)
            row.locked_until = now + lock
            row.count, row.window_started_at = 0, now
    row.updated_at = now
    row.save(update_fields=["count", "window_started_at", "strikes", "locked_until", "updated_at"])
    return None, created


def _count_all(counts: list[tuple[str, Policy]], now: datetime.datetime) -> datetime.timedelta | None:
    """Count one event under each key, in one transaction and in the order given (callers always
    give client, receipt, everyone, so two requests never wait on each other crosswise). Returns the
    longest lock found, if any. When the table grew, the keys quiet for a day are swept afterwards."""
    waits, grew = [], False
    with transaction.atomic():
        for key, policy in counts:
            wait, created = _count(key, policy, now)
            grew |= created
            if wait:
                waits.append(wait)
    if grew:
        _forget_old(now)
    return max(waits, default=None)


def _locked_for(keys: list[str], now: datetime.datetime) -> datetime.timedelta | None:
    until = PublicCounter.objects.filter(key__in=keys, locked_until__gt=now).aggregate(m=Max("locked_until"))[
        "m"
    ]
    return until - now if until else None


def _forget_old(now: datetime.datetime) -> None:
    """Delete keys quiet for a day, skipping rows a running request holds (no waiting, no deadlock)."""
    with transaction.atomic():
        quiet = (
            PublicCounter.objects.select_for_update(skip_locked=True)
            .filter(updated_at__lt=now - FORGET_AFTER)
            .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now - FORGET_AFTER))
            .values_list("pk", flat=True)[:1000]
        )
        PublicCounter.objects.filter(pk__in=list(quiet)).delete()


def allow_filing(client: str) -> None:
    """Count one public filing by ``client`` (an address); raises ``TooFrequent`` past 5 a hour."""
    now = _now()
    wait = _count_all([(_key("file", client_network(client)), FILINGS_PER_CLIENT)], now)
    if wait:
        raise TooFrequent(wait)


def look_up_receipt(code: str, client: str) -> Petition | None:
    """The petition a receipt code was given for, or ``None`` — unless ``client`` has used up its
    lookups, or guessing has locked the client, this receipt or everyone: then ``TooFrequent`` is
    raised and the code is not checked. A miss counts against all three; a hit clears the
    receipt's failures (its owner is here)."""
    now = _now()
    client_key = _key("client-failures", client_network(client))
    receipt_key = _receipt_key(code)
    everyone_key = _key("everyone-failures", "")
    wait = _locked_for([client_key, receipt_key, everyone_key], now)
    if wait:
        raise TooFrequent(wait)
    wait = _count_all([(_key("status", client_network(client)), LOOKUPS_PER_CLIENT)], now)
    if wait:
        raise TooFrequent(wait)
    petition = services.petition_by_receipt(code)
    if petition is None:
        failures = [FAILURES_PER_CLIENT, FAILURES_PER_RECEIPT, FAILURES_OF_EVERYONE]
        _count_all(list(zip([client_key, receipt_key, everyone_key], failures, strict=True)), now)
    else:
        PublicCounter.objects.filter(key=receipt_key).update(count=0)
    return petition
