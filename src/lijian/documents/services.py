"""Ledger imports submitted from the web page: store the upload and queue its import (run by
``jobs`` in the background), settle the jobs a stopped server left running."""

import secrets
import shutil
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from lijian.core.audit import audit_record
from lijian.core.models import AuditEvent
from lijian.core.permissions import Perm, require

from .choices import JobStatus
from .jobs import set_status, stage_code, upload_dir
from .ledger.bundle import canonical_name
from .ledger.importer import _sha256
from .models import LedgerImportJob
from .tasks import run_ledger_import

ALLOWED_SUFFIXES = {".zip": b"PK\x03\x04", ".xlsx": b"PK\x03\x04", ".csv": None}


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


def ledger_job_submit(*, actor, upload, preview: bool = False) -> LedgerImportJob:
    """Store ``upload`` under a server-chosen name and queue its import, or with ``preview`` its check
    (``ledger_job_confirm`` then imports it).

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
    (upload_dir() / folder).mkdir()
    with open(upload_dir() / stored, "wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    with transaction.atomic():
        job = LedgerImportJob.objects.create(
            created_by=actor,
            original_name=Path(upload.name).name[:255],
            stored_name=stored,
            size=upload.size,
            language=translation.get_language() or settings.LANGUAGE_CODE,
            preview=preview,
        )
        audit_record(
            actor=actor, action="ledger.upload", obj=job, after={"file": job.original_name, "size": job.size}
        )
    run_ledger_import.enqueue(job.pk)
    return job


def ledger_job_confirm(*, actor, job: LedgerImportJob) -> LedgerImportJob:
    """Import the bundle a preview checked: a new job takes its stored file over and is queued.

    Raises ``PermissionDenied`` without the import permission or for another person's preview, and
    ``ValidationError`` for a job that is no preview that passed its check, or was confirmed already."""
    require(actor, Perm.LEDGER_IMPORT)
    if job.created_by_id != actor.pk:
        raise PermissionDenied
    with transaction.atomic():
        job = LedgerImportJob.objects.select_for_update().get(pk=job.pk)
        if not job.preview or job.status != JobStatus.SUCCEEDED or not job.report or not job.report.get("ok"):
            raise ValidationError(_("只能确认检查通过的预览。"))
        if job.confirmed_as_id:
            raise ValidationError(_("这份台账已确认导入。"))
        source = upload_dir() / job.stored_name
        if not source.is_file():
            raise ValidationError(_("预览的文件已不在，请重新上传。"))
        folder = secrets.token_hex(16)
        (upload_dir() / folder).mkdir()
        stored = f"{folder}/{source.name}"
        shutil.move(source, upload_dir() / stored)
        shutil.rmtree(source.parent, ignore_errors=True)
        confirmed = LedgerImportJob.objects.create(
            created_by=actor,
            original_name=job.original_name,
            stored_name=stored,
            size=job.size,
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
        job.confirmed_as = confirmed
        job.save(update_fields=["confirmed_as"])
        audit_record(
            actor=actor,
            action="ledger.upload",
            obj=confirmed,
            after={"file": confirmed.original_name, "size": confirmed.size, "preview": job.pk},
        )
    run_ledger_import.enqueue(confirmed.pk)
    return confirmed


def ledger_jobs_settle_interrupted() -> int:
    """Settle the imports a stopped server left "running", so no job shows progress for ever.

    An import is one transaction: if the server died before it committed, nothing of it is in the
    database and the job is marked failed; if it died after the commit but before the job was
    updated, the import's own audit event (same transaction, same file digest) proves it went in
    and the job is marked done. Call only while no import worker runs (``lijian serve`` does, just
    before starting its own). Returns how many jobs were settled.
    """
    settled = 0
    for job in LedgerImportJob.objects.filter(status=JobStatus.RUNNING):
        path = upload_dir() / job.stored_name
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
                set_status(
                    job,
                    JobStatus.SUCCEEDED,
                    finished_at=timezone.now(),
                    report=report,
                    stage=stage_code(gettext_noop("已导入")),
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
                set_status(
                    job,
                    JobStatus.FAILED,
                    finished_at=timezone.now(),
                    report=report,
                    stage=stage_code(gettext_noop("服务器中断，未导入")),
                )
        shutil.rmtree(path.parent, ignore_errors=True)
        settled += 1
    return settled
