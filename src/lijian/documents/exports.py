"""A list page exported as CSV or .xlsx: the rows the user filtered, every cell formula-safe.

The kernel's list mechanism (``lijian.core.lists``) knows no spreadsheet; an app passes
``export_response`` as its ``ListSpec.exporter``. Every cell goes through ``ledger.cells``, so a text
typed by anyone (``=HYPERLINK(...)``) is never a live formula in the file the office opens.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Iterator, Sequence

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from .ledger.cells import csv_row, xlsx_row

WIDTH_MAX = 60  # characters: a long text wraps in the office's view rather than widening the sheet
WIDTH_MIN = 8
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value):
    """A value as a spreadsheet cell: choices and other objects as their text, dates kept."""
    if isinstance(value, datetime.datetime):
        # a spreadsheet holds no time zone; to the second, as the pages show times
        return timezone.localtime(value).replace(tzinfo=None, microsecond=0)
    if value is None or isinstance(value, str | int | float | datetime.date | bool):
        return value
    return str(value)


def _records(columns: Sequence, rows: Iterable) -> Iterator[list]:
    yield [str(c.header) for c in columns]
    for row in rows:
        yield [_cell(c.read(row)) for c in columns]


def _width(value) -> int:
    """How many character widths ``value`` takes: a Chinese character counts two."""
    if value is None:
        return 0
    if isinstance(value, datetime.datetime):
        return 19
    if isinstance(value, datetime.date):
        return 10
    text = str(value)
    return len(text) + sum(1 for ch in text if ord(ch) > 0x2E7F)


def _column_widths(records: Sequence[list]) -> list[int]:
    """Each column's width: its widest cell, header included, between ``WIDTH_MIN`` and ``WIDTH_MAX``."""
    widths = [0] * len(records[0]) if records else []
    for record in records:
        for i, value in enumerate(record):
            widths[i] = max(widths[i], _width(value))
    return [min(WIDTH_MAX, max(WIDTH_MIN, w + 2)) for w in widths]


class _Echo:
    """A file-like that hands back what is written, for streaming ``csv.writer`` output."""

    def write(self, value: str) -> str:
        return value


def export_response(fmt: str, columns: Sequence, rows: Iterable, filename: str) -> HttpResponse:
    """The download of ``rows`` as ``fmt`` (``"csv"``: UTF-8 with BOM, streamed; ``"xlsx"``), one
        column per ``columns`` entry (its ``header`` and ``read(row)``); a workbook's columns are as wide
    as their widest cell (capped at ``WIDTH_MAX``) and its header row stays in view (frozen). Texts that would start a formula
        are neutralised (see ``ledger.cells``). Raises ``ValueError`` for another format."""
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        writer = csv.writer(_Echo())

        def lines():
            yield "\ufeff"  # Excel and WPS read a CSV without it as GBK
            for record in _records(columns, rows):
                yield writer.writerow(csv_row(record))

        response = StreamingHttpResponse(lines(), content_type=CSV_TYPE)
    elif fmt == "xlsx":
        records = list(_records(columns, rows))
        book = Workbook(write_only=True)
        sheet = book.create_sheet()
        # a write-only sheet takes its widths and frozen header before the first row
        for i, width in enumerate(_column_widths(records), start=1):
            sheet.column_dimensions[get_column_letter(i)].width = width
        sheet.freeze_panes = "A2"
        for record in records:
            sheet.append(xlsx_row(sheet, record))
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    else:
        raise ValueError(fmt)
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.{fmt}"'
    return response
