"""Rules of petitions, written once: the petition services (behind the petition pages) and the
petitions.csv importer call these functions, so both ways in refuse alike, in the same words. Each is
a pure function over values and raises django's ``ValidationError`` keyed by the field it concerns.
"Today" is the local date when the rule is applied, for an import as for a form."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


def check_received_on(received_on: datetime.date, today: datetime.date | None = None) -> None:
    """Raise ``ValidationError`` (on ``received_on``) for a petition received after ``today`` (by
    default the local date)."""
    if received_on > (today or timezone.localdate()):
        raise ValidationError({"received_on": _("受理日期不能晚于今天。")})


def check_answered_on(
    answered_on: datetime.date, received_on: datetime.date, today: datetime.date | None = None
) -> None:
    """Raise ``ValidationError`` (on ``answered_on``) unless the answer lies between the reception
    and ``today`` (by default the local date), both days included."""
    if answered_on > (today or timezone.localdate()) or answered_on < received_on:
        raise ValidationError({"answered_on": _("办理日期应在受理日期和今天之间。")})
