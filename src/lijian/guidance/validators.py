"""Rules of the guidance records, written once: the services (behind the pages and the API) and the
ledger parsers call these functions, so every way in accepts and refuses alike, with the same words.
Each is a pure function over values and raises django's ``ValidationError`` keyed by the field."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import IndicatorKind

# The most points one indicator may carry; a year's indicators are weighed out of 100.
MAX_WEIGHT = 100
FIRST_YEAR = 2000


def check_not_future(day: datetime.date | None, field: str, today: datetime.date | None = None) -> None:
    """Raise ``ValidationError`` (on ``field``) when ``day`` lies after ``today`` (the local date):
    what was received, reviewed or fixed is recorded once it has happened."""
    if day is not None and day > (today or timezone.localdate()):
        raise ValidationError({field: _("日期不能晚于今天。")})


def check_order(first: datetime.date | None, then: datetime.date | None, field: str, message: str) -> None:
    """Raise ``ValidationError`` (on ``field``, saying ``message``) when ``then`` lies before ``first``."""
    if first is not None and then is not None and then < first:
        raise ValidationError({field: message})


def check_material_dates(meeting_on: datetime.date, received_on: datetime.date) -> None:
    """The material of a meeting is received on or after the meeting, and not in the future."""
    check_not_future(meeting_on, "meeting_on")
    check_not_future(received_on, "received_on")
    check_order(meeting_on, received_on, "received_on", _("收到材料日期不能早于专题会日期。"))


def check_opinions(opinions: str) -> None:
    """Returning a material for revision says why: the opinions may not be empty."""
    if not opinions.strip():
        raise ValidationError({"opinions": _("退回修改须填写审阅意见。")})


def check_period(start: datetime.date, end: datetime.date) -> None:
    """A self-inspection's period ends on or after it starts."""
    check_order(start, end, "period_end", _("自查期间的结束日期不能早于开始日期。"))


def check_fix(problem_found: bool, fix: str, fixed_on: datetime.date | None) -> None:
    """A fix belongs to a problem found, and a fix is dated only once it is written, never ahead."""
    if not problem_found and (fix.strip() or fixed_on):
        raise ValidationError({"fix": _("未发现问题的事项无需填写整改措施。")})
    if fixed_on is not None and not fix.strip():
        raise ValidationError({"fix": _("填写整改完成日期前，请先填写整改措施。")})
    check_not_future(fixed_on, "fixed_on")


def check_indicator(kind: str, figure_key: str, weight: int | None) -> None:
    """A figure indicator names the figure it reads; a judgement indicator names none; a weight is
    from 1 to ``MAX_WEIGHT`` points."""
    if kind == IndicatorKind.FIGURE and not figure_key:
        raise ValidationError({"figure_key": _("数据指标须选择数据来源。")})
    if kind == IndicatorKind.JUDGEMENT and figure_key:
        raise ValidationError({"figure_key": _("评议指标由人工打分，不选数据来源。")})
    if weight is not None and not 1 <= weight <= MAX_WEIGHT:
        raise ValidationError({"weight": _("分值应为 1 到 %(n)s 之间的整数。") % {"n": MAX_WEIGHT}})


def check_year(year: int, today: datetime.date | None = None) -> None:
    """An assessment is of a year that has begun."""
    today = today or timezone.localdate()
    if not FIRST_YEAR <= year <= today.year:
        raise ValidationError(
            {"year": _("年度应在 %(first)s 到 %(last)s 之间。") % {"first": FIRST_YEAR, "last": today.year}}
        )


def check_score(score: Decimal, weight: int) -> None:
    """A score lies between 0 and the indicator's weight."""
    if score < 0 or score > weight:
        raise ValidationError({"score": _("得分应在 0 到 %(n)s 之间。") % {"n": weight}})
