"""Hand-over notices of findings: when a problem, a clue or an instruction passes to someone who must
act next, that person is told once (``lijian.core.messages``).

Each function is called by its service inside the transaction, after the change; who is told is
worked out by ``core.messages``' recipients, never by the caller. A fact that can happen again (a clue
answered a second time after the office returned it, an instruction reopened) carries its count in
its key, so the second time is news and the same event twice is not.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from lijian.accounts.recipients import office_staff_by_body
from lijian.core.messages import messages_tell, quoted
from lijian.core.models import AuditEvent, MessageKind
from lijian.findings.recipients import department_staff
from lijian.inspections.recipients import group_leaders

from .models import Clue, Instruction, Problem


def _times(obj, action: str) -> int:
    """How many times ``action`` happened to ``obj`` (its audit events: one per move)."""
    return AuditEvent.objects.filter(
        action=action, object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).count()


def problem_label(problem: Problem) -> str:
    return _("问题 %(ref)s") % {"ref": problem.ref}


def clue_label(clue: Clue) -> str:
    return _("线索 %(ref)s") % {"ref": clue.ref}


def problem_drafted(problem: Problem, *, actor) -> int:
    """A draft problem awaits approval: the group's leader and deputies are told."""
    inspection = problem.inspection
    text = _("待审定问题：%(org)s，%(ref)s“%(summary)s”已记录为草稿，请审定。") % {
        "org": inspection.organization.name,
        "ref": problem.ref,
        "summary": quoted(problem.summary, 80),
    }
    return messages_tell(
        group_leaders([inspection]).get(inspection.pk, set()),
        about=problem,
        key=f"problem-draft:{problem.pk}",
        text=text,
        kind=MessageKind.PROBLEM,
        label=problem_label(problem),
        actor=actor,
    )


def clue_transferred(clue: Clue, *, actor) -> int:
    """A clue is handed to its department: the department's handlers are told."""
    text = _(
        "移交线索待办理：%(ref)s（%(org)s，反映对象 %(subject)s），交接单 %(sheet)s，请于 %(due)s 前反馈。"
    ) % {
        "ref": clue.ref,
        "org": clue.inspection.organization.name,
        "subject": clue.subject_name,
        "sheet": clue.sheet_no,
        "due": clue.due_on.isoformat(),
    }
    return messages_tell(
        department_staff(clue.department),
        about=clue,
        key=f"clue-transfer:{clue.pk}",
        text=text,
        kind=MessageKind.CLUE,
        label=clue_label(clue),
        actor=actor,
    )


def clue_answered(clue: Clue, *, actor) -> int:
    """The department answered a clue: the office of the body that transferred it is told."""
    body = clue.inspection.round.body
    text = _(
        "线索已反馈：%(dept)s反馈了 %(ref)s（%(org)s，反映对象 %(subject)s）的办理情况：%(result)s。"
    ) % {
        "dept": clue.department.name,
        "ref": clue.ref,
        "org": clue.inspection.organization.name,
        "subject": clue.subject_name,
        "result": clue.get_result_display() or "—",
    }
    return messages_tell(
        office_staff_by_body([body]).get(body.pk, set()),
        about=clue,
        key=f"clue-answer:{clue.pk}:{_times(clue, 'clue.feed_back')}",
        text=text,
        kind=MessageKind.CLUE,
        label=clue_label(clue),
        actor=actor,
    )


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
