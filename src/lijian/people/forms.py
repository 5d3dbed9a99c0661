from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lijian.core.widgets import PickerInput
from lijian.orgs.models import Organization

from .choices import AbsenceKind, ConflictKind, Gender, Rank
from .models import Skill, SupervisionLine
from .validators import check_period

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OrgCodeField(forms.CharField):
    """An organisation given by its code, typed or chosen in a picker that searches by name or code."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", PickerInput("orgs:pick"))
        super().__init__(*args, **kwargs)

    def clean(self, value):
        code = super().clean(value)
        if not code:
            return None
        try:
            return Organization.objects.get(code=code.strip())
        except Organization.DoesNotExist as exc:
            raise forms.ValidationError(_("没有代码为“%(code)s”的组织。") % {"code": code}) from exc


class CadreForm(forms.Form):
    cadre_id = forms.CharField(label=_("人员编号"), max_length=40)
    name = forms.CharField(label=_("姓名"), max_length=60)
    gender = forms.ChoiceField(label=_("性别"), choices=Gender.choices)
    birth_year = forms.IntegerField(label=_("出生年份"), min_value=1940, max_value=2010)
    home_org = OrgCodeField(label=_("所在单位代码"), max_length=40)
    rank = forms.ChoiceField(label=_("职级"), choices=[("", _("请选择")), *Rank.choices])
    skills = forms.ModelMultipleChoiceField(
        label=_("专长"), queryset=Skill.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    in_pool = forms.BooleanField(label=_("在库"), required=False, initial=True)


class ConflictForm(forms.Form):
    organization = OrgCodeField(label=_("回避单位代码"), max_length=40)
    kind = forms.ChoiceField(label=_("回避事由"), choices=ConflictKind.choices)
    detail = forms.CharField(label=_("说明"), max_length=200, required=False)
    start = forms.DateField(label=_("起始日期"), required=False, widget=DATE)
    end = forms.DateField(
        label=_("终止日期"),
        required=False,
        widget=DATE,
        help_text=_("曾任职的，填写离任日期；离任满规定年限后不再回避。"),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤销理由"), max_length=200)


class AbsenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("事由"), choices=AbsenceKind.choices)
    start = forms.DateField(label=_("起始日期"), widget=DATE)
    end = forms.DateField(label=_("终止日期"), widget=DATE)
    detail = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        # The cadre page shows this form beside the conflict form, which has a ``kind`` too: ids unique.
        kwargs.setdefault("auto_id", "id_absence_%s")
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        try:
            check_period(data.get("start"), data.get("end"))
        except ValidationError as exc:
            self.add_error(None, exc)  # on the field it names
        return data


class SupervisionLineForm(forms.ModelForm):
    """A line of supervision, its two units given by code (or chosen in the picker)."""

    supervisor = OrgCodeField(label=_("监督单位代码"), max_length=40)
    supervised = OrgCodeField(label=_("被监督单位代码"), max_length=40)

    class Meta:
        model = SupervisionLine
        fields = ("supervisor", "supervised", "description", "active")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # the units show by code, as they are typed
            self.initial["supervisor"] = self.instance.supervisor.code
            self.initial["supervised"] = self.instance.supervised.code
