"""The errors of an import as a workbook the office corrects in, with a first sheet listing every
error where the office wrote it (its sheet, its header, the row as Excel numbers it).

- An .xlsx bundle comes back as itself: the office's own sheets under their own names, title rows,
  merged cells, styles and cell types kept, each bad cell filled red with the reason as a comment
  (a row-wide error marks the row's first cell, a header error the header cell). The office's own
  formulas stay its formulas; every text the product adds (the list) is neutralised (``cells``).
  The importer passes the added list over, so the corrected workbook may be uploaded again.
- A workbook too large to load whole (``FAITHFUL_COPY_BYTES``), and a CSV bundle, get a copy of
  each sheet with an error instead: its cells where they were, as the bundle had them, neutralised
  like every cell the product writes (``cells``).
"""

from __future__ import annotations

import zipfile
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException

from .bundle import canonical_name, open_bundle
from .cells import xlsx_text
from .errors import ERRORS_SHEET, BundleError, RowError
from .importer import by_file_name, header_words

BAD = PatternFill("solid", fgColor="FFC7CE")
# A sheet of a copy holds at most this many rows of the bundle (the errors list holds all).
MAX_COPIED_ROWS = 100_000
# An .xlsx up to this size is loaded whole and marked in place (openpyxl holds some fifty times the
# file in memory); a larger one has its sheets with errors copied row by row.
FAITHFUL_COPY_BYTES = 8 * 1024 * 1024
# The longest sheet name Excel allows.
SHEET_NAME_LENGTH = 31


def _text(value) -> str:
    return xlsx_text(value) if isinstance(value, str) else value


def errors_workbook(target: Path, errors: list[RowError], bundle: Path | None = None) -> Path:
    """Write to ``target`` (.xlsx) the list of ``errors`` and, when the ``bundle`` they were found in
    is given and readable, the office's workbook marked (or a marked copy of each sheet with an
    error, see the module docstring). Returns ``target``."""
    book = None
    if (
        bundle is not None
        and bundle.suffix.lower() == ".xlsx"
        and bundle.stat().st_size <= FAITHFUL_COPY_BYTES
    ):
        book = _marked_workbook(errors, bundle)
    if book is None:
        book = Workbook()
        book.remove(book.active)
        if bundle is not None:
            _copied_sheets(book, errors, bundle)
    _listing(book, errors)
    book.save(target)
    return target


def _listing(book: Workbook, errors: list[RowError]) -> None:
    """The list of every error, as the workbook's first and active sheet."""
    if ERRORS_SHEET in book.sheetnames:  # the list of an earlier round, uploaded again: replaced
        book.remove(book[ERRORS_SHEET])
    listing = book.create_sheet(ERRORS_SHEET, 0)
    listing.append([_("工作表（文件）"), _("行"), _("列"), _("原因"), _("系统中的文件"), _("系统中的列")])
    for cell in listing[1]:
        cell.font = Font(bold=True)
    for e in errors:
        listing.append(
            [_text(e.place), e.line or None, _text(e.column_name), _text(e.reason), e.file, e.column or None]
        )
    listing.column_dimensions["A"].width = 20
    listing.column_dimensions["C"].width = 16
    listing.column_dimensions["D"].width = 80
    book.active = 0
    for ws in book.worksheets[1:]:
        ws.sheet_view.tabSelected = False


def _marked_workbook(errors: list[RowError], bundle: Path) -> Workbook | None:
    """The office's workbook with its bad cells marked; ``None`` when it cannot be read."""
    try:
        book = load_workbook(bundle)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        return None
    sheets = {ws.title: ws for ws in book.worksheets}
    for sheet, found in _by_sheet(errors, sheets).items():
        ws = sheets[sheet]
        for e in found:
            if e.line > 0:
                _mark(ws, e.line, e.position or 1, e.reason)
    return book


def _by_sheet(errors: Iterable[RowError], sheets: Iterable[str]) -> dict[str, list[RowError]]:
    """The errors of each of ``sheets``, found by the sheet the error names (or by the internal
    file the sheet is: a report kept from before errors named their sheet)."""
    known = set(sheets)
    files = by_file_name({canonical_name(name): name for name in known})
    found: dict[str, list[RowError]] = defaultdict(list)
    for e in errors:
        sheet = e.sheet if e.sheet in known else files.get(e.file)
        if sheet is not None:
            found[sheet].append(e)
    return found


def _mark(ws, row: int, column: int, reason: str) -> None:
    """Fill the cell red and add ``reason`` to its comment; a cell inside a merged range marks the
    range's first cell (the one Excel shows)."""
    for merged in ws.merged_cells.ranges:
        if merged.min_row <= row <= merged.max_row and merged.min_col <= column <= merged.max_col:
            row, column = merged.min_row, merged.min_col
            break
    cell = ws.cell(row=row, column=column)
    cell.fill = BAD
    text = reason if cell.comment is None else f"{cell.comment.text}\n{reason}"
    cell.comment = Comment(text, "lijian", width=300, height=120)


def _copied_sheets(book: Workbook, errors: list[RowError], bundle: Path) -> None:
    """A copy of each sheet of ``bundle`` with an error, its bad cells marked."""
    try:
        sheets = by_file_name(open_bundle(bundle, header_words()))
    except BundleError:
        return
    typed = _typed_rows(bundle) if bundle.suffix.lower() == ".xlsx" else {}
    by_file: dict[str, list[RowError]] = defaultdict(list)
    for e in errors:
        by_file[e.file].append(e)
    for name, sheet in sheets.items():
        found = by_file.get(name)
        if not found:
            continue
        title = sheet.title or name
        ws = book.create_sheet(title.removesuffix(".csv")[:SHEET_NAME_LENGTH])
        if title in typed:
            _copy_values(ws, typed[title])
        else:
            for i, cell in enumerate(sheet.header, start=1):
                ws.cell(row=sheet.header_line, column=i, value=_text(cell)).font = Font(bold=True)
            for copied, (line, cells) in enumerate(sheet.rows):
                if copied >= MAX_COPIED_ROWS:
                    break
                for i, value in enumerate(cells, start=1):
                    ws.cell(row=line, column=i, value=_text(value))
        for e in found:
            if e.line > 0:
                _mark(ws, e.line, e.position or 1, e.reason)


def _typed_rows(bundle: Path) -> dict[str, Iterable[tuple]]:
    """The rows of each worksheet of a large .xlsx, values as typed (numbers, dates, texts)."""
    try:
        book = load_workbook(bundle, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        return {}
    return {ws.title: ws.iter_rows(values_only=True) for ws in book.worksheets}


def _copy_values(ws, rows: Iterable[tuple]) -> None:
    for line, values in enumerate(rows, start=1):
        if line > MAX_COPIED_ROWS:
            break
        for i, value in enumerate(values, start=1):
            if value is None:
                continue
            cell = ws.cell(row=line, column=i, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # the text as the office typed it, never read as a formula
