"""The one row reader of the ledger files: each file's ``Column`` declarations decide how a cell is
read (text, integer, date, flag or code), whether it may be empty, how long a text may be (the
model field's ``max_length`` when the column carries a field) and which row keys may not repeat.

Every problem is reported through ``ImportContext.error`` with the file, line and column, so a
parser receives typed values and keeps only its cross-field rules and its look-ups.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lijian.core.vocabulary import normalised, vocabulary

from .registry import (
    BOOL,
    DATE,
    INT,
    INVALID,
    Column,
    ImportContext,
    LedgerFile,
    Rows,
    parse_date,
    parse_int,
)

# What a flag cell may say (``BOOL`` columns), in lower case.
TRUE = frozenset({"1", "true", "yes", "y", "是", "在库", "t"})
FALSE = frozenset({"0", "false", "no", "n", "否", "不在库", "f"})
# A repeated key longer than this is shown cut short in the report.
SHOWN_KEY_LENGTH = 60

# (line, values in column order, whether every value is valid and the row's keys are new)
TypedRows = Iterator[tuple[int, tuple, bool]]
Converter = Callable[[ImportContext, str, int, str], object]


def report_empty(ctx: ImportContext, file: str, line: int, column: str) -> object:
    """Report a cell that may not be empty; returns ``INVALID``."""
    ctx.error(file, line, column, _("不能为空。"))
    return INVALID


def report_duplicate(ctx: ImportContext, file: str, line: int, column: str, value, first: int) -> None:
    """Report a row whose key ``value`` (a value, or a tuple of them) already appeared on line
    ``first`` of the same file: the one wording of every ledger file."""
    shown = ":".join(map(str, value)) if isinstance(value, tuple) else str(value)
    if len(shown) > SHOWN_KEY_LENGTH:
        shown = shown[:SHOWN_KEY_LENGTH] + "…"
    ctx.error(
        file, line, column, _("“%(value)s”重复（第 %(line)s 行已出现）。") % {"value": shown, "line": first}
    )


# Full-width letters and digits (and the full stop and hyphen of codes like １．２ or Ｓ－１) as
# ASCII, for the cells of code and reference columns: Ｓ１ is S1. Free text keeps what was typed.
_CODE_WIDTH = {
    c: c - 0xFEE0 for c in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]
}
_CODE_WIDTH.update({0xFF0E: ord("."), 0xFF0D: ord("-")})


def _text(column: Column) -> Converter:
    key, needs, limit, code = column.key, column.needs_value, column.length_limit, not column.text

    def read(ctx, file, line, text):
        if not text:
            return report_empty(ctx, file, line, key) if needs else ""
        if code and not text.isascii():
            text = text.translate(_CODE_WIDTH)
        if limit is not None and len(text) > limit:
            ctx.error(file, line, key, _("过长（最多 %(n)s 个字符）。") % {"n": limit})
            return INVALID
        return text

    return read


def _choice(column: Column) -> Converter:
    key, needs, default = column.key, column.needs_value, column.default
    # What the column accepts, read once for the import (labels in Chinese and English, the codes, the
    # synonym table): ``core.vocabulary``, the rule forms use too. A word a synonym gave is recorded
    # (``ImportContext.mapped``) for the preview to show what it understood.
    words = vocabulary(column.choices)
    known = words.words.get

    def read(ctx, file, line, text):
        text = text or default
        if not text:
            return report_empty(ctx, file, line, key) if needs else ""
        value = known(text)
        if value is not None:
            return value
        try:
            value, synonym = words.resolve(text)
        except ValidationError as exc:
            ctx.error(file, line, key, " ".join(exc.messages))
            return INVALID
        if synonym or value != text:
            ctx.mapped(file, key, text, words.label(value))
        return value

    return read


def _int(column: Column) -> Converter:
    key, needs, minimum = column.key, column.needs_value, column.minimum

    def read(ctx, file, line, text):
        value = parse_int(ctx, file, line, key, text, minimum=minimum)
        return report_empty(ctx, file, line, key) if value is None and needs else value

    return read


def _date(column: Column) -> Converter:
    key, needs = column.key, column.needs_value

    def read(ctx, file, line, text):
        value = parse_date(ctx, file, line, key, text)
        return report_empty(ctx, file, line, key) if value is None and needs else value

    return read


def _flag(column: Column) -> Converter:
    key, needs, default = column.key, column.needs_value, column.default

    def read(ctx, file, line, text):
        flag = normalised(text or default)
        if not flag:
            return report_empty(ctx, file, line, key) if needs else None
        if flag in TRUE:
            return True
        if flag in FALSE:
            return False
        ctx.error(file, line, key, _("应为 1/0 或 是/否。"))
        return INVALID

    return read


def converter(column: Column) -> Converter:
    """The function reading one cell of ``column``: its value, ``None`` or ``""`` for an empty
    optional cell, or ``INVALID`` once the problem is reported. Made for one import (a code's label
    is read in the language active then)."""
    if column.choices is not None:
        return _choice(column)
    return {INT: _int, DATE: _date, BOOL: _flag}.get(column.kind, _text)(column)


def read_rows(ctx: ImportContext, ledger_file: LedgerFile, rows: Rows) -> TypedRows:
    """Each row of ``rows`` (cells in the order of ``ledger_file.columns``) as typed values, every
    bad cell and every repeated key (``ledger_file.unique``) reported. A row is yielded even when
    bad (its bad values are ``INVALID``, the flag is false), so a parser may still report what it
    alone can see; a key is remembered from the first row where the whole row is good, and a key
    with an empty part is never compared."""
    file = ledger_file.name
    read = [converter(column) for column in ledger_file.columns]
    index = {column.key: i for i, column in enumerate(ledger_file.columns)}
    keys = []  # (the positions of the key's values, the column reported, first line of each key seen)
    for unique in ledger_file.unique:
        keys.append(([index[c] for c in unique.columns], unique.column, {}))
    # The position of the file's one-column key: a refused row's key is remembered under it, so a
    # row of another file naming that key is told which row to correct (``missing_reference``).
    named = next((index[u.columns[0]] for u in ledger_file.unique if len(u.columns) == 1), None)
    refused = ctx.refused.setdefault(file, {})
    for line, cells in rows:
        values = tuple([convert(ctx, file, line, cell) for convert, cell in zip(read, cells, strict=True)])
        ok = INVALID not in values
        if not ok and named is not None and cells[named]:
            refused.setdefault(cells[named], line)
        for positions, column, seen in keys:
            key = tuple([values[i] for i in positions])
            if INVALID in key or None in key or "" in key:
                continue
            first = seen.get(key)
            if first is not None:
                report_duplicate(ctx, file, line, column, key if len(key) > 1 else key[0], first)
                ok = False
            elif ok:
                seen[key] = line
        yield line, values, ok


def validated(ctx: ImportContext, file: str, line: int, column: str, rule: Callable, *args) -> bool:
    """Whether ``rule(*args)`` passes: ``rule`` is one of the domain's validators (the function the
    service calls), and the messages of the ``ValidationError`` it raises are reported on ``column``."""
    try:
        rule(*args)
    except ValidationError as exc:
        ctx.error(file, line, column, " ".join(exc.messages))
        return False
    return True
