"""Reading and writing ledger bundles: a folder or ``.zip`` of UTF-8 CSV files, or one ``.xlsx``
workbook whose sheets carry the same names (with or without ``.csv``)."""

from __future__ import annotations

import csv
import datetime
import io
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from itertools import chain, islice
from pathlib import Path
from typing import IO

from django.utils.translation import gettext as _

from .cells import csv_row, xlsx_decode, xlsx_row
from .errors import BundleError

CSV_SUFFIX = ".csv"
# A zip whose members add up to more than this uncompressed is refused (zip bombs).
MAX_UNCOMPRESSED_BYTES = 2 * 1024 * 1024 * 1024


def canonical_name(name: str) -> str:
    """``organizations``, ``Organizations.CSV`` and ``dir/organizations.csv`` all name ``organizations.csv``."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip().lower()
    return base if base.endswith(CSV_SUFFIX) else base + CSV_SUFFIX


@dataclass
class Sheet:
    """One table of a bundle: its header and its data rows with their 1-based line numbers."""

    name: str
    header: list[str]
    rows: Iterable[tuple[int, list[str]]]
    size_hint: int | None = None  # number of data rows when known cheaply, for progress
    header_line: int = 1  # the header's line (a worksheet may have title rows above it)
    title: str = ""  # the worksheet's or file's name as the office wrote it (人才库人员), for its errors


def _count_lines(open_binary: Callable[[], IO[bytes]]) -> int:
    lines = 0
    with open_binary() as handle:
        while chunk := handle.read(1 << 20):
            lines += chunk.count(b"\n")
    return max(lines - 1, 0)


def _csv_rows(name: str, open_binary: Callable[[], IO[bytes]], *, skip_header: bool):
    """(line number, cells) of every non-blank row of a CSV file; unreadable text is reported as a
    ``BundleError`` naming the line."""
    with io.TextIOWrapper(open_binary(), encoding="utf-8-sig", newline="") as text:
        reader = csv.reader(text)
        try:
            if skip_header:
                next(reader, None)
            for row in reader:
                if row and "".join(row).strip():  # blank lines (and rows of empty cells) are skipped
                    yield reader.line_num, row
        except UnicodeDecodeError as exc:
            raise BundleError(
                name, reader.line_num + 1, "", _("不是 UTF-8 编码的文本（请在表格软件中另存为“CSV UTF-8”）。")
            ) from exc
        except csv.Error as exc:
            raise BundleError(
                name, reader.line_num, "", _("CSV 格式错误：%(error)s") % {"error": exc}
            ) from exc


def _csv_sheet(name: str, open_binary: Callable[[], IO[bytes]], title: str = "") -> Sheet:
    """A sheet streaming rows from a CSV file, so a bundle of millions of rows is never held whole;
    ``title`` is the file's own name (``name`` is canonical)."""
    first = next(_csv_rows(name, open_binary, skip_header=False), None)
    header = first[1] if first else []
    rows = _csv_rows(name, open_binary, skip_header=True)
    return Sheet(name, [h.strip() for h in header], rows, _count_lines(open_binary), title=title or name)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time(0) else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        return xlsx_decode(value).strip()
    return str(value).strip()


# How far down a worksheet its header is looked for (title rows, a note to the reader above it).
HEADER_SEARCH_ROWS = 10


def _header_words(cells: list[str], known: set[str]) -> int:
    """How many of ``cells`` are known column names."""
    return sum(1 for c in cells if c and header_key(c) in known)


def header_key(cell: str) -> str:
    """A header cell as column names are compared: blanks anywhere (a line break in a wrapped header)
    removed, full-width forms as ASCII, lower case."""
    return "".join(unicodedata.normalize("NFKC", cell).split()).lower()


def _find_header(top: list[list[str]], known: set[str] | None) -> tuple[int, list[str], int]:
    """Where the header of a worksheet is among its ``top`` rows, as offices make them: under title
    rows, and maybe on two rows (a merged group cell above the names of its columns; a name merged
    down over both rows stays in the upper one). Returns the header's row index, its cells and the
    index of the first data row. The header is the first row naming a known column; without
    ``known`` or such a row, the first row of two or more cells, else the first row."""
    at = None
    if known:
        at = next((i for i, cells in enumerate(top) if _header_words(cells, known)), None)
    if at is None:
        at = next((i for i, cells in enumerate(top) if sum(1 for c in cells if c) >= 2), 0)
    header = list(top[at]) if top else []
    start = at + 1
    below = top[at + 1] if at + 1 < len(top) else None
    if (
        known
        and below
        and _header_words(below, known)
        and _header_words(header, known) != len([c for c in header if c])
    ):
        width = max(len(header), len(below))
        header += [""] * (width - len(header))
        below = below + [""] * (width - len(below))
        header = [lower if lower else upper for upper, lower in zip(header, below, strict=True)]
        start += 1
    return at, header, start


def _xlsx_sheets(path: Path, known: dict[str, set[str]] | None = None) -> dict[str, Sheet]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with zipfile.ZipFile(path) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNCOMPRESSED_BYTES:
                raise BundleError(
                    path.name,
                    0,
                    "",
                    _("Excel 文件解压后过大（超过 %(limit)s 字节）。") % {"limit": MAX_UNCOMPRESSED_BYTES},
                )
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise BundleError(path.name, 0, "", _("无法读取 Excel 文件：%(error)s") % {"error": exc}) from exc
    sheets = {}
    for ws in book.worksheets:
        name = canonical_name(ws.title)
        values = ws.iter_rows(values_only=True)
        top = list(islice(values, HEADER_SEARCH_ROWS))
        at, header, start = _find_header(
            [[_cell_text(v) for v in row] for row in top], (known or {}).get(name)
        )
        while header and header[-1] == "":
            header.pop()

        def rows(
            values=values, rest=top[start:], first=start + 1, width: int = len(header)
        ) -> Iterator[tuple[int, list[str]]]:  # noqa: B008
            for line, row in enumerate(chain(rest, values), start=first):
                cells = [_cell_text(v) for v in row[:width]] if width else []
                if any(cells) or any(v not in (None, "") for v in row[width:]):
                    cells += [_cell_text(v) for v in row[width:]]
                    while len(cells) > width and cells[-1] == "":
                        cells.pop()
                    yield line, cells

        size = max((ws.max_row or 1) - start, 0)
        sheets[name] = Sheet(name, header, rows(), size, header_line=at + 1, title=ws.title)
    return sheets


