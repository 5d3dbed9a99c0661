"""Importing and exporting whole ledger bundles, all or nothing."""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.utils.translation import gettext as _

from lijian.core.audit import audit_record
from lijian.core.permissions import Perm, require

from .bundle import BundleWriter, Sheet, canonical_name, header_key, open_bundle, other_files
from .errors import ERRORS_SHEET, BundleError, RowError, SheetSource
from .reader import read_rows
from .registry import (
    REGISTRY,
    ExportContext,
    ImportContext,
    LedgerFile,
    header_names,
    ordered_rows,
    registered_files,
    resolve_header,
)
from .unimported import unimported_sheets

Progress = Callable[[str, int, int | None], None]


@dataclass
class ImportReport:
    ok: bool
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    # The words read through a synonym, another language's label or a department's name or kind
    # (``ImportContext.mapping_list``): what the import understood the sheet to say.
    mappings: list[dict] = field(default_factory=list)
    dry_run: bool = False  # checked and counted, nothing written
    # The sheets and files not imported, with why (``unimported.Unimported.as_dict``).
    unimported: list[dict] = field(default_factory=list)
    # The total rows (合计 …) passed over, one entry a sheet: {"file", "sheet", "lines"}.
    skipped: list[dict] = field(default_factory=list)
    # file -> the office's name of its sheet (or file), for the counts and mappings.
    sheets: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "errors": [e.as_dict() for e in self.errors],
            "error_count": self.error_count,
            "counts": self.counts,
            "files": self.files,
            "mappings": self.mappings,
            "dry_run": self.dry_run,
            "unimported": self.unimported,
            "skipped": self.skipped,
            "sheets": self.sheets,
        }


class _Rollback(Exception):
    pass


