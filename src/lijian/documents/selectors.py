from django.http import Http404

from lijian.core.permissions import Perm, access_for

from .models import LedgerImportJob


def ledger_jobs_for_user(user, limit: int = 20):
    return LedgerImportJob.objects.filter(created_by=user).order_by("-created_at")[:limit]


def ledger_job_get(user, pk: int) -> LedgerImportJob:
    """A job is visible to the person who submitted it and to system administrators."""
    try:
        job = LedgerImportJob.objects.get(pk=pk)
    except LedgerImportJob.DoesNotExist as exc:
        raise Http404 from exc
    if job.created_by_id != user.pk and not access_for(user).is_global(Perm.ACCOUNTS_MANAGE):
        raise Http404
    return job
