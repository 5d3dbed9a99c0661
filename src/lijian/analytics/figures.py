"""Every figure of DESIGN.md §3 computed in one place, each with the records it counts.

A figure is a ``Figure``: its value, its numerator and denominator where it is a rate, its definition
(口径) in words, and the queryset of organisations behind it, so pages, the API, documents and
``lijian figures`` all show the same number and every number drills down to its list.
"""

from __future__ import annotations

import datetime
from bisect import bisect_left
from dataclasses import dataclass, field

from django.db.models import Count, Exists, Expression, F, IntegerField, OuterRef, Q, QuerySet, Sum, Value
from django.utils.translation import gettext as _

from lijian.core.permissions import subtree_q, subtree_range
from lijian.findings.models import Clue, Problem
from lijian.inspections.covered import (
    active_during,
    counted_on,
    inspected_by,
    inspected_organizations,
    jurisdiction,
)
from lijian.inspections.models import Group, Inspection, Round, RoundMember
from lijian.orgs.choices import GRASSROOTS_KINDS, BodyLevel, OrgKind
from lijian.orgs.models import InspectionBody, Organization, Term
from lijian.orgs.selectors import terms_current
from lijian.people.models import Cadre
from lijian.rectification.choices import AccountabilityAction
from lijian.rectification.models import Accountability, Interview, SelfCriticism
from lijian.rectification.rates import organizations_below, rates_by_organization


@dataclass
class Figure:
    key: str
    label: str
    value: float | int
    definition: str
    numerator: int | None = None
    denominator: int | None = None
    records: QuerySet | None = field(default=None, repr=False)  # what the number counts

    @property
    def is_rate(self) -> bool:
        return self.denominator is not None

    def as_dict(self) -> dict:
        data = {"value": self.value, "definition": self.definition}
        if self.is_rate:
            data.update(numerator=self.numerator, denominator=self.denominator)
        return data


# SQLite allows 500 terms in a compound SELECT; each query of ``count_each`` stays well under it.
COUNTS_PER_QUERY = 200


def count_each(querysets: list[QuerySet]) -> list[int]:
    """``[records.count() for records in querysets]``, read in one query (a UNION ALL of the counts)
    per ``COUNTS_PER_QUERY`` of them: a chart of many areas costs one round trip, not one each."""
    return [n for n, _meeting in count_each_meeting([(records, None) for records in querysets])]


def count_each_meeting(sets: list[tuple[QuerySet, Expression | Q | None]]) -> list[tuple[int, int]]:
    """For each (records, condition) of ``sets``: ``(records.count(), records.filter(condition).count())``
    (``0`` for no condition), read as ``count_each`` reads, one pass over each set's records."""
    counts: list[tuple[int, int]] = []
    for start in range(0, len(sets), COUNTS_PER_QUERY):
        parts = [
            records.order_by()
            .values(part=Value(start + i, output_field=IntegerField()))
            .annotate(
                n=Count("pk"), meeting=Count("pk", filter=condition) if condition is not None else Value(0)
            )
            .values_list("part", "n", "meeting")
            for i, (records, condition) in enumerate(sets[start : start + COUNTS_PER_QUERY])
        ]
        rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
        found = {part: (n, meeting) for part, n, meeting in rows}
        counts += [found.get(start + i, (0, 0)) for i in range(len(parts))]
    return counts


def counted(key: str, label: str, records: QuerySet, definition: str) -> Figure:
    """The figure that is the number of ``records``, which it lists."""
    return Figure(key, label, records.count(), definition, records=records)


def grassroots(root: Organization, on: datetime.date) -> QuerySet[Organization]:
    return Organization.objects.filter(subtree_q(root.path), active_during(on, on), kind__in=GRASSROOTS_KINDS)


def _inspected_in_current_term(on: datetime.date) -> Exists:
    """Whether the organisation of the outer row is inspected in a term current on ``on``."""
    return Exists(
        Inspection.objects.filter(
            counted_on(on), round__term__in=terms_current(on), organization=OuterRef("pk")
        )
    )


def grassroots_inspected(root: Organization, on: datetime.date) -> QuerySet[Organization]:
    return grassroots(root, on).filter(_inspected_in_current_term(on))


