from django_tasks import task

from .round_staffing import plan_run_execute


@task()
def run_plan(run_id: int) -> None:
    plan_run_execute(run_id)
