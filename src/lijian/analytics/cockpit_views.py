"""The cockpit page (驾驶舱) and the list of the records one of its marks counts."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from lijian.core.lists import EXPORT, EXPORT_FORMATS
from lijian.core.params import BadParameter, parse_id, query_date, query_id, shown
from lijian.core.permissions import Perm, requires
from lijian.orgs.selectors import term_current

from .cockpit import CHARTS, cockpit_bodies, cockpit_body_default, cockpit_strings, reference_date
from .cockpit_rankings import RANKINGS
from .selectors import body_and_term
from .tables import FIGURE_RECORDS
from .views import records_export

PAGE = 100
TABS = {"overview": CHARTS, "rankings": RANKINGS}
# The related rows each list shows, by the model of the records.
RELATED = {
    "problem": ("inspection__organization", "category"),
    "clue": ("inspection__organization", "department"),
    "rectificationtask": ("problem__inspection__organization",),
    "inspection": ("organization", "round", "group"),
}


def cockpit_context(request, *, body=None, term_id=None, on=None) -> dict | None:
    """What the cockpit shows: the body (the one asked for, else the user's highest), the term (the
    current one by default), the reference date (today by default) and the choices of each; ``None``
    when the user may see no body's figures."""
    if body is None:
        body = cockpit_body_default(request.user)
        if body is None:
            return None
    body, term = body_and_term(request.user, body.pk, term_id)
    today = timezone.localdate()
    return {
        "body": body,
        "term": term,
        "on": reference_date(term, on, today),
        "today": today,
        "terms": body.terms.order_by("-start"),
        "bodies": cockpit_bodies(request.user)[:200],
    }


def _term_on(body, on) -> int | None:
    """The id of the body's term in course on ``on``; ``None`` (the current or latest term) without
    a date or between terms."""
    term = term_current(body, on) if on is not None else None
    return term.pk if term else None


@requires(Perm.FIGURES_VIEW)
def cockpit(request):
    """The cockpit of a body, a term and a reference date (``?body=&term=&date=&tab=``)."""
    body_id = query_id(request, "body", label=_("机构"))
    term_id = query_id(request, "term", label=_("届次"))
    on = query_date(request, "date", label=_("参考日期"))
    tab = request.GET.get("tab", "") or "overview"
    if tab not in TABS:
        raise BadParameter(
            _("链接中的%(label)s“%(value)s”无效。") % {"label": _("页签"), "value": shown(tab)}
        )
    body = None
    if body_id is not None:
        body, _term = body_and_term(request.user, body_id, None)
        if term_id is not None and not body.terms.filter(pk=term_id).exists():
            # The term of the body shown before: its own term on the date is shown instead of a 404.
            term_id = _term_on(body, on)
            messages.info(
                request,
                _("所选届次不是%(body)s的届次，已改为显示它在参考日期的届次。") % {"body": body.name},
            )
    context = cockpit_context(request, body=body, term_id=term_id, on=on)
    if context is None:
        raise Http404
    context.update(tab=tab, charts=list(TABS[tab]), cockpit_strings=cockpit_strings())
    return render(request, "analytics/cockpit.html", context)


@requires(Perm.FIGURES_VIEW)
def cockpit_records(request, pk: int, chart: str, mark: str):
    """The records one mark of a chart counts (its value, or a rate's numerator), a page at a time;
    ``?export=csv`` or ``xlsx`` downloads all of them where the list has columns to export (problems,
    clues, organisations; a download of clues is recorded in the audit ledger)."""
    body, term = body_and_term(request.user, pk, query_id(request, "term", label=_("届次")))
    on = reference_date(term, query_date(request, "date", label=_("参考日期")), timezone.localdate())
    build = {**CHARTS, **RANKINGS}.get(chart)
    if build is None:
        raise Http404
    drawn = build[0](body, term, on)
    found = next((m for m in drawn.marks if m.key == mark), None)
    if found is None or found.records is None:
        raise Http404
    records = found.records
    model = records.model._meta.model_name
    exported = FIGURE_RECORDS.get(model)
    fmt = request.GET.get(EXPORT, "")
    if fmt:
        return records_export(request, fmt, records, exported, f"{chart}-{mark}".replace("_", "-"))
    export_links = (
        {f: urlencode({"term": term.pk, "date": on.isoformat(), EXPORT: f}) for f in EXPORT_FORMATS}
        if exported
        else {}
    )
    last = parse_id(request.GET.get("after"), label=_("翻页位置")) or 0
    rows = records.filter(pk__gt=last).order_by("pk")
    if model in RELATED:
        rows = rows.select_related(*RELATED[model])
    items = list(rows[: PAGE + 1])
    return render(
        request,
        "analytics/cockpit_records.html",
        {
            "body": body,
            "term": term,
            "on": on,
            "chart": drawn,
            "mark": found,
            "count": records.count(),
            "model": model,
            "items": items[:PAGE],
            "next_after": items[PAGE - 1].pk if len(items) > PAGE else None,
            "export_links": export_links,
        },
    )
