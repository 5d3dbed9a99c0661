"""The forms of the guidance pages: they read and type the input; the services judge it."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lijian.inspections.forms import DATE
from lijian.orgs.choices import OrgKind

from .choices import InspectionScope, NamingWho
from .models import MaterialReview, NamingCandidate, SelfInspectionItem

TEXT = {"rows": 3}


def _today():
    return timezone.localdate()


def _limit(model, name: str) -> int:
    return model._meta.get_field(name).max_length


class BodyChoiceForm(forms.Form):
    """A form whose first field is the guiding body, among those the user's office manages
    (``bodies``, with their committees)."""

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies
        # the highest of the user's bodies (the one whose lower bodies are guided) by default
        highest = min(bodies, key=lambda b: (len(b.owner_org.path), b.code), default=None)
        self.fields["body"].initial = highest


class ReviewForm(BodyChoiceForm):
    body = forms.ModelChoiceField(label=_("审阅机构"), queryset=None)
    organization = forms.ModelChoiceField(label=_("报送党委"), queryset=None)
    secretary_name = forms.CharField(label=_("书记姓名"), max_length=_limit(MaterialReview, "secretary_name"))
    secretary_post = forms.CharField(
        label=_("书记职务"), max_length=_limit(MaterialReview, "secretary_post"), required=False
    )
    meeting_title = forms.CharField(label=_("专题会名称"), max_length=_limit(MaterialReview, "meeting_title"))
    meeting_on = forms.DateField(label=_("专题会日期"), widget=DATE)
    received_on = forms.DateField(label=_("收到材料日期"), widget=DATE, initial=_today)

    def __init__(self, *args, bodies, organizations, **kwargs):
        super().__init__(*args, bodies=bodies, **kwargs)
        self.fields["organization"].queryset = organizations


class StartForm(forms.Form):
    reviewer = forms.ModelChoiceField(label=_("审阅人"), queryset=None)
    on = forms.DateField(label=_("开始审阅日期"), widget=DATE, initial=_today)

    def __init__(self, *args, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewers


class DecideForm(forms.Form):
    opinions = forms.CharField(
        label=_("审阅意见"), widget=forms.Textarea(attrs=TEXT), max_length=5000, required=False
    )
    on = forms.DateField(label=_("办理日期"), widget=DATE, initial=_today)


class DayForm(forms.Form):
    on = forms.DateField(label=_("日期"), widget=DATE, initial=_today)


class SelfInspectionForm(BodyChoiceForm):
    body = forms.ModelChoiceField(label=_("自查机构"), queryset=None)
    title = forms.CharField(label=_("名称"), max_length=200)
    scope = forms.ChoiceField(label=_("自查范围"), choices=InspectionScope.choices)
    period_start = forms.DateField(label=_("自查期间起"), widget=DATE)
    period_end = forms.DateField(label=_("自查期间止"), widget=DATE)


class ItemForm(forms.Form):
    item = forms.CharField(label=_("自查事项"), max_length=_limit(SelfInspectionItem, "item"))
    finding = forms.CharField(
        label=_("自查情况"), widget=forms.Textarea(attrs=TEXT), required=False, max_length=5000
    )
    problem_found = forms.BooleanField(label=_("发现问题"), required=False)
    fix = forms.CharField(
        label=_("整改措施"), widget=forms.Textarea(attrs=TEXT), required=False, max_length=5000
    )
    fixed_on = forms.DateField(label=_("整改完成日期"), widget=DATE, required=False)


class FixForm(forms.Form):
    entry = forms.ModelChoiceField(label=_("自查事项"), queryset=None)
    fix = forms.CharField(label=_("整改措施"), widget=forms.Textarea(attrs=TEXT), max_length=5000)
    fixed_on = forms.DateField(label=_("整改完成日期"), widget=DATE, required=False)

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].queryset = items


class CloseForm(forms.Form):
    summary = forms.CharField(label=_("自查总结"), widget=forms.Textarea(attrs=TEXT), max_length=5000)
    on = forms.DateField(label=_("完成日期"), widget=DATE, initial=_today)


class AssessmentForm(BodyChoiceForm):
    body = forms.ModelChoiceField(label=_("考核机构"), queryset=None)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2999)
    committee_kind = forms.ChoiceField(
        label=_("被考核党委类别"),
        choices=[("", _("全部下级巡察机构")), *OrgKind.choices],
        required=False,
    )
    naming_count = forms.IntegerField(label=_("排名靠后拟通报数"), min_value=0, max_value=99, initial=3)


class ScoreForm(forms.Form):
    assessed_body = forms.ModelChoiceField(label=_("被考核机构"), queryset=None)
    indicator = forms.ModelChoiceField(label=_("评议指标"), queryset=None)
    score = forms.DecimalField(label=_("得分"), max_digits=6, decimal_places=2, min_value=0)
    note = forms.CharField(label=_("说明"), max_length=500, required=False)

    def __init__(self, *args, bodies, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessed_body"].queryset = bodies
        self.fields["indicator"].queryset = indicators


class CandidateForm(forms.Form):
    assessed_body = forms.ModelChoiceField(label=_("被考核机构"), queryset=None)
    who = forms.ChoiceField(label=_("通报对象类别"), choices=NamingWho.choices)
    person_name = forms.CharField(label=_("名称或姓名"), max_length=_limit(NamingCandidate, "person_name"))
    reason = forms.CharField(label=_("通报事由"), max_length=_limit(NamingCandidate, "reason"))

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessed_body"].queryset = bodies