def grassroots_counts(
    root: Organization, places: list[Organization], on: datetime.date
) -> dict[int, tuple[int, int]]:
    """For each of ``places`` (organisations in ``root``'s subtree, ``root`` included), by primary key:
    ``(grassroots_inspected(place, on).count(), grassroots(place, on).count())``, read in one query."""
    rows = list(grassroots(root, on).annotate(hit=_inspected_in_current_term(on)).values_list("path", "hit"))
    hits = counts_in_subtrees(places, [path for path, hit in rows if hit])
    totals = counts_in_subtrees(places, [path for path, _hit in rows])
    return {place.pk: (hits[place.pk], totals[place.pk]) for place in places}


def counts_in_subtrees(places: list[Organization], paths) -> dict[int, int]:
    """For each of ``places`` by primary key, how many of ``paths`` (tree paths of records) lie in
    its subtree, itself included: records counted by area from one query's rows instead of a query
    per area (the paths sorted once, each area's a range of them)."""
    ordered = sorted(paths)
    counts = {}
    for place in places:
        low, high = subtree_range(place.path)
        counts[place.pk] = bisect_left(ordered, high) - bisect_left(ordered, low)
    return counts


def patrolled_organizations(root: Organization, on: datetime.date) -> QuerySet[Organization]:
    """Organisations in ``root``'s subtree patrolled (巡察, by any patrol body) in a current term."""
    hit = Inspection.objects.filter(
        counted_on(on),
        round__term__in=terms_current(on),
        round__body__level=BodyLevel.PATROL,
        organization=OuterRef("pk"),
    )
    return Organization.objects.filter(subtree_q(root.path), Exists(hit))


def _rate(n: int, d: int) -> float:
    return round(n / d, 4) if d else 0.0


def term_coverage(body: InspectionBody, term: Term, on: datetime.date) -> Figure:
    """The body's term coverage (DESIGN.md §3): its jurisdiction in the term that it has inspected by
    ``on``, over that jurisdiction; the records are the organisations covered."""
    return term_coverages([(body, term)], on)[0]


def term_coverages(pairs: list[tuple[InspectionBody, Term]], on: datetime.date) -> list[Figure]:
    """``term_coverage(body, term, on)`` of each (body, term) of ``pairs``, in their order, counted in
    one query whatever their number (``count_each_meeting``): the covered are the jurisdiction's
    organisations meeting ``inspected_by``, counted and listed by that one condition."""
    sets = [(jurisdiction(body, term), inspected_by(body, term, on)) for body, term in pairs]
    counts = count_each_meeting(sets)
    return [
        Figure(
            "term_coverage",
            _("本届覆盖率"),
            _rate(n_covered, n_scope),
            _("已巡视巡察的对象 ÷ 本届内存续过的巡视巡察对象。"),
            n_covered,
            n_scope,
            records=scope.filter(covered),
        )
        for (scope, covered), (n_scope, n_covered) in zip(sets, counts, strict=True)
    ]


def body_figures(body: InspectionBody, term: Term, on: datetime.date) -> dict[str, Figure]:
    """The figures of one body for a term at a reference date, by stable key (see the README)."""
    inspected = inspected_organizations(body, term, on)
    scope = jurisdiction(body, term)
    n_inspected, n_scope = inspected.count(), scope.count()
    rounds = Round.objects.filter(body=body, term=term, start__lte=on)
    grass_all, grass_hit = grassroots(body.owner_org, on), grassroots_inspected(body.owner_org, on)
    n_all, n_hit = grass_all.count(), grass_hit.count()
    patrolled = patrolled_organizations(body.owner_org, on)
    figures = {
        "rounds": Figure("rounds", _("轮次"), rounds.count(), _("本届内开始日期不晚于参考日期的轮次数。")),
        "inspected_organizations": Figure(
            "inspected_organizations",
            _("已巡视巡察党组织"),
            n_inspected,
            _("本机构本届各轮中、进驻日期不晚于参考日期的巡视巡察所涉及的不同党组织数。"),
            records=inspected,
        ),
        "jurisdiction_organizations": Figure(
            "jurisdiction_organizations",
            _("巡视巡察对象"),
            n_scope,
            _("由本机构负责巡视巡察、且在本届内存续过的党组织数。"),
            records=scope,
        ),
        "term_coverage": term_coverage(body, term, on),
        "grassroots_coverage": Figure(
            "grassroots_coverage",
            _("村（社区）巡察覆盖率"),
            _rate(n_hit, n_all),
            _(
                "辖区内在参考日期所在届次被巡视巡察过（进驻日期不晚于参考日期）的村、社区党组织 ÷ 辖区内参考日期存续的村、社区党组织。"
            ),
            n_hit,
            n_all,
            records=grass_hit,
        ),
        "patrolled_organizations": counted(
            "patrolled_organizations",
            _("辖区内已巡察党组织"),
            patrolled,
            _("辖区内在参考日期所在届次被各巡察机构巡察过（进驻日期不晚于参考日期）的不同党组织数。"),
        ),
    }
    figures.update(findings_figures(body, term, on))
    figures.update(rectification_figures(body, term, on))
    for kind, total, hit in _coverage_by_kind(scope, inspected):
        figures[f"coverage_{kind}"] = Figure(
            f"coverage_{kind}",
            _("%(kind)s覆盖率") % {"kind": OrgKind(kind).label},
            _rate(hit, total),
            _("该类对象中已巡视巡察的比例。"),
            hit,
            total,
            records=scope.filter(kind=kind, pk__in=inspected.values("pk")),
        )
    return figures


