"""The building blocks of a list's filters: a FilterSet base and the filter factories every list uses.

A list's FilterSet (django-filter) is shared by its page and its API operation (``lists.list_page``,
``lists.api_filtered``). Besides the filters a user sets in the form, a list takes *hidden* ones: the
links of a count (a figure of the work report, the cockpit, …) carry them — an id, a day, a code, a
flag — so the list shows exactly the rows the count is of. They are form fields like the others, so a
hand-edited value that does not fit (not a number, over ``ID_MAX``, not a date, not a code) is refused
beside the filter and the page answers 400; it never reaches the database.
"""

from __future__ import annotations

from collections.abc import Iterable

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy

from .params import ID_MAX


class FieldFilter(django_filters.Filter):
    """A FilterSet filter with any Django form field (``field_class`` and its arguments), applied by
    the FilterSet's ``method``: a list keeps the exact field, widget, label and messages it had."""

    def __init__(self, field_class, *, method: str, **kwargs):
        self.field_class = field_class
        super().__init__(method=method, **kwargs)


def choice_filter(label, choices: Iterable, *, method: str = "by_value", **kwargs) -> FieldFilter:
    """A filter offering ``choices`` (an enum's ``.choices``) after an empty "—": by default it keeps
    the rows whose field of the filter's name holds the chosen code (``ListFilterSet.by_value``)."""
    return FieldFilter(forms.ChoiceField, label=label, choices=[("", "—"), *choices], method=method, **kwargs)


def keyword_filter() -> FieldFilter:
    """The 关键词 box of a list of records with a ``ref`` and a ``summary``
    (``ListFilterSet.by_ref_or_summary``)."""
    return FieldFilter(forms.CharField, label=gettext_lazy("关键词"), method="by_ref_or_summary")


# --- hidden filters, set by the links of a count ----------------------------------------------------


def hidden_id(label, *, method: str = "by_id") -> FieldFilter:
    """A hidden id: a whole number from 1 to ``ID_MAX`` (a larger one would overflow the database).
    By default it keeps the rows whose foreign key of the filter's name is that id
    (``ListFilterSet.by_id``)."""
    return FieldFilter(
        forms.IntegerField,
        label=label,
        min_value=1,
        max_value=ID_MAX,
        widget=forms.HiddenInput,
        method=method,
    )


def hidden_day(label, *, method: str, lookup_expr: str | None = None) -> FieldFilter:
    """A hidden day (``YYYY-MM-DD``), applied by the FilterSet's ``method``."""
    return FieldFilter(
        forms.DateField, label=label, widget=forms.HiddenInput, method=method, lookup_expr=lookup_expr
    )


def since_filter(label=None) -> FieldFilter:
    """A hidden day (labelled 起始日期 unless ``label``) keeping the rows whose ``date_field`` is on or
    after it (``ListFilterSet.by_day``)."""
    return hidden_day(label or gettext_lazy("起始日期"), method="by_day", lookup_expr="gte")


def until_filter(label=None) -> FieldFilter:
    """A hidden day (labelled 截止日期 unless ``label``) keeping the rows whose ``date_field`` is on or
    before it (``ListFilterSet.by_day``)."""
    return hidden_day(label or gettext_lazy("截止日期"), method="by_day", lookup_expr="lte")


def hidden_choice(label, choices: Iterable, *, method: str = "by_value") -> FieldFilter:
    """A hidden code among ``choices`` (``choice_filter`` without a select box)."""
    return choice_filter(label, choices, method=method, widget=forms.HiddenInput)


def hidden_flag(label, *, method: str) -> FieldFilter:
    """A hidden yes/no (``1``, ``true``, …), applied by the FilterSet's ``method`` (which also gets
    ``False``: test truthiness)."""
    return FieldFilter(forms.BooleanField, label=label, widget=forms.HiddenInput, method=method)


class ListFilterSet(django_filters.FilterSet):
    """A list's filters (``Meta.model`` names what they filter; ``list_page`` applies them to the rows
    the selector gave). Applied only when every value is valid (see ``lists.filtered``); a method filter
    is called only with a value (``False`` from an unticked checkbox included: test truthiness).

    ``date_field``: the field (a lookup path) a ``since_filter``/``until_filter`` bounds; ``id_prefix``:
    the path (ending ``__``) from a row to the record whose foreign keys its ``hidden_id`` filters name
    (``""``: the row's own)."""

    date_field = ""
    id_prefix = ""

    def by_value(self, rows, name, value):
        """The rows whose field ``name`` equals ``value``; all of them when it is empty."""
        return rows.filter(**{name: value}) if value else rows

    def by_ref_or_summary(self, rows, name, value):
        """The rows whose summary contains ``value`` or whose reference starts with it; all of them
        when it is empty."""
        return rows.filter(Q(summary__contains=value) | Q(ref__startswith=value)) if value else rows

    def by_id(self, rows, name, value):
        """The rows whose foreign key ``name`` (through ``id_prefix``) is the id ``value``."""
        return rows.filter(**{f"{self.id_prefix}{name}_id": value})

    def by_day(self, rows, name, value):
        """The rows whose ``date_field`` is within the bound the filter ``name`` sets with the day
        ``value`` (on or after it for a ``since_filter``, on or before for an ``until_filter``)."""
        return rows.filter(**{f"{self.date_field}__{self.filters[name].lookup_expr}": value})
