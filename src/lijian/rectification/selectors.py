"""Reads of rectification, restricted to the user.

- The office, leaders, auditors and administrators see the rectification of the inspections of
  bodies in their subtrees.
- Group leaders and members see that of their own group's inspections.
- A liaison sees only the fed-back problems, tasks and reports of the organisations in their own
  subtree — never a draft problem, a clue, a petition or the group's evidence.
Anything else answers ``Http404``, so guessing ids reveals nothing.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from lijian.accounts.scopes import (
    bodies_of_office,
    holds_over_organization,
    is_office_of,
    office_q,
    organization_q,
)
from lijian.core.permissions import Action, Perm, access_for, permit, q_any, visible_get
from lijian.findings.choices import ProblemStatus, Review
from lijian.findings.models import Problem
from lijian.findings.selectors import can_approve_problems
from lijian.inspections.models import Inspection
from lijian.inspections.scopes import group_q
from lijian.orgs.models import InspectionBody

from .models import (
    Accountability,
    Disclosure,
    Evaluation,
    Interview,
    RectificationTask,
    SelfCriticism,
    Supervision,
)


def is_liaison_of(user, organization) -> bool:
    """Whether the user writes the rectification of ``organization`` (its liaison, or one above it)."""
    return holds_over_organization(user, Perm.RECTIFICATION_EDIT, organization)


def _liaison_q(user, org_field: str) -> Q | None:
    return organization_q(user, Perm.RECTIFICATION_EDIT, org_field)


def inspections_fed_back(user) -> QuerySet[Inspection]:
    """The inspections with feedback whose rectification the user may see."""
    if not access_for(user).has(Perm.RECTIFICATION_VIEW):
        return Inspection.objects.none()
    q = q_any(
        office_q(user, Perm.RECTIFICATION_VIEW, "round__body"),
        group_q(user, Perm.RECTIFICATION_VIEW, ""),
        _liaison_q(user, "organization"),
    )
    return (
        Inspection.objects.filter(q, feedback__isnull=False)
        .select_related("round__body__owner_org", "round__term", "group", "organization", "feedback")
        .order_by("-feedback__held_on", "organization__code")
    )


def inspection_get(user, pk, action: Action | None = None) -> Inspection:
    """The fed-back inspection if the user may see its rectification (``Http404`` otherwise) and,
    given an ``action`` (``SUPERVISE``, ``EVALUATE``, ``DISCLOSE``, ``REPORT_SUBMIT``), may do it
    (``PermissionDenied`` with the action's message otherwise)."""
    return visible_get(inspections_fed_back(user), pk, user=user, action=action)


def problems_in_rectification(user) -> QuerySet[Problem]:
    """Approved problems of fed-back inspections the user may see."""
    return (
        Problem.objects.filter(inspection__in=inspections_fed_back(user).values("pk"), review=Review.APPROVED)
        .exclude(status=ProblemStatus.OPEN)
        .select_related("inspection__organization", "inspection__round__body__owner_org", "category")
    )


def problem_get(user, pk, action: Action | None = None) -> Problem:
    """The problem in rectification if the user may see it (``Http404`` otherwise) and, given an
    ``action`` (``INSPECTION_SIDE``, ``LIAISON_SIDE``), may do it (``PermissionDenied`` otherwise)."""
    return visible_get(problems_in_rectification(user), pk, user=user, action=action)


def task_get(user, pk) -> RectificationTask:
    """The task if the user may see its problem's rectification; ``Http404`` otherwise."""
    return visible_get(
        RectificationTask.objects.filter(
            problem__in=problems_in_rectification(user).values("pk")
        ).select_related("problem__inspection__organization", "problem__inspection__round__body__owner_org"),
        pk,
    )


def can_edit_plan(user, inspection) -> bool:
    """The inspected organisation's liaison writes its plan, progress and reports."""
    return is_liaison_of(user, inspection.organization)


def can_verify(user, inspection) -> bool:
    """The inspection side: accepts tasks, closes, sends back, reopens (the office, the leader or a
    deputy of the group)."""
    return can_approve_problems(user, inspection)


# Who moves a problem in rectification (or one of its tasks), and what anyone else is told: the
# services check these, and the views ask for them before reading a form.
INSPECTION_SIDE = Action(
    lambda user, problem: can_verify(user, problem.inspection),
    _("只有巡视巡察一方（巡视巡察办、组长、副组长）可以销号、认定阶段目标或重新打开问题。"),
)
LIAISON_SIDE = Action(
    lambda user, problem: can_edit_plan(user, problem.inspection),
    _("只有被巡视巡察党组织的联络员可以报送本单位的整改。"),
)
REPORT_SUBMIT = Action(can_edit_plan, _("只有被巡视巡察党组织的联络员可以报送本单位的整改报告。"))


def can_add_evidence(user, task) -> bool:
    """Evidence of rectification is the rectifying side's: only the organisation's liaison adds files
    to a task (with a progress report); the inspection side checks them, it does not supply them."""
    return can_edit_plan(user, task.problem.inspection)


def is_office_managing(user, body) -> bool:
    """Whether the user is in the office of ``body`` with the right to manage its work."""
    return is_office_of(user, Perm.ROUND_MANAGE, body)


def body_of(record) -> InspectionBody:
    """The inspection body whose office acts on ``record``: the body itself, an inspection's (its
    round's), a disclosure's (its inspection's), or the record's own ``body`` (interviews,
    accountability, supervision, evaluations, self-criticisms)."""
    if isinstance(record, InspectionBody):
        return record
    if isinstance(record, Inspection):
        return record.round.body
    if isinstance(record, Disclosure):
        return record.inspection.round.body
    return record.body


def _office_move(user, record) -> bool:
    return is_office_managing(user, body_of(record))


# The office's own moves on a body's rectification, each on anything ``body_of`` answers for (the
# body, an inspection, a record), with what anyone else is told: the services check these, and the
# views ask for them (``inspection_get(user, pk, action)``, ``office_bodies``) before reading a form.
FEEDBACK_GIVE = Action(_office_move, _("只有巡视巡察办可以登记反馈。"))
SUPERVISE = Action(_office_move, _("只有巡视巡察办可以督办整改。"))
EVALUATE = Action(_office_move, _("只有巡视巡察办可以评估整改。"))
DISCLOSE = Action(_office_move, _("只有巡视巡察办可以公开或撤回整改情况。"))
INTERVIEW_RECORD = Action(_office_move, _("只有巡视巡察办可以登记约谈。"))
ACCOUNTABILITY_RECORD = Action(_office_move, _("只有巡视巡察办可以登记问责。"))
SELF_CRITICISM_DECIDE = Action(_office_move, _("只有巡视巡察办可以认定、通过或退回深刻检查。"))
SELF_CRITICISM_SUBMIT = Action(
    lambda user, item: is_liaison_of(user, item.organization),
    _("只有该党组织的联络员可以提交深刻检查。"),
)


def office_bodies(user, action: Action) -> list[InspectionBody]:
    """The bodies with feedback on which the user may do ``action`` (a record not made yet, such as
    an interview or accountability, has no other anchor before its form is read).

    Raises ``PermissionDenied`` with the action's message when there is none."""
    bodies = [body for body in bodies_managed(user) if action.allowed(user, body)]
    permit(bool(bodies), action.refusal)
    return bodies


def bodies_managed(user) -> QuerySet[InspectionBody]:
    """``bodies_fed_back`` whose office the user is in, with the right to manage their work."""
    return bodies_fed_back(user).filter(pk__in=bodies_of_office(user, Perm.ROUND_MANAGE))


def bodies_fed_back(user) -> QuerySet[InspectionBody]:
    """Bodies with feedback the user may see, for the overview's filter."""
    ids = inspections_fed_back(user).order_by().values("round__body").distinct()
    return InspectionBody.objects.filter(pk__in=ids).select_related("owner_org").order_by("code")


def _by_body_q(user, body_field: str, org_field: str) -> Q:
    return q_any(
        office_q(user, Perm.RECTIFICATION_VIEW, body_field),
        _liaison_q(user, org_field),
    )


def self_criticisms_visible(user) -> QuerySet[SelfCriticism]:
    if not access_for(user).has(Perm.RECTIFICATION_VIEW):
        return SelfCriticism.objects.none()
    return SelfCriticism.objects.filter(_by_body_q(user, "body", "organization")).select_related(
        "organization", "body", "term"
    )


def self_criticism_get(user, pk, action: Action | None = None) -> SelfCriticism:
    """The self-criticism if the user may see it (``Http404`` otherwise) and, given an ``action``
    (``SELF_CRITICISM_SUBMIT``, ``SELF_CRITICISM_DECIDE``), may do it (``PermissionDenied``)."""
    return visible_get(self_criticisms_visible(user), pk, user=user, action=action)


def interviews_visible(user) -> QuerySet[Interview]:
    """Interviews and accountability belong to the office's and leaders' view (and the organisation's
    own liaison sees those of their organisation)."""
    if not access_for(user).has(Perm.RECTIFICATION_VIEW):
        return Interview.objects.none()
    return Interview.objects.filter(_by_body_q(user, "body", "organization")).select_related(
        "organization", "body", "inspection"
    )


def accountability_visible(user) -> QuerySet[Accountability]:
    if not access_for(user).has(Perm.RECTIFICATION_VIEW):
        return Accountability.objects.none()
    return Accountability.objects.filter(_by_body_q(user, "body", "organization")).select_related(
        "organization", "body", "problem", "task", "self_criticism", "inspection"
    )


def supervisions_visible(user) -> QuerySet[Supervision]:
    if not access_for(user).has(Perm.RECTIFICATION_VIEW):
        return Supervision.objects.none()
    return Supervision.objects.filter(_by_body_q(user, "body", "organization")).select_related(
        "organization", "body", "task", "inspection"
    )


def evaluations_visible(user) -> QuerySet[Evaluation]:
    if not access_for(user).has(Perm.RECTIFICATION_VIEW):
        return Evaluation.objects.none()
    return Evaluation.objects.filter(_by_body_q(user, "body", "organization")).select_related(
        "organization", "body", "term", "interview"
    )


def disclosure_get(user, pk, action: Action | None = None) -> Disclosure:
    """The disclosure (withdrawn or not) of an inspection whose rectification the user may see
    (``Http404`` otherwise) and, given an ``action`` (``DISCLOSE``), may do it (``PermissionDenied``)."""
    return visible_get(
        Disclosure.objects.filter(inspection__in=inspections_fed_back(user).values("pk")).select_related(
            "inspection__round__body__owner_org"
        ),
        pk,
        user=user,
        action=action,
    )


def disclosures_visible(user) -> QuerySet[Disclosure]:
    """Disclosures for signed-in users: party-internal ones are for whoever may see rectification."""
    if not access_for(user).has(Perm.RECTIFICATION_VIEW):
        return Disclosure.objects.none()
    return Disclosure.objects.filter(
        inspection__in=inspections_fed_back(user).values("pk"), withdrawn_on__isnull=True
    ).select_related("inspection__organization", "inspection__round__body")


def work_queue(user, today) -> dict:
    """What waits on the user: for the inspection side, tasks awaiting acceptance and problems
    reported done awaiting closing; for a liaison, problems still without a task and tasks past
    their deadline; each a queryset of what the user may see, at most a page of it listed."""
    access = access_for(user)
    problems = problems_in_rectification(user)
    tasks = RectificationTask.objects.filter(problem__in=problems.values("pk")).select_related(
        "problem__inspection__organization"
    )
    queue = {}
    if access.has(Perm.FINDINGS_RECORD):
        # a returned task waits on the liaison, not on the inspection side
        queue["to_accept"] = tasks.filter(review="pending").exclude(problem__status="closed")
        queue["to_close"] = problems.filter(status=ProblemStatus.REPORTED_DONE)
    if access.has(Perm.RECTIFICATION_EDIT):
        queue["without_tasks"] = problems.filter(tasks__isnull=True).exclude(status=ProblemStatus.CLOSED)
        queue["returned"] = tasks.filter(review="returned")
        queue["overdue"] = tasks.filter(status__in=["planned", "in_progress"], deadline__lt=today)
    return queue
