"""The errors of an import as a workbook the office corrects in, with a first sheet listing every
error where the office wrote it (its sheet, its header, the row as Excel numbers it).

- An .xlsx bundle comes back as itself: the office's own sheets under their own names, title rows,
  merged cells, styles and cell types kept, each bad cell filled red with the reason as a comment
  (a row-wide error marks the row's first cell, a header error the header cell). The office's own
  formulas stay its formulas; every text the product adds (the list) is neutralised (``cells``).
  The importer passes the added list over, so the corrected workbook may be uploaded again.
- A workbook too large to load whole in a request (``FAITHFUL_COPY_BYTES``), and a CSV bundle, get
  a streamed copy of each sheet with an error instead, under the sheet's (or file's) own name: its
  rows where they were, an .xlsx's cells as typed (numbers stay numbers), a CSV's texts neutralised
  like every cell the product writes; merged cells and styles are not copied.
"""

from __future__ import annotations

import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import chain
from pathlib import Path

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException

from .bundle import Sheet, canonical_name, open_bundle
from .cells import xlsx_row, xlsx_text
from .errors import ERRORS_SHEET, BundleError, RowError
from .importer import by_file_name, header_words
from .registry import REGISTRY

BAD = PatternFill("solid", fgColor="FFC7CE")
# A sheet of a streamed copy holds at most this many rows of the bundle (the errors list holds all).
MAX_COPIED_ROWS = 100_000
# An .xlsx up to this size is loaded whole and marked in place; a larger one is streamed, which
# takes about as long but holds far less: for 20,000 rows of nine columns (0.8 MB) the whole load
# took 21 s and 210 MB, the streamed copy 18 s and 110 MB; 100,000 rows loaded whole took 600 MB.
FAITHFUL_COPY_BYTES = 1024 * 1024
# The longest sheet name Excel allows.
SHEET_NAME_LENGTH = 31
_UNREADABLE = (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError)


def errors_workbook(target: Path, errors: list[RowError], bundle: Path | None = None) -> Path:
    """Write to ``target`` (.xlsx) the list of ``errors`` and, when the ``bundle`` they were found in
    is given and readable, the office's workbook marked (or a marked copy of each sheet with an
    error, see the module docstring). Returns ``target``."""
    workbook = bundle is not None and bundle.suffix.lower() == ".xlsx"
    if workbook and bundle.stat().st_size <= FAITHFUL_COPY_BYTES:
        book = _marked_workbook(errors, bundle)
        if book is not None:
            book.save(target)
            return target
    book = Workbook(write_only=True)
    listing = book.create_sheet(ERRORS_SHEET)
    for width, column in ((20, "A"), (16, "C"), (80, "D")):
        listing.column_dimensions[column].width = width
    for row in _listing_rows(errors):
        listing.append(xlsx_row(listing, row))
    if bundle is not None:
        _copied_sheets(book, errors, bundle)
    book.save(target)
    return target


def _listing_rows(errors: list[RowError]) -> Iterator[list]:
    """The header and rows of the errors list: where the office wrote each error, then the internal
    file and column."""
    yield [_("工作表（文件）"), _("行"), _("列"), _("原因"), _("系统中的文件"), _("系统中的列")]
    for e in errors:
        # A sheet the system does not read (问题清单, refused as looking like problems.csv) has no
        # file of the system: its canonical name would name a file that does not exist.
        file = e.file if e.file in REGISTRY else None
        yield [e.place, e.line or None, e.column_name, e.reason, file, e.column or None]


def _marked_workbook(errors: list[RowError], bundle: Path) -> Workbook | None:
    """The office's workbook with its bad cells marked and the errors list first; ``None`` when it
    cannot be read."""
    try:
        book = load_workbook(bundle)
    except _UNREADABLE:
        return None
    if ERRORS_SHEET in book.sheetnames:  # the list of an earlier round, uploaded again: replaced
        book.remove(book[ERRORS_SHEET])
    sheets = {ws.title: ws for ws in book.worksheets}
    for title, found in _by_sheet(errors, sheets).items():
        for e in found:
            if e.line > 0:
                _mark(sheets[title], e.line, e.position or 1, e.reason)
    listing = book.create_sheet(ERRORS_SHEET, 0)
    for row in _listing_rows(errors):
        listing.append([xlsx_text(v) if isinstance(v, str) else v for v in row])
    for cell in listing[1]:
        cell.font = Font(bold=True)
    for width, column in ((20, "A"), (16, "C"), (80, "D")):
        listing.column_dimensions[column].width = width
    book.active = 0
    for ws in book.worksheets[1:]:
        ws.sheet_view.tabSelected = False
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
    """A streamed copy of each sheet of ``bundle`` with an error, its bad cells marked."""
    try:
        sheets = by_file_name(open_bundle(bundle, header_words()))
    except BundleError:
        return
    source = None
    if bundle.suffix.lower() == ".xlsx":
        try:
            source = load_workbook(bundle, read_only=True, data_only=True)
        except _UNREADABLE:
            return
    marks: dict[str, dict[tuple[int, int], list[str]]] = defaultdict(lambda: defaultdict(list))
    for e in errors:
        if e.line > 0:
            marks[e.file][e.line, e.position or 1].append(e.reason)
    try:
        for name, sheet in sheets.items():
            if name not in marks:
                continue
            title = sheet.title or name
            ws = book.create_sheet(title.removesuffix(".csv")[:SHEET_NAME_LENGTH])
            if source is not None and title in source.sheetnames:
                rows = enumerate(source[title].iter_rows(values_only=True), start=1)
                _copy(ws, rows, marks[name], typed=True)
            else:
                _copy(ws, _text_rows(sheet), marks[name], typed=False)
    finally:
        if source is not None:
            source.close()


def _text_rows(sheet: Sheet) -> Iterator[tuple[int, list]]:
    """(line, cells) of a CSV file: its header, then its rows."""
    return chain([(sheet.header_line, sheet.header)], sheet.rows)


def _copy(ws, rows: Iterable[tuple[int, Iterable]], marks: dict[tuple[int, int], list[str]], *, typed: bool):
    """Append ``rows`` to the write-only ``ws`` on their own lines, the cells of ``marks`` marked:
    texts as typed text (``typed``: the office's own cells, kept as they are) or neutralised."""
    widest: dict[int, int] = defaultdict(int)  # line -> the last column marked on it
    for line, column in marks:
        widest[line] = max(widest[line], column)
    written = 0
    for line, values in rows:
        if line > MAX_COPIED_ROWS:
            break
        while written < line - 1:
            ws.append([])
            written += 1
        values = list(values)
        values += [None] * (widest.get(line, 0) - len(values))
        ws.append(
            [
                _cell(ws, value, marks.get((line, column)), typed)
                for column, value in enumerate(values, start=1)
            ]
        )
        written = line


def _cell(ws, value, reasons: list[str] | None, typed: bool):
    if isinstance(value, str):
        cell = WriteOnlyCell(ws, value if typed else xlsx_text(value))
        cell.data_type = "s"  # the text as a text, never read as a formula
    elif reasons:
        cell = WriteOnlyCell(ws, value)
    else:
        return value
    if reasons:
        cell.fill = BAD
        cell.comment = Comment("\n".join(reasons), "lijian", width=300, height=120)
    return cell
