"""Reads for the notices and the work report: the issuing body for a user, the period a document
covers, and the records of the committee's own work, of the guidance of lower bodies and of the
documents already issued, counted for one body over a window of days.

The documents are computed for a body and a date, not for a reader: ``organ_get`` has checked the
user may see (or issue from) the body, and everything counted here belongs to that body.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lijian.accounts.scopes import bodies_of_office, is_office_of, office_q
from lijian.core.permissions import Perm, subtree_q, visible_get
from lijian.documents.choices import DocumentStatus
from lijian.documents.kinds import ISSUE
from lijian.documents.models import OfficialDocument
from lijian.governance.models import CaseExposure, Meeting, MeetingInstruction, Regulation
from lijian.guidance.choices import AssessmentStatus, CandidateStatus, SelfInspectionStatus
from lijian.guidance.models import Assessment, MaterialReview, NamingCandidate, SelfInspection
from lijian.guidance.selectors import lower_bodies
from lijian.inspections.choices import RoundKind
from lijian.inspections.covered import counted_on
from lijian.inspections.models import Group, Inspection, Round
from lijian.orgs.models import InspectionBody, Term
from lijian.orgs.selectors import term_current
from lijian.people.models import Cadre
from lijian.rectification.models import Accountability, Interview, SelfCriticism

ORGAN_TYPE = "orgs.body"

# The opening days of the Party's national congresses: the seed counts the committee's meetings
# "since the 19th Congress" (党的十九大以来), i.e. from the congress in whose period the term began.
CONGRESSES = (
    (16, "十六大", datetime.date(2002, 11, 8)),
    (17, "十七大", datetime.date(2007, 10, 15)),
    (18, "十八大", datetime.date(2012, 11, 8)),
    (19, "十九大", datetime.date(2017, 10, 18)),
    (20, "二十大", datetime.date(2022, 10, 16)),
)

# --- the issuing body -----------------------------------------------------------------------------


def bodies_visible(user) -> QuerySet[InspectionBody]:
    """The bodies whose documents the user may read: those whose office the user is in for
    ``Perm.DOCUMENT_VIEW`` (office staff, leaders and auditors over the body's committee)."""
    return InspectionBody.objects.filter(office_q(user, Perm.DOCUMENT_VIEW, "")).select_related("owner_org")


def body_get(user, pk, action: str) -> InspectionBody:
    """The body ``pk`` for ``action`` (``kinds.VIEW`` or ``kinds.ISSUE``).

    Raises ``Http404`` when the user may not see it (or ``pk`` names none) and ``PermissionDenied``
    when the user sees it but is not in its office for ``Perm.DOCUMENT_ISSUE``."""
    body = visible_get(bodies_visible(user), pk)
    if action == ISSUE and not is_office_of(user, Perm.DOCUMENT_ISSUE, body):
        raise PermissionDenied(_("只有本机构的巡视巡察办可以起草和印发通报、报告。"))
    return body


def bodies_issuing(user) -> list[tuple[int, str]]:
    """``(id, name)`` of the bodies the user may draft documents for, by code."""
    return [(b.pk, b.name) for b in bodies_of_office(user, Perm.DOCUMENT_ISSUE).order_by("code")]


def body_from_code(code: str) -> InspectionBody:
    """The body with ``code`` (the command line); ``ValidationError`` when none has it."""
    body = InspectionBody.objects.select_related("owner_org").filter(code=code.strip()).first()
    if body is None:
        raise ValidationError(_("没有代码为“%(code)s”的巡视巡察机构。") % {"code": code})
    return body


def term_named(body: InspectionBody, name: str) -> Term:
    """The body's term called ``name``; ``ValidationError`` on ``term`` naming the terms it has."""
    term = Term.objects.filter(body=body, name=name).first()
    if term is None:
        names = "、".join(body.terms.order_by("start").values_list("name", flat=True)) or "—"
        raise ValidationError(
            {
                "term": _("%(body)s没有名为“%(term)s”的届次（有：%(names)s）。")
                % {"body": body.name, "term": name, "names": names}
            }
        )
    return term


# --- the period a document covers -----------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """What a document reports on: the term whose figures it gives, as they stood on ``on``; the
    window ``start``–``end`` of the records counted by their own dates (meetings, notices …); and
    ``year`` when the document covers a calendar year rather than the term."""

    term: Term
    on: datetime.date
    start: datetime.date
    end: datetime.date
    year: int | None = None

    @property
    def is_year(self) -> bool:
        return self.year is not None


def period_of(body: InspectionBody, params: dict, as_of: datetime.date) -> Period:
    """The period of a document of ``body`` with ``params`` (``term`` name and/or ``year``) as of
    ``as_of``: a year ends on 31 December or on ``as_of`` if earlier; the term is the one named, or
    the one in course on that day.

    Raises ``ValidationError`` when the body has no such term, no term in course then, or when the
    day falls before the term began."""
    year = params.get("year")
    on = min(as_of, datetime.date(year, 12, 31)) if year else as_of
    if year and on < datetime.date(year, 1, 1):
        raise ValidationError({"year": _("%(year)s年尚未开始，没有可报告的数据。") % {"year": year}})
    term = term_named(body, params["term"]) if params.get("term") else term_current(body, on)
    if term is None:
        raise ValidationError(
            {
                "term": _("%(body)s在%(day)s没有在任的届次，请指定届次。")
                % {"body": body.name, "day": on.isoformat()}
            }
        )
    on = min(on, term.end)
    if on < term.start:
        raise ValidationError(
            {
                "term": _("%(term)s自%(start)s开始，数据截至日期早于此。")
                % {"term": term.name, "start": term.start.isoformat()}
            }
        )
    if year:
        return Period(term, on, max(datetime.date(year, 1, 1), term.start), on, year)
    return Period(term, on, term.start, on)


def params_parse(body: InspectionBody, term: str, year: int | None, named: str = "") -> dict:
    """The parameters of a document of ``body``: the term's name (checked) and the year (2000 to the
    current year). Raises ``ValidationError`` on ``term`` or ``year``, and on ``named`` when it is
    not empty: only the naming notice names anyone (``notices.naming_params_parse``)."""
    if named:
        raise ValidationError({"named": _("这种文书不点名，“点名对象”请留空。")})
    if term:
        term_named(body, term)
    if year is not None and not 2000 <= year <= timezone.localdate().year:
        raise ValidationError({"year": _("年度应在 2000 年至今年之间。")})
    return {"term": term, "year": year}


def congress_before(day: datetime.date) -> tuple[str, datetime.date]:
    """The name (十九大 …) and opening day of the last national congress opened on or before ``day``."""
    found = CONGRESSES[0]
    for congress in CONGRESSES:
        if congress[2] <= day:
            found = congress
    return found[1], found[2]


# --- the committee's own work (M1, M2, M13) -------------------------------------------------------


def _within(field: str, start: datetime.date, end: datetime.date) -> Q:
    return Q(**{f"{field}__gte": start, f"{field}__lte": end})


def meetings(body: InspectionBody, start: datetime.date, end: datetime.date) -> QuerySet[Meeting]:
    return Meeting.objects.filter(_within("held_on", start, end), body=body)


def instructions(
    body: InspectionBody, start: datetime.date, end: datetime.date
) -> QuerySet[MeetingInstruction]:
    """Instructions arising from the body's meetings held in the window, given by ``end``."""
    return MeetingInstruction.objects.filter(
        _within("meeting__held_on", start, end), meeting__body=body, given_on__lte=end
    )


