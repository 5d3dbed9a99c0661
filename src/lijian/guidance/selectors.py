"""Reads of the guidance records, restricted to the user.

A record belongs to its guiding body (``body``): the office of that body, and the offices, leaders
and auditors above it, see it (``office of the body``); a material review is also seen over the
organisation whose secretary's material it is (``over the organisation``), so a district reads the
opinions on its own material. Only the office of the guiding body acts on a record.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from lijian.accounts.scopes import bodies_of_office, is_office_of, office_q, organization_q
from lijian.core.permissions import Action, Perm, access_for, q_any, subtree_q, visible_get
from lijian.orgs.choices import BodyLevel
from lijian.orgs.models import InspectionBody

from .choices import CandidateStatus, NamingWho, ReviewStatus
from .models import (
    Assessment,
    AssessmentIndicator,
    AssessmentScore,
    MaterialReview,
    NamingCandidate,
    SelfInspection,
)

VIEW, MANAGE = Perm.GOVERNANCE_VIEW, Perm.GOVERNANCE_MANAGE
CENT = Decimal("0.01")  # totals shown to the cent, as the scores are, on every database


def _none_without_view(user, model):
    return None if access_for(user).has(VIEW) else model.objects.none()


def material_reviews_visible(user) -> QuerySet[MaterialReview]:
    empty = _none_without_view(user, MaterialReview)
    if empty is not None:
        return empty
    q = q_any(office_q(user, VIEW, "body"), organization_q(user, VIEW, "organization"))
    return MaterialReview.objects.filter(q).select_related("body", "organization", "reviewer")


def self_inspections_visible(user) -> QuerySet[SelfInspection]:
    empty = _none_without_view(user, SelfInspection)
    if empty is not None:
        return empty
    return SelfInspection.objects.filter(office_q(user, VIEW, "body")).select_related("body")


def assessments_visible(user) -> QuerySet[Assessment]:
    empty = _none_without_view(user, Assessment)
    if empty is not None:
        return empty
    return Assessment.objects.filter(office_q(user, VIEW, "body")).select_related("body")


def candidates_visible(user) -> QuerySet[NamingCandidate]:
    return NamingCandidate.objects.filter(
        assessment__in=assessments_visible(user).values("pk")
    ).select_related("assessment__body", "assessed_body")


def can_manage(user, record) -> bool:
    """The office of the record's guiding body (a candidate's: its assessment's)."""
    body = record.assessment.body if isinstance(record, NamingCandidate) else record.body
    return is_office_of(user, MANAGE, body)


REVIEW_MANAGE = Action(can_manage, _("只有审阅机构的巡视巡察办可以办理材料审阅。"))
SELF_INSPECTION_MANAGE = Action(can_manage, _("只有自查机构的巡视巡察办可以填写自查。"))
ASSESSMENT_MANAGE = Action(can_manage, _("只有考核机构的巡视巡察办可以评分、排名和确定通报对象。"))


def review_get(user, pk, action: Action | None = None) -> MaterialReview:
    """The review if the user may see it (``Http404``), and may do ``action`` (``PermissionDenied``)."""
    return visible_get(material_reviews_visible(user), pk, user=user, action=action)


def review_get_for_files(user, pk) -> MaterialReview:
    return review_get(user, pk)


def self_inspection_get(user, pk, action: Action | None = None) -> SelfInspection:
    return visible_get(self_inspections_visible(user), pk, user=user, action=action)


def assessment_get(user, pk, action: Action | None = None) -> Assessment:
    return visible_get(assessments_visible(user), pk, user=user, action=action)


def candidate_get(user, pk, action: Action | None = None) -> NamingCandidate:
    return visible_get(candidates_visible(user), pk, user=user, action=action)


def bodies_managed(user) -> QuerySet[InspectionBody]:
    """The bodies whose office the user is in to record guidance, by code."""
    return bodies_of_office(user, MANAGE).order_by("code")


def lower_bodies(body: InspectionBody, committee_kind: str = "") -> QuerySet[InspectionBody]:
    """The patrol bodies below ``body``: those of committees strictly inside its committee's subtree
    (only those of committees of ``committee_kind``, an ``OrgKind``, when given)."""
    rows = (
        InspectionBody.objects.filter(
            subtree_q(body.owner_org.path, "owner_org__path"), level=BodyLevel.PATROL
        )
        .exclude(owner_org=body.owner_org)
        .select_related("owner_org")
        .order_by("owner_org__path", "code")
    )
    return rows.filter(owner_org__kind=committee_kind) if committee_kind else rows


def assessed_bodies(assessment: Assessment) -> QuerySet[InspectionBody]:
    """The bodies an assessment scores: the lower patrol bodies of its kind of committee."""
    return lower_bodies(assessment.body, assessment.committee_kind)


def indicators_active() -> QuerySet[AssessmentIndicator]:
    return AssessmentIndicator.objects.filter(active=True).order_by("code")


# --- what a notice, a report and a page read ------------------------------------------------------


