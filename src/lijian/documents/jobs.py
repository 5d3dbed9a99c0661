"""Running a queued ledger import in the background worker (``tasks.run_ledger_import``): progress
saved as it goes, then the report. ``services`` stores the upload and queues it.

The progress text (``LedgerImportJob.stage``) is kept language-neutral: the source message (its
msgid) and its parameters (``stage_code``), translated when a page shows it (``stage_text``), so
whoever reads the job reads it in their own language, whatever the submitter's."""

import json
import shutil
import time
from pathlib import Path

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .choices import JOB_TRANSITIONS, JobStatus
from .ledger.importer import ledger_import
from .models import LedgerImportJob

# Between a stored stage's msgid and its parameters (JSON); no message contains it.
STAGE_PARAMS = "\x1f"
STAGE_LENGTH = 120  # LedgerImportJob.stage


def stage_code(msgid: str, **params) -> str:
    """The language-neutral form of a progress text for ``LedgerImportJob.stage``: ``msgid`` (a
    source message, marked with ``gettext_noop`` so the catalogue has it), then its parameters.
    Parameters too long for the field are cut short (a file name's tail, not the message)."""
    if not params:
        return msgid[:STAGE_LENGTH]
    room = STAGE_LENGTH
    while True:
        code = msgid + STAGE_PARAMS + json.dumps(params, ensure_ascii=False, sort_keys=True)
        if len(code) <= STAGE_LENGTH or room <= 1:
            return code[:STAGE_LENGTH]
        room //= 2
        params = {
            k: (v[:room] + "…" if isinstance(v, str) and len(v) > room else v) for k, v in params.items()
        }


def stage_text(code: str) -> str:
    """A stored stage in the active language. A text stored as it came (a label an importer had
    already translated) is shown as it is, or translated when it is itself a message."""
    msgid, _sep, params = code.partition(STAGE_PARAMS)
    text = _(msgid) if msgid else ""
    if not params:
        return text
    try:
        return text % json.loads(params)
    except (ValueError, TypeError, KeyError):  # a damaged or foreign value: the message alone
        return text


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
    set_status(job, JobStatus.RUNNING, started_at=timezone.now(), stage=stage_code(gettext_noop("读取台账")))
    last = 0.0

    def progress(stage: str, done: int, total: int | None) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last < 0.5 and done != total:
            return
        last = now
        # The importers hand over their label already translated (into the submitter's language,
        # the same for the source language's msgids): kept as it came, a msgid where it is one.
        label = str(stage).split(STAGE_PARAMS)[0][:STAGE_LENGTH]
        LedgerImportJob.objects.filter(pk=job.pk).update(stage=label, done=done, total=total)

    path = upload_dir() / job.stored_name
    try:
        report = ledger_import(
            path,
            actor=job.created_by,
            progress=progress,
            display_name=job.original_name,
            dry_run=job.preview,
        )
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
        stage=stage_code(_finished_stage(job.preview, report["ok"])),
    )
    if not job.preview:  # a preview keeps the file: to confirm, and to mark its errors in a copy
        shutil.rmtree(path.parent, ignore_errors=True)
    return job


def _finished_stage(preview: bool, ok: bool) -> str:
    if preview:
        return (
            gettext_noop("检查通过，尚未写入，请确认导入") if ok else gettext_noop("有错误，未导入任何数据")
        )
    return gettext_noop("已导入") if ok else gettext_noop("有错误，未导入任何数据")
