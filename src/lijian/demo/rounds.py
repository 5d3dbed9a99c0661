"""The Tianjin term's rounds, planned and staffed by the product itself.

Nothing here writes a figure: the demo decides what an office would decide (how many rounds, when,
how many organisations each, a manual risk score per organisation: ``policy.rounds``) and the term
planner picks the organisations, the optimiser staffs the groups from the pools, and the stage
services carry every inspection from preparation to rectification. The seed's figures then come
out of the selectors:

- the city: 5 rounds (3 regular ones reach all 51 SOEs, the riskiest), 126 organisations inspected,
  4,730 problems found, clues answered by the departments (``demo.findings``);
- districts, universities and the public security bureau: 3,844 organisations patrolled, of which
  2,696 of the 5,617 villages and communities (48%; each district its own share, from about a
  quarter to seven tenths), towns taking their villages along (巡镇带村),
  streets their communities (巡街带社区); each body's first rounds find problems (``demo.patrol``).

The city's feedback goes through the rectification service; ``demo.rectification`` then carries
the term's rectification on to the seed's consequences (M10–M12).
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass

from lijian.analytics.figures import inspected_organizations, jurisdiction
from lijian.demo.accounts import ensure_liaisons
from lijian.demo.findings import CityFindings
from lijian.demo.patrol import PatrolFindings
from lijian.demo.policy.rounds import (
    CITY_ROUNDS,
    DISTRICT_START,
    FEEDBACK_AFTER,
    GRASSROOTS_PATROLLED,
    LEAVE_AFTER,
    LOOKBACK_STARTED,
    ONSITE_AFTER,
    PATROLLED_IN_ALL,
    RECTIFYING_AFTER,
    ROUND_GAP,
    SEED,
    risk_score,
    split_by_weight,
    towns_in_order,
    units_taken,
    village_quotas,
)
from lijian.demo.vocabulary.findings import PSB
from lijian.demo.vocabulary.people import top_leader
from lijian.demo.vocabulary.rectification import FEEDBACK_REQUIREMENTS
from lijian.inspections import round_staffing, services
from lijian.inspections.models import Inspection, OrgRisk, Round
from lijian.inspections.planner.coverage import Candidate, Slot, plan_coverage
from lijian.orgs.choices import GRASSROOTS_KINDS, OrgKind
from lijian.orgs.models import InspectionBody, Organization
from lijian.orgs.selectors import term_current
from lijian.petitions.services import petition_file_public
from lijian.rectification.services import feedback_give

D = datetime.date
Progress = Callable[[str, int, int | None], None]


def _risk(actor, organizations, rng: random.Random, high_kinds=()) -> None:
    for org in organizations:
        score = risk_score(rng, org.kind, high_kinds)
        services.risk_set(actor=actor, organization=org, score=score, note="演示：按信访和审计情况评估")


def _pick(candidates: list[Organization], count: int, kinds=None) -> list[Organization]:
    """The term planner's choice for the next round: the ``count`` riskiest that may go in it."""
    risk = dict(OrgRisk.objects.filter(organization__in=candidates).values_list("organization_id", "score"))
    plan = plan_coverage(
        [Candidate(o.pk, o.name, risk.get(o.pk, 50), o.kind) for o in candidates],
        [Slot(0, "本轮", 0, count, frozenset(kinds or ())), Slot(1, "以后", 1, len(candidates))],
        time_limit=5,
    )
    chosen = set(plan.rounds[0])
    return [o for o in candidates if o.pk in chosen]


