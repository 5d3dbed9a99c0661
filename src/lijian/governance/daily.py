"""The governance app's step of the daily job (``core.daily``): each day every open instruction
arising from a meeting that is past its deadline is escalated once (audited), and the leader who gave
it, the account it was charged to and the office staff of the meeting's body are told."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lijian.accounts.recipients import office_staff_by_body
from lijian.core.daily import DailyStep, overdue_draft
from lijian.core.messages import MessageDraft, quoted, record_of

from .services import meeting_instructions_escalate_overdue


def meeting_instructions_overdue(on: datetime.date) -> tuple[int, list[MessageDraft]]:
    """Instructions escalated on ``on``, and the drafts telling those who must act."""
    instructions = meeting_instructions_escalate_overdue(today=on)
    staff = office_staff_by_body([i.meeting.body for i in instructions]) if instructions else {}
    drafts = []
    for instruction in instructions:
        meeting = instruction.meeting
        text = _(
            "会议批示落实超期：%(leader)s在“%(meeting)s”上的批示“%(text)s”，落实期限 %(due)s，尚未报送落实情况。"
        ) % {
            "leader": instruction.given_by_name,
            "meeting": meeting.title,
            "text": quoted(instruction.text, 60),
            "due": instruction.due_on.isoformat(),
        }
        people = set(staff.get(meeting.body_id, set()))
        people |= {u for u in (instruction.given_by_id, instruction.assignee_id) if u is not None}
        fact, record = f"meeting-instruction-overdue:{instruction.pk}", record_of(instruction)
        url = instruction.get_absolute_url()
        drafts += [overdue_draft(u, fact, text, url, record, str(meeting)) for u in sorted(people)]
    return len(instructions), drafts


STEP = DailyStep(
    "meeting_instructions",
    meeting_instructions_overdue,
    "会议批示 {n} 件",
    "meeting-instruction-overdue",
    gettext_lazy("会议批示"),
)
AUDIT_ACTIONS = {"meeting_instruction.overdue": gettext_lazy("会议批示落实超期督办")}
