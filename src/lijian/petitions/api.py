"""Petitions over the API: the same selectors as the pages; never the identity or the receipt."""

import datetime

from ninja import Field, Router, Schema

from lijian.core.lists import api_filtered, api_page
from lijian.core.params import ApiAfter, ApiLimit
from lijian.core.permissions import Perm, api_requires

from . import selectors
from .choices import PetitionStatus
from .filters import PetitionFilter

router = Router(tags=["信访"])


class PetitionOut(Schema):
    id: int
    ref: str
    channel: str
    received_on: datetime.date
    body_code: str = Field(..., alias="body.code")
    joint_body_id: int | None
    inspection_id: int | None
    subject_org_id: int | None
    category: str
    summary: str
    anonymous: bool
    status: str
    route: str
    answer: str
    answered_on: datetime.date | None


class PetitionPage(Schema):
    items: list[PetitionOut]
    next_after: int | None


@router.get("/", response=PetitionPage, summary="信访件（键集分页；不含信访人身份）")
@api_requires(Perm.PETITION_VIEW)
def petition_list(
    request, status: PetitionStatus | None = None, after: ApiAfter | None = None, limit: ApiLimit = 50
):
    rows = api_filtered(PetitionFilter, selectors.petitions_visible(request.user), status=status)
    return api_page(rows, after, limit)


@router.get("/{petition_id}", response=PetitionOut, summary="信访件详情（不含信访人身份）")
@api_requires(Perm.PETITION_VIEW)
def petition_detail(request, petition_id: int):
    return selectors.petition_get(request.user, petition_id)
