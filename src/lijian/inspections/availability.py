"""A cadre serves in one place at a time: the one rule of availability.

A cadre is busy from the start to the end of every round they are booked in, of any body, and over
every declared absence (training, leave, secondment …). The optimiser's problem, a hand edit of a
proposal, its confirmation, the ``groups.csv`` import and the declaration of an absence all ask
``engagements`` and refuse what overlaps, naming the clashing round or absence.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from lijian.people.models import Absence

from .models import RoundMember


@dataclass(frozen=True)
class Engagement:
    """Where a cadre is between ``start`` and ``end`` (both included), in words."""

    cadre: int  # Cadre pk
    start: datetime.date
    end: datetime.date
    label: str
    round: int | None = None  # Round pk, for a booking

    def overlaps(self, start: datetime.date, end: datetime.date) -> bool:
        return self.start <= end and start <= self.end

    def describe(self) -> str:
        return _("同期另有安排：%(what)s（%(start)s至%(end)s）") % {
            "what": self.label,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
        }


def engagements(
    cadres: Iterable[int],
    start: datetime.date,
    end: datetime.date,
    *,
    exclude_round: int | None = None,
    exclude_absence: int | None = None,
) -> dict[int, Engagement]:
    """For each of ``cadres`` (pks) busy at some time between ``start`` and ``end``: the first thing
    they are engaged in — a booking in a round of any body whose dates overlap (``exclude_round``,
    the round being staffed, left aside) or an active declared absence that overlaps."""
    ids = set(cadres)
    busy: dict[int, Engagement] = {}
    if not ids:
        return busy
    bookings = (
        RoundMember.objects.filter(cadre_id__in=ids, round__start__lte=end, round__end__gte=start)
        .exclude(round_id=exclude_round)
        .select_related("round__body", "round__term", "group")
        .order_by("round__start", "round_id")
    )
    for m in bookings:
        busy.setdefault(
            m.cadre_id,
            Engagement(m.cadre_id, m.round.start, m.round.end, f"{m.round}{m.group.name}", m.round_id),
        )
    absences = (
        Absence.objects.filter(cadre_id__in=ids, active=True, start__lte=end, end__gte=start)
        .exclude(pk=exclude_absence)
        .order_by("start")
    )
    for a in absences:
        label = a.get_kind_display() + (f"：{a.detail}" if a.detail else "")
        busy.setdefault(a.cadre_id, Engagement(a.cadre_id, a.start, a.end, label))
    return busy


def first_clash(items: Iterable[Engagement], start: datetime.date, end: datetime.date) -> Engagement | None:
    """The first of ``items`` that overlaps ``start``..``end`` (for bookings not yet in the database,
    such as the other rows of an import)."""
    return next((e for e in sorted(items, key=lambda e: e.start) if e.overlaps(start, end)), None)


def member_clashes(round_, start: datetime.date, end: datetime.date) -> list[str]:
    """What would clash if the staffed ``round_`` ran from ``start`` to ``end`` instead (for a change
    of its dates): each member engaged elsewhere over the new dates, in words; empty when none."""
    members = dict(round_.members.values_list("cadre_id", "cadre__name"))
    busy = engagements(members, start, end, exclude_round=round_.pk)
    return [f"{members[cid]}{e.describe()}" for cid, e in sorted(busy.items())]
