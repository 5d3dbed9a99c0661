"""The notices (通报) the city inspection office issued in the Tianjin account, drafted from the
records and issued through the documents services as the office account ``xunshiban``: 5
rectification notices across the term (整改情况通报, "5次发文通报整改情况"), each as of a day when
organisations stood below the line; the two naming notices of last year's assessment of the district
committees' patrol work (点名道姓通报, "2次向全市点名通报"), one naming the district committees, one
the people (secretaries, discipline secretary, organisation-department head); and the notice of the
office's self-inspection (自查通报).

Each is issued a week after the day its figures stand at, under the next number of the city body,
its kind and the year of issue (each kind has its own 代字, ``reports.kinds.SERIES``, so no number
repeats). Issuing queues each version's DOCX/PDF for the background worker
(``make run`` starts it); nothing is rendered here, so the demo does not wait for LibreOffice.

Called by the demo builder after ``ensure_guidance`` (the naming and self-inspection notices read
its records)."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from lijian.accounts.models import User
from lijian.analytics.figures import rectification_figures
from lijian.documents import official
from lijian.documents.models import OfficialDocument
from lijian.guidance.choices import AssessmentStatus, CandidateStatus, SelfInspectionStatus
from lijian.guidance.models import Assessment, SelfInspection
from lijian.orgs.models import InspectionBody, Term
from lijian.reports.notices import NAMED
from lijian.reports.selectors import ORGAN_TYPE
from lijian.reports.work_report import NAMING_NOTICE, RECTIFICATION_NOTICE, SELF_INSPECTION_NOTICE

from .vocabulary.tianjin import ACCOUNT_DAY, TERM_NAME

D = datetime.date
Progress = Callable[[str, int, int | None], None]
CITY_BODY = "TJ-XSB"
RECTIFICATION_NOTICES = 5
WEEK = datetime.timedelta(days=7)
# The days the office looks at the rates for a notice: twice a year, from the term's first feedback.
CHECK_DAYS = ((6, 20), (12, 20))


def ensure_notices(progress: Progress | None = None, today: D | None = None) -> dict[str, int]:
    """The city body's notices, once: nothing if it has issued or drafted any document already (or
    the body, its term or the office account is missing). All of them in one transaction; a notice
    the records cannot make (no confirmed assessment, no self-inspection closed) is left out. Returns
    how many of each kind were issued."""
    today = today or timezone.localdate()
    progress = progress or (lambda stage, done, total: None)
    body = InspectionBody.objects.select_related("owner_org").filter(code=CITY_BODY).first()
    office = User.objects.filter(username="xunshiban").first()
    term = Term.objects.filter(body=body, name=TERM_NAME).first() if body else None
    if body is None or office is None or term is None:
        return {}
    if OfficialDocument.objects.filter(organ_type=ORGAN_TYPE, organ_id=body.pk).exists():
        return {}
    # (day the figures stand at, kind, params), issued in the order of their issue dates so that the
    # serials of each year run in date order.
    plan = [(on, RECTIFICATION_NOTICE, {"term": TERM_NAME}) for on in rectification_days(body, term, today)]
    assessment = (
        Assessment.objects.filter(body=body, status=AssessmentStatus.CONFIRMED).order_by("-year").first()
    )
    if assessment is not None:
        confirmed = assessment.candidates.filter(status=CandidateStatus.CONFIRMED)
        decided = confirmed.order_by("-decided_on").values_list("decided_on", flat=True).first()
        whom = set(confirmed.values_list("who", flat=True))
        # The committees' notice first, then the people's (a notice naming nobody is left out).
        for named in ("committees", "persons"):
            if whom & set(NAMED[named]):
                plan.append((decided or today, NAMING_NOTICE, {"year": assessment.year, "named": named}))
    inspection = (
        SelfInspection.objects.filter(body=body, status=SelfInspectionStatus.CLOSED)
        .order_by("-closed_on")
        .first()
    )
    if inspection is not None:
        plan.append((inspection.closed_on, SELF_INSPECTION_NOTICE, {"term": TERM_NAME}))
    plan.sort(key=lambda step: step[0])
    counts = {RECTIFICATION_NOTICE: 0, NAMING_NOTICE: 0, SELF_INSPECTION_NOTICE: 0}
    progress("通报：起草和印发", 0, len(plan))
    with transaction.atomic():  # all of them or none: a second run finds them all or starts afresh
        for n, (on, kind, params) in enumerate(plan, 1):
            document = official.document_draft(
                actor=office,
                kind=kind,
                organ_id=body.pk,
                term=params.get("term", ""),
                year=params.get("year"),
                named=params.get("named", ""),
                as_of=min(on, today),
                on=min(on, today),  # drafted the day its figures stand at, issued a week later
            )
            official.document_issue(actor=office, document=document, on=min(on + WEEK, today))
            counts[kind] += 1
            progress("通报：起草和印发", n, len(plan))
    return counts


def rectification_days(body: InspectionBody, term: Term, today: D) -> list[D]:
    """The days of the term's rectification notices: of the half-yearly days from the term's start
    to a week before the account's day (``ACCOUNT_DAY``, not the build day, so the same notices are
    issued whenever the demo is built) on which some organisation stood below the line (a notice with
    nobody below it would name no one), ``RECTIFICATION_NOTICES`` spread evenly from the first to the
    last."""
    last = min(term.end, ACCOUNT_DAY - WEEK, today - WEEK)
    days = [
        D(year, month, day)
        for year in range(term.start.year, last.year + 1)
        for month, day in CHECK_DAYS
        if term.start < D(year, month, day) <= last
    ]
    below = [
        on for on in days if rectification_figures(body, term, on)["organizations_below_threshold"].value
    ]
    if len(below) <= RECTIFICATION_NOTICES:
        return below
    step = (len(below) - 1) / (RECTIFICATION_NOTICES - 1)
    return [below[round(i * step)] for i in range(RECTIFICATION_NOTICES)]
