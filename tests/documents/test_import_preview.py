"""The import preview: before anything is written the page shows the counts per file, every error
and the words it read through synonyms or labels; the errors download as a workbook with the bad
cells marked (red, the reason as a comment); the person who uploaded confirms to write, once."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from lijian.accounts.choices import Role
from lijian.core.models import AuditEvent
from lijian.documents.models import LedgerImportJob
from lijian.orgs.models import Organization

from ..bundles import write_bundle
from ..world import make_user


def _workbook(rows) -> SimpleUploadedFile:
    book = Workbook()
    ws = book.active
    ws.title = "organizations"
    ws.append(["和平区党组织名册"])  # a title row above the header
    ws.append(["组织代码", "名称", "组织类别", "上级组织代码"])
    for row in rows:
        ws.append(row)
    data = io.BytesIO()
    book.save(data)
    return SimpleUploadedFile("名册.xlsx", data.getvalue())


def test_a_preview_counts_and_maps_without_writing_and_the_uploader_confirms_once(client, world):
    office = world.users[Role.OFFICE_STAFF]
    client.force_login(office)
    upload = _workbook(
        [["P1", "预览支部", "党支部", "120101001001"], ["P2", "预览社区", "社区", "120101001"]]
    )
    page = client.post("/documents/ledger/import/", {"bundle": upload, "preview": "on"}, follow=True)
    html = page.content.decode()
    assert 'id="preview-ok"' in html and 'id="import-ok"' not in html
    assert "社区党组织" in html and 'id="import-mappings"' in html  # 社区 read as 社区党组织
    assert "<td>组织类别</td>" in html  # the column as the sheet's Chinese header names it
    assert not Organization.objects.filter(code__in=["P1", "P2"]).exists()
    assert not AuditEvent.objects.filter(action="ledger.import").exists()
    preview = LedgerImportJob.objects.get()
    assert preview.report["counts"] == {"organizations.csv": {"created": 2}}
    assert preview.report["mappings"] == [
        {
            "file": "organizations.csv",
            "column": "kind",
            "label": "组织类别",
            "text": "社区",
            "meaning": "社区党组织",
            "cells": 1,
        }
    ]

    other = make_user("other-office", Role.OFFICE_STAFF, world.d1)
    client.force_login(other)
    assert client.post(f"/documents/ledger/import/{preview.pk}/confirm/").status_code == 404
    assert not Organization.objects.filter(code="P1").exists()

    client.force_login(office)
    page = client.post(f"/documents/ledger/import/{preview.pk}/confirm/", follow=True)
    assert 'id="import-ok"' in page.content.decode()
    assert set(Organization.objects.filter(code__in=["P1", "P2"]).values_list("kind", flat=True)) == {
        "branch",
        "community",
    }
    preview.refresh_from_db()
    assert preview.confirmed_as is not None and not preview.confirmed_as.preview
    page = client.post(f"/documents/ledger/import/{preview.pk}/confirm/", follow=True)
    assert "已确认导入" in page.content.decode()
    assert LedgerImportJob.objects.count() == 2


def test_a_preview_with_errors_offers_them_as_a_workbook_with_the_bad_cells_marked(client, world):
    client.force_login(world.users[Role.OFFICE_STAFF])
    upload = _workbook([["Q1", "好支部", "branch", "120101001001"], ["Q2", "", "处级", "120101001001"]])
    page = client.post("/documents/ledger/import/", {"bundle": upload, "preview": "on"}, follow=True)
    html = page.content.decode()
    assert 'id="import-failed"' in html and 'id="confirm-form"' not in html
    job = LedgerImportJob.objects.get()
    response = client.get(f"/documents/ledger/import/{job.pk}/errors.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    listing = [row for row in book["错误清单"].iter_rows(min_row=2, values_only=True)]
    # Where the office wrote it (its sheet, its header), then the internal file and column.
    assert [
        (sheet, line, header, file, column) for sheet, line, header, _reason, file, column in listing
    ] == [
        ("organizations", 4, "名称", "organizations.csv", "name"),
        ("organizations", 4, "组织类别", "organizations.csv", "kind"),
    ]
    sheet = book["organizations"]
    assert sheet["A2"].value == "组织代码" and sheet["A3"].value == "Q1"  # the rows where they were
    assert sheet["C4"].value == "处级" and sheet["C4"].fill.fgColor.rgb.endswith("FFC7CE")
    assert "不是有效的取值" in sheet["C4"].comment.text
    assert sheet["B4"].comment is not None and sheet["A4"].comment is None
    assert client.post(f"/documents/ledger/import/{job.pk}/confirm/", follow=True).status_code == 200
    assert not Organization.objects.filter(code="Q1").exists()  # a failed preview cannot be confirmed


def test_the_command_previews_with_dry_run_and_writes_nothing(world, tmp_path):
    folder = write_bundle(
        tmp_path / "dry",
        {
            "organizations.csv": [
                ["code", "name", "kind", "parent_code"],
                ["D1", "预演社区", "社区", "120101001"],
            ]
        },
    )
    out = io.StringIO()
    call_command("import_ledger", str(folder), "--user", world.admin.username, "--dry-run", stdout=out)
    assert "organizations.csv: 新增 1" in out.getvalue()
    assert "organizations.csv [kind] “社区” → 社区党组织（1 处）" in out.getvalue()
    assert "未写入任何数据" in out.getvalue()
    assert not Organization.objects.filter(code="D1").exists()
    assert not AuditEvent.objects.filter(action="ledger.import").exists()
