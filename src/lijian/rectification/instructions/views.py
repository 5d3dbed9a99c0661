"""Pages of instructions: give one on a problem, a clue or a petition, act on one, list them.

Mounted under ``/findings/`` (``lijian.urls``), where they were before instructions moved here."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Case, Value, When
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lijian.core.lists import list_page
from lijian.core.permissions import Perm, requires
from lijian.findings.selectors import clue_get, problem_get
from lijian.petitions.selectors import petition_get

from .. import tables
from ..choices import InstructionStatus
from . import selectors, services
from .forms import InstructionAnswerForm, InstructionForm, InstructionReopenForm

SUBJECTS = {"problem": problem_get, "clue": clue_get, "petition": petition_get}


def _error(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def _subject(request, kind: str, pk: int):
    """The problem, clue or petition the user may see (``Http404`` otherwise)."""
    if kind not in SUBJECTS:
        raise Http404
    return SUBJECTS[kind](request.user, pk)


@requires(Perm.INSTRUCTION_GIVE)
@require_POST
def instruction_give(request, kind: str, pk: int):
    subject = _subject(request, kind, pk)
    selectors.INSTRUCTION_GIVE.check(request.user, subject)
    form = InstructionForm(request.POST, subject=subject)
    if form.is_valid():
        try:
            services.instruction_give(actor=request.user, subject=subject, **form.cleaned_data)
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("批示已记录，已通知承办人。"))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(subject.get_absolute_url() + "#instructions")


INSTRUCTION_ACTIONS = {
    # action: (form, service, success message, the service's ``Action``: checked before the form is read)
    "answer": (
        InstructionAnswerForm,
        services.instruction_answer,
        _("落实情况已报送。"),
        selectors.INSTRUCTION_ANSWER,
    ),
    "close": (None, services.instruction_close, _("批示已办结。"), selectors.INSTRUCTION_LEAD),
    "reopen": (
        InstructionReopenForm,
        services.instruction_reopen,
        _("已要求继续落实。"),
        selectors.INSTRUCTION_LEAD,
    ),
}


@requires(Perm.CLUE_VIEW)
@require_POST
def instruction_action(request, pk: int, action: str):
    instruction = selectors.instruction_get(request.user, pk)
    back = instruction.subject.get_absolute_url() + "#instructions"
    if action not in INSTRUCTION_ACTIONS:
        messages.error(request, _("未知的操作。"))
        return redirect(back)
    form_class, service, success, may = INSTRUCTION_ACTIONS[action]
    may.check(request.user, instruction)
    data = {}
    if form_class:
        form = form_class(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
            return redirect(back)
        data = form.cleaned_data
    try:
        service(actor=request.user, instruction=instruction, **data)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, success)
    return redirect(back)


@requires(Perm.CLUE_VIEW)
def instructions(request):
    """Instructions the user gave or must follow up, open ones first."""
    rank = Case(*(When(status=s, then=Value(k)) for k, s in enumerate(InstructionStatus.values)))
    rows = selectors.instructions_visible(request.user).annotate(rank=rank)
    return list_page(request, tables.INSTRUCTIONS, rows, context={"open": InstructionStatus.OPEN})
