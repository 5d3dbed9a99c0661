"""The office's wording of a draft's paragraphs, with the figures and dates kept computed.

A paragraph's wording is a text in which each figure stands as ``{figure_key}`` and each date the
kind wrote (``2026年1月31日``) as ``{日期N}``, N counting the paragraph's dates from 1 (a literal
brace is written twice, ``{{`` or ``}}``). The office edits that text; the figures and dates are put
back from what the kind computed, so regenerating the draft at another date refreshes both. A
number can be moved within the sentence but never typed over: a text that drops a figure of its
paragraph or names a placeholder it has not is refused. A date may be dropped or typed as text; a
date so typed stays as typed when the draft is regenerated (``stale_dates`` says which changed).

A paper's 抄送机关 are worded too, as one more text (key ``CC_KEY``) naming them separated by
commas: the kind computes them, the office may change them.
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


# A date as the kinds write it (``cn_date``): Arabic numerals, no zero padding.
_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")
DATE_KEY = "日期%d"


def _escaped(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def template_of(paragraph: Paragraph) -> str:
    """The paragraph as editable text: its words, each figure as ``{key}``, each date as ``{日期N}``."""
    parts = []
    dates = 0
    for run in paragraph.runs:
        if isinstance(run, Figure):
            parts.append("{" + run.key + "}")
            continue
        pos = 0
        for match in _DATE.finditer(run):
            dates += 1
            parts.append(_escaped(run[pos : match.start()]) + "{" + DATE_KEY % dates + "}")
            pos = match.end()
        parts.append(_escaped(run[pos:]))
    return "".join(parts)


def dates_of(paragraph: Paragraph) -> dict[str, str]:
    """The dates the paragraph's text carries, by placeholder key (``日期1`` …), in reading order."""
    found = [
        match.group(0) for run in paragraph.runs if isinstance(run, str) for match in _DATE.finditer(run)
    ]
    return {DATE_KEY % n: date for n, date in enumerate(found, start=1)}


# The key of the 抄送机关 among the editable texts, and what separates the organs in its text.
CC_KEY = "cc"
_CC_SPLIT = re.compile(r"[，,、;；\n]+")


def editable_paragraphs(paper: Paper) -> list[Paragraph]:
    """The paragraphs of ``paper`` the office may reword (those with a key), in reading order, and
    last, when the paper has 抄送机关, those as one paragraph keyed ``CC_KEY`` (“甲，乙”)."""
    paragraphs = [block for block in paper.blocks if isinstance(block, Paragraph) and block.key]
    if paper.cc:
        paragraphs.append(Paragraph(["，".join(paper.cc)], CC_KEY))
    return paragraphs


def where_of(paragraph: Paragraph, index: int) -> str:
    """How the wording form and its errors name an editable paragraph: 第 N 段, or 抄送机关."""
    return _("抄送机关") if paragraph.key == CC_KEY else _("第 %(n)s 段") % {"n": index}


def cc_of(text: str) -> list[str]:
    """The 抄送机关 a worded text names: split at commas (，,、;；) or lines, a leading 抄送： and a
    closing 。 left off, empty names dropped."""
    text = text.strip().removeprefix("抄送：").removeprefix("抄送:").strip().rstrip("。.")
    return [name.strip() for name in _CC_SPLIT.split(text) if name.strip()]


def _figures(paragraph: Paragraph) -> dict[str, Figure]:
    return {run.key: run for run in paragraph.runs if isinstance(run, Figure)}


def _placeholders(text: str) -> set[str]:
    """The placeholder keys ``text`` names (stray braces ignored)."""
    return {m.group(1).strip() for m in _TOKEN.finditer(text) if m.group(1) is not None}


def _parse(text: str, figures: dict[str, Figure], where: str, dates: dict[str, str] | None = None) -> list:
    """The runs of ``text`` with each figure placeholder replaced by its computed figure and each
    date placeholder by its computed date.

    Raises ``ValidationError`` (naming ``where``) for a stray brace, a placeholder of no figure or
    date of the paragraph, or a figure of the paragraph the text leaves out."""
    dates = dates or {}
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
        if key in dates and key not in figures:
            buffer.append(dates[key])
            continue
        if key not in figures:
            raise ValidationError(
                _("%(where)s引用了不存在的数字“{%(key)s}”；本段的数字只有：%(known)s。")
                % {
                    "where": where,
                    "key": key,
                    "known": "、".join("{" + k + "}" for k in [*figures, *dates]) or "—",
                },
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
        where = where_of(paragraph, index)
        text = (text or "").strip()
        if key == CC_KEY and text and not cc_of(text):
            text = ""
        if not text:
            errors.append(ValidationError(_("%(where)s不能为空。") % {"where": where}))
            continue
        if len(text) > MAX_TEXT:
            errors.append(
                ValidationError(_("%(where)s超过 %(max)s 字。") % {"where": where, "max": MAX_TEXT})
            )
            continue
        try:
            _parse(text, _figures(paragraph), where, dates_of(paragraph))
        except ValidationError as exc:
            errors.append(exc)
            continue
        if text != template_of(paragraph):
            cleaned[key] = text
    if errors:
        raise ValidationError(errors)
    return cleaned


def apply_wording(paper: Paper, wording: dict[str, str]) -> tuple[Paper, list[str]]:
    """``paper`` with each paragraph of ``wording`` reworded, its figures and dates taken from
    ``paper``, and the keys of the wordings that no longer fit (their paragraph is gone, or its
    figures or dates changed in number when the records did): those paragraphs keep the computed
    text."""
    blocks = []
    dropped = []
    for block in paper.blocks:
        text = wording.get(block.key) if isinstance(block, Paragraph) and block.key else None
        if text is None:
            blocks.append(block)
            continue
        try:
            blocks.append(Paragraph(_parse(text, _figures(block), "", dates_of(block)), block.key))
        except ValidationError:
            dropped.append(block.key)
            blocks.append(block)
    present = {p.key for p in editable_paragraphs(paper)}
    dropped += [key for key in wording if key not in present]
    cc = paper.cc
    if CC_KEY in wording and CC_KEY in present:
        try:
            cc = cc_of("".join(r for r in _parse(wording[CC_KEY], {}, "") if isinstance(r, str))) or cc
        except ValidationError:
            dropped.append(CC_KEY)
    return replace(paper, blocks=blocks, cc=cc), dropped


def stale_dates(before: Paper, after: Paper, wording: dict[str, str]) -> list[tuple[str, str, str]]:
    """The dates a regenerate changed that a kept wording does not follow: for each paragraph of
    ``wording`` present in both papers, each date of ``after`` that differs from ``before``'s and
    that the wording does not name as its ``{日期N}`` (it dropped it, or typed a date as text, or
    was saved before dates were placeholders). ``(where, old date, new date)`` in reading order,
    ``where`` naming the paragraph as the wording form does (第 N 段)."""
    old = {p.key: p for p in editable_paragraphs(before)}
    stale = []
    for index, paragraph in enumerate(editable_paragraphs(after), start=1):
        text = wording.get(paragraph.key)
        if text is None or paragraph.key not in old:
            continue
        was, named = dates_of(old[paragraph.key]), _placeholders(text)
        for key, date in dates_of(paragraph).items():
            if was.get(key, date) != date and key not in named:
                stale.append((where_of(paragraph, index), was[key], date))
    return stale
