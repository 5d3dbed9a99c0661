"""The tamper-evident chain over the audit events, its checkpoints and its verification.

**The chain.** Every audit event carries a sequence number ``seq`` (1, 2, 3 … with no gap) and
``hash = SM3(previous hash ‖ canonical event)``, hex. The previous hash enters as its 32 raw bytes; the
first event's predecessor is 32 zero bytes. The *canonical event* is the UTF-8 encoding of a JSON
object with sorted keys, no whitespace (``separators=(",", ":")``), non-ASCII characters written as
themselves (``ensure_ascii=False``), no NaN or infinity, holding exactly:

``v`` (format, 1), ``seq``, ``at`` (UTC, ``YYYY-MM-DDTHH:MM:SS.ffffffZ``), ``actor`` (user id or
null), ``actor_name``, ``action``, ``object_type``, ``object_id``, ``object_repr``, ``scope_path``,
``before``, ``after`` (JSON values; a number with an integral value is written as an integer, so
PostgreSQL's ``jsonb`` giving ``1e20`` back as ``100000000000000000000`` hashes the same),
``request_id`` and ``outcome``.

**Appending.** An event is sealed in the transaction that writes it: the writer takes the chain's
lock (PostgreSQL: ``pg_advisory_xact_lock``, held to commit; SQLite: every transaction begins
``IMMEDIATE`` and holds the single write lock already), reads the head, and inserts ``seq = head + 1``.
A unique index on ``seq`` makes a fork impossible even for a writer that skipped the lock.

**What verification proves.** Without the key, anyone with write access to the database could
rewrite the whole chain consistently. A *checkpoint* (``lijian ledger checkpoint``) records the head's
sequence and hash with an HMAC-SM3 under a key kept outside the database, so ``verify --checkpoint``
also proves that nothing up to the checkpoint was rewritten and that no tail was cut off.

The canonical form, the hash and the sealing live in ``core.chain`` (the audit model uses them); this
module verifies the chain and signs its checkpoints.
"""

from __future__ import annotations

import datetime
import hmac
import json
import logging
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import audit_record
from .chain import canonical, chain_hash, lock_and_read_head, utc_text
from .models import AuditEvent, AuditOutcome

CHECKPOINT_FORMAT = "lijian-ledger-checkpoint/1"
COLUMNS = (
    "id",
    "seq",
    "hash",
    "at",
    "actor_id",
    "actor_name",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "scope_path",
    "before",
    "after",
    "request_id",
    "outcome",
)


class LedgerError(Exception):
    """A checkpoint or key that cannot be used (missing, unreadable, signed with another key)."""


# ---------------------------------------------------------------------------------------------------
# Verification


@dataclass
class Problem:
    seq: int | None
    event_id: int | None
    message: str

    def __str__(self):
        return self.message


@dataclass
class Verification:
    checked: int = 0
    head_seq: int = 0
    head_hash: str = ""
    problems: list[Problem] = field(default_factory=list)
    checkpoint_seq: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first_bad(self) -> Problem | None:
        return self.problems[0] if self.problems else None


def _rows(table: str, batch: int = 5000) -> Iterator[tuple]:
    """All events in chain order, read in keyset batches (a server-side cursor is not available
    inside every transaction, and one big fetch would hold the whole ledger in memory)."""
    columns = ", ".join(COLUMNS)
    after = (-1, -1)
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                f'SELECT {columns} FROM "{table}" WHERE seq > %s OR (seq = %s AND id > %s) '
                f"ORDER BY seq, id LIMIT %s",
                [after[0], after[0], after[1], batch],
            )
            rows = cursor.fetchall()
        if not rows:
            return
        yield from rows
        after = (rows[-1][1], rows[-1][0])


def _json(value):
    return json.loads(value) if isinstance(value, str | bytes) else value


def _at(value) -> str:
    if isinstance(value, str):  # SQLite gives the stored text: naive UTC
        value = datetime.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    return utc_text(value)


