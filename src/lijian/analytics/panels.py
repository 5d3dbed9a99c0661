"""The analytics app's cards on other apps' pages (registered in ``AnalyticsConfig.ready``)."""

from django.utils import timezone

from lijian.core.permissions import Perm, access_for
from lijian.core.registry import Panel, register_panel
from lijian.orgs.choices import GRASSROOTS_KINDS

from .figures import body_figures, grassroots, grassroots_inspected

# The figures a body's page shows, in this order (the body's figures page has them all).
BODY_FIGURES = ("inspected_organizations", "term_coverage", "grassroots_coverage")


def org_grassroots(request, org, page: dict) -> dict | None:
    """Grassroots coverage of the organisation's subtree, for a user who may see figures there and a
    subtree that holds villages or communities."""
    if not access_for(request.user).covers(Perm.FIGURES_VIEW, org.path):
        return None
    if not page["subtree_size"] or org.kind in GRASSROOTS_KINDS:
        return None
    today = timezone.localdate()
    total = grassroots(org, today).count()
    return {"grassroots": (grassroots_inspected(org, today).count(), total)} if total else None


def body_headline(request, body, page: dict) -> dict | None:
    """The body's headline figures for its current term, for a user who may see its figures."""
    term = page["current_term"]
    if not page["sees_figures"]:
        return None
    today = timezone.localdate()
    figures = body_figures(body, term, today)
    return {"figures": [figures[k] for k in BODY_FIGURES], "body": body, "term": term, "on": today}


def register() -> None:
    register_panel(
        "analytics.org_grassroots",
        Panel("orgs.organization", "side", "analytics/panels/org_grassroots.html", org_grassroots),
        order=10,
    )
    register_panel(
        "analytics.body_figures",
        Panel("orgs.body", "top", "analytics/panels/body_figures.html", body_headline),
        order=10,
    )