def regulations(body: InspectionBody, start: datetime.date, end: datetime.date) -> QuerySet[Regulation]:
    """Rules the body issued in the window, in the order they were issued."""
    return Regulation.objects.filter(_within("issued_on", start, end), body=body).order_by("issued_on", "pk")


def exposures(body: InspectionBody, start: datetime.date, end: datetime.date) -> QuerySet[CaseExposure]:
    return CaseExposure.objects.filter(_within("published_on", start, end), body=body)


def count_by(rows: QuerySet, field: str) -> dict[str, int]:
    return dict(rows.order_by().values(field).annotate(n=Count("pk")).values_list(field, "n"))


# --- documents already issued ---------------------------------------------------------------------


def documents_issued(
    body: InspectionBody, kind: str, start: datetime.date, end: datetime.date
) -> QuerySet[OfficialDocument]:
    """The documents of ``kind`` the body issued on a day in the window (local dates)."""
    first = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
    after = timezone.make_aware(
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min)
    )
    return OfficialDocument.objects.filter(
        organ_type=ORGAN_TYPE,
        organ_id=body.pk,
        kind=kind,
        status=DocumentStatus.ISSUED,
        issued_at__gte=first,
        issued_at__lt=after,
    )


# --- guidance of lower bodies (M3, M7, M16, M18) --------------------------------------------------


