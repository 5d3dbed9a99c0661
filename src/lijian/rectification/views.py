"""Pages of rectification: the overview of rates, one inspection's plan, one problem's tasks and
moves, feedback, reports and evidence. Every write goes through ``services``."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lijian.core.audit import audit_record
from lijian.core.forms import add_service_errors, form_page
from lijian.core.lists import EXPORT, EXPORT_FORMATS
from lijian.core.params import BadParameter, filter_status, query_date, shown
from lijian.core.permissions import Perm, requires
from lijian.documents import attachments
from lijian.documents.exports import export_response
from lijian.documents.models import Attachment
from lijian.findings.choices import PROBLEM_TRANSITIONS
from lijian.inspections import selectors as inspection_selectors

from . import selectors, services, tables, word_papers
from .choices import ReportKind, TaskEventAction, TaskReview, TaskStatus
from .forms import (
    DoneForm,
    FeedbackForm,
    MoveForm,
    ProgressForm,
    RatesFilterForm,
    ReportForm,
    ReturnForm,
    TaskChangeForm,
    TaskForm,
)
from .liaison_views import liaisons_of
from .models import RectificationReport
from .rates import (
    IN_PERIOD,
    organizations_below,
    organizations_in_period,
    rates_by_organization,
    rectification_rates,
)
from .rates import standing as rate_standing
from .reporting import report_submit as submit
from .reporting import task_progress_report
from .word_papers import feedback_document as render_feedback

FORM = "rectification/form.html"
TASK_FORM = "rectification/task_form.html"
QUEUE_LABELS = {
    "to_accept": gettext_lazy("待审核的整改任务"),
    "to_close": gettext_lazy("已报完成、待对账销号的问题"),
    "without_tasks": gettext_lazy("尚未制定整改任务的问题"),
    "returned": gettext_lazy("被退回、待修改的整改任务"),
    "overdue": gettext_lazy("逾期未完成的整改任务"),
}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _error(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def _reference_date(request) -> datetime.date:
    """The reference date asked for (``?on=``), else today; an invalid one is refused (400)."""
    return query_date(request, "on", label=_("参考日期")) or timezone.localdate()


# --- overview ---------------------------------------------------------------------------------------


@requires(Perm.RECTIFICATION_VIEW)
def index(request):
    """Every fed-back organisation the user may see, with both rates at the reference date."""
    bodies = selectors.bodies_fed_back(request.user)
    form = RatesFilterForm(request.GET or None, bodies=bodies)
    on = timezone.localdate()
    body = None
    if form.is_valid():
        on = form.cleaned_data["on"] or on
        body = form.cleaned_data["body"]
    if body is None:
        body = bodies.first()
    inspections = selectors.inspections_fed_back(request.user).filter(feedback__held_on__lte=on)
    if body is not None:
        inspections = inspections.filter(round__body=body)
    inspections = inspections.annotate(
        problem_count=Count("problems", filter=Q(problems__review="approved"), distinct=True)
    )
    rates: dict = {}
    for inspection in inspections:
        key = (inspection.round.body, inspection.round.term)
        if key not in rates:
            found = rates_by_organization(*key, on)
            # the line and the period are decided once, in ``rates``, as everywhere else
            rates[key] = (found, organizations_below(*key, on, found), organizations_in_period(*key, on))
    rows = []
    for inspection in inspections:
        found, below, in_period = rates[(inspection.round.body, inspection.round.term)]
        org = inspection.organization_id
        if org not in found:
            continue
        rows.append(
            {
                "inspection": inspection,
                "completion": found[org]["completion_rate"],
                "implementation": found[org]["implementation_rate"],
                "below": org in below,
                "in_period": org in in_period,
            }
        )
    rows.sort(key=lambda r: (r["implementation"].value, r["inspection"].organization.code))
    fmt = request.GET.get(EXPORT, "")
    if fmt and fmt not in EXPORT_FORMATS:
        raise BadParameter(_("链接中的导出格式“%(value)s”无效。") % {"value": shown(fmt)})
    if fmt and filter_status(form) == 200:  # the rows as listed; a refused filter: the page, 400
        return export_response(fmt, tables.RATES, rows, "rectification-rates")
    asked = {k: v for k, v in request.GET.items() if k != EXPORT}
    queue = [
        (key, QUEUE_LABELS[key], items.count(), items.order_by("pk")[:10])
        for key, items in selectors.work_queue(request.user, timezone.localdate()).items()
    ]
    return render(
        request,
        "rectification/index.html",
        {
            "form": form,
            "rows": rows,
            "body": body,
            "on": on,
            "below": sum(r["below"] for r in rows),
            "queue": [q for q in queue if q[2]],
            "export_links": {f: urlencode({**asked, EXPORT: f}) for f in EXPORT_FORMATS}
            if filter_status(form) == 200
            else {},
        },
        status=filter_status(form),
    )


# --- one inspection ---------------------------------------------------------------------------------


@requires(Perm.RECTIFICATION_VIEW)
def inspection_detail(request, pk: int):
    inspection = selectors.inspection_get(request.user, pk)
    on = _reference_date(request)
    body, term = inspection.round.body, inspection.round.term
    problems = (
        selectors.problems_in_rectification(request.user)
        .filter(inspection=inspection)
        .annotate(
            task_count=Count("tasks", distinct=True),
            tasks_done=Count("tasks", filter=Q(tasks__status__in=["done", "long_term"]), distinct=True),
            tasks_pending=Count("tasks", filter=Q(tasks__accepted_at__isnull=True), distinct=True),
            last_deadline=Max("tasks__deadline"),
        )
        .order_by("ref")
    )
    reports = {r.kind: r for r in RectificationReport.objects.filter(inspection=inspection)}
    user = request.user
    rates = rectification_rates(inspection.organization, body, term, on)
    return render(
        request,
        "rectification/inspection.html",
        {
            "inspection": inspection,
            "feedback": inspection.feedback,
            "rates": rates.values(),
            "standing": rate_standing(inspection, rates["implementation_rate"], on),
            "in_period_help": IN_PERIOD,
            "threshold": body.rectification_threshold,
            "on": on,
            "today": timezone.localdate(),
            "problems": problems,
            "reports": [(kind, label, reports.get(kind)) for kind, label in ReportKind.choices],
            "can_edit": selectors.can_edit_plan(user, inspection),
            "can_verify": selectors.can_verify(user, inspection),
            "is_office": selectors.is_office_managing(user, body),
            "liaisons": liaisons_of(inspection.organization),
            "supervisions": selectors.supervisions_visible(user).filter(organization=inspection.organization),
            "interviews": selectors.interviews_visible(user).filter(organization=inspection.organization),
            "accountability": selectors.accountability_visible(user).filter(
                organization=inspection.organization
            ),
            "evaluations": selectors.evaluations_visible(user).filter(
                organization=inspection.organization, body=body, term=term
            ),
            "disclosures": inspection.disclosures.all(),
        },
    )


@requires(Perm.ROUND_MANAGE)
def feedback_give(request, pk: int):
    """The feedback form, for the office of the inspection's body."""
    inspection = inspection_selectors.inspection_get(request.user, pk, selectors.FEEDBACK_GIVE)
    form = FeedbackForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda data: services.feedback_give(actor=request.user, inspection=inspection, **data),
        success=_("已反馈：问题进入整改，整改报告期限已开始计算。"),
        done=lambda feedback: reverse("rectification:inspection", args=[inspection.pk]),
        template=FORM,
        context={
            "title": _("反馈：%(org)s") % {"org": inspection.organization.name},
            "inspection": inspection,
            "back": reverse("inspections:inspection", args=[inspection.pk]),
        },
    )


