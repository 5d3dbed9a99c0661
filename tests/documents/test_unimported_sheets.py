"""Sheets that are no data (填表说明, a blank Sheet2, a readme.txt in a zip) do not stop an import: the
preview, the report and the command list them as not imported with the reason. A sheet whose name or
header is close to a file the system reads is an error naming the file it seems to be, since passing
it over would lose its rows without a word."""

import contextlib
import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from openpyxl import Workbook

from lijian.accounts.choices import Role
from lijian.documents.ledger.importer import ledger_import
from lijian.documents.models import LedgerImportJob
from lijian.orgs.models import Organization

ORG_HEADER = ["组织代码", "名称", "组织类别", "上级组织代码"]
CADRE_HEADER = ["人员编号", "姓名", "性别", "出生年份", "所在单位代码", "职级", "专长", "在库"]
CADRE = ["R1", "张三", "男", 1975, "120101", "正处级", "", "是"]


def _office_book(**sheets: list[list]) -> Workbook:
    """A workbook of the named sheets, in order; an empty list leaves a sheet blank."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        ws = book.create_sheet(title)
        for row in rows:
            ws.append(row)
    return book


def _with_notes_and_a_blank_sheet() -> Workbook:
    return _office_book(
        填表说明=[["填表说明"], ["1. 组织代码按上级规定的编码填写。"], ["2. 组织类别写党支部、社区等。"]],
        组织=[["和平区党组织名册"], ORG_HEADER, ["U1", "说明旁的支部", "党支部", "120101001001"]],
        Sheet2=[],
    )


def _upload(book: Workbook, name: str = "名册.xlsx") -> SimpleUploadedFile:
    data = io.BytesIO()
    book.save(data)
    return SimpleUploadedFile(name, data.getvalue())


def _renamed(book: Workbook, old: str, new: str) -> Workbook:
    book[old].title = new
    return book


def test_notes_and_a_blank_sheet_are_listed_as_not_imported_and_the_data_sheet_imports(client, world):
    office = world.users[Role.OFFICE_STAFF]
    client.force_login(office)
    book = _renamed(_with_notes_and_a_blank_sheet(), "组织", "党组织")  # 党组织 is organizations.csv's title
    page = client.post("/documents/ledger/import/", {"bundle": _upload(book), "preview": "on"}, follow=True)
    html = page.content.decode()
    assert 'id="preview-ok"' in html and 'id="import-unimported"' in html and "未导入的工作表" in html
    assert "<td>填表说明</td>" in html and "<td>Sheet2</td>" in html
    preview = LedgerImportJob.objects.get()
    unimported = {u["sheet"]: u for u in preview.report["unimported"]}
    assert set(unimported) == {"填表说明", "Sheet2"}
    assert not any(u["error"] for u in unimported.values())
    assert unimported["Sheet2"]["quiet"] and "空表" in unimported["Sheet2"]["reason"]
    assert preview.report["counts"] == {"organizations.csv": {"created": 1}}

    page = client.post(f"/documents/ledger/import/{preview.pk}/confirm/", follow=True)
    assert 'id="import-ok"' in page.content.decode()
    assert Organization.objects.filter(code="U1", name="说明旁的支部").exists()


def test_a_sheet_named_close_to_a_known_file_is_an_error_that_suggests_it(world, tmp_path):
    book = _renamed(_with_notes_and_a_blank_sheet(), "组织", "党组织")
    typo = book.create_sheet("人才库人员名单")
    typo.append(CADRE_HEADER)
    typo.append(CADRE)
    book.save(tmp_path / "office.xlsx")
    report = ledger_import(tmp_path / "office.xlsx", actor=world.admin)
    assert not report.ok
    [error] = report.errors
    assert error.place == "人才库人员名单" and error.line == 0
    assert "是不是：人才库人员（cadres.csv）？" in error.reason and "改名为“人才库人员”" in error.reason
    listed = {u["sheet"]: (u["error"], u["suggestion"]) for u in report.unimported}
    assert listed == {
        "人才库人员名单": (True, "人才库人员（cadres.csv）"),
        "填表说明": (False, ""),
        "Sheet2": (False, ""),
    }

    # A sheet whose name says nothing but whose header is the talent pool's: the same error.
    _office_book(Sheet1=[CADRE_HEADER, CADRE]).save(tmp_path / "sheet1.xlsx")
    report = ledger_import(tmp_path / "sheet1.xlsx", actor=world.admin)
    [error] = report.errors
    assert error.place == "Sheet1" and "是不是：人才库人员（cadres.csv）？" in error.reason


def test_a_summary_named_like_a_file_but_without_its_columns_is_listed_not_refused(world, tmp_path):
    """问题汇总 is close to 问题 (problems.csv) by name, but its header has none of problems.csv's
    columns: it holds no problem rows to lose, so the import goes through and lists it."""
    book = _with_notes_and_a_blank_sheet()
    book.create_sheet("问题汇总").append(["单位", "问题数量", "已整改"])
    book["问题汇总"].append(["和平区", 12, 9])
    book = _renamed(book, "组织", "organizations")
    book.save(tmp_path / "office.xlsx")
    report = ledger_import(tmp_path / "office.xlsx", actor=world.admin)
    assert report.ok, report.errors
    [summary] = [u for u in report.unimported if u["sheet"] == "问题汇总"]
    assert not summary["error"] and summary["suggestion"] == "问题（problems.csv）"


def test_a_workbook_with_nothing_importable_is_refused_sheet_by_sheet(world, tmp_path):
    _office_book(填表说明=[["填表说明"]], Sheet2=[]).save(tmp_path / "notes.xlsx")
    report = ledger_import(tmp_path / "notes.xlsx", actor=world.admin)
    assert not report.ok
    assert [(e.place, "本系统不认识这个文件" in e.reason) for e in report.errors] == [("填表说明", True)]


def test_a_zip_with_a_readme_imports_and_lists_the_readme_as_ignored(client, world, tmp_path):
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("台账/readme.txt", "先导入组织，再导入人员。")
        archive.writestr("台账/.DS_Store", b"\0")
        archive.writestr(
            "台账/organizations.csv",
            "\ufeffcode,name,kind,parent_code\r\nZ1,压缩包支部,branch,120101001001\r\n",
        )
    client.force_login(world.users[Role.OFFICE_STAFF])
    upload = SimpleUploadedFile("台账.zip", data.getvalue())
    page = client.post("/documents/ledger/import/", {"bundle": upload}, follow=True)
    html = page.content.decode()
    assert 'id="import-ok"' in html and "台账/readme.txt" in html and "不是 CSV 文件" in html
    assert Organization.objects.filter(code="Z1").exists()
    job = LedgerImportJob.objects.get()
    assert [u["sheet"] for u in job.report["unimported"]] == ["台账/readme.txt"]  # .DS_Store unlisted


def test_the_command_warns_of_the_sheets_it_did_not_import(world, tmp_path):
    _renamed(_with_notes_and_a_blank_sheet(), "组织", "党组织").save(tmp_path / "office.xlsx")
    err, out = io.StringIO(), io.StringIO()
    call_command(
        "import_ledger", str(tmp_path / "office.xlsx"), "--user", world.admin.username, stderr=err, stdout=out
    )
    assert (
        "未导入的工作表：填表说明 —— " in err.getvalue()
        and "未导入的工作表：Sheet2 —— 空表" in err.getvalue()
    )
    assert "导入完成" in out.getvalue()

    _office_book(人才库人员名单=[CADRE_HEADER, CADRE]).save(tmp_path / "typo.xlsx")
    err = io.StringIO()
    with contextlib.suppress(SystemExit):
        call_command("import_ledger", str(tmp_path / "typo.xlsx"), "--user", world.admin.username, stderr=err)
    assert "未导入的工作表：人才库人员名单 —— " in err.getvalue()
    assert "（是不是：人才库人员（cadres.csv）？）" in err.getvalue()
    assert "发现 1 处错误" in err.getvalue()
