"""self_criticisms.csv of the ledger bundle: the 深刻检查 a body required of an organisation of a term
(its implementation rate on the day assessed, against the threshold then), with its submission and
acceptance, so a whole database exported and imported again counts the same self-criticisms.

A row is one organisation's self-criticism of a body's term, assessed on a day; importing it again
updates it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lijian.core.permissions import Perm
from lijian.documents import ledger
from lijian.orgs.models import InspectionBody, Organization, Term

from ..choices import SelfCriticismStatus
from ..models import SelfCriticism
from .common import BODIES, ORGS, in_scope

SELF_CRITICISMS = "self_criticisms.csv"
TERMS = "terms.csv"


@dataclass(slots=True)
class SelfCriticismRow:
    line: int
    body: str
    term: str
    org: str
    assessed_on: datetime.date
    values: dict


def _parse(ctx: ledger.ImportContext, rows, total) -> None:
    staged: dict[tuple, SelfCriticismRow] = {}
    for line, cells, ok in rows:
        (body, term, org, assessed_on, numerator, denominator, threshold, due_on, status, *rest) = cells
        text, submitted_on, accepted_on, return_reason = rest
        if not ok:
            continue
        if numerator > denominator:
            ctx.error(SELF_CRITICISMS, line, "numerator", _("落实到位的问题不能多于已反馈的问题。"))
            continue
        if due_on < assessed_on:
            ctx.error(SELF_CRITICISMS, line, "due_on", _("提交期限不能早于认定日期。"))
            continue
        if accepted_on and not submitted_on:
            ctx.error(SELF_CRITICISMS, line, "submitted_on", _("已通过的深刻检查须写明提交日期。"))
            continue
        staged[body, term, org, assessed_on] = SelfCriticismRow(
            line,
            body,
            term,
            org,
            assessed_on,
            {
                "numerator": numerator,
                "denominator": denominator,
                "threshold": threshold,
                "due_on": due_on,
                "status": status,
                "text": text,
                "submitted_on": submitted_on,
                "accepted_on": accepted_on,
                "return_reason": return_reason,
            },
        )
    ctx.staged[SELF_CRITICISMS] = staged


def _check(ctx: ledger.ImportContext) -> None:
    staged: dict[tuple, SelfCriticismRow] = ctx.staged[SELF_CRITICISMS]
    rows = list(staged.values())
    bodies = set(
        InspectionBody.objects.filter(code__in={r.body for r in rows}).values_list("code", flat=True)
    )
    bodies |= set(getattr(ctx.staged.get(BODIES), "rows", {}))
    terms = set(Term.objects.filter(body__code__in={r.body for r in rows}).values_list("body__code", "name"))
    terms |= set(ctx.staged.get(TERMS, {}))  # (body code, term name) of terms.csv
    orgs = set(Organization.objects.filter(code__in={r.org for r in rows}).values_list("code", flat=True))
    orgs |= set(getattr(ctx.staged.get(ORGS), "rows", {}))
    for row in rows:
        if row.body not in bodies:
            ctx.error(
                SELF_CRITICISMS, row.line, "body_code", _("找不到机构“%(code)s”。") % {"code": row.body}
            )
        elif not in_scope(ctx, SELF_CRITICISMS, row.line, "body_code", row.body):
            continue
        elif (row.body, row.term) not in terms:
            ctx.error(SELF_CRITICISMS, row.line, "term", _("找不到届次“%(name)s”。") % {"name": row.term})
        if row.org not in orgs:
            ctx.error(
                SELF_CRITICISMS,
                row.line,
                "org_code",
                _("“%(code)s”既不在 organizations.csv 中，也不在系统中。") % {"code": row.org},
            )


def _apply(ctx: ledger.ImportContext) -> None:
    staged: dict[tuple, SelfCriticismRow] = ctx.staged[SELF_CRITICISMS]
    rows = list(staged.values())
    terms = {
        (t.body.code, t.name): t
        for t in Term.objects.filter(body__code__in={r.body for r in rows}).select_related("body")
    }
    orgs = {o.code: o for o in Organization.objects.filter(code__in={r.org for r in rows})}
    existing = {
        (c.body.code, c.term.name, c.organization.code, c.assessed_on): c
        for c in SelfCriticism.objects.filter(body__code__in={r.body for r in rows}).select_related(
            "body", "term", "organization"
        )
    }
    for key, row in staged.items():
        term = terms[row.body, row.term]
        ledger.upsert(
            ctx,
            SELF_CRITICISMS,
            SelfCriticism,
            existing.get(key),
            row.values,
            create={
                "body": term.body,
                "term": term,
                "organization": orgs[row.org],
                "assessed_on": row.assessed_on,
            },
        )


def _export(ctx: ledger.ExportContext):
    qs = (
        SelfCriticism.objects.filter(ctx.access.q(Perm.RECTIFICATION_VIEW, "body__owner_org__path"))
        .select_related("body", "term", "organization")
        .order_by("body__code", "term__start", "assessed_on", "organization__code")
    )
    for c in qs.iterator(chunk_size=5000):
        yield [
            c.body.code,
            c.term.name,
            c.organization.code,
            ledger.iso(c.assessed_on),
            c.numerator,
            c.denominator,
            c.threshold,
            ledger.iso(c.due_on),
            c.status,
            c.text,
            ledger.iso(c.submitted_on),
            ledger.iso(c.accepted_on),
            c.return_reason,
        ]


ledger.register(
    ledger.LedgerFile(
        name=SELF_CRITICISMS,
        title=gettext_lazy("深刻检查"),
        order=98,
        columns=[
            ledger.filled("body_code", "机构代码", field=InspectionBody.code),
            ledger.filled("term", "届次", field=Term.name),
            ledger.filled("org_code", "党组织代码", field=Organization.code),
            ledger.filled("assessed_on", "认定日期", kind=ledger.DATE),
            ledger.filled("numerator", "落实到位的问题", kind=ledger.INT),
            ledger.filled("denominator", "已反馈的问题", kind=ledger.INT),
            ledger.filled("threshold", "警戒线（%）", kind=ledger.INT),
            ledger.filled("due_on", "提交期限", kind=ledger.DATE),
            ledger.Column("status", "状态", choices=SelfCriticismStatus, default=SelfCriticismStatus.DUE),
            ledger.Column("text", "检查内容", text=True, field=SelfCriticism.text, max_length=20000),
            ledger.Column("submitted_on", "提交日期", kind=ledger.DATE),
            ledger.Column("accepted_on", "通过日期", kind=ledger.DATE),
            ledger.Column("return_reason", "退回理由", text=True, field=SelfCriticism.return_reason),
        ],
        unique=(ledger.Unique(("body_code", "term", "org_code", "assessed_on")),),
        parse=_parse,
        check=_check,
        apply=_apply,
        export=_export,
    )
)