def review_counts(reviews: QuerySet[MaterialReview]) -> dict:
    """How many reviews stand in each status, and how many were returned at least once."""
    counts = {status: 0 for status in ReviewStatus.values}
    for status in reviews.values_list("status", flat=True):
        counts[status] += 1
    counts["returned_once"] = reviews.filter(rounds__outcome="returned").distinct().count()
    return counts


def self_inspection_notice_content(item: SelfInspection) -> dict:
    """What the notice of a self-inspection's results (M7, in the committee's name) says: the body,
    the period, the summary, the counts (items checked, problems found, fixed, still open) and the
    items with problems with their fixes. The caller has checked the user may see ``item``."""
    items = list(item.items.all())
    problems = [i for i in items if i.problem_found]
    fixed = [i for i in problems if i.fixed_on]
    return {
        "body": item.body,
        "title": item.title,
        "scope": item.get_scope_display(),
        "period": (item.period_start, item.period_end),
        "summary": item.summary,
        "closed_on": item.closed_on,
        "counts": {
            "items": len(items),
            "problems": len(problems),
            "fixed": len(fixed),
            "open": len(problems) - len(fixed),
        },
        "problems": [
            {"item": i.item, "finding": i.finding, "fix": i.fix, "fixed_on": i.fixed_on} for i in problems
        ],
    }


def ranking(assessment: Assessment) -> list[dict]:
    """The assessed bodies by weighted total, highest first (ties by code): each with ``body``,
    ``total`` (the sum of its scores, each already weighted) and ``rank`` (1 for the highest; tied
    totals share the better rank)."""
    totals = (
        AssessmentScore.objects.filter(assessment=assessment)
        .values("assessed_body")
        .annotate(total=Sum("score"))
        .order_by()
    )
    bodies = {b.pk: b for b in InspectionBody.objects.filter(pk__in=[t["assessed_body"] for t in totals])}
    rows = sorted(
        (
            {"body": bodies[t["assessed_body"]], "total": Decimal(t["total"] or 0).quantize(CENT)}
            for t in totals
        ),
        key=lambda r: (-r["total"], r["body"].code),
    )
    rank = 0
    for i, row in enumerate(rows):
        if i == 0 or row["total"] != rows[i - 1]["total"]:
            rank = i + 1
        row["rank"] = rank
    return rows


def score_table(assessment: Assessment) -> tuple[list, list[dict]]:
    """``(indicators, rows)`` for the assessment page: the indicators scored, and per assessed body in
    ranking order its scores by indicator id with its total and rank."""
    scores = defaultdict(dict)
    indicator_ids = set()
    for score in AssessmentScore.objects.filter(assessment=assessment).select_related("indicator"):
        scores[score.assessed_body_id][score.indicator_id] = score
        indicator_ids.add(score.indicator_id)
    indicators = list(AssessmentIndicator.objects.filter(pk__in=indicator_ids).order_by("code"))
    rows = []
    for row in ranking(assessment):
        by = scores[row["body"].pk]
        rows.append({**row, "cells": [by.get(i.pk) for i in indicators]})
    return indicators, rows


def candidates_in_order(assessment: Assessment, candidates=None) -> list[NamingCandidate]:
    """The assessment's candidates (or ``candidates``, a queryset of them) in the order they are named:
    by whom (district committees, secretaries, discipline secretaries, organisation-department heads,
    as ``NamingWho`` lists them), then by the assessed body's total, lowest first (a body not scored
    last), then body code and id."""
    if candidates is None:
        candidates = assessment.candidates.select_related("assessed_body", "decided_by")
    totals = {row["body"].pk: row["total"] for row in ranking(assessment)}
    kinds = {who: i for i, who in enumerate(NamingWho.values)}

    def key(candidate):
        total = totals.get(candidate.assessed_body_id)
        return (
            kinds.get(candidate.who, len(kinds)),
            total is None,
            total or 0,
            candidate.assessed_body.code if candidate.assessed_body_id else "",
            candidate.pk,
        )

    return sorted(candidates, key=key)


def naming_notice_content(assessment: Assessment) -> dict:
    """What the naming notice (M18) of an assessment names: its confirmed candidates grouped as the
    seed counts them (district committees, district secretaries, discipline secretaries, organisation-
    department heads), each group with its label, count and entries (name, body, reason), and the
    total. The caller has checked the user may see ``assessment``."""
    confirmed = assessment.candidates.filter(status=CandidateStatus.CONFIRMED).select_related("assessed_body")
    groups = {who: [] for who in NamingWho.values}
    for candidate in candidates_in_order(assessment, confirmed):
        groups[candidate.who].append(
            {"name": candidate.person_name, "body": candidate.assessed_body, "reason": candidate.reason}
        )
    return {
        "assessment": assessment,
        "groups": [
            {"who": who, "label": NamingWho(who).label, "count": len(entries), "entries": entries}
            for who, entries in groups.items()
        ],
        "counts": {who: len(entries) for who, entries in groups.items()},
        "total": sum(len(entries) for entries in groups.values()),
    }
