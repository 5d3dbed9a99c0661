"""The daily job (每日督办): escalate what is overdue and tell the people who must act.

The kernel runs the steps the apps register (``register_daily_step``, from ``AppConfig.ready()``), in
their order: each finds what became overdue on the day, audits each escalation once (the audit
event is also what marks it escalated) and drafts a message to each person who must act. Each
person is told of each fact once (``core.messages``), so a second run the same day, or the next day,
tells nothing already told — only new facts, or people newly given the role. What a person is told
in a run reaches their inbox as one digest for the day (``messages_digest``: "N items became
overdue", listing and linking each), not one message per fact.

``lijian escalate`` runs it once; ``lijian escalate --daily`` (started by ``lijian serve``) runs it
once a day, recording each run as a ``daily.run`` audit event so restarts and several schedulers
never run a day twice, and then signs the day's ledger checkpoint (``ledger.daily_checkpoint``).
Reads and messages take a few batched queries per kind whatever the number (one audit insert per
new escalation): about 4 s with nothing new over 10,000 overdue tasks on SQLite.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from .audit import audit_record, register_actions
from .ledger import CHECKPOINT_ACTION, daily_checkpoint
from .messages import CHUNK, MessageDraft, messages_digest, register_digest_part
from .models import AuditEvent, MessageKind
from .registry import Registry

RUN_ACTION = "daily.run"
# Labels of the audit actions written here (registered by the core app's ``ready``).
AUDIT_ACTIONS = {
    RUN_ACTION: gettext_lazy("每日督办"),
    CHECKPOINT_ACTION: gettext_lazy("签发账本检查点"),
}
# Any fixed number: the PostgreSQL advisory lock that keeps two daily runs from overlapping. SQLite
# needs none: its transactions take the write lock when they begin (settings: IMMEDIATE).
_LOCK_KEY = 7_150_101


@dataclass(frozen=True)
class DailyStep:
    """One kind of overdue fact the daily job escalates.

    ``run(on)`` escalates what is overdue on ``on`` and returns (how many were escalated for the
    first time, the message drafts to the people who must act); it runs inside the job's
    transaction. ``key`` names its count in ``daily_run``'s answer; ``summary`` is its part of
    ``lijian escalate``'s line (``{n}`` the count); ``fact_prefix`` is the prefix of its drafts'
    keys (``task-overdue``) and ``digest_label`` what the day's digest calls such facts."""

    key: str
    run: Callable[[datetime.date], tuple[int, list[MessageDraft]]]
    summary: str
    fact_prefix: str
    digest_label: object


STEPS: Registry[DailyStep] = Registry("daily")


def register_daily_step(step: DailyStep, *, order: int, digest_order: int, audit_actions: dict) -> None:
    """Run ``step`` in every daily job at position ``order``; count its facts in the digest at
    position ``digest_order``; label the audit actions it writes (``action: label``)."""
    STEPS.register(step.key, step, order=order)
    register_digest_part(step.fact_prefix, step.digest_label, order=digest_order)
    register_actions(audit_actions)


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])


def daily_run(on: datetime.date | None = None) -> dict[str, int]:
    """Run the day's escalations for ``on`` (default today) in one transaction and record the run.

    Returns, by step key (``clues``, ``tasks`` …), how many were escalated for the first time by
    this run, then ``notices`` (facts told to someone for the first time by this run) and
    ``digests`` (the day's digest messages this run created or brought up to date: one per person
    told anything). Running it again changes nothing already done."""
    on = on or timezone.localdate()
    with transaction.atomic():
        _lock()
        return _run(on)


def daily_run_if_due(on: datetime.date | None = None) -> dict[str, int] | None:
    """``daily_run`` unless a run for ``on`` (default today) is already recorded; ``None`` then.

    Then, run or not, the day's signed ledger checkpoint (``ledger.daily_checkpoint``: written once
    a day after the run is committed, so it covers it; retried at the next check if it failed)."""
    on = on or timezone.localdate()
    with transaction.atomic():
        _lock()
        counts = None if has_run(on) else _run(on)
    daily_checkpoint(on)
    return counts


def has_run(on: datetime.date) -> bool:
    """Whether a daily run for ``on`` is recorded (each run is a ``daily.run`` event naming its day)."""
    return AuditEvent.objects.filter(action=RUN_ACTION, object_repr=on.isoformat()).exists()


def _run(on: datetime.date) -> dict[str, int]:
    counts = {}
    drafts: list[MessageDraft] = []
    for step in STEPS.values():
        counts[step.key], found = step.run(on)
        drafts += found
    counts["notices"], counts["digests"] = messages_digest(drafts, on=on)
    audit_record(actor=None, action=RUN_ACTION, after=counts, object_repr=on.isoformat())
    return counts


def summary(counts: dict[str, int]) -> str:
    """What ``lijian escalate`` says a run did, in Chinese: each step's count, then the people told."""
    parts = "，".join(step.summary.format(n=counts.get(step.key, 0)) for step in STEPS.values())
    return (
        f"新增超期督办：{parts}；通知 {counts['notices']} 人次，"
        f"汇总为当日督办消息 {counts['digests']} 条（每人每天一条）。"
    )


# --- for the steps --------------------------------------------------------------------------------


def linker(name: str):
    """``pk -> reverse(name, kwargs={"pk": pk})`` at the cost of one ``reverse`` for thousands of rows
    (the routes are plain ``<int:pk>``)."""
    marker = "987654321"
    pattern = reverse(name, kwargs={"pk": int(marker)})
    return lambda pk: pattern.replace(marker, str(pk))


def already_escalated(action: str, model, ids: Iterable[int]) -> set[int]:
    """The ids among ``ids`` whose escalation ``action`` is already in the audit ledger."""
    ids = [str(i) for i in ids]
    done: set[int] = set()
    for start in range(0, len(ids), CHUNK):
        done.update(
            int(i)
            for i in AuditEvent.objects.filter(
                action=action, object_type=model._meta.label_lower, object_id__in=ids[start : start + CHUNK]
            ).values_list("object_id", flat=True)
        )
    return done


def overdue_draft(user: int, fact: str, text: str, url: str, record: str, label: str) -> MessageDraft:
    """A draft of an overdue fact (kind "overdue") to ``user``, about ``record`` labelled ``label``."""
    return MessageDraft(user, fact, text, url, MessageKind.OVERDUE, record, label)
