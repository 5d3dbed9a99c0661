from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lijian.core.widgets import PickerInput
from lijian.people.forms import OrgCodeField

from .choices import RoundKind
from .models import FieldworkMethod, LinkageMode, Round, StaffingRules

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RoundForm(forms.Form):
    term = forms.ModelChoiceField(label=_("届次"), queryset=None)
    number = forms.IntegerField(label=_("轮次"), min_value=1)
    kind = forms.ChoiceField(label=_("类型"), choices=RoundKind.choices)
    linkage_mode = forms.ModelChoiceField(
        label=_("联动方式"), queryset=LinkageMode.objects.all(), required=False
    )
    upper_round = forms.ModelChoiceField(
        label=_("联动的上级轮次"), queryset=Round.objects.none(), required=False
    )
    start = forms.DateField(label=_("开始日期"), widget=DATE)
    end = forms.DateField(label=_("结束日期"), widget=DATE)
    theme = forms.CharField(label=_("主题"), max_length=200, required=False)
    clue_feedback_months = forms.IntegerField(
        label=_("线索办理反馈期限（月）"),
        min_value=1,
        max_value=24,
        initial=3,
        help_text=_("移交线索后，协作部门应在此期限内反馈办理情况。"),
    )
    rectification_report_months = forms.IntegerField(
        label=_("整改报告期限（月）"),
        min_value=1,
        max_value=24,
        initial=2,
        help_text=_("反馈后，被巡视巡察党组织应在此期限内报送整改情况报告。"),
    )
    groups = forms.ModelMultipleChoiceField(
        label=_("参加的组"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = body.terms.all()
        self.fields["groups"].queryset = body.groups.filter(active=True).order_by("number")
        above = [body.owner_org.path[:i] for i in range(4, len(body.owner_org.path), 4)]
        self.fields["upper_round"].queryset = Round.objects.filter(
            body__owner_org__path__in=above
        ).select_related("body", "term")


class RoundEditForm(RoundForm):
    """The round page's correction form: what ``round_update`` accepts now is editable, the rest shown."""

    def __init__(self, *args, round_, editable, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                **{name: getattr(round_, name) for name in self.base_fields if hasattr(round_, name)},
                "groups": list(round_.groups.all()),
            },
        )
        super().__init__(*args, body=round_.body, **kwargs)
        del self.fields["term"], self.fields["number"]
        self.fields["upper_round"].queryset = self.fields["upper_round"].queryset.exclude(pk=round_.pk)
        for name, field in self.fields.items():
            field.disabled = name not in editable


class TargetsForm(forms.Form):
    codes = forms.CharField(
        label=_("组织代码"),
        widget=PickerInput("orgs:pick", multiple=True),
        help_text=_("输入组织名称或代码查找，选中后填入代码；可连续选择多个，代码之间用空格分隔。"),
    )

    def __init__(self, *args, body=None, **kwargs):
        super().__init__(*args, **kwargs)
        if body is not None:  # suggest only the body's jurisdiction, which the service checks
            self.fields["codes"].widget.params["within"] = body.owner_org_id


class PlanForm(forms.Form):
    time_limit = forms.IntegerField(label=_("求解时限（秒）"), min_value=1, max_value=600, initial=20)


class MemberForm(forms.Form):
    group = forms.IntegerField(widget=forms.HiddenInput)
    remove = forms.IntegerField(required=False, widget=forms.HiddenInput)
    add_code = forms.CharField(
        label=_("换入人员编号"), max_length=40, required=False, widget=PickerInput("people:pick")
    )
    leader = forms.IntegerField(required=False, widget=forms.HiddenInput)
    deputy = forms.IntegerField(required=False, widget=forms.HiddenInput)


class DateForm(forms.Form):
    on = forms.DateField(label=_("日期"), widget=DATE, initial=timezone.localdate)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=200)


class ActivityForm(forms.Form):
    method = forms.ModelChoiceField(
        label=_("了解情况方式"), queryset=FieldworkMethod.objects.filter(active=True)
    )
    on = forms.DateField(label=_("日期"), widget=DATE, initial=timezone.localdate)
    count = forms.IntegerField(
        label=_("数量"),
        min_value=1,
        max_value=100_000,
        initial=1,
        help_text=_("如谈话人次、受理件数、调阅份数。"),
    )
    notes = forms.CharField(label=_("情况记录"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class RulesForm(forms.ModelForm):
    class Meta:
        model = StaffingRules
        fields = [
            "size_min",
            "size_max",
            "max_targets",
            "leader_min_rank",
            "deputy_count",
            "deputy_min_rank",
            "required_skills",
            "required_skill_count",
            "min_units",
            "young_max_age",
            "lookback_rounds",
            "former_post_years",
        ]
        widgets = {"required_skills": forms.CheckboxSelectMultiple}


class RiskForm(forms.Form):
    organization = OrgCodeField(label=_("组织代码"), max_length=40)
    score = forms.IntegerField(label=_("风险分（0–100）"), min_value=0, max_value=100)
    note = forms.CharField(label=_("依据"), max_length=200, required=False)

    def __init__(self, *args, body=None, **kwargs):
        super().__init__(*args, **kwargs)
        if body is not None:  # suggest only the body's jurisdiction
            self.fields["organization"].widget.params["within"] = body.owner_org_id


class CoreStaffForm(forms.Form):
    codes = forms.CharField(
        label=_("在编人员编号"),
        required=False,
        widget=PickerInput("people:pick", multiple=True),
        help_text=_("输入姓名或编号查找，选中后填入编号；多个编号用空格分隔。编组求解时尽量把他们留在本组。"),
    )

    def __init__(self, *args, body=None, **kwargs):
        super().__init__(*args, **kwargs)
        if body is not None:  # suggest only the body's talent pool, which the view checks
            self.fields["codes"].widget.params["body"] = body.pk