def counted_inspections(body: InspectionBody, term: Term, on: datetime.date) -> QuerySet[Inspection]:
    return Inspection.objects.filter(counted_on(on), round__body=body, round__term=term)


def problems_found(body: InspectionBody, term: Term, on: datetime.date) -> QuerySet[Problem]:
    """The records of the figure ``problems_found``: the problems of the body's counted inspections
    found by ``on``."""
    return Problem.objects.filter(inspection__in=counted_inspections(body, term, on), found_on__lte=on)


def clues_handled(body: InspectionBody, term: Term, on: datetime.date) -> dict[str, QuerySet[Clue]]:
    """The clues of the body's counted inspections as they stood on ``on``, the records of the clue
    figures: ``transferred`` by then, of those ``fed_back`` by then, ``on_time`` (fed back within
    their period) and ``overdue`` (past their period, not fed back)."""
    transferred = Clue.objects.filter(
        inspection__in=counted_inspections(body, term, on), transferred_on__lte=on
    )
    answered = transferred.filter(fed_back_on__lte=on)
    return {
        "transferred": transferred,
        "fed_back": answered,
        "on_time": answered.filter(fed_back_on__lte=F("due_on")),
        "overdue": transferred.filter(due_on__lt=on).exclude(fed_back_on__lte=on),
    }


def findings_figures(body: InspectionBody, term: Term, on: datetime.date) -> dict[str, Figure]:
    """Problems found and clue handling (DESIGN.md §3) of the body's counted inspections, as they
    stood on ``on``: a clue's state that day follows from its dates, not from its status today."""
    problems = problems_found(body, term, on)
    clues = clues_handled(body, term, on)
    transferred, answered, on_time, overdue = (
        clues["transferred"],
        clues["fed_back"],
        clues["on_time"],
        clues["overdue"],
    )
    outcomes = answered.aggregate(
        discipline=Sum("party_discipline"),
        organisational=Sum("organisational_handling"),
        judicial=Sum("judicial_transfers"),
        losses=Sum("losses_recovered"),
    )
    n_transferred, n_answered = transferred.count(), answered.count()
    figures = {
        "problems_found": counted(
            "problems_found",
            _("发现问题"),
            problems,
            _("本机构本届已进驻的巡视巡察中，发现日期不晚于参考日期的问题数。"),
        ),
        "clues_transferred": Figure(
            "clues_transferred",
            _("移交问题线索"),
            n_transferred,
            _("上述巡视巡察中移交日期不晚于参考日期的问题线索数。"),
            records=transferred,
        ),
        "clues_fed_back": Figure(
            "clues_fed_back",
            _("线索已反馈"),
            _rate(n_answered, n_transferred),
            _("已移交线索中，反馈日期不晚于参考日期的比例。"),
            n_answered,
            n_transferred,
            records=answered,
        ),
        "clues_fed_back_on_time": Figure(
            "clues_fed_back_on_time",
            _("线索按期反馈"),
            _rate(on_time.count(), n_transferred),
            _("已移交线索中，在反馈期限内（且不晚于参考日期）反馈的比例。"),
            on_time.count(),
            n_transferred,
            records=on_time,
        ),
        "clues_overdue": counted(
            "clues_overdue",
            _("线索超期未反馈"),
            overdue,
            _("已移交线索中，参考日期时已过反馈期限仍未反馈的数量。"),
        ),
        "cases_opened": counted(
            "cases_opened",
            _("立案审查调查"),
            answered.filter(result="case_opened"),
            _("参考日期前反馈为立案审查调查的线索数。"),
        ),
        "people_disciplined": Figure(
            "people_disciplined",
            _("党纪政务处分（人）"),
            outcomes["discipline"] or 0,
            _("参考日期前反馈的线索办理结果中给予党纪政务处分的人数。"),
        ),
        "people_organisational_handling": Figure(
            "people_organisational_handling",
            _("组织处理（人）"),
            outcomes["organisational"] or 0,
            _("参考日期前反馈的线索办理结果中给予组织处理的人数。"),
        ),
        "people_to_judicial_organs": Figure(
            "people_to_judicial_organs",
            _("移送司法机关（人）"),
            outcomes["judicial"] or 0,
            _("参考日期前反馈的线索办理结果中移送司法机关的人数。"),
        ),
        "losses_recovered": Figure(
            "losses_recovered",
            _("挽回经济损失（万元）"),
            float(outcomes["losses"] or 0),
            _("参考日期前反馈的线索办理结果中挽回的经济损失合计。"),
        ),
    }
    return figures


