"""The cockpit's second tab: rankings and trends, as charts of marks like the cockpit's (``cockpit``).

Organisations ranked by implementation rate, overdue tasks and problems per inspection; areas ranked
by coverage and by patrol results; the problems, clues and organisations inspected by round and by
year. Every mark counts records and drills down to them, as on the first tab.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lijian.core.permissions import subtree_q
from lijian.findings.models import Problem
from lijian.inspections.models import Inspection
from lijian.orgs.models import InspectionBody, Organization, Term
from lijian.rectification.rates import rates_by_organization

from .cockpit import (
    RANK_SIZE,
    Chart,
    Mark,
    area_bodies,
    area_label,
    area_places,
    chart_areas,
    overdue_tasks,
    round_label,
    rounds_begun,
)
from .figures import clues_handled, count_each, counted_inspections, counts_in_subtrees, problems_found


def _names(pks) -> dict[int, str]:
    return dict(Organization.objects.filter(pk__in=list(pks)).values_list("pk", "name"))


def rank_rates(body: InspectionBody, term: Term, on: datetime.date) -> Chart:
    """The organisations fed back with the lowest implementation rates; each drills down to the
    problems its numerator counts."""
    rates = rates_by_organization(body, term, on)
    names = _names(rates)
    ranked = sorted(rates.items(), key=lambda item: (item[1]["implementation_rate"].value, names[item[0]]))
    marks = []
    for org, found in ranked[:RANK_SIZE]:
        rate = found["implementation_rate"]
        marks.append(
            Mark(
                str(org),
                names[org],
                rate.value,
                Problem.objects.filter(pk__in=rate.counted),
                rate.numerator,
                rate.denominator,
            )
        )
    return Chart(
        "rank_rates",
        _("整改落实到位率排名（由低到高）"),
        _("已反馈的被巡视巡察党组织的整改落实到位率，最低的%(n)s个；点击列出已销号或已达阶段目标的问题。")
        % {"n": RANK_SIZE},
        marks,
        {"threshold": body.rectification_threshold, "total": len(rates)},
    )


def rank_overdue(body: InspectionBody, term: Term, on: datetime.date) -> Chart:
    tasks = overdue_tasks(body, term, on)
    counts = (
        tasks.order_by()
        .values("problem__inspection__organization")
        .annotate(n=Count("pk"))
        .order_by("-n", "problem__inspection__organization")[:RANK_SIZE]
    )
    rows = [(row["problem__inspection__organization"], row["n"]) for row in counts]
    names = _names(org for org, _n in rows)
    marks = [
        Mark(str(org), names[org], n, tasks.filter(problem__inspection__organization=org)) for org, n in rows
    ]
    return Chart(
        "rank_overdue",
        _("超期整改任务排名"),
        _("完成时限早于参考日期、参考日期时仍未完成的整改任务最多的%(n)s个党组织。") % {"n": RANK_SIZE},
        marks,
    )


def rank_problems_per_inspection(body: InspectionBody, term: Term, on: datetime.date) -> Chart:
    problems = problems_found(body, term, on)
    inspections = dict(
        counted_inspections(body, term, on)
        .order_by()
        .values("organization")
        .annotate(n=Count("pk"))
        .values_list("organization", "n")
    )
    found = dict(
        problems.order_by()
        .values("inspection__organization")
        .annotate(n=Count("pk"))
        .values_list("inspection__organization", "n")
    )
    ranked = sorted(
        ((org, found.get(org, 0), n) for org, n in inspections.items()),
        key=lambda row: (-row[1] / row[2], row[0]),
    )[:RANK_SIZE]
    names = _names(org for org, _f, _n in ranked)
    marks = [
        Mark(
            str(org),
            names[org],
            round(n_found / n, 2),
            problems.filter(inspection__organization=org),
            n_found,
            n,
        )
        for org, n_found, n in ranked
    ]
    return Chart(
        "rank_problems_per_inspection",
        _("每次巡视巡察发现问题数排名"),
        _("各被巡视巡察党组织发现问题数 ÷ 其被巡视巡察次数（进驻日期不晚于参考日期），最多的%(n)s个。")
        % {"n": RANK_SIZE},
        marks,
    )


def rank_areas_coverage(body: InspectionBody, term: Term, on: datetime.date) -> Chart:
    chart = chart_areas(body, term, on)
    chart.marks.sort(key=lambda m: (-m.value, m.label))
    return Chart("rank_areas_coverage", _("各区覆盖率排名"), chart.definition, chart.marks)


def rank_areas_results(body: InspectionBody, term: Term, on: datetime.date) -> Chart:
    """Problems found in each area: by the area's own body in its current term where areas have
    bodies (a city's districts), else by this body in the area."""
    places, _on_map = area_places(body, on)
    owned = area_bodies(places, on)
    marks = []
    if owned:
        owned = [(place, area_body, area_term) for place, area_body, area_term in owned if area_term]
        found = [problems_found(area_body, area_term, on) for _place, area_body, area_term in owned]
        for (place, area_body, area_term), problems, n in zip(owned, found, count_each(found), strict=True):
            link = ("figure", area_body, area_term, "problems_found")  # the figure's own list
            marks.append(Mark(str(place.pk), area_label(place), n, problems, link=link))
        definition = _("各区巡察机构参考日期所在届次已进驻的巡察中发现的问题数。")
    else:
        problems = problems_found(body, term, on)
        counts = counts_in_subtrees(places, problems.values_list("inspection__organization__path", flat=True))
        for place in places:
            inside = problems.filter(subtree_q(place.path, "inspection__organization__path"))
            marks.append(Mark(str(place.pk), place.name, counts[place.pk], inside))
        definition = _("本机构本届在各片区发现的问题数。")
    marks.sort(key=lambda m: (-m.value, m.label))
    return Chart("rank_areas_results", _("各区巡察发现问题排名"), definition, marks)


def _trend(body: InspectionBody, term: Term, on: datetime.date) -> dict[str, tuple[str, QuerySet, str]]:
    """The trended figures: their label, records and the field that dates each record."""
    return {
        "problems": (_("发现问题"), problems_found(body, term, on), "found_on"),
        "clues": (_("移交问题线索"), clues_handled(body, term, on)["transferred"], "transferred_on"),
        "inspections": (_("巡视巡察（次）"), counted_inspections(body, term, on), "onsite_start"),
    }


def trend_rounds(body: InspectionBody, term: Term, on: datetime.date) -> Chart:
    marks = []
    rounds = rounds_begun(body, term, on)
    for series, (label, records, _field) in _trend(body, term, on).items():
        via = "round" if records.model is Inspection else "inspection__round"
        counts = dict(records.order_by().values(via).annotate(n=Count("pk")).values_list(via, "n"))
        for r in rounds:
            marks.append(
                Mark(
                    f"{series}-{r.pk}",
                    round_label(r),
                    counts.get(r.pk, 0),
                    records.filter(**{via: r}),
                    series=series,
                    extra={"series_label": label},
                )
            )
    return Chart(
        "trend_rounds",
        _("按轮次的趋势"),
        _("本届各轮（开始日期不晚于参考日期）发现的问题、移交的线索和进驻的巡视巡察次数。"),
        marks,
    )


def trend_years(body: InspectionBody, term: Term, on: datetime.date) -> Chart:
    marks = []
    years = range(term.start.year, min(on, term.end).year + 1)
    for series, (label, records, dated) in _trend(body, term, on).items():
        counts = dict(
            records.order_by()
            .annotate(y=ExtractYear(dated))
            .values("y")
            .annotate(n=Count("pk"))
            .values_list("y", "n")
        )
        for year in years:
            marks.append(
                Mark(
                    f"{series}-{year}",
                    str(year),
                    counts.get(year, 0),
                    records.filter(**{f"{dated}__year": year}),
                    series=series,
                    extra={"series_label": label},
                )
            )
    return Chart(
        "trend_years",
        _("按年度的趋势"),
        _("本届各年度发现的问题（按发现日期）、移交的线索（按移交日期）和进驻的巡视巡察次数（按进驻日期）。"),
        marks,
    )


RANKINGS = {
    "rank_rates": (rank_rates, gettext_lazy("整改落实到位率排名")),
    "rank_overdue": (rank_overdue, gettext_lazy("超期整改任务排名")),
    "rank_problems_per_inspection": (
        rank_problems_per_inspection,
        gettext_lazy("每次巡视巡察发现问题数排名"),
    ),
    "rank_areas_coverage": (rank_areas_coverage, gettext_lazy("各区覆盖率排名")),
    "rank_areas_results": (rank_areas_results, gettext_lazy("各区巡察发现问题排名")),
    "trend_rounds": (trend_rounds, gettext_lazy("按轮次的趋势")),
    "trend_years": (trend_years, gettext_lazy("按年度的趋势")),
}
