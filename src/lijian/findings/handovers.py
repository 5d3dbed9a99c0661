"""Hand-over notices of findings: when a problem or a clue passes to someone who must
act next, that person is told once (``lijian.core.messages``).

Each function is called by its service inside the transaction, after the change; who is told is
worked out by ``core.messages``' recipients, never by the caller. A fact that can happen again (a clue
answered a second time after the office returned it) carries its count in
its key, so the second time is news and the same event twice is not.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from lijian.accounts.recipients import office_staff_by_body
from lijian.core.messages import messages_tell, quoted
from lijian.core.models import AuditEvent, MessageKind
from lijian.findings.recipients import department_staff
from lijian.inspections.recipients import group_leaders

from .models import Clue, Problem


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
