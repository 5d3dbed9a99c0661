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


def problems_fed_back(organization, body, term, on: datetime.date) -> QuerySet[Problem]:
    return Problem.objects.filter(
        inspection__organization=organization,
        inspection__round__body=body,
        inspection__round__term=term,
        inspection__feedback_date__lte=on,
        review=Review.APPROVED,
    )


def statuses_on(problem_ids, on: datetime.date) -> dict[int, str]:
    """Each problem's rectification status on ``on`` (``open`` when it has no event yet)."""
    status = dict.fromkeys(problem_ids, ProblemStatus.OPEN)
    for problem, value in (
        ProblemEvent.objects.filter(problem__in=list(status), on__lte=on)
        .order_by("on", "pk")
        .values_list("problem", "status")
    ):
        status[problem] = value
    return status


def rectification_rates(organization, body, term, on: datetime.date) -> dict[str, Rate]:
    """``completion_rate`` and ``implementation_rate`` of ``organization`` for ``body`` and ``term`` on
    ``on``, each with its numerator, denominator, definition and the problems it counts."""
    fed = set(problems_fed_back(organization, body, term, on).values_list("pk", flat=True))
    status = statuses_on(fed, on)
    closed = {p for p, s in status.items() if s == ProblemStatus.CLOSED}
    stage_met = {p for p, s in status.items() if s == ProblemStatus.LONG_TERM_STAGE_MET}
    deadlines = dict(
        RectificationTask.objects.filter(problem__in=fed)
        .values("problem")
        .annotate(last=Max("deadline"))
        .values_list("problem", "last")
    )
    due = {p for p, last in deadlines.items() if last <= on}
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
