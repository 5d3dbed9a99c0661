"""The home page's cockpit (registered in ``AnalyticsConfig.ready``): a leader's home page is the
cockpit of their scope; an office's keeps its work queue beside a compact cockpit."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone

from lijian.accounts.choices import Role
from lijian.core.permissions import Perm, access_for
from lijian.rectification.selectors import work_queue
from lijian.rectification.views import QUEUE_LABELS

from .cockpit import CHARTS, cockpit_strings
from .cockpit_views import cockpit_context

COMPACT = ("coverage", "problems_by_category", "rates", "overdue_tasks")


def home_cockpit(request) -> dict:
    """``{"cockpit": …}`` for a user with the statistics permission and a body in scope with a term:
    the whole cockpit for a leader, a compact one with the work queue's counts for the office."""
    access = access_for(request.user)
    if not access.has(Perm.FIGURES_VIEW):
        return {}
    roles = access.roles()
    if not roles & {Role.LEADER, Role.OFFICE_STAFF}:
        return {}
    try:
        context = cockpit_context(request)
    except Http404:  # a body in scope without a term yet
        return {}
    if context is None:
        return {}
    office = Role.LEADER not in roles
    if office:
        today = timezone.localdate()
        context["queue"] = [
            (key, QUEUE_LABELS[key], items.count()) for key, items in work_queue(request.user, today).items()
        ]
    else:
        context["queue"] = None
    context.update(
        template="analytics/cockpit_home.html",
        charts=list(COMPACT if office else CHARTS),
        cockpit_strings=cockpit_strings(),
    )
    return {"cockpit": context}
