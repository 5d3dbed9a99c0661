"""Running a queued ledger import in the background worker (``tasks.run_ledger_import``): progress
saved as it goes, then the report and, when the import found errors, the errors workbook beside
the stored bundle (built here rather than in the download's request: 100,000 rows take minutes).
``services`` stores the upload and queues it.

The progress text (``LedgerImportJob.stage``) is kept language-neutral: the source message (its
msgid) and its parameters (``stage_code``), translated when a page shows it (``stage_text``), so
whoever reads the job reads it in their own language, whatever the submitter's."""

import json
import logging
import shutil
import tempfile
import time
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .choices import JOB_TRANSITIONS, JobStatus
from .ledger.errors import RowError
from .ledger.importer import ledger_import
from .ledger.marked import errors_workbook
from .models import LedgerImportJob

logger = logging.getLogger(__name__)

# Between a stored stage's msgid and its parameters (JSON); no message contains it.
STAGE_PARAMS = "\x1f"
STAGE_LENGTH = 120  # LedgerImportJob.stage
# The errors workbook's name in the job's folder, beside the stored bundle.
ERRORS_WORKBOOK = "errors.xlsx"


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
    # The report is shown at once; its errors workbook, named now, is being built while the page
    # polls for it (``job_errors_pending``).
    set_status(
        job,
        JobStatus.SUCCEEDED if report["ok"] else JobStatus.FAILED,
        finished_at=timezone.now(),
        report=report,
        stage=stage_code(_finished_stage(job.preview, report["ok"])),
        errors_name="" if report["ok"] else _errors_name(job),
    )
    if not report["ok"]:
        try:
            job_errors_workbook(job)
        except Exception:  # the download builds it then (``job_errors_file``); the job stays done
            logger.exception("The errors workbook of ledger import job %s could not be built.", job.pk)
            LedgerImportJob.objects.filter(pk=job.pk).update(errors_name="")
            job.errors_name = ""
    if not job.preview:  # a preview keeps the file: to confirm, and to mark its errors again
        if report["ok"]:
            shutil.rmtree(path.parent, ignore_errors=True)
        else:  # the errors workbook stays, the bundle goes
            path.unlink(missing_ok=True)
    return job


def _errors_name(job: LedgerImportJob) -> str:
    """The errors workbook's name under the upload folder: in the job's own folder."""
    folder = PurePosixPath(job.stored_name).parent
    return str(folder / ERRORS_WORKBOOK) if folder.name else f"{job.pk}-{ERRORS_WORKBOOK}"


def job_errors_workbook(job: LedgerImportJob) -> Path:
    """Build the errors workbook of ``job`` (finished with errors) beside its stored bundle, and
    record its name on the job: the list of the report's errors and, while the bundle is stored,
    the office's workbook (or its files) with the bad cells marked (``ledger.marked``). The file
    appears whole or not at all (written aside, then renamed). Returns its path; raises what
    writing it raises."""
    name = _errors_name(job)
    target = upload_dir() / name
    target.parent.mkdir(parents=True, exist_ok=True)
    bundle = upload_dir() / job.stored_name
    errors = [RowError(**e) for e in (job.report or {}).get("errors", [])]
    with tempfile.NamedTemporaryFile(
        dir=target.parent, prefix="errors-", suffix=".xlsx", delete=False
    ) as handle:
        partial = Path(handle.name)
    try:
        errors_workbook(partial, errors, bundle if bundle.is_file() else None)
        partial.replace(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    if job.errors_name != name:
        job.errors_name = name
        job.save(update_fields=["errors_name"])
    return target


def job_errors_built(job: LedgerImportJob) -> Path | None:
    """The errors workbook the job built, when it is there."""
    if not job.errors_name:
        return None
    path = upload_dir() / job.errors_name
    return path if path.is_file() else None


def job_errors_pending(job: LedgerImportJob) -> bool:
    """Whether the job is still building its errors workbook."""
    return bool(job.errors_name) and job_errors_built(job) is None


def job_errors_file(job: LedgerImportJob) -> Path:
    """The errors workbook of ``job`` (finished with errors): the one its import built, else (a job
    from before imports built it, or one whose building failed) built now and kept."""
    return job_errors_built(job) or job_errors_workbook(job)


def job_errors_settle_interrupted() -> int:
    """Forget the errors workbooks a stopped server left half built, so no page waits for them
    for ever (the download builds them instead). Returns how many."""
    settled = 0
    for job in LedgerImportJob.objects.filter(status=JobStatus.FAILED).exclude(errors_name=""):
        if job_errors_pending(job):
            LedgerImportJob.objects.filter(pk=job.pk).update(errors_name="")
            settled += 1
    return settled


def _finished_stage(preview: bool, ok: bool) -> str:
    if preview:
        return (
            gettext_noop("检查通过，尚未写入，请确认导入") if ok else gettext_noop("有错误，未导入任何数据")
        )
    return gettext_noop("已导入") if ok else gettext_noop("有错误，未导入任何数据")
