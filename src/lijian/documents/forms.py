from django import forms
from django.utils.translation import gettext_lazy as _


class LedgerUploadForm(forms.Form):
    bundle = forms.FileField(
        label=_("台账文件"),
        help_text=_(
            "一个 .zip（内含 organizations.csv、bodies.csv、terms.csv 等 UTF-8 CSV 文件）、一个 .xlsx"
            "（工作表名与文件名相同）或单个 .csv 文件。"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,.xlsx,.csv"}),
    )


class LedgerExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("格式"), choices=[("zip", _("CSV 压缩包 (.zip)")), ("xlsx", _("Excel (.xlsx)"))]
    )
