"""Forms of the committee's records. They parse; the services decide (``validators``)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lijian.core.widgets import PickerInput
from lijian.findings.models import Problem
from lijian.inspections.forms import DATE
from lijian.orgs.models import Organization
from lijian.rectification.models import Accountability
from lijian.rectification.selectors import accountability_visible

from .choices import ExposureChannel, MeetingKind
from .models import CaseExposure, Meeting, MeetingInstruction, Regulation

TEXT = {"rows": 3}


def _today():
    return timezone.localdate()


def _limit(model, name: str) -> int:
    return model._meta.get_field(name).max_length


class BodyChoiceForm(forms.Form):
    """A record's form that names its body first, among those the user's office keeps (only when
    new: a record stays with its body)."""

    body = forms.ModelChoiceField(
        label=_("机构"), queryset=None, error_messages={"invalid_choice": _("请从列表中选择机构。")}
    )

    def __init__(self, *args, bodies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if bodies is None:
            del self.fields["body"]
        else:
            self.fields["body"].queryset = bodies
            if bodies.count() == 1:
                self.fields["body"].initial = bodies.first().pk


class MeetingForm(BodyChoiceForm):
    held_on = forms.DateField(label=_("会议日期"), widget=DATE, initial=_today)
    kind = forms.ChoiceField(label=_("会议类型"), choices=MeetingKind.choices)
    title = forms.CharField(label=_("会议名称"), max_length=_limit(Meeting, "title"))
    topics = forms.CharField(label=_("议题"), widget=forms.Textarea(attrs=TEXT))
    attendees = forms.CharField(label=_("出席人员"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    decisions = forms.CharField(label=_("会议决定"), widget=forms.Textarea(attrs=TEXT), required=False)


class MeetingInstructionForm(forms.Form):
    """An instruction arising from a meeting: the leader (an account, or a name) and whom it is
    charged to (an account, and/or an organisation or department named in text)."""

    given_by = forms.ModelChoiceField(label=_("批示领导（账号）"), queryset=None, required=False)
    given_by_name = forms.CharField(
        label=_("批示领导（无账号时填写姓名职务）"),
        max_length=_limit(MeetingInstruction, "given_by_name"),
        required=False,
    )
    text = forms.CharField(label=_("批示内容"), widget=forms.Textarea(attrs=TEXT))
    assignee = forms.ModelChoiceField(label=_("承办人（账号）"), queryset=None, required=False)
    assignee_name = forms.CharField(
        label=_("承办单位或人员"), max_length=_limit(MeetingInstruction, "assignee_name"), required=False
    )
    due_on = forms.DateField(
        label=_("落实期限"), widget=DATE, error_messages={"required": _("请填写落实期限。")}
    )

    def __init__(self, *args, leaders, assignees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["given_by"].queryset = leaders
        self.fields["assignee"].queryset = assignees
        for name in ("given_by", "assignee"):
            self.fields[name].label_from_instance = lambda u: u.display_name

    def clean(self):
        data = super().clean()
        if not data.get("assignee") and not (data.get("assignee_name") or "").strip():
            self.add_error("assignee_name", _("请填写承办单位或人员，或选择承办人。"))
        return data


class InstructionAnswerForm(forms.Form):
    answer = forms.CharField(label=_("落实情况"), widget=forms.Textarea(attrs={"rows": 2}))


class InstructionReopenForm(forms.Form):
    due_on = forms.DateField(label=_("新的落实期限"), widget=DATE, required=False)
    follow_up_asked = forms.CharField(label=_("进一步的落实要求"), widget=forms.Textarea(attrs={"rows": 2}))


class RegulationForm(BodyChoiceForm):
    name = forms.CharField(label=_("名称"), max_length=_limit(Regulation, "name"))
    issuer = forms.CharField(label=_("发文机关"), max_length=_limit(Regulation, "issuer"))
    number = forms.CharField(label=_("文号"), max_length=_limit(Regulation, "number"), required=False)
    issued_on = forms.DateField(label=_("印发日期"), widget=DATE)
    summary = forms.CharField(label=_("主要内容"), widget=forms.Textarea(attrs=TEXT), required=False)


class RegulationMoveForm(forms.Form):
    """Revising (naming the newer text), repealing or restoring a rule, on a day."""

    on = forms.DateField(label=_("日期"), widget=DATE, required=False)
    replaced_by = forms.ModelChoiceField(
        label=_("修订后的制度"),
        queryset=None,
        required=False,
        error_messages={"invalid_choice": _("请从列表中选择修订后的制度。")},
    )

    def __init__(self, *args, regulation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replaced_by"].queryset = Regulation.objects.filter(body=regulation.body_id).exclude(
            pk=regulation.pk
        )


def _accountability_label(record: Accountability) -> str:
    """How an accountability record reads in the exposure form's list: day, organisation, person."""
    return (
        f"{record.decided_on:%Y-%m-%d} {record.organization.name} "
        f"{record.subject_name}（{record.subject_post}） · {record.get_action_display()}"
    )


class ExposureForm(BodyChoiceForm):
    title = forms.CharField(label=_("案例"), max_length=_limit(CaseExposure, "title"))
    summary = forms.CharField(label=_("基本情况"), widget=forms.Textarea(attrs=TEXT))
    people_named = forms.CharField(
        label=_("涉及人员"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    organization = forms.CharField(
        label=_("涉及党组织代码"), max_length=40, widget=PickerInput("orgs:pick"), required=False
    )
    channel = forms.ChoiceField(label=_("曝光渠道"), choices=ExposureChannel.choices)
    outlet = forms.CharField(label=_("发布平台"), max_length=_limit(CaseExposure, "outlet"))
    published_on = forms.DateField(label=_("发布日期"), widget=DATE, initial=_today)
    problem = forms.CharField(label=_("关联问题编号"), max_length=40, required=False)
    accountability = forms.ModelChoiceField(
        label=_("关联问责"),
        queryset=Accountability.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("请从列表中选择问责记录。")},
    )

    def __init__(self, *args, user, **kwargs):
        """``user``: whose accountability records (those the user may see) the form offers."""
        super().__init__(*args, **kwargs)
        field = self.fields["accountability"]
        field.queryset = accountability_visible(user).order_by("-decided_on", "-pk")
        field.label_from_instance = _accountability_label

    def clean_organization(self):
        code = self.cleaned_data["organization"].strip()
        if not code:
            return None
        found = Organization.objects.filter(code=code).first()
        if found is None:
            raise ValidationError(_("没有代码为“%(code)s”的党组织。") % {"code": code[:40]})
        return found

    def clean_problem(self):
        ref = self.cleaned_data["problem"].strip()
        if not ref:
            return None
        found = Problem.objects.filter(ref=ref).select_related("inspection__organization").first()
        if found is None:
            raise ValidationError(_("没有编号为“%(ref)s”的问题。") % {"ref": ref[:40]})
        return found
