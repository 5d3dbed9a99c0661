"""Official documents over the API (``/api/documents/official``): the same selectors and services as
the 文书 pages — list, detail, draft, versions, download of a version's file (audited), issue."""

import datetime

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from lijian.core.lists import api_filtered, api_page
from lijian.core.params import ApiAfter, ApiLimit
from lijian.core.permissions import Perm, api_requires

from . import official, selectors
from .choices import DocumentStatus, FileFormat
from .filters import DocumentFilter
from .kinds import ISSUE, document_kind

router = Router(tags=["公文"])


class DocumentOut(Schema):
    id: int
    kind: str
    kind_label: str
    organ_type: str
    organ_id: int
    organ_name: str
    year: int
    serial: int | None
    number: str
    title: str
    status: str
    as_of: datetime.date
    created_at: datetime.datetime
    issued_at: datetime.datetime | None


class DocumentDetail(DocumentOut):
    params: dict
    paper: dict
    wording: dict


class DraftIn(Schema):
    """What the "新建文书" form asks: the kind, the issuing organ (its id, or its code as the command
    line takes it), the term, year and whom a notice names (the kind's ``params_parse`` checks them)
    and the as-of date (default today)."""

    kind: str = Field(max_length=40)
    organ: int | None = Field(None, ge=1)
    organ_code: str = Field("", max_length=40)
    term: str = Field("", max_length=100)
    year: int | None = Field(None, ge=2000, le=9999)
    named: str = Field("", max_length=40)
    as_of: datetime.date | None = None


class AlikeOut(Schema):
    id: int
    number: str
    status: str
    title: str
    as_of: datetime.date
    created_at: datetime.datetime


class DraftOut(DocumentDetail):
    alike: list[AlikeOut]
    warnings: list[str]


class DocumentPage(Schema):
    items: list[DocumentOut]
    next_after: int | None


class VersionOut(Schema):
    id: int
    n: int
    status: str
    note: str
    as_of: datetime.date
    created_at: datetime.datetime
    render_status: str
    render_percent: int
    warnings: list[str]
    docx_sha256: str
    pdf_sha256: str
    pdf_note: str


@router.get("/", response=DocumentPage, summary="公文（键集分页）")
@api_requires(Perm.DOCUMENT_VIEW)
def document_list(
    request,
    kind: str | None = None,
    status: DocumentStatus | None = None,
    year: int | None = None,
    q: str | None = None,
    after: ApiAfter | None = None,
    limit: ApiLimit = 50,
):
    rows = selectors.documents_visible(request.user)
    rows = api_filtered(DocumentFilter, rows, kind=kind, status=status, year=year, q=q)
    return api_page(rows, after, limit)


@router.get("/{document_id}", response=DocumentDetail, summary="公文详情（含文稿）")
@api_requires(Perm.DOCUMENT_VIEW)
def document_detail(request, document_id: int):
    return selectors.document_get(request.user, document_id)


def _organ_id(request, data: DraftIn):
    """The organ id the request names, by id or by code (exactly one). A code that names no organ,
    or one the user may not draft for, is refused alike: the answer does not tell which."""
    if (data.organ is None) == (not data.organ_code.strip()):
        raise ValidationError({"organ": _("请给出发文机关的 organ（编号）或 organ_code（代码），二者取一。")})
    if data.organ is not None:
        return data.organ
    spec = document_kind(data.kind)
    refused = ValidationError(
        {
            "organ_code": _("没有代码为“%(code)s”、您可以起草这种文书的机关。")
            % {"code": data.organ_code.strip()}
        }
    )
    if spec.organ_from_code is None:
        raise refused
    try:
        organ = spec.organ_from_code(data.organ_code.strip())
        spec.organ_get(request.user, organ.pk, ISSUE)
    except (ValidationError, Http404):
        raise refused from None
    return organ.pk


@router.post("/", response={201: DraftOut}, summary="起草公文（种类、发文机关、届次/年度、数据截至日期）")
@api_requires(Perm.DOCUMENT_ISSUE)
def document_draft(request, data: DraftIn):
    """A new draft through the service the 新建文书 page uses; 422 naming the field for a kind, term,
    year or ``named`` the organ or kind has not (nothing is written then). ``alike`` lists the
    documents already drafted on the same subject and ``warnings`` says so: the draft is made all
    the same."""
    document = official.document_draft(
        actor=request.user,
        kind=data.kind,
        organ_id=_organ_id(request, data),
        term=data.term,
        year=data.year,
        as_of=data.as_of,
        named=data.named,
    )
    alike = selectors.documents_alike(request.user, document)
    document.alike = alike
    document.warnings = [official.alike_warning(alike)] if alike else []
    return Status(201, document)


@router.get("/{document_id}/versions", response=list[VersionOut], summary="公文的各个版本")
@api_requires(Perm.DOCUMENT_VIEW)
def document_versions(request, document_id: int):
    return list(selectors.versions_of(selectors.document_get(request.user, document_id)))


@router.get("/{document_id}/versions/{n}/{fmt}", summary="下载某一版本的 DOCX 或 PDF（记入审计日志）")
@api_requires(Perm.DOCUMENT_VIEW)
def document_download(request, document_id: int, n: int, fmt: FileFormat):
    document = selectors.document_get(request.user, document_id)
    version = selectors.versions_of(document).filter(n=n).first()
    if version is None:
        raise Http404
    handle = official.version_open(
        actor=request.user, version=version, fmt=fmt, organ_path=selectors.document_organ_path(document)
    )
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=official.download_name(document, version, fmt),
        content_type=official.CONTENT_TYPES[fmt],
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@router.post("/{document_id}/issue", response=DocumentOut, summary="编号并印发草稿")
@api_requires(Perm.DOCUMENT_ISSUE)
def document_issue(request, document_id: int):
    document = selectors.document_get(request.user, document_id, ISSUE)
    return official.document_issue(actor=request.user, document=document)
