"""Guidance over the API: the same selectors and services as the pages (a record outside the user's
scope answers 404, an action by anyone but the guiding office 403, a refused move 422)."""

import datetime
from decimal import Decimal

from django.utils import timezone
from ninja import Field, Router, Schema

from lijian.core.lists import api_filtered, api_page
from lijian.core.params import ApiAfter, ApiLimit
from lijian.core.permissions import Perm, api_requires

from . import selectors, services
from .choices import AssessmentStatus, ReviewStatus
from .filters import AssessmentFilter, ReviewFilter

router = Router(tags=["指导督导"])


class RoundOut(Schema):
    number: int
    started_on: datetime.date
    opinions: str
    outcome: str
    decided_on: datetime.date | None


class ReviewOut(Schema):
    id: int
    body_code: str = Field(..., alias="body.code")
    organization_code: str = Field(..., alias="organization.code")
    organization_name: str = Field(..., alias="organization.name")
    secretary_name: str
    secretary_post: str
    meeting_on: datetime.date
    meeting_title: str
    received_on: datetime.date
    status: str
    opinions: str
    accepted_on: datetime.date | None


class ReviewDetailOut(ReviewOut):
    rounds: list[RoundOut]

    @staticmethod
    def resolve_rounds(obj):
        return list(obj.rounds.all())


class ReviewPage(Schema):
    items: list[ReviewOut]
    next_after: int | None


class DecideIn(Schema):
    opinions: str = Field("", max_length=5000)
    on: datetime.date | None = None


@router.get("/reviews/", response=ReviewPage, summary="专题会材料审阅（键集分页）")
@api_requires(Perm.GOVERNANCE_VIEW)
def review_list(
    request, status: ReviewStatus | None = None, after: ApiAfter | None = None, limit: ApiLimit = 50
):
    rows = api_filtered(ReviewFilter, selectors.material_reviews_visible(request.user), status=status)
    return api_page(rows, after, limit)


@router.get("/reviews/{review_id}", response=ReviewDetailOut, summary="专题会材料审阅详情（含各轮审阅意见）")
@api_requires(Perm.GOVERNANCE_VIEW)
def review_detail(request, review_id: int):
    return selectors.review_get(request.user, review_id)


@router.post(
    "/reviews/{review_id}/return", response=ReviewDetailOut, summary="退回专题会材料修改（须写明意见）"
)
@api_requires(Perm.GOVERNANCE_MANAGE)
def review_return(request, review_id: int, payload: DecideIn):
    review = selectors.review_get(request.user, review_id, selectors.REVIEW_MANAGE)
    on = payload.on or timezone.localdate()
    return services.material_review_return(
        actor=request.user, review=review, opinions=payload.opinions, on=on
    )


@router.post("/reviews/{review_id}/accept", response=ReviewDetailOut, summary="专题会材料审阅通过")
@api_requires(Perm.GOVERNANCE_MANAGE)
def review_accept(request, review_id: int, payload: DecideIn):
    review = selectors.review_get(request.user, review_id, selectors.REVIEW_MANAGE)
    on = payload.on or timezone.localdate()
    return services.material_review_accept(
        actor=request.user, review=review, opinions=payload.opinions, on=on
    )


class CountsOut(Schema):
    items: int
    problems: int
    fixed: int
    open: int


class ProblemItemOut(Schema):
    item: str
    finding: str
    fix: str
    fixed_on: datetime.date | None


class SelfInspectionNoticeOut(Schema):
    id: int
    body_code: str
    title: str
    scope: str
    period_start: datetime.date
    period_end: datetime.date
    summary: str
    closed_on: datetime.date | None
    counts: CountsOut
    problems: list[ProblemItemOut]


@router.get(
    "/self-inspections/{inspection_id}/notice",
    response=SelfInspectionNoticeOut,
    summary="自查结果（通报所需：事项数、问题、整改）",
)
@api_requires(Perm.GOVERNANCE_VIEW)
def self_inspection_notice(request, inspection_id: int):
    item = selectors.self_inspection_get(request.user, inspection_id)
    content = selectors.self_inspection_notice_content(item)
    start, end = content.pop("period")
    return {
        **content,
        "id": item.pk,
        "body_code": item.body.code,
        "period_start": start,
        "period_end": end,
    }


class AssessmentOut(Schema):
    id: int
    body_code: str = Field(..., alias="body.code")
    year: int
    naming_count: int
    status: str


class AssessmentPage(Schema):
    items: list[AssessmentOut]
    next_after: int | None


class RankOut(Schema):
    rank: int
    body_code: str
    body_name: str
    total: Decimal


class AssessmentDetailOut(AssessmentOut):
    ranking: list[RankOut]


@router.get("/assessments/", response=AssessmentPage, summary="年度考核（键集分页）")
@api_requires(Perm.GOVERNANCE_VIEW)
def assessment_list(
    request, status: AssessmentStatus | None = None, after: ApiAfter | None = None, limit: ApiLimit = 50
):
    rows = api_filtered(AssessmentFilter, selectors.assessments_visible(request.user), status=status)
    return api_page(rows, after, limit)


@router.get("/assessments/{assessment_id}", response=AssessmentDetailOut, summary="年度考核的排名")
@api_requires(Perm.GOVERNANCE_VIEW)
def assessment_detail(request, assessment_id: int):
    assessment = selectors.assessment_get(request.user, assessment_id)
    assessment.ranking = [
        {"rank": r["rank"], "body_code": r["body"].code, "body_name": r["body"].name, "total": r["total"]}
        for r in selectors.ranking(assessment)
    ]
    return assessment


class NamedOut(Schema):
    name: str
    body_code: str
    reason: str


class NamingGroupOut(Schema):
    who: str
    label: str
    count: int
    entries: list[NamedOut]


class NamingOut(Schema):
    assessment_id: int
    total: int
    groups: list[NamingGroupOut]


@router.get("/assessments/{assessment_id}/naming", response=NamingOut, summary="考核确定通报的对象（按类别）")
@api_requires(Perm.GOVERNANCE_VIEW)
def assessment_naming(request, assessment_id: int):
    assessment = selectors.assessment_get(request.user, assessment_id)
    content = selectors.naming_notice_content(assessment)
    return {
        "assessment_id": assessment.pk,
        "total": content["total"],
        "groups": [
            {
                "who": g["who"],
                "label": str(g["label"]),
                "count": g["count"],
                "entries": [
                    {"name": e["name"], "body_code": e["body"].code, "reason": e["reason"]}
                    for e in g["entries"]
                ],
            }
            for g in content["groups"]
        ],
    }
