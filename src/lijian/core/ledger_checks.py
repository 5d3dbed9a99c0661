"""Verifying the audit ledger from the audit page: asked for by an auditor, run in the background."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .audit import audit_record
from .ledger import verify
from .models import LedgerCheck
from .permissions import Perm, access_for

# A check asked for while another is running joins it rather than starting a second walk.
STALE_AFTER_SECONDS = 3600


def ledger_check_latest() -> LedgerCheck | None:
    return LedgerCheck.objects.order_by("-id").first()


def ledger_check_request(*, actor) -> LedgerCheck:
    """Start a verification of the whole ledger (or return the one still running), audited.

    Raises ``PermissionDenied`` for a user who may not read the audit log."""
    if not access_for(actor).has(Perm.AUDIT_VIEW):
        raise PermissionDenied
    with transaction.atomic():
        running = LedgerCheck.objects.filter(
            ok__isnull=True,
            requested_at__gte=timezone.now() - datetime.timedelta(seconds=STALE_AFTER_SECONDS),
        ).first()
        if running is not None:
            return running
        check = LedgerCheck.objects.create(requested_by=actor)
        audit_record(actor=actor, action="ledger.verify", obj=check)
        transaction.on_commit(lambda: run_ledger_check.enqueue(check.pk))
    return check


def ledger_check_run(*, check_id: int) -> LedgerCheck:
    """Walk the chain and store the result on the check."""
    check = LedgerCheck.objects.get(pk=check_id)
    result = verify()
    check.ok = result.ok
    check.checked = result.checked
    check.head_seq = result.head_seq
    check.problems = [{"seq": p.seq, "event_id": p.event_id, "message": p.message} for p in result.problems]
    check.finished_at = timezone.now()
    check.save()
    return check


@task()
def run_ledger_check(check_id: int) -> None:
    """The background task a requested check runs as (``ledger_check_request`` enqueues it)."""
    ledger_check_run(check_id=check_id)
