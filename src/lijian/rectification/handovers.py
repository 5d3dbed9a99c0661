"""Hand-over notices of rectification: feedback reaches the organisation's liaisons, a task written or
changed reaches the inspection side, a task accepted reaches the liaisons, a problem reported done
reaches the inspection side — each person once (``lijian.core.messages``).

Called by the services inside their transaction, after the change. A fact that recurs (a task
changed again after it was accepted or returned, a problem reported done again after it was sent
back) carries its round in its key, so the next round is news and the same event twice is not.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from lijian.accounts.models import User
from lijian.accounts.recipients import liaisons_of, office_staff_by_body
from lijian.core.messages import message_send, messages_tell, quoted
from lijian.core.models import MessageKind
from lijian.inspections.recipients import inspection_side

from .choices import TaskEventAction
from .models import Feedback, ProblemEvent, RectificationTask, TaskEvent


def _reviews(task: RectificationTask, *actions: str) -> int:
    """How many times the task's review history records one of ``actions`` (the service writes the
    event before it hands over, so the current step is counted)."""
    return TaskEvent.objects.filter(task=task, action__in=actions).count()


def _problem_label(problem) -> str:
    return _("问题 %(ref)s 整改") % {"ref": problem.ref}


def _problem_url(problem) -> str:
    return reverse("rectification:problem", kwargs={"pk": problem.pk})


def feedback_given(feedback: Feedback, *, actor) -> int:
    """The inspection fed back: the organisation's liaisons are told to plan their rectification."""
    inspection = feedback.inspection
    organization = inspection.organization
    text = _(
        "巡视巡察反馈：%(body)s已于 %(day)s 向%(org)s反馈 %(n)s 个问题，请制定整改任务，"
        "并于 %(due)s 前报送整改情况报告。"
    ) % {
        "body": inspection.round.body.name,
        "day": feedback.held_on.isoformat(),
        "org": organization.name,
        "n": inspection.problems.count(),
        "due": feedback.report_due.isoformat(),
    }
    return messages_tell(
        liaisons_of(organization),
        about=feedback,
        key=f"feedback:{feedback.pk}",
        text=text,
        kind=MessageKind.FEEDBACK,
        label=_("%(org)s 反馈") % {"org": organization.name},
        url=reverse("rectification:inspection", kwargs={"pk": inspection.pk}),
        actor=actor,
    )


def task_submitted(task: RectificationTask, *, actor, changed: bool = False) -> int:
    """A task written, or changed, awaits acceptance: the inspection side (the body's office, the
    group's leader and deputies) is told — once per round of review, however often it is edited
    before someone accepts or returns it."""
    problem = task.problem
    round_ = _reviews(task, TaskEventAction.ACCEPTED, TaskEventAction.RETURNED)
    text = (
        _(
            "整改任务已修改，待重新审核：%(org)s，问题 %(ref)s 的整改任务“%(measure)s”，完成时限 %(deadline)s。"
        )
        if changed
        else _("整改任务待审核：%(org)s为问题 %(ref)s 制定了整改任务“%(measure)s”，完成时限 %(deadline)s。")
    ) % {
        "org": problem.inspection.organization.name,
        "ref": problem.ref,
        "measure": quoted(task.measure, 80),
        "deadline": task.deadline.isoformat(),
    }
    return messages_tell(
        inspection_side(problem.inspection),
        about=problem,
        key=f"task-review:{task.pk}:{round_}",
        text=text,
        kind=MessageKind.TASK,
        label=_problem_label(problem),
        url=_problem_url(problem),
        actor=actor,
    )


def task_accepted(task: RectificationTask, *, actor) -> int:
    """The inspection side accepted a task: the organisation's liaisons are told."""
    problem = task.problem
    text = _(
        "整改任务已审核通过：问题 %(ref)s 的整改任务“%(measure)s”，请于 %(deadline)s 前完成并报送进展。"
    ) % {
        "ref": problem.ref,
        "measure": quoted(task.measure, 80),
        "deadline": task.deadline.isoformat(),
    }
    return messages_tell(
        liaisons_of(problem.inspection.organization),
        about=problem,
        key=f"task-accepted:{task.pk}:{_reviews(task, TaskEventAction.ACCEPTED)}",
        text=text,
        kind=MessageKind.TASK,
        label=_problem_label(problem),
        url=_problem_url(problem),
        actor=actor,
    )


def problem_reported_done(problem, *, actor) -> int:
    """The organisation reported a problem rectified: the inspection side is told to check and close."""
    done = ProblemEvent.objects.filter(problem=problem, status="reported_done").count()
    text = _("问题已报整改完成，待对账销号：%(org)s，%(ref)s“%(summary)s”。") % {
        "org": problem.inspection.organization.name,
        "ref": problem.ref,
        "summary": quoted(problem.summary, 80),
    }
    return messages_tell(
        inspection_side(problem.inspection),
        about=problem,
        key=f"problem-done:{problem.pk}:{done}",
        text=text,
        kind=MessageKind.TASK,
        label=_problem_label(problem),
        url=_problem_url(problem),
        actor=actor,
    )


def tell_office_without_liaison(inspection) -> int:
    """Called at feedback: when the inspected organisation has no liaison account, each of the body's
    office staff is told once (key ``liaison-missing:<inspection>``), with a link to create it.
    Returns how many were told."""
    if liaisons_of(inspection.organization):
        return 0
    body = inspection.round.body
    text = _("%(org)s尚无联络员账号，无法制定整改任务：请在整改页面为其创建联络员账号。") % {
        "org": inspection.organization.name
    }
    url = reverse("rectification:inspection", args=[inspection.pk]) + "#liaison"
    told = 0
    for user in User.objects.filter(pk__in=office_staff_by_body([body])[body.pk]):
        told += (
            message_send(recipient=user, key=f"liaison-missing:{inspection.pk}", text=text, url=url)
            is not None
        )
    return told
