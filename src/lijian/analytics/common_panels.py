"""The common problems' cards on other apps' pages (registered in ``AnalyticsConfig.ready``): on a
special round opened from a group of common problems, the proposal and the organisations it names,
for the office arranging the round's targets; on a problem, the proposals that rest on it."""

from lijian.core.registry import Panel, register_panel
from lijian.inspections.selectors import can_manage_round
from lijian.inspections.services import round_on_site

from .common import places_of_proposals, proposals_of_round, proposals_visible, targets_of_proposals

# Up to this many organisations every place is shown open; beyond, the places start folded so the
# round's page stays short (a group of common problems may span a hundred organisations).
OPEN_UP_TO = 20


def round_common_problems(request, round_, page: dict) -> dict | None:
    """The proposals the round was opened from and where their problems were found, grouped by place
    (``common.places_of_proposals``), all shown open up to ``OPEN_UP_TO`` organisations; ``None`` for
    a round opened otherwise."""
    proposals = list(proposals_of_round(round_))
    if not proposals:
        return None
    places = places_of_proposals(round_.body, proposals)
    addable = (
        targets_of_proposals(round_, proposals)
        if can_manage_round(request.user, round_) and not round_.staffed_at and not round_on_site(round_)
        else []
    )
    return {
        "round": round_,
        "addable": len(addable),
        "proposals": proposals,
        "places": places,
        "organizations": sum(len(g.rows) for g in places),
        "open_up_to": OPEN_UP_TO,
    }


def problem_common_proposals(request, problem, page: dict) -> dict | None:
    """The proposals resting on the problem that the user may see; ``None`` when there are none."""
    proposals = list(proposals_visible(request.user).filter(problems=problem))
    return {"proposals": proposals} if proposals else None


def register() -> None:
    register_panel(
        "analytics.problem_common_proposals",
        Panel(
            "findings.problem",
            "instructions",
            "analytics/panels/problem_common_proposals.html",
            problem_common_proposals,
        ),
        order=20,
    )
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
