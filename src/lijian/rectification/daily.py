"""The rectification app's steps of the daily job (``core.daily``).

Each day it tells the inspected organisation's liaisons and the office of every accepted
rectification task past its deadline and not done; of every inspection whose rectification report
is past due and not submitted; of every self-criticism past its deadline and not submitted; and it
marks leaders' instructions past their deadline as escalated and tells their addressee and the
leader. Each escalation is audited once.
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lijian.accounts.recipients import liaisons_by_path, office_staff_by_body
from lijian.core.audit import audit_record
from lijian.core.daily import DailyStep, already_escalated, linker, overdue_draft
from lijian.core.messages import MessageDraft, quoted, record_of
from lijian.orgs.models import InspectionBody

from .choices import ReportKind, SelfCriticismStatus, TaskStatus
from .instructions.services import instructions_escalate_overdue
from .models import Feedback, RectificationReport, RectificationTask, SelfCriticism

# --- shared ---------------------------------------------------------------------------------------


def _people(rows: list[dict]) -> tuple[dict[str, set[int]], dict[int, set[int]]]:
    """Liaisons by organisation path and office staff by body for the rows' ``path`` and ``body``."""
    bodies = InspectionBody.objects.filter(pk__in={r["body"] for r in rows}).select_related("owner_org")
    return liaisons_by_path({r["path"] for r in rows}), office_staff_by_body(bodies)


def _escalate(action: str, model, rows: list[dict], key: str) -> tuple[int, list[MessageDraft]]:
    """Audit the rows escalated for the first time, and draft a notice of each row to the liaisons of
    its organisation and its body's office staff. Each row has ``pk``, ``path`` (the
    organisation's), ``body``, ``repr``, ``after``, ``text`` and ``url`` (a rectification page both
    may open). Returns (rows escalated for the first time, the drafts)."""
    if not rows:
        return 0, []
    done = already_escalated(action, model, (r["pk"] for r in rows))
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
            overdue_draft(u, fact, row["text"], row["url"], f"{label}:{row['pk']}", row["repr"])
            for u in people
        ]
    return len({r["pk"] for r in rows} - done), drafts


# --- rectification tasks --------------------------------------------------------------------------


def tasks_overdue(on: datetime.date) -> tuple[int, list[MessageDraft]]:
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
    link = linker("rectification:problem")
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


# --- rectification reports ------------------------------------------------------------------------


def reports_overdue(on: datetime.date) -> tuple[int, list[MessageDraft]]:
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
    link = linker("rectification:inspection")
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


# --- self-criticisms ------------------------------------------------------------------------------


def self_criticisms_overdue(on: datetime.date) -> tuple[int, list[MessageDraft]]:
    """Self-criticisms past their deadline and not submitted (still due, or returned for rewriting)."""
    overdue = SelfCriticism.objects.filter(
        status__in=[SelfCriticismStatus.DUE, SelfCriticismStatus.RETURNED], due_on__lt=on
    ).values_list("pk", "due_on", "organization__path", "organization__name", "body_id", "status")
    link = linker("rectification:self_criticism")
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


# --- leaders' instructions ------------------------------------------------------------------------


def instructions_overdue(on: datetime.date) -> tuple[int, list[MessageDraft]]:
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
        fact, record = f"instruction-overdue:{instruction.pk}", record_of(instruction)
        url = subject.get_absolute_url() + "#instructions"
        drafts += [overdue_draft(u, fact, text, url, record, str(subject)) for u in people]
    return len(instructions), drafts


STEPS = (
    # (step, order in the job, order in the digest)
    (DailyStep("tasks", tasks_overdue, "整改任务 {n} 项", "task-overdue", gettext_lazy("整改任务")), 20, 10),
    (
        DailyStep("reports", reports_overdue, "整改报告 {n} 份", "report-overdue", gettext_lazy("整改报告")),
        30,
        20,
    ),
    (
        DailyStep(
            "self_criticisms",
            self_criticisms_overdue,
            "深刻检查 {n} 份",
            "self-criticism-overdue",
            gettext_lazy("深刻检查"),
        ),
        40,
        30,
    ),
    (
        DailyStep(
            "instructions",
            instructions_overdue,
            "领导批示 {n} 件",
            "instruction-overdue",
            gettext_lazy("领导批示"),
        ),
        50,
        50,
    ),
)
# Labels of the audit actions the steps write (besides the instructions', registered with them).
AUDIT_ACTIONS = {
    "task.overdue": gettext_lazy("整改任务超期督办"),
    "rectification_report.overdue": gettext_lazy("整改报告超期督办"),
    "self_criticism.overdue": gettext_lazy("深刻检查超期督办"),
}
