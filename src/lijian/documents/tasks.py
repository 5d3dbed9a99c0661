from django_tasks import task

from .jobs import ledger_job_run
from .rendering import version_render


@task()
def run_ledger_import(job_id: int) -> None:
    ledger_job_run(job_id=job_id)


@task()
def render_document_version(version_id: int) -> None:
    version_render(version_id=version_id)
