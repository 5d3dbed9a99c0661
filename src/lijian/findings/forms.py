from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lijian.inspections.forms import DATE

from .choices import ClueResult, DepartmentKind
from .models import Category, Framework
from .validators import check_inspection_found_on, found_on_rule, inspection_found_period

TEXT = {"rows": 3}


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{'　' * obj.code.count('.')}{obj.code} {obj.name}"


class ProblemForm(forms.Form):
    category = CategoryChoiceField(label=_("问题类别"), queryset=Category.objects.none())
    summary = forms.CharField(label=_("问题概述"), max_length=200)
    description = forms.CharField(label=_("具体表现"), widget=forms.Textarea(attrs=TEXT), required=False)
    people = forms.CharField(
        label=_("人（责任主体）"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    matters = forms.CharField(
        label=_("事（具体事项）"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    causes = forms.CharField(
        label=_("因（深层原因）"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    systems = forms.CharField(
        label=_("制（制度漏洞）"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    close_attention = forms.BooleanField(label=_("重点关注"), required=False)
    rectify_at_once = forms.BooleanField(label=_("立行立改"), required=False)
    found_on = forms.DateField(label=_("发现日期"), widget=DATE)
    evidence = forms.FileField(
        label=_("证据材料"),
        required=False,
        help_text=_("PDF、图片、Word、Excel 或文本；可在保存后继续上传。"),
    )

    def __init__(self, *args, inspection, **kwargs):
        super().__init__(*args, **kwargs)
        day = kwargs.get("initial", {}).get("found_on") or timezone.localdate()
        level = inspection.round.body.level
        frameworks = [f for f in Framework.objects.filter(level=level) if f.valid_on(day)]
        if not frameworks:  # a round long past: offer what was in force when it started
            frameworks = [
                f for f in Framework.objects.filter(level=level) if f.valid_on(inspection.round.start)
            ]
        self.fields["category"].queryset = Category.objects.filter(framework__in=frameworks).order_by(
            "framework", "code"
        )
        self.inspection = inspection
        self.fields["found_on"].help_text = found_on_rule(*inspection_found_period(inspection))

    def clean_found_on(self):
        day = self.cleaned_data["found_on"]
        try:
            check_inspection_found_on(self.inspection, day)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["found_on"]) from exc
        return day


class ProblemEditForm(ProblemForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["evidence"]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=200)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("文件"))
    description = forms.CharField(label=_("说明"), max_length=200, required=False)


class ClueForm(forms.Form):
    subject_name = forms.CharField(label=_("反映对象"), max_length=60)
    subject_post = forms.CharField(label=_("职务"), max_length=120, required=False)
    summary = forms.CharField(label=_("主要问题"), widget=forms.Textarea(attrs=TEXT))
    department = forms.ModelChoiceField(label=_("拟移交部门"), queryset=None, empty_label=None)
    problem = forms.ModelChoiceField(label=_("相关问题"), queryset=None, required=False)
    recorded_on = forms.DateField(
        label=_("记录日期"),
        widget=DATE,
        required=False,
        initial=timezone.localdate,
        help_text=_("线索编号按记录日期的年份编排；补录时填写当时的日期。"),
    )

    def __init__(self, *args, inspection, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        self.fields["problem"].queryset = inspection.problems.all()


class TransferForm(forms.Form):
    transferred_on = forms.DateField(label=_("移交日期"), widget=DATE, required=False)
    due_on = forms.DateField(
        label=_("反馈期限"), widget=DATE, required=False, help_text=_("不填则按本轮规定的期限计算。")
    )


class AcceptForm(forms.Form):
    accepted_on = forms.DateField(label=_("接收日期"), widget=DATE, required=False)


class FeedbackForm(forms.Form):
    result = forms.ChoiceField(label=_("办理方式"), choices=ClueResult.choices)
    feedback = forms.CharField(label=_("办理情况"), widget=forms.Textarea(attrs=TEXT))
    fed_back_on = forms.DateField(label=_("反馈日期"), widget=DATE, required=False)
    party_discipline = forms.IntegerField(
        label=_("党纪政务处分（人）"), min_value=0, max_value=10000, initial=0
    )
    organisational_handling = forms.IntegerField(
        label=_("组织处理（人）"), min_value=0, max_value=10000, initial=0
    )
    judicial_transfers = forms.IntegerField(
        label=_("移送司法机关（人）"), min_value=0, max_value=10000, initial=0
    )
    losses_recovered = forms.DecimalField(
        label=_("挽回经济损失（万元）"), min_value=0, max_digits=12, decimal_places=2, initial=0
    )


class CategoryForm(forms.Form):
    code = forms.CharField(label=_("编号"), max_length=20, help_text=_("如 2.6；上级分类由编号确定。"))
    name = forms.CharField(label=_("名称"), max_length=120)


class VersionForm(forms.Form):
    code = forms.CharField(label=_("新版本代码"), max_length=40)
    name = forms.CharField(label=_("新版本名称"), max_length=60)
    valid_from = forms.DateField(label=_("启用日期"), widget=DATE)


class DepartmentForm(forms.Form):
    code = forms.CharField(label=_("代码"), max_length=40)
    name = forms.CharField(label=_("名称"), max_length=60)
    kind = forms.ChoiceField(label=_("类别"), choices=DepartmentKind.choices)
    committee = forms.ModelChoiceField(label=_("所属党委"), queryset=None, empty_label=None)

    def __init__(self, *args, committees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees


class StaffForm(forms.Form):
    usernames = forms.CharField(
        label=_("经办人员用户名"),
        required=False,
        widget=forms.TextInput(),
        help_text=_("用逗号或空格分隔；须持有“协作部门”角色。"),
    )