def verify(*, checkpoint: dict | None = None, limit: int = 20) -> Verification:
    """Walk the whole chain and report every break (up to ``limit``), first one first.

    Finds an altered event (its hash no longer matches), a removed one (a gap in the sequence), an
    inserted or reordered one (a repeated or out-of-order sequence number, or a hash that does not
    follow from its predecessor's) and, given a ``checkpoint`` (see ``read_checkpoint``), a chain
    rewritten up to it or cut short after it."""
    table = AuditEvent._meta.db_table
    result = Verification()
    previous: str | None = None
    expected = 1
    at_checkpoint: tuple | None = None

    def problem(seq, event_id, message):
        if len(result.problems) < limit:
            result.problems.append(Problem(seq, event_id, message))

    for row in _rows(table):
        event_id, seq, stored, at, *rest = row
        result.checked += 1
        if seq != expected:
            if seq > expected:
                missing = f"{expected}" if seq == expected + 1 else f"{expected}–{seq - 1}"
                problem(
                    seq,
                    event_id,
                    _("第 %(missing)s 号事件缺失（被删除），断在第 %(seq)s 号事件（ID %(id)s）之前。")
                    % {"missing": missing, "seq": seq, "id": event_id},
                )
            else:
                problem(
                    seq,
                    event_id,
                    _("第 %(seq)s 号事件（ID %(id)s）序号重复或顺序错乱（被插入或调换）。")
                    % {"seq": seq, "id": event_id},
                )
        else:
            body = canonical(
                seq=seq,
                at=_at(at),
                actor_id=rest[0],
                actor_name=rest[1],
                action=rest[2],
                object_type=rest[3],
                object_id=rest[4],
                object_repr=rest[5],
                scope_path=rest[6],
                before=_json(rest[7]),
                after=_json(rest[8]),
                request_id=rest[9],
                outcome=rest[10],
            )
            try:
                computed = chain_hash(previous, body)
            except ValueError:  # the predecessor's stored hash is not hex at all
                computed = ""
            if computed != stored:
                problem(
                    seq,
                    event_id,
                    _(
                        "第 %(seq)s 号事件（ID %(id)s）的哈希不符：该事件被改动，或其前面的事件被插入、删除或调换。"
                    )
                    % {"seq": seq, "id": event_id},
                )
        # Go on from what is stored, so one altered event is reported once, not with all after it.
        previous = stored if isinstance(stored, str) and len(stored) == 64 else None
        expected = max(expected, seq) + 1
        result.head_seq, result.head_hash = seq, stored
        if checkpoint is not None and seq == checkpoint["seq"] and at_checkpoint is None:
            at_checkpoint = (event_id, stored)

    if checkpoint is not None:
        result.checkpoint_seq = checkpoint["seq"]
        if checkpoint["seq"] > 0 and at_checkpoint is None:
            problem(
                result.head_seq + 1 if result.head_seq < checkpoint["seq"] else checkpoint["seq"],
                None,
                _("账本在检查点之后被截断：检查点记录到第 %(cp)s 号事件，现在只到第 %(head)s 号。")
                % {"cp": checkpoint["seq"], "head": result.head_seq},
            )
        elif at_checkpoint is not None and at_checkpoint[1] != checkpoint["hash"]:
            problem(
                checkpoint["seq"],
                at_checkpoint[0],
                _("第 %(seq)s 号事件（ID %(id)s）与检查点记录的哈希不符：检查点之前的账本被改写。")
                % {"seq": checkpoint["seq"], "id": at_checkpoint[0]},
            )
    result.problems.sort(key=lambda p: (p.seq is None, p.seq or 0))
    return result


# ---------------------------------------------------------------------------------------------------
# Checkpoints


def key_file() -> Path:
    """Where the checkpoint key lives: ``LIJIAN_LEDGER_KEY_FILE``, else ``settings.LEDGER_KEY_FILE``.

    Never in the data folder, so a copy of the database and its folder cannot forge a checkpoint."""
    configured = os.environ.get("LIJIAN_LEDGER_KEY_FILE", "").strip()
    return Path(configured) if configured else Path(settings.LEDGER_KEY_FILE)


def ledger_key(*, create: bool) -> bytes:
    """The HMAC key (32 bytes); created (owner-readable only) when ``create`` and missing.

    Raises ``LedgerError`` when the key is missing and not to be created, or unreadable."""
    path = key_file()
    if not path.exists():
        if not create:
            raise LedgerError(_("找不到账本检查点密钥文件 %(path)s。") % {"path": path})
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
    try:
        return bytes.fromhex(path.read_text().strip())
    except (OSError, ValueError) as exc:
        raise LedgerError(_("账本检查点密钥文件 %(path)s 无法读取。") % {"path": path}) from exc


def _mac(key: bytes, fields: dict) -> str:
    message = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    return hmac.new(key, message, "sm3").hexdigest()


def make_checkpoint() -> dict:
    """The signed head of the chain: format, sequence, hash, time (UTC) and HMAC-SM3 over them."""

    head = AuditEvent.objects.order_by("-seq").values("seq", "hash").first() or {"seq": 0, "hash": ""}
    fields = {
        "format": CHECKPOINT_FORMAT,
        "seq": head["seq"],
        "hash": head["hash"],
        "at": utc_text(timezone.now()),
    }
    return {**fields, "mac": _mac(ledger_key(create=True), fields)}


