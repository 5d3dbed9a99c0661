"""The term's coverage plan on the database: coverage so far, what remains, and in which round still to
come each remaining organisation should go (placed by ``planner.coverage``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from lijian.orgs.models import Organization

from .choices import Stage
from .covered import inspected_organizations, jurisdiction
from .models import Inspection, OrgRisk, Round
from .planner.coverage import Candidate, CoveragePlan, Slot, plan_coverage
from .selectors import rules_for

ROUND_SPAN = datetime.timedelta(days=75)  # a regular round with its preparation and feedback
FORM_SPAN = datetime.timedelta(days=60)  # what the new-round form offers: two months
DAY = datetime.timedelta(days=1)


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
    groups: list[int] | None = None  # for a round to create: the groups free in its dates (pks)
    notes: list[str] = field(default_factory=list)  # what the office should know of its dates


def _occupied(rounds, active: list[int]) -> dict[int, set[int]]:
    """The standing groups each round keeps busy: those named for it or working on its targets; a
    round that names none yet is taken to need them all."""
    by_round: dict[int, set[int]] = {r.pk: set() for r in rounds}
    for round_id, group_id in Round.groups.through.objects.filter(round__in=rounds).values_list(
        "round_id", "group_id"
    ):
        by_round[round_id].add(group_id)
    for round_id, group_id in (
        Inspection.objects.filter(round__in=rounds, group__isnull=False)
        .exclude(stage=Stage.WITHDRAWN)
        .values_list("round_id", "group_id")
    ):
        by_round[round_id].add(group_id)
    return {pk: groups or set(active) for pk, groups in by_round.items()}


def _name(round_: Round) -> str:
    return _("第%(n)s轮（%(start)s至%(end)s）") % {
        "n": round_.number,
        "start": round_.start.isoformat(),
        "end": round_.end.isoformat(),
    }


class _Calendar:
    """The body's rounds already under way (or otherwise fixed) and the groups each keeps busy: where
    a new round may go without taking a group that is elsewhere."""

    def __init__(self, rounds, active: list[int]):
        self.rounds = list(rounds)
        self.active = active
        self.occupied = _occupied(self.rounds, active)

    def free(self, start: datetime.date, end: datetime.date) -> tuple[list[int], list[Round]]:
        """The active groups no round overlapping ``start``..``end`` keeps busy, and those rounds."""
        clashing = [r for r in self.rounds if r.start <= end and start <= r.end]
        busy = set().union(*(self.occupied[r.pk] for r in clashing))
        return [g for g in self.active if g not in busy], clashing

    def slots(self, start: datetime.date, until: datetime.date, span: datetime.timedelta):
        """Successive rounds of ``span`` from ``start`` while one still fits before ``until`` (30 days
        at least): each overlaps a round under way only while groups are free in it, else it waits
        for that round's end. Yields ``(start, end, free groups or None for all, clashing rounds)``."""
        while start + datetime.timedelta(days=30) <= until:
            end = min(until, start + span)
            free, clashing = self.free(start, end)
            if clashing and not free:
                start = max(r.end for r in clashing) + DAY
                continue
            yield start, end, (free if clashing else None), clashing
            start = end + DAY


def _overlap_note(clashing, free: list[int]) -> str:
    return _("与%(rounds)s时间重叠，由未参加的%(n)s个组承担。") % {
        "rounds": "、".join(_name(r) for r in clashing),
        "n": len(free),
    }


def next_round_dates(body, term, on: datetime.date) -> tuple[datetime.date, datetime.date] | None:
    """The dates the new-round form offers: two months from tomorrow at the earliest, inside the term,
    after the body's rounds of those dates unless some of its groups are free then; ``None`` when no
    round fits in the rest of the term."""
    active = list(body.groups.filter(active=True).values_list("pk", flat=True))
    calendar = _Calendar(Round.objects.filter(body=body, end__gt=on), active)
    first = max(on + DAY, term.start)
    for start, end, _free, _clashing in calendar.slots(first, term.end, FORM_SPAN):
        return start, end
    return None


@dataclass
class TermCoverage:
    """A body's term: how many organisations of its jurisdiction are covered out of ``total``, those
    ``remaining``, the rounds ``proposed`` for them and the optimiser's ``plan`` placing them."""

    covered: int
    total: int
    remaining: list[Organization]
    proposed: list[ProposedRound]
    plan: CoveragePlan


def risk_of(organizations) -> dict[int, int]:
    scores = dict(
        OrgRisk.objects.filter(organization__in=organizations).values_list("organization_id", "score")
    )
    return {o.pk: scores.get(o.pk, 50) for o in organizations}


def _note_dates(proposal: ProposedRound, calendar: _Calendar, on: datetime.date) -> None:
    """Say what is wrong with the dates of a round already set up: a start not after today, or an
    overlap with rounds under way that leaves it no group."""
    r = proposal.round
    if r.start <= on:
        proposal.notes.append(
            _("开始日期 %(start)s 不晚于今天：各组尚未进驻，请修改本轮日期。")
            % {"start": r.start.isoformat()}
        )
    free, clashing = calendar.free(r.start, r.end)
    if clashing and not free:
        proposal.notes.append(
            _("与%(rounds)s时间重叠，没有空闲的组：请推迟本轮。")
            % {"rounds": "、".join(_name(c) for c in clashing)}
        )


def term_coverage_for(body, term, on: datetime.date, *, time_limit: float = 10.0) -> TermCoverage:
    """Every organisation of the body's jurisdiction not yet covered in ``term`` placed in a round still
    to come — the body's unstarted rounds first, then new rounds of ``ROUND_SPAN`` until the term ends.

    New rounds start tomorrow at the earliest and never overlap a round of the body already on site
    unless some of its groups are free then (the new round gets those groups and their capacity);
    each round's ``notes`` say what the office should know of its dates (an existing round starting
    today or before, an overlap)."""
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
    active = list(body.groups.filter(active=True).values_list("pk", flat=True))
    # Rounds already on site (of any term of the body) keep their groups until they end.
    calendar = _Calendar(
        Round.objects.filter(body=body, end__gt=on).exclude(pk__in=[r.pk for r in open_rounds]),
        active,
    )
    for p in proposed:
        _note_dates(p, calendar, on)
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
    # New rounds start tomorrow at the earliest, after the body's rounds not yet on site.
    first = max([on, *[r.end for r in open_rounds]]) + DAY
    for start, end, free, clashing in calendar.slots(max(first, term.start), term.end, ROUND_SPAN):
        last_number += 1
        proposal = ProposedRound(last_number, start, end, capacity)
        if free is not None:
            proposal.capacity, proposal.groups = len(free) * rules.max_targets, free
            proposal.notes.append(_overlap_note(clashing, free))
        proposed.append(proposal)
    to_place = [o for o in remaining if o.pk not in planned_ids]
    risks = risk_of(to_place)
    plan = plan_coverage(
        [Candidate(o.pk, o.name, risks[o.pk], o.kind) for o in to_place],
        [Slot(k, f"第{p.number}轮", k, p.capacity) for k, p in enumerate(proposed)],
        time_limit=time_limit,
    )
    by_id = {o.pk: o for o in to_place}
    if plan.ok:
        for k, ids in plan.rounds.items():
            proposed[k].organizations = [by_id[i] for i in ids]
    return TermCoverage(len(covered_ids), total.count(), remaining, proposed, plan)
