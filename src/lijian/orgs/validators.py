"""Rules of organisations and of a body's terms (届), written once: the models' ``clean`` and the
services (behind the pages and the API) and the organizations.csv and terms.csv importers call these
functions, so every way in accepts and refuses alike, in the same words. Each is a pure function over
values and raises django's ``ValidationError`` keyed by the model field it concerns."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# At most 12 ASCII digits (the model's ``division_code`` holds 12 characters); empty is no code.
is_division_code = re.compile(r"[0-9]{0,12}").fullmatch


def check_division_code(division_code: str) -> None:
    """Raise ``ValidationError`` (on ``division_code``) unless it is empty or at most 12 digits."""
    if not is_division_code(division_code):
        raise ValidationError({"division_code": _("行政区划代码应为不超过 12 位的数字。")})


def check_active_dates(active_from: datetime.date | None, active_to: datetime.date | None) -> None:
    """Raise ``ValidationError`` (on ``active_to``) when the organisation is dissolved before it was
    set up (no rule while either day is unknown)."""
    if active_from and active_to and active_to < active_from:
        raise ValidationError({"active_to": _("撤销日期不能早于设立日期。")})


def check_not_under_itself(path: str, new_parent_path: str) -> None:
    """Raise ``ValidationError`` (on ``parent``) when the organisation at ``path`` would move under
    itself or under one of its own subordinates (``new_parent_path`` inside its subtree)."""
    if new_parent_path.startswith(path):
        raise ValidationError({"parent": _("不能把组织移到它自己或它的下级组织之下。")})


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
