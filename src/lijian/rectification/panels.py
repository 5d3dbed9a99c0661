"""The rectification app's cards on other apps' pages (registered in ``RectificationConfig.ready``)."""

from lijian.core.registry import Panel, register_panel
from lijian.inspections.choices import RoundKind

from .instructions.forms import InstructionForm
from .instructions.selectors import can_answer_instruction, can_instruct
from .models import Feedback
from .selectors import inspections_fed_back
from .supervision import look_back_list


def inspection_status(request, inspection, page: dict) -> dict:
    """Where the inspection's rectification stands: a link to it, the office's way to record the
    feedback that starts it, or a note that there was no feedback."""
    # The link is offered only where rectification:inspection answers: the same selector decides.
    shown = inspections_fed_back(request.user).filter(pk=inspection.pk).exists()
    fed_back = shown or Feedback.objects.filter(inspection=inspection).exists()
    return {
        "inspection": inspection,
        "can_manage": page["can_manage"],
        "rectification_shown": shown,
        "fed_back": fed_back,
    }


def round_look_back(request, round_, page: dict) -> dict | None:
    """For a look-back round the office is still staffing: the body's look-back list (poor
    rectification evaluations in the term) not yet among the round's targets."""
    if round_.kind != RoundKind.LOOK_BACK or not page["sees_all"]:
        return None
    if not page["can_manage"] or round_.staffed_at:
        return None  # the offer sits with the targets form, shown only then
    look_back = list(look_back_list(round_.body, round_.term).exclude(inspections__round=round_))
    return {"round": round_, "look_back": look_back} if look_back else None


def instructions_card(kind: str):
    """The leaders' instructions card on a ``kind`` record's page (a problem, a clue, a petition the
    user may see): its instructions, the form for a new one for a leader who may give one, and which
    of them the user may report the follow-up of."""

    def context(request, subject, page: dict) -> dict:
        user = request.user
        instructions = subject.instructions.select_related("leader", "answered_by", "addressee")
        allowed = can_instruct(user, subject)
        return {
            "kind": kind,
            "subject": subject,
            "instructions": instructions,
            "can_instruct": allowed,
            "instruction_form": InstructionForm(subject=subject) if allowed else None,
            "answerable": {i.pk for i in instructions if can_answer_instruction(user, i)},
        }

    return context


def register() -> None:
    register_panel(
        "rectification.inspection_status",
        Panel(
            "inspections.inspection",
            "status",
            "rectification/panels/inspection_status.html",
            inspection_status,
        ),
        order=10,
    )
    register_panel(
        "rectification.round_look_back",
        Panel("inspections.round", "targets", "rectification/panels/round_look_back.html", round_look_back),
        order=10,
    )
    for host, kind in (
        ("findings.problem", "problem"),
        ("findings.clue", "clue"),
        ("petitions.petition", "petition"),
    ):
        register_panel(
            f"rectification.instructions.{kind}",
            Panel(host, "instructions", "rectification/panels/instructions.html", instructions_card(kind)),
            order=10,
        )
