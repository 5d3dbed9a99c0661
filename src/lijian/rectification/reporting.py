"""What the inspected organisation reports back: progress on each task of its plan, and the two
reports of an inspection (整改情况报告, 主要负责人组织落实情况报告), plus the overdue-report check the
daily escalation job runs.

Both writes are the liaison's (the same permission as the plan's tasks: ``RECTIFICATION_EDIT`` over the
inspected organisation). A report is a formal document: one of each kind per inspection, submitted
once — a second submission of the same kind is refused, not merged, so the text the inspection side
received and the date it arrived (what the deadline is judged by) never change afterwards.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lijian.core.audit import audit_record, create_audited
from lijian.documents import attachments
from lijian.inspections.models import Inspection

from . import selectors
from .choices import TASK_TRANSITIONS, ReportKind, TaskStatus
from .models import Feedback, RectificationReport, RectificationTask, TaskProgress
from .validators import check_not_future

# A report shorter than this is not a report; the liaison is told the minimum.
REPORT_MIN_CHARS = 50


def _check_day(day: datetime.date, feedback: Feedback, field: str) -> None:
    check_not_future(day, field)
    if day < feedback.held_on:
        raise ValidationError(
            {field: _("日期不能早于巡视巡察反馈日期（%(day)s）。") % {"day": feedback.held_on}}
        )


def _feedback_of(inspection) -> Feedback | None:
    return Feedback.objects.filter(inspection=inspection).first()


@transaction.atomic
def task_progress_report(
    *, actor, task: RectificationTask, on: datetime.date, text: str, evidence=None
) -> TaskProgress:
    """The inspected organisation's liaison reports progress on an accepted task of its plan, with
    the uploaded ``evidence`` file, if any, stored on the task in the same transaction. The first
    report moves a planned task to "in progress"; a long-term task keeps its status and goes on
    taking reports.

    Raises ``PermissionDenied`` unless the actor is the liaison of the task's organisation, and
    ``ValidationError`` (nothing written) for a file ``attachments.check_upload`` refuses (on
    ``evidence``, said first), an empty text, a date in the future or before the feedback, a task
    not yet accepted (or changed and not accepted again), or a task already done."""
    if evidence:
        attachments.evidence_check(evidence)
    problem = task.problem
    selectors.LIAISON_SIDE.check(actor, problem)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("请填写整改进展情况。")})
    if task.accepted_at is None:
        raise ValidationError(_("整改任务尚未审核通过，不能报送进展。"))
    if task.status == TaskStatus.DONE:
        raise ValidationError(_("该整改任务已完成，不再报送进展。"))
    feedback = _feedback_of(problem.inspection)
    if feedback is None:  # an accepted task implies feedback; guard the invariant anyway
        raise ValidationError(_("尚未反馈，不能报送整改进展。"))
    _check_day(on, feedback, "on")
    before = task.status
    if task.status == TaskStatus.PLANNED:
        TASK_TRANSITIONS.check(task.status, TaskStatus.IN_PROGRESS)
        task.status = TaskStatus.IN_PROGRESS
        task.save(update_fields=["status"])
    item = TaskProgress(task=task, on=on, text=text, actor=actor)
    item.full_clean()
    item.save()
    audit_record(
        actor=actor,
        action="task.progress",
        obj=item,
        before={"status": before},
        after={"task": task.pk, "on": on.isoformat(), "status": task.status},
        scope_path=problem.inspection.organization.path,
    )
    if evidence:
        attachments.evidence_add(actor=actor, owner=task, upload=evidence)
    return item


@transaction.atomic
def report_submit(
    *,
    actor,
    inspection,
    kind: str,
    text: str,
    signed_by: str,
    on: datetime.date | None = None,
) -> RectificationReport:
    """The liaison of the inspected organisation submits the inspection's 整改情况报告
    (``ReportKind.RECTIFICATION``) or 主要负责人组织落实情况报告 (``ReportKind.TOP_LEADER``),
    dated ``on`` (today by default). One of each kind per inspection, submitted once.

    Raises ``PermissionDenied`` unless the actor is that organisation's liaison, and ``ValidationError``
    (nothing written) before the feedback, for an unknown kind, a text under ``REPORT_MIN_CHARS``
    characters, no signature, a date in the future or before the feedback, or a second report of
    the same kind."""
    selectors.REPORT_SUBMIT.check(actor, inspection)
    if kind not in ReportKind.values:
        raise ValidationError({"kind": _("未知的报告类型。")})
    feedback = _feedback_of(inspection)
    if feedback is None:
        raise ValidationError(_("尚未反馈，不能报送整改报告。"))
    text, signed_by = text.strip(), signed_by.strip()
    if len(text) < REPORT_MIN_CHARS:
        raise ValidationError({"text": _("请写明整改情况（至少 %(n)s 个字）。") % {"n": REPORT_MIN_CHARS}})
    if not signed_by:
        raise ValidationError({"signed_by": _("请填写署名。")})
    on = on or timezone.localdate()
    _check_day(on, feedback, "on")
    earlier = RectificationReport.objects.filter(inspection=inspection, kind=kind).first()
    if earlier is not None:
        # Refused rather than overwritten: the office must see the report it received, on the date
        # it arrived; a correction goes to the office in writing.
        raise ValidationError(
            _("本次巡视巡察的%(kind)s已于%(day)s报送，不能重复报送。")
            % {"kind": ReportKind(kind).label, "day": earlier.submitted_on}
        )
    report = RectificationReport(
        inspection=inspection,
        kind=kind,
        text=text,
        signed_by=signed_by,
        submitted_on=on,
        submitted_by=actor,
    )
    create_audited(
        actor=actor,
        instance=report,
        action="report.submit",
        fields=("inspection", "kind", "signed_by", "submitted_on"),
        scope_path=inspection.organization.path,
    )
    return report


def reports_overdue(on: datetime.date, body=None) -> QuerySet[Inspection]:
    """The inspections (of ``body``, or of every body) whose rectification report was due before
    ``on`` (``feedback.report_due < on``) and had not been submitted by ``on``: a report submitted
    late stops being overdue from its submission date.

    For the daily escalation job, which acts for the system, so it is not restricted to a user;
    pages must not list its result without a selector's scope."""
    submitted = RectificationReport.objects.filter(
        inspection=OuterRef("pk"), kind=ReportKind.RECTIFICATION, submitted_on__lte=on
    )
    rows = Inspection.objects.filter(feedback__report_due__lt=on).exclude(Exists(submitted))
    if body is not None:
        rows = rows.filter(round__body=body)
    return rows.select_related("feedback", "organization", "round__body").order_by(
        "feedback__report_due", "pk"
    )
