"""Rules of a body's terms (届), written once: the term model's ``clean`` and the term services (behind
the term pages and the API) and the terms.csv importer call these functions, so the three ways in
accept and refuse alike, in the same words. Each is a pure function over values and raises django's
``ValidationError`` keyed by the model field it concerns."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def check_term_dates(start: datetime.date, end: datetime.date) -> None:
    """Raise ``ValidationError`` (on ``end``) unless the term ends after it starts."""
    if end <= start:
        raise ValidationError({"end": _("结束日期应晚于开始日期。")})


def check_term_overlap(
    start: datetime.date, end: datetime.date, others: Iterable[tuple[str, datetime.date, datetime.date]]
) -> None:
    """Raise ``ValidationError`` when the term from ``start`` to ``end`` shares a day with one of
    ``others``, the body's other terms as (name, start, end): terms of one body follow each other.
    The first such term (by its start) is named; the error is on ``start`` when that term began no
    later than this one, else on ``end``."""
    clashes = sorted((s, e, name) for name, s, e in others if s <= end and start <= e)
    if clashes:
        other_start, _other_end, name = clashes[0]
        field = "start" if other_start <= start else "end"
        raise ValidationError({field: _("与同一机构的届次“%(name)s”时间重叠。") % {"name": name}})
