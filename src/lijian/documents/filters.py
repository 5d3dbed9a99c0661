"""The official document list's filters, shared by its page and its API operation."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lijian.core.list_filters import FieldFilter, ListFilterSet, choice_filter, since_filter, until_filter

from .choices import DocumentStatus
from .kinds import kind_choices
from .models import OfficialDocument


def _organ_value(organ_type: str, organ_id: int) -> str:
    return f"{organ_type}:{organ_id}"


class DocumentFilter(ListFilterSet):
    """Kind, status, year, issuing organ (among those of the documents the user may read) and a
    keyword in the title or number."""

    kind = FieldFilter(forms.ChoiceField, label=_("种类"), choices=[("", "—")], method="by_value")
    status = choice_filter(_("状态"), DocumentStatus.choices)
    year = FieldFilter(forms.IntegerField, label=_("年度"), min_value=2000, max_value=9999, method="by_value")
    organ = FieldFilter(forms.ChoiceField, label=_("发文机关"), choices=[("", "—")], method="by_organ")
    q = FieldFilter(forms.CharField, label=_("关键词"), max_length=100, method="by_keyword")
    # Hidden, set by a count's link (the work report's "5次发文通报整改情况"): issued on or after /
    # on or before the day (local dates, as ``reports.selectors.documents_issued`` counts them).
    issued_since = since_filter(_("印发起始日期"))
    issued_until = until_filter(_("印发截止日期"))
    date_field = "issued_at__date"

    class Meta:
        model = OfficialDocument
        fields = []

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.form.fields["kind"].choices = [("", "—"), *kind_choices()]
        organs = []
        if queryset is not None:
            organs = (
                queryset.order_by("organ_name", "organ_type", "organ_id")
                .values_list("organ_type", "organ_id", "organ_name")
                .distinct()
            )
        self.form.fields["organ"].choices = [
            ("", "—"),
            *((_organ_value(t, i), name) for t, i, name in organs),
        ]

    def by_organ(self, rows, name, value):
        if not value:
            return rows
        organ_type, _sep, organ_id = value.rpartition(":")
        return rows.filter(organ_type=organ_type, organ_id=int(organ_id))

    def by_keyword(self, rows, name, value):
        return rows.filter(Q(title__contains=value) | Q(number__contains=value)) if value else rows
