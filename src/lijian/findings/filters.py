"""The filters of the problem ledger and the clue list, shared by their pages and API operations."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lijian.core.list_filters import (
    FieldFilter,
    ListFilterSet,
    choice_filter,
    hidden_choice,
    hidden_day,
    hidden_id,
    keyword_filter,
)
from lijian.core.widgets import PickerInput
from lijian.inspections.covered import counted_on
from lijian.inspections.models import Inspection
from lijian.orgs.models import Organization

from .choices import ClueStatus, ProblemStatus, Review
from .models import Category, Clue, Problem


class ProblemFilterForm(forms.Form):
    def clean_org(self) -> str:
        """An organisation code that names an organisation (else the filter would list nothing and
        look like "no problems")."""
        code = self.cleaned_data["org"].strip()
        if code and not Organization.objects.filter(code=code).exists():
            raise ValidationError(_("没有代码为“%(code)s”的组织。"), params={"code": code[:20]})
        return code


class ProblemFilter(ListFilterSet):
    """The problem ledger's filters; every field optional. ``bodies``: the bodies offered."""

    q = keyword_filter()
    org = FieldFilter(forms.CharField, label=_("组织代码"), widget=PickerInput("orgs:pick"), method="by_org")
    body = FieldFilter(forms.ModelChoiceField, label=_("机构"), queryset=None, method="by_body")
    number = FieldFilter(
        forms.IntegerField, label=_("第几轮"), min_value=1, max_value=1000, method="by_number"
    )
    round = hidden_id(_("轮次"))  # a link from a round's page
    category = FieldFilter(
        forms.ModelChoiceField,
        label=_("类别"),
        queryset=Category.objects.filter(parent=None)
        .select_related("framework")
        .order_by("framework", "code"),
        method="by_category",
    )
    status = choice_filter(_("整改状态"), ProblemStatus.choices)
    review = choice_filter(_("审定"), Review.choices)
    close_attention = FieldFilter(forms.BooleanField, label=_("仅重点关注"), method="by_attention")

    class Meta:
        model = Problem
        fields = []  # every filter is declared above
        form = ProblemFilterForm

    id_prefix = "inspection__"  # ``round`` is the inspection's

    def __init__(self, data=None, queryset=None, *, bodies, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.form.fields["body"].queryset = bodies
        self.form.fields["category"].label_from_instance = lambda c: f"{c.framework.name} · {c.code} {c.name}"

    def by_org(self, rows, name, value):
        return rows.filter(inspection__organization__code=value.strip()) if value else rows

    def by_body(self, rows, name, value):
        return rows.filter(inspection__round__body=value)

    def by_number(self, rows, name, value):
        return rows.filter(inspection__round__number=value)

    def by_category(self, rows, name, value):
        return rows.filter(Q(category=value) | Q(category__parent=value) | Q(category__parent__parent=value))

    def by_attention(self, rows, name, value):
        return rows.filter(close_attention=True) if value else rows


# The results written on a clue that a count sums (the work report's "给予党纪政务处分N人"): the
# ``outcome`` filter keeps the clues with some, and the page shows their sum.
OUTCOMES = ("party_discipline", "organisational_handling", "judicial_transfers", "losses_recovered")


class ClueFilter(ListFilterSet):
    """The clue list's filters; hidden ones set by a count's link: ``body`` and ``term`` (ids) of the
    round, ``answered_by`` (answered by that day, of an inspection gone on site by then and not
    withdrawn, as analytics counts answered clues) and ``outcome`` (a field of ``OUTCOMES`` above 0)."""

    status = choice_filter(_("状态"), ClueStatus.choices)
    overdue = FieldFilter(forms.BooleanField, label=_("仅超期未反馈"), method="by_overdue")
    body = hidden_id(_("机构"))
    term = hidden_id(_("届次"))
    answered_by = hidden_day(_("反馈日期截至"), method="by_answered")
    outcome = hidden_choice(
        _("办理结果"),
        ((name, Clue._meta.get_field(name).verbose_name) for name in OUTCOMES),
        method="by_outcome",
    )

    class Meta:
        model = Clue
        fields = []

    id_prefix = "inspection__round__"  # ``body`` and ``term`` are the round's

    def by_answered(self, rows, name, value):
        counted = Inspection.objects.filter(counted_on(value))
        return rows.filter(inspection__in=counted, transferred_on__lte=value, fed_back_on__lte=value)

    def by_outcome(self, rows, name, value):
        return rows.filter(**{f"{value}__gt": 0}) if value else rows

    def by_overdue(self, rows, name, value):
        if not value:
            return rows
        return rows.filter(
            status__in=[ClueStatus.TRANSFERRED, ClueStatus.HANDLING], due_on__lt=timezone.localdate()
        )
