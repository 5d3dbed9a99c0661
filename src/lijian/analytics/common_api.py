"""Common problems over the API: the groups the page shows and proposing one, through the same
selectors and service as the pages. Anything outside the user's scope answers 404."""

import datetime
from typing import Annotated

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from lijian.core.params import ApiId, BadParameter
from lijian.core.permissions import Perm, api_requires
from lijian.orgs.selectors import body_get

from .common import CommonFilter, common_groups, group_problems, proposal_get
from .common_services import proposal_create
from .models import ProposalKind

router = Router(tags=["共性问题"])


class OrganizationOut(Schema):
    id: int
    code: str
    name: str


class RoundCountOut(Schema):
    round_id: int
    round: str
    problems: int


class GroupOut(Schema):
    key: str
    category_code: str
    category_name: str
    typical: str
    problems: int
    problem_ids: list[int]
    organizations: list[OrganizationOut]
    rounds: list[RoundCountOut]
    examples: list[str]


class ProposalIn(Schema):
    kind: ProposalKind
    body_id: ApiId
    title: str = Field(..., min_length=1, max_length=200)
    problem_ids: list[ApiId] = Field(..., min_length=1, max_length=10_000)
    note: str = Field("", max_length=5000)
    responsible: str = Field("", max_length=120)
    due_on: datetime.date | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None


class ProposalOut(Schema):
    id: int
    kind: str
    body_id: int
    title: str
    note: str
    responsible: str
    due_on: datetime.date | None
    round_id: int | None
    problem_ids: list[int]


def _proposal_out(proposal) -> dict:
    return {
        "id": proposal.pk,
        "kind": proposal.kind,
        "body_id": proposal.body_id,
        "title": proposal.title,
        "note": proposal.note,
        "responsible": proposal.responsible,
        "due_on": proposal.due_on,
        "round_id": proposal.round_id,
        "problem_ids": sorted(proposal.problems.values_list("pk", flat=True)),
    }


@router.get("/", response=list[GroupOut], summary="共性问题：按类别和表述相似度归并的问题组")
@api_requires(Perm.FIGURES_VIEW)
def group_list(
    request,
    body: ApiId | None = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    min_organizations: Annotated[int, Field(ge=1, le=10_000, description="至少涉及单位数")] = 2,
    limit: Annotated[int, Field(ge=1, le=200, description="最多返回几组")] = 20,
):
    """The groups of alike problems in the user's scope, the most widespread first (as on the page)."""
    if since and until and until < since:
        raise BadParameter(_("发现日期止不能早于发现日期起。"))
    scope = body_get(request.user, pk=body, perm=Perm.FIGURES_VIEW) if body else None
    groups = common_groups(request.user, CommonFilter(scope, since, until, min_organizations), limit=limit)
    return [
        {
            "key": g.key,
            "category_code": g.category.code,
            "category_name": g.category.name,
            "typical": g.typical,
            "problems": g.size,
            "problem_ids": g.problem_ids,
            "organizations": g.organizations,
            "rounds": [{"round_id": r.pk, "round": str(r), "problems": n} for r, n in g.rounds],
            "examples": g.examples,
        }
        for g in groups
    ]


@router.post(
    "/proposals", response={201: ProposalOut}, summary="把一组共性问题提议为专项巡视巡察主题或制度建设事项"
)
@api_requires(Perm.ROUND_MANAGE)
def proposal_new(request, payload: ProposalIn):
    """Open the special round (``kind`` special_round, with ``start`` and ``end``) or record the
    system-level item (``kind`` system); a body or problem the user may not see answers 404."""
    body = body_get(request.user, pk=payload.body_id, perm=Perm.FIGURES_VIEW)
    ids = set(payload.problem_ids)
    problems = group_problems(request.user, ids)
    if len(problems) != len(ids):
        raise Http404
    data = payload.dict(exclude={"body_id", "problem_ids"})
    proposal = proposal_create(actor=request.user, body=body, problems=problems, **data)
    return Status(201, _proposal_out(proposal))


@router.get("/proposals/{proposal_id}", response=ProposalOut, summary="共性问题整改建议")
@api_requires(Perm.FIGURES_VIEW)
def proposal_detail(request, proposal_id: int):
    return _proposal_out(proposal_get(request.user, proposal_id))
