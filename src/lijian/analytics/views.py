from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lijian.core.lists import EXPORT, EXPORT_FORMATS
from lijian.core.params import BadParameter, parse_id, query_date, query_id, shown
from lijian.core.permissions import Perm, requires
from lijian.documents.exports import export_response
from lijian.findings.models import Clue
from lijian.findings.services import clues_exported
from lijian.orgs import tree
from lijian.orgs.models import Organization

from .figures import body_figures, staffing_figures
from .selectors import body_and_term
from .tables import FIGURE_RECORDS

PAGE = 100
STAFFING_LABELS = {
    "bodies": gettext_lazy("巡视巡察机构"),
    "patrol_bodies": gettext_lazy("其中巡察机构"),
    "groups": gettext_lazy("巡视巡察组"),
    "patrol_groups": gettext_lazy("其中巡察组"),
    "authorized_posts": gettext_lazy("编制"),
    "patrol_posts": gettext_lazy("其中巡察机构编制"),
    "pool_size": gettext_lazy("人才库人数"),
    "young_share": gettext_lazy("年轻干部占比"),
    "cadres_per_round": gettext_lazy("每轮平均参加人数"),
}


@requires(Perm.FIGURES_VIEW)
def body_figures_page(request, pk: int):
    body, term = body_and_term(request.user, pk, query_id(request, "term", label=_("届次")))
    on = query_date(request, "date", label=_("参考日期")) or timezone.localdate()
    return render(
        request,
        "analytics/body.html",
        {
            "body": body,
            "term": term,
            "on": on,
            "terms": body.terms.order_by("-start"),
            "figures": body_figures(body, term, on),
            "staffing": [
                (key, STAFFING_LABELS.get(key, key), f"{value:.1%}" if key == "young_share" else value)
                for key, value in staffing_figures(body.owner_org, on).items()
            ],
        },
    )


@requires(Perm.FIGURES_VIEW)
def figure_records(request, pk: int, key: str):
    """The records one figure counts, a page at a time (organisations in tree order, keyset on the
    path; other records by id); ``?export=csv`` or ``xlsx`` downloads all of them (a download of
    clues is recorded in the audit ledger: a clue names a person)."""
    body, term = body_and_term(request.user, pk, query_id(request, "term", label=_("届次")))
    on = query_date(request, "date", label=_("参考日期")) or timezone.localdate()
    figure = body_figures(body, term, on).get(key)
    if figure is None or figure.records is None:
        raise Http404
    model = figure.records.model._meta.model_name
    exported = FIGURE_RECORDS.get(model)
    fmt = request.GET.get(EXPORT, "")
    if fmt:
        return records_export(request, fmt, figure.records, exported, key.replace("_", "-"))
    export_links = (
        {f: urlencode({"term": term.pk, "date": on.isoformat(), EXPORT: f}) for f in EXPORT_FORMATS}
        if exported
        else {}
    )
    after = request.GET.get("after", "")
    if figure.records.model is not Organization:  # problems or clues: keyset on the id
        last = parse_id(after, label=_("翻页位置")) or 0
        related = {
            "problem": ("inspection__organization", "category"),
            "clue": ("inspection__organization", "department"),
            "selfcriticism": ("organization",),
            "interview": ("organization",),
            "accountability": ("organization",),
        }[model]
        items = list(figure.records.filter(pk__gt=last).order_by("pk").select_related(*related)[: PAGE + 1])
        return render(
            request,
            "analytics/records.html",
            {
                "body": body,
                "term": term,
                "on": on,
                "figure": figure,
                "items": items[:PAGE],
                "model": model,
                "next_after": items[PAGE - 1].pk if len(items) > PAGE else None,
                "export_links": export_links,
            },
        )
    if after and not Organization.objects.filter(path=after).exists():
        raise BadParameter(_("翻页位置“%(after)s”无效，请从第一页重新浏览。") % {"after": shown(after)})
    rows = list(
        figure.records.filter(path__gt=after).order_by("path").values_list("path", flat=True)[: PAGE + 1]
    )
    orgs = tree.by_paths(rows[:PAGE])
    return render(
        request,
        "analytics/records.html",
        {
            "body": body,
            "term": term,
            "on": on,
            "figure": figure,
            "orgs": orgs,
            "next_after": rows[PAGE - 1] if len(rows) > PAGE else None,
            "export_links": export_links,
        },
    )


def records_export(request, fmt: str, records, exported, filename: str):
    """The download of ``records`` (what a figure or a cockpit mark counts), as ``fmt``, in the list's
    order (the tree's for organisations), with ``exported``'s columns (``FIGURE_RECORDS``); a download
    of clues is first recorded in the audit ledger (who, the page and its query, how many rows).
    Raises ``BadParameter`` for a format the list does not take, or records that have no export."""
    if fmt not in EXPORT_FORMATS or exported is None:
        raise BadParameter(_("链接中的导出格式“%(value)s”无效。") % {"value": shown(fmt)})
    columns, related = exported
    if records.model is Clue:
        query = {k: v for k, v in request.GET.items() if k != EXPORT}
        clues_exported(actor=request.user, source=request.path, query=query, fmt=fmt, clues=records)
    rows = records.select_related(*related) if related else records
    rows = rows.order_by("path" if records.model is Organization else "pk")
    return export_response(fmt, columns, rows.iterator(chunk_size=2000), filename)
