"""Official documents over the API (``/api/documents/official``): the same selectors and services as
the 文书 pages — list, detail, versions, download of a version's file (audited), issue."""

import datetime

from django.http import FileResponse, Http404
from ninja import Router, Schema

from lijian.core.lists import api_filtered, api_page
from lijian.core.params import ApiAfter, ApiLimit
from lijian.core.permissions import Perm, api_requires

from . import official, selectors
from .choices import DocumentStatus, FileFormat
from .filters import DocumentFilter
from .kinds import ISSUE

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
    paper: dict
    wording: dict


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
