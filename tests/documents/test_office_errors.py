"""An office's own workbook with an error comes back as itself: the errors download keeps its sheet
names, title rows, merged cells and cell types, marks the bad cell (red, the reason as a comment) and
adds a list of the errors; the preview, that list and the command name the office's sheet, its
header and the row as Excel numbers it, the internal names only as a hint."""

import contextlib
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from lijian.accounts.choices import Role
from lijian.documents.ledger import marked
from lijian.documents.ledger.errors import ERRORS_SHEET, RowError
from lijian.documents.ledger.importer import ledger_import
from lijian.documents.models import LedgerImportJob
from lijian.people.models import Cadre

from ..bundles import write_bundle

TITLE = "和平区人才库人员名册（2025年9月）"


def _office_workbook() -> Workbook:
    """The talent pool as an office keeps it: a merged title row, a header on two rows (a group cell
    merged over two columns, the other names merged down), Chinese names throughout."""
    book = Workbook()
    ws = book.active
    ws.title = "人才库人员"
    ws.append([TITLE])
    ws.merge_cells("A1:I1")
    ws.append(["序号", "人员编号", "姓名", "性别", "出生年份", "所在单位代码", "任职情况", None, "在库"])
    ws.append([None, None, None, None, None, None, "职级", "专长", None])
    for column in "ABCDEFI":
        ws.merge_cells(f"{column}2:{column}3")
    ws.merge_cells("G2:H2")
    ws.append([1, "R1", "张三", "男", 1975, "120101", "正处级", "", "是"])
    ws.append([2, "R2", "李四", "女", 1982, "120101", "处长助理", "", "是"])
    return book


def job_errors(job: LedgerImportJob) -> list[RowError]:
    return [RowError(**e) for e in job.report["errors"]]


def _upload(book: Workbook) -> SimpleUploadedFile:
    data = io.BytesIO()
    book.save(data)
    return SimpleUploadedFile("人才库.xlsx", data.getvalue())


