"""Hand-over notices of instructions arising from meetings: an instruction (new, or reopened for
more) reaches the account it was charged to, and its follow-up reaches the leader who gave it — each
once (``lijian.core.messages``). Called by the services inside their transaction, after the change;
a reopening or a second answer carries its count in its key, so the next round is news."""

from __future__ import annotations

from django.utils.translation import gettext as _

from lijian.core.messages import messages_tell, quoted
from lijian.core.models import AuditEvent, MessageKind

from .models import MeetingInstruction


def _times(instruction: MeetingInstruction, action: str) -> int:
    """How many times ``action`` happened to ``instruction`` (its audit events: one per move)."""
    return AuditEvent.objects.filter(
        action=action, object_type=instruction._meta.label_lower, object_id=str(instruction.pk)
    ).count()


def _label(instruction: MeetingInstruction) -> str:
    return _("会议批示：%(meeting)s") % {"meeting": instruction.meeting.title}


def instruction_issued(instruction: MeetingInstruction, *, actor) -> int:
    """The instruction (new, or reopened) reaches the account it was charged to, if any."""
    if instruction.assignee_id is None:
        return 0
    reopened = _times(instruction, "meeting_instruction.reopen")
    text = (
        _("会议批示待落实：%(leader)s在“%(meeting)s”上批示“%(text)s”，请于 %(due)s 前报送落实情况。")
        if not reopened
        else _(
            "领导要求继续落实会议批示：%(leader)s在“%(meeting)s”上的批示“%(text)s”，请于 %(due)s 前报送落实情况。"
        )
    ) % {
        "leader": instruction.given_by_name,
        "meeting": instruction.meeting.title,
        "text": quoted(instruction.text, 120),
        "due": instruction.due_on.isoformat(),
    }
    return messages_tell(
        [instruction.assignee_id],
        about=instruction,
        key=f"meeting-instruction:{instruction.pk}:{reopened}",
        text=text,
        kind=MessageKind.INSTRUCTION,
        label=_label(instruction),
        actor=actor,
    )


def instruction_answered(instruction: MeetingInstruction, *, actor) -> int:
    """The follow-up is reported: the leader who gave it (with an account) is told."""
    if instruction.given_by_id is None:
        return 0
    text = _("会议批示落实情况已报送：“%(meeting)s”——%(answer)s，请审阅后办结。") % {
        "meeting": instruction.meeting.title,
        "answer": quoted(instruction.answer, 120),
    }
    return messages_tell(
        [instruction.given_by_id],
        about=instruction,
        key=f"meeting-instruction-answer:{instruction.pk}:{_times(instruction, 'meeting_instruction.answer')}",
        text=text,
        kind=MessageKind.INSTRUCTION,
        label=_label(instruction),
        actor=actor,
    )
