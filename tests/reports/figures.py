"""Every figure the work report may print, recomputed with plain queries written here — not through
``lijian.analytics`` or ``lijian.reports`` — and formatted as the seed writes numbers, so a test can
compare the report's appendix with the database."""

import datetime

from django.db.models import Q, Sum
from django.utils import timezone

from lijian.documents.models import OfficialDocument
from lijian.findings.models import Clue, Problem
from lijian.governance.models import CaseExposure, Meeting, MeetingInstruction, Regulation
from lijian.guidance.models import MaterialReview, NamingCandidate, SelfInspection
from lijian.inspections.models import Group, Inspection, Round
from lijian.orgs.models import InspectionBody, Organization
from lijian.people.models import Cadre
from lijian.rectification.models import Accountability, Interview, ProblemEvent, SelfCriticism


def n(value) -> str:
    value = value or 0
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}".rstrip("0").rstrip(".")


def pct(hit: int, total: int) -> str:
    value = round(round(hit / total, 4) * 100, 1) if total else 0.0
    return f"{int(value)}%" if value == int(value) else f"{value}%"


def _active(on_start, on_end) -> Q:
    return (Q(active_from__isnull=True) | Q(active_from__lte=on_end)) & (
        Q(active_to__isnull=True) | Q(active_to__gte=on_start)
    )


def _issued(body, kind, start, end) -> int:
    days = [
        timezone.localtime(at).date()
        for at in OfficialDocument.objects.filter(
            organ_type="orgs.body", organ_id=body.pk, kind=kind, status="issued"
        ).values_list("issued_at", flat=True)
    ]
    return sum(start <= day <= end for day in days)


def _status_on(problem, on):
    last = ProblemEvent.objects.filter(problem=problem, on__lte=on).order_by("on", "pk").last()
    return last.status if last else "open"


