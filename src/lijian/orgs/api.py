import datetime

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from lijian.core.lists import api_filtered
from lijian.core.params import ApiId, ApiLimit, BadParameter
from lijian.core.permissions import Perm, api_requires

from . import selectors, services
from .choices import BodyLevel, OrgKind
from .filters import BodyFilter
from .models import InspectionBody

orgs_router = Router(tags=["组织"])
bodies_router = Router(tags=["巡视巡察机构"])
terms_router = Router(tags=["届次"])


class OrgOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    depth: int
    path: str
    numchild: int
    division_code: str
    active_from: datetime.date | None
    active_to: datetime.date | None
    supervising_body_id: int | None


class OrgRef(Schema):
    id: int
    code: str
    name: str


class OrgDetailOut(OrgOut):
    ancestors: list[OrgRef]
    subtree_size: int


class OrgPageOut(Schema):
    items: list[OrgOut]
    next_after: str | None


class OrgIn(Schema):
    parent_id: int | None = None
    code: str
    name: str
    kind: OrgKind
    division_code: str = ""
    active_from: datetime.date | None = None
    active_to: datetime.date | None = None
    supervising_body_id: int | None = None


class OrgPatch(Schema):
    name: str | None = None
    kind: OrgKind | None = None
    division_code: str | None = None
    active_from: datetime.date | None = None
    active_to: datetime.date | None = None
    supervising_body_id: int | None = None


class BodyOut(Schema):
    id: int
    code: str
    name: str
    level: str
    owner_org_id: int
    authorized_posts: int
    rectification_threshold: int


class BodyIn(Schema):
    code: str
    name: str
    level: BodyLevel
    owner_org_id: int
    authorized_posts: int = 0


class BodyPatch(Schema):
    name: str | None = None
    level: BodyLevel | None = None
    authorized_posts: int | None = None
    rectification_threshold: int | None = Field(None, ge=0, le=100)


class TermOut(Schema):
    id: int
    body_id: int
    name: str
    start: datetime.date
    end: datetime.date


class TermIn(Schema):
    body_id: int
    name: str
    start: datetime.date
    end: datetime.date


class TermPatch(Schema):
    name: str | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None


def _body_or_none(user, body_id: int | None) -> InspectionBody | None:
    return selectors.body_get(user, pk=body_id) if body_id else None


@orgs_router.get("/", response=OrgPageOut, summary="组织列表：顶级、某组织的下级（键集分页）或搜索")
@api_requires(Perm.ORG_VIEW)
def org_list(
    request, parent: ApiId | None = None, q: str = "", after: str | None = None, limit: ApiLimit = 50
):
    if after and (q or parent is None):
        raise BadParameter(_("after（翻页位置）只用于列出某组织的下级，须与 parent 一起使用。"))
    if q:
        return {"items": selectors.organization_search(request.user, q, limit=limit), "next_after": None}
    if parent is None:
        return {"items": selectors.organization_roots(request.user), "next_after": None}
    org = selectors.organization_get(request.user, pk=parent)
    page = selectors.organization_children(request.user, org, after=after, limit=limit)
    return {"items": page.items, "next_after": page.next_after}


@bodies_router.get("/", response=list[BodyOut], summary="巡视巡察机构列表")
@api_requires(Perm.ORG_VIEW)
def body_list(request, below: ApiId | None = None, owner_kind: OrgKind | None = None):
    """The bodies the user may see, narrowed as the body list page is (``BodyFilter``): ``below``, the
    patrol bodies of committees inside the committee of that body; ``owner_kind``, of that kind of
    committee."""
    rows = api_filtered(
        BodyFilter, selectors.bodies_visible(request.user), below=below, owner_kind=owner_kind
    )
    return list(rows.order_by("owner_org__path", "pk"))


@bodies_router.get("/{body_id}", response=BodyOut, summary="机构详情")
@api_requires(Perm.ORG_VIEW)
def body_detail(request, body_id: int):
    return selectors.body_get(request.user, pk=body_id)


@bodies_router.post("/", response={201: BodyOut}, summary="设立机构")
@api_requires(Perm.ORG_MANAGE)
def body_create(request, data: BodyIn):
    owner = selectors.organization_get(request.user, pk=data.owner_org_id, perm=Perm.ORG_MANAGE)
    body = services.body_create(
        actor=request.user,
        code=data.code,
        name=data.name,
        level=data.level,
        owner_org=owner,
        authorized_posts=data.authorized_posts,
    )
    return Status(201, body)


@bodies_router.patch("/{body_id}", response=BodyOut, summary="修改机构")
@api_requires(Perm.ORG_MANAGE)
def body_update(request, body_id: int, data: BodyPatch):
    body = selectors.body_get(request.user, pk=body_id, perm=Perm.ORG_MANAGE)
    return services.body_update(actor=request.user, body=body, **data.dict(exclude_unset=True))


@terms_router.get("/", response=list[TermOut], summary="届次列表（可按机构筛选）")
@api_requires(Perm.ORG_VIEW)
def term_list(request, body: ApiId | None = None):
    qs = selectors.terms_visible(request.user)
    return list(qs.filter(body_id=body) if body else qs)


@terms_router.post("/", response={201: TermOut}, summary="新增届次")
@api_requires(Perm.ORG_MANAGE)
def term_create(request, data: TermIn):
    body = selectors.body_get(request.user, pk=data.body_id, perm=Perm.ORG_MANAGE)
    return Status(
        201,
        services.term_create(actor=request.user, body=body, name=data.name, start=data.start, end=data.end),
    )


@terms_router.patch("/{term_id}", response=TermOut, summary="修改届次")
@api_requires(Perm.ORG_MANAGE)
def term_update(request, term_id: int, data: TermPatch):
    term = selectors.term_get(request.user, pk=term_id, perm=Perm.ORG_MANAGE)
    return services.term_update(actor=request.user, term=term, **data.dict(exclude_unset=True))


@orgs_router.get("/{org_id}", response=OrgDetailOut, summary="组织详情（含上级路径和下属组织数）")
@api_requires(Perm.ORG_VIEW)
def org_detail(request, org_id: int):
    org = selectors.organization_get(request.user, pk=org_id)
    org.ancestors = selectors.organization_ancestors(org)
    org.subtree_size = selectors.organization_subtree_size(org)
    return org


@orgs_router.post("/", response={201: OrgOut}, summary="新增组织")
@api_requires(Perm.ORG_MANAGE)
def org_create(request, data: OrgIn):
    parent = (
        selectors.organization_get(request.user, pk=data.parent_id, perm=Perm.ORG_MANAGE)
        if data.parent_id
        else None
    )
    org = services.organization_create(
        actor=request.user,
        parent=parent,
        code=data.code,
        name=data.name,
        kind=data.kind,
        division_code=data.division_code,
        active_from=data.active_from,
        active_to=data.active_to,
        supervising_body=_body_or_none(request.user, data.supervising_body_id),
    )
    return Status(201, org)


@orgs_router.patch("/{org_id}", response=OrgOut, summary="修改组织信息")
@api_requires(Perm.ORG_MANAGE)
def org_update(request, org_id: int, data: OrgPatch):
    org = selectors.organization_get(request.user, pk=org_id, perm=Perm.ORG_MANAGE)
    changes = data.dict(exclude_unset=True)
    if "supervising_body_id" in changes:
        changes["supervising_body"] = _body_or_none(request.user, changes.pop("supervising_body_id"))
    return services.organization_update(actor=request.user, org=org, **changes)