def lower_patrol_bodies(body: InspectionBody) -> QuerySet[InspectionBody]:
    return lower_bodies(body)


def active_groups(bodies: QuerySet[InspectionBody]) -> QuerySet[Group]:
    return Group.objects.filter(body__in=bodies, active=True)


def material_reviews(
    body: InspectionBody, start: datetime.date, end: datetime.date
) -> QuerySet[MaterialReview]:
    """The special-meeting materials the body received in the window."""
    return MaterialReview.objects.filter(_within("received_on", start, end), body=body)


def self_inspections_closed(
    body: InspectionBody, start: datetime.date, end: datetime.date
) -> QuerySet[SelfInspection]:
    return SelfInspection.objects.filter(
        _within("closed_on", start, end), body=body, status=SelfInspectionStatus.CLOSED
    )


def self_inspection_for(
    body: InspectionBody, start: datetime.date, end: datetime.date
) -> SelfInspection | None:
    """The body's latest self-inspection closed in the window, or ``None``."""
    return self_inspections_closed(body, start, end).order_by("-closed_on", "-pk").first()


def naming_confirmed(
    body: InspectionBody, start: datetime.date, end: datetime.date
) -> QuerySet[NamingCandidate]:
    """Candidates the body confirmed for naming in the window (of any of its assessments)."""
    return NamingCandidate.objects.filter(
        _within("decided_on", start, end), assessment__body=body, status=CandidateStatus.CONFIRMED
    )


def assessment_for(body: InspectionBody, year: int | None, on: datetime.date) -> Assessment | None:
    """The body's confirmed assessment of ``year`` (default: its latest confirmed one of a year not
    after ``on``'s), or ``None``."""
    rows = Assessment.objects.filter(body=body, status=AssessmentStatus.CONFIRMED, year__lte=on.year)
    if year:
        rows = rows.filter(year=year)
    return rows.order_by("-year", "-pk").first()


# --- rounds and people ----------------------------------------------------------------------------


def rounds_started(body: InspectionBody, term: Term, on: datetime.date) -> QuerySet[Round]:
    """The body's rounds of the term started by ``on`` (as analytics counts ``rounds``)."""
    return Round.objects.filter(body=body, term=term, start__lte=on)


def regular_rounds_over(body: InspectionBody, term: Term, on: datetime.date, kind: str) -> QuerySet[Round]:
    """The regular rounds of the term started by ``on`` in which an organisation of ``kind`` had been
    gone on site by ``on``."""
    hit = Inspection.objects.filter(counted_on(on), organization__kind=kind)
    return rounds_started(body, term, on).filter(kind=RoundKind.REGULAR, inspections__in=hit).distinct()


def pool(body: InspectionBody) -> QuerySet[Cadre]:
    """The cadres of the body's committee and below in the inspection talent pool (巡视巡察人才库)."""
    return Cadre.objects.filter(subtree_q(body.owner_org.path, "home_org__path"), in_pool=True)


# --- what follows for an organisation below the line ----------------------------------------------


def self_criticism_of(
    body: InspectionBody, term: Term, organization, on: datetime.date
) -> SelfCriticism | None:
    """The organisation's self-criticism as it stood on ``on``: the latest made due by then (a later
    assessment does not change what a notice as of ``on`` says), or ``None``."""
    return (
        SelfCriticism.objects.filter(body=body, term=term, organization=organization, assessed_on__lte=on)
        .order_by("-assessed_on", "-pk")
        .first()
    )


def interviews_of(body: InspectionBody, term: Term, on: datetime.date, organization) -> QuerySet[Interview]:
    """The body's interviews of ``organization`` held in the term by ``on``, in date order."""
    return Interview.objects.filter(
        body=body, organization=organization, held_on__range=(term.start, min(on, term.end))
    ).order_by("held_on", "pk")


def accountability_of(
    body: InspectionBody, term: Term, on: datetime.date, organization
) -> QuerySet[Accountability]:
    """The body's accountability actions over ``organization`` decided in the term by ``on``."""
    return Accountability.objects.filter(
        body=body, organization=organization, decided_on__range=(term.start, min(on, term.end))
    ).order_by("decided_on", "pk")
