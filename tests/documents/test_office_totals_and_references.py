"""An office's workbook as the third walkthrough sent it: a 合计 row under a table is passed over
and said so; task statuses written 进行中 or 长期整改 read; a day that does not exist says why; the
preview names the office's sheets and says plainly that nothing is written yet; a row naming a key
whose own row was refused, or whose sheet was not imported, says so; errors come sheet by sheet."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from lijian.accounts.choices import Role
from lijian.core.vocabulary import resolve_choice
from lijian.documents.ledger import marked
from lijian.documents.ledger.errors import ERRORS_SHEET, RowError
from lijian.documents.ledger.importer import ledger_import
from lijian.documents.ledger.registry import INVALID, ImportContext, is_total_row, parse_date
from lijian.documents.models import LedgerImportJob
from lijian.rectification.choices import TaskStatus

from ..bundles import write_bundle
from ..world import build_findings, build_rounds, category

CADRE_HEADER = ["人员编号", "姓名", "性别", "出生年份", "所在单位代码", "职级", "专长", "在库"]
CONFLICT_HEADER = ["人员编号", "回避单位代码", "回避事由"]


def _cadre(code: str, rank: str = "正处级") -> list:
    return [code, "张三", "男", 1975, "120101", rank, "", "是"]


def _book(**sheets: list[list]) -> Workbook:
    """A workbook of the named sheets, in order."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        ws = book.create_sheet(title)
        for row in rows:
            ws.append(row)
    return book


def _upload(book: Workbook) -> SimpleUploadedFile:
    data = io.BytesIO()
    book.save(data)
    return SimpleUploadedFile("名册.xlsx", data.getvalue())


@pytest.mark.parametrize(
    "cells, total",
    [
        (["合计", "", "3"], True),
        (["", " 合　计： ", "3"], True),  # blanks, an ideographic space and a full-width colon
        (["总计"], True),
        (["小计", "2"], True),
        (["合计金额说明", "1"], False),
        (["W3-P001", "合计"], False),  # only the first filled cell counts
    ],
)
def test_a_total_row_is_recognised_by_its_first_filled_cell(cells, total):
    assert is_total_row(cells) is total


def test_a_total_row_is_skipped_and_listed_and_the_preview_names_the_office_sheet(client, world):
    client.force_login(world.users[Role.OFFICE_STAFF])
    book = _book(人才库人员=[CADRE_HEADER, _cadre("W3-C1"), ["合 计", None, None, None, None, None, None, 1]])
    page = client.post("/documents/ledger/import/", {"bundle": _upload(book), "preview": "on"}, follow=True)
    html = page.content.decode()
    job = LedgerImportJob.objects.get()
    assert job.report["ok"], job.report["errors"]
    assert job.report["skipped"] == [{"file": "cadres.csv", "sheet": "人才库人员", "lines": [3]}]
    assert "人才库人员：第 3 行是合计行，已跳过，不导入。" in html
    # Nothing is written yet, and the status line says so rather than "已完成".
    assert '<span id="job-state">预览完成</span> · 检查通过，尚未写入，请确认导入' in html
    # The counts name the office's sheet, the file only as a hint.
    assert '<td>人才库人员 <span class="small lj-muted">（cadres.csv）</span></td>' in html


@pytest.mark.parametrize(
    "written, code",
    [("进行中", TaskStatus.IN_PROGRESS), ("长期整改", TaskStatus.LONG_TERM), ("整改完成", TaskStatus.DONE)],
)
def test_task_statuses_offices_write_are_read_through_the_seeded_synonyms(db, written, code):
    assert resolve_choice(TaskStatus, written) == code


@pytest.mark.parametrize(
    "text, reason",
    [
        ("2025年13月1日", "日期“2025年13月1日”不存在：没有 13 月。"),
        ("2025-02-30", "日期“2025-02-30”不存在：2 月没有 30 日。"),
        ("去年三月", "日期“去年三月”无法识别，应写成 2025-03-01 或 2025年3月1日。"),
    ],
)
def test_a_day_that_does_not_exist_says_why(text, reason):
    ctx = ImportContext(actor=None)
    assert parse_date(ctx, "f.csv", 2, "day", text) is INVALID
    assert [e.reason for e in ctx.errors] == [reason]
    assert parse_date(ctx, "f.csv", 2, "day", "2025年3月1日") == datetime.date(2025, 3, 1)


def test_a_row_naming_a_refused_row_says_to_correct_that_row_and_errors_come_in_sheet_order(world, tmp_path):
    book = _book(
        回避事项=[CONFLICT_HEADER, ["W3-C9", "120101", "亲属任职"]],
        人才库人员=[CADRE_HEADER, _cadre("W3-C1"), _cadre("W3-C9", rank="处级")],
    )
    book.save(tmp_path / "office.xlsx")
    report = ledger_import(tmp_path / "office.xlsx", actor=world.admin)
    assert not report.ok
    assert [(e.place, e.line, e.reason) for e in report.errors] == [
        ("回避事项", 2, "“W3-C9”所在的行有错误（人才库人员 第 3 行），请先改正该行。"),
        ("人才库人员", 3, "“处级”可指：正处级、副处级，请写明。"),
    ]


def test_a_row_naming_a_sheet_that_was_not_imported_says_so(world, tmp_path):
    book = _book(
        人才库人员名单=[CADRE_HEADER, _cadre("W3-C1")],
        回避事项=[CONFLICT_HEADER, ["W3-C1", "120101", "亲属任职"]],
    )
    book.save(tmp_path / "office.xlsx")
    report = ledger_import(tmp_path / "office.xlsx", actor=world.admin)
    reasons = {(e.place, e.line): e.reason for e in report.errors}
    assert "是不是：人才库人员（cadres.csv）？" in reasons["人才库人员名单", 0]
    assert reasons["回避事项", 2] == "“W3-C1”应在工作表“人才库人员名单”中，但该表未导入（见该表的错误）。"


def test_an_unknown_category_is_refused_with_the_closest_names(world, tmp_path):
    build_findings(world, build_rounds(world))
    near = category().name + "问题"
    folder = write_bundle(
        tmp_path / "categories",
        {
            "problems.csv": [
                [
                    "problem_id",
                    "body_code",
                    "term",
                    "round",
                    "org_code",
                    "category",
                    "description",
                    "found_on",
                ],
                ["N1", "XCB-120101", "第十二届", "1", "120101001", near, "分类写错", "2024-03-11"],
            ]
        },
    )
    report = ledger_import(folder, actor=world.admin)
    [error] = report.errors
    assert error.column == "category"
    assert f"找不到“{near}”。相近的分类：{category().name}" in error.reason


def test_the_errors_list_names_no_system_file_for_a_sheet_the_system_does_not_read(tmp_path):
    errors = [
        RowError("问题清单.csv", 0, "", "像是问题台账。", sheet="问题清单"),
        RowError(
            "cadres.csv", 3, "rank", "“处级”可指：正处级、副处级，请写明。", sheet="人才库人员", header="职级"
        ),
    ]
    listing = load_workbook(marked.errors_workbook(tmp_path / "errors.xlsx", errors))[ERRORS_SHEET]
    rows = list(listing.iter_rows(min_row=2, values_only=True))
    assert [(row[0], row[4]) for row in rows] == [("问题清单", None), ("人才库人员", "cadres.csv")]