def recompute(body, term, on: datetime.date, *, since: datetime.date, start=None, naming=None) -> dict:
    """Each figure key of the work report with the text it should print for ``body``, ``term`` and
    ``on``; the committee's own records counted from ``since``, the documents, self-inspections and
    reviews from ``start`` (default: the term's start), the naming over ``naming`` (default: the
    year before ``on``'s)."""
    start = start or term.start
    naming = naming or (datetime.date(on.year - 1, 1, 1), datetime.date(on.year - 1, 12, 31))
    out = {}
    meetings = Meeting.objects.filter(body=body, held_on__gte=since, held_on__lte=on)
    for kind in ("standing_committee", "leading_group"):
        out[f"meetings_{kind}"] = n(meetings.filter(kind=kind).count())
    out["regulations_issued"] = n(
        Regulation.objects.filter(body=body, issued_on__gte=since, issued_on__lte=on).count()
    )
    given = MeetingInstruction.objects.filter(
        meeting__body=body, meeting__held_on__gte=since, meeting__held_on__lte=on, given_on__lte=on
    )
    out["instructions_given"] = n(given.count())
    out["instructions_closed"] = n(given.filter(closed_on__lte=on).count())
    exposures = CaseExposure.objects.filter(body=body, published_on__gte=since, published_on__lte=on)
    out["exposures_cadre_conference"] = n(exposures.filter(channel="cadre_conference").count())
    out["exposures_media"] = n(exposures.filter(channel__in=("central_media", "local_media")).count())

    rounds = Round.objects.filter(body=body, term=term, start__lte=on)
    out["rounds"] = n(rounds.count())
    for kind in set(rounds.values_list("kind", flat=True)):
        out[f"rounds_{kind}"] = n(rounds.filter(kind=kind).count())
    counted = Inspection.objects.filter(
        round__body=body, round__term=term, onsite_start__isnull=False, onsite_start__lte=on
    ).exclude(stage="withdrawn")
    inspected = set(counted.values_list("organization", flat=True))
    out["inspected_organizations"] = n(len(inspected))
    scope = set(
        Organization.objects.filter(_active(term.start, term.end), supervising_body=body).values_list(
            "pk", flat=True
        )
    )
    out["jurisdiction_organizations"] = n(len(scope))
    out["term_coverage"] = pct(len(scope & inspected), len(scope))
    soe = set(Organization.objects.filter(pk__in=scope, kind="soe").values_list("pk", flat=True))
    out["soe_inspected"] = n(len(soe & inspected))
    out["soe_total"] = n(len(soe))
    out["coverage_soe"] = pct(len(soe & inspected), len(soe))
    out["rounds_regular_soe"] = n(
        len(
            set(
                counted.filter(round__kind="regular", organization__kind="soe").values_list(
                    "round", flat=True
                )
            )
        )
    )
    out["problems_found"] = n(Problem.objects.filter(inspection__in=counted, found_on__lte=on).count())

    transferred = Clue.objects.filter(inspection__in=counted, transferred_on__lte=on)
    answered = transferred.filter(fed_back_on__lte=on)
    out["clues_transferred"] = n(transferred.count())
    out["clues_answered"] = n(answered.count())
    on_time = sum(1 for f, d in answered.values_list("fed_back_on", "due_on") if f <= d)
    out["clues_fed_back_on_time"] = pct(on_time, transferred.count())
    out["cases_opened"] = n(answered.filter(result="case_opened").count())
    for key, field in (
        ("people_disciplined", "party_discipline"),
        ("people_organisational_handling", "organisational_handling"),
        ("people_to_judicial_organs", "judicial_transfers"),
        ("losses_recovered", "losses_recovered"),
    ):
        out[key] = n(answered.aggregate(s=Sum(field))["s"])

    # Rectification: the problems fed back, their status that day, the organisations under the line.
    fed = Problem.objects.filter(
        inspection__round__body=body,
        inspection__round__term=term,
        inspection__feedback_date__lte=on,
        review="approved",
    )
    by_org: dict[int, list[str]] = {}
    for problem in fed:
        by_org.setdefault(problem.inspection.organization_id, []).append(_status_on(problem, on))
    out["organizations_fed_back"] = n(len(by_org))
    out["problems_closed"] = n(sum(s == "closed" for statuses in by_org.values() for s in statuses))
    below = 0
    for org, statuses in by_org.items():
        done = sum(s in ("closed", "long_term_stage_met") for s in statuses)
        in_period = any(
            i.feedback_date <= on <= i.feedback.report_due
            for i in Inspection.objects.filter(
                round__body=body, round__term=term, organization=org, feedback_date__lte=on
            )
        )
        below += done * 100 < body.rectification_threshold * len(statuses) and not in_period
    out["organizations_below_threshold"] = n(below)
    out["rectification_threshold"] = f"{body.rectification_threshold}%"
    criticisms = SelfCriticism.objects.filter(body=body, term=term)
    out["self_criticisms_due"] = n(criticisms.filter(assessed_on__lte=on).count())
    out["self_criticisms_submitted"] = n(criticisms.filter(submitted_on__lte=on).count())
    out["self_criticisms_accepted"] = n(criticisms.filter(accepted_on__lte=on).count())
    window = (term.start, min(on, term.end))
    interviews = Interview.objects.filter(body=body, held_on__range=window)
    out["interviewed_organizations"] = n(len(set(interviews.values_list("organization", flat=True))))
    actions = Accountability.objects.filter(body=body, decided_on__range=window)
    removed = set(actions.filter(action="removal").values_list("organization", "subject_name"))
    others = set(actions.exclude(action="removal").values_list("organization", "subject_name"))
    out["people_removed"] = n(len(removed))
    out["people_accountable_not_removed"] = n(len(others - removed))

    out["self_inspections_closed"] = n(
        SelfInspection.objects.filter(
            body=body, status="closed", closed_on__gte=start, closed_on__lte=on
        ).count()
    )
    out["material_reviews"] = n(
        MaterialReview.objects.filter(body=body, received_on__gte=start, received_on__lte=on).count()
    )
    for kind, key in (
        ("rectification_notice", "rectification_notices"),
        ("self_inspection_notice", "self_inspection_notices"),
        ("naming_notice", "naming_notices"),
    ):
        out[key] = n(_issued(body, kind, *(naming if kind == "naming_notice" else (start, on))))
    named = NamingCandidate.objects.filter(
        assessment__body=body, status="confirmed", decided_on__gte=naming[0], decided_on__lte=naming[1]
    )
    for who in set(named.values_list("who", flat=True)):
        out[f"named_{who}"] = n(named.filter(who=who).count())

    # Lower patrol bodies, their groups, posts and the pool, as the ledger stands.
    root = body.owner_org.path
    lower = InspectionBody.objects.filter(level="patrol", owner_org__path__startswith=root).exclude(
        pk=body.pk
    )
    for kind in set(lower.values_list("owner_org__kind", flat=True)):
        out[f"patrol_bodies_{kind}"] = n(lower.filter(owner_org__kind=kind).count())
    out["patrol_groups"] = n(Group.objects.filter(body__in=lower, active=True).count())
    out["patrol_posts"] = n(lower.aggregate(s=Sum("authorized_posts"))["s"])
    out["pool_size"] = n(Cadre.objects.filter(home_org__path__startswith=root, in_pool=True).count())

    current = Inspection.objects.filter(
        onsite_start__isnull=False, onsite_start__lte=on, round__term__start__lte=on, round__term__end__gte=on
    ).exclude(stage="withdrawn")
    subtree = Organization.objects.filter(path__startswith=root)
    patrolled = set(current.filter(round__body__level="patrol").values_list("organization", flat=True))
    out["patrolled_organizations"] = n(subtree.filter(pk__in=patrolled).count())
    grass = subtree.filter(_active(on, on), kind__in=("village", "community"))
    hit = set(current.values_list("organization", flat=True))
    out["grassroots_coverage"] = pct(grass.filter(pk__in=hit).count(), grass.count())
    return out