def _carry_through(
    actor, inspection, start: D, today: D, findings=None, until_onsite=False, office=None
) -> None:
    """Prepare, go on site a week in, leave after six weeks, feed back a month later; rounds a year old
    are in rectification by now. ``findings`` (the city's) records what the group finds on the way;
    ``until_onsite`` stops with the group on site (a round under way today).

    Where the group found problems (the city), the feedback is given through the rectification
    service by ``office``: the feedback document, the report deadline, and the problems moved into
    rectification, where ``demo.rectification`` takes them on (a patrol body's worked rounds:
    ``demo.patrol``). Without findings the feedback is the stage move alone: nothing to rectify, no
    report falling due."""
    onsite, feedback = start + ONSITE_AFTER, start + FEEDBACK_AFTER
    services.inspection_prepare(actor=actor, inspection=inspection)
    services.inspection_enter_site(actor=actor, inspection=inspection, on=onsite)
    if until_onsite:
        return
    if findings:
        findings.on_site(inspection, onsite)
    services.inspection_leave_site(actor=actor, inspection=inspection, on=start + LEAVE_AFTER)
    if findings:
        findings.on_report(inspection)
        name, post = top_leader(inspection.organization)
        committee = inspection.round.body.owner_org.name.replace("委员会", "委")
        # the office set up the organisation's liaison account before the feedback (were it
        # missing, feedback tells the office to create it: one message per organisation)
        ensure_liaisons([inspection.organization])
        feedback_give(
            actor=office or actor,
            inspection=inspection,
            held_on=feedback,
            given_by=f"{committee}{inspection.group.name}组长",
            received_by=f"{post}{name}",
            requirements=FEEDBACK_REQUIREMENTS,
        )
    else:
        services.inspection_feed_back(actor=actor, inspection=inspection, on=feedback)
    services.inspection_transfer(actor=actor, inspection=inspection)
    if findings:
        findings.on_transfer(inspection, feedback)
        findings.psb_follow_up(inspection, feedback)
    if start + RECTIFYING_AFTER < today:
        services.inspection_start_rectification(actor=actor, inspection=inspection)


@dataclass
class RoundOutcome:
    round: Round
    seconds: float


def run_round(
    actor,
    body,
    term,
    number: int,
    kind: str,
    start: D,
    targets,
    *,
    theme: str = "",
    time_limit: int = 5,
    today: D,
    grassroots: dict[int, list[Organization]] | None = None,
    findings=None,
    until_onsite: bool = False,
    office=None,
) -> RoundOutcome:
    """Open the round, let the optimiser staff it, confirm, and carry every inspection through
    (``office`` gives the feedback; ``actor`` when none)."""
    round_ = services.round_create(
        actor=actor,
        body=body,
        term=term,
        number=number,
        kind=kind,
        start=start,
        end=start + FEEDBACK_AFTER,
        theme=theme,
        groups=list(body.groups.filter(active=True)),
    )
    services.round_add_targets(actor=actor, round_=round_, organizations=targets)
    # On a busy machine the solver may need longer than usual to find the first plan: try again with
    # more time before giving up (a plan that is infeasible stays so and fails on the last try).
    for attempt in range(3):
        run = round_staffing.plan_run_submit(
            actor=actor, round_=round_, time_limit=time_limit * 2**attempt, background=False
        )
        if run.status == "done":
            break
    else:
        raise RuntimeError(f"{round_}: {run.get_status_display()} {run.problems}")
    round_staffing.plan_confirm(actor=actor, run=run)
    inspections = round_.inspections.select_related("organization", "group", "round__body__owner_org")
    for inspection in inspections:
        _carry_through(actor, inspection, start, today, findings, until_onsite, office)
        villages = (grassroots or {}).get(inspection.organization_id)
        if villages:
            services.inspection_extend_to_grassroots(
                actor=actor, inspection=inspection, organizations=villages
            )
    return RoundOutcome(round_, run.seconds)