def test_the_errors_of_an_office_workbook_come_back_in_its_own_workbook_named_as_it_names_them(client, world):
    client.force_login(world.users[Role.OFFICE_STAFF])
    page = client.post(
        "/documents/ledger/import/", {"bundle": _upload(_office_workbook()), "preview": "on"}, follow=True
    )
    html = page.content.decode()
    assert 'id="import-failed"' in html
    # The error table says where the office wrote it; the internal names only as hints.
    assert "<td>人才库人员 " in html and "（cadres.csv）" in html
    assert "<td>5</td>" in html and "<td>职级 " in html and "（rank）" in html
    job = LedgerImportJob.objects.get()
    [error] = job.report["errors"]
    assert (error["sheet"], error["line"], error["header"], error["position"]) == ("人才库人员", 5, "职级", 7)
    assert (error["file"], error["column"]) == ("cadres.csv", "rank")

    response = client.get(f"/documents/ledger/import/{job.pk}/errors.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == [ERRORS_SHEET, "人才库人员"]
    assert book.active.title == ERRORS_SHEET
    listing = list(book[ERRORS_SHEET].iter_rows(min_row=2, values_only=True))
    assert [row[:3] + row[4:] for row in listing] == [("人才库人员", 5, "职级", "cadres.csv", "rank")]
    assert "处长助理" in listing[0][3]

    ws = book["人才库人员"]
    assert ws["A1"].value == TITLE
    assert {str(r) for r in ws.merged_cells.ranges} >= {"A1:I1", "G2:H2", "B2:B3"}
    assert ws["G3"].value == "职级" and ws["G2"].value == "任职情况"
    assert ws["E4"].value == 1975 and ws["E4"].data_type == "n"  # a number stays a number
    assert ws["A5"].value == 2 and isinstance(ws["A5"].value, int)
    assert ws["G5"].value == "处长助理" and ws["G5"].fill.fgColor.rgb.endswith("FFC7CE")
    assert "处长助理" in ws["G5"].comment.text
    assert ws["G4"].comment is None and ws["F5"].comment is None


def test_the_corrected_errors_workbook_imports_as_it_is(client, world, tmp_path):
    """The list the errors workbook adds is passed over: the office corrects the marked cell and
    uploads the workbook it was given."""
    client.force_login(world.users[Role.OFFICE_STAFF])
    client.post("/documents/ledger/import/", {"bundle": _upload(_office_workbook()), "preview": "on"})
    job = LedgerImportJob.objects.get()
    response = client.get(f"/documents/ledger/import/{job.pk}/errors.xlsx")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    book.save(tmp_path / "again.xlsx")  # uploaded again uncorrected: one list, of this round
    marked.errors_workbook(tmp_path / "again-errors.xlsx", job_errors(job), tmp_path / "again.xlsx")
    assert load_workbook(tmp_path / "again-errors.xlsx").sheetnames == [ERRORS_SHEET, "人才库人员"]
    book["人才库人员"]["G5"] = "副处级"
    book.save(tmp_path / "corrected.xlsx")
    report = ledger_import(tmp_path / "corrected.xlsx", actor=world.users[Role.OFFICE_STAFF])
    assert report.ok, report.errors
    assert dict(Cadre.objects.values_list("cadre_id", "rank")) == {"R1": "division", "R2": "deputy_division"}


def test_the_command_names_the_office_sheet_header_and_row_and_a_csv_bundle_its_file_and_column(
    world, tmp_path
):
    _office_workbook().save(tmp_path / "office.xlsx")
    err = io.StringIO()
    with contextlib.suppress(SystemExit):
        call_command(
            "import_ledger", str(tmp_path / "office.xlsx"), "--user", world.admin.username, stderr=err
        )
    assert "人才库人员 第 5 行 「职级」（rank） " in err.getvalue()

    header = ["cadre_id", "name", "gender", "birth_year", "home_org_code", "rank", "skills", "in_pool"]
    folder = write_bundle(
        tmp_path / "csv", {"cadres.csv": [header, ["R3", "王五", "M", "1980", "120101", "处长助理", "", "1"]]}
    )
    err = io.StringIO()
    with contextlib.suppress(SystemExit):
        call_command("import_ledger", str(folder), "--user", world.admin.username, stderr=err)
    assert "cadres.csv:2 [rank] " in err.getvalue()  # the internal names are the CSV's own


def test_a_workbook_too_large_to_load_whole_comes_back_as_copies_of_its_sheets_with_errors(
    world, tmp_path, monkeypatch
):
    """The streamed copy keeps the sheet's name, its rows where they were and its numbers as numbers;
    only merged cells and styles are lost."""
    monkeypatch.setattr(marked, "FAITHFUL_COPY_BYTES", 0)
    _office_workbook().save(tmp_path / "office.xlsx")
    report = ledger_import(tmp_path / "office.xlsx", actor=world.admin)
    marked.errors_workbook(tmp_path / "errors.xlsx", report.errors, tmp_path / "office.xlsx")
    book = load_workbook(tmp_path / "errors.xlsx")
    assert book.sheetnames == [ERRORS_SHEET, "人才库人员"]
    ws = book["人才库人员"]
    assert ws["A1"].value == TITLE and ws["E4"].value == 1975 and ws["E4"].data_type == "n"
    assert ws["G5"].fill.fgColor.rgb.endswith("FFC7CE") and "处长助理" in ws["G5"].comment.text


def test_a_column_missing_from_an_office_header_is_named_by_its_chinese_label(world, tmp_path):
    book = Workbook()
    ws = book.active
    ws.title = "人才库人员"
    ws.append([TITLE])
    ws.append(["人员编号", "姓名", "性别", "出生年份", "所在单位代码", "专长", "在库"])
    ws.append(["R1", "张三", "男", 1975, "120101", "", "是"])
    book.save(tmp_path / "office.xlsx")
    report = ledger_import(tmp_path / "office.xlsx", actor=world.admin)
    assert [str(e) for e in report.errors] == ["人才库人员 第 2 行 「职级」（rank） 缺少必需的列。"]


def test_a_csv_bundle_gets_a_marked_copy_of_each_file_with_an_error_under_its_own_name(world, tmp_path):
    header = ["人员编号", "姓名", "性别", "出生年份", "所在单位代码", "职级", "专长", "在库"]
    rows = [header, ["R1", "=1+1", "男", "1975", "120101", "正处级", "", "是"]]
    rows.append(["R2", "李四", "女", "1982", "120101", "处长助理", "", "是"])
    folder = write_bundle(tmp_path / "bundle", {"人才库人员.csv": rows})
    report = ledger_import(folder, actor=world.admin)
    assert [(e.place, e.line, e.column_name, e.place_hint, e.column_hint) for e in report.errors] == [
        ("人才库人员.csv", 3, "职级", "cadres.csv", "rank")
    ]
    marked.errors_workbook(tmp_path / "errors.xlsx", report.errors, folder)
    book = load_workbook(tmp_path / "errors.xlsx")
    assert book.sheetnames == [ERRORS_SHEET, "人才库人员"]
    ws = book["人才库人员"]
    assert [c.value for c in ws[1]] == header
    assert ws["B2"].value == "'=1+1" and ws["B2"].data_type == "s"  # never a formula
    assert ws["F3"].value == "处长助理" and ws["F3"].fill.fgColor.rgb.endswith("FFC7CE")
    assert "处长助理" in ws["F3"].comment.text and ws["E3"].comment is None
