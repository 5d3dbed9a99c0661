"""Rules of the committee's records, written once: the services (behind the pages and the API) and
the ledger files call these functions, so every way in accepts and refuses alike, with the same
words. Each is a pure function over values and raises django's ``ValidationError`` keyed by the
field it concerns."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import InstructionStatus, RegulationStatus


def check_not_future(day: datetime.date | None, field: str, today: datetime.date | None = None) -> None:
    """Raise ``ValidationError`` (on ``field``) when ``day`` lies after ``today`` (by default the local
    date): a meeting held, a rule issued, a case published are recorded once they have happened."""
    if day is not None and day > (today or timezone.localdate()):
        raise ValidationError({field: _("日期不能晚于今天。")})


def check_due_on(due_on: datetime.date | None, given_on: datetime.date) -> None:
    """Raise ``ValidationError`` (on ``due_on``) when there is no deadline or it lies before
    ``given_on``, the day the instruction was given."""
    if due_on is None:
        raise ValidationError({"due_on": _("请填写落实期限。")})
    if due_on < given_on:
        raise ValidationError({"due_on": _("落实期限不能早于批示日期（%(day)s）。") % {"day": given_on}})


def check_instruction_state(
    status: str,
    answer: str,
    closed_on: datetime.date | None,
    given_on: datetime.date,
    today: datetime.date | None = None,
) -> None:
    """Raise ``ValidationError`` when an instruction's record contradicts its status: an answered or
    closed one has its follow-up (``answer``); only a closed one has a ``closed_on``, which a closed
    one must have, not before ``given_on`` nor after today."""
    errors = {}
    if status != InstructionStatus.OPEN and not answer.strip():
        errors["answer"] = _("已报落实情况或已办结的批示须填写落实情况。")
    if status == InstructionStatus.CLOSED:
        if closed_on is None:
            errors["closed_on"] = _("已办结的批示须填写办结日期。")
        elif closed_on < given_on:
            errors["closed_on"] = _("办结日期不能早于批示日期（%(day)s）。") % {"day": given_on}
        elif closed_on > (today or timezone.localdate()):
            errors["closed_on"] = _("日期不能晚于今天。")
    elif closed_on is not None:
        errors["closed_on"] = _("未办结的批示不能有办结日期。")
    if errors:
        raise ValidationError(errors)


def check_replacement(
    *,
    status: str,
    issued_on: datetime.date,
    body_id: int | None,
    replacement_body_id: int | None,
    replacement_issued_on: datetime.date | None,
    same: bool = False,
) -> None:
    """Raise ``ValidationError`` (on ``replaced_by``) unless a revised rule names the text that
    replaced it — another rule of the same body issued on or after it — and only a revised rule
    names one (``replacement_*`` ``None``: it names none; ``same``: it names itself)."""
    if status != RegulationStatus.REVISED:
        if replacement_issued_on is not None:
            raise ValidationError({"replaced_by": _("只有已修订的制度才填写修订后的制度。")})
        return
    if replacement_issued_on is None:
        raise ValidationError({"replaced_by": _("已修订的制度须指明修订后的制度。")})
    if same:
        raise ValidationError({"replaced_by": _("修订后的制度不能是它本身。")})
    if replacement_body_id != body_id:
        raise ValidationError({"replaced_by": _("修订后的制度须由同一机构登记。")})
    if replacement_issued_on < issued_on:
        raise ValidationError(
            {"replaced_by": _("修订后的制度不能早于原制度印发（%(day)s）。") % {"day": issued_on}}
        )


def check_status_on(status: str, status_on: datetime.date | None, issued_on: datetime.date) -> None:
    """Raise ``ValidationError`` (on ``status_on``) when a rule in force has a date of revision or
    repeal, or a revised or repealed rule's date lies before its issue or after today."""
    if status == RegulationStatus.IN_FORCE:
        if status_on is not None:
            raise ValidationError({"status_on": _("现行有效的制度没有修订或废止日期。")})
        return
    if status_on is None:
        return  # not known for old rules: a spreadsheet may leave it empty
    if status_on < issued_on:
        raise ValidationError(
            {"status_on": _("修订或废止日期不能早于印发日期（%(day)s）。") % {"day": issued_on}}
        )
    check_not_future(status_on, "status_on")


def check_in_subtree(path: str | None, body_path: str, field: str, refusal: str) -> None:
    """Raise ``ValidationError(refusal)`` (on ``field``) when the record at tree ``path`` (an
    organisation, a problem's or an accountability's organisation) lies outside the subtree of the
    body's committee (``body_path``): a committee exposes cases of its own jurisdiction. ``None``:
    nothing linked. ``refusal`` is a whole translated sentence, never a fragment put into one."""
    if path is not None and not path.startswith(body_path):
        raise ValidationError({field: refusal})
