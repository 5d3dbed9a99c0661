"""Pages for problems (问题台账), clues and their transfer, and evidence."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lijian.core.audit import audit_record
from lijian.core.forms import add_service_errors, changed
from lijian.core.lists import CURSOR, EXPORT, EXPORT_FORMATS, SORT, filtered, list_page
from lijian.core.params import query_id
from lijian.core.permissions import Perm, requires
from lijian.core.registry import panels_render
from lijian.documents import attachments
from lijian.documents.models import Attachment
from lijian.inspections import selectors as inspection_selectors

from . import selectors, services, tables, validators
from .choices import ClueStatus, Review
from .filters import ClueFilter, ProblemFilter
from .forms import (
    AcceptForm,
    AttachmentForm,
    ClueForm,
    FeedbackForm,
    ProblemEditForm,
    ProblemForm,
    ReasonForm,
    TransferForm,
)
from .models import Clue
from .sheets import handover_sheet

FORM = "findings/form.html"


def _error(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


# --- problems -------------------------------------------------------------------------------------


@requires(Perm.FINDINGS_VIEW)
def problems(request):
    rows = selectors.problems_visible(request.user)
    filters = ProblemFilter(request.GET or None, bodies=selectors.bodies_with_problems(request.user))
    return list_page(request, tables.PROBLEMS, rows, filterset=filters)


@requires(Perm.FINDINGS_RECORD)
def problem_create(request, pk: int):
    inspection = inspection_selectors.inspection_get(request.user, pk, selectors.PROBLEM_RECORD)
    title = _("记录问题：%(org)s") % {"org": inspection.organization.name}
    # Said before anything is filled: the stage the service would refuse the problem in.
    refusal = validators.problem_stage_refusal(inspection)
    if refusal:
        return render(request, FORM, {"refusal": refusal, "inspection": inspection, "title": title})
    form = ProblemForm(
        request.POST or None,
        request.FILES or None,
        inspection=inspection,
        initial={"found_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            problem = services.problem_record(actor=request.user, inspection=inspection, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)  # an error naming no field goes above the form
        else:
            messages.success(request, _("问题已记录（草稿），请组长审定。"))
            return redirect(problem.get_absolute_url())
    return render(request, FORM, {"form": form, "inspection": inspection, "multipart": True, "title": title})


@requires(Perm.FINDINGS_VIEW)
def problem_detail(request, pk: int):
    problem = selectors.problem_get(request.user, pk)
    inspection = problem.inspection
    can_record = selectors.can_record_findings(request.user, inspection)
    context = {
        "problem": problem,
        "files": attachments.attachments_of(problem),
        "clues": selectors.clues_visible(request.user).filter(problem=problem),
        "can_edit": can_record and problem.review == Review.DRAFT,
        "can_record": can_record,
        "can_attach": attachments.can_add(request.user, problem),
        "can_approve": selectors.can_approve_problems(request.user, inspection),
        "attachment_form": AttachmentForm(),
        "reason_form": ReasonForm(),
    }
    context["panels"] = panels_render("findings.problem", request, problem, context)
    return render(request, "findings/problem.html", context)


@requires(Perm.FINDINGS_RECORD)
def problem_edit(request, pk: int):
    problem = selectors.problem_get(request.user, pk, selectors.PROBLEM_EDIT)
    fields = [f for f in ProblemEditForm.base_fields if f != "evidence"]
    form = ProblemEditForm(
        request.POST or None, inspection=problem.inspection, initial={f: getattr(problem, f) for f in fields}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.problem_update(actor=request.user, problem=problem, **changed(form, problem, fields))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect(problem.get_absolute_url())
    return render(
        request,
        FORM,
        {
            "form": form,
            "title": _("修改问题 %(ref)s") % {"ref": problem.ref},
            "back": problem.get_absolute_url(),
        },
    )


@requires(Perm.FINDINGS_RECORD)
@require_POST
def problem_review(request, pk: int, action: str):
    problem = selectors.problem_get(request.user, pk, selectors.PROBLEM_REVIEW)
    try:
        if action == "approve":
            services.problem_approve(actor=request.user, problem=problem)
            messages.success(request, _("问题已审定，可写入巡视巡察报告。"))
        elif action == "unapprove":
            services.problem_unapprove(
                actor=request.user, problem=problem, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("已撤回审定。"))
        else:
            messages.error(request, _("未知的操作。"))
    except ValidationError as exc:
        _error(request, exc)
    return redirect(problem.get_absolute_url())


# --- clues ----------------------------------------------------------------------------------------


@requires(Perm.FINDINGS_RECORD)
def clue_create(request, pk: int):
    inspection = inspection_selectors.inspection_get(request.user, pk, selectors.CLUE_RECORD)
    problem_id = query_id(request, "problem", label=_("相关问题"))
    form = ClueForm(
        request.POST or None,
        inspection=inspection,
        departments=selectors.departments_for(inspection),
        initial={"problem": problem_id},
    )
    if problem_id is not None and not form.fields["problem"].queryset.filter(pk=problem_id).exists():
        raise Http404(_("本次巡视巡察没有这个问题。"))
    if request.method == "POST" and form.is_valid():
        try:
            clue = services.clue_record(actor=request.user, inspection=inspection, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("线索已记录，待巡视巡察办移交。"))
            return redirect(clue.get_absolute_url())
    return render(
        request,
        FORM,
        {
            "form": form,
            "inspection": inspection,
            "title": _("记录问题线索：%(org)s") % {"org": inspection.organization.name},
        },
    )


@requires(Perm.CLUE_VIEW)
def clues(request):
    """Clues the user may see: the office and groups their inspections'; a department its inbox.
    Narrowed to an ``outcome`` (a count's link), the page shows that result summed over the clues."""
    visible = selectors.clues_visible(request.user)
    asked = ClueFilter(request.GET or None)
    outcome = None
    if asked.is_bound and asked.is_valid() and asked.form.cleaned_data.get("outcome"):
        name = asked.form.cleaned_data["outcome"]
        total = asked.filter_queryset(visible).aggregate(n=Sum(name))["n"] or 0
        outcome = {"label": Clue._meta.get_field(name).verbose_name, "total": total}
    fmt = request.GET.get(EXPORT, "")
    if fmt in EXPORT_FORMATS:
        _record_clue_export(request, visible, asked, fmt)
    return list_page(
        request,
        tables.CLUES,
        visible,
        filterset=asked,
        context={
            "today": timezone.localdate(),
            "is_department": bool(selectors.department_ids(request.user)),
            "outcome": outcome,
        },
    )


def _record_clue_export(request, visible, asked, fmt: str) -> None:
    """Audit the download of the clue list about to be answered: the filter, sort and the rows it holds
    (those the user sees, as filtered). Nothing is recorded when the filter or the sort is refused (the
    list then answers its page, or a 400, and no file)."""
    rows, status = filtered(asked, visible)
    if status != 200:
        return
    tables.CLUES.ordering(request.GET.get(SORT, "").strip())  # a bad sort: BadParameter, no file
    query = {k: v for k, v in request.GET.items() if k not in (CURSOR, EXPORT)}
    services.clues_exported(actor=request.user, source="clue-list", query=query, fmt=fmt, clues=rows)


@requires(Perm.CLUE_VIEW)
def clue_detail(request, pk: int):
    return _clue_page(request, selectors.clue_get(request.user, pk))


def _clue_page(request, clue, **forms):
    """The clue's page; ``forms`` replace the empty action forms (a bound form with its errors)."""
    user = request.user
    department = selectors.is_department_staff(user, clue.department)
    office = selectors.can_transfer(user, clue)
    context = {
        "clue": clue,
        "today": timezone.localdate(),
        "files": attachments.attachments_of(clue),
        "can_attach": attachments.can_add(user, clue),
        "office": office,
        "department": department,
        "can_withdraw": clue.status == ClueStatus.RECORDED
        and selectors.can_approve_problems(user, clue.inspection),
        "transfer_form": TransferForm(),
        "accept_form": AcceptForm(),
        "feedback_form": FeedbackForm(),
        "reason_form": ReasonForm(),
        "attachment_form": AttachmentForm(),
        **forms,
    }
    context["panels"] = panels_render("findings.clue", request, clue, context)
    return render(request, "findings/clue.html", context)


CLUE_ACTIONS = {
    # action: (form, the page's name for it, service, success message, the service's ``Action`` —
    # checked before the form is read)
    "transfer": (
        TransferForm,
        "transfer_form",
        services.clue_transfer,
        _("已移交，请打印交接单随线索材料一并移交。"),
        selectors.CLUE_TRANSFER,
    ),
    "accept": (
        AcceptForm,
        "accept_form",
        services.clue_accept,
        _("已接收，正在办理。"),
        selectors.CLUE_HANDLE,
    ),
    "feed_back": (
        FeedbackForm,
        "feedback_form",
        services.clue_feed_back,
        _("办理情况已反馈。"),
        selectors.CLUE_HANDLE,
    ),
    "return": (
        ReasonForm,
        "reason_form",
        services.clue_return,
        _("已退回部门继续办理。"),
        selectors.CLUE_TRANSFER,
    ),
    "withdraw": (
        ReasonForm,
        "reason_form",
        services.clue_withdraw,
        _("线索已撤回。"),
        selectors.CLUE_WITHDRAW,
    ),
}


@requires(Perm.CLUE_VIEW)
@require_POST
def clue_action(request, pk: int, action: str):
    move = CLUE_ACTIONS.get(action)
    # The move's own Action, asked before the form is read: the service's words, 403 before 302.
    clue = selectors.clue_get(request.user, pk, move[4] if move else None)
    if move is None:
        messages.error(request, _("未知的操作。"))
        return redirect(clue.get_absolute_url())
    form_class, name, service, success, _may = move
    form = form_class(request.POST)
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v is not None}
        try:
            service(actor=request.user, clue=clue, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect(clue.get_absolute_url())
    # What was typed stays, with each error under its field.
    return _clue_page(request, clue, **{name: form})


@requires(Perm.CLUE_VIEW)
def clue_sheet(request, pk: int):
    """The hand-over sheet of a transferred clue, for the office and the receiving department."""
    clue = selectors.clue_get(request.user, pk, selectors.CLUE_SHEET)
    if not clue.sheet_no:
        messages.error(request, _("线索尚未移交，没有交接单。"))
        return redirect(clue.get_absolute_url())
    audit_record(
        actor=request.user,
        action="document.download",
        obj=clue,
        after={"file": f"handover-{clue.sheet_no}.docx"},
        scope_path=clue.inspection.organization.path,
    )
    response = HttpResponse(
        handover_sheet(clue),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="handover-{clue.sheet_no}.docx"'
    return response


# --- evidence -------------------------------------------------------------------------------------


# The records whose evidence is uploaded here, by the ``kind`` in the address: ``getter(user, pk)``
# answers ``Http404`` for a record the user may not see. An app above findings adds its kind from its
# ``AppConfig.ready()`` (petitions: a petition's files).
ATTACH_SUBJECTS: dict[str, Callable] = {"problem": selectors.problem_get, "clue": selectors.clue_get}


def register_attach_subject(kind: str, getter: Callable) -> None:
    ATTACH_SUBJECTS[kind] = getter


def _subject(request, kind: str, pk: int):
    """The record of ``kind`` the user may see (``Http404`` otherwise)."""
    if kind not in ATTACH_SUBJECTS:
        raise Http404
    return ATTACH_SUBJECTS[kind](request.user, pk)


def upload_from_form(request, owner, done: str) -> None:
    """Attach the file posted in an ``AttachmentForm`` to ``owner`` and say so (``done``) in the
    messages; a missing file or a refusal of ``attachment_add`` becomes an error message and nothing is
    stored. ``PermissionDenied`` from the service passes through. Shared by every upload view."""
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择要上传的文件。"))
        return
    try:
        attachments.attachment_add(
            actor=request.user,
            owner=owner,
            upload=form.cleaned_data["file"],
            description=form.cleaned_data["description"],
        )
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, done)


@requires(Perm.CLUE_VIEW)
@require_POST
def attach(request, kind: str, pk: int):
    subject = _subject(request, kind, pk)
    attachments.ATTACH.check(request.user, subject)  # the service's words, before the form is read
    upload_from_form(request, subject, _("附件已上传。"))
    return redirect(subject.get_absolute_url() + "#files")


@requires(Perm.CLUE_VIEW)
def attachment_download(request, pk: int):
    attachment = Attachment.objects.filter(pk=pk).first()
    if attachment is None:
        raise Http404
    return attachments.attachment_response(actor=request.user, attachment=attachment)  # 404 unless visible