def _docx(content: bytes, name: str, *, request, obj, scope_path: str) -> HttpResponse:
    """The document as a download; each download is an audit event (who took which document)."""
    audit_record(
        actor=request.user, action="document.download", obj=obj, after={"file": name}, scope_path=scope_path
    )
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@requires(Perm.RECTIFICATION_VIEW)
def feedback_document(request, pk: int):
    inspection = selectors.inspection_get(request.user, pk)
    return _docx(
        render_feedback(inspection.feedback),
        f"feedback-{inspection.pk}.docx",
        request=request,
        obj=inspection.feedback,
        scope_path=inspection.organization.path,
    )


@requires(Perm.RECTIFICATION_EDIT)
def report_submit(request, pk: int, kind: str):
    if kind not in ReportKind.values:
        raise Http404
    inspection = selectors.inspection_get(request.user, pk, selectors.REPORT_SUBMIT)
    if RectificationReport.objects.filter(inspection=inspection, kind=kind).exists():
        messages.info(request, _("%(kind)s已经报送。") % {"kind": ReportKind(kind).label})
        return redirect(reverse("rectification:inspection", args=[inspection.pk]) + "#reports")
    form = ReportForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda data: submit(
            actor=request.user,
            inspection=inspection,
            kind=kind,
            text=data["text"],
            signed_by=data["signed_by"],
            on=data["on"],
        ),
        success=_("报告已报送。"),
        done=lambda report: reverse("rectification:inspection", args=[inspection.pk]),
        template=FORM,
        context={
            "title": f"{ReportKind(kind).label}：{inspection.organization.name}",
            "inspection": inspection,
            "back": reverse("rectification:inspection", args=[inspection.pk]),
        },
    )


