"""The inspections app's cards on other apps' pages (registered in ``InspectionsConfig.ready``)."""

from lijian.core.registry import Panel, register_panel

from .selectors import inspections_visible, rounds_visible


def org_history(request, org, page: dict) -> dict | None:
    """The organisation's latest inspections the user may see (none: no card)."""
    history = list(inspections_visible(request.user).filter(organization=org).order_by("-round__start")[:20])
    return {"history": history} if history else None


def body_rounds(request, body, page: dict) -> dict:
    """The body's latest rounds the user may see (the card is shown even with none)."""
    rounds = rounds_visible(request.user).filter(body=body).order_by("-term__start", "-number")[:50]
    return {"rounds": rounds}


def register() -> None:
    register_panel(
        "inspections.org_history",
        Panel("orgs.organization", "side", "inspections/panels/org_history.html", org_history),
        order=20,
    )
    register_panel(
        "inspections.body_rounds",
        Panel("orgs.body", "main", "inspections/panels/body_rounds.html", body_rounds),
        order=10,
    )
