"""The talent pool's filters, shared by its page and any API listing of cadres."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lijian.core.list_filters import FieldFilter, ListFilterSet, hidden_flag, hidden_id
from lijian.core.params import BadParameter, shown
from lijian.core.permissions import subtree_q
from lijian.orgs.models import Organization

from .models import Cadre, Skill


class CadreFilter(ListFilterSet):
    """Search by name, cadre id or unit; a skill by its code (an unknown code is a 400 naming it)."""

    q = FieldFilter(forms.CharField, label=gettext_lazy("查找"), method="by_text")
    skill = FieldFilter(forms.CharField, label=gettext_lazy("专长"), method="by_skill")
    # Hidden, set by a count's link (the work report's "人才库（入库N人）" → ``?under=<org id>&in_pool=1``):
    # the cadres of that organisation and below, those in the pool.
    under = hidden_id(gettext_lazy("所属单位"), method="by_under")
    in_pool = hidden_flag(gettext_lazy("已入库"), method="by_in_pool")

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

    def by_under(self, rows, name, value):
        root = Organization.objects.filter(pk=value).values_list("path", flat=True).first()
        return rows.filter(subtree_q(root, "home_org__path")) if root else rows.none()

    def by_in_pool(self, rows, name, value):
        return rows.filter(in_pool=True) if value else rows
