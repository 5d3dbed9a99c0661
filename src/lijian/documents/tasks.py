from django_tasks import task

from .jobs import ledger_job_run


@task()
def run_ledger_import(job_id: int) -> None:
    ledger_job_run(job_id=job_id)
