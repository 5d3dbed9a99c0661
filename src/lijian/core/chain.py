"""The hash chain over the audit events: the canonical form of an event, its hash, and how an event
is appended (sealed) in the transaction that writes it; and the permission that lets tests empty the
table. The whole scheme is described in ``core.ledger``, which verifies the chain and signs
checkpoints; this part needs no model, so the audit model seals its own events with it.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import threading
from collections.abc import Iterable
from contextlib import contextmanager

from django.db import connection

FORMAT_VERSION = 1
GENESIS = bytes(32)
# Any 64-bit number no other part of the product uses as an advisory lock.
PG_LOCK_KEY = 0x4C494A49414E  # "LIJIAN"


# ---------------------------------------------------------------------------------------------------
# The canonical form and the hash


def _normal(value):
    """``value`` as JSON would give it back, with integral numbers as integers."""
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, dict):
        return {str(k): _normal(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_normal(v) for v in value]
    return value


def utc_text(at: datetime.datetime) -> str:
    return at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(
    *,
    seq,
    at,
    actor_id,
    actor_name,
    action,
    object_type,
    object_id,
    object_repr,
    scope_path,
    before,
    after,
    request_id,
    outcome,
) -> bytes:
    """The bytes the hash covers (see the module docstring)."""
    event = {
        "v": FORMAT_VERSION,
        "seq": seq,
        "at": utc_text(at) if isinstance(at, datetime.datetime) else at,
        "actor": actor_id,
        "actor_name": actor_name,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "object_repr": object_repr,
        "scope_path": scope_path,
        "before": _normal(before),
        "after": _normal(after),
        "request_id": request_id,
        "outcome": outcome,
    }
    return json.dumps(
        event, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


def chain_hash(previous_hex: str | None, body: bytes) -> str:
    previous = bytes.fromhex(previous_hex) if previous_hex else GENESIS
    return hashlib.new("sm3", previous + body).hexdigest()


def event_body(event) -> bytes:
    """The canonical form of a saved event (what its hash covers)."""
    return canonical(
        seq=event.seq,
        at=event.at,
        actor_id=event.actor_id,
        actor_name=event.actor_name,
        action=event.action,
        object_type=event.object_type,
        object_id=event.object_id,
        object_repr=event.object_repr,
        scope_path=event.scope_path,
        before=event.before,
        after=event.after,
        request_id=event.request_id,
        outcome=event.outcome,
    )


# ---------------------------------------------------------------------------------------------------
# Appending


def lock_and_read_head(table: str) -> tuple[int, str | None]:
    """Take the chain lock for the current transaction and return the head (0, None when empty).

    The head is read in a statement after the lock's: under READ COMMITTED that statement sees
    whatever the previous holder committed."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PG_LOCK_KEY])
        cursor.execute(f'SELECT seq, hash FROM "{table}" ORDER BY seq DESC LIMIT 1')
        row = cursor.fetchone()
    return (row[0], row[1]) if row else (0, None)


def seal(events: Iterable) -> None:
    """Give unsaved ``events`` (in order) their sequence numbers and hashes after the current head.

    Call inside ``transaction.atomic``, then insert them in the same transaction: the lock taken
    here is what keeps two writers from both appending after the same head."""
    events = list(events)
    if not events:
        return
    seq, previous = lock_and_read_head(events[0]._meta.db_table)
    for event in events:
        seq += 1
        event.at = event.at.astimezone(datetime.UTC)
        event.seq = seq
        event.hash = previous = chain_hash(previous, event_body(event))


# ---------------------------------------------------------------------------------------------------
# The maintenance permission for ``flush`` (tests only)

_maintenance = threading.local()


def maintenance_allowed() -> int:
    return 1 if getattr(_maintenance, "on", False) else 0


@contextmanager
def maintenance():
    """Let this thread's SQLite connections empty the audit table (Django's ``flush``, which
    the test runner calls between transactional tests). Nothing in the product uses it."""
    _maintenance.on = True
    try:
        yield
    finally:
        _maintenance.on = False


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: the SQLite delete trigger asks this function whether a
    flush is under way; a connection that lacks it (the sqlite3 shell) cannot delete events."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "lijian_ledger_maintenance", 0, maintenance_allowed, deterministic=False
        )
