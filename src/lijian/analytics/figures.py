"""Every figure of DESIGN.md §3 computed in one place, each with the records it counts.

A figure is a ``Figure``: its value, its numerator and denominator where it is a rate, its definition
(口径) in words, and the queryset of organisations behind it, so pages, the API, documents and
``lijian figures`` all show the same number and every number drills down to its list.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from lijian.core.permissions import subtree_q
from lijian.inspections.choices import Stage
from lijian.inspections.models import Group, Inspection, Round, RoundMember
from lijian.orgs.choices import GRASSROOTS_KINDS, BodyLevel, OrgKind
from lijian.orgs.models import InspectionBody, Organization, Term


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


def _counted(on: datetime.date) -> Q:
    """An inspection counts from the day its group went on site (never when withdrawn)."""
    return Q(onsite_start__isnull=False, onsite_start__lte=on) & ~Q(stage=Stage.WITHDRAWN)


def active_during(start: datetime.date, end: datetime.date) -> Q:
    return (Q(active_from__isnull=True) | Q(active_from__lte=end)) & (
        Q(active_to__isnull=True) | Q(active_to__gte=start)
    )


def jurisdiction(body: InspectionBody, term: Term) -> QuerySet[Organization]:
    """The organisations the body must cover that are active at some time during the term."""
    return Organization.objects.filter(active_during(term.start, term.end), supervising_body=body)


def inspected_organizations(body: InspectionBody, term: Term, on: datetime.date) -> QuerySet[Organization]:
    hit = Inspection.objects.filter(
        _counted(on), round__body=body, round__term=term, organization=OuterRef("pk")
    )
    return Organization.objects.filter(Exists(hit))


def _terms_containing(on: datetime.date) -> QuerySet[Term]:
    return Term.objects.filter(start__lte=on, end__gte=on)


def grassroots(root: Organization, on: datetime.date) -> QuerySet[Organization]:
    return Organization.objects.filter(subtree_q(root.path), active_during(on, on), kind__in=GRASSROOTS_KINDS)


def grassroots_inspected(root: Organization, on: datetime.date) -> QuerySet[Organization]:
    hit = Inspection.objects.filter(
        _counted(on), round__term__in=_terms_containing(on), organization=OuterRef("pk")
    )
    return grassroots(root, on).filter(Exists(hit))


def patrolled_organizations(root: Organization, on: datetime.date) -> QuerySet[Organization]:
    """Organisations in ``root``'s subtree patrolled (巡察, by any patrol body) in a current term."""
    hit = Inspection.objects.filter(
        _counted(on),
        round__term__in=_terms_containing(on),
        round__body__level=BodyLevel.PATROL,
        organization=OuterRef("pk"),
    )
    return Organization.objects.filter(subtree_q(root.path), Exists(hit))


def _rate(n: int, d: int) -> float:
    return round(n / d, 4) if d else 0.0


def body_figures(body: InspectionBody, term: Term, on: datetime.date) -> dict[str, Figure]:
    """The figures of one body for a term at a reference date, by stable key (see the README)."""
    inspected = inspected_organizations(body, term, on)
    scope = jurisdiction(body, term)
    n_inspected, n_scope = inspected.count(), scope.count()
    covered_in_scope = scope.filter(pk__in=inspected.values("pk")).count()
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
        "term_coverage": Figure(
            "term_coverage",
            _("本届覆盖率"),
            _rate(covered_in_scope, n_scope),
            _("已巡视巡察的对象 ÷ 本届内存续过的巡视巡察对象。"),
            covered_in_scope,
            n_scope,
            records=scope.filter(pk__in=inspected.values("pk")),
        ),
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
        "patrolled_organizations": Figure(
            "patrolled_organizations",
            _("辖区内已巡察党组织"),
            patrolled.count(),
            _("辖区内在参考日期所在届次被各巡察机构巡察过（进驻日期不晚于参考日期）的不同党组织数。"),
            records=patrolled,
        ),
    }
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
    from lijian.people.models import Cadre

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
    }
