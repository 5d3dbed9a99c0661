"""The term plan on the database: coverage so far, what remains, and where it should go."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q

from lijian.analytics.figures import inspected_organizations, jurisdiction
from lijian.orgs.models import Organization

from .choices import Stage
from .models import Inspection, OrgRisk, Round
from .planner.termplan import Candidate, Slot, TermPlan, plan_term
from .selectors import rules_for

ROUND_SPAN = datetime.timedelta(days=75)  # a regular round with its preparation and feedback


@dataclass
class ProposedRound:
    """A round of the plan: an existing one that has not gone on site yet, or one to create."""

    number: int
    start: datetime.date
    end: datetime.date
    capacity: int
    round: Round | None = None
    organizations: list[Organization] = field(default_factory=list)  # placed here by the plan
    planned: list[Organization] = field(default_factory=list)  # already targets, not yet on site


@dataclass
class TermPlanView:
    covered: int
    total: int
    remaining: list[Organization]
    proposed: list[ProposedRound]
    plan: TermPlan


def risk_of(organizations) -> dict[int, int]:
    scores = dict(
        OrgRisk.objects.filter(organization__in=organizations).values_list("organization_id", "score")
    )
    return {o.pk: scores.get(o.pk, 50) for o in organizations}


def term_plan_for(body, term, on: datetime.date, *, time_limit: float = 10.0) -> TermPlanView:
    """Every organisation of the body's jurisdiction not yet covered in ``term`` placed in a round still
    to come — the body's unstarted rounds first, then new rounds of ``ROUND_SPAN`` until the term ends."""
    total = jurisdiction(body, term)
    # Only organisations of the jurisdiction count, as in ``body_figures``'s term coverage.
    covered_ids = set(
        total.filter(pk__in=inspected_organizations(body, term, term.end).values("pk")).values_list(
            "pk", flat=True
        )
    )
    waiting = (
        Inspection.objects.filter(round__body=body, round__term=term, onsite_start__isnull=True)
        .exclude(stage=Stage.WITHDRAWN)
        .select_related("organization", "round")
        .order_by("organization__path")
    )
    planned_ids = {i.organization_id for i in waiting}
    remaining = list(total.exclude(pk__in=covered_ids).order_by("path"))
    rules = rules_for(body)
    groups = body.groups.filter(active=True).count() or 1
    capacity = groups * rules.max_targets
    open_rounds = list(
        Round.objects.filter(body=body, term=term)
        .filter(Q(start__gt=on) | Q(staffed_at__isnull=True))
        .exclude(inspections__onsite_start__isnull=False)
        .annotate(targets=Count("inspections", filter=~Q(inspections__stage=Stage.WITHDRAWN), distinct=True))
        .order_by("start")
    )
    proposed = [ProposedRound(r.number, r.start, r.end, max(0, capacity - r.targets), r) for r in open_rounds]
    # Rounds under way keep their targets that have not gone on site yet; they take no new ones.
    by_round = {p.round.pk: p for p in proposed}
    for inspection in waiting:
        r = inspection.round
        if r.pk not in by_round:
            by_round[r.pk] = ProposedRound(r.number, r.start, r.end, 0, r)
            proposed.append(by_round[r.pk])
        by_round[r.pk].planned.append(inspection.organization)
    proposed.sort(key=lambda p: p.start)
    last_number = (
        Round.objects.filter(body=body, term=term)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
        or 0
    )
    start = max([on, *[r.end for r in open_rounds]]) + datetime.timedelta(days=1)
    while start + datetime.timedelta(days=30) <= term.end:
        last_number += 1
        proposed.append(ProposedRound(last_number, start, min(term.end, start + ROUND_SPAN), capacity))
        start += ROUND_SPAN + datetime.timedelta(days=1)
    to_place = [o for o in remaining if o.pk not in planned_ids]
    risks = risk_of(to_place)
    plan = plan_term(
        [Candidate(o.pk, o.name, risks[o.pk], o.kind) for o in to_place],
        [Slot(k, f"第{p.number}轮", k, p.capacity) for k, p in enumerate(proposed)],
        time_limit=time_limit,
    )
    by_id = {o.pk: o for o in to_place}
    if plan.ok:
        for k, ids in plan.rounds.items():
            proposed[k].organizations = [by_id[i] for i in ids]
    return TermPlanView(len(covered_ids), total.count(), remaining, proposed, plan)
