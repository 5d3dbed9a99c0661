"""tasks.csv of the ledger bundle (DESIGN.md §7): one row per measure of the plan. The sheet records the
plan as accepted, so imported tasks come in accepted (by the importer). ``responsible`` is written
``leader/department`` (责任领导/责任部门, ``/`` or ``／``), or a post or a name alone (党委书记, 王某): the
department is then empty, and the export writes the leader alone. The kind follows the status:
``long_term`` makes a long-term task; otherwise a new task is immediate (立行立改) when its problem is
marked so, else concentrated, and a task already in the system keeps its kind. lijian keeps no task
number: ``task_id`` names the row within the sheet, a task is matched by its problem and measure, and
export numbers each problem's tasks ``<problem_id>-1``, ``-2`` … in the order they were made. A task
needs its problem fed back (its inspection has a feedback date).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from itertools import groupby

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lijian.core.permissions import Perm
from lijian.documents import ledger
from lijian.findings.models import Problem

from ..choices import TaskKind, TaskReview, TaskStatus
from ..models import RectificationTask
from ..validators import check_task_deadline
from .common import (
    BY_PROBLEM_BODY,
    in_scope,
    not_future,
    problem_facts,
    unknown,
)

TASKS = "tasks.csv"
# The two halves of ``responsible`` are two fields of the task, bounded as the model bounds them.
LEADER_LENGTH, DEPARTMENT_LENGTH = (
    RectificationTask._meta.get_field(name).max_length
    for name in ("responsible_leader", "responsible_department")
)


@dataclass(slots=True)
class TaskRow:
    line: int
    problem: str
    measure: str
    leader: str
    department: str
    deadline: datetime.date
    status: str
    completed_on: datetime.date | None


def _responsible(ctx: ledger.ImportContext, line: int, text: str):
    # Only the blanks around the slash go: the cell's own ends are already as typed (a tab behind a
    # formula-escaping apostrophe included, see ``documents.ledger.cells``).
    parts = re.split(r"\s*[/／]\s*", text, maxsplit=1)
    if len(parts) == 1:
        parts.append("")  # a post or a name alone: no department
    if not parts[0]:
        message = _(
            "应写作 责任领导/责任部门（如 张明/街道党政办），或只写责任人的职务或姓名（如 党委书记）。"
        )
        ctx.error(TASKS, line, "responsible", message)
        return ledger.INVALID
    if len(parts[0]) > LEADER_LENGTH or len(parts[1]) > DEPARTMENT_LENGTH:
        message = _("责任领导最多 %(leader)s 个字符，责任部门最多 %(department)s 个字符。")
        ctx.error(
            TASKS, line, "responsible", message % {"leader": LEADER_LENGTH, "department": DEPARTMENT_LENGTH}
        )
        return ledger.INVALID
    return parts


def _parse_tasks(ctx: ledger.ImportContext, rows, total) -> None:
    staged: dict[str, TaskRow] = {}
    for line, (ref, problem, measure, responsible, deadline, status, completed_on), ok in rows:
        responsible = _responsible(ctx, line, responsible)
        if not ok or responsible is ledger.INVALID:
            continue
        if status == TaskStatus.DONE and completed_on is None:
            ctx.error(TASKS, line, "completed_on", _("已完成的整改任务须写明完成日期。"))
            continue
        if status in (TaskStatus.PLANNED, TaskStatus.IN_PROGRESS) and completed_on:
            ctx.error(TASKS, line, "completed_on", _("未完成的整改任务不能有完成日期。"))
            continue
        if not not_future(ctx, TASKS, line, "completed_on", completed_on):
            continue
        staged[ref] = TaskRow(line, problem, measure, *responsible, deadline, status, completed_on)
    ctx.staged[TASKS] = staged


def _check_tasks(ctx: ledger.ImportContext) -> None:
    staged: dict[str, TaskRow] = ctx.staged[TASKS]
    facts = problem_facts(ctx, {r.problem for r in staged.values()})
    for row in staged.values():
        fact = facts.get(row.problem)
        if fact is None:
            unknown(ctx, TASKS, row.line, "problem_id", row.problem)
        elif fact.placed and in_scope(ctx, TASKS, row.line, "problem_id", fact.body):
            if not fact.feedback:
                ctx.error(TASKS, row.line, "problem_id", _("该问题尚未反馈，不能制定整改任务。"))
            else:  # the rule of the task service and form
                ledger.validated(
                    ctx, TASKS, row.line, "deadline", check_task_deadline, row.deadline, fact.feedback
                )


def _apply_tasks(ctx: ledger.ImportContext) -> None:
    staged: dict[str, TaskRow] = ctx.staged[TASKS]
    problems = {p.ref: p for p in Problem.objects.filter(ref__in={r.problem for r in staged.values()})}
    existing = {
        (t.problem_id, t.measure): t
        for t in RectificationTask.objects.filter(problem__in=list(problems.values()))
    }
    new = []
    accepted = {"review": TaskReview.ACCEPTED, "accepted_at": timezone.now(), "accepted_by": ctx.actor}
    for row in staged.values():
        problem = problems[row.problem]
        values = {
            "responsible_leader": row.leader,
            "responsible_department": row.department,
            "deadline": row.deadline,
            "status": row.status,
            "completed_on": row.completed_on,
        }
        if row.status == TaskStatus.LONG_TERM:
            values["kind"] = TaskKind.LONG_TERM
        task = existing.get((problem.pk, row.measure))
        if task is None:
            values.setdefault(
                "kind", TaskKind.IMMEDIATE if problem.rectify_at_once else TaskKind.CONCENTRATED
            )
            new.append(RectificationTask(problem=problem, measure=row.measure, **values, **accepted))
        elif any(getattr(task, k) != v for k, v in values.items()):
            RectificationTask.objects.filter(pk=task.pk).update(**values, **accepted)
            ctx.count(TASKS, "updated")
    RectificationTask.objects.bulk_create(new, batch_size=5000)  # in sheet order: export numbers by it
    if new:
        ctx.count(TASKS, "created", len(new))


def _export_tasks(ctx: ledger.ExportContext):
    qs = (
        RectificationTask.objects.filter(ctx.access.q(Perm.FINDINGS_VIEW, f"problem__{BY_PROBLEM_BODY}"))
        .select_related("problem")
        .order_by("problem__ref", "pk")
    )
    for ref, tasks in groupby(qs.iterator(chunk_size=5000), key=lambda t: t.problem.ref):
        for n, t in enumerate(tasks, start=1):
            yield [
                f"{ref}-{n}",
                ref,
                t.measure,
                f"{t.responsible_leader}/{t.responsible_department}"
                if t.responsible_department
                else t.responsible_leader,
                ledger.iso(t.deadline),
                t.status,
                ledger.iso(t.completed_on),
            ]


ledger.register(
    ledger.LedgerFile(
        name=TASKS,
        title=gettext_lazy("整改任务"),
        order=91,
        columns=[
            ledger.filled("task_id", "任务编号", max_length=60),
            ledger.filled("problem_id", "问题编号", field=Problem.ref),
            ledger.filled("measure", "整改措施", text=True, field=RectificationTask.measure),
            ledger.Column("responsible", "责任领导/责任部门", required=True, text=True),
            ledger.filled("deadline", "完成时限", kind=ledger.DATE),
            ledger.Column("status", "状态", choices=TaskStatus, default=TaskStatus.PLANNED),
            ledger.Column("completed_on", "完成日期", kind=ledger.DATE),
        ],
        # One problem, one task per measure: a row is matched to its task by problem and measure.
        unique=(ledger.Unique(("task_id",)), ledger.Unique(("problem_id", "measure"))),
        parse=_parse_tasks,
        check=_check_tasks,
        apply=_apply_tasks,
        export=_export_tasks,
    )
)
