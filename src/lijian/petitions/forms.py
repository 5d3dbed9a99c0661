from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lijian.core.widgets import PickerInput
from lijian.inspections.forms import DATE
from lijian.orgs.models import InspectionBody, Organization

from .choices import Channel

TEXT = {"rows": 4}


class IdentityFields(forms.Form):
    """Who petitioned: every field optional (anonymous when all are empty)."""

    name = forms.CharField(label=_("反映人姓名"), max_length=40, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    id_number = forms.CharField(label=_("身份证号"), max_length=30, required=False)
    address = forms.CharField(label=_("联系地址"), max_length=120, required=False)

    IDENTITY = ("name", "phone", "id_number", "address")

    def identity(self) -> dict:
        return {k: self.cleaned_data.get(k, "") for k in self.IDENTITY}


class PetitionForm(IdentityFields):
    body = forms.ModelChoiceField(
        label=_("受理机构"), queryset=InspectionBody.objects.none(), empty_label=None
    )
    channel = forms.ChoiceField(label=_("渠道"), choices=[c for c in Channel.choices if c[0] != Channel.QR])
    received_on = forms.DateField(label=_("受理日期"), widget=DATE)
    org_code = forms.CharField(
        label=_("反映的党组织代码"), max_length=40, required=False, widget=PickerInput("orgs:pick")
    )
    category = forms.CharField(label=_("问题类别"), max_length=60, required=False)
    summary = forms.CharField(label=_("反映内容"), widget=forms.Textarea(attrs=TEXT))
    joint_body = forms.ModelChoiceField(
        label=_("联合接待的巡察机构"),
        queryset=InspectionBody.objects.filter(level="patrol"),
        required=False,
        help_text=_("渠道为“联合接待”时必填：与本机构一同接待来信来访的巡察机构。"),
    )

    field_order = [
        "body",
        "channel",
        "received_on",
        "org_code",
        "category",
        "summary",
        "joint_body",
        "name",
        "phone",
        "id_number",
        "address",
    ]

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies
        self.fields["received_on"].initial = timezone.localdate()

    def clean_org_code(self):
        code = self.cleaned_data["org_code"].strip()
        if not code:
            return None
        org = Organization.objects.filter(code=code).first()
        if org is None:
            raise forms.ValidationError(_("没有代码为“%(code)s”的党组织。") % {"code": code})
        return org


class PublicPetitionForm(IdentityFields):
    summary = forms.CharField(
        label=_("反映的问题"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text=_("请写明何人、何时、何事；可以匿名反映。"),
    )
    category = forms.CharField(label=_("问题类别（可不填）"), max_length=60, required=False)
    field_order = ["summary", "category", "name", "phone", "id_number", "address"]


class ReceiptForm(forms.Form):
    code = forms.CharField(label=_("查询码"), max_length=40)


class RouteGroupForm(forms.Form):
    inspection = forms.ModelChoiceField(label=_("转给"), queryset=None, empty_label=None)

    def __init__(self, *args, inspections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspection"].queryset = inspections
        self.fields["inspection"].label_from_instance = lambda i: (
            f"{i.group.name if i.group else ''} · {i.organization.name} · {i.round}"
        )


class RouteDepartmentForm(forms.Form):
    department = forms.ModelChoiceField(label=_("协作部门"), queryset=None, empty_label=None)
    subject_name = forms.CharField(label=_("反映对象"), max_length=60)
    subject_post = forms.CharField(label=_("职务"), max_length=120, required=False)

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("办理结果"), widget=forms.Textarea(attrs={"rows": 3}))
    answered_on = forms.DateField(label=_("办理日期"), widget=DATE, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=200)