def rectification_figures(body: InspectionBody, term: Term, on: datetime.date) -> dict[str, Figure]:
    """The organisations below the body's threshold on the implementation rate, and the problems
    closed (DESIGN.md §3), from the one selector of the rates (``rectification.rates``); then the
    self-criticisms, interviews and accountability actions that follow from them."""
    rates = rates_by_organization(body, term, on)
    below = sorted(organizations_below(body, term, on, rates))  # never one inside its period
    closed = set().union(
        *(r["implementation_rate"].counted & r["completion_rate"].counted for r in rates.values())
    )
    return {
        "organizations_fed_back": Figure(
            "organizations_fed_back",
            _("已反馈的被巡视巡察党组织"),
            len(rates),
            _("本机构本届反馈日期不晚于参考日期的被巡视巡察党组织数（整改落实到位率的计算对象）。"),
            records=Organization.objects.filter(pk__in=list(rates)),
        ),
        "organizations_below_threshold": Figure(
            "organizations_below_threshold",
            _("整改落实到位率低于警戒线"),
            len(below),
            _(
                "整改落实到位率低于本机构警戒线（%(p)s%%）的被巡视巡察党组织数，须向党委作出深刻检查；"
                "整改期内（反馈之日起至整改报告期限）的不计入。"
            )
            % {"p": body.rectification_threshold},
            records=Organization.objects.filter(pk__in=below),
        ),
        "problems_closed": Figure(
            "problems_closed",
            _("已销号的问题"),
            len(closed),
            _("已反馈的问题中，参考日期时处于销号状态的问题数。"),
            records=Problem.objects.filter(pk__in=closed),
        ),
        **consequence_figures(body, term, on),
    }


def consequence_figures(body: InspectionBody, term: Term, on: datetime.date) -> dict[str, Figure]:
    """Self-criticisms, interviews and accountability of the body in the term as they stood on ``on``:
    each counted from its own dates (made due, submitted, accepted, held, decided), not its status today."""
    criticisms = SelfCriticism.objects.filter(body=body, term=term)
    in_term = (term.start, min(on, term.end))  # an empty range before the term starts
    interviews = Interview.objects.filter(body=body, held_on__range=in_term)
    actions = Accountability.objects.filter(body=body, decided_on__range=in_term)
    people = actions.order_by().values("organization", "subject_name").distinct().count()
    figures = {
        "self_criticisms_due": counted(
            "self_criticisms_due",
            _("须作深刻检查"),
            criticisms.filter(assessed_on__lte=on),
            _("本届整改落实到位率低于警戒线、认定日期不晚于参考日期的深刻检查数（含其后已提交、已通过的）。"),
        ),
        "self_criticisms_submitted": counted(
            "self_criticisms_submitted",
            _("已提交深刻检查"),
            criticisms.filter(submitted_on__lte=on),
            _("上述深刻检查中，（最近一次）提交日期不晚于参考日期的数量。"),
        ),
        "self_criticisms_accepted": counted(
            "self_criticisms_accepted",
            _("深刻检查已通过"),
            criticisms.filter(accepted_on__lte=on),
            _("上述深刻检查中，通过日期不晚于参考日期的数量。"),
        ),
        "interviews": counted(
            "interviews",
            _("约谈"),
            interviews,
            _("本机构在本届内、不晚于参考日期进行的约谈次数。"),
        ),
        "accountability_actions": counted(
            "accountability_actions",
            _("问责"),
            actions,
            _("本机构在本届内、决定日期不晚于参考日期的问责次数（一人多种方式各计一次）。"),
        ),
        "people_held_accountable": Figure(
            "people_held_accountable",
            _("被问责（人）"),
            people,
            _("上述问责涉及的不同人员数（同一党组织的同一姓名计为一人）。"),
            records=actions,
        ),
    }
    by_action = actions.order_by().values("action").annotate(n=Count("pk")).values_list("action", "n")
    for action, n in sorted(by_action):
        figures[f"accountability_{action}"] = Figure(
            f"accountability_{action}",
            _("问责：%(action)s") % {"action": AccountabilityAction(action).label},
            n,
            _("上述问责中问责方式为该方式的次数。"),
            records=actions.filter(action=action),
        )
    return figures