def city_rounds(actor, today: D, progress: Progress) -> int:
    body = InspectionBody.objects.select_related("owner_org").get(code="TJ-XSB")
    term = term_current(body, today)
    rng = random.Random(SEED)
    _risk(actor, jurisdiction(body, term).order_by("path"), rng, high_kinds={OrgKind.SOE})
    # Petitions about the public security bureau made it the riskiest department (the account's case).
    services.risk_set(
        actor=actor, organization=Organization.objects.get(code=PSB), score=99, note="演示：信访反映集中"
    )
    findings = CityFindings(actor, sum(r[3] for r in CITY_ROUNDS), today)
    for k, (number, kind, start, count, kinds, theme) in enumerate(CITY_ROUNDS):
        progress("市委巡视：编组和推进", k, len(CITY_ROUNDS))
        covered = set(inspected_organizations(body, term, today).values_list("pk", flat=True))
        remaining = list(jurisdiction(body, term).exclude(pk__in=covered).order_by("path"))
        run_round(
            actor,
            body,
            term,
            number,
            kind,
            start,
            _pick(remaining, count, kinds),
            theme=theme,
            time_limit=8,
            today=today,
            findings=findings,
            office=findings.office,
        )
    progress("市委巡视：编组和推进", len(CITY_ROUNDS), len(CITY_ROUNDS))
    return len(CITY_ROUNDS)


def _children(org: Organization):
    return Organization.objects.filter(path__startswith=org.path, depth=org.depth + 1).order_by("path")


def patrol_rounds(actor, today: D, progress: Progress) -> int:
    """Districts (towns with their villages, district units), universities (colleges) and the public
    security bureau (its subordinate units), in rounds from the autumn of 2022 to the summer of 2025."""
    rng = random.Random(SEED + 1)
    districts = list(Organization.objects.filter(kind=OrgKind.DISTRICT_COMMITTEE).order_by("path"))
    towns = {
        d.pk: [t for t in _children(d) if t.kind in (OrgKind.TOWN, OrgKind.STREET, OrgKind.OTHER)]
        for d in districts
    }
    villages = {
        t.pk: [v for v in _children(t) if v.kind in GRASSROOTS_KINDS] for ts in towns.values() for t in ts
    }
    village_quota = village_quotas({d.pk: sum(len(villages[t.pk]) for t in towns[d.pk]) for d in districts})
    plans, town_count = {}, 0
    for d in districts:  # towns in order of risk until the district's share of villages is reached
        ordered = towns_in_order(rng, towns[d.pk])
        chosen, taken = {}, 0
        for town in ordered:
            if taken >= village_quota[d.pk]:
                break
            these = villages[town.pk][: village_quota[d.pk] - taken]
            chosen[town.pk] = these
            taken += len(these)
        plans[d.pk] = chosen
        town_count += len(chosen)
    university_units = list(Organization.objects.filter(supervising_body__owner_org__kind=OrgKind.UNIVERSITY))
    bureau_units = list(Organization.objects.filter(supervising_body__owner_org__code="TJ-D032"))
    unit_total = (
        PATROLLED_IN_ALL - GRASSROOTS_PATROLLED - town_count - len(university_units) - len(bureau_units)
    )
    per_district = {
        d.pk: [o for o in _children(d) if o.kind in (OrgKind.DEPARTMENT, OrgKind.INSTITUTION)]
        for d in districts
    }
    unit_quota = split_by_weight(unit_total, {d.pk: len(per_district[d.pk]) for d in districts})
    done = 0
    for k, district in enumerate(districts):
        progress("区委巡察：编组和推进", k, len(districts))
        body = InspectionBody.objects.select_related("owner_org").get(owner_org=district, level="patrol")
        town_orgs = [t for t in towns[district.pk] if t.pk in plans[district.pk]]
        units = units_taken(rng, per_district[district.pk], unit_quota[district.pk])
        _risk(actor, town_orgs + units, rng)
        done += _rounds_for(actor, body, town_orgs + units, today, grassroots=plans[district.pk])
    progress("区委巡察：编组和推进", len(districts), len(districts))
    others = list(
        InspectionBody.objects.filter(level="patrol")
        .exclude(owner_org__kind=OrgKind.DISTRICT_COMMITTEE)
        .filter(groups__isnull=False)
        .select_related("owner_org")
        .distinct()
        .order_by("code")
    )
    for k, body in enumerate(others):
        progress("高校和部门巡察：编组和推进", k, len(others))
        targets = list(Organization.objects.filter(supervising_body=body).order_by("path"))
        _risk(actor, targets, rng)
        done += _rounds_for(actor, body, targets, today)
    progress("高校和部门巡察：编组和推进", len(others), len(others))
    return done


