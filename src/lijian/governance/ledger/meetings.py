"""meetings.csv of the ledger bundle: the meetings of a body on inspection work, matched to one in the
system by body, day and title."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from lijian.documents import ledger
from lijian.orgs.models import InspectionBody

from ..choices import MeetingKind
from ..models import Meeting
from .common import VIEW, bodies_by_code, body_in_scope, not_future

MEETINGS = "meetings.csv"


@dataclass(slots=True)
class MeetingRow:
    line: int
    body: str
    held_on: datetime.date
    kind: str
    title: str
    topics: str
    attendees: str
    decisions: str


def _parse(ctx: ledger.ImportContext, rows, total) -> None:
    staged: dict[tuple, MeetingRow] = {}
    for line, values, ok in rows:
        body, held_on, kind, title, topics, attendees, decisions = values
        if not ok or not not_future(ctx, MEETINGS, line, "held_on", held_on):
            continue
        if body_in_scope(ctx, MEETINGS, line, body):
            staged[body, held_on, title] = MeetingRow(line, *values)
    ctx.staged[MEETINGS] = staged


def _check(ctx: ledger.ImportContext) -> None:
    """Nothing across files: a meeting names only its body, checked while parsing."""


def _apply(ctx: ledger.ImportContext) -> None:
    staged: dict[tuple, MeetingRow] = ctx.staged[MEETINGS]
    bodies = bodies_by_code({r.body for r in staged.values()})
    existing = {
        (m.body.code, m.held_on, m.title): m
        for m in Meeting.objects.filter(body__in=list(bodies.values())).select_related("body")
    }
    for key, row in staged.items():
        values = {
            "kind": row.kind,
            "topics": row.topics,
            "attendees": row.attendees,
            "decisions": row.decisions,
        }
        create = {
            "body": bodies[row.body],
            "held_on": row.held_on,
            "title": row.title,
            "recorded_by": ctx.actor,
        }
        ledger.upsert(ctx, MEETINGS, Meeting, existing.get(key), values, create=create)


def _export(ctx: ledger.ExportContext):
    rows = (
        Meeting.objects.filter(ctx.access.q(VIEW, "body__owner_org__path"))
        .select_related("body")
        .order_by("held_on", "pk")
    )
    for m in rows.iterator(chunk_size=5000):
        yield [m.body.code, ledger.iso(m.held_on), m.kind, m.title, m.topics, m.attendees, m.decisions]


ledger.register(
    ledger.LedgerFile(
        name=MEETINGS,
        title=gettext_lazy("会议"),
        order=110,
        columns=[
            ledger.filled("body_code", "机构代码", field=InspectionBody.code),
            ledger.filled("held_on", "会议日期", kind=ledger.DATE),
            ledger.filled("kind", "会议类型", choices=MeetingKind),
            ledger.filled("title", "会议名称", text=True, field=Meeting.title),
            ledger.filled("topics", "议题", text=True, max_length=5000),
            ledger.Column("attendees", "出席人员", text=True, max_length=5000),
            ledger.Column("decisions", "会议决定", text=True, max_length=5000),
        ],
        unique=(ledger.Unique(("body_code", "held_on", "title")),),
        parse=_parse,
        check=_check,
        apply=_apply,
        export=_export,
    )
)
