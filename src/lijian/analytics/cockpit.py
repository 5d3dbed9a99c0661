"""The cockpit's charts (驾驶舱): each chart of a body, a term and a reference date as a list of marks.

A ``Mark`` is one bar, slice, area or point: its label, its value and the records it counts, taken
from the figures selectors (``figures``) and sliced, so a mark's value is always the number of its
records (a rate's numerator) and every mark drills down to exactly what it counts (``link`` says
where: a figure's own drill-down list, another page, or the cockpit's list of the mark's records).
The cockpit page, its API (``cockpit_api``) and its drill-down list (``cockpit_views``) read the
charts from ``CHARTS`` only.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lijian.core.params import BadParameter
from lijian.core.permissions import Perm, access_for, subtree_q
from lijian.findings.choices import ClueResult
from lijian.findings.models import Category, Clue
from lijian.inspections.covered import active_during, counted_on, jurisdiction
from lijian.inspections.models import Inspection, Round
from lijian.orgs.choices import OrgKind
from lijian.orgs.models import InspectionBody, Organization, Term
from lijian.orgs.selectors import terms_current
from lijian.rectification.models import RectificationTask
from lijian.rectification.rates import organizations_below, rates_by_organization

from .figures import (
    Figure,
    clues_handled,
    consequence_figures,
    counts_in_subtrees,
    grassroots_counts,
    grassroots_inspected,
    problems_found,
    term_coverage,
    term_coverages,
)

MAP_FILE = Path(__file__).resolve().parent.parent / "static" / "vendor" / "tianjin-map" / "tianjin.geojson"
MAP_NAME = "tianjin"
# The six central districts, a few pixels each on the whole city's map: drawn again, larger, beside it.
MAP_CENTRE = ("和平区", "河东区", "河西区", "南开区", "河北区", "红桥区")
RATE_BUCKETS = 10  # the distribution of implementation rates in steps of 10%
OVERDUE_AGES = ((1, 30), (31, 90), (91, 180), (181, None))  # days past the deadline
RANK_SIZE = 15


@dataclass
class Mark:
    """One mark of a chart. ``records`` are what it counts (its value, or a rate's numerator);
    ``link`` is the page that lists them when it is not the cockpit's own list (a figure's
    drill-down: ``("figure", body, term, key)``; a page: ``("url", path)``)."""

    key: str
    label: str
    value: float | int
    records: QuerySet | None = field(default=None, repr=False)
    numerator: int | None = None
    denominator: int | None = None
    series: str = ""
    link: tuple | None = None
    extra: dict = field(default_factory=dict)


@dataclass
class Chart:
    key: str
    title: str
    definition: str
    marks: list[Mark]
    meta: dict = field(default_factory=dict)


def _rate(n: int, d: int) -> float:
    return round(n / d, 4) if d else 0.0


def figure_mark(figure: Figure, body: InspectionBody, term: Term, *, key: str = "", series: str = "") -> Mark:
    """The mark of a whole figure, drilling down to the figure's own list."""
    return Mark(
        key or figure.key,
        figure.label,
        figure.numerator if figure.is_rate else figure.value,
        figure.records,
        figure.numerator,
        figure.denominator,
        series=series,
        link=("figure", body, term, figure.key),
    )


def term_time_share(term: Term, on: datetime.date) -> float:
    """How much of the term has passed on ``on`` (0 to 1): the pace full coverage by the term's end
    asks for, the target line of the coverage charts."""
    days = (term.end - term.start).days
    if days <= 0:
        return 1.0
    return round(min(max((on - term.start).days / days, 0), 1), 4)


def reference_date(term: Term, asked: datetime.date | None, today: datetime.date) -> datetime.date:
    """The reference date of the cockpit: ``asked``, else ``today``. Raises ``BadParameter`` (a 400
    with the reason in Chinese) for an asked date after today or before the term's start: figures
    cannot be known of the future, and before its start the term has none."""
    if asked is None:
        return today
    if asked > today:
        raise BadParameter(_("参考日期 %(day)s 不能晚于今天（%(today)s）。") % {"day": asked, "today": today})
    if asked < term.start:
        raise BadParameter(
            _("参考日期 %(day)s 不能早于%(term)s的开始日期（%(start)s）。")
            % {"day": asked, "term": term.name, "start": term.start}
        )
    return asked


@cache
def map_regions() -> tuple[str, ...]:
    """The district names of the vendored map of Tianjin (its features' names)."""
    with open(MAP_FILE, encoding="utf-8") as handle:
        return tuple(f["properties"]["name"] for f in json.load(handle)["features"])


