"""The sheets and files of a bundle that map to no ledger file, and what the import makes of them:
the one rule the preview, the import job and the ``import_ledger`` command share.

Offices' workbooks carry sheets that are no data (填表说明, 目录, 封面, 汇总, a blank Sheet2), and a
zip may carry a readme.txt beside its CSV files. None of them stops the import: each is listed as
not imported with the reason, an empty one quietly, a file that is no CSV as ignored. But a sheet
whose header is that of a file the system reads, or whose name is close to one's and whose header
has any of its columns, is likely that file under a mistyped name: passed over, its rows would be
lost without a word, so it is an error naming the file it seems to be ("是不是：人才库人员
（cadres.csv）？"). A sheet only named like a file (问题汇总, its header none of problems.csv's
columns) holds none of its rows: it is listed with the suggestion, not refused. When nothing at all
in the bundle is importable, every sheet that holds something is an error: the wrong file was sent.
"""

from __future__ import annotations

import difflib
from dataclasses import asdict, dataclass, replace

from django.utils.translation import gettext as _

from .bundle import CSV_SUFFIX, Sheet, header_key
from .registry import IGNORED_COLUMNS, REGISTRY, ImportContext, LedgerFile, header_names, registered_files

# How alike (``difflib`` ratio) a sheet's name must be to a file's name or Chinese title to be taken
# for it: 人才库人员名单 to 人才库人员 is 0.83, 问题清单 to 问题 0.67; 填表说明, 目录, 汇总, Sheet1 are
# below 0.4 to every file.
CLOSE_NAME = 0.6
# A header is that of a file when at least this many of its cells, and at least half of them, are
# the file's column names (序号 and blank cells not counted): one shared word (姓名, 备注) is chance.
CLOSE_HEADER_COLUMNS = 2


@dataclass(frozen=True)
class Unimported:
    """A sheet (or file) of the bundle the import did not read: ``file`` is the name the importer
    knows it by (its errors name it), ``sheet`` the office's own name. ``suggestion`` is the file it
    seems to be (its title and name) and ``rename`` the name it would have as that file; ``quiet``
    marks an empty sheet or a file that is no CSV, never an error; ``error`` stops the import."""

    file: str
    sheet: str
    reason: str
    suggestion: str = ""
    rename: str = ""
    quiet: bool = False
    error: bool = False
    seems: str = ""  # the registered file it seems to be

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def error_text(self) -> str:
        """The error of a sheet that stops the import: why, the file it seems to be, what to do."""
        if not self.suggestion:
            return self.reason
        return _(
            "%(reason)s是不是：%(suggestion)s？如果是，请改名为“%(rename)s”；如果不是要导入的数据，请把它移出台账。"
        ) % {"reason": self.reason, "suggestion": self.suggestion, "rename": self.rename}


def unimported_sheets(
    ctx: ImportContext, sheets: dict[str, Sheet], others: list[str], *, importable: bool
) -> list[Unimported]:
    """The sheets of ``sheets`` (by file name, see ``importer.by_file_name``) that are no registered
    file, and the ``others`` files (no CSV, see ``bundle.other_files``), each with why it is not
    imported. A sheet close to a file by name (and sharing a column with it) or by header is reported
    as an error through ``ctx``; so is every sheet holding something when no sheet is
    ``importable``. Empty sheets and files that are no CSV are listed, never errors."""
    found = []
    for name, sheet in sheets.items():
        if name in REGISTRY:
            continue
        title = sheet.title or name
        if _is_empty(sheet):
            found.append(Unimported(name, title, _("空表，已跳过。"), quiet=True))
        else:
            found.append(_unknown(name, title, sheet.header))
    found += [Unimported(other, other, _("不是 CSV 文件，已忽略。"), quiet=True) for other in others]
    if not importable:
        known = "、".join(f.name for f in registered_files())
        unknown = _("本系统不认识这个文件（可导入：%(known)s）。") % {"known": known}
        found = [u if u.error or u.quiet else replace(u, reason=unknown, error=True) for u in found]
    for u in found:
        if u.error:
            ctx.error(u.file, 0, "", u.error_text)
            if u.seems and u.seems not in sheets:
                ctx.stand_ins.setdefault(u.seems, u.sheet)
    return found


def _unknown(name: str, title: str, header: list[str]) -> Unimported:
    """A sheet with content that is no registered file: an error when it seems to be one."""
    by_name = _close_by_name(title)
    if by_name is not None and _shared_columns(by_name, header):
        reason = _("名称与“%(title)s”相近，表头也有它的列，像是它的表格写错了名称。")
        return _seems(name, title, reason, by_name, error=True)
    by_header = _close_by_header(header)
    if by_header is not None:
        reason = _("表头是“%(title)s”的列，像是它的表格写错了名称。")
        return _seems(name, title, reason, by_header, error=True)
    if by_name is not None:
        reason = _("名称与“%(title)s”相近，但表头中没有它的列，未导入。")
        return _seems(name, title, reason, by_name, error=False)
    return Unimported(name, title, _("不是本系统可导入的表格（如填表说明、目录、汇总），未导入。"))


def _seems(name: str, title: str, reason: str, ledger_file: LedgerFile, *, error: bool) -> Unimported:
    """A sheet that seems to be ``ledger_file``: named as that file would be (its Chinese title, as
    a CSV file's name for a CSV file)."""
    rename = str(ledger_file.title) + (CSV_SUFFIX if title.lower().endswith(CSV_SUFFIX) else "")
    return Unimported(
        name,
        title,
        reason % {"title": ledger_file.title},
        f"{ledger_file.title}（{ledger_file.name}）",
        rename,
        error=error,
        seems=ledger_file.name,
    )


def _is_empty(sheet: Sheet) -> bool:
    """Whether the sheet has no header and no row (reads at most its first row)."""
    if any(cell.strip() for cell in sheet.header):
        return False
    rows = iter(sheet.rows)
    first = next(rows, None)
    close = getattr(rows, "close", None)
    if close is not None:
        close()
    return first is None


def _stem(name: str) -> str:
    return header_key(name.replace("\\", "/").rsplit("/", 1)[-1]).removesuffix(CSV_SUFFIX)


def _close_by_name(title: str) -> LedgerFile | None:
    """The file whose name or Chinese title is closest to ``title``, if close enough."""
    candidates = {}
    for ledger_file in registered_files():
        candidates.setdefault(_stem(ledger_file.name), ledger_file)
        candidates.setdefault(_stem(str(ledger_file.title)), ledger_file)
    close = difflib.get_close_matches(_stem(title), list(candidates), n=1, cutoff=CLOSE_NAME)
    return candidates[close[0]] if close else None


def _header_cells(header: list[str]) -> list[str]:
    """The header's cells as column names are compared, blanks and row numbers (序号) left out."""
    return [key for key in map(header_key, header) if key and key not in IGNORED_COLUMNS]


def _shared_columns(ledger_file: LedgerFile, header: list[str]) -> set[str]:
    """The columns of ``ledger_file`` the header names."""
    names = header_names(ledger_file)
    return {names[cell] for cell in _header_cells(header) if cell in names}


def _close_by_header(header: list[str]) -> LedgerFile | None:
    """The file whose columns the header names most, if they are at least half of the header."""
    cells = _header_cells(header)
    best, shared = None, 0
    for ledger_file in registered_files():
        count = len(_shared_columns(ledger_file, header))
        if count > shared:
            best, shared = ledger_file, count
    if shared >= CLOSE_HEADER_COLUMNS and shared * 2 >= len(cells):
        return best
    return None
