"""Which organisations an inspection body has covered in a term: the one counting rule that the
figures (``analytics.figures``) and the term's coverage plan (``term_coverage``) share."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet

from lijian.orgs.models import InspectionBody, Organization, Term

from .choices import Stage
from .models import Inspection


def counted_on(on: datetime.date) -> Q:
    """An inspection counts from the day its group went on site (never when withdrawn)."""
    return Q(onsite_start__isnull=False, onsite_start__lte=on) & ~Q(stage=Stage.WITHDRAWN)


def active_during(start: datetime.date, end: datetime.date) -> Q:
    return (Q(active_from__isnull=True) | Q(active_from__lte=end)) & (
        Q(active_to__isnull=True) | Q(active_to__gte=start)
    )


def jurisdiction(body: InspectionBody, term: Term) -> QuerySet[Organization]:
    """The organisations the body must cover that are active at some time during the term."""
    return Organization.objects.filter(active_during(term.start, term.end), supervising_body=body)


def inspected_by(body: InspectionBody, term: Term, on: datetime.date) -> Exists:
    """Whether the organisation of the outer row was inspected by ``body`` in ``term`` by ``on``: a
    condition on a row of organisations, so a count of them needs no scan of every organisation."""
    return Exists(
        Inspection.objects.filter(
            counted_on(on), round__body=body, round__term=term, organization=OuterRef("pk")
        )
    )


def inspected_organizations(body: InspectionBody, term: Term, on: datetime.date) -> QuerySet[Organization]:
    return Organization.objects.filter(inspected_by(body, term, on))
