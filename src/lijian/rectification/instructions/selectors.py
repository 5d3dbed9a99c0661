"""Reads of instructions, restricted to the user: an instruction is seen by whoever sees its record
(the problem, the clue or the petition), and followed up by whoever works that record."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from lijian.accounts.choices import Role
from lijian.accounts.recipients import office_staff_by_body
from lijian.core.permissions import Action, Perm, access_for, visible_get
from lijian.findings.recipients import department_staff
from lijian.findings.selectors import (
    can_record_findings,
    clues_visible,
    is_department_staff,
    problems_visible,
)
from lijian.inspections.models import RoundMember
from lijian.people.models import Cadre
from lijian.petitions.models import Petition
from lijian.petitions.selectors import can_answer, petitions_visible

from ..models import Instruction


def subject_scope(subject) -> str:
    """The tree path that decides rights over a problem or clue (its inspected organisation) or a
    petition (the committee of the body that received it)."""
    if isinstance(subject, Petition):
        return subject.body.owner_org.path
    return subject.inspection.organization.path


def can_instruct(user, subject) -> bool:
    return access_for(user).covers(Perm.INSTRUCTION_GIVE, subject_scope(subject))


def can_answer_instruction(user, instruction: Instruction) -> bool:
    subject = instruction.subject
    if instruction.petition_id:
        return can_answer(user, instruction.petition)
    if instruction.clue_id and is_department_staff(user, instruction.clue.department):
        return True
    return can_record_findings(user, subject.inspection)


def instruction_addressees(subject) -> QuerySet:
    """The active accounts a leader may charge with carrying out an instruction on ``subject``: those
    who may report its follow-up (the body's office, the record's group, a clue's department; for a
    petition, its office and the group it was routed to), by name."""
    User = get_user_model()
    if isinstance(subject, Petition):
        body, inspection = subject.body, subject.routed_inspection
    else:
        body, inspection = subject.inspection.round.body, subject.inspection
    people = set(office_staff_by_body([body]).get(body.pk, set()))
    if inspection is not None and inspection.group_id:
        members = RoundMember.objects.filter(round=inspection.round_id, group=inspection.group_id)
        cadres = Cadre.objects.filter(pk__in=members.values("cadre"), user__isnull=False)
        people |= set(cadres.values_list("user", flat=True))
    if subject._meta.label_lower == "findings.clue":
        people |= department_staff(subject.department)
    probe = Instruction(**{subject._meta.model_name: subject})
    able = [
        u.pk for u in User.objects.filter(pk__in=people, is_active=True) if can_answer_instruction(u, probe)
    ]
    return User.objects.filter(pk__in=able).order_by("username")


def is_administrator(user) -> bool:
    return Role.ADMINISTRATOR in access_for(user).roles()


def is_instruction_leader(user, instruction: Instruction) -> bool:
    """The leader who gave the instruction, or an administrator: who closes or reopens it."""
    return instruction.leader_id == user.pk or is_administrator(user)


# What a user may do with an instruction, and what anyone else is told: the services check these,
# and the pages ask for them before reading a form.
INSTRUCTION_GIVE = Action(can_instruct, _("您只能对职责范围内的问题、线索和信访件作出批示。"))
INSTRUCTION_ANSWER = Action(can_answer_instruction, _("您不能报送该批示的落实情况。"))
INSTRUCTION_LEAD = Action(is_instruction_leader, _("只有作出批示的领导可以办结或要求继续落实。"))


def instructions_visible(user) -> QuerySet[Instruction]:
    return Instruction.objects.filter(
        Q(problem__in=problems_visible(user))
        | Q(clue__in=clues_visible(user))
        | Q(petition__in=petitions_visible(user))
    ).select_related("leader", "addressee", "problem", "clue", "petition")


def instruction_get(user, pk, action: Action | None = None) -> Instruction:
    """The instruction if the user sees its record (``Http404`` otherwise) and, given an ``action``
    (``INSTRUCTION_ANSWER``, ``INSTRUCTION_LEAD``), may do it (``PermissionDenied`` otherwise)."""
    return visible_get(instructions_visible(user), pk, user=user, action=action)
