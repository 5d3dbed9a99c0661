"""task_progress.csv of the ledger bundle: the progress an inspected organisation reported on a
rectification task, dated, so a task's history reads the same after the whole database is exported
and imported again.

A row names its task as tasks.csv matches one: by its problem and its measure (in tasks.csv of the
bundle or in the system). A report already held (same task, day and text) is not added twice.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from lijian.core.permissions import Perm
from lijian.documents import ledger
from lijian.findings.models import Problem

from ..models import RectificationTask, TaskProgress
from .common import BY_PROBLEM_BODY, check_tasks_named, not_future, stored_tasks

PROGRESS = "task_progress.csv"


@dataclass(slots=True)
class ProgressRow:
    line: int
    problem: str
    measure: str
    on: datetime.date
    text: str


def _parse(ctx: ledger.ImportContext, rows, total) -> None:
    staged: dict[tuple, ProgressRow] = {}
    for line, (problem, measure, on, text), ok in rows:
        if ok and not_future(ctx, PROGRESS, line, "on", on):
            staged.setdefault((problem, measure, on, text), ProgressRow(line, problem, measure, on, text))
    ctx.staged[PROGRESS] = staged


def _check(ctx: ledger.ImportContext) -> None:
    check_tasks_named(ctx, PROGRESS, ctx.staged[PROGRESS].values())


def _apply(ctx: ledger.ImportContext) -> None:
    staged: dict[tuple, ProgressRow] = ctx.staged[PROGRESS]
    refs = {row.problem for row in staged.values()}
    tasks = stored_tasks(refs)
    held = set(
        TaskProgress.objects.filter(task__in=list(tasks.values())).values_list("task_id", "on", "text")
    )
    new = []
    for row in staged.values():
        task = tasks[row.problem, row.measure]
        if (task.pk, row.on, row.text) not in held:
            new.append(TaskProgress(task=task, on=row.on, text=row.text, actor=ctx.actor))
    TaskProgress.objects.bulk_create(new, batch_size=5000)
    if new:
        ctx.count(PROGRESS, "created", len(new))


def _export(ctx: ledger.ExportContext):
    qs = (
        TaskProgress.objects.filter(ctx.access.q(Perm.FINDINGS_VIEW, f"task__problem__{BY_PROBLEM_BODY}"))
        .order_by("task__problem__ref", "task__pk", "on", "pk")
        .values_list("task__problem__ref", "task__measure", "on", "text")
    )
    for ref, measure, on, text in qs.iterator(chunk_size=5000):
        yield [ref, measure, ledger.iso(on), text]


ledger.register(
    ledger.LedgerFile(
        name=PROGRESS,
        title=gettext_lazy("整改进展"),
        order=92,  # after tasks.csv (91), beside problem_status.csv
        columns=[
            ledger.filled("problem_id", "问题编号", field=Problem.ref),
            ledger.filled("measure", "整改措施", text=True, field=RectificationTask.measure),
            ledger.filled("on", "日期", kind=ledger.DATE),
            ledger.filled("text", "进展情况", text=True, field=TaskProgress.text, max_length=20000),
        ],
        parse=_parse,
        check=_check,
        apply=_apply,
        export=_export,
    )
)
