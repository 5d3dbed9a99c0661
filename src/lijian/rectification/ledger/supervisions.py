"""supervisions.csv of the ledger bundle: the office's 督办 of an organisation's rectification (by
letter, on site, at a meeting or by phone), optionally on one inspection or one task, so what the
office pressed and when reads the same after the whole database is exported and imported again.

A row names the body and the organisation by code, the inspection (optional) by its term and round
as inspections.csv does, the task (optional) by its problem and measure as tasks.csv does. The rules
are the service's (``supervision.check_supervision``). A row is one supervision: body,
organisation, day, method and content; importing it again updates its result and links.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lijian.core.permissions import Perm
from lijian.documents import ledger
from lijian.findings.models import Problem
from lijian.orgs.models import InspectionBody, Organization, Term

from ..choices import SupervisionMethod
from ..models import RectificationTask, Supervision
from ..supervision import check_supervision
from .common import in_scope, known_tasks, not_future, orgs_and_bodies
from .rules import (
    both_or_neither,
    inspections_named,
    known_bodies,
    known_inspections,
    known_orgs,
    validated_on,
)

SUPERVISIONS = "supervisions.csv"
# The service's fields, as the columns that carry them.
COLUMN_OF = {"organization": "org_code", "held_on": "held_on", "inspection": "round", "task": "measure"}


@dataclass(slots=True)
class SupervisionRow:
    line: int
    body: str
    org: str
    held_on: datetime.date
    method: str
    content: str
    result: str
    inspection: tuple | None  # (body, term, round, organisation), as inspections.csv keys it
    task: tuple | None  # (problem, measure), as tasks.csv keys it


def _parse(ctx: ledger.ImportContext, rows, total) -> None:
    staged: dict[tuple, SupervisionRow] = {}
    for line, cells, ok in rows:
        body, org, held_on, method, content, result, term, number, problem, measure = cells
        if not ok or not not_future(ctx, SUPERVISIONS, line, "held_on", held_on):
            continue
        if not both_or_neither(ctx, SUPERVISIONS, line, {"term": term, "round": number}):
            continue
        if not both_or_neither(ctx, SUPERVISIONS, line, {"problem_id": problem, "measure": measure}):
            continue
        inspection = (body, term, number, org) if term else None
        task = (problem, measure) if problem else None
        staged[body, org, held_on, method, content] = SupervisionRow(
            line, body, org, held_on, method, content, result, inspection, task
        )
    ctx.staged[SUPERVISIONS] = staged


def _check(ctx: ledger.ImportContext) -> None:
    rows = list(ctx.staged[SUPERVISIONS].values())
    bodies = known_bodies(ctx, {r.body for r in rows})
    orgs = known_orgs(ctx, {r.org for r in rows})
    inspections = known_inspections(ctx, {r.inspection for r in rows if r.inspection})
    tasks = known_tasks(ctx, {r.task[0] for r in rows if r.task})
    for row in rows:
        if row.body not in bodies:
            ctx.error(SUPERVISIONS, row.line, "body_code", _("找不到机构“%(code)s”。") % {"code": row.body})
            continue
        if not in_scope(ctx, SUPERVISIONS, row.line, "body_code", row.body):
            continue
        if row.org not in orgs:
            message = _("“%(code)s”既不在 organizations.csv 中，也不在系统中。")
            ctx.error(SUPERVISIONS, row.line, "org_code", message % {"code": row.org})
        if row.inspection and row.inspection not in inspections:
            message = _("找不到巡视巡察“%(key)s”（既不在 inspections.csv 中，也不在系统中）。")
            ctx.error(SUPERVISIONS, row.line, "round", message % {"key": ":".join(map(str, row.inspection))})
        if row.task and row.task not in tasks:
            ctx.error(SUPERVISIONS, row.line, "measure", _("该问题没有这项整改措施（见 tasks.csv）。"))


def _apply(ctx: ledger.ImportContext) -> None:
    rows = list(ctx.staged[SUPERVISIONS].values())
    orgs, bodies = orgs_and_bodies({r.org for r in rows}, {r.body for r in rows})
    inspections = inspections_named(ctx, {r.inspection for r in rows if r.inspection})
    tasks = {
        (t.problem.ref, t.measure): t
        for t in RectificationTask.objects.filter(
            problem__ref__in={r.task[0] for r in rows if r.task}
        ).select_related("problem__inspection__round")
    }
    existing = {
        (s.body_id, s.organization_id, s.held_on, s.method, s.content): s
        for s in Supervision.objects.filter(organization__in=list(orgs.values()))
    }
    for row in rows:
        body, org = bodies[row.body], orgs[row.org]
        inspection = inspections[row.inspection] if row.inspection else None
        task = tasks[row.task] if row.task else None
        rule = (ctx, SUPERVISIONS, row.line, COLUMN_OF, "org_code", check_supervision)
        if not validated_on(*rule, body, org, row.held_on, inspection, task):
            continue
        ledger.upsert(
            ctx,
            SUPERVISIONS,
            Supervision,
            existing.get((body.pk, org.pk, row.held_on, row.method, row.content)),
            {
                "result": row.result,
                "inspection_id": inspection.pk if inspection else None,
                "task_id": task.pk if task else None,
            },
            create={
                "body": body,
                "organization": org,
                "held_on": row.held_on,
                "method": row.method,
                "content": row.content,
                "recorded_by": ctx.actor,
            },
        )


def _export(ctx: ledger.ExportContext):
    qs = (
        Supervision.objects.filter(ctx.access.q(Perm.RECTIFICATION_VIEW, "body__owner_org__path"))
        .select_related("body", "organization", "inspection__round__term", "task__problem")
        .order_by("body__code", "held_on", "pk")
    )
    for s in qs.iterator(chunk_size=5000):
        inspection = s.inspection
        task = s.task
        yield [
            s.body.code,
            s.organization.code,
            ledger.iso(s.held_on),
            s.method,
            s.content,
            s.result,
            inspection.round.term.name if inspection else "",
            inspection.round.number if inspection else "",
            task.problem.ref if task else "",
            task.measure if task else "",
        ]


ledger.register(
    ledger.LedgerFile(
        name=SUPERVISIONS,
        title=gettext_lazy("督办"),
        order=99,  # after tasks.csv and inspections.csv, whose records it names
        columns=[
            ledger.filled("body_code", "机构代码", field=InspectionBody.code),
            ledger.filled("org_code", "党组织代码", field=Organization.code),
            ledger.filled("held_on", "督办日期", kind=ledger.DATE),
            ledger.filled("method", "督办方式", choices=SupervisionMethod),
            ledger.filled("content", "督办内容", text=True, field=Supervision.content, max_length=20000),
            ledger.Column("result", "督办结果", text=True, field=Supervision.result, max_length=20000),
            ledger.Column("term", "届次", field=Term.name),
            ledger.Column("round", "轮次", kind=ledger.INT, minimum=1),
            ledger.Column("problem_id", "问题编号", field=Problem.ref),
            ledger.Column("measure", "整改措施", text=True, field=RectificationTask.measure),
        ],
        unique=(ledger.Unique(("body_code", "org_code", "held_on", "method", "content")),),
        parse=_parse,
        check=_check,
        apply=_apply,
        export=_export,
    )
)
