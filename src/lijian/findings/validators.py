"""Rules of findings, written once: the problem service, the problem form and the problems.csv
importer all call ``check_found_on``; the service, the problem form page and the inspection page's
记录问题 link all follow ``problem_stage_refusal``; the clue services (the clue page, the API) and the
clues.csv importer call the ``check_clue_*`` date rules. Each rule raises django's ``ValidationError``
keyed by the field it concerns, in the same words whichever way the record came in."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from lijian.inspections.choices import Stage

# Problems are found from preparation (information from partner departments) until the report.
FINDING_STAGES = frozenset({Stage.PREPARATION, Stage.ONSITE, Stage.REPORT})


def problem_stage_refusal(inspection) -> str | None:
    """Why no problem may be recorded on ``inspection`` in its current stage, or ``None`` when one may
    (preparation, on-site and report)."""
    if inspection.stage in FINDING_STAGES:
        return None
    return _("“%(stage)s”阶段不能再记录问题。") % {"stage": inspection.get_stage_display()}


def found_period(
    round_start: datetime.date, report_date: datetime.date | None, today: datetime.date | None = None
) -> tuple[datetime.date, datetime.date]:
    """The days a problem may be found on: from the round's start (the group's preparation) to the
    report (its date once set, else today), never after today."""
    today = today or timezone.localdate()
    return round_start, min(report_date or today, today)


def inspection_found_period(inspection, today: datetime.date | None = None):
    """``found_period`` of ``inspection`` (its report date, or its feedback date for older records)."""
    return found_period(inspection.round.start, inspection.report_date or inspection.feedback_date, today)


def found_on_rule(first: datetime.date, last: datetime.date) -> str:
    """The rule in words, for the form's help text and the error message."""
    if last < first:
        return _("本轮 %(first)s 开始，开始前不能记录问题。") % {"first": first.isoformat()}
    return _("发现日期应在本次巡视巡察的准备至报告期间（%(first)s 至 %(last)s），不晚于今天。") % {
        "first": first.isoformat(),
        "last": last.isoformat(),
    }


def check_found_on(
    found_on: datetime.date,
    round_start: datetime.date,
    report_date: datetime.date | None,
    today: datetime.date | None = None,
) -> None:
    """Raise ``ValidationError`` (on ``found_on``) unless ``found_on`` lies in ``found_period``.
    The first day counts: the group records on the day it arrives."""
    first, last = found_period(round_start, report_date, today)
    if not (first <= found_on <= last):
        raise ValidationError({"found_on": found_on_rule(first, last)})


def check_inspection_found_on(inspection, found_on: datetime.date) -> None:
    """``check_found_on`` for a problem of ``inspection``."""
    check_found_on(found_on, inspection.round.start, inspection.report_date or inspection.feedback_date)


# --- clues: the dates of a transfer and its answer --------------------------------------------------
# The clue services (behind the clue page and the API) and the clues.csv importer call these. "Today"
# is the local date when the rule is applied: an import refuses a date after the day it runs, as the
# rectification files do (``rectification.validators.check_not_future``).


def check_clue_transferred_on(transferred_on: datetime.date, today: datetime.date | None = None) -> None:
    """Raise ``ValidationError`` (on ``transferred_on``) when the transfer lies after ``today`` (by
    default the local date)."""
    if transferred_on > (today or timezone.localdate()):
        raise ValidationError({"transferred_on": _("移交日期不能晚于今天。")})


def check_clue_due_on(due_on: datetime.date, transferred_on: datetime.date | None) -> None:
    """Raise ``ValidationError`` (on ``due_on``) when the deadline for the department's answer lies
    before the transfer; no rule while there is no transfer date."""
    if transferred_on is not None and due_on < transferred_on:
        raise ValidationError({"due_on": _("反馈期限不能早于移交日期。")})


def check_clue_fed_back_on(
    fed_back_on: datetime.date, transferred_on: datetime.date | None, today: datetime.date | None = None
) -> None:
    """Raise ``ValidationError`` (on ``fed_back_on``) unless the department's answer lies between the
    transfer (when known) and ``today`` (by default the local date), both days included."""
    early = transferred_on is not None and fed_back_on < transferred_on
    if early or fed_back_on > (today or timezone.localdate()):
        raise ValidationError({"fed_back_on": _("反馈日期应在移交日期和今天之间。")})