def open_bundle(path: str | Path, known: dict[str, set[str]] | None = None) -> dict[str, Sheet]:
    """The sheets of the bundle at ``path``, by canonical file name. ``known`` gives, by file name, the
    column names (``header_key`` of each key and label) that find the header of a worksheet made by
    hand (see ``_find_header``).

    Raises ``BundleError`` when the path is missing, of an unknown kind, or unreadable.
    """
    path = Path(path)
    if not path.exists():
        raise BundleError(str(path), 0, "", _("找不到台账：%(path)s") % {"path": path})
    if path.is_dir():
        return {
            canonical_name(p.name): _csv_sheet(canonical_name(p.name), partial(p.open, "rb"), p.name)
            for p in sorted(path.iterdir())
            if p.suffix.lower() == CSV_SUFFIX and p.is_file()
        }
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _xlsx_sheets(path, known)
    if suffix == ".zip":
        try:
            archive = zipfile.ZipFile(path)
        except zipfile.BadZipFile as exc:
            raise BundleError(path.name, 0, "", _("不是有效的 zip 文件。")) from exc
        # The archive stays open while the sheets stream; the importer reads it within this process.
        sheets, total = {}, 0
        for info in archive.infolist():
            if info.is_dir() or not info.filename.lower().endswith(CSV_SUFFIX) or "__MACOSX" in info.filename:
                continue
            total += info.file_size  # zipfile never inflates a member past its declared size
            if total > MAX_UNCOMPRESSED_BYTES:
                raise BundleError(
                    info.filename,
                    0,
                    "",
                    _("压缩包解压后过大（超过 %(limit)s 字节）。") % {"limit": MAX_UNCOMPRESSED_BYTES},
                )
            name = canonical_name(info.filename)
            title = info.filename.replace("\\", "/").rsplit("/", 1)[-1]
            sheets[name] = _csv_sheet(name, partial(archive.open, info), title)
        return sheets
    if suffix == CSV_SUFFIX:
        name = canonical_name(path.name)
        return {name: _csv_sheet(name, partial(path.open, "rb"), path.name)}
    raise BundleError(path.name, 0, "", _("台账应为文件夹、.zip、.xlsx 或 .csv 文件。"))


def other_files(path: str | Path) -> list[str]:
    """The files of a folder or ``.zip`` bundle that are no CSV file (a readme.txt, a scanned
    form), which ``open_bundle`` passes over, as the bundle names them; the system files an archiver
    or a desktop adds (``__MACOSX``, ``.DS_Store``) are left out. Empty for a workbook or one CSV."""
    path = Path(path)
    if path.is_dir():
        names = [p.name for p in sorted(path.iterdir()) if p.is_file()]
    elif path.suffix.lower() == ".zip" and zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            names = [
                i.filename for i in archive.infolist() if not i.is_dir() and "__MACOSX" not in i.filename
            ]
    else:
        return []
    return [
        name
        for name in names
        if not name.lower().endswith(CSV_SUFFIX)
        and not name.replace("\\", "/").rsplit("/", 1)[-1].startswith(".")
    ]


class BundleWriter:
    """Writes sheets to a folder, a ``.zip`` or an ``.xlsx``, chosen by the target's suffix.

    Every cell goes through ``cells``: no text is ever written as a formula (see ``cells`` for the
    rule that ``open_bundle`` and the importer reverse)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.kind = {".zip": "zip", ".xlsx": "xlsx"}.get(self.path.suffix.lower(), "dir")
        if self.kind == "dir":
            self.path.mkdir(parents=True, exist_ok=True)
        elif self.kind == "zip":
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._zip = zipfile.ZipFile(self.path, "w", compression=zipfile.ZIP_DEFLATED)
        else:
            from openpyxl import Workbook

            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._book = Workbook(write_only=True)

    def write(self, name: str, header: list[str], rows: Iterable[list]) -> int:
        count = 0
        if self.kind == "xlsx":
            ws = self._book.create_sheet(title=name.removesuffix(CSV_SUFFIX))
            ws.append(xlsx_row(ws, header))
            for row in rows:
                ws.append(xlsx_row(ws, row))
                count += 1
            return count
        # With a byte-order mark, Excel on Chinese Windows opens the file as UTF-8 rather than GBK.
        if self.kind == "dir":
            handle = open(self.path / name, "w", encoding="utf-8-sig", newline="")  # noqa: SIM115
        else:
            handle = io.TextIOWrapper(
                self._zip.open(name, "w", force_zip64=True), encoding="utf-8-sig", newline=""
            )
        with handle:
            # CRLF as RFC 4180 has it: the csv module quotes only fields holding a character of the
            # line terminator, and a text with a lone CR must be quoted or readers split the row there.
            writer = csv.writer(handle, lineterminator="\r\n")
            writer.writerow(csv_row(header))
            for row in rows:
                writer.writerow(csv_row(row))
                count += 1
        return count

    def close(self) -> None:
        if self.kind == "zip":
            self._zip.close()
        elif self.kind == "xlsx":
            self._book.save(self.path)
