"""The petition list's filters, shared by its page and its API operation."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lijian.core.lists import FieldFilter, ListFilterSet

from .choices import Channel, PetitionStatus
from .models import Petition


class PetitionFilter(ListFilterSet):
    status = FieldFilter(
        forms.ChoiceField, label=_("状态"), choices=[("", "—"), *PetitionStatus.choices], method="by_value"
    )
    channel = FieldFilter(
        forms.ChoiceField, label=_("渠道"), choices=[("", "—"), *Channel.choices], method="by_value"
    )
    q = FieldFilter(forms.CharField, label=_("关键词"), method="by_text")

    class Meta:
        model = Petition
        fields = []

    def by_value(self, rows, name, value):
        return rows.filter(**{name: value}) if value else rows

    def by_text(self, rows, name, value):
        return rows.filter(Q(summary__contains=value) | Q(ref__startswith=value)) if value else rows
