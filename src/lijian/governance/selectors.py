"""Reads of the committee's records, restricted to the user, and the counts the work report reads.

A record belongs to an inspection body: whoever is in the office of that body for
``Perm.GOVERNANCE_VIEW`` (its office staff, leaders, auditors and administrators over the body's
committee — never a group or a liaison) sees it, and whoever is in its office for
``Perm.GOVERNANCE_MANAGE`` records and edits it. An instruction arising from a meeting is given by a
leader (``Perm.INSTRUCTION_GIVE`` over the committee) or recorded by the office, followed up by the
office or the account it was charged to, and closed by the leader who gave it (the office when it
was given by a leader without an account)."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lijian.accounts.choices import Role
from lijian.accounts.models import RoleAssignment
from lijian.accounts.recipients import office_staff_by_body
from lijian.accounts.scopes import bodies_of_office, is_office_of, office_q
from lijian.core.paths import path_prefixes
from lijian.core.permissions import Action, Perm, access_for, q_any, visible_get

from .choices import ExposureChannel, InstructionStatus, MeetingKind, RegulationStatus
from .models import CaseExposure, Meeting, MeetingInstruction, Regulation

# --- who may do what ------------------------------------------------------------------------------


def can_view(user, body) -> bool:
    return is_office_of(user, Perm.GOVERNANCE_VIEW, body)


def can_manage(user, body) -> bool:
    """The office of ``body`` for ``Perm.GOVERNANCE_MANAGE`` (its office staff, administrators)."""
    return is_office_of(user, Perm.GOVERNANCE_MANAGE, body)


def bodies_managed(user) -> QuerySet:
    """The bodies whose committee records the user keeps, by code."""
    return bodies_of_office(user, Perm.GOVERNANCE_MANAGE).order_by("code")


def is_administrator(user) -> bool:
    return Role.ADMINISTRATOR in access_for(user).roles()


def can_edit(user, record) -> bool:
    """A meeting, a rule or an exposure is recorded and edited by the office of its body."""
    return can_manage(user, record.body)


def can_instruct(user, meeting: Meeting) -> bool:
    """A leader over the body's committee gives an instruction; the office records one given at the
    meeting."""
    path = meeting.body.owner_org.path
    return access_for(user).covers(Perm.INSTRUCTION_GIVE, path) or can_manage(user, meeting.body)


def can_answer_instruction(user, instruction: MeetingInstruction) -> bool:
    """The office of the meeting's body, or the account the instruction was charged to."""
    return (instruction.assignee_id is not None and instruction.assignee_id == user.pk) or can_manage(
        user, instruction.meeting.body
    )


def can_close_instruction(user, instruction: MeetingInstruction) -> bool:
    """The leader who gave it (an administrator too); the office when the leader has no account."""
    if is_administrator(user):
        return True
    if instruction.given_by_id is not None:
        return instruction.given_by_id == user.pk
    return can_manage(user, instruction.meeting.body)


def instruction_leaders(body) -> QuerySet:
    """The active accounts holding the leader's role over ``body``'s committee (assigned at it or
    above it): those an instruction arising from its meeting may be given by, by name."""
    User = get_user_model()
    held = RoleAssignment.objects.filter(
        role=Role.LEADER, active=True, organization__path__in=path_prefixes(body.owner_org.path)
    )
    return User.objects.filter(pk__in=held.values("user"), is_active=True).order_by("username")


def instruction_assignees(body) -> QuerySet:
    """The active accounts an instruction arising from ``body``'s meeting may be charged to: its
    office staff, by name (an organisation or department without an account is named in text)."""
    people = office_staff_by_body([body]).get(body.pk, set())
    return get_user_model().objects.filter(pk__in=people, is_active=True).order_by("username")


RECORD_EDIT = Action(can_edit, _("只有本机构的巡视巡察办可以登记和修改。"))
MEETING_INSTRUCT = Action(can_instruct, _("只有领导或本机构的巡视巡察办可以记录会议批示。"))
INSTRUCTION_ANSWER = Action(can_answer_instruction, _("只有承办人或巡视巡察办可以报送落实情况。"))
INSTRUCTION_CLOSE = Action(can_close_instruction, _("只有作出批示的领导可以办结或要求继续落实。"))

# --- records --------------------------------------------------------------------------------------


def meetings_visible(user) -> QuerySet[Meeting]:
    return Meeting.objects.filter(office_q(user, Perm.GOVERNANCE_VIEW, "body")).select_related(
        "body__owner_org"
    )


def meeting_get(user, pk, action: Action | None = None) -> Meeting:
    """The meeting if the user may see it (``Http404`` otherwise) and may do ``action`` to it
    (``PermissionDenied`` otherwise)."""
    return visible_get(meetings_visible(user), pk, user=user, action=action)


