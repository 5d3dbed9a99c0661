"""The account list's filter: ``q``, a part of the user name or of the full name."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lijian.core.list_filters import FieldFilter, ListFilterSet

from .models import User


class UserFilter(ListFilterSet):
    """``q``: the accounts whose user name or full name contains it (all of them when empty)."""

    q = FieldFilter(forms.CharField, label=_("用户名或姓名"), method="by_name")

    class Meta:
        model = User
        fields = []

    def by_name(self, rows, name, value):
        value = value.strip()
        return rows.filter(Q(username__contains=value) | Q(full_name__contains=value)) if value else rows
