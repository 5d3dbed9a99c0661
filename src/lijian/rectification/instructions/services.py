"""Every write to leaders' instructions: give, answer, close, reopen, and the daily escalation.

Each service checks the permission and the transition, validates, saves, audits and hands over in one
transaction; raises ``PermissionDenied`` or ``ValidationError`` and changes nothing then."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lijian.core.audit import audit_record, create_audited, move_audited

from ..choices import INSTRUCTION_TRANSITIONS, InstructionStatus
from ..models import Instruction
from . import handovers
from .selectors import (
    INSTRUCTION_ANSWER,
    INSTRUCTION_GIVE,
    INSTRUCTION_LEAD,
    can_answer_instruction,
    subject_scope,
)


def escalate_overdue(open_rows, *, today: datetime.date, deadline_field: str, action: str, scope) -> list:
    """Lock the rows of ``open_rows`` (open instructions of any kind) whose ``deadline_field`` is before
    ``today`` and not yet escalated, mark each escalated today with one ``action`` audit event in
    ``scope(row)``, and return them in ``open_rows``' order. Call inside a transaction; running twice
    changes nothing. Shared by the leaders' instructions here and the meetings' instructions."""
    overdue = list(
        open_rows.select_for_update(of=("self",)).filter(
            **{f"{deadline_field}__lt": today, "escalated_on__isnull": True}
        )
    )
    for instruction in overdue:
        instruction.escalated_on = today
        instruction.save(update_fields=["escalated_on"])
        audit_record(
            actor=None,
            action=action,
            obj=instruction,
            after={deadline_field: getattr(instruction, deadline_field).isoformat()},
            scope_path=scope(instruction),
        )
    return overdue


def answer_text(text: str, field: str) -> str:
    """The report of how an instruction was carried out, stripped; ``ValidationError`` on ``field``
    when it is blank."""
    if not text.strip():
        raise ValidationError({field: _("请填写落实情况。")})
    return text.strip()


def follow_up_request(follow_up_asked: str, deadline: datetime.date | None, deadline_field: str) -> dict:
    """The fields a reopened instruction takes: the further request and, when given, the new deadline
    under ``deadline_field``. Raises ``ValidationError`` without a request or for a past deadline."""
    if not follow_up_asked.strip():
        raise ValidationError({"follow_up_asked": _("请填写进一步的落实要求。")})
    fields = {"follow_up_asked": follow_up_asked.strip()}
    if deadline is not None:
        if deadline < timezone.localdate():
            raise ValidationError({deadline_field: _("新的落实期限不能早于今天。")})
        fields[deadline_field] = deadline
    return fields


@transaction.atomic
def instructions_escalate_overdue(*, today: datetime.date | None = None) -> list[Instruction]:
    """Mark every open instruction past its deadline as escalated (once each, audited) and return
    those escalated now (with their leader and record loaded for the daily job's notices). Run daily
    (``lijian.core.daily``); running twice changes nothing."""
    open_rows = (
        Instruction.objects.filter(status=InstructionStatus.OPEN)
        .select_related("leader", "problem__inspection__organization", "clue__inspection__organization")
        .select_related("petition__body__owner_org")
    )
    return escalate_overdue(
        open_rows,
        today=today or timezone.localdate(),
        deadline_field="deadline",
        action="instruction.overdue",
        scope=lambda instruction: subject_scope(instruction.subject),
    )


def _check_instruction_charge(instruction: Instruction, addressee, deadline) -> None:
    """An instruction is charged to someone who may report its follow-up, by a date not before it."""
    errors = {}
    if addressee is None:
        errors["addressee"] = _("请选择承办人。")
    elif not addressee.is_active or not can_answer_instruction(addressee, instruction):
        name = addressee.display_name
        errors["addressee"] = _(
            "“%(name)s”不能报送这条批示的落实情况，请选择本组、巡视巡察办或承办部门的人员。"
        ) % {"name": name}
    if deadline is None:
        errors["deadline"] = _("请填写落实期限。")
    elif deadline < instruction.given_on:
        errors["deadline"] = _("落实期限不能早于批示日期（%(day)s）。") % {"day": instruction.given_on}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def instruction_give(
    *,
    actor,
    subject,
    text: str,
    addressee=None,
    deadline: datetime.date | None = None,
    follow_up_asked: str = "",
    given_on: datetime.date | None = None,
) -> Instruction:
    """A leader's written instruction on a problem, a clue or a petition the leader may see, charged
    to ``addressee`` (who is told) to carry out by ``deadline``.

    Raises ``PermissionDenied`` outside the leader's scope and ``ValidationError`` without a text, an
    addressee who may report the follow-up, or a deadline on or after the instruction's date."""
    INSTRUCTION_GIVE.check(actor, subject)
    target = subject_scope(subject)
    if not text.strip():
        raise ValidationError({"text": _("请填写批示内容。")})
    instruction = Instruction(
        leader=actor,
        text=text.strip(),
        follow_up_asked=follow_up_asked.strip(),
        given_on=given_on or timezone.localdate(),
        addressee=addressee,
        deadline=deadline,
        **{subject._meta.model_name: subject},
    )
    _check_instruction_charge(instruction, addressee, deadline)
    create_audited(
        actor=actor,
        instance=instruction,
        action="instruction.give",
        after={
            "subject": str(subject),
            "text": instruction.text,
            "addressee": addressee.username,
            "deadline": deadline.isoformat(),
        },
        scope_path=target,
    )
    handovers.instruction_issued(instruction, actor=actor)
    return instruction


def _move_instruction(actor, instruction: Instruction, target: str, action: str, **fields) -> Instruction:
    return move_audited(
        actor=actor,
        instance=instruction,
        table=INSTRUCTION_TRANSITIONS,
        target=target,
        action=action,
        scope_path=subject_scope(instruction.subject),
        **fields,
    )


@transaction.atomic
def instruction_answer(*, actor, instruction: Instruction, follow_up_given: str) -> Instruction:
    """Whoever works the record (its group, its office, or the clue's department) reports how the
    instruction was carried out (``PermissionDenied`` for anyone else)."""
    INSTRUCTION_ANSWER.check(actor, instruction)
    text = answer_text(follow_up_given, "follow_up_given")
    instruction = _move_instruction(
        actor,
        instruction,
        InstructionStatus.ANSWERED,
        "instruction.answer",
        follow_up_given=text,
        answered_by=actor,
        answered_on=timezone.localdate(),
    )
    handovers.instruction_answered(instruction, actor=actor)
    return instruction


@transaction.atomic
def instruction_close(*, actor, instruction: Instruction) -> Instruction:
    """The leader who gave it (or an administrator) accepts the follow-up and closes it
    (``PermissionDenied`` for anyone else)."""
    INSTRUCTION_LEAD.check(actor, instruction)
    return _move_instruction(actor, instruction, InstructionStatus.CLOSED, "instruction.close")


@transaction.atomic
def instruction_reopen(
    *, actor, instruction: Instruction, follow_up_asked: str, deadline: datetime.date | None = None
) -> Instruction:
    """The leader finds the follow-up short and asks for more (by a new ``deadline`` if given, not
    before today); the addressee is told again. ``PermissionDenied`` for anyone but that leader (or
    an administrator)."""
    INSTRUCTION_LEAD.check(actor, instruction)
    fields = follow_up_request(follow_up_asked, deadline, "deadline")
    if deadline is not None:
        fields["escalated_on"] = None  # a new deadline may be escalated anew
    instruction = _move_instruction(
        actor, instruction, InstructionStatus.OPEN, "instruction.reopen", **fields
    )
    handovers.instruction_issued(instruction, actor=actor)
    return instruction