def instructions_visible(user) -> QuerySet[MeetingInstruction]:
    """Instructions of the meetings the user sees, and those charged to the user."""
    own = Q(assignee=user.pk) if getattr(user, "is_authenticated", False) else None
    q = q_any(office_q(user, Perm.GOVERNANCE_VIEW, "meeting__body"), own)
    return MeetingInstruction.objects.filter(q).select_related(
        "meeting__body__owner_org", "given_by", "assignee", "answered_by"
    )


def instruction_get(user, pk, action: Action | None = None) -> MeetingInstruction:
    return visible_get(instructions_visible(user), pk, user=user, action=action)


def regulations_visible(user) -> QuerySet[Regulation]:
    return Regulation.objects.filter(office_q(user, Perm.GOVERNANCE_VIEW, "body")).select_related(
        "body__owner_org", "replaced_by"
    )


def regulation_get(user, pk, action: Action | None = None) -> Regulation:
    return visible_get(regulations_visible(user), pk, user=user, action=action)


def exposures_visible(user) -> QuerySet[CaseExposure]:
    return CaseExposure.objects.filter(office_q(user, Perm.GOVERNANCE_VIEW, "body")).select_related(
        "body__owner_org", "organization", "problem", "accountability"
    )


def exposure_get(user, pk, action: Action | None = None) -> CaseExposure:
    return visible_get(exposures_visible(user), pk, user=user, action=action)


def record_scope(record) -> str:
    """The tree path a record's rights and audit events hang on: its body's committee."""
    body = record.meeting.body if isinstance(record, MeetingInstruction) else record.body
    return body.owner_org.path


# --- counts for the work report -------------------------------------------------------------------


def _between(field: str, start: datetime.date | None, end: datetime.date | None) -> Q:
    q = Q()
    if start is not None:
        q &= Q(**{f"{field}__gte": start})
    if end is not None:
        q &= Q(**{f"{field}__lte": end})
    return q


def meetings_by_kind(
    user, body, start: datetime.date | None = None, end: datetime.date | None = None
) -> dict[str, int]:
    """Meetings per kind (every ``MeetingKind`` code, zero included): the meetings of ``body`` the
    user may see held on or after ``start`` and on or before ``end`` (either open when ``None``; a
    term: its start and end). The seed's "11 standing-committee meetings since the 19th Congress" is
    ``meetings_by_kind(user, city_body, date(2017, 10, 18))["standing_committee"]``."""
    counts = dict.fromkeys(MeetingKind.values, 0)
    rows = (
        meetings_visible(user)
        .filter(_between("held_on", start, end), body=body)
        .values("kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts.update({row["kind"]: row["n"] for row in rows})
    return counts


def instructions_by_status(
    user, body, start: datetime.date | None = None, end: datetime.date | None = None, *, today=None
) -> dict[str, int]:
    """Instructions arising from the meetings of ``body`` held in [``start``, ``end``] that the user
    may see, per status (every ``InstructionStatus`` code), and ``overdue``: those still open whose
    deadline lies before ``today`` (default: the local date)."""
    today = today or timezone.localdate()
    rows = instructions_visible(user).filter(_between("meeting__held_on", start, end), meeting__body=body)
    counts = dict.fromkeys(InstructionStatus.values, 0)
    counts.update({r["status"]: r["n"] for r in rows.values("status").annotate(n=Count("pk")).order_by()})
    counts["overdue"] = rows.filter(status=InstructionStatus.OPEN, due_on__lt=today).count()
    return counts


def regulations_in_force(user, body, on: datetime.date | None = None) -> int:
    """Rules of ``body`` the user may see that are in force on ``on`` (default: today): issued on or
    before it, and either in force now or revised/repealed after it (a rule whose date of revision or
    repeal is unknown counts as no longer in force)."""
    on = on or timezone.localdate()
    rows = regulations_visible(user).filter(body=body, issued_on__lte=on)
    return rows.filter(Q(status=RegulationStatus.IN_FORCE) | Q(status_on__gt=on)).count()


def regulations_issued(
    user, body, start: datetime.date | None = None, end: datetime.date | None = None
) -> int:
    """Rules of ``body`` the user may see issued in [``start``, ``end``], whatever their status now
    (the report's "出台 N 项制度规定")."""
    return regulations_visible(user).filter(_between("issued_on", start, end), body=body).count()


def exposures_by_channel(
    user, body, start: datetime.date | None = None, end: datetime.date | None = None
) -> dict[str, int]:
    """Typical cases of ``body`` the user may see, published in [``start``, ``end``], per channel
    (every ``ExposureChannel`` code, zero included); a case published twice is recorded, and
    counted, once per publication."""
    counts = dict.fromkeys(ExposureChannel.values, 0)
    rows = (
        exposures_visible(user)
        .filter(_between("published_on", start, end), body=body)
        .values("channel")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts.update({row["channel"]: row["n"] for row in rows})
    return counts
