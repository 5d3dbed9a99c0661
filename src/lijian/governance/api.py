"""The committee's records over the API: the same selectors and FilterSets as the pages."""

import datetime
from typing import Annotated

from ninja import Field, Query, Router, Schema

from lijian.core.lists import api_filtered, api_page
from lijian.core.params import ID_MAX, ApiAfter, ApiLimit
from lijian.core.permissions import Perm, api_requires

from . import selectors
from .choices import ExposureChannel, InstructionStatus, MeetingKind, RegulationStatus
from .filters import ExposureFilter, MeetingFilter, MeetingInstructionFilter, RegulationFilter

router = Router(tags=["主体责任"])

Year = Annotated[int, Field(ge=1949, le=2100, description="年度")]
Keyword = Annotated[str, Field(max_length=100, description="关键词")]
BodyId = Annotated[int, Field(ge=1, le=ID_MAX, description="机构编号")]


class MeetingOut(Schema):
    id: int
    body_code: str = Field(..., alias="body.code")
    held_on: datetime.date
    kind: str
    title: str
    topics: str
    attendees: str
    decisions: str


class MeetingPage(Schema):
    items: list[MeetingOut]
    next_after: int | None


class InstructionOut(Schema):
    id: int
    meeting_id: int
    given_by_name: str
    text: str
    assignee_name: str
    given_on: datetime.date
    due_on: datetime.date
    status: str
    follow_up_asked: str
    answer: str
    answered_on: datetime.date | None
    closed_on: datetime.date | None


class InstructionPage(Schema):
    items: list[InstructionOut]
    next_after: int | None


class RegulationOut(Schema):
    id: int
    body_code: str = Field(..., alias="body.code")
    name: str
    issuer: str
    number: str
    issued_on: datetime.date
    status: str
    status_on: datetime.date | None
    replaced_by_id: int | None
    summary: str


class RegulationPage(Schema):
    items: list[RegulationOut]
    next_after: int | None


class ExposureOut(Schema):
    id: int
    body_code: str = Field(..., alias="body.code")
    title: str
    summary: str
    people_named: str
    organization_id: int | None
    channel: str
    outlet: str
    published_on: datetime.date
    problem_id: int | None
    accountability_id: int | None


class ExposurePage(Schema):
    items: list[ExposureOut]
    next_after: int | None


class Window(Schema):
    """The query every list shares: a keyword, the body, the date range and the keyset page."""

    q: Keyword | None = None
    body: BodyId | None = None
    since: datetime.date | None = None
    until: datetime.date | None = None
    after: ApiAfter | None = None
    limit: ApiLimit = 50


def _page(filterset, rows, window: Window, **fields) -> dict:
    """One keyset page of ``rows`` (already restricted to the user) filtered by ``filterset`` with the
    window's and the list's own ``fields``; ``HttpError`` 422 for a bad filter value."""
    scope = {"body": window.body, "since": window.since, "until": window.until, "q": window.q}
    return api_page(api_filtered(filterset, rows, **scope, **fields), window.after, window.limit)


@router.get("/meetings/", response=MeetingPage, summary="会议（键集分页）")
@api_requires(Perm.GOVERNANCE_VIEW)
def meeting_list(
    request, kind: MeetingKind | None = None, year: Year | None = None, *, window: Query[Window]
):
    return _page(MeetingFilter, selectors.meetings_visible(request.user), window, kind=kind, year=year)


@router.get("/meetings/{meeting_id}", response=MeetingOut, summary="会议详情")
@api_requires(Perm.GOVERNANCE_VIEW)
def meeting_detail(request, meeting_id: int):
    return selectors.meeting_get(request.user, meeting_id)


@router.get("/meeting-instructions/", response=InstructionPage, summary="会议批示（键集分页）")
@api_requires(Perm.GOVERNANCE_VIEW)
def instruction_list(request, status: InstructionStatus | None = None, *, window: Query[Window]):
    rows = selectors.instructions_visible(request.user)
    return _page(MeetingInstructionFilter, rows, window, status=status)


@router.get(
    "/regulations/", response=RegulationPage, summary="制度规定（键集分页；按名称、文号、发文机关检索）"
)
@api_requires(Perm.GOVERNANCE_VIEW)
def regulation_list(
    request, status: RegulationStatus | None = None, year: Year | None = None, *, window: Query[Window]
):
    rows = selectors.regulations_visible(request.user)
    return _page(RegulationFilter, rows, window, status=status, year=year)


@router.get("/regulations/{regulation_id}", response=RegulationOut, summary="制度规定详情")
@api_requires(Perm.GOVERNANCE_VIEW)
def regulation_detail(request, regulation_id: int):
    return selectors.regulation_get(request.user, regulation_id)


@router.get("/exposures/", response=ExposurePage, summary="通报曝光（键集分页）")
@api_requires(Perm.GOVERNANCE_VIEW)
def exposure_list(
    request, channel: ExposureChannel | None = None, year: Year | None = None, *, window: Query[Window]
):
    rows = selectors.exposures_visible(request.user)
    return _page(ExposureFilter, rows, window, channel=channel, year=year)


@router.get("/exposures/{exposure_id}", response=ExposureOut, summary="通报曝光详情")
@api_requires(Perm.GOVERNANCE_VIEW)
def exposure_detail(request, exposure_id: int):
    return selectors.exposure_get(request.user, exposure_id)
