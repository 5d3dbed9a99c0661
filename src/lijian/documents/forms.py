from django import forms
from django.utils.translation import gettext_lazy as _

from .wording import CC_KEY, dates_of, where_of


class LedgerUploadForm(forms.Form):
    bundle = forms.FileField(
        label=_("台账文件"),
        help_text=_(
            "一个 .zip（内含 organizations.csv、bodies.csv、terms.csv 等 UTF-8 CSV 文件）、一个 .xlsx"
            "（工作表名与文件名相同）或单个 .csv 文件。"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,.xlsx,.csv"}),
    )
    preview = forms.BooleanField(
        label=_("先预览，确认后再写入"),
        help_text=_(
            "预览列出各文件将新增、更新的条数、全部错误和取值的对应（如 亲属任职 → 亲属关系），不写入任何数据。"
        ),
        required=False,
        initial=True,
    )


class LedgerExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("格式"), choices=[("zip", _("CSV 压缩包 (.zip)")), ("xlsx", _("Excel (.xlsx)"))]
    )


class DocumentDraftForm(forms.Form):
    """The "新建文书" form: which kind, from which organ, for which term or year, as of which date."""

    kind = forms.ChoiceField(label=_("文书种类"))
    organ = forms.TypedChoiceField(label=_("发文机关"), coerce=int)
    term = forms.CharField(
        label=_("届次"), max_length=100, required=False, help_text=_("不填则按种类的默认（通常为当前届次）。")
    )
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=9999, required=False)
    named = forms.CharField(
        label=_("点名对象"),
        max_length=40,
        required=False,
        help_text=_("仅点名道姓通报：committees（区委）或 persons（个人）；不填则全部点名。"),
    )
    as_of = forms.DateField(
        label=_("数据截至"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("文中数字按此日的台账计算；不填为今天。"),
    )

    def __init__(self, *args, kinds: list[tuple[str, str]], organs: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds
        self.fields["organ"].choices = organs


class RegenerateForm(forms.Form):
    as_of = forms.DateField(
        label=_("数据截至"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class WordingForm(forms.Form):
    """One text box per paragraph the office may reword, its figures written ``{key}`` and its
    dates ``{日期N}``."""

    def __init__(self, *args, paragraphs: list, templates: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.keys: dict[str, str] = {}
        for index, paragraph in enumerate(paragraphs, start=1):
            name = f"p{index}"
            self.keys[name] = paragraph.key
            figures = [run for run in paragraph.runs if not isinstance(run, str)]
            self.fields[name] = forms.CharField(
                label=where_of(paragraph, index),
                initial=templates[paragraph.key],
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("；").join(
                    [
                        *(
                            _("{%(key)s} = %(label)s（%(value)s）")
                            % {"key": f.key, "label": f.label, "value": f.value}
                            for f in figures
                        ),
                        # The dates the text carries, refreshed when the draft is regenerated.
                        *(f"{{{key}}} = {date}" for key, date in dates_of(paragraph).items()),
                    ]
                )
                or (
                    _("各机关之间用逗号（，）分隔，印在版记的“抄送：”之后。")
                    if paragraph.key == CC_KEY
                    else ""
                ),
            )

    def wording(self) -> dict[str, str]:
        """Paragraph key → submitted text, for the paragraphs the request sent."""
        return {key: self.cleaned_data[name] for name, key in self.keys.items() if name in self.data}
