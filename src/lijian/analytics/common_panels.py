"""The common problems' card on another app's page (registered in ``AnalyticsConfig.ready``): on a
special round opened from a group of common problems, the proposal and the organisations it names,
for the office arranging the round's targets."""

from lijian.core.registry import Panel, register_panel
from lijian.orgs.models import Organization

from .common import proposals_of_round


def round_common_problems(request, round_, page: dict) -> dict | None:
    """The proposals the round was opened from, with the organisations their problems were found at
    (in tree order); ``None`` for a round opened otherwise."""
    proposals = list(proposals_of_round(round_))
    if not proposals:
        return None
    organizations = (
        Organization.objects.filter(inspections__problems__common_proposals__in=proposals)
        .distinct()
        .order_by("path")
    )
    return {"proposals": proposals, "organizations": list(organizations)}


def register() -> None:
    register_panel(
        "analytics.round_common_problems",
        Panel(
            "inspections.round",
            "targets",
            "analytics/panels/round_common_problems.html",
            round_common_problems,
        ),
        order=20,
    )