@requires(Perm.RECTIFICATION_VIEW)
def report_document(request, pk: int):
    report = RectificationReport.objects.filter(
        pk=pk, inspection__in=selectors.inspections_fed_back(request.user).values("pk")
    ).first()
    if report is None:
        raise Http404
    render_it = (
        word_papers.rectification_report_document
        if report.kind == ReportKind.RECTIFICATION
        else word_papers.top_leader_report_document
    )
    return _docx(
        render_it(report),
        f"{report.kind}-report-{report.inspection_id}.docx",
        request=request,
        obj=report,
        scope_path=report.inspection.organization.path,
    )


# --- one problem -----------------------------------------------------------------------------------


@requires(Perm.RECTIFICATION_VIEW)
def problem_detail(request, pk: int):
    problem = selectors.problem_get(request.user, pk)
    inspection = problem.inspection
    tasks = list(problem.tasks.prefetch_related("progress", "events__actor").order_by("deadline", "pk"))
    files = Attachment.objects.filter(
        owner_type="rectification.rectificationtask", owner_id__in=[t.pk for t in tasks]
    ).order_by("uploaded_at")
    by_task: dict[int, list] = {}
    for f in files:
        by_task.setdefault(f.owner_id, []).append(f)
    for task in tasks:
        task.files = by_task.get(task.pk, [])
    can_edit = selectors.can_edit_plan(request.user, inspection)
    can_verify = selectors.can_verify(request.user, inspection)

    unfinished = any(t.status not in ("done", "long_term") for t in tasks)
    long_term = any(t.kind == "long_term" for t in tasks)
    # moves the services would refuse in any case are not offered
    impossible = {"close": unfinished, "report_done": unfinished or not tasks, "stage_met": not long_term}
    moves = [
        (action, label)
        for action, (target, label, side) in services.PROBLEM_MOVES.items()
        if PROBLEM_TRANSITIONS.can(problem.status, target)
        and not impossible.get(action)
        and ((side == "liaison" and can_edit) or (side == "inspection" and can_verify))
    ]
    return render(
        request,
        "rectification/problem.html",
        {
            "problem": problem,
            "inspection": inspection,
            "tasks": tasks,
            "events": problem.events.select_related("actor").order_by("on", "pk"),
            "can_edit": can_edit,
            "can_verify": can_verify,
            "moves": moves,
            "task_form": TaskForm(prefix="new") if can_edit else None,
            "today": timezone.localdate(),
            "TaskStatus": TaskStatus,
        },
    )


@requires(Perm.RECTIFICATION_EDIT)
def task_add(request, pk: int):
    problem = selectors.problem_get(request.user, pk, selectors.LIAISON_SIDE)
    form = TaskForm(request.POST or None, prefix="new")
    return form_page(
        request,
        form,
        lambda data: services.task_add(actor=request.user, problem=problem, **data),
        success=_("整改任务已制定，待巡视巡察一方审核。"),
        done=lambda task: reverse("rectification:problem", args=[problem.pk]) + "#tasks",
        template=FORM,
        context={
            "title": _("制定整改任务：%(ref)s") % {"ref": problem.ref},
            "back": reverse("rectification:problem", args=[problem.pk]),
        },
    )


