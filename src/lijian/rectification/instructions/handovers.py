"""Hand-over notices of instructions: a leader's instruction (new, or reopened for more) reaches its
addressee, and its follow-up reaches the leader — each once (``lijian.core.messages``).

Called by the services inside their transaction, after the change. A reopening or a second answer
carries its count in its key, so the next round is news and the same event twice is not.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from lijian.core.messages import messages_tell, quoted
from lijian.core.models import AuditEvent, MessageKind
from lijian.core.registry import model_labels_former
from lijian.findings.handovers import clue_label, problem_label

from ..models import Instruction


def _times(instruction: Instruction, action: str) -> int:
    """How many times ``action`` happened to ``instruction`` (its audit events: one per move)."""
    label = instruction._meta.label_lower
    # Its events written before the model moved here carry the label it had then (apps.py).
    return AuditEvent.objects.filter(
        action=action,
        object_type__in=(label, *model_labels_former(label)),
        object_id=str(instruction.pk),
    ).count()


def _instruction_where(instruction: Instruction) -> tuple[str, str]:
    """The label and the page of the instruction's record (its instructions section)."""
    subject = instruction.subject
    if instruction.problem_id:
        label = problem_label(subject)
    elif instruction.clue_id:
        label = clue_label(subject)
    else:
        label = _("信访件 %(ref)s") % {"ref": subject.ref}
    return label, subject.get_absolute_url() + "#instructions"


def instruction_issued(instruction: Instruction, *, actor) -> int:
    """A leader's instruction (new, or reopened for more) reaches its addressee."""
    if instruction.addressee_id is None:
        return 0
    label, url = _instruction_where(instruction)
    reopened = _times(instruction, "instruction.reopen")
    text = (
        _("领导批示待落实：%(leader)s对%(what)s 批示“%(text)s”，请于 %(due)s 前报送落实情况。")
        if not reopened
        else _("领导要求继续落实批示：%(leader)s对%(what)s 的批示“%(text)s”，请于 %(due)s 前报送落实情况。")
    ) % {
        "leader": instruction.leader.display_name,
        "what": label,
        "text": quoted(instruction.text, 120),
        "due": instruction.deadline.isoformat() if instruction.deadline else "—",
    }
    return messages_tell(
        [instruction.addressee_id],
        about=instruction,
        key=f"instruction:{instruction.pk}:{reopened}",
        text=text,
        kind=MessageKind.INSTRUCTION,
        label=_("批示：%(what)s") % {"what": label},
        url=url,
        actor=actor,
    )


def instruction_answered(instruction: Instruction, *, actor) -> int:
    """The follow-up of an instruction is reported: the leader who gave it is told."""
    label, url = _instruction_where(instruction)
    text = _("批示落实情况已报送：%(what)s——%(given)s，请审阅后办结。") % {
        "what": label,
        "given": quoted(instruction.follow_up_given, 120),
    }
    return messages_tell(
        [instruction.leader_id],
        about=instruction,
        key=f"instruction-answer:{instruction.pk}:{_times(instruction, 'instruction.answer')}",
        text=text,
        kind=MessageKind.INSTRUCTION,
        label=_("批示：%(what)s") % {"what": label},
        url=url,
        actor=actor,
    )
