"""The talent pool's filters, shared by its page and any API listing of cadres."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lijian.core.lists import FieldFilter, ListFilterSet
from lijian.core.params import BadParameter, shown

from .models import Cadre, Skill


class CadreFilter(ListFilterSet):
    """Search by name, cadre id or unit; a skill by its code (an unknown code is a 400 naming it)."""

    q = FieldFilter(forms.CharField, label=gettext_lazy("查找"), method="by_text")
    skill = FieldFilter(forms.CharField, label=gettext_lazy("专长"), method="by_skill")

    class Meta:
        model = Cadre
        fields = []

    def by_text(self, rows, name, value):
        value = value.strip()
        if not value:
            return rows
        return rows.filter(
            Q(name__contains=value) | Q(cadre_id__startswith=value) | Q(home_org__name__contains=value)
        )

    def by_skill(self, rows, name, value):
        if not Skill.objects.filter(code=value).exists():
            raise BadParameter(_("没有代码为“%(code)s”的专长。") % {"code": shown(value)})
        return rows.filter(skills__code=value)