REGION_KINDS = (OrgKind.DISTRICT_COMMITTEE, OrgKind.COUNTY_COMMITTEE)


def _region(place: Organization) -> str:
    """The map region a district or county committee stands for, by the name it holds
    (中共天津市和平区委员会 → 和平区); ``""`` for another organisation or a district off the map."""
    if place.kind not in REGION_KINDS:
        return ""
    return next((region for region in map_regions() if region in place.name), "")


def areas(body: InspectionBody, on: datetime.date) -> list[Organization]:
    """The areas of the body's jurisdiction: the organisations directly under its committee that
    exist on ``on`` and have organisations under them, in tree order."""
    owner = body.owner_org
    return list(
        Organization.objects.filter(
            subtree_q(owner.path), active_during(on, on), depth=owner.depth + 1, numchild__gt=0
        ).order_by("path")
    )


def area_places(body: InspectionBody, on: datetime.date) -> tuple[list[Organization], bool]:
    """The areas the charts by area show, and whether they are on the map: the districts of the map
    when any area is one (a city's), else every area."""
    places = areas(body, on)
    regions = [p for p in places if _region(p)]
    return (regions, True) if regions else (places, False)


def area_label(place: Organization) -> str:
    """An area's short name: its map region (和平区), else its name."""
    return _region(place) or place.name


def area_bodies(
    places: list[Organization], on: datetime.date
) -> list[tuple[Organization, InspectionBody, Term | None]]:
    """The areas of ``places`` that own a body (a city's districts), in the order of ``places``, each
    with that body (the first by code descending where an area owns several) and its term current on
    ``on`` (``None`` without one); read in two queries whatever the number of areas."""
    owned = {
        b.owner_org_id: b
        for b in InspectionBody.objects.filter(owner_org__in=places)
        .order_by("-code")
        .select_related("owner_org")
    }
    terms = {t.body_id: t for t in terms_current(on).filter(body__in=owned.values())} if owned else {}
    return [(place, owned[place.pk], terms.get(owned[place.pk].pk)) for place in places if place.pk in owned]


# --- the charts -----------------------------------------------------------------------------------


def chart_areas(body: InspectionBody, term: Term, on: datetime.date) -> Chart:
    """Coverage by area. Where the areas have bodies of their own (a city's districts), each is its
    body's term coverage in the term current on ``on``; otherwise each is this body's coverage of
    its objects in the area. The areas that are regions of the map (a city's districts), when there
    are any, are the only ones shown, on the map; otherwise every area is, as a tree map."""
    places, on_map = area_places(body, on)
    owned = area_bodies(places, on)
    marks = []
    if owned:
        owned = [(place, area_body, area_term) for place, area_body, area_term in owned if area_term]
        figures = term_coverages([(area_body, area_term) for _place, area_body, area_term in owned], on)
        for (place, area_body, area_term), figure in zip(owned, figures, strict=True):
            mark = figure_mark(figure, area_body, area_term, key=str(place.pk))
            mark.label, mark.value = area_label(place), figure.value
            mark.extra = {"body": area_body.name, "organization": place.name}
            marks.append(mark)
        definition = _("各区巡察机构参考日期所在届次的覆盖率（已巡察的对象 ÷ 本届内存续过的巡察对象）。")
    else:
        scope = jurisdiction(body, term)
        covered = term_coverage(body, term, on).records
        totals = counts_in_subtrees(places, scope.values_list("path", flat=True))
        hits = counts_in_subtrees(places, covered.values_list("path", flat=True))
        for place in places:
            n, d = hits[place.pk], totals[place.pk]
            if d:
                marks.append(
                    Mark(
                        str(place.pk),
                        place.name,
                        _rate(n, d),
                        covered.filter(subtree_q(place.path)),
                        n,
                        d,
                        extra={"organization": place.name},
                    )
                )
        definition = _("本机构本届各片区（下一级党组织及其下级）中已巡视巡察的对象 ÷ 该片区的巡视巡察对象。")
    regions = {str(p.pk): _region(p) for p in places}
    for mark in marks:
        mark.extra["region"] = regions[mark.key]
    meta = {"map": MAP_NAME, "inset": list(MAP_CENTRE)} if on_map else {"map": "", "inset": []}
    return Chart("areas", _areas_title(places, on_map or bool(owned)), definition, marks, meta)


