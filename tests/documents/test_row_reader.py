"""The one row reader of the ledger files: every cell read as its ``Column`` declares (text, integer,
date, flag, code), empty cells refused where a value is needed, texts bounded by the model field's
length, repeated keys reported once with the line that had them first."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from lijian.documents.ledger.reader import read_rows
from lijian.documents.ledger.registry import (
    BOOL,
    DATE,
    INT,
    INVALID,
    Column,
    ImportContext,
    LedgerFile,
    Unique,
    registered_files,
)
from lijian.orgs.choices import BodyLevel
from lijian.orgs.models import InspectionBody, Organization
from lijian.petitions.models import Petition

FILE = "things.csv"
COLUMNS = [
    Column("code", "代码", needs_value=True, field=InspectionBody.code),
    Column("name", "名称", field=Organization.name),
    Column("count", "数量", kind=INT, minimum=1),
    Column("day", "日期", kind=DATE),
    Column("flag", "标记", kind=BOOL, default="1"),
    Column("level", "类别", choices=BodyLevel, default=BodyLevel.PATROL),
]


BY_CODE = (Unique(("code",)),)


def _file(columns=COLUMNS, unique=BY_CODE) -> LedgerFile:
    return LedgerFile(FILE, "", columns, 0, None, None, None, None, unique=unique)


def _read(rows, ledger_file=None):
    ctx = ImportContext(actor=None)
    read = list(read_rows(ctx, ledger_file or _file(), enumerate(rows, start=2)))
    return read, [(e.line, e.column, e.reason) for e in ctx.errors]


def test_a_good_row_gives_typed_values():
    read, errors = _read([("B1", "某某党委", "3", "2024-05-01", "否", "inspection")])
    assert errors == []
    assert read == [(2, ("B1", "某某党委", 3, datetime.date(2024, 5, 1), False, "inspection"), True)]


def test_empty_optional_cells_give_empty_values_or_the_declared_default():
    read, errors = _read([("B1", "", "", "", "", "")])
    assert errors == []
    assert read == [(2, ("B1", "", None, None, True, BodyLevel.PATROL), True)]


def test_each_bad_cell_is_reported_on_its_column_and_the_row_flagged(
    db,
):  # an unknown code asks the synonym table
    read, errors = _read([("", "x" * 201, "0", "2024-13-01", "也许", "county")])
    assert errors == [
        (2, "code", "不能为空。"),
        (2, "name", "过长（最多 200 个字符）。"),  # Organization.name's max_length
        (2, "count", "不能小于 1。"),
        (2, "day", "日期“2024-13-01”不存在：没有 13 月。"),
        (2, "flag", "应为 1/0 或 是/否。"),
        (2, "level", "“county”不是有效的取值（可用：inspection/巡视、patrol/巡察）。"),
    ]
    ((_line, values, ok),) = read
    assert values == (INVALID,) * 6 and not ok


def test_a_choice_is_read_by_its_code_or_its_chinese_label():
    read, errors = _read([("B1", "", "", "", "", "巡视"), ("B2", "", "", "", "", "patrol")])
    assert errors == []
    assert [values[5] for _line, values, _ok in read] == ["inspection", "patrol"]


def test_an_integer_must_be_whole():
    _read_rows, errors = _read([("B1", "", "1.5", "", "", "")])
    assert errors == [(2, "count", "“1.5”不是整数。")]


def test_the_length_comes_from_the_model_field_else_from_the_column():
    assert Column("c", "c", field=InspectionBody.code).length_limit == 40
    assert Column("c", "c", field=InspectionBody.code, max_length=7).length_limit == 40  # the model wins
    assert Column("s", "s", field=Petition.summary, max_length=5000).length_limit == 5000  # no model limit
    assert Column("t", "t").length_limit is None
    read, errors = _read([("B" * 41, "", "", "", "", "")])
    assert errors == [(2, "code", "过长（最多 40 个字符）。")]


def test_every_registered_column_that_names_a_model_field_takes_its_length():
    for ledger_file in registered_files():
        for column in ledger_file.columns:
            if column.field is not None and getattr(column.field.field, "max_length", None):
                assert column.length_limit == column.field.field.max_length, (ledger_file.name, column.key)


def test_a_repeated_key_is_reported_once_with_the_first_line():
    read, errors = _read([("B1", "", "", "", "", ""), ("B2", "", "", "", "", ""), ("B1", "", "", "", "", "")])
    assert errors == [(4, "code", "“B1”重复（第 2 行已出现）。")]
    assert [ok for _line, _values, ok in read] == [True, True, False]


def test_a_composite_key_is_shown_joined_and_reported_on_its_column():
    ledger_file = _file(unique=(Unique(("code", "count"), at="code"),))
    rows = [("B1", "", "2", "", "", ""), ("B1", "", "3", "", "", ""), ("B1", "", "2", "", "", "")]
    _rows, errors = _read(rows, ledger_file)
    assert errors == [(4, "code", "“B1:2”重复（第 2 行已出现）。")]
    # A key with an empty part is never compared.
    _rows, errors = _read([("B1", "", "", "", "", ""), ("B1", "", "", "", "", "")], ledger_file)
    assert errors == []


def test_a_key_first_seen_on_a_bad_row_is_not_remembered():
    _rows, errors = _read([("B1", "", "x", "", "", ""), ("B1", "", "", "", "", "")])
    assert errors == [(2, "count", "“x”不是整数。")]


@given(st.lists(st.sampled_from(["A", "B", "C", "D"]), max_size=30))
def test_exactly_the_rows_whose_key_came_before_are_reported(codes):
    _rows, errors = _read([(code, "", "", "", "", "") for code in codes])
    first: dict[str, int] = {}
    expected = []
    for line, code in enumerate(codes, start=2):
        if code in first:
            expected.append((line, "code", f"“{code}”重复（第 {first[code]} 行已出现）。"))
        else:
            first[code] = line
    assert errors == expected


@given(st.text(max_size=60).map(str.strip))
def test_any_text_within_the_limit_reads_back_as_itself(text):
    ledger_file = _file(columns=[Column("name", "名称", field=InspectionBody.code)], unique=())
    read, errors = _read([(text,)], ledger_file)
    if len(text) <= 40:
        assert errors == [] and read == [(2, (text,), True)]
    else:
        assert errors == [(2, "name", "过长（最多 40 个字符）。")] and not read[0][2]