def rectification_rates_by_organization(
    body: InspectionBody, term: Term, on: datetime.date
) -> dict[str, dict]:
    """For ``lijian figures --json``: each fed-back organisation's two rates, by organisation code."""
    rates = rates_by_organization(body, term, on)
    codes = dict(Organization.objects.filter(pk__in=list(rates)).values_list("pk", "code"))
    return {codes[org]: {k: r.as_dict() for k, r in found.items()} for org, found in sorted(rates.items())}


def clue_results_by_department(body: InspectionBody, term: Term, on: datetime.date) -> dict[str, dict]:
    """For each department: clues transferred, answered, overdue and answered by result, on ``on``."""
    transferred = clues_handled(body, term, on)["transferred"]
    table: dict[str, dict] = {}
    for code, result, fed_back_on, due_on in transferred.values_list(
        "department__code", "result", "fed_back_on", "due_on"
    ):
        row = table.setdefault(code, {"transferred": 0, "fed_back": 0, "overdue": 0, "results": {}})
        row["transferred"] += 1
        if fed_back_on is not None and fed_back_on <= on:
            row["fed_back"] += 1
            row["results"][result] = row["results"].get(result, 0) + 1
        elif due_on < on:
            row["overdue"] += 1
    return dict(sorted(table.items()))


def _coverage_by_kind(scope: QuerySet, inspected: QuerySet):
    # order_by() drops the model's default ordering, which would otherwise split the groups.
    totals = dict(scope.order_by().values("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    hits = dict(
        scope.filter(pk__in=inspected.values("pk"))
        .order_by()
        .values("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    return [(kind, n, hits.get(kind, 0)) for kind, n in sorted(totals.items())]


def staffing_figures(
    root: Organization, on: datetime.date, young_max_age: int = 40
) -> dict[str, float | int]:
    """Bodies, groups, posts, pool, young cadres and cadres per round in ``root``'s subtree."""
    bodies = InspectionBody.objects.filter(subtree_q(root.path, "owner_org__path"))
    patrol = bodies.filter(level=BodyLevel.PATROL)
    pool = Cadre.objects.filter(subtree_q(root.path, "home_org__path"), in_pool=True)
    pool_size = pool.count()
    young = pool.filter(birth_year__gte=on.year - young_max_age).count()
    rounds = Round.objects.filter(body__in=bodies, staffed_at__isnull=False)
    per_round = (
        RoundMember.objects.filter(round__in=rounds).count() / rounds.count() if rounds.exists() else 0
    )
    return {
        "bodies": bodies.count(),
        "patrol_bodies": patrol.count(),
        "groups": Group.objects.filter(body__in=bodies, active=True).count(),
        "patrol_groups": Group.objects.filter(body__in=patrol, active=True).count(),
        "authorized_posts": bodies.aggregate(n=Sum("authorized_posts"))["n"] or 0,
        "patrol_posts": patrol.aggregate(n=Sum("authorized_posts"))["n"] or 0,
        "pool_size": pool_size,
        "young_share": _rate(young, pool_size),
        "cadres_per_round": round(per_round, 1),
    }


def all_figures(body: InspectionBody, term: Term, on: datetime.date) -> dict:
    """``lijian figures --json``: every figure built so far, by stable key."""
    return {
        "body": body.code,
        "term": term.name,
        "date": on.isoformat(),
        **{key: (f.as_dict() if f.is_rate else f.value) for key, f in body_figures(body, term, on).items()},
        "staffing": staffing_figures(body.owner_org, on),
        "clues_by_department": clue_results_by_department(body, term, on),
        "rectification_rates": rectification_rates_by_organization(body, term, on),
    }
