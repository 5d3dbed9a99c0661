"""meeting_instructions.csv of the ledger bundle: the instructions arising from a meeting (named by
its body, day and title, in meetings.csv or the system), matched to one in the system by meeting and
text. The leader and the assignee are names (an account is chosen on the meeting's page); the status,
answer and closing day are checked together by the services' ``validators.check_instruction_state``."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lijian.documents import ledger
from lijian.orgs.models import InspectionBody

from ..choices import InstructionStatus
from ..models import Meeting, MeetingInstruction
from ..validators import check_due_on, check_instruction_state
from .common import VIEW, bodies_by_code, body_in_scope, not_future
from .meetings import MEETINGS

INSTRUCTIONS = "meeting_instructions.csv"


@dataclass(slots=True)
class InstructionRow:
    line: int
    body: str
    held_on: datetime.date
    meeting: str
    given_by: str
    text: str
    assignee: str
    given_on: datetime.date | None
    due_on: datetime.date
    status: str
    answer: str
    closed_on: datetime.date | None

    @property
    def meeting_key(self) -> tuple:
        return self.body, self.held_on, self.meeting


def _parse(ctx: ledger.ImportContext, rows, total) -> None:
    f = INSTRUCTIONS
    staged: dict[tuple, InstructionRow] = {}
    for line, values, ok in rows:
        if not ok:
            continue
        row = InstructionRow(line, *values)
        given_on = row.given_on or row.held_on
        if given_on < row.held_on:
            ctx.error(f, line, "given_on", _("批示日期不能早于会议日期（%(day)s）。") % {"day": row.held_on})
            continue
        good = not_future(ctx, f, line, "given_on", given_on)
        good = ledger.validated(ctx, f, line, "due_on", check_due_on, row.due_on, given_on) and good
        good = (
            ledger.validated(
                ctx,
                f,
                line,
                "status",
                check_instruction_state,
                row.status,
                row.answer,
                row.closed_on,
                given_on,
            )
            and good
        )
        if good and body_in_scope(ctx, f, line, row.body):
            row.given_on = given_on
            staged[row.meeting_key + (row.text,)] = row
    ctx.staged[INSTRUCTIONS] = staged


def _check(ctx: ledger.ImportContext) -> None:
    """Each instruction's meeting is in meetings.csv or in the system."""
    staged: dict[tuple, InstructionRow] = ctx.staged[INSTRUCTIONS]
    in_file = set(ctx.staged.get(MEETINGS, {}))
    wanted = {r.meeting_key for r in staged.values()} - in_file
    known = set()
    if wanted:
        known = set(
            Meeting.objects.filter(
                body__code__in={k[0] for k in wanted}, held_on__in={k[1] for k in wanted}
            ).values_list("body__code", "held_on", "title")
        )
    for row in staged.values():
        if row.meeting_key not in in_file and row.meeting_key not in known:
            message = _("找不到 %(day)s 的会议“%(title)s”：它既不在 meetings.csv 中，也不在系统中。")
            ctx.error(
                INSTRUCTIONS, row.line, "meeting_title", message % {"day": row.held_on, "title": row.meeting}
            )


def _apply(ctx: ledger.ImportContext) -> None:
    staged: dict[tuple, InstructionRow] = ctx.staged[INSTRUCTIONS]
    bodies = bodies_by_code({r.body for r in staged.values()})
    meetings = {
        (m.body.code, m.held_on, m.title): m
        for m in Meeting.objects.filter(
            body__in=list(bodies.values()), held_on__in={r.held_on for r in staged.values()}
        ).select_related("body")
    }
    existing = {
        (i.meeting_id, i.text): i
        for i in MeetingInstruction.objects.filter(meeting__in=list(meetings.values()))
    }
    for row in staged.values():
        meeting = meetings[row.meeting_key]
        values = {
            "given_by_name": row.given_by,
            "assignee_name": row.assignee,
            "given_on": row.given_on,
            "due_on": row.due_on,
            "status": row.status,
            "answer": row.answer,
            "closed_on": row.closed_on,
        }
        item = existing.get((meeting.pk, row.text))
        ledger.upsert(
            ctx, INSTRUCTIONS, MeetingInstruction, item, values, create={"meeting": meeting, "text": row.text}
        )


def _export(ctx: ledger.ExportContext):
    rows = (
        MeetingInstruction.objects.filter(ctx.access.q(VIEW, "meeting__body__owner_org__path"))
        .select_related("meeting__body")
        .order_by("meeting__held_on", "meeting_id", "pk")
    )
    for i in rows.iterator(chunk_size=5000):
        m = i.meeting
        yield [
            m.body.code,
            ledger.iso(m.held_on),
            m.title,
            i.given_by_name,
            i.text,
            i.assignee_name,
            ledger.iso(i.given_on),
            ledger.iso(i.due_on),
            i.status,
            i.answer,
            ledger.iso(i.closed_on),
        ]


ledger.register(
    ledger.LedgerFile(
        name=INSTRUCTIONS,
        title=gettext_lazy("会议批示"),
        order=111,
        columns=[
            ledger.filled("body_code", "机构代码", field=InspectionBody.code),
            ledger.filled("meeting_held_on", "会议日期", kind=ledger.DATE),
            ledger.filled("meeting_title", "会议名称", text=True, field=Meeting.title),
            ledger.filled("given_by", "批示领导", text=True, field=MeetingInstruction.given_by_name),
            ledger.filled("text", "批示内容", text=True, max_length=5000),
            ledger.filled("assignee", "承办单位或人员", text=True, field=MeetingInstruction.assignee_name),
            ledger.Column("given_on", "批示日期", kind=ledger.DATE),
            ledger.filled("due_on", "落实期限", kind=ledger.DATE),
            ledger.Column("status", "状态", choices=InstructionStatus, default=InstructionStatus.OPEN),
            ledger.Column("answer", "落实情况", text=True, max_length=5000),
            ledger.Column("closed_on", "办结日期", kind=ledger.DATE),
        ],
        unique=(ledger.Unique(("body_code", "meeting_held_on", "meeting_title", "text"), at="text"),),
        parse=_parse,
        check=_check,
        apply=_apply,
        export=_export,
    )
)
