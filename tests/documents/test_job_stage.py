"""A ledger import's progress text is kept language-neutral (the message and its parameters) and
translated when the page shows it: a job run in Chinese reads in English for a reader in English,
and the other way round."""

import uuid

import pytest
from django.urls import reverse
from django.utils import translation

from lijian.accounts.choices import Role
from lijian.documents.jobs import ledger_job_run, stage_code, stage_text, upload_dir
from lijian.documents.models import LedgerImportJob


def _job(world, data: bytes, *, language: str) -> LedgerImportJob:
    folder = upload_dir() / f"stage-{uuid.uuid4().hex}"
    folder.mkdir(parents=True)
    (folder / "organizations.csv").write_bytes(data)
    return LedgerImportJob.objects.create(
        created_by=world.users[Role.OFFICE_STAFF],
        original_name="organizations.csv",
        stored_name=f"{folder.name}/organizations.csv",
        language=language,
    )


def _page(client, job, language: str) -> str:
    client.force_login(job.created_by)
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    return client.get(reverse("documents:job", args=[job.pk])).content.decode()


def _good(world) -> bytes:
    return f"code,name,kind,parent_code\nSTAGE-1,导入支部,branch,{world.v1.code}\n".encode()


def test_a_job_run_in_chinese_reads_in_english(client, world):
    job = _job(world, _good(world), language="zh-hans")
    ledger_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "succeeded"
    assert job.stage == "已导入"  # the message itself, not a translation of it
    page = _page(client, job, "en")
    assert "Imported" in page and "已导入" not in page


def test_a_failed_job_run_in_english_reads_in_chinese(client, world):
    job = _job(world, b"code,name,kind\nW3,,branch\n", language="en")
    ledger_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "failed"
    page = _page(client, job, "zh-hans")
    assert "有错误，未导入任何数据" in page and "Errors found" not in page
    assert "Errors found; no data imported" in _page(client, job, "en")


def test_a_running_job_shows_its_stage_in_the_readers_language(client, world):
    job = _job(world, _good(world), language="zh-hans")
    LedgerImportJob.objects.filter(pk=job.pk).update(status="running", stage=stage_code("读取台账"))
    assert "Reading ledger" in _page(client, job, "en")
    assert "读取台账" in _page(client, job, "zh-hans")


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Reading organizations.csv"), ("zh-hans", "读取 organizations.csv")],
)
def test_a_stage_keeps_its_parameters_apart_from_its_message(language, expected):
    code = stage_code("读取 %(file)s", file="organizations.csv")
    with translation.override(language):
        assert stage_text(code) == expected
    # a parameter too long for the field is cut short, the message kept whole
    long = stage_code("读取 %(file)s", file="x" * 200)
    assert len(long) <= 120
    with translation.override(language):
        assert stage_text(long).startswith(expected.split(" ")[0] + " xxx")
    # a label stored as it came is shown as it is
    assert stage_text("Reading organizations.csv") == "Reading organizations.csv"