def _theme(chosen: list[Organization], grassroots) -> str:
    """巡镇带村 where a town takes its villages along, 巡街带社区 where a street its communities; a
    round taking other grassroots along (a town's communities) says so plainly."""
    pairs = {(o.kind, v.kind) for o in chosen for v in (grassroots or {}).get(o.pk, ())}
    named = (
        ((OrgKind.TOWN, OrgKind.VILLAGE), "巡镇带村"),
        ((OrgKind.STREET, OrgKind.COMMUNITY), "巡街带社区"),
    )
    themes = [theme for pair, theme in named if pair in pairs] or (["巡察延伸到村（社区）"] if pairs else [])
    return "、".join(themes) or "常规巡察"


def _rounds_for(actor, body, targets: list[Organization], today: D, grassroots=None) -> int:
    """All ``targets`` over as few rounds as the body's groups allow, riskiest first."""
    if not targets:
        return 0
    term = term_current(body, today)
    capacity = body.groups.filter(active=True).count() * round_staffing.rules_for(body).max_targets
    work = PatrolFindings(actor, body, today, grassroots)  # its first rounds find problems
    number = 0
    remaining = list(targets)
    while remaining:
        number += 1
        start = DISTRICT_START + ROUND_GAP * (number - 1)
        chosen = _pick(remaining, min(capacity, len(remaining)))
        run_round(
            actor,
            body,
            term,
            number,
            "regular",
            start,
            chosen,
            theme=_theme(chosen, grassroots),
            time_limit=3,
            today=today,
            grassroots=grassroots,
            findings=work.for_round(number),
            office=work.office,
        )
        remaining = [o for o in remaining if o not in chosen]
    return number


def lookback_under_way(actor, today: D) -> int:
    """和平区's look-back round (回头看) under way today: a group back on site at two streets it
    patrolled and fed back earlier in the term, so the QR reporting form, the petitions inbox and the
    fieldwork pages have a live inspection. The streets were patrolled already, so no coverage
    figure moves."""
    body = InspectionBody.objects.select_related("owner_org").get(code="XCB-120101")
    term = term_current(body, today)
    streets = Inspection.objects.filter(
        round__body=body, round__term=term, onsite_start__isnull=False, organization__kind=OrgKind.STREET
    )
    fed_back = set(streets.filter(feedback__isnull=False).values_list("organization", flat=True))
    patrolled = Organization.objects.filter(pk__in=streets.values("organization")).order_by("path")
    # the streets fed back first: the look-back checks what they rectified
    targets = sorted(patrolled, key=lambda o: o.pk not in fed_back)[:2]
    number = (
        body.rounds.filter(term=term).order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    outcome = run_round(
        actor,
        body,
        term,
        number,
        "look_back",
        today - LOOKBACK_STARTED,
        targets,
        theme="巡察整改“回头看”",
        time_limit=3,
        today=today,
        until_onsite=True,
    )
    first = outcome.round.inspections.select_related("organization", "group", "round__body").first()
    petition_file_public(
        inspection=first, summary="回头看期间反映：街道上轮巡察指出的违规发放补贴问题仍未退回，整改不实。"
    )
    return 1


def ensure_rounds(actor, progress: Progress, today: D | None = None) -> int:
    """The term's rounds, once (a second run finds them and changes nothing). Returns rounds made."""
    if Round.objects.filter(body__code="TJ-XSB").exists():
        return 0
    today = today or datetime.date.today()
    # No cadre serves in two rounds whose dates overlap, whichever body runs them. The patrols are
    # staffed first from their own (small) pools; the city then draws on the whole city's pool for
    # whoever is free over its rounds' dates.
    made = patrol_rounds(actor, today, progress)
    made += city_rounds(actor, today, progress)
    made += lookback_under_way(actor, today)
    return made
