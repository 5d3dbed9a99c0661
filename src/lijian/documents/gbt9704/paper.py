"""The plain data of an official document (公文) after GB/T 9704-2012, and the small texts the standard
fixes: the document number (发文字号) and the written date (成文日期).

A ``Paper`` knows no workflow: the app that makes a document fills one in and hands it to the
renderers (``render_docx``, ``render_html``). ``paper_to_dict`` / ``paper_from_dict`` store it as
JSON so a document version can be rendered again exactly as it was issued.
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


@dataclass(frozen=True)
class Figure:
    """A computed figure inside text: ``value`` is what is printed, ``definition`` its 口径 and
    ``href`` where the web view links it to the rows behind it."""

    key: str
    label: str
    value: str
    definition: str = ""
    href: str = ""


Run = str | Figure


@dataclass
class Heading:
    """A heading: level 1 一、黑体, 2 （一）楷体, 3 1. 仿宋 bold. ``text`` carries its own ordinal."""

    text: str
    level: int = 1


@dataclass
class Paragraph:
    """A body paragraph of text and figures; ``key`` is a stable id so an office can edit its wording."""

    runs: list[Run]
    key: str = ""


@dataclass
class Table:
    """A table with a header row; cells may hold a figure."""

    header: list[str]
    rows: list[list[Run]]
    title: str = ""


Block = Heading | Paragraph | Table


@dataclass
class Annex:
    """An attachment (附件) printed with the document: on its own page after the signature, "附件N"
    in 黑体 top left and its title centred (GB/T 9704 §7.4)."""

    title: str
    blocks: list[Block]


class Letterhead(StrEnum):
    """How the issuing organ's mark (版头) is printed: in red with the red rule, left blank for paper
    with the letterhead pre-printed, or not at all."""

    RED = "red"
    PREPRINTED = "preprinted"
    NONE = "none"


@dataclass
class Paper:
    """One official document. Every field but ``title`` and ``blocks`` may be left empty, and what is
    empty is not printed."""

    title: str
    blocks: list[Block]
    organ_mark: str = ""  # 发文机关标志, e.g. "中共天津市委巡视工作领导小组办公室文件"
    letterhead: Letterhead = Letterhead.NONE
    number: str = ""  # 发文字号, from document_number()
    classification: str = ""  # 密级和保密期限, or "内部": printed top left
    urgency: str = ""  # 紧急程度
    recipients: str = ""  # 主送机关
    signature: str = ""  # 发文机关署名
    dated: datetime.date | None = None  # 成文日期
    attachments: list[str] = field(default_factory=list)  # 附件说明
    cc: list[str] = field(default_factory=list)  # 抄送机关
    printer: str = ""  # 印发机关
    printed_on: datetime.date | None = None  # 印发日期
    as_of: datetime.date | None = None  # when set, an appendix lists every Figure with its 口径
    subtitle: str = ""
    annexes: list[Annex] = field(default_factory=list)  # printed after the signature, each on a new page


def document_number(prefix: str, year: int, serial: int) -> str:
    """The 发文字号 as GB/T 9704 §7.2.4 writes it: the full year in 六角括号, the serial without a
    leading zero and without 第 — ``("津巡办", 2026, 7)`` gives ``"津巡办〔2026〕7号"``.

    Raises ``ValueError`` for a serial below 1 or a year that is not four digits."""
    if serial < 1:
        raise ValueError("a document number's serial starts at 1")
    if not 1000 <= year <= 9999:
        raise ValueError("a document number carries the full four-digit year")
    return f"{prefix}〔{year}〕{serial}号"


def cn_date(day: datetime.date | None) -> str:
    """``2026年12月4日`` in Arabic numerals without zero padding (§7.3.5.1); empty for no date."""
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def _runs_of(block: Block) -> list[Run]:
    if isinstance(block, Paragraph):
        return list(block.runs)
    if isinstance(block, Table):
        return [run for row in block.rows for run in row]
    return []


def figures_of(paper: Paper) -> list[Figure]:
    """Every ``Figure`` of the paper in reading order, the first of each key only."""
    seen: dict[str, Figure] = {}
    for block in [*paper.blocks, *(b for annex in paper.annexes for b in annex.blocks)]:
        for run in _runs_of(block):
            if isinstance(run, Figure) and run.key not in seen:
                seen[run.key] = run
    return list(seen.values())


# --- JSON ---------------------------------------------------------------------------------------


def _run_to(run: Run) -> Any:
    return run if isinstance(run, str) else {"figure": dataclasses.asdict(run)}


def _run_from(data: Any) -> Run:
    return data if isinstance(data, str) else Figure(**data["figure"])


def _block_to(block: Block) -> dict:
    if isinstance(block, Heading):
        return {"heading": block.text, "level": block.level}
    if isinstance(block, Paragraph):
        return {"paragraph": [_run_to(r) for r in block.runs], "key": block.key}
    return {
        "table": [[_run_to(r) for r in row] for row in block.rows],
        "header": list(block.header),
        "title": block.title,
    }


def _block_from(data: dict) -> Block:
    if "heading" in data:
        return Heading(data["heading"], data["level"])
    if "paragraph" in data:
        return Paragraph([_run_from(r) for r in data["paragraph"]], data["key"])
    return Table(list(data["header"]), [[_run_from(r) for r in row] for row in data["table"]], data["title"])


_DATES = ("dated", "printed_on", "as_of")


def paper_to_dict(paper: Paper) -> dict:
    """The paper as JSON-safe data (dates as ISO strings); ``paper_from_dict`` gives it back equal."""
    data = {f.name: getattr(paper, f.name) for f in dataclasses.fields(paper)}
    data["blocks"] = [_block_to(b) for b in paper.blocks]
    data["annexes"] = [{"title": a.title, "blocks": [_block_to(b) for b in a.blocks]} for a in paper.annexes]
    data["letterhead"] = str(paper.letterhead)
    data["attachments"], data["cc"] = list(paper.attachments), list(paper.cc)
    for name in _DATES:
        data[name] = data[name].isoformat() if data[name] else None
    return data


def paper_from_dict(data: dict) -> Paper:
    """The ``Paper`` that ``paper_to_dict`` wrote. Raises ``KeyError``/``ValueError``/``TypeError`` on
    data it did not write."""
    values = dict(data)
    values["blocks"] = [_block_from(b) for b in data["blocks"]]
    values["annexes"] = [
        Annex(a["title"], [_block_from(b) for b in a["blocks"]]) for a in data.get("annexes", [])
    ]
    values["letterhead"] = Letterhead(data.get("letterhead", Letterhead.NONE))
    values["attachments"], values["cc"] = list(data.get("attachments", [])), list(data.get("cc", []))
    for name in _DATES:
        values[name] = datetime.date.fromisoformat(data[name]) if data.get(name) else None
    return Paper(**values)