def _areas_title(places: list[Organization], districts: bool) -> str:
    """What the areas chart shows, named by its areas: districts (on the map, or areas owning
    bodies), streets and towns, or the next level's organisations (片区)."""
    if districts:
        return _("各区覆盖情况")
    if places and all(p.kind in (OrgKind.STREET, OrgKind.TOWN) for p in places):
        return _("各街道（乡镇）覆盖情况")
    return _("各片区覆盖情况")


def chart_coverage(body: InspectionBody, term: Term, on: datetime.date) -> Chart:
    """The term coverage as covered and not yet covered, with the share of the term passed."""
    figure = term_coverage(body, term, on)
    remaining = jurisdiction(body, term).exclude(pk__in=figure.records.values("pk"))
    n_left = figure.denominator - figure.numerator
    return Chart(
        "coverage",
        _("本届巡视巡察覆盖率"),
        figure.definition + " " + _("目标线：届内全覆盖按时间进度应达到的比例。"),
        [
            figure_mark(figure, body, term, key="covered"),
            Mark("remaining", _("尚未巡视巡察"), n_left, remaining, n_left),
        ],
        {"rate": figure.value, "target": term_time_share(term, on), "total": figure.denominator},
    )


def chart_grassroots(body: InspectionBody, term: Term, on: datetime.date) -> Chart:
    """Village and community coverage of each area and of the whole jurisdiction, against the pace."""
    marks = []
    places = [body.owner_org, *areas(body, on)]
    counts = grassroots_counts(body.owner_org, places, on)
    for place in places:
        n, total = counts[place.pk]
        if not total:
            continue
        hit = grassroots_inspected(place, on)
        label = _("全辖区") if place == body.owner_org else area_label(place)
        marks.append(Mark(str(place.pk), label, _rate(n, total), hit, n, total))
    return Chart(
        "grassroots",
        _("村（社区）巡察覆盖率"),
        _(
            "辖区内在参考日期所在届次被巡视巡察过的村、社区党组织 ÷ 参考日期存续的村、社区党组织；"
            "目标线：届内全覆盖按时间进度应达到的比例。"
        ),
        marks,
        {"target": term_time_share(term, on)},
    )


def chart_problems_by_category(body: InspectionBody, term: Term, on: datetime.date) -> Chart:
    """Problems found by top-level category (a subcategory counts under its category)."""
    problems = problems_found(body, term, on)
    top = Coalesce("category__parent__parent_id", "category__parent_id", "category_id")
    counts = dict(
        problems.order_by().annotate(top=top).values("top").annotate(n=Count("pk")).values_list("top", "n")
    )
    marks = []
    for category in Category.objects.filter(pk__in=counts).order_by("framework_id", "code"):
        within = Q(category=category) | Q(category__parent=category) | Q(category__parent__parent=category)
        marks.append(Mark(str(category.pk), category.name, counts[category.pk], problems.filter(within)))
    return Chart(
        "problems_by_category",
        _("发现问题（按类别）"),
        _("本机构本届已进驻的巡视巡察中发现日期不晚于参考日期的问题，按问题的一级类别。"),
        marks,
    )


def rounds_begun(body: InspectionBody, term: Term, on: datetime.date) -> list[Round]:
    return list(Round.objects.filter(body=body, term=term, start__lte=on).order_by("start", "number"))


def round_label(round_: Round) -> str:
    return _("第%(n)s轮") % {"n": round_.number}


def chart_problems_by_round(body: InspectionBody, term: Term, on: datetime.date) -> Chart:
    problems = problems_found(body, term, on)
    counts = dict(
        problems.order_by()
        .values("inspection__round")
        .annotate(n=Count("pk"))
        .values_list("inspection__round", "n")
    )
    marks = [
        Mark(str(r.pk), round_label(r), counts.get(r.pk, 0), problems.filter(inspection__round=r))
        for r in rounds_begun(body, term, on)
    ]
    return Chart(
        "problems_by_round",
        _("发现问题（按轮次）"),
        _("本机构本届已进驻的巡视巡察中发现日期不晚于参考日期的问题，按轮次。"),
        marks,
    )


