"""Rectification over the API: the same selectors and services as the pages.

The liaison reads and writes the plan of their own organisation; only the inspection side accepts
tasks and closes problems; the rates come from the one selector in ``rates``. Anything outside the
user's scope answers 404."""

import datetime

from django.utils import timezone
from ninja import Field, Router, Schema, Status

from lijian.core.permissions import Perm, api_requires

from . import selectors, services
from .choices import TaskKind
from .rates import rectification_rates
from .rates import standing as rate_standing
from .validators import (
    COMMENT_MAX_LENGTH,
    DEPARTMENT_MAX_LENGTH,
    LEADER_MAX_LENGTH,
    MEASURE_MAX_LENGTH,
    REASON_MAX_LENGTH,
)

router = Router(tags=["整改"])


class RateOut(Schema):
    value: float
    numerator: int
    denominator: int
    definition: str


class InspectionOut(Schema):
    id: int
    organization_code: str = Field(..., alias="organization.code")
    organization_name: str = Field(..., alias="organization.name")
    body_code: str = Field(..., alias="round.body.code")
    round_number: int = Field(..., alias="round.number")
    feedback_date: datetime.date
    report_due: datetime.date = Field(..., alias="feedback.report_due")


class RatesOut(Schema):
    on: datetime.date
    threshold: int
    # one verdict, as on every page: "in_period" (never below inside the rectification period),
    # "below" or "" (rates.standing)
    standing: str
    completion_rate: RateOut
    implementation_rate: RateOut


class TaskOut(Schema):
    id: int
    problem_id: int
    measure: str
    responsible_leader: str
    responsible_department: str
    deadline: datetime.date
    kind: str
    status: str
    completed_on: datetime.date | None
    accepted: bool
    review: str  # pending, accepted or returned (TASK_REVIEW_TRANSITIONS)

    @staticmethod
    def resolve_accepted(obj) -> bool:
        return obj.accepted_at is not None


class RectificationProblemOut(Schema):
    id: int
    ref: str
    inspection_id: int
    summary: str
    status: str
    tasks: list[TaskOut]

    @staticmethod
    def resolve_tasks(obj):
        return list(obj.tasks.all())


class TaskIn(Schema):
    # The limit is the model's, stated for clients; the service enforces it (validators.check_measure)
    # so the API refuses in the same words as the page and tasks.csv.
    measure: str = Field(..., min_length=1, json_schema_extra={"maxLength": MEASURE_MAX_LENGTH})
    responsible_leader: str = Field(..., min_length=1, max_length=LEADER_MAX_LENGTH)
    responsible_department: str = Field(..., min_length=1, max_length=DEPARTMENT_MAX_LENGTH)
    deadline: datetime.date
    kind: TaskKind = TaskKind.CONCENTRATED


class ReturnIn(Schema):
    comment: str = Field(..., max_length=COMMENT_MAX_LENGTH)


class DoneIn(Schema):
    on: datetime.date | None = None


class MoveIn(Schema):
    on: datetime.date | None = None
    reason: str = Field("", max_length=REASON_MAX_LENGTH)


@router.get("/inspections/", response=list[InspectionOut], summary="已反馈的巡视巡察（联络员只看到本单位的）")
@api_requires(Perm.RECTIFICATION_VIEW)
def inspection_list(request):
    return list(selectors.inspections_fed_back(request.user)[:500])


@router.get("/inspections/{inspection_id}/rates", response=RatesOut, summary="整改完成率和整改落实到位率")
@api_requires(Perm.RECTIFICATION_VIEW)
def inspection_rates(request, inspection_id: int, on: datetime.date | None = None):
    inspection = selectors.inspection_get(request.user, inspection_id)
    day = on or timezone.localdate()
    body = inspection.round.body
    rates = rectification_rates(inspection.organization, body, inspection.round.term, day)
    return {
        "on": day,
        "threshold": body.rectification_threshold,
        "standing": rate_standing(inspection, rates["implementation_rate"], day),
        **{k: r.as_dict() for k, r in rates.items()},
    }


@router.get("/problems/{problem_id}", response=RectificationProblemOut, summary="问题的整改任务和状态")
@api_requires(Perm.RECTIFICATION_VIEW)
def problem_detail(request, problem_id: int):
    return selectors.problem_get(request.user, problem_id)


@router.post("/problems/{problem_id}/tasks", response={201: TaskOut}, summary="联络员制定整改任务")
@api_requires(Perm.RECTIFICATION_EDIT)
def task_add(request, problem_id: int, payload: TaskIn):
    problem = selectors.problem_get(request.user, problem_id)
    return Status(201, services.task_add(actor=request.user, problem=problem, **payload.dict()))


@router.post("/tasks/{task_id}/accept", response=TaskOut, summary="巡视巡察一方审核通过整改任务")
@api_requires(Perm.FINDINGS_RECORD)
def task_accept(request, task_id: int):
    task = selectors.task_get(request.user, task_id)
    return services.task_accept(actor=request.user, task=task)


@router.post("/tasks/{task_id}/return", response=TaskOut, summary="巡视巡察一方退回整改任务（须写明意见）")
@api_requires(Perm.FINDINGS_RECORD)
def task_return(request, task_id: int, payload: ReturnIn):
    task = selectors.task_get(request.user, task_id)
    return services.task_return(actor=request.user, task=task, comment=payload.comment)


@router.post("/tasks/{task_id}/complete", response=TaskOut, summary="联络员报送整改任务完成")
@api_requires(Perm.RECTIFICATION_EDIT)
def task_complete(request, task_id: int, payload: DoneIn):
    task = selectors.task_get(request.user, task_id)
    return services.task_complete(actor=request.user, task=task, on=payload.on or timezone.localdate())


@router.post(
    "/problems/{problem_id}/close", response=RectificationProblemOut, summary="对账销号（仅巡视巡察一方）"
)
@api_requires(Perm.FINDINGS_RECORD)
def problem_close(request, problem_id: int, payload: MoveIn):
    problem = selectors.problem_get(request.user, problem_id)
    services.problem_close(
        actor=request.user, problem=problem, on=payload.on or timezone.localdate(), reason=payload.reason
    )
    return problem
