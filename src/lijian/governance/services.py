"""Every write to the committee's records: meetings and the instructions arising from them (give,
answer, close, reopen, the daily escalation), rules (register, edit, revise, repeal, restore) and
exposed cases (record, edit).

Each service checks the permission (the selectors' ``Action``s) and the transition, validates
(``validators``, then ``full_clean``), saves and audits in one transaction; it raises
``PermissionDenied`` or ``ValidationError`` and changes nothing then."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lijian.core.audit import create_audited, move_audited, update_audited
from lijian.rectification.instructions.services import answer_text, escalate_overdue, follow_up_request

from . import handovers, validators
from .choices import INSTRUCTION_TRANSITIONS, REGULATION_TRANSITIONS, InstructionStatus, RegulationStatus
from .models import CaseExposure, Meeting, MeetingInstruction, Regulation
from .selectors import (
    INSTRUCTION_ANSWER,
    INSTRUCTION_CLOSE,
    MEETING_INSTRUCT,
    RECORD_EDIT,
    can_manage,
    record_scope,
)

MEETING_FIELDS = ("held_on", "kind", "title", "topics", "attendees", "decisions")
REGULATION_FIELDS = ("name", "issuer", "number", "issued_on", "summary")
EXPOSURE_FIELDS = (
    "title",
    "summary",
    "people_named",
    "organization",
    "channel",
    "outlet",
    "published_on",
    "problem",
    "accountability",
)


def _require_office(actor, body) -> None:
    if not can_manage(actor, body):
        raise PermissionDenied(_("只有本机构的巡视巡察办可以登记和修改。"))


def _strip(values: dict) -> dict:
    return {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}


# --- meetings -------------------------------------------------------------------------------------


@transaction.atomic
def meeting_record(*, actor, body, **values) -> Meeting:
    """Record a meeting of ``body`` (``MEETING_FIELDS``) held on or before today.

    Raises ``PermissionDenied`` outside the office of ``body`` and ``ValidationError`` for a date in
    the future, a missing title or topics, or a second meeting of the same title on the same day."""
    _require_office(actor, body)
    meeting = Meeting(body=body, recorded_by=actor, **_strip(values))
    validators.check_not_future(meeting.held_on, "held_on")
    return create_audited(
        actor=actor,
        instance=meeting,
        action="meeting.record",
        fields=("body", *MEETING_FIELDS),
        scope_path=body.owner_org.path,
    )


@transaction.atomic
def meeting_update(*, actor, meeting: Meeting, **changes) -> Meeting:
    """Change what was recorded of a meeting (``MEETING_FIELDS``), with the rules of
    ``meeting_record``; the change is audited before and after."""
    RECORD_EDIT.check(actor, meeting)
    if "held_on" in changes:
        validators.check_not_future(changes["held_on"], "held_on")
    return update_audited(
        actor=actor,
        instance=meeting,
        changes=changes,
        editable=MEETING_FIELDS,
        action="meeting.change",
        scope_path=record_scope(meeting),
    )


# --- instructions arising from meetings -----------------------------------------------------------


@transaction.atomic
def meeting_instruction_give(
    *,
    actor,
    meeting: Meeting,
    text: str,
    due_on: datetime.date | None,
    assignee_name: str = "",
    assignee=None,
    given_by=None,
    given_by_name: str = "",
    given_on: datetime.date | None = None,
) -> MeetingInstruction:
    """An instruction arising from ``meeting``: given by the leader ``given_by`` (an account) or
    named ``given_by_name`` (a leader without one; the actor when neither is given), on ``given_on``
    (default: the meeting's day), charged to ``assignee_name`` (an organisation, a department or a
    person) and, when given, the account ``assignee`` (who is told), to be carried out by ``due_on``.

    Raises ``PermissionDenied`` unless the actor is a leader over the body's committee or its
    office, and ``ValidationError`` without a text or an assignee, for a deadline before the day it
    was given, or a day before the meeting or after today."""
    MEETING_INSTRUCT.check(actor, meeting)
    given_on = given_on or meeting.held_on
    if given_by is None and not given_by_name.strip():
        given_by = actor
    if given_by is not None and not given_by_name.strip():
        given_by_name = given_by.display_name
    if assignee is not None and not assignee_name.strip():
        assignee_name = assignee.display_name
    errors = {}
    if not text.strip():
        errors["text"] = _("请填写批示内容。")
    if not assignee_name.strip():
        errors["assignee_name"] = _("请填写承办单位或人员。")
    if given_on < meeting.held_on:
        errors["given_on"] = _("批示日期不能早于会议日期（%(day)s）。") % {"day": meeting.held_on}
    if errors:
        raise ValidationError(errors)
    validators.check_not_future(given_on, "given_on")
    validators.check_due_on(due_on, given_on)
    instruction = MeetingInstruction(
        meeting=meeting,
        given_by=given_by,
        given_by_name=given_by_name.strip(),
        text=text.strip(),
        assignee=assignee,
        assignee_name=assignee_name.strip(),
        given_on=given_on,
        due_on=due_on,
    )
    create_audited(
        actor=actor,
        instance=instruction,
        action="meeting_instruction.give",
        after={
            "meeting": str(meeting),
            "given_by": instruction.given_by_name,
            "text": instruction.text,
            "assignee": instruction.assignee_name,
            "due_on": due_on.isoformat(),
        },
        scope_path=record_scope(meeting),
    )
    handovers.instruction_issued(instruction, actor=actor)
    return instruction


def _move(actor, instruction: MeetingInstruction, target: str, action: str, **fields):
    return move_audited(
        actor=actor,
        instance=instruction,
        table=INSTRUCTION_TRANSITIONS,
        target=target,
        action=action,
        scope_path=record_scope(instruction),
        **fields,
    )


@transaction.atomic
def meeting_instruction_answer(
    *, actor, instruction: MeetingInstruction, answer: str, on: datetime.date | None = None
) -> MeetingInstruction:
    """The office or the account it was charged to reports how the instruction was carried out, on
    ``on`` (default today: a follow-up recorded late keeps its day); the leader who gave it (with an
    account) is told. Raises ``PermissionDenied`` for anyone else and ``ValidationError`` without an
    answer, when it is not open, or for a day before it was given or after today."""
    INSTRUCTION_ANSWER.check(actor, instruction)
    text = answer_text(answer, "answer")
    on = _follow_up_day(on, "answered_on", instruction.given_on)
    instruction = _move(
        actor,
        instruction,
        InstructionStatus.ANSWERED,
        "meeting_instruction.answer",
        answer=text,
        answered_by=actor,
        answered_on=on,
    )
    handovers.instruction_answered(instruction, actor=actor)
    return instruction


@transaction.atomic
def meeting_instruction_close(
    *, actor, instruction: MeetingInstruction, on: datetime.date | None = None
) -> MeetingInstruction:
    """The leader who gave it (or, for a leader without an account, the office) accepts the
    follow-up and closes it on ``on`` (default today). Raises ``ValidationError`` unless it was
    answered, or for a day before it was answered or after today."""
    INSTRUCTION_CLOSE.check(actor, instruction)
    on = _follow_up_day(on, "closed_on", instruction.answered_on or instruction.given_on)
    return _move(actor, instruction, InstructionStatus.CLOSED, "meeting_instruction.close", closed_on=on)


def _follow_up_day(on: datetime.date | None, field: str, earliest: datetime.date) -> datetime.date:
    """The day a follow-up step is recorded on: ``on`` or today; raises ``ValidationError`` (on
    ``field``) for a day after today or before ``earliest`` (the step it follows)."""
    on = on or timezone.localdate()
    validators.check_not_future(on, field)
    if on < earliest:
        raise ValidationError({field: _("日期不能早于上一步的日期（%(day)s）。") % {"day": earliest}})
    return on


@transaction.atomic
def meeting_instruction_reopen(
    *, actor, instruction: MeetingInstruction, follow_up_asked: str, due_on: datetime.date | None = None
) -> MeetingInstruction:
    """The leader finds the follow-up short and asks for more (``follow_up_asked``), by a new
    deadline ``due_on`` (not before today) when given; the escalation starts afresh. Raises
    ``ValidationError`` without a request, for a past deadline, or unless it was answered."""
    INSTRUCTION_CLOSE.check(actor, instruction)
    fields = {**follow_up_request(follow_up_asked, due_on, "due_on"), "escalated_on": None}
    instruction = _move(actor, instruction, InstructionStatus.OPEN, "meeting_instruction.reopen", **fields)
    handovers.instruction_issued(instruction, actor=actor)
    return instruction


@transaction.atomic
def meeting_instructions_escalate_overdue(*, today: datetime.date | None = None) -> list[MeetingInstruction]:
    """Mark every open instruction past its deadline as escalated (once each, audited) and return
    those escalated now, with their meeting and body loaded. Run daily (``daily``); running twice
    changes nothing."""
    open_rows = (
        MeetingInstruction.objects.filter(status=InstructionStatus.OPEN)
        .select_related("meeting__body__owner_org")
        .order_by("pk")
    )
    return escalate_overdue(
        open_rows,
        today=today or timezone.localdate(),
        deadline_field="due_on",
        action="meeting_instruction.overdue",
        scope=record_scope,
    )


# --- rules ----------------------------------------------------------------------------------------


@transaction.atomic
def regulation_register(*, actor, body, **values) -> Regulation:
    """Register a rule of ``body`` (``REGULATION_FIELDS``), in force, issued on or before today.

    Raises ``PermissionDenied`` outside the office of ``body`` and ``ValidationError`` for a date in
    the future or a second rule of the same name issued the same day."""
    _require_office(actor, body)
    regulation = Regulation(body=body, recorded_by=actor, **_strip(values))
    validators.check_not_future(regulation.issued_on, "issued_on")
    return create_audited(
        actor=actor,
        instance=regulation,
        action="regulation.register",
        fields=("body", *REGULATION_FIELDS, "status"),
        scope_path=body.owner_org.path,
    )


@transaction.atomic
def regulation_update(*, actor, regulation: Regulation, **changes) -> Regulation:
    """Change what was registered of a rule (``REGULATION_FIELDS``, not its status), with the rules
    of ``regulation_register``; a revised rule is still issued no later than its replacement."""
    RECORD_EDIT.check(actor, regulation)
    if "issued_on" in changes:
        validators.check_not_future(changes["issued_on"], "issued_on")

    def check(rule: Regulation) -> None:
        replacement = rule.replaced_by
        validators.check_replacement(
            status=rule.status,
            issued_on=rule.issued_on,
            body_id=rule.body_id,
            replacement_body_id=replacement.body_id if replacement else None,
            replacement_issued_on=replacement.issued_on if replacement else None,
        )
        validators.check_status_on(rule.status, rule.status_on, rule.issued_on)

    return update_audited(
        actor=actor,
        instance=regulation,
        changes=changes,
        editable=REGULATION_FIELDS,
        action="regulation.change",
        scope_path=record_scope(regulation),
        check=check,
    )


REGULATION_MOVES = {
    # action: (target status, audit action)
    "revise": (RegulationStatus.REVISED, "regulation.revise"),
    "repeal": (RegulationStatus.REPEALED, "regulation.repeal"),
    "restore": (RegulationStatus.IN_FORCE, "regulation.restore"),
}


@transaction.atomic
def regulation_move(
    *,
    actor,
    regulation: Regulation,
    action: str,
    on: datetime.date | None = None,
    replaced_by: Regulation | None = None,
) -> Regulation:
    """Revise (``replaced_by`` the newer text, of the same body, issued on or after it), repeal, or
    restore (a revision withdrawn) a rule, on ``on`` (default: today; not before its issue nor after
    today). Raises ``PermissionDenied`` outside the office of its body and ``ValidationError`` for
    an unknown action, a move the transitions refuse, or a bad replacement or date."""
    RECORD_EDIT.check(actor, regulation)
    if action not in REGULATION_MOVES:
        raise ValidationError(_("未知的操作。"))
    target, audit_action = REGULATION_MOVES[action]
    REGULATION_TRANSITIONS.check(regulation.status, target)
    status_on = None if target == RegulationStatus.IN_FORCE else (on or timezone.localdate())
    if target != RegulationStatus.REVISED:
        replaced_by = None
    validators.check_replacement(
        status=target,
        issued_on=regulation.issued_on,
        body_id=regulation.body_id,
        replacement_body_id=replaced_by.body_id if replaced_by else None,
        replacement_issued_on=replaced_by.issued_on if replaced_by else None,
        same=replaced_by is not None and replaced_by.pk == regulation.pk,
    )
    validators.check_status_on(target, status_on, regulation.issued_on)
    return move_audited(
        actor=actor,
        instance=regulation,
        table=REGULATION_TRANSITIONS,
        target=target,
        action=audit_action,
        scope_path=record_scope(regulation),
        status_on=status_on,
        replaced_by=replaced_by,
    )


# --- exposed cases --------------------------------------------------------------------------------


def _check_exposure(exposure: CaseExposure) -> None:
    path = exposure.body.owner_org.path
    org = exposure.organization
    validators.check_in_subtree(
        org.path if org else None, path, "organization", _("该党组织不在本机构的管辖范围内。")
    )
    problem = exposure.problem
    validators.check_in_subtree(
        problem.inspection.organization.path if problem else None,
        path,
        "problem",
        _("该问题不在本机构的管辖范围内。"),
    )
    record = exposure.accountability
    validators.check_in_subtree(
        record.organization.path if record else None,
        path,
        "accountability",
        _("该问责不在本机构的管辖范围内。"),
    )


@transaction.atomic
def exposure_record(*, actor, body, **values) -> CaseExposure:
    """Record a typical case ``body`` exposed (``EXPOSURE_FIELDS``), published on or before today.

    Raises ``PermissionDenied`` outside the office of ``body`` and ``ValidationError`` for a date in
    the future, an organisation, problem or accountability outside the body's committee's subtree,
    or the same case published twice on one day."""
    _require_office(actor, body)
    exposure = CaseExposure(body=body, recorded_by=actor, **_strip(values))
    validators.check_not_future(exposure.published_on, "published_on")
    return create_audited(
        actor=actor,
        instance=exposure,
        action="exposure.record",
        fields=("body", *EXPOSURE_FIELDS),
        scope_path=body.owner_org.path,
        check=_check_exposure,
    )


@transaction.atomic
def exposure_update(*, actor, exposure: CaseExposure, **changes) -> CaseExposure:
    """Change what was recorded of an exposed case, with the rules of ``exposure_record``."""
    RECORD_EDIT.check(actor, exposure)
    if "published_on" in changes:
        validators.check_not_future(changes["published_on"], "published_on")
    return update_audited(
        actor=actor,
        instance=exposure,
        changes=changes,
        editable=EXPOSURE_FIELDS,
        action="exposure.change",
        scope_path=record_scope(exposure),
        check=_check_exposure,
    )
