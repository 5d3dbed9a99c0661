"""The errors of an import as a workbook the office corrects in: each sheet of the bundle that has an
error, its rows where they were (same line numbers), the bad cells filled red with the reason as a
comment (a row-wide error marks the row's first cell, a header error the header cell), and a first
sheet listing every error. Cells are written as the bundle had them, neutralised like every cell the
product writes (``cells``)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

from .bundle import header_key, open_bundle
from .cells import xlsx_text
from .errors import BundleError, RowError
from .importer import by_file_name, header_words
from .registry import REGISTRY, header_names

BAD = PatternFill("solid", fgColor="FFC7CE")
# A sheet of the marked copy holds at most this many rows of the bundle (the errors list holds all).
MAX_COPIED_ROWS = 100_000


def _text(value) -> str:
    return xlsx_text(value) if isinstance(value, str) else value


def errors_workbook(target: Path, errors: list[RowError], bundle: Path | None = None) -> Path:
    """Write to ``target`` (.xlsx) the list of ``errors`` and, when the ``bundle`` they were found in
    is given and readable, a marked copy of each sheet with an error. Returns ``target``."""
    book = Workbook()
    listing = book.active
    listing.title = "错误清单"
    listing.append(["文件", "行", "列", "原因"])
    for cell in listing[1]:
        cell.font = Font(bold=True)
    for e in errors:
        listing.append([_text(e.file), e.line or None, _text(e.column), _text(e.reason)])
    listing.column_dimensions["D"].width = 80
    if bundle is not None:
        _marked_sheets(book, errors, bundle)
    book.save(target)
    return target


def _marked_sheets(book: Workbook, errors: list[RowError], bundle: Path) -> None:
    by_file: dict[str, list[RowError]] = defaultdict(list)
    for e in errors:
        by_file[e.file].append(e)
    try:
        sheets = by_file_name(open_bundle(bundle, header_words()))
    except BundleError:
        return
    for name, sheet in sheets.items():
        found = by_file.get(name)
        if not found:
            continue
        ws = book.create_sheet(name.removesuffix(".csv")[:31])
        names = header_names(REGISTRY[name]) if name in REGISTRY else {}
        position = {}  # column key or header text -> 1-based column
        for i, cell in enumerate(sheet.header, start=1):
            ws.cell(row=sheet.header_line, column=i, value=_text(cell)).font = Font(bold=True)
            position.setdefault(names.get(header_key(cell), cell), i)
            position.setdefault(cell, i)
        wanted = defaultdict(list)
        for e in found:
            wanted[e.line].append(e)
        for copied, (line, cells) in enumerate(sheet.rows):
            if copied >= MAX_COPIED_ROWS:
                break
            for i, value in enumerate(cells, start=1):
                ws.cell(row=line, column=i, value=_text(value))
        for line, line_errors in wanted.items():
            if line <= 0:
                continue
            for column, reasons in _by_column(line_errors, position).items():
                cell = ws.cell(row=line, column=column)
                cell.fill = BAD
                cell.comment = Comment("\n".join(reasons), "lijian")


def _by_column(errors: list[RowError], position: dict) -> dict[int, list[str]]:
    marked: dict[int, list[str]] = defaultdict(list)
    for e in errors:
        marked[position.get(e.column, 1)].append(e.reason)
    return marked
