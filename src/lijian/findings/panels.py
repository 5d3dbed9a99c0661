"""The findings app's cards on other apps' pages (registered in ``FindingsConfig.ready``)."""

from lijian.core.registry import Panel, register_panel

from .selectors import (
    can_record_findings,
    can_record_problem,
    clues_visible,
    problems_visible,
    relay_problems,
)


def inspection_findings(request, inspection, page: dict) -> dict:
    """The inspection's problems and clues the user may see, and whether they may record more."""
    user = request.user
    return {
        "inspection": inspection,
        "problems": problems_visible(user).filter(inspection=inspection).order_by("found_on", "pk"),
        "clues": clues_visible(user).filter(inspection=inspection).order_by("recorded_at", "pk"),
        "can_record_findings": can_record_findings(user, inspection),
        "can_record_problem": can_record_problem(user, inspection),
    }


def round_relay_problems(request, round_, page: dict) -> dict | None:
    """For a linked round: the upper round's open problems at the upper inspections the user sees
    (``page["upper"]``), at most 200; no card when there are none."""
    if not round_.upper_round_id or not page["upper"]:
        return None
    problems = list(relay_problems(round_).filter(inspection__in=page["upper"])[:200])
    return {"relay_problems": problems} if problems else None


def register() -> None:
    register_panel(
        "findings.inspection_findings",
        Panel(
            "inspections.inspection", "main", "findings/panels/inspection_findings.html", inspection_findings
        ),
        order=10,
    )
    register_panel(
        "findings.round_relay_problems",
        Panel(
            "inspections.round", "upper", "findings/panels/round_relay_problems.html", round_relay_problems
        ),
        order=10,
    )
