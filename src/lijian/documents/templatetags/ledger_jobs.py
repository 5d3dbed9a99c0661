"""Template filters of the ledger import pages."""

from django import template

from lijian.documents.jobs import stage_text

register = template.Library()


@register.filter
def job_stage(code: str) -> str:
    """A job's stored progress text (``LedgerImportJob.stage``) in the reader's language."""
    return stage_text(code or "")
