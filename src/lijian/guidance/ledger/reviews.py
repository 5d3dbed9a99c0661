"""material_reviews.csv of the ledger bundle: one row per special meeting whose material a body
reviewed, matched to a review in the system by body, organisation and meeting day. The sheet records
where the review stands (its status, the latest opinions, the day it was accepted); the rounds of a
review kept in the system are its history and are not in the sheet."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lijian.documents import ledger
from lijian.orgs.models import InspectionBody, Organization

from ..choices import ReviewStatus
from ..models import MaterialReview
from ..validators import check_material_dates, check_opinions, check_order
from .common import VIEW, bodies_by_code, body_in_scope, is_lower, not_future, org_known, orgs_by_code

REVIEWS = "material_reviews.csv"


@dataclass(slots=True)
class ReviewRow:
    line: int
    body: str
    org: str
    secretary_name: str
    secretary_post: str
    meeting_on: datetime.date
    meeting_title: str
    received_on: datetime.date
    status: str
    opinions: str
    accepted_on: datetime.date | None


def _row_rules(ctx, line: int, row: ReviewRow) -> bool:
    f = REVIEWS
    ok = ledger.validated(ctx, f, line, "received_on", check_material_dates, row.meeting_on, row.received_on)
    ok = not_future(ctx, f, line, "accepted_on", row.accepted_on) and ok
    if row.status == ReviewStatus.RETURNED:
        ok = ledger.validated(ctx, f, line, "opinions", check_opinions, row.opinions) and ok
    if (row.status == ReviewStatus.ACCEPTED) != (row.accepted_on is not None):
        ctx.error(f, line, "accepted_on", _("审阅通过的材料须写明通过日期，其他状态不填。"))
        ok = False
    elif row.accepted_on is not None:
        message = _("通过日期不能早于收到材料日期。")
        ok = (
            ledger.validated(
                ctx,
                f,
                line,
                "accepted_on",
                check_order,
                row.received_on,
                row.accepted_on,
                "accepted_on",
                message,
            )
            and ok
        )
    return ok


def _parse(ctx: ledger.ImportContext, rows, total) -> None:
    staged: dict[tuple, ReviewRow] = {}
    for line, values, ok in rows:
        if not ok:
            continue
        row = ReviewRow(line, *values)
        if _row_rules(ctx, line, row) and body_in_scope(ctx, REVIEWS, line, row.body):
            staged[row.body, row.org, row.meeting_on] = row
    ctx.staged[REVIEWS] = staged


def _check(ctx: ledger.ImportContext) -> None:
    for row in ctx.staged[REVIEWS].values():
        org_known(ctx, REVIEWS, row.line, "org_code", row.org)


def _apply(ctx: ledger.ImportContext) -> None:
    staged: dict[tuple, ReviewRow] = ctx.staged[REVIEWS]
    bodies = bodies_by_code({r.body for r in staged.values()})
    orgs = orgs_by_code({r.org for r in staged.values()})
    existing = {
        (r.body.code, r.organization.code, r.meeting_on): r
        for r in MaterialReview.objects.filter(body__in=list(bodies.values())).select_related(
            "body", "organization"
        )
    }
    for key, row in staged.items():
        body, org = bodies[row.body], orgs[row.org]
        if not is_lower(ctx, REVIEWS, row.line, "org_code", body, org.path):
            continue
        values = {
            "secretary_name": row.secretary_name,
            "secretary_post": row.secretary_post,
            "meeting_title": row.meeting_title,
            "received_on": row.received_on,
            "status": row.status,
            "opinions": row.opinions,
            "accepted_on": row.accepted_on,
        }
        create = {"body": body, "organization": org, "meeting_on": row.meeting_on, "recorded_by": ctx.actor}
        ledger.upsert(ctx, REVIEWS, MaterialReview, existing.get(key), values, create=create)


def _export(ctx: ledger.ExportContext):
    rows = (
        MaterialReview.objects.filter(ctx.access.q(VIEW, "body__owner_org__path"))
        .select_related("body", "organization")
        .order_by("received_on", "pk")
    )
    for r in rows.iterator(chunk_size=5000):
        yield [
            r.body.code,
            r.organization.code,
            r.secretary_name,
            r.secretary_post,
            ledger.iso(r.meeting_on),
            r.meeting_title,
            ledger.iso(r.received_on),
            r.status,
            r.opinions,
            ledger.iso(r.accepted_on),
        ]


ledger.register(
    ledger.LedgerFile(
        name=REVIEWS,
        title=gettext_lazy("专题会材料审阅"),
        order=120,
        columns=[
            ledger.filled("body_code", "审阅机构代码", field=InspectionBody.code),
            ledger.filled("org_code", "报送党委代码", field=Organization.code),
            ledger.filled("secretary_name", "书记姓名", text=True, field=MaterialReview.secretary_name),
            ledger.Column("secretary_post", "书记职务", text=True, field=MaterialReview.secretary_post),
            ledger.filled("meeting_on", "专题会日期", kind=ledger.DATE),
            ledger.filled("meeting_title", "专题会名称", text=True, field=MaterialReview.meeting_title),
            ledger.filled("received_on", "收到材料日期", kind=ledger.DATE),
            ledger.Column("status", "状态", choices=ReviewStatus, default=ReviewStatus.RECEIVED),
            ledger.Column("opinions", "审阅意见", text=True, field=MaterialReview.opinions),
            ledger.Column("accepted_on", "通过日期", kind=ledger.DATE),
        ],
        unique=(ledger.Unique(("body_code", "org_code", "meeting_on")),),
        parse=_parse,
        check=_check,
        apply=_apply,
        export=_export,
    )
)