def chart_rates(body: InspectionBody, term: Term, on: datetime.date) -> Chart:
    """The organisations fed back, by their implementation rate in steps of 10%, and those below the
    body's threshold (past their rectification period) named."""
    rates = rates_by_organization(body, term, on)
    buckets: list[list[int]] = [[] for _i in range(RATE_BUCKETS)]
    for org, found in rates.items():
        buckets[min(int(found["implementation_rate"].value * RATE_BUCKETS), RATE_BUCKETS - 1)].append(org)
    step = 100 // RATE_BUCKETS
    marks = [
        Mark(
            f"{i * step}",
            f"{i * step}–{(i + 1) * step}%",
            len(orgs),
            Organization.objects.filter(pk__in=orgs),
            extra={"from": i * step},
        )
        for i, orgs in enumerate(buckets)
    ]
    below = sorted(organizations_below(body, term, on, rates))
    names = dict(Organization.objects.filter(pk__in=below).values_list("pk", "name"))
    below_list = sorted(
        ({"name": names[pk], "rate": rates[pk]["implementation_rate"].value} for pk in below),
        key=lambda row: (row["rate"], row["name"]),
    )
    marks.append(
        Mark(
            "below",
            _("低于警戒线"),
            len(below),
            Organization.objects.filter(pk__in=below),
            series="below",
            link=("figure", body, term, "organizations_below_threshold"),
        )
    )
    return Chart(
        "rates",
        _("整改落实到位率分布"),
        _("已反馈的被巡视巡察党组织按整改落实到位率分段的个数；警戒线以下且已过整改期的单位列出。"),
        marks,
        {"threshold": body.rectification_threshold, "below": below_list},
    )


def chart_clues(body: InspectionBody, term: Term, on: datetime.date) -> Chart:
    """Clue handling by receiving department: transferred, answered, overdue, and the answers by result."""
    clues = clues_handled(body, term, on)
    sets = {
        "transferred": (_("已移交"), clues["transferred"]),
        "fed_back": (_("已反馈"), clues["fed_back"]),
        "overdue": (_("超期未反馈"), clues["overdue"]),
    }
    departments = dict(
        Clue.objects.filter(pk__in=sets["transferred"][1].values("pk"))
        .order_by("department__code")
        .values_list("department_id", "department__name")
    )
    marks = []
    for series, (label, clues) in sets.items():
        counts = dict(
            clues.order_by().values("department").annotate(n=Count("pk")).values_list("department", "n")
        )
        for dept, name in departments.items():
            marks.append(
                Mark(
                    f"{series}-{dept}",
                    name,
                    counts.get(dept, 0),
                    clues.filter(department=dept),
                    series=series,
                    extra={"series_label": label},
                )
            )
    answered = sets["fed_back"][1]
    results = dict(answered.order_by().values("result").annotate(n=Count("pk")).values_list("result", "n"))
    for result, label in ClueResult.choices:
        if results.get(result):
            marks.append(
                Mark(
                    f"result-{result}",
                    str(label),
                    results[result],
                    answered.filter(result=result),
                    series="result",
                )
            )
    return Chart(
        "clues",
        _("问题线索办理（按部门）"),
        _("移交日期不晚于参考日期的线索，按承办部门：已移交、已反馈、超期未反馈；已反馈线索的办理结果。"),
        marks,
    )


def overdue_tasks(body: InspectionBody, term: Term, on: datetime.date) -> QuerySet[RectificationTask]:
    """Tasks on the body's problems of the term whose deadline passed before ``on`` and that were not
    completed by then."""
    return RectificationTask.objects.filter(
        problem__in=problems_found(body, term, on).values("pk"), deadline__lt=on
    ).exclude(completed_on__lte=on)


def chart_overdue_tasks(body: InspectionBody, term: Term, on: datetime.date) -> Chart:
    tasks = overdue_tasks(body, term, on)
    spans = {}
    for low, high in OVERDUE_AGES:
        span = Q(deadline__lte=on - datetime.timedelta(days=low))
        if high is not None:
            span &= Q(deadline__gte=on - datetime.timedelta(days=high))
        spans[low] = span
    # every age counted in one pass over the tasks, each by the filter its mark lists
    counts = tasks.aggregate(**{f"age_{low}": Count("pk", filter=span) for low, span in spans.items()})
    marks = []
    for low, high in OVERDUE_AGES:
        label = (
            _("%(low)s–%(high)s天") % {"low": low, "high": high}
            if high
            else _("%(low)s天以上") % {"low": low - 1}
        )
        marks.append(Mark(f"{low}", label, counts[f"age_{low}"], tasks.filter(spans[low])))
    return Chart(
        "overdue_tasks",
        _("超期整改任务（按超期天数）"),
        _("本届问题的整改任务中，完成时限早于参考日期、参考日期时仍未完成的任务，按超过时限的天数。"),
        marks,
    )


