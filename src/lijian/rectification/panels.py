"""The rectification app's cards on other apps' pages (registered in ``RectificationConfig.ready``)."""

from lijian.core.registry import Panel, register_panel
from lijian.inspections.choices import RoundKind

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
