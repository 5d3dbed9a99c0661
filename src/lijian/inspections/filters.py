"""The round list's filters. They are hidden, set by the links of a count (the work report's "常规巡视
3轮" → ``?body=<id>&term=<id>&kind=regular&until=2026-11-27``), so the list shows exactly the rounds
the count is of; the page says a filter is applied and links to the whole list."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lijian.core.lists import FieldFilter, ListFilterSet
from lijian.core.params import ID_MAX
from lijian.orgs.choices import OrgKind

from .choices import RoundKind
from .covered import counted_on
from .models import Inspection, Round


def _id(label) -> FieldFilter:
    return FieldFilter(
        forms.IntegerField,
        label=label,
        min_value=1,
        max_value=ID_MAX,
        widget=forms.HiddenInput,
        method="by_id",
    )


class RoundFilter(ListFilterSet):
    """``body`` and ``term`` (ids), ``kind``; ``until``: rounds started on or before the day (as the
    figure ``rounds`` counts them); ``over``: an organisation kind — rounds in which an organisation of
    that kind had been gone on site by ``until`` (today without it)."""

    body = _id(_("机构"))
    term = _id(_("届次"))
    kind = FieldFilter(
        forms.ChoiceField,
        label=_("类型"),
        choices=[("", "—"), *RoundKind.choices],
        widget=forms.HiddenInput,
        method="by_value",
    )
    until = FieldFilter(forms.DateField, label=_("开始日期截至"), widget=forms.HiddenInput, method="by_until")
    over = FieldFilter(
        forms.ChoiceField,
        label=_("进驻对象类别"),
        choices=[("", "—"), *OrgKind.choices],
        widget=forms.HiddenInput,
        method="by_over",
    )

    class Meta:
        model = Round
        fields = []

    def by_id(self, rows, name, value):
        return rows.filter(**{f"{name}_id": value})

    def by_until(self, rows, name, value):
        return rows.filter(start__lte=value)

    def by_over(self, rows, name, value):
        if not value:
            return rows
        on = self.form.cleaned_data.get("until")
        if on is None:
            on = timezone.localdate()
        hit = Inspection.objects.filter(counted_on(on), organization__kind=value)
        return rows.filter(pk__in=hit.values("round_id"))
