"""The rectification rates of DESIGN.md §3 — one place computes them, for any reference date.

For an inspected organisation, a body and a term, over the problems fed back to it (the inspection's
feedback date on or before the reference date, problems the group approved):

- completion rate (整改完成率) = problems closed on or before the date ÷ problems that were due by
  then (their latest task deadline on or before the date) or closed by then;
- implementation rate (整改落实到位率) = problems closed, or long-term with the current stage met, on
  or before the date ÷ problems fed back.

A problem's status on the date is that of its last status event on or before it, so a problem
reopened later still counted as closed before, and one reopened earlier no longer counts.

Below the line (低于警戒线) is decided here too, once: an organisation is below the body's threshold
when its implementation rate is under it **and it is past its rectification period** — inside the
period (from the feedback to the rectification report's deadline, that day included) a low rate is
the work not yet done, never a failing, so no page, figure, assessment or notice counts it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Max, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from lijian.findings.choices import ProblemStatus, Review
from lijian.findings.models import Problem
from lijian.findings.services import add_months
from lijian.inspections.models import Inspection

from .models import Feedback, ProblemEvent, RectificationTask

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


def status_on(on: datetime.date) -> Coalesce:
    """The rectification status on ``on`` of the problem of the outer row: that of its last status
    event on or before ``on`` (``open`` when it has none yet)."""
    last = ProblemEvent.objects.filter(problem=OuterRef("pk"), on__lte=on).order_by("-on", "-pk")
    return Coalesce(Subquery(last.values("status")[:1]), Value(ProblemStatus.OPEN))


def statuses_on(problem_ids, on: datetime.date) -> dict[int, str]:
    """Each problem's rectification status on ``on`` (``open`` when it has no event yet)."""
    status = dict.fromkeys(problem_ids, ProblemStatus.OPEN)
    found = Problem.objects.filter(pk__in=list(status)).annotate(status_that_day=status_on(on))
    status.update(found.values_list("pk", "status_that_day"))
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
    ``organization`` only), by organisation id, from one query whatever the number (each problem
    with its status on ``on`` and its latest task deadline, so no list of ids goes back to the
    database)."""
    last_deadline = (
        RectificationTask.objects.filter(problem=OuterRef("pk"))
        .order_by()
        .values("problem")
        .annotate(last=Max("deadline"))
        .values("last")
    )
    rows = (
        problems_fed_back(body, term, on, organization)
        .annotate(status_that_day=status_on(on), latest_deadline=Subquery(last_deadline))
        .values_list("pk", "inspection__organization", "status_that_day", "latest_deadline")
    )
    by_org: dict[int, set[int]] = {}
    status: dict[int, str] = {}
    deadlines: dict[int, datetime.date] = {}
    for problem, org, then, deadline in rows:
        by_org.setdefault(org, set()).add(problem)
        status[problem] = then
        if deadline is not None:
            deadlines[problem] = deadline
    return {org: _rates(fed, status, deadlines, on) for org, fed in by_org.items()}


def rectification_rates(organization, body, term, on: datetime.date) -> dict[str, Rate]:
    """``completion_rate`` and ``implementation_rate`` of ``organization`` for ``body`` and ``term`` on
    ``on``, each with its numerator, denominator, definition and the problems it counts."""
    found = rates_by_organization(body, term, on, organization)
    return found.get(organization.pk) or _rates(set(), {}, {}, on)


# --- the rectification period and the line --------------------------------------------------------

IN_PERIOD = _("整改期内：自反馈之日起至整改报告期限（含当日），整改落实到位率不认定为低于警戒线。")


def period_end(inspection) -> datetime.date | None:
    """The last day of the inspection's rectification period: its rectification report's deadline
    (``Feedback.report_due``), or for an inspection imported with a feedback date but no feedback
    record, that date plus the round's months for the report. ``None`` before feedback."""
    try:
        return inspection.feedback.report_due
    except Feedback.DoesNotExist:
        pass
    if inspection.feedback_date is None:
        return None
    return add_months(inspection.feedback_date, inspection.round.rectification_report_months)


def in_rectification_period(inspection, on: datetime.date) -> bool:
    """Whether ``on`` lies in the inspection's rectification period (feedback to report deadline,
    both included)."""
    end = period_end(inspection)
    return end is not None and inspection.feedback_date is not None and inspection.feedback_date <= on <= end


def organizations_in_period(body, term, on: datetime.date, organization=None) -> set[int]:
    """The organisations ``body`` fed back to in ``term`` that are inside a rectification period on
    ``on`` (any of their inspections by the body in the term: a new feedback starts a new period)."""
    rows = (
        Inspection.objects.filter(
            round__body=body, round__term=term, feedback_date__isnull=False, feedback_date__lte=on
        )
        .select_related("round", "feedback")
        # what ``in_rectification_period`` reads, not every column of three tables
        .only("organization", "feedback_date", "round__rectification_report_months", "feedback__report_due")
    )
    if organization is not None:
        rows = rows.filter(organization=organization)
    return {i.organization_id for i in rows if in_rectification_period(i, on)}


def is_below(rate: Rate, threshold: int) -> bool:
    """The bare comparison of an implementation rate with a threshold in percent (nothing counted is
    never below). Callers decide the line with ``organizations_below``, which also asks the period."""
    return bool(rate.denominator) and rate.value * 100 < threshold


def organizations_below(body, term, on: datetime.date, rates: dict | None = None) -> set[int]:
    """The organisations below ``body``'s threshold on ``on``: implementation rate under the line and
    past every rectification period (``organizations_in_period``). ``rates`` (from
    ``rates_by_organization``) saves recomputing them."""
    rates = rates_by_organization(body, term, on) if rates is None else rates
    under = {
        org
        for org, found in rates.items()
        if is_below(found["implementation_rate"], body.rectification_threshold)
    }
    return under - organizations_in_period(body, term, on) if under else set()


def standing(inspection, rate: Rate, on: datetime.date) -> str:
    """How one organisation's implementation rate stands on ``on`` for the inspection's body and term,
    for pages: ``"in_period"`` (inside its rectification period, whatever the rate), ``"below"``
    or ``""``."""
    body, term = inspection.round.body, inspection.round.term
    if organizations_in_period(body, term, on, inspection.organization):
        return "in_period"
    return "below" if is_below(rate, body.rectification_threshold) else ""
