from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lijian.accounts.forms import phone_field
from lijian.core.widgets import PickerInput
from lijian.inspections.forms import DATE

from .choices import EVALUATION_INDICATORS, AccountabilityAction, Audience, SupervisionMethod, TaskKind
from .validators import (
    COMMENT_MAX_LENGTH,
    DEPARTMENT_MAX_LENGTH,
    LEADER_MAX_LENGTH,
    MEASURE_MAX_LENGTH,
    REASON_MAX_LENGTH,
)

TEXT = {"rows": 3}
# The browser stops at the model's limit; the service says why (validators.check_measure), in the
# same words as the API and tasks.csv, so the field declares no limit of its own.
MEASURE_WIDGET = forms.Textarea(attrs={"rows": 2, "maxlength": MEASURE_MAX_LENGTH})


def _today():
    return timezone.localdate()


class FeedbackForm(forms.Form):
    held_on = forms.DateField(label=_("反馈日期"), widget=DATE, initial=_today)
    given_by = forms.CharField(
        label=_("反馈人"), max_length=200, help_text=_("如：市委第一巡视组组长 张某某")
    )
    received_by = forms.CharField(
        label=_("接受反馈人"), max_length=200, help_text=_("如：被巡视党组织主要负责人及领导班子")
    )
    requirements = forms.CharField(label=_("整改要求"), widget=forms.Textarea(attrs=TEXT), required=False)


class TaskForm(forms.Form):
    measure = forms.CharField(label=_("整改措施"), widget=MEASURE_WIDGET)
    responsible_leader = forms.CharField(label=_("责任领导"), max_length=LEADER_MAX_LENGTH)
    responsible_department = forms.CharField(label=_("责任部门"), max_length=DEPARTMENT_MAX_LENGTH)
    deadline = forms.DateField(label=_("完成时限"), widget=DATE)
    kind = forms.ChoiceField(label=_("类型"), choices=TaskKind.choices, initial=TaskKind.CONCENTRATED)


class TaskChangeForm(forms.Form):
    measure = forms.CharField(label=_("整改措施"), widget=MEASURE_WIDGET)
    deadline = forms.DateField(label=_("完成时限"), widget=DATE)


class ProgressForm(forms.Form):
    on = forms.DateField(label=_("日期"), widget=DATE, initial=_today)
    text = forms.CharField(label=_("进展情况"), widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.FileField(
        label=_("佐证材料"), required=False, help_text=_("PDF、图片、Word、Excel 或文本，最大 20 MB。")
    )


class DoneForm(forms.Form):
    on = forms.DateField(label=_("完成日期"), widget=DATE, initial=_today)


class MoveForm(forms.Form):
    """A problem's status move: the day it happened and the reason."""

    on = forms.DateField(label=_("日期"), widget=DATE, initial=_today)
    reason = forms.CharField(
        label=_("说明"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class ReportForm(forms.Form):
    text = forms.CharField(
        label=_("报告正文"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("至少 50 个字；每类报告只能报送一次，请核对后报送。"),
    )
    signed_by = forms.CharField(label=_("署名"), max_length=120)
    on = forms.DateField(label=_("报送日期"), widget=DATE, initial=_today)


class SelfCriticismForm(forms.Form):
    text = forms.CharField(label=_("检查内容"), widget=forms.Textarea(attrs={"rows": 8}))


class ReturnForm(forms.Form):
    """The inspection side's comment returning a task: what must change before it is accepted."""

    comment = forms.CharField(
        label=_("退回意见"), max_length=COMMENT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )


class LiaisonForm(forms.Form):
    """A liaison account for the inspected organisation; the password is made by the system."""

    username = forms.CharField(
        label=_("用户名"), max_length=150, help_text=_("联络员登录用，如：tjgk-liaison")
    )
    full_name = forms.CharField(label=_("姓名"), max_length=60)
    phone = phone_field()


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=200)


class RatesFilterForm(forms.Form):
    body = forms.ModelChoiceField(label=_("机构"), queryset=None, required=False, empty_label=_("全部机构"))
    on = forms.DateField(label=_("参考日期"), widget=DATE, required=False)

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies


class InterviewForm(forms.Form):
    organization = forms.CharField(label=_("党组织代码"), max_length=40, widget=PickerInput("orgs:pick"))
    interviewer = forms.CharField(label=_("约谈人"), max_length=120)
    interviewee = forms.CharField(label=_("被约谈人"), max_length=120)
    interviewee_post = forms.CharField(label=_("被约谈人职务"), max_length=120, required=False)
    reason = forms.CharField(label=_("约谈事由"), widget=forms.Textarea(attrs=TEXT))
    held_on = forms.DateField(label=_("约谈日期"), widget=DATE, initial=_today)
    follow_up = forms.CharField(label=_("后续跟踪"), widget=forms.Textarea(attrs=TEXT), required=False)


class AccountabilityForm(forms.Form):
    organization = forms.CharField(label=_("党组织代码"), max_length=40, widget=PickerInput("orgs:pick"))
    subject_name = forms.CharField(label=_("问责对象"), max_length=60)
    subject_post = forms.CharField(label=_("职务"), max_length=120)
    action = forms.ChoiceField(label=_("问责方式"), choices=AccountabilityAction.choices)
    reason = forms.CharField(label=_("问责事由"), widget=forms.Textarea(attrs=TEXT))
    decided_by = forms.CharField(label=_("决定机关"), max_length=120)
    decided_on = forms.DateField(label=_("决定日期"), widget=DATE, initial=_today)
    problem = forms.CharField(
        label=_("关联问题编号"),
        max_length=40,
        required=False,
        help_text=_("问题编号，或留空关联该党组织最近一次巡视巡察"),
    )


class SupervisionForm(forms.Form):
    method = forms.ChoiceField(label=_("督办方式"), choices=SupervisionMethod.choices)
    held_on = forms.DateField(label=_("督办日期"), widget=DATE, initial=_today)
    content = forms.CharField(label=_("督办内容"), widget=forms.Textarea(attrs=TEXT))
    result = forms.CharField(label=_("督办结果"), widget=forms.Textarea(attrs=TEXT), required=False)


class EvaluationForm(forms.Form):
    evaluated_on = forms.DateField(label=_("评估日期"), widget=DATE, initial=_today)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label, full in EVALUATION_INDICATORS:
            self.fields[f"score_{code}"] = forms.IntegerField(
                label=_("%(label)s（满分 %(full)s）") % {"label": label, "full": full},
                min_value=0,
                max_value=full,
            )
        self.fields["notes"] = forms.CharField(
            label=_("评估意见"), widget=forms.Textarea(attrs=TEXT), required=False
        )

    def scores(self) -> dict[str, int]:
        return {code: self.cleaned_data[f"score_{code}"] for code, _label, _full in EVALUATION_INDICATORS}


class DisclosureForm(forms.Form):
    audience = forms.ChoiceField(label=_("公开范围"), choices=Audience.choices, initial=Audience.PUBLIC)
    title = forms.CharField(label=_("标题"), max_length=200)
    text = forms.CharField(label=_("公开内容"), widget=forms.Textarea(attrs={"rows": 6}))
    show_rates = forms.BooleanField(label=_("公开整改完成率和落实到位率"), required=False, initial=True)
    problems = forms.ModelMultipleChoiceField(
        label=_("公开的问题（仅公开问题概述）"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    published_on = forms.DateField(label=_("公开日期"), widget=DATE, initial=_today)

    def __init__(self, *args, problems, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["problems"].queryset = problems
        self.fields["problems"].label_from_instance = lambda p: f"{p.ref} {p.summary}"
