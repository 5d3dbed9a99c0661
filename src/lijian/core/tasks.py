"""Background work of the kernel."""

from django_tasks import task


@task()
def run_ledger_check(check_id: int) -> None:
    from .ledger_checks import ledger_check_run

    ledger_check_run(check_id=check_id)
