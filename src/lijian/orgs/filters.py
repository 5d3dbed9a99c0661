"""The body list's filters. They are hidden, set by the links of a count (the work report's "16个区…设立
巡察机构" → ``?below=<id>&owner_kind=district_committee``), so the list and its staffing totals (bodies,
standing groups, posts) are of exactly the bodies the count is of; the page says a filter is applied."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lijian.core.list_filters import FieldFilter, ListFilterSet, hidden_choice, hidden_id
from lijian.core.permissions import subtree_q

from .choices import BodyLevel, OrgKind
from .models import InspectionBody


class BodyFilter(ListFilterSet):
    """``below``: the patrol bodies of committees strictly inside the committee of the body with that
    id (as ``guidance.selectors.lower_bodies`` gives them); ``owner_kind``: bodies whose committee is
    of that kind, or ``other`` for any kind the work report does not name (``OTHER_EXCLUDES``)."""

    below = hidden_id(_("上级机构"), method="by_below")
    owner_kind = hidden_choice(_("所属党委类别"), OrgKind.choices, method="by_owner_kind")
    owner_kind_not = FieldFilter(
        forms.MultipleChoiceField,
        label=_("所属党委类别（除外）"),
        choices=OrgKind.choices,
        widget=forms.MultipleHiddenInput,
        method="by_kind_not",
    )

    class Meta:
        model = InspectionBody
        fields = []

    def by_owner_kind(self, rows, name, value):
        return rows.filter(owner_org__kind=value) if value else rows

    def by_kind_not(self, rows, name, value):
        return rows.exclude(owner_org__kind__in=value) if value else rows

    def by_below(self, rows, name, value):
        above = InspectionBody.objects.select_related("owner_org").filter(pk=value).first()
        if above is None:
            return rows.none()
        return rows.filter(
            Q(subtree_q(above.owner_org.path, "owner_org__path")), level=BodyLevel.PATROL
        ).exclude(owner_org=above.owner_org)
