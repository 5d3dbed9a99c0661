from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class RowError:
    """One problem in a bundle: which file, which line (1 = header, 0 = the whole file), which column."""

    file: str
    line: int
    column: str
    reason: str

    def as_dict(self) -> dict:
        return asdict(self)

    def __str__(self):
        where = (
            self.file + (f":{self.line}" if self.line else "") + (f" [{self.column}]" if self.column else "")
        )
        return f"{where} {self.reason}"


class BundleError(Exception):
    """A bundle that cannot be read at all (missing, not UTF-8, broken archive)."""

    def __init__(self, file: str, line: int, column: str, reason: str):
        super().__init__(reason)
        self.error = RowError(file, line, column, reason)