def chart_consequences(body: InspectionBody, term: Term, on: datetime.date) -> Chart:
    """Interviews, accountability by kind and self-criticisms, each its figure."""
    figures = consequence_figures(body, term, on)
    marks = [figure_mark(figures["interviews"], body, term, series="interviews")]
    marks += [
        figure_mark(f, body, term, series="accountability")
        for key, f in figures.items()
        if key.startswith("accountability_") and key != "accountability_actions"
    ]
    marks += [
        figure_mark(figures[key], body, term, series="self_criticisms")
        for key in ("self_criticisms_due", "self_criticisms_submitted", "self_criticisms_accepted")
    ]
    return Chart(
        "consequences",
        _("约谈、问责和深刻检查"),
        _("本机构本届不晚于参考日期的约谈次数、按方式的问责次数和深刻检查。"),
        marks,
    )


def chart_timeline(body: InspectionBody, term: Term, on: datetime.date) -> Chart:
    """Every round of the term, with the organisations it had inspected by ``on``."""
    marks = []
    rounds = list(Round.objects.filter(body=body, term=term).order_by("start", "number"))
    counted = Inspection.objects.filter(counted_on(on), round__in=rounds)
    counts = dict(
        counted.order_by()
        .values("round")
        .annotate(n=Count("organization", distinct=True))
        .values_list("round", "n")
    )
    for round_ in rounds:
        orgs = Organization.objects.filter(pk__in=counted.filter(round=round_).values("organization"))
        marks.append(
            Mark(
                str(round_.pk),
                round_label(round_),
                counts.get(round_.pk, 0),
                orgs,
                extra={
                    "start": round_.start.isoformat(),
                    "end": round_.end.isoformat(),
                    "kind": round_.get_kind_display(),
                    "theme": round_.theme,
                    "page": ("inspections:round", round_.pk),
                },
            )
        )
    return Chart(
        "timeline",
        _("轮次时间轴"),
        _("本届各轮的起止日期和进驻日期不晚于参考日期的巡视巡察对象数。"),
        marks,
        {"on": on.isoformat(), "start": term.start.isoformat(), "end": term.end.isoformat()},
    )


CHARTS: dict[str, tuple[Callable[[InspectionBody, Term, datetime.date], Chart], object]] = {
    "areas": (chart_areas, gettext_lazy("各区覆盖情况（地图）")),
    "coverage": (chart_coverage, gettext_lazy("本届覆盖率和规划进度")),
    "grassroots": (chart_grassroots, gettext_lazy("村（社区）巡察覆盖率和目标线")),
    "problems_by_category": (chart_problems_by_category, gettext_lazy("发现问题（按类别）")),
    "problems_by_round": (chart_problems_by_round, gettext_lazy("发现问题（按轮次）")),
    "rates": (chart_rates, gettext_lazy("整改落实到位率分布和警戒线")),
    "clues": (chart_clues, gettext_lazy("问题线索办理（按部门）")),
    "overdue_tasks": (chart_overdue_tasks, gettext_lazy("超期整改任务（按超期天数）")),
    "consequences": (chart_consequences, gettext_lazy("约谈、问责和深刻检查")),
    "timeline": (chart_timeline, gettext_lazy("轮次时间轴")),
}


def cockpit_body_default(user) -> InspectionBody | None:
    """The body whose cockpit the user sees first: the highest in the user's figure scope."""
    return (
        InspectionBody.objects.filter(access_for(user).q(Perm.FIGURES_VIEW, "owner_org__path"))
        .select_related("owner_org")
        .order_by("owner_org__depth", "level", "code")
        .first()
    )


def cockpit_bodies(user) -> QuerySet[InspectionBody]:
    """The bodies whose cockpit the user may open, the highest first."""
    return (
        InspectionBody.objects.filter(access_for(user).q(Perm.FIGURES_VIEW, "owner_org__path"))
        .select_related("owner_org")
        .order_by("owner_org__depth", "owner_org__path", "code")
    )


def cockpit_strings() -> dict[str, str]:
    """The words the charts' script shows, in the page's language."""
    return {
        "target": _("目标线"),
        "threshold": _("警戒线"),
        "time": _("时间进度"),
        "covered": _("已覆盖"),
        "save": _("保存为图片"),
        "empty": _("暂无数据"),
        "failed": _("图表加载失败"),
        "on": _("参考日期"),
        "below": _("低于警戒线的单位"),
        "count": _("数量"),
        "centre": _("市内六区"),
        "schematic": _("示意图"),
    }
