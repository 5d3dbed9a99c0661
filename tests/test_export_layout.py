"""An exported workbook opens readable: every column as wide as its widest cell (a Chinese character
counting two, a long text capped) and the header row frozen, so it stays in view while scrolling
(walkthrough 3, defect 13)."""

import datetime
import io
from types import SimpleNamespace

from openpyxl import load_workbook

from lijian.core.lists import Column
from lijian.documents.exports import WIDTH_MAX, export_response


def test_an_xlsx_export_sizes_its_columns_to_their_content_and_freezes_the_header():
    columns = (
        Column("ref", "编号", "ref"),
        Column("summary", "问题摘要", "summary"),
        Column("found_on", "发现日期", "found_on"),
    )
    rows = [
        SimpleNamespace(ref="P1", summary="落实中央八项规定精神不到位", found_on=datetime.date(2024, 9, 1)),
        SimpleNamespace(ref="P2", summary="长" * 200, found_on=None),
    ]
    response = export_response("xlsx", columns, rows, "problems")
    sheet = load_workbook(io.BytesIO(response.content)).active

    assert sheet.freeze_panes == "A2"
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABC"}
    assert widths["A"] < widths["C"]  # "编号" and "P1" are narrower than a date's header
    assert widths["C"] >= 10  # a whole date shows, not ####
    assert widths["B"] == WIDTH_MAX  # a 200-character text is capped
    assert [c.value for c in sheet[1]] == ["编号", "问题摘要", "发现日期"]
    assert sheet.max_row == 3