def _sha256(path: Path) -> str:
    if path.is_dir():
        digest = hashlib.sha256()
        for p in sorted(path.glob("*.csv")):
            digest.update(p.name.encode())
            digest.update(p.read_bytes())
        return digest.hexdigest()
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def ledger_import(
    path: str | Path,
    *,
    actor,
    progress: Progress | None = None,
    display_name: str | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Import the bundle at ``path``: every row is checked first; if any is bad, nothing is written
    and each bad row is reported (file, line, column, reason). Otherwise all files are written in one
    transaction and one audit event records the import.

    ``display_name`` names the bundle in the report instead of the file it is stored as. A
    ``dry_run`` (the preview) does all of it, counts included, inside a transaction it rolls back:
    nothing is written and nothing audited; ``ok`` then says the import would go through.
    Raises ``PermissionDenied`` when the actor may not import at all.
    """
    # Millions of staged rows are plain objects without cycles: the cycle collector would only spend
    # its time walking them again and again.
    collecting = gc.isenabled()
    gc.disable()
    try:
        report = _import(Path(path), actor=actor, progress=progress, dry_run=dry_run)
    finally:
        if collecting:
            gc.enable()
    # The office corrects sheet by sheet, top to bottom: the errors in the order of its sheets and
    # rows (the bundle's own problems first), whatever order the checks found them in.
    order = {file: i for i, file in enumerate(report.sheets)}
    report.errors.sort(key=lambda e: (order.get(e.file, -1), e.line))
    if display_name:
        stored = Path(path).name
        report.errors = [replace(e, file=display_name) if e.file == stored else e for e in report.errors]
    return report


def _import(path: Path, *, actor, progress: Progress | None, dry_run: bool = False) -> ImportReport:
    require(actor, Perm.LEDGER_IMPORT)
    ctx = ImportContext(actor=actor, progress=progress or (lambda *a: None))
    try:
        sheets = open_bundle(path, header_words())
    except BundleError as exc:
        return ImportReport(ok=False, errors=[exc.error], error_count=1)
    sheets = by_file_name(sheets)
    for name, sheet in sheets.items():
        ctx.sources[name] = sheet_source(REGISTRY.get(name), sheet)
    files = [f for f in registered_files() if f.name in sheets]
    unimported = unimported_sheets(ctx, sheets, other_files(path), importable=bool(files))
    if not files and not ctx.error_count:
        ctx.error(path.name, 0, "", _("台账中没有任何可导入的 CSV 文件或工作表。"))
    ctx.present = {f.name for f in files}
    try:
        for ledger_file in files:
            sheet = sheets[ledger_file.name]
            keys = resolve_header(ctx, ledger_file, sheet.header, sheet.header_line)
            if keys is None:
                continue
            ctx.columns[ledger_file.name] = set(keys)
            rows = ordered_rows(ctx, ledger_file, keys, sheet.rows)
            ledger_file.parse(
                ctx, rows if ledger_file.raw else read_rows(ctx, ledger_file, rows), sheet.size_hint
            )
        # Cross-row checks run on the rows that parsed, so one pass reports every bad row.
        for ledger_file in files:
            if ledger_file.name in ctx.staged:
                ledger_file.check(ctx)
    except BundleError as exc:
        ctx.error(exc.error.file, exc.error.line, exc.error.column, exc.error.reason)
    report = ImportReport(
        ok=False,
        errors=ctx.errors,
        error_count=ctx.error_count,
        files=[f.name for f in files],
        dry_run=dry_run,
        unimported=[u.as_dict() for u in unimported],
    )
    report.mappings = ctx.mapping_list()
    report.sheets = {file: source.sheet for file, source in ctx.sources.items()}
    report.skipped = [
        {"file": file, "sheet": report.sheets.get(file, file), "lines": lines}
        for file, lines in ctx.skipped.items()
    ]
    if ctx.error_count:
        return report
    try:
        with transaction.atomic():
            for ledger_file in files:
                ledger_file.apply(ctx)
            if ctx.error_count or dry_run:  # a conflict only visible while writing, or a preview
                raise _Rollback
            if any(ctx.counts.values()):  # an import that changes nothing leaves no trace to audit
                audit_record(
                    actor=actor,
                    action="ledger.import",
                    object_repr=path.name,
                    after={"file": path.name, "sha256": _sha256(path), "counts": ctx.counts},
                )
    except _Rollback:
        report.errors, report.error_count = ctx.errors, ctx.error_count
        if dry_run and not ctx.error_count:
            report.ok, report.counts = True, ctx.counts
        return report
    except (IntegrityError, ValidationError, PermissionDenied, DatabaseError) as exc:
        ctx.error(path.name, 0, "", _("写入数据库时出错，已全部撤销：%(error)s") % {"error": exc})
        report.errors, report.error_count = ctx.errors, ctx.error_count
        return report
    report.ok = True
    report.counts = ctx.counts
    return report


def sheet_source(ledger_file: LedgerFile | None, sheet: Sheet) -> SheetSource:
    """What the office wrote for ``sheet``: its own name, and where each column of ``ledger_file``
    is and under which header text (a header cell no column knows is found by its text), so every
    error of the file names them (``ImportContext.error``). A column the header lacks is named by its
    Chinese label when the office writes its own headers, by its key when the sheet uses the keys."""
    names = header_names(ledger_file) if ledger_file is not None else {}
    columns = {}
    own_words = False
    for position, cell in enumerate(sheet.header, start=1):
        key = names.get(header_key(cell))
        if key is not None:
            columns.setdefault(key, (cell, position))
            own_words = own_words or header_key(cell) != header_key(key)
        columns.setdefault(cell, (cell, position))
    if own_words:
        for column in ledger_file.columns:
            columns.setdefault(column.key, (str(column.label), 0))
    return SheetSource(sheet.title or sheet.name, columns)


def header_words() -> dict[str, set[str]]:
    """The column names of each file, by the names its worksheet may have (see ``by_file_name``)."""
    words = {}
    for ledger_file in registered_files():
        names = set(header_names(ledger_file))
        words[ledger_file.name] = words[canonical_name(str(ledger_file.title))] = names
    return words


def by_file_name(sheets: dict[str, Sheet]) -> dict[str, Sheet]:
    """The sheets by the file each is: a worksheet may be named by its file (problems) or by the
    file's Chinese title as offices name their sheets (问题台账 is problems.csv's title). The error
    list the errors workbook adds (``marked``) is passed over: a corrected copy may come back."""
    titles = {canonical_name(str(f.title)): f.name for f in registered_files()}
    added = canonical_name(ERRORS_SHEET)
    return {
        name if name in REGISTRY else titles.get(name, name): sheet
        for name, sheet in sheets.items()
        if name != added
    }


def ledger_export(
    path: str | Path,
    *,
    actor,
    progress: Progress | None = None,
    files: list[str] | None = None,
    display_name: str | None = None,
):
    """Write every registered file (or ``files``) for what the actor may see to ``path`` (a folder,
    ``.zip`` or ``.xlsx``); no text is written as a formula (see ``cells``). An export is a sensitive
    read: one audit event names the exporter, the file (``display_name`` when the file is stored
    under another name), its format and the rows of each file. Returns ``{file: rows written}``.

    Raises ``PermissionDenied`` when the actor may not export."""
    require(actor, Perm.LEDGER_EXPORT)
    ctx = ExportContext(actor=actor, progress=progress or (lambda *a: None))
    writer = BundleWriter(path)
    written = {}
    try:
        for ledger_file in registered_files():
            if files is not None and ledger_file.name not in files:
                continue
            written[ledger_file.name] = writer.write(
                ledger_file.name, ledger_file.header, ledger_file.export(ctx)
            )
    finally:
        writer.close()
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="ledger.export",
            object_repr=display_name or Path(path).name,
            after={"format": writer.kind, "counts": written},
        )
    return written
