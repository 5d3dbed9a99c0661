"""The interview and accountability lists' filters. They are hidden, set by the links of a count (the work report's
"对8名…严肃问责，对6名…予以免职" → ``?body=<id>&since=…&until=…&removed=yes``), so the list shows exactly
the actions behind the count; the page says a filter is applied and links to the whole list."""

import functools
import operator

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lijian.core.list_filters import (
    ListFilterSet,
    hidden_choice,
    hidden_flag,
    hidden_id,
    since_filter,
    until_filter,
)

from .choices import AccountabilityAction
from .models import Accountability, Interview


class AccountabilityFilter(ListFilterSet):
    """``body`` (id); ``since``/``until``: decided within the days; then ``removed``: ``yes`` keeps the
    removals (免职), ``no`` the other actions over people not removed among the rows the other filters
    keep — one row per action, so the rows are the people counted when each was held to account once."""

    body = hidden_id(_("机构"))
    since = since_filter()
    until = until_filter()
    removed = hidden_choice(_("免职"), [("yes", _("免职")), ("no", _("免职以外"))], method="by_removed")
    date_field = "decided_on"

    class Meta:
        model = Accountability
        fields = []

    def by_removed(self, rows, name, value):
        removal = Q(action=AccountabilityAction.REMOVAL)
        if value == "yes":
            return rows.filter(removal)
        if value != "no":
            return rows
        people = set(rows.filter(removal).values_list("organization_id", "subject_name"))
        same = [Q(organization_id=org, subject_name=who) for org, who in people]
        rows = rows.exclude(removal)
        return rows.exclude(functools.reduce(operator.or_, same)) if same else rows


class InterviewFilter(ListFilterSet):
    """``body`` (id); ``since``/``until``: held within the days; then ``first``: only each
    organisation's first interview among the rows the other filters keep, so the rows are the
    organisations interviewed (the work report's "共约谈39个单位“一把手”")."""

    body = hidden_id(_("机构"))
    since = since_filter()
    until = until_filter()
    first = hidden_flag(_("每个党组织一行"), method="by_first")
    date_field = "held_on"

    class Meta:
        model = Interview
        fields = []

    def by_first(self, rows, name, value):
        if not value:
            return rows
        firsts: dict[int, int] = {}
        for pk, organization in rows.order_by("held_on", "pk").values_list("pk", "organization_id"):
            firsts.setdefault(organization, pk)
        return rows.filter(pk__in=list(firsts.values()))
