"""The problems of an import, located the way the office sees its own bundle.

A ``RowError`` names the internal file and column the importer read (``cadres.csv``, ``rank``) and,
carried from the reader, what the office wrote: its sheet's (or file's) name, the header text of the
column, the column's position, and the row as Excel numbers it (title rows counted). The office is
told "人才库人员 第 5 行 「职级」", the internal names only as a hint.
"""

from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext as _

# The sheet the errors workbook adds to the office's own (``marked``); the importer passes it over,
# so the office may correct that workbook and upload it again.
ERRORS_SHEET = "错误清单"


@dataclass(frozen=True)
class RowError:
    """One problem in a bundle: which file, which line (1 = header in a plain CSV, 0 = the whole
    file), which column (its key, or the header text of a column the file does not know), and, when
    the reader knew them, the office's name of the sheet, the header it wrote for the column and its
    1-based position (0: unknown, a column missing from the header)."""

    file: str
    line: int
    column: str
    reason: str
    sheet: str = ""
    header: str = ""
    position: int = 0

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def place(self) -> str:
        """The sheet or file as the office named it."""
        return self.sheet or self.file

    @property
    def place_hint(self) -> str:
        """The internal file, when the office's name for it is another one ("" otherwise)."""
        same = self.place.lower().removesuffix(".csv") == self.file.lower().removesuffix(".csv")
        return "" if same else self.file

    @property
    def column_name(self) -> str:
        """The column as the office's header wrote it."""
        return self.header or self.column

    @property
    def column_hint(self) -> str:
        """The internal column key, when the office's header is another text ("" otherwise)."""
        return self.column if self.column and self.column_name != self.column else ""

    @property
    def is_internal(self) -> bool:
        """Whether the office wrote the internal names themselves (a CSV bundle as exported)."""
        return self.place == self.file and not self.column_hint

    def __str__(self):
        if self.is_internal:
            where = (
                self.file
                + (f":{self.line}" if self.line else "")
                + (f" [{self.column}]" if self.column else "")
            )
            return f"{where} {self.reason}"
        where = self.place
        if self.line:
            where += " " + _("第 %(line)s 行") % {"line": self.line}
        if self.column:
            where += f" 「{self.column_name}」" + (f"（{self.column_hint}）" if self.column_hint else "")
        return f"{where} {self.reason}"


@dataclass(frozen=True)
class SheetSource:
    """What the office wrote for one file of its bundle: the sheet's (or file's) own name, and for
    each column (by key, and by header text for a column the file does not know) the header text
    and its 1-based position. ``ImportContext.error`` locates every error of the file through it."""

    sheet: str
    columns: dict[str, tuple[str, int]] = field(default_factory=dict)

    def row_error(self, file: str, line: int, column: str, reason: str) -> RowError:
        header, position = self.columns.get(column, ("", 0))
        return RowError(file, line, column, reason, self.sheet, header, position)


class BundleError(Exception):
    """A bundle that cannot be read at all (missing, not UTF-8, broken archive)."""

    def __init__(self, file: str, line: int, column: str, reason: str):
        super().__init__(reason)
        self.error = RowError(file, line, column, reason)
