"""Forms of instructions: giving one (charged to someone who may report its follow-up), reporting
its follow-up, asking for more."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from lijian.inspections.forms import DATE

from .selectors import instruction_addressees

TEXT = {"rows": 3}


class InstructionForm(forms.Form):
    """A leader's instruction, charged to one of those who may report its follow-up (``subject``'s)."""

    text = forms.CharField(label=_("批示内容"), widget=forms.Textarea(attrs=TEXT))
    follow_up_asked = forms.CharField(
        label=_("落实要求"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    addressee = forms.ModelChoiceField(
        label=_("承办人"),
        queryset=None,
        error_messages={"required": _("请选择承办人。"), "invalid_choice": _("请从列表中选择承办人。")},
    )
    deadline = forms.DateField(
        label=_("落实期限"), widget=DATE, error_messages={"required": _("请填写落实期限。")}
    )

    def __init__(self, *args, subject=None, **kwargs):
        super().__init__(*args, **kwargs)
        users = instruction_addressees(subject) if subject is not None else get_user_model().objects.none()
        self.fields["addressee"].queryset = users
        self.fields["addressee"].label_from_instance = lambda u: u.display_name


class InstructionAnswerForm(forms.Form):
    follow_up_given = forms.CharField(label=_("落实情况"), widget=forms.Textarea(attrs={"rows": 2}))


class InstructionReopenForm(forms.Form):
    deadline = forms.DateField(label=_("新的落实期限"), widget=DATE, required=False)
    follow_up_asked = forms.CharField(label=_("进一步的落实要求"), widget=forms.Textarea(attrs={"rows": 2}))
