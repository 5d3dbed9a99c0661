"""The files a ledger bundle may hold and how each is read, checked, written and exported.

Each domain app registers its files, one module per file in its ``ledger`` package (``orgs/ledger/``
registers organizations.csv, bodies.csv and terms.csv); the importer and exporter only know this
registry, and the row reader (``reader``) reads every cell as its ``Column`` declares.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter

from django.utils.translation import gettext as _

from lijian.core.permissions import access_for
from lijian.core.vocabulary import normalised, register_vocabulary

from .bundle import header_key
from .cells import QUOTE, restore
from .errors import RowError, SheetSource

# Beyond this many, errors are counted but not listed (a broken million-row file must not exhaust memory).
MAX_LISTED_ERRORS = 10_000


# The kinds of value a column holds (``Column.kind``); a column with ``choices`` holds a code.
TEXT, INT, DATE, BOOL = "text", "int", "date", "bool"


@dataclass(frozen=True)
class Column:
    """One column of a ledger file, as declared: what the row reader (``reader.read_rows``) checks and
    converts, so a parser keeps only its cross-field rules and lookups."""

    key: str  # the English header of DESIGN.md §7
    label: str  # the Chinese header, also accepted on import
    required: bool = False  # the column must be present (a value may still be optional)
    choices: type | None = None  # a TextChoices enum: its codes or labels are the allowed values
    # Free text a person typed (a name, a description), not a code, date, number or reference: the
    # formula sweep of the tests plants formulas into every such column.
    text: bool = False
    kind: str = TEXT  # TEXT (a stripped str), INT, DATE or BOOL; ignored when ``choices`` is set
    needs_value: bool = False  # an empty cell is an error ("不能为空。")
    # The model field whose value the column carries (``Model.field``): its ``max_length`` bounds a text.
    field: object = None
    max_length: int | None = None  # the bound of a text that maps to no model field with one
    minimum: int = 0  # the least INT allowed
    default: str = ""  # the text an empty cell stands for (a choice code, a BOOL flag)

    @property
    def length_limit(self) -> int | None:
        """The most characters a text may have: the model field's ``max_length`` when the column
        maps to a field that has one, else ``max_length``."""
        field = getattr(self.field, "field", self.field)  # ``Model.name`` gives a descriptor
        return getattr(field, "max_length", None) or self.max_length


def filled(key: str, label: str, **declared) -> Column:
    """A column every file must have and every row must fill (``required`` and ``needs_value``)."""
    return Column(key, label, required=True, needs_value=True, **declared)


@dataclass(frozen=True)
class Unique:
    """Columns whose values together may appear on one row of a file only; a repeat is reported on
    ``at`` (by default the last of ``columns``)."""

    columns: tuple[str, ...]
    at: str | None = None

    @property
    def column(self) -> str:
        return self.at or self.columns[-1]


@dataclass
class ImportContext:
    """State shared by the files of one import: who imports, what was parsed, what went wrong."""

    actor: object
    progress: Callable[[str, int, int | None], None] = lambda stage, done, total: None
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    staged: dict[str, object] = field(default_factory=dict)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    present: set[str] = field(default_factory=set)
    columns: dict[str, set[str]] = field(default_factory=dict)  # file -> the columns its header named
    # (file, column, the word as written) -> [what it was read as, how many cells]: the words read
    # through a synonym or another language's label, shown by the preview.
    mappings: dict[tuple[str, str, str], list] = field(default_factory=dict)
    # file -> what the office wrote for it (sheet name, header texts and positions), set by the importer
    sources: dict[str, SheetSource] = field(default_factory=dict)
    # file -> the lines passed over as a total row (合计, 总计, 小计), shown by the preview
    skipped: dict[str, list[int]] = field(default_factory=dict)
    # file -> the key (its one-column ``Unique``, as written) of each row refused -> its line: a row
    # elsewhere naming that key is told to correct that row first (``missing_reference``)
    refused: dict[str, dict[str, int]] = field(default_factory=dict)
    # file -> the office's sheet not imported because it seems to be that file (``unimported``)
    stand_ins: dict[str, str] = field(default_factory=dict)

    def error(self, file: str, line: int, column: str, reason: str) -> None:
        """Report a problem of ``file`` on ``line`` in ``column`` (a key, or a header text): located
        as the office wrote it too when the importer knows the file's source."""
        self.error_count += 1
        if len(self.errors) < MAX_LISTED_ERRORS:
            source = self.sources.get(file)
            if source is None:
                self.errors.append(RowError(file, line, column, str(reason)))
            else:
                self.errors.append(source.row_error(file, line, column, str(reason)))

    def missing_reference(self, file: str, code: str) -> str | None:
        """Why ``code``, named by a row of another file, is not found in ``file`` when the bundle
        holds it after all: its row there was refused (that row is named), or the sheet that seems
        to be ``file`` was not imported. ``None`` when the bundle gives no such reason (the code is
        then in neither the bundle nor the system)."""
        line = self.refused.get(file, {}).get(code)
        if line is not None:
            source = self.sources.get(file)
            return _("“%(code)s”所在的行有错误（%(sheet)s 第 %(line)s 行），请先改正该行。") % {
                "code": code,
                "sheet": source.sheet if source is not None else file,
                "line": line,
            }
        sheet = self.stand_ins.get(file)
        if sheet is not None:
            return _("“%(code)s”应在工作表“%(sheet)s”中，但该表未导入（见该表的错误）。") % {
                "code": code,
                "sheet": sheet,
            }
        return None

    def mapped(self, file: str, column: str, text: str, meaning: str) -> None:
        """Record that ``text`` in ``column`` of ``file`` was read as ``meaning``."""
        entry = self.mappings.setdefault((file, column, text), [meaning, 0])
        entry[1] += 1

    def mapping_list(self) -> list[dict]:
        """The recorded mappings, file by file, as the preview and the report show them: each column
        labelled by the header the office wrote, else by its Chinese label."""
        labels = {(f.name, c.key): c.label for f in REGISTRY.values() for c in f.columns}
        for file, source in self.sources.items():
            for column, (header, _position) in source.columns.items():
                if header != column:
                    labels[(file, column)] = header
        return [
            {
                "file": file,
                "column": column,
                "label": labels.get((file, column), column),
                "text": text,
                "meaning": meaning,
                "cells": cells,
            }
            for (file, column, text), (meaning, cells) in sorted(self.mappings.items())
        ]

    def count(self, file: str, what: str, n: int = 1) -> None:
        self.counts.setdefault(file, {}).setdefault(what, 0)
        self.counts[file][what] += n

    @property
    def access(self):
        return access_for(self.actor)