def read_checkpoint(path: Path) -> dict:
    """A checkpoint file's fields, its HMAC checked. Raises ``LedgerError`` for a file that is
    missing, not a checkpoint, or not signed with this installation's key."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise LedgerError(_("找不到检查点文件 %(path)s。") % {"path": path}) from exc
    except (OSError, ValueError) as exc:
        raise LedgerError(_("检查点文件 %(path)s 无法读取。") % {"path": path}) from exc
    if not isinstance(data, dict) or data.get("format") != CHECKPOINT_FORMAT:
        raise LedgerError(_("%(path)s 不是账本检查点文件。") % {"path": path})
    fields = {k: data.get(k) for k in ("format", "seq", "hash", "at")}
    if not isinstance(fields["seq"], int) or not hmac.compare_digest(
        str(data.get("mac", "")), _mac(ledger_key(create=False), fields)
    ):
        raise LedgerError(
            _("检查点文件 %(path)s 的签名无效：文件被改动，或不是用本系统的密钥签发的。") % {"path": path}
        )
    return fields


# ---------------------------------------------------------------------------------------------------
# Daily checkpoints (a step of the daily job, ``core.daily``)

CHECKPOINT_ACTION = "ledger.checkpoint"
_log = logging.getLogger("lijian.ledger")


def checkpoint_dir() -> Path:
    """Where the daily checkpoints go: ``settings.LEDGER_CHECKPOINT_DIR`` (``LIJIAN_LEDGER_CHECKPOINT_DIR``,
    default ``checkpoints/`` beside the key, outside the data folder, so a copy of the data folder
    carries no checkpoint to be rewritten along with it)."""
    return Path(settings.LEDGER_CHECKPOINT_DIR)


def daily_checkpoint_path(on: datetime.date) -> Path:
    return checkpoint_dir() / f"checkpoint-{on.isoformat()}.json"


def latest_checkpoint_path() -> Path:
    """The newest daily checkpoint file (by its day). Raises ``LedgerError`` when there is none."""
    folder = checkpoint_dir()
    found = sorted(folder.glob("checkpoint-*.json")) if folder.is_dir() else []
    if not found:
        raise LedgerError(_("检查点目录 %(path)s 中没有检查点文件。") % {"path": folder})
    return found[-1]


def write_checkpoint(path: Path, checkpoint: dict) -> None:
    """Write ``checkpoint`` to ``path`` readable by the owner only (folder: owner only), whole or
    not at all: a temporary file renamed into place, so a crash never leaves half a checkpoint."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(json.dumps(checkpoint, ensure_ascii=False, indent=2) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def daily_checkpoint(on: datetime.date) -> Path | None:
    """Sign the ledger's head into ``checkpoint-<on>.json`` in ``checkpoint_dir()`` once a day.

    In one transaction, holding the chain's lock: a ``ledger.checkpoint`` event naming the day and
    the file is appended, then the head (that event) is signed and written. Returns the file, or
    ``None`` when the day's file already exists (a restart, a second scheduler) or could not be
    written: then the cause is logged and a ``failed`` event (one a day) is recorded, and the next
    check of the daily job tries again. Never raises for a folder or key that cannot be used."""

    path = daily_checkpoint_path(on)
    written = False
    try:
        with transaction.atomic():
            lock_and_read_head(AuditEvent._meta.db_table)
            if path.exists():
                return None
            audit_record(
                actor=None, action=CHECKPOINT_ACTION, object_repr=on.isoformat(), after={"file": str(path)}
            )
            write_checkpoint(path, make_checkpoint())
            written = True
        return path
    except BaseException as exc:
        if written:  # the commit failed: the file would name an event that never was
            path.unlink(missing_ok=True)
        if not isinstance(exc, OSError | LedgerError):
            raise
        _log.exception("账本检查点 %s 写入失败", path)
        with transaction.atomic():
            if not AuditEvent.objects.filter(
                action=CHECKPOINT_ACTION, object_repr=on.isoformat(), outcome=AuditOutcome.FAILED
            ).exists():
                audit_record(
                    actor=None,
                    action=CHECKPOINT_ACTION,
                    object_repr=on.isoformat(),
                    after={"file": str(path), "error": str(exc)[:200]},
                    outcome=AuditOutcome.FAILED,
                )
        return None
