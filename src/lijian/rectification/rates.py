"""The rectification rates of DESIGN.md §3 — one place computes them, for any reference date.

For an inspected organisation, a body and a term, over the problems fed back to it (the inspection's
feedback date on or before the reference date, problems the group approved):

- completion rate (整改完成率) = problems closed on or before the date ÷ problems that were due by
  then (their latest task deadline on or before the date) or closed by then;
- implementation rate (整改落实到位率) = problems closed, or long-term with the current stage met, on
  or before the date ÷ problems fed back.

A problem's status on the date is that of its last status event on or before it, so a problem
reopened later still counted as closed before, and one reopened earlier no longer counts.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Max, QuerySet
from django.utils.translation import gettext_lazy as _

from lijian.findings.choices import ProblemStatus, Review
from lijian.findings.models import Problem

from .models import ProblemEvent, RectificationTask

COMPLETION = _(
    "整改完成率 = 参考日期前已销号的问题 ÷ 参考日期前到期（最晚的整改任务时限不晚于参考日期）或已销号的问题。"
)
IMPLEMENTATION = _(
    "整改落实到位率 = 参考日期前已销号、或长期整改问题已达到当前阶段目标的问题 ÷ 已反馈的问题。"
)


@dataclass
class Rate:
    key: str
    label: str
    numerator: int
    denominator: int
    definition: str
    counted: set[int] = field(default_factory=set, repr=False)  # the problems in the numerator
    base: set[int] = field(default_factory=set, repr=False)  # the problems in the denominator

    @property
    def value(self) -> float:
        return round(self.numerator / self.denominator, 4) if self.denominator else 0.0

    def as_dict(self) -> dict:
        return {
            "value": self.value,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "definition": str(self.definition),
        }


def problems_fed_back(body, term, on: datetime.date, organization=None) -> QuerySet[Problem]:
    rows = Problem.objects.filter(
        inspection__round__body=body,
        inspection__round__term=term,
        inspection__feedback_date__lte=on,
        review=Review.APPROVED,
    )
    return rows if organization is None else rows.filter(inspection__organization=organization)


def statuses_on(problem_ids, on: datetime.date) -> dict[int, str]:
    """Each problem's rectification status on ``on`` (``open`` when it has no event yet)."""
    status = dict.fromkeys(problem_ids, ProblemStatus.OPEN)
    events = ProblemEvent.objects.filter(problem__in=list(status), on__lte=on).order_by("on", "pk")
    for problem, value in events.values_list("problem", "status"):
        status[problem] = value
    return status


def _rates(fed: set[int], status: dict[int, str], deadlines: dict[int, datetime.date], on) -> dict[str, Rate]:
    closed = {p for p in fed if status[p] == ProblemStatus.CLOSED}
    stage_met = {p for p in fed if status[p] == ProblemStatus.LONG_TERM_STAGE_MET}
    due = {p for p in fed if p in deadlines and deadlines[p] <= on}
    return {
        "completion_rate": Rate(
            "completion_rate",
            _("整改完成率"),
            len(closed),
            len(due | closed),
            COMPLETION,
            closed,
            due | closed,
        ),
        "implementation_rate": Rate(
            "implementation_rate",
            _("整改落实到位率"),
            len(closed | stage_met),
            len(fed),
            IMPLEMENTATION,
            closed | stage_met,
            fed,
        ),
    }


def rates_by_organization(body, term, on: datetime.date, organization=None) -> dict[int, dict[str, Rate]]:
    """The two rates of every organisation ``body`` fed problems back to in ``term`` by ``on`` (or of
    ``organization`` only), by organisation id, from three queries whatever the number."""
    rows = list(problems_fed_back(body, term, on, organization).values_list("pk", "inspection__organization"))
    by_org: dict[int, set[int]] = {}
    for problem, org in rows:
        by_org.setdefault(org, set()).add(problem)
    ids = [p for p, _org in rows]
    status = statuses_on(ids, on)
    deadlines = dict(
        RectificationTask.objects.filter(problem__in=ids)
        .values("problem")
        .annotate(last=Max("deadline"))
        .values_list("problem", "last")
    )
    return {org: _rates(fed, status, deadlines, on) for org, fed in by_org.items()}


def rectification_rates(organization, body, term, on: datetime.date) -> dict[str, Rate]:
    """``completion_rate`` and ``implementation_rate`` of ``organization`` for ``body`` and ``term`` on
    ``on``, each with its numerator, denominator, definition and the problems it counts."""
    found = rates_by_organization(body, term, on, organization)
    return found.get(organization.pk) or _rates(set(), {}, {}, on)
