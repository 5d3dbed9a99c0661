from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import BodyLevel, OrgKind
from .models import MAX_POSTS, InspectionBody

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OrganizationForm(forms.Form):
    code = forms.CharField(label=_("组织代码"), max_length=40)
    name = forms.CharField(label=_("名称"), max_length=200)
    kind = forms.ChoiceField(label=_("组织类别"), choices=[("", _("请选择")), *OrgKind.choices])
    division_code = forms.RegexField(
        label=_("行政区划代码"),
        regex=r"^\d{0,12}$",
        required=False,
        error_messages={"invalid": _("行政区划代码应为不超过 12 位的数字。")},
    )
    active_from = forms.DateField(label=_("设立日期"), required=False, widget=DATE)
    active_to = forms.DateField(label=_("撤销日期"), required=False, widget=DATE)
    supervising_body = forms.ModelChoiceField(
        label=_("巡视巡察机构"), queryset=InspectionBody.objects.none(), required=False
    )

    def __init__(self, *args, bodies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if bodies is not None:
            self.fields["supervising_body"].queryset = bodies


class BodyForm(forms.Form):
    code = forms.CharField(label=_("机构代码"), max_length=40)
    name = forms.CharField(label=_("名称"), max_length=200)
    level = forms.ChoiceField(label=_("类别"), choices=BodyLevel.choices)
    authorized_posts = forms.IntegerField(label=_("编制数"), min_value=0, max_value=MAX_POSTS, initial=0)
    rectification_threshold = forms.IntegerField(
        label=_("整改落实到位率警戒线（%）"),
        min_value=0,
        max_value=100,
        initial=70,
        help_text=_("被巡视巡察党组织的整改落实到位率低于此值时，须向党委作出深刻检查。"),
    )


class TermForm(forms.Form):
    name = forms.CharField(label=_("届次"), max_length=60)
    start = forms.DateField(label=_("开始日期"), widget=DATE)
    end = forms.DateField(label=_("结束日期"), widget=DATE)
