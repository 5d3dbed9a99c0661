"""Pages of the committee's meetings and the instructions arising from them. Thin: parse, call a
selector or a service, render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Value, When
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lijian.core.forms import changed, form_page
from lijian.core.lists import list_page
from lijian.core.permissions import Perm, requires
from lijian.documents import attachments
from lijian.findings.forms import AttachmentForm

from . import selectors, services, tables
from .choices import InstructionStatus
from .filters import MeetingFilter, MeetingInstructionFilter
from .forms import InstructionAnswerForm, InstructionReopenForm, MeetingForm, MeetingInstructionForm

FORM = "governance/form.html"


def managed_bodies(request):
    """The bodies whose records the user keeps (403 when none: the office of another level)."""
    bodies = selectors.bodies_managed(request.user)
    if not bodies.exists():
        raise PermissionDenied(_("只有巡视巡察办可以登记。"))
    return bodies


def files_context(request, record, kind: str) -> dict:
    """The attachment card's context (``findings/_files.html``): uploads go through findings' page."""
    return {
        "files": attachments.attachments_of(record),
        "can_attach": attachments.can_add(request.user, record),
        "attachment_form": AttachmentForm(),
        "kind": kind,
        "subject": record,
    }


def form_errors(form) -> str:
    return " ".join(e for errors in form.errors.values() for e in errors)


# --- meetings -------------------------------------------------------------------------------------


@requires(Perm.GOVERNANCE_VIEW)
def meetings(request):
    rows = selectors.meetings_visible(request.user)
    return list_page(
        request,
        tables.MEETINGS,
        rows,
        filterset=MeetingFilter(request.GET or None),
        context={"can_record": bool(selectors.bodies_managed(request.user))},
    )


@requires(Perm.GOVERNANCE_MANAGE)
def meeting_create(request):
    bodies = managed_bodies(request)
    form = MeetingForm(request.POST or None, bodies=bodies)
    return form_page(
        request,
        form,
        lambda data: services.meeting_record(actor=request.user, **data),
        success=_("会议已登记。"),
        done=lambda meeting: meeting.get_absolute_url(),
        template=FORM,
        context={"title": _("登记会议"), "back": reverse("governance:meetings")},
    )


@requires(Perm.GOVERNANCE_VIEW)
def meeting_detail(request, pk: int):
    meeting = selectors.meeting_get(request.user, pk)
    user = request.user
    instructions = list(meeting.instructions.select_related("given_by", "assignee", "answered_by"))
    for instruction in instructions:
        instruction.can_answer = selectors.can_answer_instruction(user, instruction)
        instruction.can_close = selectors.can_close_instruction(user, instruction)
    return render(
        request,
        "governance/meeting.html",
        {
            "meeting": meeting,
            "instructions": instructions,
            "can_edit": selectors.can_edit(user, meeting),
            "can_instruct": selectors.can_instruct(user, meeting),
            "answer_form": InstructionAnswerForm(),
            "reopen_form": InstructionReopenForm(),
            **files_context(request, meeting, "meeting"),
        },
    )


@requires(Perm.GOVERNANCE_MANAGE)
def meeting_edit(request, pk: int):
    meeting = selectors.meeting_get(request.user, pk, selectors.RECORD_EDIT)
    fields = services.MEETING_FIELDS
    form = MeetingForm(request.POST or None, initial={f: getattr(meeting, f) for f in fields})
    return form_page(
        request,
        form,
        lambda data: services.meeting_update(
            actor=request.user, meeting=meeting, **changed(form, meeting, fields)
        ),
        success=_("会议已修改。"),
        done=lambda m: m.get_absolute_url(),
        template=FORM,
        context={
            "title": _("修改会议：%(title)s") % {"title": meeting.title},
            "back": meeting.get_absolute_url(),
        },
    )


@requires(Perm.GOVERNANCE_VIEW)
def meeting_instruct(request, pk: int):
    """Record an instruction arising from the meeting (a leader's own, or one the office records)."""
    meeting = selectors.meeting_get(request.user, pk, selectors.MEETING_INSTRUCT)
    form = MeetingInstructionForm(
        request.POST or None,
        leaders=selectors.instruction_leaders(meeting.body),
        assignees=selectors.instruction_assignees(meeting.body),
    )
    return form_page(
        request,
        form,
        lambda data: services.meeting_instruction_give(actor=request.user, meeting=meeting, **data),
        success=_("会议批示已记录。"),
        done=lambda instruction: instruction.get_absolute_url(),
        template=FORM,
        context={
            "title": _("记录会议批示：%(title)s") % {"title": meeting.title},
            "back": meeting.get_absolute_url(),
            "help": _(
                "批示领导有账号的，选择账号（由其办结）；没有账号的，填写姓名职务（由巡视巡察办办结）。"
            ),
        },
    )


# --- instructions arising from meetings -----------------------------------------------------------


@requires(Perm.GOVERNANCE_VIEW)
def instructions(request):
    """Instructions the user may see, open ones first."""
    rank = Case(*(When(status=s, then=Value(k)) for k, s in enumerate(InstructionStatus.values)))
    rows = selectors.instructions_visible(request.user).annotate(rank=rank)
    return list_page(
        request, tables.INSTRUCTIONS, rows, filterset=MeetingInstructionFilter(request.GET or None)
    )


INSTRUCTION_ACTIONS = {
    # action: (form, service, success message, the action checked before the form is read)
    "answer": (
        InstructionAnswerForm,
        services.meeting_instruction_answer,
        gettext_lazy("落实情况已报送。"),
        selectors.INSTRUCTION_ANSWER,
    ),
    "close": (
        None,
        services.meeting_instruction_close,
        gettext_lazy("批示已办结。"),
        selectors.INSTRUCTION_CLOSE,
    ),
    "reopen": (
        InstructionReopenForm,
        services.meeting_instruction_reopen,
        gettext_lazy("已要求继续落实。"),
        selectors.INSTRUCTION_CLOSE,
    ),
}


@requires(Perm.GOVERNANCE_VIEW)
@require_POST
def instruction_action(request, pk: int, action: str):
    instruction = selectors.instruction_get(request.user, pk)
    back = instruction.get_absolute_url()
    if action not in INSTRUCTION_ACTIONS:
        messages.error(request, _("未知的操作。"))
        return redirect(back)
    form_class, service, success, allowed = INSTRUCTION_ACTIONS[action]
    allowed.check(request.user, instruction)
    data = {}
    if form_class:
        form = form_class(request.POST)
        if not form.is_valid():
            messages.error(request, form_errors(form))
            return redirect(back)
        data = form.cleaned_data
    try:
        service(actor=request.user, instruction=instruction, **data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success)
    return redirect(back)
