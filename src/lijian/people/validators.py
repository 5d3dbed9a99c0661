"""Rules of the talent pool, written once: the models' ``clean`` (so every service's ``full_clean``)
and the forms call these functions. Each is a pure function over values and raises django's
``ValidationError`` keyed by the field it concerns."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def check_period(start: datetime.date | None, end: datetime.date | None) -> None:
    """Raise ``ValidationError`` (on ``end``) when both days are given and ``end`` lies before
    ``start``; an open end or start is no period to check."""
    if start and end and end < start:
        raise ValidationError({"end": _("终止日期不能早于起始日期。")})
