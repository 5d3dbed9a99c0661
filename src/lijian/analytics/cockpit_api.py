"""The cockpit's charts over the API: one operation per chart, each the chart's marks with the link
to the records every mark counts (``cockpit.CHARTS``; mounted at ``/api/cockpit`` from ``ready()``).

A body outside the user's figure scope, or a term that is not the body's, answers 404; a body, term
or date that cannot be one (``12x``, ``2026-13-45``, a day after today or before the term's start)
answers 400 with the reason in Chinese."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router

from lijian.core.params import parse_date, parse_id
from lijian.core.permissions import Perm, api_requires
from lijian.orgs.models import InspectionBody, Term

from .cockpit import CHARTS, Chart, Mark, reference_date
from .cockpit_rankings import RANKINGS
from .selectors import body_and_term

router = Router(tags=["驾驶舱"])


def cockpit_params(user, body: str, term: str | None, date: str | None):
    """The body (404 outside the user's figure scope), the term (the body's current one by default)
    and the reference date (today by default) a request names; ``BadParameter`` for malformed ones."""
    body_id = parse_id(body, label=_("机构")) or 0  # a path parameter is never empty
    found, found_term = body_and_term(user, body_id, parse_id(term, label=_("届次")))
    on = reference_date(found_term, parse_date(date, label=_("参考日期")), timezone.localdate())
    return found, found_term, on


def _query(term: Term, on: datetime.date) -> str:
    return "?" + urlencode({"term": term.pk, "date": on.isoformat()})


def mark_url(mark: Mark, chart: str, body: InspectionBody, term: Term, on: datetime.date) -> str | None:
    """Where the mark's records are listed: its figure's drill-down, or the cockpit's own list."""
    if mark.link and mark.link[0] == "figure":
        _kind, other_body, other_term, key = mark.link
        return reverse("analytics:records", args=[other_body.pk, key]) + _query(other_term, on)
    if mark.records is None:
        return None
    return reverse("analytics:cockpit_records", args=[body.pk, chart, mark.key]) + _query(term, on)


def chart_data(chart: Chart, body: InspectionBody, term: Term, on: datetime.date) -> dict:
    """The chart as the page draws it (JSON-ready)."""
    marks = []
    for mark in chart.marks:
        extra = dict(mark.extra)
        page = extra.pop("page", None)
        if page:
            extra["page_url"] = reverse(page[0], args=[page[1]])
        marks.append(
            {
                "key": mark.key,
                "label": str(mark.label),
                "value": mark.value,
                "numerator": mark.numerator,
                "denominator": mark.denominator,
                "series": mark.series,
                "url": mark_url(mark, chart.key, body, term, on),
                **extra,
            }
        )
    return {
        "key": chart.key,
        "title": str(chart.title),
        "definition": str(chart.definition),
        "body": {"id": body.pk, "code": body.code, "name": body.name},
        "term": {"id": term.pk, "name": term.name},
        "date": on.isoformat(),
        "meta": chart.meta,
        "marks": marks,
    }


def _operation(key: str, build, summary: str):
    def chart(request, body: str, term: str | None = None, date: str | None = None):
        found, found_term, on = cockpit_params(request.user, body, term, date)
        return chart_data(build(found, found_term, on), found, found_term, on)

    chart.__name__ = f"cockpit_{key}"
    router.get(
        f"/bodies/{{body}}/{key}",
        summary=str(summary),
        operation_id=f"cockpit_{key}",
        url_name=f"cockpit_{key}",
    )(api_requires(Perm.FIGURES_VIEW)(chart))


for _key, (_build, _summary) in {**CHARTS, **RANKINGS}.items():
    _operation(_key, _build, _summary)
