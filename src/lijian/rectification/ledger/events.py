"""task_events.csv of the ledger bundle: each step of a task's review — written, changed (what
changed), accepted, or returned with the inspection side's comment — by whom and when, so the history
a returned task shows reads the same after the whole database is exported and imported again. (A
task's progress reports are task_progress.csv; its problem's status history problem_status.csv.)

A row names its task as tasks.csv matches one: by its problem and its current measure (in tasks.csv
of the bundle or in the system). The history only grows: an event already held (same task, action,
moment and comment) is not added twice, and none is changed or removed. ``at`` is the moment, ISO
8601 (2024-05-12T10:31:00+08:00; without an offset, the server's time zone). ``changes`` is what a
change changed, as lijian records it: a JSON object of field to [before, after]. The actor is an
account, named by its user name; one this system lacks is left empty, as the preview says.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lijian.core.permissions import Perm
from lijian.documents import ledger
from lijian.findings.models import Problem

from ..choices import TaskEventAction
from ..models import RectificationTask, TaskEvent
from ..validators import check_not_future, check_return_comment
from .common import BY_PROBLEM_BODY, check_tasks_named, stored_tasks
from .rules import validated_on

EVENTS = "task_events.csv"
CHANGEABLE = ("measure", "deadline")  # what ``services.task_change`` may change


@dataclass(slots=True)
class EventRow:
    line: int
    problem: str
    measure: str
    action: str
    at: datetime.datetime
    comment: str
    changes: dict
    actor: str


def moment(ctx: ledger.ImportContext, line: int, text: str) -> datetime.datetime | None:
    """The aware moment ``text`` writes in ISO 8601 (naive: the server's time zone); ``None`` once
    reported."""
    try:
        at = datetime.datetime.fromisoformat(text)
    except ValueError:
        message = _("时间“%(value)s”无效，应为 ISO 8601，如 2024-05-12T10:31:00+08:00。")
        ctx.error(EVENTS, line, "at", message % {"value": text})
        return None
    return at if timezone.is_aware(at) else timezone.make_aware(at)


def what_changed(ctx: ledger.ImportContext, line: int, text: str) -> dict | None:
    """The ``changes`` cell as lijian records it ({field: [before, after]}, fields a change may
    touch); ``None`` once reported."""
    if not text:
        return {}
    try:
        changes = json.loads(text)
    except ValueError:
        changes = None
    if not isinstance(changes, dict) or any(
        key not in CHANGEABLE
        or not isinstance(pair, list)
        or len(pair) != 2
        or not all(isinstance(v, str) for v in pair)
        for key, pair in changes.items()
    ):
        message = _(
            '修改内容应为 JSON 对象，如 {"deadline": ["2024-06-30", "2024-07-31"]}（可改的只有 measure 和 deadline）。'
        )
        ctx.error(EVENTS, line, "changes", message)
        return None
    return changes


def _parse(ctx: ledger.ImportContext, rows, total) -> None:
    staged: dict[tuple, EventRow] = {}
    for line, (problem, measure, action, at_text, comment, changes_text, actor), ok in rows:
        at = moment(ctx, line, at_text) if at_text else None
        changes = what_changed(ctx, line, changes_text)
        if not ok or at is None or changes is None:
            continue
        local_day = timezone.localtime(at).date()
        if not validated_on(ctx, EVENTS, line, {}, "at", check_not_future, local_day, "at"):
            continue
        returned = action == TaskEventAction.RETURNED
        if returned and not validated_on(ctx, EVENTS, line, {}, "comment", check_return_comment, comment):
            continue
        if changes and action != TaskEventAction.CHANGED:
            ctx.error(EVENTS, line, "changes", _("只有修改记录有修改内容。"))
            continue
        staged.setdefault(
            (problem, measure, action, at, comment),
            EventRow(line, problem, measure, action, at, comment, changes, actor),
        )
    ctx.staged[EVENTS] = staged


def _check(ctx: ledger.ImportContext) -> None:
    staged: dict[tuple, EventRow] = ctx.staged[EVENTS]
    check_tasks_named(ctx, EVENTS, staged.values())
    names = {row.actor for row in staged.values() if row.actor}
    held = set(get_user_model().objects.filter(username__in=names).values_list("username", flat=True))
    for row in staged.values():
        if row.actor and row.actor not in held:
            ctx.mapped(EVENTS, "actor", row.actor, _("本系统没有这个账号，留空"))


def _apply(ctx: ledger.ImportContext) -> None:
    staged: dict[tuple, EventRow] = ctx.staged[EVENTS]
    refs = {row.problem for row in staged.values()}
    tasks = stored_tasks(refs)
    users = dict(
        get_user_model()
        .objects.filter(username__in={row.actor for row in staged.values() if row.actor})
        .values_list("username", "pk")
    )
    held = set(
        TaskEvent.objects.filter(task__in=list(tasks.values())).values_list(
            "task_id", "action", "at", "comment"
        )
    )
    new = []
    for row in staged.values():
        task = tasks[row.problem, row.measure]
        if (task.pk, row.action, row.at, row.comment) not in held:
            new.append(
                TaskEvent(
                    task=task,
                    action=row.action,
                    at=row.at,
                    comment=row.comment,
                    changes=row.changes,
                    actor_id=users.get(row.actor),
                )
            )
    TaskEvent.objects.bulk_create(new, batch_size=5000)
    if new:
        ctx.count(EVENTS, "created", len(new))


def _export(ctx: ledger.ExportContext):
    qs = (
        TaskEvent.objects.filter(ctx.access.q(Perm.FINDINGS_VIEW, f"task__problem__{BY_PROBLEM_BODY}"))
        .order_by("task__problem__ref", "task__pk", "at", "pk")
        .values_list(
            "task__problem__ref", "task__measure", "action", "at", "comment", "changes", "actor__username"
        )
    )
    for ref, measure, action, at, comment, changes, actor in qs.iterator(chunk_size=5000):
        yield [
            ref,
            measure,
            action,
            timezone.localtime(at).isoformat(),
            comment,
            json.dumps(changes, ensure_ascii=False, sort_keys=True) if changes else "",
            actor or "",
        ]


ledger.register(
    ledger.LedgerFile(
        name=EVENTS,
        title=gettext_lazy("整改任务审核记录"),
        order=92,  # after tasks.csv (91), beside task_progress.csv
        columns=[
            ledger.filled("problem_id", "问题编号", field=Problem.ref),
            ledger.filled("measure", "整改措施", text=True, field=RectificationTask.measure),
            ledger.filled("action", "操作", choices=TaskEventAction),
            ledger.filled("at", "时间", max_length=40),
            ledger.Column("comment", "意见", text=True, field=TaskEvent.comment),
            ledger.Column("changes", "修改内容", max_length=20000),
            ledger.Column("actor", "操作人", field=get_user_model().username),
        ],
        parse=_parse,
        check=_check,
        apply=_apply,
        export=_export,
    )
)
