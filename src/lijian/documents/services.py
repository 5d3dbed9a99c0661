"""Ledger imports submitted from the web page: store the upload, run it in the background, report."""

import secrets
import shutil
import time
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lijian.core.audit import audit_record
from lijian.core.permissions import Perm, require

from .choices import JOB_TRANSITIONS, JobStatus
from .ledger.bundle import canonical_name
from .ledger.importer import ledger_import
from .models import LedgerImportJob

ALLOWED_SUFFIXES = {".zip": b"PK\x03\x04", ".xlsx": b"PK\x03\x04", ".csv": None}


def _upload_dir() -> Path:
    path = Path(settings.UPLOAD_DIR) / "ledger"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _check_upload(upload) -> str:
    """The file's suffix, if its name, size and first bytes fit a ledger bundle; ``ValidationError`` if not."""
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise ValidationError(_("请上传 .zip、.xlsx 或 .csv 文件。"))
    if upload.size == 0:
        raise ValidationError(_("文件是空的。"))
    if upload.size > settings.LEDGER_UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("文件过大（上限 %(mb)s MB）。") % {"mb": settings.LEDGER_UPLOAD_MAX_BYTES // 2**20}
        )
    head = upload.read(4)
    upload.seek(0)
    magic = ALLOWED_SUFFIXES[suffix]
    if magic is not None and head != magic:
        raise ValidationError(_("文件内容与扩展名不符：这不是一个 %(suffix)s 文件。") % {"suffix": suffix})
    if magic is None and b"\x00" in upload.read(4096):
        upload.seek(0)
        raise ValidationError(_("文件内容与扩展名不符：这不是文本格式的 CSV 文件。"))
    upload.seek(0)
    return suffix


def ledger_job_submit(*, actor, upload) -> LedgerImportJob:
    """Store ``upload`` under a server-chosen name and queue its import.

    Raises ``PermissionDenied`` without the import permission and ``ValidationError`` for a file
    that is not a ledger bundle by name, size or content.
    """
    require(actor, Perm.LEDGER_IMPORT)
    suffix = _check_upload(upload)
    # A folder the server names; inside it a single CSV keeps the file name that says what it holds
    # (organizations.csv …), an archive or workbook is just "bundle".
    folder = secrets.token_hex(16)
    inner = canonical_name(upload.name) if suffix == ".csv" else f"bundle{suffix}"
    stored = f"{folder}/{inner}"
    (_upload_dir() / folder).mkdir()
    with open(_upload_dir() / stored, "wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    with transaction.atomic():
        job = LedgerImportJob.objects.create(
            created_by=actor,
            original_name=Path(upload.name).name[:255],
            stored_name=stored,
            size=upload.size,
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
        audit_record(
            actor=actor, action="ledger.upload", obj=job, after={"file": job.original_name, "size": job.size}
        )
    from .tasks import run_ledger_import  # the task module imports this one

    run_ledger_import.enqueue(job.pk)
    return job


def _set_status(job: LedgerImportJob, status: str, **fields) -> None:
    JOB_TRANSITIONS.check(job.status, status)
    job.status = status
    for name, value in fields.items():
        setattr(job, name, value)
    job.save(update_fields=["status", *fields])


def ledger_job_run(*, job_id: int) -> LedgerImportJob:
    """Run a queued import: progress is saved as it goes (at most twice a second), then the report."""
    job = LedgerImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.status != JobStatus.QUEUED:
        return job
    with translation.override(job.language):  # progress and report speak the submitter's language
        return _run(job)


def _run(job: LedgerImportJob) -> LedgerImportJob:
    _set_status(job, JobStatus.RUNNING, started_at=timezone.now(), stage=_("读取台账"))
    last = 0.0

    def progress(stage: str, done: int, total: int | None) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last < 0.5 and done != total:
            return
        last = now
        LedgerImportJob.objects.filter(pk=job.pk).update(stage=stage[:120], done=done, total=total)

    path = _upload_dir() / job.stored_name
    try:
        report = ledger_import(path, actor=job.created_by, progress=progress, display_name=job.original_name)
        report = report.as_dict()
    except Exception as exc:  # the job must end in a state the page can show, whatever happened
        report = {
            "ok": False,
            "errors": [
                {
                    "file": job.original_name,
                    "line": 0,
                    "column": "",
                    "reason": _("导入时发生内部错误：%(error)s") % {"error": exc},
                }
            ],
            "error_count": 1,
            "counts": {},
            "files": [],
        }
    job.refresh_from_db()
    _set_status(
        job,
        JobStatus.SUCCEEDED if report["ok"] else JobStatus.FAILED,
        finished_at=timezone.now(),
        report=report,
        stage=_("已导入") if report["ok"] else _("有错误，未导入任何数据"),
    )
    shutil.rmtree(path.parent, ignore_errors=True)
    return job


def ledger_jobs_settle_interrupted() -> int:
    """Settle the imports a stopped server left "running", so no job shows progress for ever.

    An import is one transaction: if the server died before it committed, nothing of it is in the
    database and the job is marked failed; if it died after the commit but before the job was
    updated, the import's own audit event (same transaction, same file digest) proves it went in
    and the job is marked done. Call only while no import worker runs (``lijian serve`` does, just
    before starting its own). Returns how many jobs were settled.
    """
    from lijian.core.models import AuditEvent

    from .ledger.importer import _sha256

    settled = 0
    for job in LedgerImportJob.objects.filter(status=JobStatus.RUNNING):
        path = _upload_dir() / job.stored_name
        digest = _sha256(path) if path.is_file() else None
        event = (
            AuditEvent.objects.filter(
                action="ledger.import", actor=job.created_by, at__gte=job.started_at or job.created_at
            )
            .filter(after__sha256=digest)
            .order_by("pk")
            .first()
            if digest
            else None
        )
        with translation.override(job.language):
            if event is not None:
                counts = event.after.get("counts", {})
                report = {"ok": True, "errors": [], "error_count": 0, "counts": counts, "files": list(counts)}
                _set_status(
                    job, JobStatus.SUCCEEDED, finished_at=timezone.now(), report=report, stage=_("已导入")
                )
            else:
                reason = _("导入过程中服务器停止，没有导入任何数据；请重新上传。")
                report = {
                    "ok": False,
                    "errors": [{"file": job.original_name, "line": 0, "column": "", "reason": reason}],
                    "error_count": 1,
                    "counts": {},
                    "files": [],
                }
                _set_status(
                    job,
                    JobStatus.FAILED,
                    finished_at=timezone.now(),
                    report=report,
                    stage=_("服务器中断，未导入"),
                )
        shutil.rmtree(path.parent, ignore_errors=True)
        settled += 1
    return settled
