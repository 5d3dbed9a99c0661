"""accountability.csv of the ledger bundle (DESIGN.md §7): linked to its problem when ``problem_id`` is
given (a problem of the same organisation; its body is the body); otherwise to the organisation's latest
inspection by the body found as for interviews — an error when there is none, since an action must be
linked to its cause. The deciding organ (决定机关) is the body's committee. A row is matched to an action in
the system by organisation, person, action and date; an interview by organisation, both people and date.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lijian.core.permissions import Perm
from lijian.documents.ledger.registry import (
    INVALID,
    Column,
    ExportContext,
    ImportContext,
    LedgerFile,
    iso,
    register,
    require_text,
)
from lijian.findings.models import Problem

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
    orgs_and_bodies,
    problem_facts,
    repeated,
    required_choice,
    required_date,
    unknown,
    upsert,
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


def _parse_accountability(ctx: ImportContext, rows, total) -> None:
    staged: dict[tuple, AccountabilityRow] = {}
    f = ACCOUNTABILITY
    for line, (name, post, org, action, reason, decided_on, problem) in rows:
        name = require_text(ctx, f, line, "subject_name", name, 60)
        post = require_text(ctx, f, line, "subject_post", post, 120)
        org = require_text(ctx, f, line, "org_code", org, 40)
        action = required_choice(ctx, f, line, "action", action, AccountabilityAction)
        reason = require_text(ctx, f, line, "reason", reason, 5000)
        decided_on = required_date(ctx, f, line, "decided_on", decided_on)
        if len(problem) > 40:
            ctx.error(f, line, "problem_id", _("过长（最多 %(n)s 个字符）。") % {"n": 40})
            continue
        if INVALID in (name, post, org, action, reason, decided_on):
            continue
        key = (org, name, action, decided_on)
        if key in staged:
            repeated(ctx, f, line, "subject_name", staged[key].line)
            continue
        staged[key] = AccountabilityRow(line, name, post, org, action, reason, decided_on, problem)
    ctx.staged[ACCOUNTABILITY] = staged


def _check_accountability(ctx: ImportContext) -> None:
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


def _apply_accountability(ctx: ImportContext) -> None:
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
        for a in Accountability.objects.filter(organization__in=list(orgs.values()))
    }
    for row in staged.values():
        org, body = orgs[row.org], bodies[body_of[row.line]]
        if not covers(ctx, ACCOUNTABILITY, row.line, org, body):
            continue
        problem = problems.get(row.problem)
        values = {
            "body": body,
            "subject_post": row.post,
            "reason": row.reason,
            "decided_by": body.owner_org.name,
            "problem": problem,
            "inspection": problem.inspection
            if problem
            else latest_inspection(inspections[org.pk, body.pk], row.decided_on),
        }
        keys = {
            "organization": org,
            "subject_name": row.name,
            "action": row.action,
            "decided_on": row.decided_on,
        }
        item = existing.get((org.pk, row.name, row.action, row.decided_on))
        upsert(ctx, ACCOUNTABILITY, Accountability, item, keys, values)


def _export_accountability(ctx: ExportContext):
    qs = (
        Accountability.objects.filter(ctx.access.q(Perm.RECTIFICATION_VIEW, "body__owner_org__path"))
        .select_related("organization", "problem", "task__problem")
        .order_by("decided_on", "pk")
    )
    for a in qs.iterator(chunk_size=5000):
        problem = a.problem or (a.task.problem if a.task else None)
        yield [
            a.subject_name,
            a.subject_post,
            a.organization.code,
            a.action,
            a.reason,
            iso(a.decided_on),
            problem.ref if problem else "",
        ]


register(
    LedgerFile(
        name=ACCOUNTABILITY,
        title=gettext_lazy("问责"),
        order=97,
        columns=[
            Column("subject_name", "问责对象", required=True, text=True),
            Column("subject_post", "职务", required=True, text=True),
            Column("org_code", "党组织代码", required=True),
            Column("action", "问责方式", required=True, choices=AccountabilityAction),
            Column("reason", "问责事由", required=True, text=True),
            Column("decided_on", "决定日期", required=True),
            Column("problem_id", "问题编号"),
        ],
        parse=_parse_accountability,
        check=_check_accountability,
        apply=_apply_accountability,
        export=_export_accountability,
    )
)
