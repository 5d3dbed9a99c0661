"""README's ledger table is what the importer reads and the exporter writes: an office preparing a
bundle from it gets every file, in the order of the export, with exactly the columns the importer
knows and the required ones marked, and the codes it lists for a coded column are all that column's
codes."""

import re
from pathlib import Path

from lijian.documents.ledger.registry import registered_files

README = Path(__file__).resolve().parents[2] / "README.md"
GUIDE = README.parent / "docs" / "guide.md"
GUIDE_FILE_LIST = "台账包含以下文件"
TABLE_HEADER = "| file | columns (required*) |"
ROW = re.compile(r"^\| `(?P<file>[a-z_]+\.csv)` \| (?P<columns>.*) \|$")
COLUMN = re.compile(r"(?P<key>[a-z_]+)(?P<required>\\\*)?")
# A column's annotation made only of codes: (`planned`/`in_progress`/`done`) or (`a`, `b`, `c`).
CODE_LIST = re.compile(r"\(\s*`[a-z_]+`(?:\s*(?:/|,)\s*`[a-z_]+`)*\s*\)")


def without_annotations(text: str) -> str:
    """``text`` without its parenthesised notes (nested ones too) and its trailing ``— remark``."""
    text = text.split(" — ", 1)[0]
    out, depth = [], 0
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0:
            out.append(char)
    assert depth == 0, f"unbalanced parentheses in {text!r}"
    return "".join(out)


def readme_table() -> list[tuple[str, list[tuple[str, bool]], str]]:
    """The ledger table's rows: file name, its columns as (key, marked required), the raw cell."""
    lines = README.read_text(encoding="utf-8").splitlines()
    start = lines.index(TABLE_HEADER)
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        found = ROW.match(line)
        assert found, f"README ledger row not in the form | `file.csv` | columns |: {line!r}"
        columns = []
        for token in without_annotations(found["columns"]).split(","):
            column = COLUMN.fullmatch(token.strip())
            assert column, f"{found['file']}: {token.strip()!r} is not a column name"
            columns.append((column["key"], bool(column["required"])))
        rows.append((found["file"], columns, found["columns"]))
    return rows


def test_readme_lists_every_ledger_file_in_the_order_the_export_writes_them():
    assert [name for name, _, _ in readme_table()] == [f.name for f in registered_files()]


def test_readme_lists_each_files_columns_in_order_with_the_required_ones_marked():
    documented = {name: columns for name, columns, _ in readme_table()}
    for ledger_file in registered_files():
        declared = [(c.key, c.required) for c in ledger_file.columns]
        assert documented.get(ledger_file.name) == declared, ledger_file.name


def test_the_codes_readme_lists_for_a_coded_column_are_all_its_codes():
    files = {f.name: f for f in registered_files()}
    checked = 0
    for name, _, cell in readme_table():
        columns = {c.key: c for c in files[name].columns}
        for found in re.finditer(r"(?P<key>[a-z_]+)(?:\\\*)? (?P<codes>" + CODE_LIST.pattern + ")", cell):
            column = columns[found["key"]]
            assert column.choices is not None, f"{name} {column.key} is not a coded column"
            codes = re.findall(r"`([a-z_]+)`", found["codes"])
            assert codes == list(column.choices.values), f"{name} {column.key}"
            checked += 1
    assert checked >= 10  # the table does list codes: the check above is not vacuous


def test_the_guides_file_list_names_every_ledger_file_with_the_title_a_sheet_may_carry():
    line = next(x for x in GUIDE.read_text(encoding="utf-8").splitlines() if x.startswith(GUIDE_FILE_LIST))
    listed = re.findall(r"([a-z_]+\.csv)（([^）]+)）", line)
    assert listed == [(f.name, str(f.title)) for f in registered_files()]