@dataclass
class ExportContext:
    actor: object
    progress: Callable[[str, int, int | None], None] = lambda stage, done, total: None

    @property
    def access(self):
        return access_for(self.actor)


Rows = Iterator[tuple[int, tuple[str, ...]]]


@dataclass
class LedgerFile:
    name: str
    title: str
    columns: list[Column]
    order: int
    # Cross-field checks of each row as the row reader gives it ((line, typed values, ok), see
    # ``reader.read_rows``), staging the good rows in ctx; the rows' total when known.
    parse: Callable[[ImportContext, Iterator, int | None], None]
    check: Callable[[ImportContext], None]  # checks across files, after every file is parsed
    apply: Callable[[ImportContext], None]  # writes, inside the import's transaction
    export: Callable[[ExportContext], Iterator[list]]  # rows in column order
    unique: tuple[Unique, ...] = ()  # the row keys the reader refuses to see twice
    # ``parse`` receives the rows as the file has them (text cells) rather than as the row reader
    # gives them (typed values): for a file whose parser has its own fast path.
    raw: bool = False

    @property
    def header(self) -> list[str]:
        return [c.key for c in self.columns]


REGISTRY: dict[str, LedgerFile] = {}


def register(ledger_file: LedgerFile) -> LedgerFile:
    """Offer ``ledger_file`` to the importer and exporter; its coded columns' enums become
    vocabularies the synonym table may name (``core.vocabulary``)."""
    for column in ledger_file.columns:
        if column.choices is not None:
            register_vocabulary(column.choices)
    REGISTRY[ledger_file.name] = ledger_file
    return ledger_file


def registered_files() -> list[LedgerFile]:
    # The name breaks a tie: no import-order luck.
    return sorted(REGISTRY.values(), key=lambda f: (f.order, f.name))


# Header cells of a column the importer passes over: the row numbers offices put in front of a table.
IGNORED_COLUMNS = frozenset({"序号", "no.", "#"})


def header_names(ledger_file: LedgerFile) -> dict[str, str]:
    """Each name a header may give a column of ``ledger_file`` (its key, its Chinese label), as
    ``bundle.header_key`` writes it, with the column's key."""
    names = {}
    for column in ledger_file.columns:
        names[header_key(column.key)] = column.key
        names[header_key(column.label)] = column.key
    return names


def resolve_header(
    ctx: ImportContext, ledger_file: LedgerFile, header: list[str], line: int = 1
) -> list[str | None] | None:
    """Map the header cells (on ``line``) to column keys, ``None`` for a column passed over (序号);
    report unknown, duplicate and missing columns. A header is matched whatever its case, blanks
    and full-width forms (``header_key``)."""
    by_name = header_names(ledger_file)
    keys, ok = [], True
    for cell in header:
        name = header_key(cell)
        key = by_name.get(name)
        if key is None and name in IGNORED_COLUMNS:
            keys.append(None)
            continue
        if key is None:
            ctx.error(
                ledger_file.name,
                line,
                cell,
                _("未知的列（可用的列：%(known)s）。")
                % {"known": "、".join(f"{c.key}/{c.label}" for c in ledger_file.columns)},
            )
            ok = False
        elif key in keys:
            ctx.error(ledger_file.name, line, cell, _("列重复。"))
            ok = False
        keys.append(key)
    for column in ledger_file.columns:
        if column.required and column.key not in keys:
            ctx.error(ledger_file.name, line, column.key, _("缺少必需的列。"))
            ok = False
    return keys if ok else None


