"""Every cell the product writes to a spreadsheet or CSV goes through here, so none becomes a formula.

A text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by Excel, WPS
and LibreOffice as a formula (OWASP "CSV injection"): ``=HYPERLINK(...)`` typed into the public
petition form would become a live link in the office's ledger. The rule, the same in CSV and .xlsx:

- **Neutralise on export**: a text whose first character after any leading apostrophes is one of
  those six gets one more apostrophe in front (``=1+1`` → ``'=1+1``, ``'=1`` → ``''=1``). A leading
  apostrophe makes every spreadsheet program show the cell as text.
- **Restore on import**: a cell made of one or more apostrophes followed by one of the six loses
  exactly one apostrophe. Texts that merely start with an apostrophe (``'abc``) are left alone both
  ways, so export → import gives back the exact original text, whatever it was.

In .xlsx, text cells are also stored with the string data type (never a formula nor an error value),
and the characters XML cannot carry (control characters, and the carriage return that XML would
turn into a line feed) are written the way Excel writes them, ``_x000D_``; a literal ``_x000D_`` in a
text is written ``_x005F_x000D_``. Reading an .xlsx decodes both, for our files and Excel's alike.

Numbers, dates and booleans are written as they are: they cannot carry a formula.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# The first characters that make a spreadsheet program read a cell as a formula.
FORMULA_TRIGGERS = frozenset("=+-@\t\r")
QUOTE = "'"

# XML 1.0 cannot hold these control characters at all; a raw CR would be read back as LF.
_XLSX_ENCODE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)|[\x00-\x08\x0b\x0c\x0d\x0e-\x1f]")
_XLSX_DECODE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet program would read ``text``, once any leading apostrophes are
    removed, as a formula."""
    body = text.lstrip(QUOTE)
    return bool(body) and body[0] in FORMULA_TRIGGERS


# A text starting with none of these is written as it is (the first test of every cell, kept cheap).
_RISKY_FIRST = FORMULA_TRIGGERS | {QUOTE}


def neutralise(text: str) -> str:
    """``text`` as it is written to a cell: with one more leading apostrophe when it would otherwise
    start a formula (see the module docstring). ``restore(neutralise(t)) == t`` for every ``t``."""
    if text[:1] in _RISKY_FIRST and is_formula_like(text):
        return QUOTE + text
    return text


def restore(cell: str) -> str:
    """The original text of a cell written by ``neutralise`` (or by hand, the OWASP way)."""
    return cell[1:] if cell.startswith(QUOTE) and is_formula_like(cell) else cell


def csv_row(values: Iterable) -> list:
    """The cells of one CSV row: ``None`` as empty, texts neutralised, anything else as it is."""
    # Inlined ``neutralise``: a million-row export calls this for every row.
    risky, formula_like = _RISKY_FIRST, is_formula_like
    return [
        "" if v is None else QUOTE + v if isinstance(v, str) and v[:1] in risky and formula_like(v) else v
        for v in values
    ]


def xlsx_text(text: str) -> str:
    """``text`` neutralised and with the characters XML cannot carry written as ``_xHHHH_``."""
    return _XLSX_ENCODE.sub(_xlsx_escape, neutralise(text))


def _xlsx_escape(match: re.Match) -> str:
    char = match.group()
    return "_x005F_" if char == "_" else f"_x{ord(char):04X}_"


def xlsx_decode(text: str) -> str:
    """A text read from an .xlsx cell with Excel's ``_xHHHH_`` escapes decoded."""
    if "_x" not in text:
        return text
    return _XLSX_DECODE.sub(lambda m: chr(int(m.group(1), 16)), text)


def xlsx_row(worksheet, values: Iterable) -> list:
    """The cells of one row of a write-only worksheet: every text a string cell (openpyxl would make
    a formula of ``=…`` and an error of ``#N/A``), ``None`` as empty, numbers and dates as they are."""
    from openpyxl.cell import WriteOnlyCell

    row = []
    for value in values:
        if value is None:
            row.append("")
        elif isinstance(value, str):
            cell = WriteOnlyCell(worksheet, xlsx_text(value))
            cell.data_type = "s"
            row.append(cell)
        else:
            row.append(value)
    return row
