"""interviews.csv of the ledger bundle (DESIGN.md §7): the body is the organisation's supervising body,
else the body of its latest inspection; the interview is linked to that body's latest inspection of it
fed back by the day.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from lijian.core.permissions import Perm
from lijian.documents import ledger
from lijian.orgs.models import Organization

from ..models import Interview
from .common import (
    bodies_of,
    body_or_error,
    covers,
    inspections_by,
    latest_inspection,
    not_future,
    orgs_and_bodies,
)

INTERVIEWS = "interviews.csv"


@dataclass(slots=True)
class InterviewRow:
    line: int
    interviewer: str
    interviewee: str
    org: str
    reason: str
    held_on: datetime.date


def _parse_interviews(ctx: ledger.ImportContext, rows, total) -> None:
    staged: dict[tuple, InterviewRow] = {}
    for line, (interviewer, interviewee, org, reason, held_on), ok in rows:
        if ok and not_future(ctx, INTERVIEWS, line, "held_on", held_on):
            staged[org, interviewer, interviewee, held_on] = InterviewRow(
                line, interviewer, interviewee, org, reason, held_on
            )
    ctx.staged[INTERVIEWS] = staged


def _check_interviews(ctx: ledger.ImportContext) -> None:
    staged: dict[tuple, InterviewRow] = ctx.staged[INTERVIEWS]
    bodies = bodies_of(ctx, {r.org for r in staged.values()})
    for row in staged.values():
        body_or_error(ctx, INTERVIEWS, row.line, row.org, bodies)
    ctx.staged["interview_bodies"] = bodies


def _apply_interviews(ctx: ledger.ImportContext) -> None:
    staged: dict[tuple, InterviewRow] = ctx.staged[INTERVIEWS]
    body_of = ctx.staged["interview_bodies"]
    orgs, bodies = orgs_and_bodies({r.org for r in staged.values()}, set(body_of.values()) - {None})
    inspections = inspections_by(orgs.values(), bodies.values())
    existing = {
        (i.organization_id, i.interviewer, i.interviewee, i.held_on): i
        for i in Interview.objects.filter(organization__in=list(orgs.values()))
    }
    for row in staged.values():
        org, body = orgs[row.org], bodies[body_of[row.org]]
        if not covers(ctx, INTERVIEWS, row.line, org, body):
            continue
        inspection = latest_inspection(inspections[org.pk, body.pk], row.held_on, fed_only=True)
        ledger.upsert(
            ctx,
            INTERVIEWS,
            Interview,
            existing.get((org.pk, row.interviewer, row.interviewee, row.held_on)),
            {"body": body, "reason": row.reason, "inspection": inspection},
            create={
                "recorded_by": ctx.actor,
                "organization": org,
                "interviewer": row.interviewer,
                "interviewee": row.interviewee,
                "held_on": row.held_on,
            },
        )


def _export_interviews(ctx: ledger.ExportContext):
    qs = (
        Interview.objects.filter(ctx.access.q(Perm.RECTIFICATION_VIEW, "body__owner_org__path"))
        .select_related("organization")
        .order_by("held_on", "pk")
    )
    for i in qs.iterator(chunk_size=5000):
        yield [i.interviewer, i.interviewee, i.organization.code, i.reason, ledger.iso(i.held_on)]


ledger.register(
    ledger.LedgerFile(
        name=INTERVIEWS,
        title=gettext_lazy("约谈"),
        order=96,
        columns=[
            ledger.filled("interviewer", "约谈人", text=True, field=Interview.interviewer),
            ledger.filled("interviewee", "被约谈人", text=True, field=Interview.interviewee),
            ledger.filled("org_code", "党组织代码", field=Organization.code),
            ledger.filled("reason", "约谈事由", text=True, field=Interview.reason, max_length=5000),
            ledger.filled("held_on", "约谈日期", kind=ledger.DATE),
        ],
        unique=(ledger.Unique(("org_code", "interviewer", "interviewee", "held_on")),),
        parse=_parse_interviews,
        check=_check_interviews,
        apply=_apply_interviews,
        export=_export_interviews,
    )
)