def ordered_rows(ctx: ImportContext, ledger_file: LedgerFile, keys: list[str], rows) -> Rows:
    """Each row as a tuple of stripped cells in the order of ``ledger_file.columns``, whatever the
    header's order (a column the header lacks gives ""), so parsers unpack rather than look up; a row
    with more cells than the header is reported. A cell neutralised against formula injection on
    export (``'=1+1``) gives back its original text (``=1+1``), see ``cells``."""
    width = len(keys)
    picks = [keys.index(c.key) if c.key in keys else width for c in ledger_file.columns]
    pick = itemgetter(*picks)
    as_is = picks == list(range(width))
    padding = [""] * (width + 1)  # index ``width`` is the "" of a missing column

    strip = str.strip
    for line, cells in rows:
        if is_total_row(cells):
            ctx.skipped.setdefault(ledger_file.name, []).append(line)
            continue
        n = len(cells)
        if n > width:
            if any(c.strip() for c in cells[width:]):
                ctx.error(ledger_file.name, line, "", _("这一行的单元格比表头多。"))
                continue
            cells = cells[:width]
            n = width
        if as_is and n == width:
            values = tuple(map(strip, cells))
        else:
            values = tuple(map(strip, pick(cells + padding[n:])))
        # Stripped first, then restored: a tab kept behind the apostrophe is part of the text. The
        # join keeps the common row (no apostrophe anywhere) on the fast path of a million-row file.
        if QUOTE in "".join(values):
            values = tuple(map(restore, values))
        yield line, values


# What the first filled cell of a row offices add under a table says (blanks and a colon dropped).
TOTAL_WORDS = frozenset({"合计", "总计", "小计", "共计", "总合计"})


def is_total_row(cells: list[str]) -> bool:
    """Whether the row is a total an office added under (or inside) its table: its first filled
    cell says 合计, 总计 or 小计 (full-width forms and blanks as in ``合 计：`` allowed). Such a row
    holds no record, so it is passed over rather than refused."""
    first = next((c for c in cells if c and not c.isspace()), "")
    if not first or len(first) > 12 or first[0] not in "合总小共 \u3000":
        return False
    word = "".join(unicodedata.normalize("NFKC", first).split()).rstrip(":")
    return word in TOTAL_WORDS


# --- Value parsers (the row reader's): each returns the value or records an error and returns ``INVALID``.

INVALID = object()


# The ways offices write a day: 2026-03-01, 2026/3/1, 2026.3.1, 2026年3月1日, 20260301 (full-width
# digits and punctuation read as ASCII).
_DAY = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_COMPACT_DAY = re.compile(r"(\d{4})(\d{2})(\d{2})")


def day_from_text(text: str) -> datetime.date | None:
    """The day ``text`` writes in one of the forms above, or ``None`` when it is none of them or no
    real day (2026-02-30)."""
    text = normalised(text)
    found = _DAY.fullmatch(text) or _COMPACT_DAY.fullmatch(text)
    if found is None:
        return None
    try:
        return datetime.date(*map(int, found.groups()))
    except ValueError:
        return None


def parse_date(
    ctx: ImportContext, file: str, line: int, column: str, text: str
) -> datetime.date | None | object:
    if not text:
        return None
    day = day_from_text(text)
    if day is None:
        ctx.error(file, line, column, _date_problem(text))
        return INVALID
    return day


def _date_problem(text: str) -> str:
    """Why ``text`` is no day: written in a known form but naming no real day (month 13, 2 月 30
    日), or in no known form."""
    found = _DAY.fullmatch(normalised(text)) or _COMPACT_DAY.fullmatch(normalised(text))
    if found is None:
        return _("日期“%(value)s”无法识别，应写成 2025-03-01 或 2025年3月1日。") % {"value": text}
    _year, month, day = map(int, found.groups())
    if not 1 <= month <= 12:
        return _("日期“%(value)s”不存在：没有 %(month)s 月。") % {"value": text, "month": month}
    return _("日期“%(value)s”不存在：%(month)s 月没有 %(day)s 日。") % {
        "value": text,
        "month": month,
        "day": day,
    }


_is_int = re.compile(r"[+-]?\d+").fullmatch


def parse_int(ctx: ImportContext, file: str, line: int, column: str, text: str, *, minimum: int = 0):
    """An integer cell; full-width digits (０１２) and thousands separators (1,200) are read too."""
    if not text:
        return None
    if not _is_int(text):
        plain = normalised(text).replace(",", "")
        if not _is_int(plain):
            ctx.error(file, line, column, _("“%(value)s”不是整数。") % {"value": text})
            return INVALID
        text = plain
    value = int(text)
    if value < minimum:
        ctx.error(file, line, column, _("不能小于 %(minimum)s。") % {"minimum": minimum})
        return INVALID
    return value


def iso(value) -> str:
    return value.isoformat() if value else ""
