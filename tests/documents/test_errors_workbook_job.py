"""The errors workbook is built by the import job, not by the download's request: it is stored beside
the job's bundle, its name recorded on the job; the page shows the errors at once and the download
link once the workbook is there; the download serves the stored file. A job from before (none
stored) gets one built when it is downloaded."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from lijian.accounts.choices import Role
from lijian.documents import jobs
from lijian.documents.jobs import job_errors_workbook, upload_dir
from lijian.documents.ledger.errors import ERRORS_SHEET
from lijian.documents.models import LedgerImportJob


def _bad_workbook() -> SimpleUploadedFile:
    book = Workbook()
    ws = book.active
    ws.title = "党组织"
    ws.append(["组织代码", "名称", "组织类别", "上级组织代码"])
    ws.append(["E1", "好支部", "党支部", "120101001001"])
    ws.append(["E2", "坏支部", "处级", "120101001001"])
    data = io.BytesIO()
    book.save(data)
    return SimpleUploadedFile("名册.xlsx", data.getvalue())


@pytest.fixture
def failed_job(client, world):
    """How a job that found errors ends (a preview, so its bundle is kept)."""
    client.force_login(world.users[Role.OFFICE_STAFF])
    client.post("/documents/ledger/import/", {"bundle": _bad_workbook(), "preview": "on"})
    return LedgerImportJob.objects.get()


def _download(client, job) -> bytes:
    response = client.get(f"/documents/ledger/import/{job.pk}/errors.xlsx")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def _not_built_here(*args, **kwargs):
    raise AssertionError("the download built the errors workbook again")


def test_the_job_stores_the_errors_workbook_and_the_download_serves_it_as_it_is(
    client, failed_job, monkeypatch
):
    stored = upload_dir() / failed_job.errors_name
    assert failed_job.status == "failed" and stored.is_file()
    assert stored.parent == (upload_dir() / failed_job.stored_name).parent  # beside the bundle
    html = client.get(f"/documents/ledger/import/{failed_job.pk}/").content.decode()
    assert 'id="errors-download"' in html and 'id="errors-pending"' not in html

    monkeypatch.setattr(jobs, "errors_workbook", _not_built_here)
    data = _download(client, failed_job)
    assert data == stored.read_bytes()
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == [ERRORS_SHEET, "党组织"]
    assert book["党组织"]["C3"].comment is not None  # the office's workbook, its bad cell marked


def test_a_failed_import_keeps_its_marked_errors_workbook_and_drops_its_bundle(client, world):
    client.force_login(world.users[Role.OFFICE_STAFF])
    client.post("/documents/ledger/import/", {"bundle": _bad_workbook()})
    job = LedgerImportJob.objects.get()
    assert job.status == "failed" and not job.preview
    assert not (upload_dir() / job.stored_name).exists()
    book = load_workbook(io.BytesIO(_download(client, job)))
    assert book["党组织"]["C3"].fill.fgColor.rgb.endswith("FFC7CE")  # marked while the bundle was there


def test_the_page_shows_the_errors_at_once_and_links_the_workbook_once_it_is_built(client, failed_job):
    (upload_dir() / failed_job.errors_name).unlink()  # as while the job is still building it
    html = client.get(f"/documents/ledger/import/{failed_job.pk}/").content.decode()
    assert 'id="import-errors"' in html and "处级" in html
    assert 'id="errors-pending"' in html and 'id="errors-download"' not in html
    part = f"/documents/ledger/import/{failed_job.pk}/errors-link/"
    assert f'hx-get="{part}"' in html
    polled = client.get(part, headers={"HX-Request": "true"}).content.decode()
    assert 'id="errors-pending"' in polled and 'id="import-errors"' not in polled

    job_errors_workbook(failed_job)
    polled = client.get(part, headers={"HX-Request": "true"}).content.decode()
    assert 'id="errors-download"' in polled and "hx-get" not in polled


def test_a_job_without_a_stored_workbook_gets_one_built_and_kept_on_download(client, failed_job):
    stored = upload_dir() / failed_job.errors_name
    stored.unlink()
    LedgerImportJob.objects.filter(pk=failed_job.pk).update(errors_name="")  # a job from before
    book = load_workbook(io.BytesIO(_download(client, failed_job)))
    assert book.sheetnames == [ERRORS_SHEET, "党组织"]
    failed_job.refresh_from_db()
    assert upload_dir() / failed_job.errors_name == stored and stored.is_file()


def test_a_workbook_left_half_built_by_a_stopped_server_is_forgotten_and_built_on_download(
    client, failed_job
):
    (upload_dir() / failed_job.errors_name).unlink()
    out = io.StringIO()
    call_command("settle_imports", stdout=out)
    assert "1 个台账导入的错误表格未生成完" in out.getvalue()
    failed_job.refresh_from_db()
    assert failed_job.errors_name == ""
    html = client.get(f"/documents/ledger/import/{failed_job.pk}/").content.decode()
    assert 'id="errors-download"' in html and 'id="errors-pending"' not in html
    assert load_workbook(io.BytesIO(_download(client, failed_job))).sheetnames == [ERRORS_SHEET, "党组织"]


def test_a_workbook_that_cannot_be_built_leaves_the_job_failed_and_the_download_builds_it(
    client, world, monkeypatch
):
    monkeypatch.setattr(jobs, "errors_workbook", _not_built_here)
    client.force_login(world.users[Role.OFFICE_STAFF])
    client.post("/documents/ledger/import/", {"bundle": _bad_workbook(), "preview": "on"})
    job = LedgerImportJob.objects.get()
    assert job.status == "failed" and job.errors_name == "" and job.report["error_count"] == 1
    assert not list((upload_dir() / job.stored_name).parent.glob("errors*"))  # no half-written file
    monkeypatch.undo()
    assert load_workbook(io.BytesIO(_download(client, job))).sheetnames == [ERRORS_SHEET, "党组织"]
