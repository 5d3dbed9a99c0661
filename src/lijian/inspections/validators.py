"""Rules of rounds and of an inspection's stage dates, written once: the round model's ``clean`` and
the round and stage services (behind the pages and the API) and the rounds.csv and inspections.csv
importers call these functions, so every way in refuses alike, in the same words. Each is a pure
function over values and raises django's ``ValidationError`` keyed by the field it concerns (the
stage services name their one date ``on``, the caller says so with ``field``)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The linkage mode (LinkageMode.code) in which a round continues its upper round (接力巡).
RELAY = "relay"


def check_relay_upper(linkage_code: str | None, has_upper: bool) -> None:
    """Raise ``ValidationError`` (on ``upper_round``) for a relay round that names no upper round."""
    if linkage_code == RELAY and not has_upper:
        raise ValidationError({"upper_round": _("接力巡须指明接续的上级轮次。")})


def check_upper_round_body(body, upper_body) -> None:
    """Raise ``ValidationError`` (on ``upper_round``) when the upper round a round is linked to is a
    round of its own body (``body`` and ``upper_body`` identify the two bodies alike: pks or codes);
    this also refuses a round linked to itself."""
    if body == upper_body:
        raise ValidationError({"upper_round": _("联动的上级轮次应属于上级机构。")})


def check_round_dates(start: datetime.date, end: datetime.date) -> None:
    """Raise ``ValidationError`` (on ``end``) when the round ends before it starts (one day is a round)."""
    if end < start:
        raise ValidationError({"end": _("结束日期不能早于开始日期。")})


def check_round_in_term(start: datetime.date, term_start: datetime.date, term_end: datetime.date) -> None:
    """Raise ``ValidationError`` (on ``start``) unless the round starts within its term, both ends
    included."""
    if not (term_start <= start <= term_end):
        raise ValidationError(
            {
                "start": _("开始日期应在本届（%(start)s 至 %(end)s）之内。")
                % {"start": term_start, "end": term_end}
            }
        )


def check_onsite_start(round_start: datetime.date, on: datetime.date, field: str = "on") -> None:
    """Raise ``ValidationError`` (on ``field``) when a group goes on site before its round's start:
    the round's dates say when its groups work, and the problems they find are dated from that start."""
    if on < round_start:
        raise ValidationError(
            {
                field: _("进驻日期（%(on)s）不能早于本轮开始日期（%(start)s）。")
                % {"on": on.isoformat(), "start": round_start.isoformat()}
            }
        )


def check_onsite_end(
    onsite_start: datetime.date | None, onsite_end: datetime.date, field: str = "onsite_end"
) -> None:
    """Raise ``ValidationError`` (on ``field``) when the group leaves the site before it went on site
    (no rule while that day is unknown)."""
    if onsite_start is not None and onsite_end < onsite_start:
        raise ValidationError({field: _("撤离日期不能早于进驻日期。")})


def check_feedback_date(
    onsite_end: datetime.date | None, feedback: datetime.date, field: str = "feedback_date"
) -> None:
    """Raise ``ValidationError`` (on ``field``) when the feedback lies before the group left the site
    (no rule while that day is unknown)."""
    if onsite_end is not None and feedback < onsite_end:
        raise ValidationError({field: _("反馈日期不能早于撤离日期。")})