@requires(Perm.RECTIFICATION_VIEW)
def task_action(request, pk: int, action: str):
    """Accept (inspection side), change, report progress with evidence, or complete (liaison)."""
    task = selectors.task_get(request.user, pk)
    back = reverse("rectification:problem", args=[task.problem_id]) + f"#task-{task.pk}"
    if action in ("accept", "return") and request.method == "POST":
        selectors.INSPECTION_SIDE.check(request.user, task.problem)
    if action == "accept":
        if request.method != "POST":
            return redirect(back)
        try:
            services.task_accept(actor=request.user, task=task)
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("整改任务已审核通过。"))
        return redirect(back)
    if action == "return":
        return _task_return(request, task, back)
    forms = {"change": TaskChangeForm, "progress": ProgressForm, "complete": DoneForm}
    if action not in forms:
        raise Http404
    selectors.LIAISON_SIDE.check(request.user, task.problem)
    initial = {"measure": task.measure, "deadline": task.deadline} if action == "change" else None
    form = forms[action](request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            _task_do(request, task, action, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc, field="evidence" if action == "progress" else None)
        else:
            return redirect(back)
    titles = {"change": _("修改整改任务"), "progress": _("报送整改进展"), "complete": _("整改任务完成")}
    # the task's problem, where the page sits, and (when returned) what the inspection side asked for
    returned = None
    if task.review == TaskReview.RETURNED:
        returned = task.events.filter(action=TaskEventAction.RETURNED).select_related("actor").last()
    return render(
        request,
        TASK_FORM,
        {
            "form": form,
            "title": f"{titles[action]}：{Truncator(task.measure).chars(40)}",
            "multipart": True,
            "back": back,
            "task": task,
            "problem": task.problem,
            "inspection": task.problem.inspection,
            "returned": returned,
        },
    )


def _task_return(request, task, back: str):
    """The inspection side returns a task with its comment (POST only; the form is on the page)."""
    if request.method != "POST":
        return redirect(back)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请写明退回意见。"))
        return redirect(back)
    try:
        services.task_return(actor=request.user, task=task, comment=form.cleaned_data["comment"])
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("整改任务已退回，联络员已收到通知。"))
    return redirect(back)


def _task_do(request, task, action: str, data: dict) -> None:
    if action == "change":
        services.task_change(
            actor=request.user, task=task, measure=data["measure"], deadline=data["deadline"]
        )
        messages.success(request, _("整改任务已修改，须重新审核。"))
    elif action == "progress":
        task_progress_report(
            actor=request.user, task=task, on=data["on"], text=data["text"], evidence=data["evidence"]
        )
        messages.success(request, _("整改进展已报送。"))
    else:
        services.task_complete(actor=request.user, task=task, on=data["on"])
        messages.success(request, _("整改任务已标记完成。"))


@requires(Perm.RECTIFICATION_VIEW)
@require_POST
def problem_move(request, pk: int, action: str):
    problem = selectors.problem_get(request.user, pk)
    if action not in services.PROBLEM_MOVES:
        raise Http404
    side = services.PROBLEM_MOVES[action][2]
    (selectors.LIAISON_SIDE if side == "liaison" else selectors.INSPECTION_SIDE).check(request.user, problem)
    form = MoveForm(request.POST)
    back = reverse("rectification:problem", args=[problem.pk])
    if not form.is_valid():
        messages.error(request, _("请填写正确的日期。"))
        return redirect(back)
    try:
        services.problem_move(
            actor=request.user,
            problem=problem,
            action=action,
            on=form.cleaned_data["on"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("问题状态已更新为“%(s)s”。") % {"s": problem.get_status_display()})
    return redirect(back)


@requires(Perm.RECTIFICATION_VIEW)
def evidence_download(request, pk: int):
    attachment = Attachment.objects.filter(pk=pk, owner_type="rectification.rectificationtask").first()
    if attachment is None:
        raise Http404
    return attachments.attachment_response(actor=request.user, attachment=attachment)  # 404 unless visible
