"""Problems and clues over the API: the same selectors and services as the pages.

A receiving department lists the clues transferred to it and answers them here; the office and the
groups read problems and clues of the inspections they may see. Anything outside answers 404."""

import datetime
from decimal import Decimal
from functools import partial

from django.http import Http404
from ninja import Field, Router, Schema

from lijian.core.lists import api_filtered, api_page
from lijian.core.params import ApiAfter, ApiId, ApiLimit
from lijian.core.permissions import Perm, api_requires

from . import selectors, services
from .choices import ClueResult, ClueStatus, ProblemStatus, Review
from .filters import ClueFilter, ProblemFilter

problems_router = Router(tags=["问题"])
clues_router = Router(tags=["问题线索"])


class ProblemOut(Schema):
    id: int
    ref: str
    inspection_id: int
    organization_code: str = Field(..., alias="inspection.organization.code")
    category_code: str = Field(..., alias="category.code")
    category_name: str = Field(..., alias="category.name")
    framework: str = Field(..., alias="category.framework.code")
    summary: str
    description: str
    people: str
    matters: str
    causes: str
    systems: str
    close_attention: bool
    rectify_at_once: bool
    found_on: datetime.date
    review: str
    status: str


class ClueOut(Schema):
    id: int
    ref: str
    organization_code: str = Field(..., alias="inspection.organization.code")
    subject_name: str
    subject_post: str
    summary: str
    department_code: str = Field(..., alias="department.code")
    status: str
    sheet_no: str
    transferred_on: datetime.date | None
    due_on: datetime.date | None
    accepted_on: datetime.date | None
    fed_back_on: datetime.date | None
    result: str
    feedback: str
    party_discipline: int
    organisational_handling: int
    judicial_transfers: int
    losses_recovered: Decimal


class PageOut(Schema):
    next_after: int | None


class ProblemPage(PageOut):
    items: list[ProblemOut]


class CluePage(PageOut):
    items: list[ClueOut]


class AcceptIn(Schema):
    accepted_on: datetime.date | None = None


class FeedbackIn(Schema):
    result: ClueResult
    feedback: str
    fed_back_on: datetime.date | None = None
    party_discipline: int = Field(0, ge=0, le=10_000)
    organisational_handling: int = Field(0, ge=0, le=10_000)
    judicial_transfers: int = Field(0, ge=0, le=10_000)
    losses_recovered: Decimal = Field(Decimal(0), ge=0, max_digits=12, decimal_places=2)


@problems_router.get("/", response=ProblemPage, summary="问题台账（键集分页）")
@api_requires(Perm.FINDINGS_VIEW)
def problem_list(
    request,
    inspection: ApiId | None = None,
    status: ProblemStatus | None = None,
    review: Review | None = None,
    after: ApiAfter | None = None,
    limit: ApiLimit = 50,
):
    """The problems the user may see, filtered as the ledger page filters them (its FilterSet)."""
    rows = selectors.problems_visible(request.user)
    if inspection:
        rows = rows.filter(inspection_id=inspection)
    ledger_filter = partial(ProblemFilter, bodies=selectors.bodies_with_problems(request.user))
    return api_page(api_filtered(ledger_filter, rows, status=status, review=review), after, limit)


@problems_router.get("/{problem_id}", response=ProblemOut, summary="问题详情")
@api_requires(Perm.FINDINGS_VIEW)
def problem_detail(request, problem_id: int):
    return selectors.problem_get(request.user, problem_id)


@clues_router.get("/", response=CluePage, summary="问题线索：协作部门只看到移交本部门的")
@api_requires(Perm.CLUE_VIEW)
def clue_list(request, status: ClueStatus | None = None, after: ApiAfter | None = None, limit: ApiLimit = 50):
    return api_page(
        api_filtered(ClueFilter, selectors.clues_visible(request.user), status=status), after, limit
    )


@clues_router.get("/{clue_id}", response=ClueOut, summary="问题线索详情")
@api_requires(Perm.CLUE_VIEW)
def clue_detail(request, clue_id: int):
    return selectors.clue_get(request.user, clue_id)


def _department_clue(request, clue_id: int):
    clue = selectors.clue_get(request.user, clue_id)
    if not selectors.is_department_staff(request.user, clue.department):
        raise Http404  # seen by the office, but answered only by its department
    return clue


@clues_router.post("/{clue_id}/accept", response=ClueOut, summary="接收部门确认接收、开始办理")
@api_requires(Perm.CLUE_ANSWER)
def clue_accept(request, clue_id: int, payload: AcceptIn):
    clue = _department_clue(request, clue_id)
    return services.clue_accept(actor=request.user, clue=clue, accepted_on=payload.accepted_on)


@clues_router.post("/{clue_id}/feedback", response=ClueOut, summary="接收部门反馈办理情况")
@api_requires(Perm.CLUE_ANSWER)
def clue_feedback(request, clue_id: int, payload: FeedbackIn):
    clue = _department_clue(request, clue_id)
    return services.clue_feed_back(actor=request.user, clue=clue, **payload.dict())
