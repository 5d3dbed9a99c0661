"""The form of a proposal drawn from common problems. It parses; the service decides."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lijian.inspections.forms import DATE

from .models import CommonProblemProposal, ProposalKind


def _limit(name: str) -> int:
    return CommonProblemProposal._meta.get_field(name).max_length


class ProposalForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("建议作为"),
        choices=ProposalKind.choices,
        widget=forms.RadioSelect,
        initial=ProposalKind.SPECIAL_ROUND,
    )
    body = forms.ModelChoiceField(
        label=_("机构"), queryset=None, error_messages={"invalid_choice": _("请从列表中选择机构。")}
    )
    title = forms.CharField(
        label=_("主题"),
        max_length=_limit("title"),
        help_text=_("专项巡视巡察的主题，或制度建设事项的名称。"),
    )
    note = forms.CharField(
        label=_("理由和建议措施"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    start = forms.DateField(label=_("专项轮次开始日期"), widget=DATE, required=False)
    end = forms.DateField(label=_("专项轮次结束日期"), widget=DATE, required=False)
    responsible = forms.CharField(
        label=_("制度建设牵头单位"), max_length=_limit("responsible"), required=False
    )
    due_on = forms.DateField(label=_("制度建设完成时限"), widget=DATE, required=False)
    again = forms.BooleanField(
        label=_("仍要再次提出"),
        required=False,
        help_text=_("本机构已就这组问题提出过建议时须勾选，以免重复提出。"),
    )

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies

    def clean(self):
        data = super().clean()
        if data.get("kind") == ProposalKind.SPECIAL_ROUND:
            # one message for both dates, under the first one missing
            missing = [n for n in ("start", "end") if not data.get(n) and n not in self.errors]
            if missing:
                self.add_error(missing[0], _("专项巡视巡察须填写开始日期和结束日期。"))
        return data
