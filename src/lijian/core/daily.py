"""The daily job (每日督办): escalate what is overdue and tell the people who must act.

Each day it (a) marks clues past their feedback deadline as escalated (``clues_escalate_overdue``)
and tells the receiving department's staff and the office; (b) tells the inspected organisation's
liaisons and the office of every accepted rectification task past its deadline and not done;
(c) of every inspection whose rectification report is past due and not submitted; (d) of every
self-criticism past its deadline and not submitted; (e) marks leaders' instructions past their
deadline as escalated and tells their addressee and the leader. Each escalation is audited once
(the audit event is also what marks it escalated); each person is told of each fact once
(``core.notices``), so a second run the same day, or the next day, tells nothing already told —
only new facts, or people newly given the role. What a person is told in a run reaches their inbox
as one digest for the day (``notices_digest``: "N items became overdue", listing and linking each),
not one notice per fact.

``lijian escalate`` runs it once; ``lijian escalate --daily`` (started by ``lijian serve``) runs it
once a day, recording each run as a ``daily.run`` audit event so restarts and several schedulers
never run a day twice, and then signs the day's ledger checkpoint (``ledger.daily_checkpoint``). Reads and notices take a few batched queries per kind whatever the number
(one audit insert per new escalation): about 4 s with nothing new over 10,000 overdue tasks on SQLite.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lijian.findings.services import clues_escalate_overdue, instructions_escalate_overdue
from lijian.orgs.models import InspectionBody
from lijian.rectification.choices import ReportKind, SelfCriticismStatus, TaskStatus
from lijian.rectification.models import Feedback, RectificationReport, RectificationTask, SelfCriticism

from .audit import audit_record
from .ledger import CHECKPOINT_ACTION, daily_checkpoint
from .models import AuditEvent, NoticeKind
from .notices import (
    CHUNK,
    NoticeDraft,
    department_staff_by_id,
    liaisons_by_path,
    notices_digest,
    office_staff_by_body,
    quoted,
)

RUN_ACTION = "daily.run"
# Labels of the audit actions written here (registered by the core app's ``ready``).
AUDIT_ACTIONS = {
    RUN_ACTION: gettext_lazy("每日督办"),
    CHECKPOINT_ACTION: gettext_lazy("签发账本检查点"),
    "task.overdue": gettext_lazy("整改任务超期督办"),
    "rectification_report.overdue": gettext_lazy("整改报告超期督办"),
    "self_criticism.overdue": gettext_lazy("深刻检查超期督办"),
}
# Any fixed number: the PostgreSQL advisory lock that keeps two daily runs from overlapping. SQLite
# needs none: its transactions take the write lock when they begin (settings: IMMEDIATE).
_LOCK_KEY = 7_150_101


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])


def daily_run(on: datetime.date | None = None) -> dict[str, int]:
    """Run the day's escalations for ``on`` (default today) in one transaction and record the run.

    Returns ``clues``, ``tasks``, ``reports``, ``self_criticisms``, ``instructions`` (escalated for
    the first time by this run), ``notices`` (facts told to someone for the first time by this run)
    and ``digests`` (the day's digest notices this run created or brought up to date: one per person
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
    drafts: list[NoticeDraft] = []
    for key, step in (
        ("clues", _clues),
        ("tasks", _tasks),
        ("reports", _reports),
        ("self_criticisms", _self_criticisms),
        ("instructions", _instructions),
    ):
        counts[key], found = step(on)
        drafts += found
    counts["notices"], counts["digests"] = notices_digest(drafts, on=on)
    audit_record(actor=None, action=RUN_ACTION, after=counts, object_repr=on.isoformat())
    return counts


# --- shared ---------------------------------------------------------------------------------------


def _linker(name: str):
    """``pk -> reverse(name, kwargs={"pk": pk})`` at the cost of one ``reverse`` for thousands of rows
    (the routes are plain ``<int:pk>``)."""
    marker = "987654321"
    pattern = reverse(name, kwargs={"pk": int(marker)})
    return lambda pk: pattern.replace(marker, str(pk))


def _already_escalated(action: str, model, ids: Iterable[int]) -> set[int]:
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


def _people(rows: list[dict]) -> tuple[dict[str, set[int]], dict[int, set[int]]]:
    """Liaisons by organisation path and office staff by body for the rows' ``path`` and ``body``."""
    bodies = InspectionBody.objects.filter(pk__in={r["body"] for r in rows}).select_related("owner_org")
    return liaisons_by_path({r["path"] for r in rows}), office_staff_by_body(bodies)


def _escalate(action: str, model, rows: list[dict], key: str) -> tuple[int, list[NoticeDraft]]:
    """Audit the rows escalated for the first time, and draft a notice of each row to the liaisons of
    its organisation and its body's office staff. Each row has ``pk``, ``path`` (the
    organisation's), ``body``, ``repr``, ``after``, ``text`` and ``url`` (a rectification page both
    may open). Returns (rows escalated for the first time, the drafts)."""
    if not rows:
        return 0, []
    done = _already_escalated(action, model, (r["pk"] for r in rows))
    for row in rows:
        if row["pk"] not in done:
            audit_record(
                actor=None,
                action=action,
                obj=model(pk=row["pk"]),
                object_repr=row["repr"],
                after=row["after"],
                scope_path=row["path"],
            )
    liaisons, office = _people(rows)
    drafts = []
    label = model._meta.label_lower
    for row in rows:
        fact = f"{key}:{row['pk']}"
        people = office.get(row["body"], set()) | liaisons.get(row["path"], set())
        drafts += [
            _draft(u, fact, row["text"], row["url"], f"{label}:{row['pk']}", row["repr"]) for u in people
        ]
    return len({r["pk"] for r in rows} - done), drafts


def _draft(user: int, fact: str, text: str, url: str, record: str, label: str) -> NoticeDraft:
    return NoticeDraft(user, fact, text, url, NoticeKind.OVERDUE, record, label)


# --- (a) clues ------------------------------------------------------------------------------------


def _clues(on: datetime.date) -> tuple[int, list[NoticeDraft]]:
    """Clues escalated today; their department's staff and the office are told (a liaison never
    hears of clues)."""
    clues = clues_escalate_overdue(today=on)
    if not clues:
        return 0, []
    staff = department_staff_by_id({c.department_id for c in clues})
    office = office_staff_by_body({c.inspection.round.body for c in clues})
    drafts = []
    for clue in clues:
        text = _("移交线索超期未反馈：%(ref)s（%(dept)s，%(org)s），反馈期限 %(due)s。") % {
            "ref": clue.ref,
            "dept": clue.department.name,
            "org": clue.inspection.organization.name,
            "due": clue.due_on.isoformat(),
        }
        people = staff.get(clue.department_id, set()) | office.get(clue.inspection.round.body_id, set())
        fact, record = f"clue-overdue:{clue.pk}", f"findings.clue:{clue.pk}"
        drafts += [_draft(u, fact, text, clue.get_absolute_url(), record, clue.ref) for u in people]
    return len(clues), drafts


# --- (b) rectification tasks ----------------------------------------------------------------------


def _tasks(on: datetime.date) -> tuple[int, list[NoticeDraft]]:
    """Accepted tasks past their deadline and neither done nor long-term."""
    overdue = RectificationTask.objects.filter(
        accepted_at__isnull=False,
        deadline__lt=on,
        status__in=[TaskStatus.PLANNED, TaskStatus.IN_PROGRESS],
    ).values_list(
        "pk",
        "deadline",
        "measure",
        "problem_id",
        "problem__ref",
        "problem__inspection__organization__path",
        "problem__inspection__organization__name",
        "problem__inspection__round__body_id",
    )
    link = _linker("rectification:problem")
    rows = []
    for pk, deadline, measure, problem, ref, path, org, body in overdue.iterator(chunk_size=2000):
        rows.append(
            {
                "pk": pk,
                "path": path,
                "body": body,
                "url": link(problem),
                "repr": f"{ref} · {quoted(measure, 30)}",
                "after": {"deadline": deadline.isoformat(), "on": on.isoformat()},
                "text": _(
                    "整改任务超期：%(org)s，问题 %(ref)s 的整改任务“%(measure)s”，完成时限 %(deadline)s，尚未完成。"
                )
                % {"org": org, "ref": ref, "measure": quoted(measure, 60), "deadline": deadline.isoformat()},
            }
        )
    return _escalate("task.overdue", RectificationTask, rows, "task-overdue")


# --- (c) rectification reports --------------------------------------------------------------------


def _reports(on: datetime.date) -> tuple[int, list[NoticeDraft]]:
    """Feedback whose rectification report is past due with no 整改情况报告 submitted."""
    submitted = RectificationReport.objects.filter(
        inspection=OuterRef("inspection"), kind=ReportKind.RECTIFICATION
    )
    overdue = (
        Feedback.objects.filter(report_due__lt=on)
        .filter(~Exists(submitted))
        .values_list(
            "pk",
            "inspection_id",
            "report_due",
            "inspection__organization__path",
            "inspection__organization__name",
            "inspection__round__body_id",
        )
    )
    link = _linker("rectification:inspection")
    rows = [
        {
            "pk": pk,
            "path": path,
            "body": body,
            "url": link(inspection),
            "repr": _("%(org)s 整改情况报告") % {"org": org},
            "after": {"report_due": due.isoformat(), "on": on.isoformat()},
            "text": _("整改报告超期：%(org)s应于 %(due)s 前报送整改情况报告，至今未报送。")
            % {"org": org, "due": due.isoformat()},
        }
        for pk, inspection, due, path, org, body in overdue
    ]
    return _escalate("rectification_report.overdue", Feedback, rows, "report-overdue")


# --- (d) self-criticisms --------------------------------------------------------------------------


def _self_criticisms(on: datetime.date) -> tuple[int, list[NoticeDraft]]:
    """Self-criticisms past their deadline and not submitted (still due, or returned for rewriting)."""
    overdue = SelfCriticism.objects.filter(
        status__in=[SelfCriticismStatus.DUE, SelfCriticismStatus.RETURNED], due_on__lt=on
    ).values_list("pk", "due_on", "organization__path", "organization__name", "body_id", "status")
    link = _linker("rectification:self_criticism")
    rows = [
        {
            "pk": pk,
            "path": path,
            "body": body,
            "url": link(pk),
            "repr": _("%(org)s 深刻检查") % {"org": org},
            "after": {"due_on": due.isoformat(), "on": on.isoformat()},
            "text": (
                _("深刻检查超期：%(org)s的深刻检查被退回后，应于 %(due)s 前重新提交，至今未提交。")
                if status == SelfCriticismStatus.RETURNED
                else _("深刻检查超期：%(org)s应于 %(due)s 前提交深刻检查，至今未提交。")
            )
            % {"org": org, "due": due.isoformat()},
        }
        for pk, due, path, org, body, status in overdue
    ]
    return _escalate("self_criticism.overdue", SelfCriticism, rows, "self-criticism-overdue")


# --- (e) leaders' instructions --------------------------------------------------------------------


def _instructions(on: datetime.date) -> tuple[int, list[NoticeDraft]]:
    """Instructions escalated today; their addressee and the leader who gave them are told."""
    instructions = instructions_escalate_overdue(today=on)
    drafts = []
    for instruction in instructions:
        subject = instruction.subject
        text = _(
            "批示落实超期：%(leader)s对“%(subject)s”的批示“%(text)s”，落实期限 %(due)s，尚未报送落实情况。"
        ) % {
            "leader": instruction.leader.display_name,
            "subject": subject,
            "text": quoted(instruction.text, 60),
            "due": instruction.deadline.isoformat(),
        }
        people = {instruction.leader_id} | ({instruction.addressee_id} if instruction.addressee_id else set())
        fact, record = f"instruction-overdue:{instruction.pk}", f"findings.instruction:{instruction.pk}"
        url = subject.get_absolute_url() + "#instructions"
        drafts += [_draft(u, fact, text, url, record, str(subject)) for u in people]
    return len(instructions), drafts
