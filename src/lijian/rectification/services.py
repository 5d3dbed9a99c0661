"""Every write of rectification: feedback, the tasks of the plan, and each problem's status moves.

Only the inspection side (the office of the body, or the leader or a deputy of the group) closes a
problem, records a long-term stage met or reopens one; the inspected organisation's liaison reports
a problem done. Each move is a ``ProblemEvent`` on a date (what the rates read) and an audit event.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lijian.accounts.models import User
from lijian.accounts.recipients import liaisons_by_path
from lijian.core.audit import audit_record, create_audited, move_audited, snapshot
from lijian.core.messages import MessageDraft, message_send, messages_send_many, quoted, record_of
from lijian.core.models import MessageKind
from lijian.documents.models import Attachment
from lijian.findings.choices import PROBLEM_TRANSITIONS, ProblemStatus, Review
from lijian.findings.services import add_months
from lijian.inspections import services as inspection_services
from lijian.inspections.choices import Stage

from . import handovers, selectors
from .choices import (
    SELF_CRITICISM_TRANSITIONS,
    TASK_REVIEW_TRANSITIONS,
    TASK_TRANSITIONS,
    SelfCriticismStatus,
    TaskEventAction,
    TaskKind,
    TaskReview,
    TaskStatus,
)
from .models import (
    Accountability,
    Feedback,
    Interview,
    ProblemEvent,
    RectificationTask,
    SelfCriticism,
    TaskEvent,
)
from .rates import organizations_below, rates_by_organization
from .validators import (
    check_measure,
    check_measure_new,
    check_not_future,
    check_return_comment,
    check_task_deadline,
)

# Reporting done and closing ask for the same thing, so they say the same thing.
NO_EVIDENCE = gettext_lazy(
    "须有整改单位在整改任务中随进展报送的佐证材料（巡视巡察组发现问题时的证据不算）：请先报送整改进展和佐证材料。"
)


def _scope(problem) -> str:
    return problem.inspection.organization.path


@transaction.atomic
def feedback_give(
    *, actor, inspection, held_on: datetime.date, given_by: str, received_by: str, requirements: str = ""
) -> Feedback:
    """Feed the approved problems back to the inspected organisation: the inspection moves to the
    feedback stage, each approved problem into rectification on that day, and the deadline for the
    rectification report starts (the round's months, 2 by default).

    Raises ``ValidationError`` before the report stage, while a problem is still a draft, or for a
    date in the future; ``PermissionDenied`` unless the actor is in the office of the body."""
    selectors.FEEDBACK_GIVE.check(actor, inspection)
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("反馈日期不能晚于今天。")})
    drafts = inspection.problems.filter(review=Review.DRAFT).count()
    if drafts:
        raise ValidationError(_("还有 %(n)s 个问题未经组内审定，不能反馈。") % {"n": drafts})
    if inspection.stage != Stage.REPORT:
        raise ValidationError(_("只有在报告阶段才能反馈。"))
    inspection_services.inspection_feed_back(actor=actor, inspection=inspection, on=held_on)
    feedback = Feedback(
        inspection=inspection,
        held_on=held_on,
        given_by=given_by.strip(),
        received_by=received_by.strip(),
        requirements=requirements.strip(),
        report_due=add_months(held_on, inspection.round.rectification_report_months),
        recorded_by=actor,
    )
    feedback.full_clean()
    feedback.save()
    for problem in inspection.problems.filter(status=ProblemStatus.OPEN):
        _move(actor, problem, ProblemStatus.RECTIFYING, held_on, _("巡视巡察反馈"))
    handovers.tell_office_without_liaison(inspection)
    audit_record(
        actor=actor,
        action="feedback.give",
        obj=feedback,
        after=snapshot(feedback, ("held_on", "given_by", "received_by", "report_due")),
        scope_path=inspection.organization.path,
    )
    handovers.feedback_given(feedback, actor=actor)
    return feedback


def _move(actor, problem, target: str, on: datetime.date, reason: str) -> ProblemEvent:
    PROBLEM_TRANSITIONS.check(problem.status, target)
    last = problem.events.order_by("-on", "-pk").first()
    if last is not None and on < last.on:
        raise ValidationError({"on": _("日期不能早于上一次状态变化（%(day)s）。") % {"day": last.on}})
    check_not_future(on, "on")
    before = problem.status
    problem.status = target
    problem.save(update_fields=["status"])
    event = ProblemEvent.objects.create(problem=problem, status=target, on=on, reason=reason, actor=actor)
    audit_record(
        actor=actor,
        action=f"problem.{target}",
        obj=problem,
        before={"status": before},
        after={"status": target, "on": on.isoformat(), "reason": reason},
        scope_path=_scope(problem),
    )
    return event


@transaction.atomic
def problem_report_done(*, actor, problem, on: datetime.date, reason: str) -> ProblemEvent:
    """The inspected organisation reports the problem rectified (the inspection side then checks it).

    Raises ``ValidationError`` without a written account, without a task, while a task (other than
    a long-term one) is not done, or without evidence — what closing will ask for."""
    selectors.LIAISON_SIDE.check(actor, problem)
    if not reason.strip():
        raise ValidationError({"reason": _("请写明整改完成情况。")})
    if not problem.tasks.exists():
        raise ValidationError(_("尚未制定整改任务。"))
    unfinished = problem.tasks.exclude(status__in=["done", "long_term"]).count()
    if unfinished:
        raise ValidationError(_("还有 %(n)s 项整改任务未完成。") % {"n": unfinished})
    if not has_evidence(problem):
        raise ValidationError(NO_EVIDENCE)
    # the office finds it in its work queue (整改 › 已报完成、待对账销号的问题), and is told
    event = _move(actor, problem, ProblemStatus.REPORTED_DONE, on, reason.strip())
    handovers.problem_reported_done(problem, actor=actor)
    return event


TASK_EVIDENCE = "rectification.rectificationtask"


def has_evidence(problem) -> bool:
    """Whether the rectifying side has attached evidence to one of the problem's tasks (a file sent
    with a progress report; only the organisation's liaison may add files to a task). Only that
    proves rectification: the group's finding evidence (files on the problem) shows the problem,
    never its rectification, so it never counts — for reporting done or for closing."""
    tasks = list(problem.tasks.values_list("pk", flat=True))
    return Attachment.objects.filter(owner_type=TASK_EVIDENCE, owner_id__in=tasks).exists()


@transaction.atomic
def problem_close(*, actor, problem, on: datetime.date, reason: str) -> ProblemEvent:
    """对账销号: the inspection side closes the problem on evidence, with a written reason.

    Raises ``ValidationError`` without a reason, without evidence on its tasks (``has_evidence``), or while
    one of its tasks is not done (long-term tasks excepted: they continue after closing)."""
    selectors.INSPECTION_SIDE.check(actor, problem)
    if not reason.strip():
        raise ValidationError({"reason": _("请写明销号理由。")})
    if not has_evidence(problem):
        raise ValidationError(NO_EVIDENCE)
    unfinished = problem.tasks.exclude(status__in=["done", "long_term"]).count()
    if unfinished:
        raise ValidationError(_("还有 %(n)s 项整改任务未完成。") % {"n": unfinished})
    return _move(actor, problem, ProblemStatus.CLOSED, on, reason.strip())


@transaction.atomic
def problem_stage_met(*, actor, problem, on: datetime.date, reason: str) -> ProblemEvent:
    """A long-term problem's current stage is met (it counts as implemented until a next stage)."""
    selectors.INSPECTION_SIDE.check(actor, problem)
    if not problem.tasks.filter(kind=TaskKind.LONG_TERM).exists():
        raise ValidationError(_("只有含长期整改任务的问题才能按阶段认定。"))
    if not reason.strip():
        raise ValidationError({"reason": _("请写明阶段目标的完成情况。")})
    return _move(actor, problem, ProblemStatus.LONG_TERM_STAGE_MET, on, reason.strip())


@transaction.atomic
def problem_reopen(*, actor, problem, on: datetime.date, reason: str) -> ProblemEvent:
    """Reopen a closed problem (a look-back found it back): its own transition, with a reason."""
    selectors.INSPECTION_SIDE.check(actor, problem)
    if not reason.strip():
        raise ValidationError({"reason": _("请写明重新打开的理由。")})
    return _move(actor, problem, ProblemStatus.REOPENED, on, reason.strip())


@transaction.atomic
def problem_send_back(*, actor, problem, on: datetime.date, reason: str) -> ProblemEvent:
    """The inspection side finds a reported or stage-met problem not yet rectified."""
    selectors.INSPECTION_SIDE.check(actor, problem)
    if not reason.strip():
        raise ValidationError({"reason": _("请写明退回理由。")})
    return _move(actor, problem, ProblemStatus.RECTIFYING, on, reason.strip())


# action -> (target status, label, who: the liaison or the inspection side)
PROBLEM_MOVES = {
    "report_done": (ProblemStatus.REPORTED_DONE, gettext_lazy("报送整改完成"), "liaison"),
    "close": (ProblemStatus.CLOSED, gettext_lazy("对账销号"), "inspection"),
    "stage_met": (ProblemStatus.LONG_TERM_STAGE_MET, gettext_lazy("认定阶段目标达成"), "inspection"),
    "send_back": (ProblemStatus.RECTIFYING, gettext_lazy("退回继续整改"), "inspection"),
    "reopen": (ProblemStatus.REOPENED, gettext_lazy("重新打开"), "inspection"),
}


def problem_move(*, actor, problem, action: str, on: datetime.date, reason: str) -> ProblemEvent:
    """One of ``PROBLEM_MOVES`` by name (what pages and the API call)."""
    do = {
        "report_done": problem_report_done,
        "close": problem_close,
        "stage_met": problem_stage_met,
        "send_back": problem_send_back,
        "reopen": problem_reopen,
    }[action]
    return do(actor=actor, problem=problem, on=on, reason=reason)


def _check_deadline(problem, deadline: datetime.date) -> None:
    check_task_deadline(deadline, problem.inspection.feedback_date)


def _check_measure(problem, measure: str, task: RectificationTask | None = None) -> None:
    """The measure rules of ``validators`` for ``measure`` on ``problem`` (``task`` being changed)."""
    check_measure(measure)
    others = problem.tasks.filter(measure=measure).exclude(pk=task.pk if task else None)
    check_measure_new(measure, set(others.values_list("measure", flat=True)))


@transaction.atomic
def task_add(
    *,
    actor,
    problem,
    measure: str,
    responsible_leader: str,
    responsible_department: str,
    deadline: datetime.date,
    kind: str = TaskKind.CONCENTRATED,
) -> RectificationTask:
    """A measure of the rectification plan, by the organisation's liaison, pending acceptance."""
    selectors.LIAISON_SIDE.check(actor, problem)
    if problem.status in (ProblemStatus.OPEN, ProblemStatus.CLOSED):
        raise ValidationError(_("只有已反馈、尚未销号的问题才能制定整改任务。"))
    _check_deadline(problem, deadline)
    _check_measure(problem, measure.strip())
    task = RectificationTask(
        problem=problem,
        measure=measure.strip(),
        responsible_leader=responsible_leader.strip(),
        responsible_department=responsible_department.strip(),
        deadline=deadline,
        kind=kind,
    )
    create_audited(
        actor=actor,
        instance=task,
        action="task.add",
        fields=("problem", "measure", "deadline", "kind"),
        scope_path=_scope(problem),
    )
    _task_event(task, TaskEventAction.SUBMITTED, actor)
    handovers.task_submitted(task, actor=actor)
    return task


@transaction.atomic
def task_accept(*, actor, task: RectificationTask) -> RectificationTask:
    """The inspection side accepts the measure and its deadline.

    Raises ``PermissionDenied`` for anyone but the inspection side, and ``ValidationError`` for a
    task already accepted, or returned and not changed since (``TASK_REVIEW_TRANSITIONS``)."""
    selectors.INSPECTION_SIDE.check(actor, task.problem)
    _check_review(task, TaskReview.ACCEPTED)
    task.review, task.accepted_at, task.accepted_by = TaskReview.ACCEPTED, timezone.now(), actor
    task.save(update_fields=["review", "accepted_at", "accepted_by"])
    _task_event(task, TaskEventAction.ACCEPTED, actor)
    audit_record(
        actor=actor,
        action="task.accept",
        obj=task,
        after={"deadline": task.deadline.isoformat()},
        scope_path=_scope(task.problem),
    )
    handovers.task_accepted(task, actor=actor)
    return task


@transaction.atomic
def task_return(*, actor, task: RectificationTask, comment: str) -> RectificationTask:
    """The inspection side returns a task awaiting acceptance, saying what is wrong; the liaisons of
    the organisation are told, and the task cannot be accepted until the liaison changes it.

    Raises ``PermissionDenied`` for anyone but the inspection side (the office, the group's leader or
    a deputy), and ``ValidationError`` (nothing written) without a comment, for a task already done,
    accepted, or returned and not changed since."""
    selectors.INSPECTION_SIDE.check(actor, task.problem)
    comment = comment.strip()
    check_return_comment(comment)
    if task.status == TaskStatus.DONE:
        raise ValidationError(_("已完成的整改任务不能退回。"))
    _check_review(task, TaskReview.RETURNED)
    task.review, task.accepted_at, task.accepted_by = TaskReview.RETURNED, None, None
    task.save(update_fields=["review", "accepted_at", "accepted_by"])
    _task_event(task, TaskEventAction.RETURNED, actor, comment=comment)
    audit_record(
        actor=actor,
        action="task.return",
        obj=task,
        after={"review": task.review, "comment": comment},
        scope_path=_scope(task.problem),
    )
    _tell_returned(task, comment)
    return task


def _check_review(task: RectificationTask, target: str) -> None:
    """The review move, with the reason a person understands when it is refused."""
    if TASK_REVIEW_TRANSITIONS.can(task.review, target):
        return
    if task.review == TaskReview.RETURNED:
        raise ValidationError(_("该整改任务已退回，须由联络员按退回意见修改后才能再审核。"))
    if task.review == TaskReview.ACCEPTED:
        raise ValidationError(_("该整改任务已审核通过。"))
    TASK_REVIEW_TRANSITIONS.check(task.review, target)


def _task_event(task, action: str, actor, comment: str = "", changes: dict | None = None) -> None:
    TaskEvent.objects.create(task=task, action=action, comment=comment, changes=changes or {}, actor=actor)


def _tell_returned(task: RectificationTask, comment: str) -> None:
    """Each liaison of the organisation hears of each return once (the n-th return is its own fact)."""
    problem = task.problem
    n = task.events.filter(action=TaskEventAction.RETURNED).count()
    path = problem.inspection.organization.path
    text = _(
        "整改任务被退回：问题 %(ref)s 的整改任务“%(measure)s”，退回意见：%(comment)s。请修改后重新提交审核。"
    ) % {
        "ref": problem.ref,
        "measure": quoted(task.measure, 60),
        "comment": quoted(comment),
    }
    url = reverse("rectification:problem", args=[problem.pk]) + f"#task-{task.pk}"
    for user in User.objects.filter(pk__in=liaisons_by_path([path])[path]):
        message_send(
            recipient=user,
            key=f"task-returned:{task.pk}:{n}",
            text=text,
            url=url,
            kind=MessageKind.TASK,
            record=record_of(problem),  # with the problem's other task messages
            record_label=_("问题 %(ref)s 整改") % {"ref": problem.ref},
        )


@transaction.atomic
def task_change(
    *, actor, task: RectificationTask, measure: str | None = None, deadline: datetime.date | None = None
) -> RectificationTask:
    """Change a measure or its deadline: the change needs acceptance again. A returned task must
    really change (``ValidationError`` when neither differs) before it goes back for acceptance."""
    selectors.LIAISON_SIDE.check(actor, task.problem)
    if task.status == "done":
        raise ValidationError(_("已完成的整改任务不能修改。"))
    before = snapshot(task, ("measure", "deadline"))
    old = {"measure": task.measure, "deadline": task.deadline}
    if measure is not None:
        task.measure = measure.strip()
        _check_measure(task.problem, task.measure, task)
    if deadline is not None:
        _check_deadline(task.problem, deadline)
        task.deadline = deadline
    changes = {k: [str(v), str(getattr(task, k))] for k, v in old.items() if getattr(task, k) != v}
    if task.review == TaskReview.RETURNED and not changes:
        raise ValidationError(_("该整改任务已被退回：请按退回意见修改整改措施或完成时限后再提交。"))
    if task.review != TaskReview.PENDING:
        TASK_REVIEW_TRANSITIONS.check(task.review, TaskReview.PENDING)
    task.review, task.accepted_at, task.accepted_by = TaskReview.PENDING, None, None
    task.full_clean()
    task.save()
    _task_event(task, TaskEventAction.CHANGED, actor, changes=changes)
    audit_record(
        actor=actor,
        action="task.change",
        obj=task,
        before=before,
        after=snapshot(task, ("measure", "deadline")),
        scope_path=_scope(task.problem),
    )
    handovers.task_submitted(task, actor=actor, changed=True)
    return task


@transaction.atomic
def task_complete(*, actor, task: RectificationTask, on: datetime.date) -> RectificationTask:
    """The liaison reports a task done (long-term tasks become "long-term" and continue)."""
    selectors.LIAISON_SIDE.check(actor, task.problem)
    if task.accepted_at is None:
        raise ValidationError(_("整改任务尚未审核通过。"))
    check_not_future(on, "on")
    target = TaskStatus.LONG_TERM if task.kind == TaskKind.LONG_TERM else TaskStatus.DONE
    TASK_TRANSITIONS.check(task.status, target)
    task.status = target
    task.completed_on = on
    task.save(update_fields=["status", "completed_on"])
    audit_record(
        actor=actor,
        action="task.complete",
        obj=task,
        after={"status": task.status, "on": on.isoformat()},
        scope_path=_scope(task.problem),
    )
    return task


# --- self-criticisms (深刻检查) --------------------------------------------------------------------

SELF_CRITICISM_DAYS = 30
SELF_CRITICISM_RESPITE_DAYS = 90


@transaction.atomic
def self_criticisms_assess(*, actor, body, term, on: datetime.date) -> list[SelfCriticism]:
    """Make a self-criticism due for every organisation below the body's threshold on ``on``
    (``rates.organizations_below``: never one inside its rectification period), that owes none yet
    (one open at a time) and had none accepted in the 90 days before; due 30 days later.

    Raises ``PermissionDenied`` unless the actor is in the office of the body."""
    selectors.SELF_CRITICISM_DECIDE.check(actor, body)
    threshold = body.rectification_threshold
    items = SelfCriticism.objects.filter(body=body, term=term)
    # one open at a time, and none again within a quarter of the last one's acceptance
    owing = set(items.exclude(status=SelfCriticismStatus.ACCEPTED).values_list("organization", flat=True))
    owing |= set(
        items.filter(accepted_on__gt=on - datetime.timedelta(days=SELF_CRITICISM_RESPITE_DAYS)).values_list(
            "organization", flat=True
        )
    )
    made = []
    found = rates_by_organization(body, term, on)
    below = organizations_below(body, term, on, found)
    for org, rates in sorted(found.items()):
        rate = rates["implementation_rate"]
        if org in owing or org not in below:
            continue
        item = SelfCriticism.objects.create(
            organization_id=org,
            body=body,
            term=term,
            assessed_on=on,
            numerator=rate.numerator,
            denominator=rate.denominator,
            threshold=threshold,
            due_on=on + datetime.timedelta(days=SELF_CRITICISM_DAYS),
        )
        audit_record(
            actor=actor,
            action="self_criticism.due",
            obj=item,
            after={"rate": f"{rate.numerator}/{rate.denominator}", "threshold": threshold},
            scope_path=item.organization.path,
        )
        made.append(item)
    _tell_liaisons(
        made,
        "self-criticism-due",
        lambda item: (
            _("须作深刻检查：%(org)s整改落实到位率 %(n)s/%(d)s，低于警戒线，请于 %(due)s 前提交。")
            % {"org": item.organization.name, "n": item.numerator, "d": item.denominator, "due": item.due_on}
        ),
        lambda item: reverse("rectification:self_criticism", args=[item.pk]),
    )
    return made


def _tell_liaisons(items, key: str, text, url) -> None:
    """An in-app notice to the liaisons of each item's organisation."""
    people = liaisons_by_path({item.organization.path for item in items})
    messages_send_many(
        MessageDraft(user, f"{key}:{item.pk}", text(item), url(item))
        for item in items
        for user in people.get(item.organization.path, ())
    )


def _move_self_criticism(actor, item, target: str, action: str, **fields):
    return move_audited(
        actor=actor,
        instance=item,
        table=SELF_CRITICISM_TRANSITIONS,
        target=target,
        action=action,
        scope_path=item.organization.path,
        **fields,
    )


@transaction.atomic
def self_criticism_submit(*, actor, item: SelfCriticism, text: str, on: datetime.date | None = None):
    """The organisation's liaison submits the self-criticism to the committee (``PermissionDenied``
    for anyone else)."""
    selectors.SELF_CRITICISM_SUBMIT.check(actor, item)
    if len(text.strip()) < 20:
        raise ValidationError({"text": _("请写明深刻检查的内容（至少 20 个字）。")})
    return _move_self_criticism(
        actor,
        item,
        SelfCriticismStatus.SUBMITTED,
        "self_criticism.submit",
        text=text,
        submitted_on=on or timezone.localdate(),
    )


@transaction.atomic
def self_criticism_accept(*, actor, item: SelfCriticism, on: datetime.date | None = None):
    """The office of the body accepts a submitted self-criticism (``PermissionDenied`` for anyone
    else)."""
    selectors.SELF_CRITICISM_DECIDE.check(actor, item)
    return _move_self_criticism(
        actor,
        item,
        SelfCriticismStatus.ACCEPTED,
        "self_criticism.accept",
        accepted_on=on or timezone.localdate(),
    )


@transaction.atomic
def self_criticism_return(*, actor, item: SelfCriticism, reason: str):
    """The office of the body returns a submitted self-criticism with its reason (``PermissionDenied``
    for anyone else)."""
    selectors.SELF_CRITICISM_DECIDE.check(actor, item)
    if not reason.strip():
        raise ValidationError({"reason": _("请写明退回理由。")})
    return _move_self_criticism(
        actor, item, SelfCriticismStatus.RETURNED, "self_criticism.return", return_reason=reason
    )


# --- interviews and accountability ----------------------------------------------------------------


def _check_org(body, organization, day: datetime.date, field: str) -> None:
    if not organization.path.startswith(body.owner_org.path):
        raise ValidationError({"organization": _("该党组织不在本机构的巡视巡察范围内。")})
    check_not_future(day, field)


@transaction.atomic
def interview_record(
    *,
    actor,
    body,
    organization,
    interviewer: str,
    interviewee: str,
    reason: str,
    held_on: datetime.date,
    interviewee_post: str = "",
    follow_up: str = "",
    inspection=None,
) -> Interview:
    """约谈: recorded by the office of the body whose rectification work it presses
    (``PermissionDenied`` for anyone else)."""
    selectors.INTERVIEW_RECORD.check(actor, body)
    _check_org(body, organization, held_on, "held_on")
    item = Interview(
        body=body,
        organization=organization,
        interviewer=interviewer.strip(),
        interviewee=interviewee.strip(),
        interviewee_post=interviewee_post.strip(),
        reason=reason.strip(),
        held_on=held_on,
        follow_up=follow_up.strip(),
        inspection=inspection,
        recorded_by=actor,
    )
    create_audited(
        actor=actor,
        instance=item,
        action="interview.record",
        fields=("organization", "interviewer", "interviewee", "held_on"),
        scope_path=organization.path,
    )
    return item


def _organization_of(record):
    """The inspected organisation an inspection, self-criticism, problem or task concerns."""
    if isinstance(record, RectificationTask):
        record = record.problem
    if hasattr(record, "organization_id"):
        return record.organization
    return record.inspection.organization


@transaction.atomic
def accountability_record(
    *,
    actor,
    body,
    organization,
    subject_name: str,
    subject_post: str,
    action: str,
    reason: str,
    decided_by: str,
    decided_on: datetime.date,
    inspection=None,
    problem=None,
    task=None,
    self_criticism=None,
) -> Accountability:
    """问责, linked to at least one record that caused it (its inspection, problem, task or
    self-criticism), each of which must concern the same organisation; recorded by the office of
    the body (``PermissionDenied`` for anyone else)."""
    selectors.ACCOUNTABILITY_RECORD.check(actor, body)
    _check_org(body, organization, decided_on, "decided_on")
    links = [x for x in (inspection, problem, task, self_criticism) if x is not None]
    if not links:
        raise ValidationError(_("问责须关联引起它的巡视巡察、问题、整改任务或深刻检查。"))
    if any(_organization_of(link).pk != organization.pk for link in links):
        raise ValidationError(_("关联的记录不属于该党组织。"))
    item = Accountability(
        body=body,
        organization=organization,
        subject_name=subject_name.strip(),
        subject_post=subject_post.strip(),
        action=action,
        reason=reason.strip(),
        decided_by=decided_by.strip(),
        decided_on=decided_on,
        inspection=inspection,
        problem=problem,
        task=task,
        self_criticism=self_criticism,
        recorded_by=actor,
    )
    create_audited(
        actor=actor,
        instance=item,
        action="accountability.record",
        fields=("organization", "subject_name", "action", "decided_on"),
        scope_path=organization.path,
    )
    return item
