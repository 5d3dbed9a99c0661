"""accountability.csv of the ledger bundle (DESIGN.md §7): linked to its problem when ``problem_id`` is
given (a problem of the same organisation; its body is the body); otherwise to the organisation's latest
inspection by the body found as for interviews — an error when there is none, since an action must be
linked to its cause. The deciding organ (决定机关) of a new action is the body's committee; an action
already recorded keeps its deciding organ, and its links unless the row names another problem. A row is matched to an action in
the system by organisation, person, action and date; an interview by organisation, both people and date.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lijian.core.permissions import Perm
from lijian.documents import ledger
from lijian.findings.models import Problem
from lijian.orgs.models import Organization

from ..choices import AccountabilityAction
from ..models import Accountability
from .common import (
    bodies_of,
    body_or_error,
    covers,
    in_scope,
    inspected_by,
    inspections_by,
    latest_inspection,
    not_future,
    orgs_and_bodies,
    problem_facts,
    unknown,
)

ACCOUNTABILITY = "accountability.csv"


@dataclass(slots=True)
class AccountabilityRow:
    line: int
    name: str
    post: str
    org: str
    action: str
    reason: str
    decided_on: datetime.date
    problem: str


def _parse_accountability(ctx: ledger.ImportContext, rows, total) -> None:
    staged: dict[tuple, AccountabilityRow] = {}
    for line, (name, post, org, action, reason, decided_on, problem), ok in rows:
        if ok and not_future(ctx, ACCOUNTABILITY, line, "decided_on", decided_on):
            staged[org, name, action, decided_on] = AccountabilityRow(
                line, name, post, org, action, reason, decided_on, problem
            )
    ctx.staged[ACCOUNTABILITY] = staged


def _check_accountability(ctx: ledger.ImportContext) -> None:
    staged: dict[tuple, AccountabilityRow] = ctx.staged[ACCOUNTABILITY]
    f = ACCOUNTABILITY
    facts = problem_facts(ctx, {r.problem for r in staged.values() if r.problem})
    bodies = bodies_of(ctx, {r.org for r in staged.values() if not r.problem})
    chosen: dict[int, str] = {}  # line -> body code
    for row in staged.values():
        if row.problem:
            fact = facts.get(row.problem)
            if fact is None:
                unknown(ctx, f, row.line, "problem_id", row.problem)
            elif fact.org != row.org:
                message = _("该问题属于党组织“%(problem_org)s”，不属于“%(org)s”。")
                ctx.error(f, row.line, "problem_id", message % {"problem_org": fact.org, "org": row.org})
            elif fact.placed and in_scope(ctx, f, row.line, "problem_id", fact.body):
                chosen[row.line] = fact.body
            continue
        body = body_or_error(ctx, f, row.line, row.org, bodies)
        if body is not None:
            chosen[row.line] = body
    unlinked = {(r.org, chosen[r.line]) for r in staged.values() if not r.problem and r.line in chosen}
    linked = inspected_by(ctx, unlinked)
    for row in staged.values():
        if not row.problem and row.line in chosen and (row.org, chosen[row.line]) not in linked:
            message = _(
                "找不到机构“%(body)s”对该党组织的巡视巡察：问责须关联引起它的巡视巡察或问题，请填写问题编号。"
            )
            ctx.error(f, row.line, "problem_id", message % {"body": chosen[row.line]})
    ctx.staged["accountability_bodies"] = chosen


def _apply_accountability(ctx: ledger.ImportContext) -> None:
    staged: dict[tuple, AccountabilityRow] = ctx.staged[ACCOUNTABILITY]
    body_of: dict[int, str] = ctx.staged["accountability_bodies"]
    orgs, bodies = orgs_and_bodies({r.org for r in staged.values()}, set(body_of.values()))
    problems = {
        p.ref: p
        for p in Problem.objects.filter(
            ref__in={r.problem for r in staged.values() if r.problem}
        ).select_related("inspection")
    }
    inspections = inspections_by(orgs.values(), bodies.values())
    existing = {
        (a.organization_id, a.subject_name, a.action, a.decided_on): a
        for a in Accountability.objects.filter(organization__in=list(orgs.values())).select_related(
            "problem", "task__problem"
        )
    }
    for row in staged.values():
        org, body = orgs[row.org], bodies[body_of[row.line]]
        if not covers(ctx, ACCOUNTABILITY, row.line, org, body):
            continue
        item = existing.get((org.pk, row.name, row.action, row.decided_on))
        values = {"body": body, "subject_post": row.post, "reason": row.reason}
        # The links follow the row only when it names another problem than the one the action's
        # export names: the file carries no inspection, task or deciding organ, so an unchanged row
        # keeps those as recorded (an office's own export imports back as unchanged).
        if item is None or _problem_ref(item) != row.problem:
            problem = problems.get(row.problem)
            values["problem"] = problem
            values["inspection"] = (
                problem.inspection
                if problem
                else latest_inspection(inspections[org.pk, body.pk], row.decided_on)
            )
        keys = {
            "organization": org,
            "subject_name": row.name,
            "action": row.action,
            "decided_on": row.decided_on,
        }
        create = {"recorded_by": ctx.actor, "decided_by": body.owner_org.name, **keys}
        ledger.upsert(ctx, ACCOUNTABILITY, Accountability, item, values, create=create)


def _problem_ref(action: Accountability) -> str:
    """The problem_id the export writes for ``action``: its problem's, else its task's, else ""."""
    problem = action.problem or (action.task.problem if action.task else None)
    return problem.ref if problem else ""


def _export_accountability(ctx: ledger.ExportContext):
    qs = (
        Accountability.objects.filter(ctx.access.q(Perm.RECTIFICATION_VIEW, "body__owner_org__path"))
        .select_related("organization", "problem", "task__problem")
        .order_by("decided_on", "pk")
    )
    for a in qs.iterator(chunk_size=5000):
        yield [
            a.subject_name,
            a.subject_post,
            a.organization.code,
            a.action,
            a.reason,
            ledger.iso(a.decided_on),
            _problem_ref(a),
        ]


ledger.register(
    ledger.LedgerFile(
        name=ACCOUNTABILITY,
        title=gettext_lazy("问责"),
        order=97,
        columns=[
            ledger.filled("subject_name", "问责对象", text=True, field=Accountability.subject_name),
            ledger.filled("subject_post", "职务", text=True, field=Accountability.subject_post),
            ledger.filled("org_code", "党组织代码", field=Organization.code),
            ledger.filled("action", "问责方式", choices=AccountabilityAction),
            ledger.filled("reason", "问责事由", text=True, field=Accountability.reason, max_length=5000),
            ledger.filled("decided_on", "决定日期", kind=ledger.DATE),
            ledger.Column("problem_id", "问题编号", field=Problem.ref),
        ],
        unique=(ledger.Unique(("org_code", "subject_name", "action", "decided_on"), at="subject_name"),),
        parse=_parse_accountability,
        check=_check_accountability,
        apply=_apply_accountability,
        export=_export_accountability,
    )
)
