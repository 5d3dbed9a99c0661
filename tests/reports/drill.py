"""Following a document figure's link as a user does: the page it opens and the records that page
lists (every page of it), so a test can compare each figure with the list behind it (issue 13: "each
figure in a document links to its drill-down").

Lists never print a total (core.lists reads no COUNT), so the rows are counted page by page, following
the page's own "next" link, from the context the view rendered."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.urls import resolve

from lijian.analytics.figures import body_figures
from lijian.documents.gbt9704 import figures_of

# Figures that are not counts of records: a setting (the body's page shows it) — their link opens
# the page named.
NOT_COUNTS = {
    "rectification_threshold": "orgs:body_detail",
    # A coverage's denominator: the figures page shows it beside its numerator (analytics' drill-down
    # lists the covered ones only).
    "soe_total": "analytics:body",
}
# Figures whose link lists the bodies summed: the list's totals (its staffing card) give the figure.
SUMS = {"patrol_groups": "groups", "patrol_posts": "posts"}
# Figures that sum a result written on clues: their link lists the clues with some, and the page
# shows the sum over them.
CLUE_SUMS = {
    "people_disciplined",
    "people_organisational_handling",
    "people_to_judicial_organs",
    "losses_recovered",
}


@dataclass
class Listed:
    """What a link opened: the view's name, how many records it lists (``None`` for a page that is
    not a list), the body list's staffing totals, and the status of each page read."""

    view: str
    rows: int | None = None
    staffing: dict = field(default_factory=dict)
    total: float | None = None  # the clue list's sum of the result it is narrowed to


def _next(url: str, query: dict) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{urlencode({**dict(parse_qsl(parts.query)), **query})}"


def listed(client, href: str, pages: int = 200) -> Listed:
    """The records the page at ``href`` lists, counted over all its pages (at most ``pages``).
    Asserts every page answers 200 — a refused filter answers 400 listing the unfiltered rows."""
    view = resolve(urlsplit(href).path).view_name
    url, rows = href, 0
    for _page in range(pages):
        response = client.get(url)
        assert response.status_code == 200, (href, response.status_code)
        context = response.context
        if view == "analytics:records":
            rows += len(context.get("items") or context.get("orgs") or [])
            if context["next_after"] is None:
                return Listed(view, rows)
            url = _next(url, {"after": context["next_after"]})
        elif view == "guidance:assessment":
            return Listed(view, len(context["candidates"]))
        elif view in NOT_COUNTS.values():
            return Listed(view)
        else:
            page = context["page"]
            rows += len(page)
            if not page.has_next():
                outcome = context.get("outcome")
                staffing = context.get("staffing", {}).get("all", {})  # the body list's totals
                return Listed(view, rows, staffing, total=float(outcome["total"]) if outcome else None)
            url = f"{urlsplit(url).path}?{page.next_query}"
    raise AssertionError(f"{href}: more than {pages} pages")


def _number(text: str) -> float:
    return float(text.rstrip("%"))


def mismatches(client, paper, body, term, on: datetime.date) -> dict[str, tuple]:
    """For each figure of ``paper`` (a work report of ``body`` for ``term`` as of ``on``) whose link
    does not list what it counts: ``key → (figure, what the link gave, href)``. A count must equal the
    rows listed; a rate its numerator (the rows are the records it counts as hit, analytics'
    ``records``); a sum the list's total; a figure in ``NOT_COUNTS`` must open the page named there.
    Every figure must have a link."""
    analytics = body_figures(body, term, on)
    wrong = {}
    for figure in figures_of(paper):
        assert figure.href, figure
        got = listed(client, figure.href)
        if figure.key in NOT_COUNTS:
            if got.view != NOT_COUNTS[figure.key]:
                wrong[figure.key] = (figure.value, got.view, figure.href)
            continue
        if figure.key in CLUE_SUMS:
            if got.view != "findings:clues" or got.total != _number(figure.value):
                wrong[figure.key] = (figure.value, got.total, figure.href)
            continue
        if figure.key in SUMS:
            value = got.staffing.get(SUMS[figure.key])
            if value is None or value != _number(figure.value):
                wrong[figure.key] = (figure.value, value, figure.href)
            continue
        rate = figure.value.endswith("%")
        expected = analytics[figure.key].numerator if rate else _number(figure.value)
        if got.rows is None or got.rows != expected:
            wrong[figure.key] = (figure.value, got.rows, figure.href)
    return wrong
