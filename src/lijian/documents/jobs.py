"""Running a queued ledger import in the background worker (``tasks.run_ledger_import``): progress
saved as it goes, then the report. ``services`` stores the upload and queues it."""

import shutil
import time
from pathlib import Path

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .choices import JOB_TRANSITIONS, JobStatus
from .ledger.importer import ledger_import
from .models import LedgerImportJob


def upload_dir() -> Path:
    path = Path(settings.UPLOAD_DIR) / "ledger"
    path.mkdir(parents=True, exist_ok=True)
    return path


def set_status(job: LedgerImportJob, status: str, **fields) -> None:
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
    set_status(job, JobStatus.RUNNING, started_at=timezone.now(), stage=_("读取台账"))
    last = 0.0

    def progress(stage: str, done: int, total: int | None) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last < 0.5 and done != total:
            return
        last = now
        LedgerImportJob.objects.filter(pk=job.pk).update(stage=stage[:120], done=done, total=total)

    path = upload_dir() / job.stored_name
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
    set_status(
        job,
        JobStatus.SUCCEEDED if report["ok"] else JobStatus.FAILED,
        finished_at=timezone.now(),
        report=report,
        stage=_("已导入") if report["ok"] else _("有错误，未导入任何数据"),
    )
    shutil.rmtree(path.parent, ignore_errors=True)
    return job
