"""Rules of rectification tasks, written once: the task services (behind the task pages and the API)
and the tasks.csv importer call these functions, so the three ways in accept and refuse alike, with
the same words. Each is a pure function over values and raises django's ``ValidationError`` keyed
by the field it concerns."""

from __future__ import annotations

import datetime
from collections.abc import Container

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ProblemEvent, RectificationTask, TaskEvent

# The one limit of a measure, declared on the model; the form, the API schema and tasks.csv read it.
MEASURE_MAX_LENGTH: int = RectificationTask._meta.get_field("measure").max_length
# The limits of the task's other texts, from the model, for the form and the API schema.
LEADER_MAX_LENGTH: int = RectificationTask._meta.get_field("responsible_leader").max_length
DEPARTMENT_MAX_LENGTH: int = RectificationTask._meta.get_field("responsible_department").max_length
# A return's comment and a status move's reason, for the forms and the API schemas.
COMMENT_MAX_LENGTH: int = TaskEvent._meta.get_field("comment").max_length
REASON_MAX_LENGTH: int = ProblemEvent._meta.get_field("reason").max_length


def check_task_deadline(deadline: datetime.date, feedback_date: datetime.date | None) -> None:
    """Raise ``ValidationError`` (on ``deadline``) when ``deadline`` lies before ``feedback_date``,
    the inspection's feedback; no rule while there is no feedback date."""
    if feedback_date is not None and deadline < feedback_date:
        raise ValidationError(
            {"deadline": _("完成时限不能早于反馈日期（%(day)s）。") % {"day": feedback_date}}
        )


def check_measure(measure: str) -> None:
    """Raise ``ValidationError`` (on ``measure``) when ``measure`` is longer than the model allows
    (``MEASURE_MAX_LENGTH`` characters)."""
    if len(measure) > MEASURE_MAX_LENGTH:
        raise ValidationError({"measure": _("过长（最多 %(n)s 个字符）。") % {"n": MEASURE_MAX_LENGTH}})


def check_measure_new(measure: str, taken: Container[str]) -> None:
    """Raise ``ValidationError`` (on ``measure``) when ``measure`` is among ``taken``, the measures the
    problem's other tasks already have: one problem, one task per measure (tasks.csv matches a row to
    its task by problem and measure)."""
    if measure in taken:
        raise ValidationError({"measure": _("该问题已有这项整改措施。")})


def check_return_comment(comment: str) -> None:
    """Raise ``ValidationError`` (on ``comment``) when a task is returned without saying what is wrong."""
    if not comment.strip():
        raise ValidationError({"comment": _("请写明退回意见：哪里需要修改。")})


def check_not_future(day: datetime.date, field: str, today: datetime.date | None = None) -> None:
    """Raise ``ValidationError`` (on ``field``) when ``day`` lies after ``today`` (by default the local
    date): what happened in rectification is recorded once it has happened."""
    if day > (today or timezone.localdate()):
        raise ValidationError({field: _("日期不能晚于今天。")})
