"""The guidance lists' filters, shared by their pages and their API operations."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lijian.core.list_filters import (
    FieldFilter,
    ListFilterSet,
    choice_filter,
    hidden_choice,
    hidden_id,
    since_filter,
    until_filter,
)

from .choices import AssessmentStatus, CandidateStatus, NamingWho, ReviewStatus, SelfInspectionStatus
from .models import Assessment, MaterialReview, NamingCandidate, SelfInspection


class _Dated(ListFilterSet):
    """``body``, ``since`` and ``until`` (hidden: set by the work report's links, e.g. "审阅材料 16 份"
    → ``?body=<id>&since=2026-01-01&until=2026-11-27``) keep one body's records whose ``date_field``
    falls within the range, as ``reports.selectors`` counts them."""

    body = hidden_id(_("机构"))
    since = since_filter()
    until = until_filter()


class ReviewFilter(_Dated):
    date_field = "received_on"
    status = choice_filter(_("状态"), ReviewStatus.choices)
    q = FieldFilter(forms.CharField, label=_("关键词"), method="by_text")

    class Meta:
        model = MaterialReview
        fields = []

    def by_text(self, rows, name, value):
        """Reviews whose organisation, secretary or meeting names ``value``."""
        if not value:
            return rows
        return rows.filter(
            Q(organization__name__contains=value)
            | Q(secretary_name__contains=value)
            | Q(meeting_title__contains=value)
        )


class SelfInspectionFilter(_Dated):
    date_field = "closed_on"
    status = choice_filter(_("状态"), SelfInspectionStatus.choices)

    class Meta:
        model = SelfInspection
        fields = []


class AssessmentFilter(ListFilterSet):
    status = choice_filter(_("状态"), AssessmentStatus.choices)

    class Meta:
        model = Assessment
        fields = []


class CandidateFilter(ListFilterSet):
    """An assessment's naming candidates narrowed by the links of a count (the work report's "点名通报
    11个区委" → ``?who=district_committee&status=confirmed&since=…&until=…``): of that kind, in that
    state, decided within the days."""

    who = hidden_choice(_("类别"), NamingWho.choices)
    status = hidden_choice(_("状态"), CandidateStatus.choices)
    since = since_filter()
    until = until_filter()
    date_field = "decided_on"

    class Meta:
        model = NamingCandidate
        fields = []
