"""naming_candidates.csv of the ledger bundle: the candidates of a body's yearly assessment for its
naming notice, with the office's decision. ``body_code`` and ``year`` name the assessment (in
assessment_scores.csv or the system; one named only here is made a draft); a candidate is matched by
assessment, kind and name."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lijian.documents import ledger
from lijian.orgs.models import InspectionBody

from ..choices import CandidateStatus, NamingWho
from ..models import NamingCandidate
from ..validators import check_year
from .common import VIEW, bodies_by_code, body_in_scope, body_known, not_future
from .scores import assessments_for, lower_body

NAMING = "naming_candidates.csv"


@dataclass(slots=True)
class CandidateRow:
    line: int
    body: str
    year: int
    assessed: str
    who: str
    person_name: str
    reason: str
    status: str
    decided_on: datetime.date | None


def _parse(ctx: ledger.ImportContext, rows, total) -> None:
    staged: dict[tuple, CandidateRow] = {}
    for line, values, ok in rows:
        if not ok:
            continue
        row = CandidateRow(line, *values)
        if not ledger.validated(ctx, NAMING, line, "year", check_year, row.year):
            continue
        if not not_future(ctx, NAMING, line, "decided_on", row.decided_on):
            continue
        if (row.status == CandidateStatus.PROPOSED) != (row.decided_on is None):
            ctx.error(NAMING, line, "decided_on", _("已决定的拟通报对象须写明决定日期，拟通报的不填。"))
            continue
        if body_in_scope(ctx, NAMING, line, row.body):
            staged[row.body, row.year, row.who, row.person_name] = row
    ctx.staged[NAMING] = staged


def _check(ctx: ledger.ImportContext) -> None:
    for row in ctx.staged[NAMING].values():
        body_known(ctx, NAMING, row.line, "assessed_body_code", row.assessed)


def _apply(ctx: ledger.ImportContext) -> None:
    staged: dict[tuple, CandidateRow] = ctx.staged[NAMING]
    bodies = bodies_by_code({r.body for r in staged.values()} | {r.assessed for r in staged.values()})
    assessments = assessments_for(ctx, {(r.body, r.year) for r in staged.values()}, bodies)
    existing = {
        (c.assessment_id, c.who, c.person_name): c
        for c in NamingCandidate.objects.filter(assessment__in=list(assessments.values()))
    }
    for row in staged.values():
        assessment, assessed = assessments[row.body, row.year], bodies[row.assessed]
        if not lower_body(ctx, NAMING, row.line, bodies[row.body], assessed, assessment.committee_kind):
            continue
        values = {
            "assessed_body": assessed,
            "reason": row.reason,
            "status": row.status,
            "decided_on": row.decided_on,
        }
        create = {"assessment": assessment, "who": row.who, "person_name": row.person_name}
        item = existing.get((assessment.pk, row.who, row.person_name))
        ledger.upsert(ctx, NAMING, NamingCandidate, item, values, create=create)


def _export(ctx: ledger.ExportContext):
    rows = (
        NamingCandidate.objects.filter(ctx.access.q(VIEW, "assessment__body__owner_org__path"))
        .select_related("assessment__body", "assessed_body")
        .order_by("assessment__year", "assessment_id", "who", "pk")
    )
    for c in rows.iterator(chunk_size=5000):
        yield [
            c.assessment.body.code,
            str(c.assessment.year),
            c.assessed_body.code,
            c.who,
            c.person_name,
            c.reason,
            c.status,
            ledger.iso(c.decided_on),
        ]


ledger.register(
    ledger.LedgerFile(
        name=NAMING,
        title=gettext_lazy("拟通报对象"),
        order=124,
        columns=[
            ledger.filled("body_code", "考核机构代码", field=InspectionBody.code),
            ledger.filled("year", "年度", kind=ledger.INT, minimum=1),
            ledger.filled("assessed_body_code", "被考核机构代码", field=InspectionBody.code),
            ledger.filled("who", "通报对象类别", choices=NamingWho),
            ledger.filled("person_name", "名称或姓名", text=True, field=NamingCandidate.person_name),
            ledger.filled("reason", "通报事由", text=True, field=NamingCandidate.reason),
            ledger.Column("status", "状态", choices=CandidateStatus, default=CandidateStatus.PROPOSED),
            ledger.Column("decided_on", "决定日期", kind=ledger.DATE),
        ],
        unique=(ledger.Unique(("body_code", "year", "who", "person_name"), at="person_name"),),
        parse=_parse,
        check=_check,
        apply=_apply,
        export=_export,
    )
)
