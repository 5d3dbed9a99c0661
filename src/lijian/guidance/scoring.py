"""The figures a figure indicator reads, for one assessed body at the end of the assessed year.

Each figure comes from where it is computed (``lijian.analytics.figures`` for coverage and clue
feedback, ``lijian.rectification.rates`` for the rates): nothing is counted again here. The
implementation rate of a body is its organisations' rates taken together (problems closed over
problems fed back), leaving out organisations still inside their rectification period, which are
never counted as behind on any page or assessment."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from lijian.analytics.figures import body_figures
from lijian.orgs.models import InspectionBody
from lijian.orgs.selectors import term_current
from lijian.rectification.rates import organizations_in_period, rates_by_organization

from .choices import FigureKey

CENT = Decimal("0.01")
FOURTH = Decimal("0.0001")


def reference_day(year: int, today: datetime.date | None = None) -> datetime.date:
    """The day a year is assessed on: its last day, or today while the year runs."""
    return min(datetime.date(year, 12, 31), today or timezone.localdate())


def figure_values(body: InspectionBody, on: datetime.date) -> dict[str, Decimal | None]:
    """The value (0 to 1) of every ``FigureKey`` for ``body`` on ``on``, in its term then; ``None``
    for each when the body has no term on that day, and for a rate with nothing to count."""
    term = term_current(body, on)
    if term is None:
        return dict.fromkeys(FigureKey.values)
    figures = body_figures(body, term, on)
    values: dict[str, Decimal | None] = {}
    for key in (FigureKey.TERM_COVERAGE, FigureKey.GRASSROOTS_COVERAGE, FigureKey.CLUES_ON_TIME):
        figure = figures[key]
        values[key] = _fraction(figure.numerator, figure.denominator)
    rates = rates_by_organization(body, term, on)
    waiting = organizations_in_period(body, term, on)
    counted = [found["implementation_rate"] for org, found in rates.items() if org not in waiting]
    values[FigureKey.IMPLEMENTATION_RATE] = _fraction(
        sum(r.numerator for r in counted), sum(r.denominator for r in counted)
    )
    return values


def _fraction(numerator: int | None, denominator: int | None) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator or 0) / Decimal(denominator)).quantize(FOURTH, ROUND_HALF_UP)


def weighted(value: Decimal | None, weight: int) -> Decimal:
    """The score of a figure: its weight times the figure (0 when there is nothing to count)."""
    if value is None:
        return Decimal(0).quantize(CENT)
    return (value * weight).quantize(CENT, ROUND_HALF_UP)
