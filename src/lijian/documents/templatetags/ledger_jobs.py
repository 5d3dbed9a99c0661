"""Template filters of the ledger import pages."""

from django import template

from lijian.documents.jobs import job_errors_pending, stage_text
from lijian.documents.ledger.errors import RowError

register = template.Library()


@register.filter
def job_stage(code: str) -> str:
    """A job's stored progress text (``LedgerImportJob.stage``) in the reader's language."""
    return stage_text(code or "")


@register.filter
def row_errors(errors: list[dict]) -> list[RowError]:
    """A report's stored errors as ``RowError``: located where the office wrote them."""
    return [RowError(**e) for e in errors or ()]


@register.filter
def errors_pending(job) -> bool:
    """Whether the job is still building its errors workbook (the page polls for the link)."""
    return job_errors_pending(job)


@register.filter
def sheet_of(file: str, report: dict) -> str:
    """The office's name of the sheet (or file) that was ``file`` in the import ``report``; the
    file's own name for a report kept from before reports named sheets."""
    return (report or {}).get("sheets", {}).get(file) or file
