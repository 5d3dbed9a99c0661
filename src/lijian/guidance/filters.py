"""The guidance lists' filters, shared by their pages and their API operations."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lijian.core.lists import FieldFilter, ListFilterSet, choice_filter

from .choices import AssessmentStatus, ReviewStatus, SelfInspectionStatus
from .models import Assessment, MaterialReview, SelfInspection


class ReviewFilter(ListFilterSet):
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


class SelfInspectionFilter(ListFilterSet):
    status = choice_filter(_("状态"), SelfInspectionStatus.choices)

    class Meta:
        model = SelfInspection
        fields = []


class AssessmentFilter(ListFilterSet):
    status = choice_filter(_("状态"), AssessmentStatus.choices)

    class Meta:
        model = Assessment
        fields = []
