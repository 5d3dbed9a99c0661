"""The round list's filters. They are hidden, set by the links of a count (the work report's "常规巡视
3轮" → ``?body=<id>&term=<id>&kind=regular&until=2026-11-27``), so the list shows exactly the rounds
the count is of; the page says a filter is applied and links to the whole list."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lijian.core.list_filters import ListFilterSet, hidden_choice, hidden_id, until_filter
from lijian.orgs.choices import OrgKind

from .choices import RoundKind
from .covered import counted_on
from .models import Inspection, Round


class RoundFilter(ListFilterSet):
    """``body`` and ``term`` (ids), ``kind``; ``until``: rounds started on or before the day (as the
    figure ``rounds`` counts them); ``over``: an organisation kind — rounds in which an organisation of
    that kind had been gone on site by ``until`` (today without it)."""

    body = hidden_id(_("机构"))
    term = hidden_id(_("届次"))
    kind = hidden_choice(_("类型"), RoundKind.choices)
    until = until_filter(_("开始日期截至"))
    over = hidden_choice(_("进驻对象类别"), OrgKind.choices, method="by_over")
    date_field = "start"

    class Meta:
        model = Round
        fields = []

    def by_over(self, rows, name, value):
        if not value:
            return rows
        on = self.form.cleaned_data.get("until")
        if on is None:
            on = timezone.localdate()
        hit = Inspection.objects.filter(counted_on(on), organization__kind=value)
        return rows.filter(pk__in=hit.values("round_id"))
