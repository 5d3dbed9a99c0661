"""The office's wording of a draft's paragraphs, with the figures kept computed.

A paragraph's wording is a text in which each figure stands as ``{figure_key}`` (a literal brace is
written twice, ``{{`` or ``}}``). The office edits that text; the figures are put back from the
values the kind computed, so a number can be moved within the sentence but never typed over: a
text that drops a figure of its paragraph or names one it has not is refused.
"""

from __future__ import annotations

import re
from dataclasses import replace

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .gbt9704 import Figure, Paper, Paragraph

# ``{{`` and ``}}`` are literal braces, ``{key}`` a figure, any other brace a mistake.
_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
MAX_TEXT = 4000


def template_of(paragraph: Paragraph) -> str:
    """The paragraph as editable text: its words, each figure as ``{key}``."""
    parts = []
    for run in paragraph.runs:
        if isinstance(run, Figure):
            parts.append("{" + run.key + "}")
        else:
            parts.append(run.replace("{", "{{").replace("}", "}}"))
    return "".join(parts)


def editable_paragraphs(paper: Paper) -> list[Paragraph]:
    """The paragraphs of ``paper`` the office may reword (those with a key), in reading order."""
    return [block for block in paper.blocks if isinstance(block, Paragraph) and block.key]


def _figures(paragraph: Paragraph) -> dict[str, Figure]:
    return {run.key: run for run in paragraph.runs if isinstance(run, Figure)}


def _parse(text: str, figures: dict[str, Figure], where: str) -> list:
    """The runs of ``text`` with each placeholder replaced by its computed figure.

    Raises ``ValidationError`` (naming ``where``) for a stray brace, a placeholder of no figure of
    the paragraph, or a figure of the paragraph the text leaves out."""
    runs: list = []
    named: set[str] = set()
    buffer = []
    pos = 0
    for match in _TOKEN.finditer(text):
        buffer.append(text[pos : match.start()])
        pos = match.end()
        token = match.group(0)
        if token in ("{{", "}}"):
            buffer.append(token[0])
            continue
        key = match.group(1)
        if key is None:
            raise ValidationError(
                _("%(where)s有单独的大括号“%(brace)s”：数字写作 {数字代号}，文字中的大括号请写两次。")
                % {"where": where, "brace": token},
                code="brace",
            )
        key = key.strip()
        if key not in figures:
            raise ValidationError(
                _("%(where)s引用了不存在的数字“{%(key)s}”；本段的数字只有：%(known)s。")
                % {"where": where, "key": key, "known": "、".join("{" + k + "}" for k in figures) or "—"},
                code="unknown_figure",
            )
        named.add(key)
        if buffer:
            runs.append("".join(buffer))
            buffer = []
        runs.append(figures[key])
    buffer.append(text[pos:])
    if "".join(buffer):
        runs.append("".join(buffer))
    missing = [key for key in figures if key not in named]
    if missing:
        raise ValidationError(
            _("%(where)s删去了数字%(missing)s：数字由系统根据台账计算，只能移动位置，不能删去或改写。")
            % {
                "where": where,
                "missing": "、".join(f"“{{{key}}}”（{figures[key].label}）" for key in missing),
            },
            code="missing_figure",
        )
    return runs


def check_wording(paper: Paper, wording: dict[str, str]) -> dict[str, str]:
    """``wording`` cleaned for ``paper``: texts stripped, those equal to the computed text dropped
    (nothing to remember). Raises ``ValidationError`` for a key of no editable paragraph, an empty or
    over-long text, or a text whose placeholders do not match its paragraph's figures."""
    paragraphs = {p.key: (i, p) for i, p in enumerate(editable_paragraphs(paper), start=1)}
    cleaned = {}
    errors = []
    for key, text in wording.items():
        if key not in paragraphs:
            errors.append(ValidationError(_("文稿中没有编号为“%(key)s”的段落。") % {"key": key}))
            continue
        index, paragraph = paragraphs[key]
        where = _("第 %(n)s 段") % {"n": index}
        text = (text or "").strip()
        if not text:
            errors.append(ValidationError(_("%(where)s不能为空。") % {"where": where}))
            continue
        if len(text) > MAX_TEXT:
            errors.append(
                ValidationError(_("%(where)s超过 %(max)s 字。") % {"where": where, "max": MAX_TEXT})
            )
            continue
        try:
            _parse(text, _figures(paragraph), where)
        except ValidationError as exc:
            errors.append(exc)
            continue
        if text != template_of(paragraph):
            cleaned[key] = text
    if errors:
        raise ValidationError(errors)
    return cleaned


def apply_wording(paper: Paper, wording: dict[str, str]) -> tuple[Paper, list[str]]:
    """``paper`` with each paragraph of ``wording`` reworded, its figures taken from ``paper``, and
    the keys of the wordings that no longer fit (their paragraph is gone, or its figures changed
    when the records did): those paragraphs keep the computed text."""
    blocks = []
    dropped = []
    for block in paper.blocks:
        text = wording.get(block.key) if isinstance(block, Paragraph) and block.key else None
        if text is None:
            blocks.append(block)
            continue
        try:
            blocks.append(Paragraph(_parse(text, _figures(block), ""), block.key))
        except ValidationError:
            dropped.append(block.key)
            blocks.append(block)
    present = {p.key for p in editable_paragraphs(paper)}
    dropped += [key for key in wording if key not in present]
    return replace(paper, blocks=blocks), dropped
