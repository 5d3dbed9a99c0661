"""Reads of problems and clues, restricted to the user.

- Office roles see the findings of inspections of bodies in their subtrees (``FINDINGS_VIEW``).
- Group leaders and members see those of their own group's inspections.
- A receiving department sees only the clues transferred to it (never before transfer, never a
  problem, never an informant).
- A liaison of an inspected organisation sees none of them.
Anything else answers ``Http404``, so guessing ids reveals nothing.
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lijian.accounts.scopes import is_office_of, office_q
from lijian.core.permissions import Action, Perm, access_for, q_any, register_scope, visible_get
from lijian.inspections.choices import MemberRole
from lijian.inspections.scopes import group_q, serves_on
from lijian.inspections.selectors import upper_round_inspections
from lijian.orgs.models import InspectionBody

from .choices import ClueStatus, ProblemStatus
from .models import Clue, Department, Problem
from .validators import problem_stage_refusal


def problems_visible(user) -> QuerySet[Problem]:
    if not access_for(user).has(Perm.FINDINGS_VIEW):
        return Problem.objects.none()
    q = q_any(
        office_q(user, Perm.FINDINGS_VIEW, "inspection__round__body"),
        group_q(user, Perm.FINDINGS_VIEW, "inspection"),
    )
    return Problem.objects.filter(q).select_related(
        "inspection__organization",
        "inspection__round__body",
        "inspection__round__term",
        "inspection__group",
        "category__framework",
    )


def bodies_with_problems(user):
    """The bodies that have problems the user may see (for the ledger's filter). One EXISTS per body,
    which stops at its first visible problem, instead of reading every visible problem to find the
    distinct bodies: the filter costs the same on a ledger of a hundred rows and of millions."""
    visible = problems_visible(user).filter(inspection__round__body=OuterRef("pk"))
    return InspectionBody.objects.filter(Exists(visible)).order_by("code")


def problem_get(user, pk, action: Action | None = None) -> Problem:
    """The problem if the user may see it (``Http404`` otherwise) and, given an ``action``
    (``PROBLEM_EDIT``, ``PROBLEM_REVIEW``), may do it (``PermissionDenied`` otherwise)."""
    return visible_get(problems_visible(user), pk, user=user, action=action)


def department_ids(user, perm: str = Perm.CLUE_ANSWER) -> list[int]:
    """The departments whose transfers the user handles (staff of the department, holding ``perm``)."""
    if not getattr(user, "is_authenticated", False) or not access_for(user).has(perm):
        return []
    if not hasattr(user, "_lijian_departments"):
        user._lijian_departments = list(user.departments.values_list("pk", flat=True))
    return user._lijian_departments


def is_department_staff(user, department: Department) -> bool:
    return department.pk in department_ids(user)


def department_q(user, perm: str, clue_field: str) -> Q | None:
    """Clues (at ``clue_field``; ``""`` for clues themselves) transferred to a department the user
    handles for ``perm`` — never before the transfer, never a withdrawn one; ``None`` for a user who
    handles no department."""
    departments = department_ids(user, perm)
    if not departments:
        return None
    prefix = f"{clue_field}__" if clue_field else ""
    return Q(**{f"{prefix}department_id__in": departments}) & ~Q(
        **{f"{prefix}status__in": [ClueStatus.RECORDED, ClueStatus.WITHDRAWN]}
    )


def in_department_of(user, perm: str, clue: Clue) -> bool:
    """``department_q`` for one clue."""
    return clue.department_id in department_ids(user, perm) and clue.status not in (
        ClueStatus.RECORDED,
        ClueStatus.WITHDRAWN,
    )


DEPARTMENT = register_scope("department of the transfer", q=department_q, holds=in_department_of)


def clues_visible(user) -> QuerySet[Clue]:
    parts = [department_q(user, Perm.CLUE_ANSWER, "")]
    if access_for(user).has(Perm.FINDINGS_VIEW):
        parts += [
            office_q(user, Perm.FINDINGS_VIEW, "inspection__round__body"),
            group_q(user, Perm.FINDINGS_VIEW, "inspection"),
        ]
    return Clue.objects.filter(q_any(*parts)).select_related(
        "inspection__organization",
        "inspection__round__body",
        "inspection__round__term",
        "department",
        "problem",
    )


def clue_get(user, pk, action: Action | None = None) -> Clue:
    """The clue if the user may see it (``Http404`` otherwise) and, given an ``action``
    (``CLUE_TRANSFER``, ``CLUE_HANDLE``, ``CLUE_WITHDRAW``, ``CLUE_SHEET``), may do it
    (``PermissionDenied`` with the action's message otherwise)."""
    return visible_get(clues_visible(user), pk, user=user, action=action)


def can_record_findings(user, inspection) -> bool:
    """The office of the inspection's body, or a member of its group in that round."""
    if not access_for(user).has(Perm.FINDINGS_RECORD):
        return False
    if is_office_of(user, Perm.FINDINGS_RECORD, inspection.round.body):
        return True
    return serves_on(user, inspection)


def can_record_problem(user, inspection) -> bool:
    """``can_record_findings`` and the inspection's stage still takes a new problem
    (``validators.problem_stage_refusal``, the service's own rule)."""
    return problem_stage_refusal(inspection) is None and can_record_findings(user, inspection)


def can_approve_problems(user, inspection) -> bool:
    """The office, or the leader or a deputy of the inspection's group in that round."""
    if not access_for(user).has(Perm.FINDINGS_RECORD):
        return False
    if is_office_of(user, Perm.FINDINGS_RECORD, inspection.round.body):
        return True
    return serves_on(user, inspection, member_roles=(MemberRole.LEADER, MemberRole.DEPUTY))


# What a user may do to an inspection's findings, and what anyone else is told: the services check
# these, and the views ask for them with ``inspection_get`` / ``problem_get`` before binding a form.
PROBLEM_RECORD = Action(can_record_findings, _("只有本组成员和巡视巡察办可以记录问题。"))
CLUE_RECORD = Action(can_record_findings, _("只有本组成员和巡视巡察办可以记录线索。"))
PROBLEM_EDIT = Action(
    lambda user, problem: can_record_findings(user, problem.inspection),
    _("只有本组成员和巡视巡察办可以修改问题。"),
)
PROBLEM_REVIEW = Action(
    lambda user, problem: can_approve_problems(user, problem.inspection),
    _("只有本组组长、副组长和巡视巡察办可以审定问题。"),
)


def can_transfer(user, clue: Clue) -> bool:
    return is_office_of(user, Perm.CLUE_TRANSFER, clue.inspection.round.body)


# What a user may do to a clue, and what anyone else is told (the services check these; the views
# ask for them before reading a form): the office hands it over and sends it back, the receiving
# department handles it, the group's leaders or the office withdraw it before the transfer.
CLUE_TRANSFER = Action(can_transfer, _("只有巡视巡察办可以移交或退回线索。"))
CLUE_HANDLE = Action(
    lambda user, clue: is_department_staff(user, clue.department), _("只有接收部门可以办理该线索。")
)
CLUE_WITHDRAW = Action(
    lambda user, clue: can_approve_problems(user, clue.inspection),
    _("只有本组组长、副组长和巡视巡察办可以撤回线索。"),
)
# The hand-over sheet is the office's and the receiving department's paper (a department's staff
# by the clue's department, so a clue not yet handed over has no department to match).
CLUE_SHEET = Action(
    lambda user, clue: can_transfer(user, clue) or clue.department_id in department_ids(user),
    _("只有巡视巡察办和接收部门可以下载交接单。"),
)


def departments_of(committee_id: int) -> QuerySet[Department]:
    """The active departments of one committee."""
    return Department.objects.filter(committee=committee_id, active=True)


def departments_for(inspection) -> QuerySet[Department]:
    """The active departments of the committee that owns the inspection's body."""
    return departments_of(inspection.round.body.owner_org_id)


def relay_problems(round_) -> QuerySet[Problem]:
    """For a linked round: the problems the upper round found at this round's organisations and the
    units above them that are not yet closed, for the lower level to carry on (接力巡).

    Whoever may see the linked round sees this list (the caller checked that), though the upper
    body's problem pages stay its own."""
    return (
        Problem.objects.filter(inspection__in=upper_round_inspections(round_))
        .select_related("inspection__organization", "category")
        .exclude(status=ProblemStatus.CLOSED)
        .order_by("inspection__organization__path", "ref")
    )


def first_record_before(round_) -> datetime.date | None:
    """The day ``round_``'s first problem was found, if before the round starts; else the day its
    first clue was recorded, if before; else ``None`` (a round may not start after its records)."""
    early = (
        Problem.objects.filter(inspection__round=round_, found_on__lt=round_.start)
        .order_by("found_on")
        .values_list("found_on", flat=True)
        .first()
    )
    if early is not None:
        return early
    recorded = (
        Clue.objects.filter(inspection__round=round_)
        .order_by("recorded_at")
        .values_list("recorded_at", flat=True)
        .first()
    )
    if recorded and timezone.localtime(recorded).date() < round_.start:
        return timezone.localtime(recorded).date()
    return None
