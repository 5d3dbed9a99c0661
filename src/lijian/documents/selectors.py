from django.db.models import Q, QuerySet
from django.http import Http404

from lijian.core.permissions import Perm, access_for, visible_get

from .kinds import KINDS, VIEW
from .models import DocumentVersion, LedgerImportJob, OfficialDocument


def ledger_jobs_for_user(user, limit: int = 20):
    return LedgerImportJob.objects.filter(created_by=user).order_by("-created_at")[:limit]


def ledger_job_get(user, pk: int) -> LedgerImportJob:
    """A job is visible to the person who submitted it and to system administrators."""
    try:
        job = LedgerImportJob.objects.get(pk=pk)
    except LedgerImportJob.DoesNotExist as exc:
        raise Http404 from exc
    if job.created_by_id != user.pk and not access_for(user).is_global(Perm.ACCOUNTS_MANAGE):
        raise Http404
    return job


# --- official documents ---------------------------------------------------------------------------


def documents_visible(user) -> QuerySet[OfficialDocument]:
    """The official documents the user may read: for each registered kind, those of the organs the
    kind lets the user see (``DocumentKind.organs_visible``); none without ``Perm.DOCUMENT_VIEW``, and
    none of a kind no app registers any more."""
    if not access_for(user).has(Perm.DOCUMENT_VIEW):
        return OfficialDocument.objects.none()
    match = Q(pk__in=[])
    for kind in KINDS.values():
        match |= Q(kind=kind.code, organ_type=kind.organ_type, organ_id__in=kind.organs_visible(user))
    return OfficialDocument.objects.filter(match)


def document_get(user, pk, action: str = VIEW) -> OfficialDocument:
    """The document ``pk`` for ``action`` (``kinds.VIEW`` or ``kinds.ISSUE``) on its organ.

    Raises ``Http404`` when ``pk`` is no id, names no document, or one of an organ the user may not
    see (or a kind no app registers), and ``PermissionDenied`` when the user sees it but may not do
    ``action`` (the kind's ``organ_get`` answers)."""
    document = visible_get(OfficialDocument.objects.all(), pk)
    kind = KINDS.get(document.kind)
    if kind is None or not access_for(user).has(Perm.DOCUMENT_VIEW):
        raise Http404
    document.organ = kind.organ_get(user, document.organ_id, action)  # for the page and the audit scope
    return document


def document_organ_path(document: OfficialDocument) -> str:
    """The tree path of the document's organ as its kind gives it (audit events are scoped to it),
    for a document read through ``document_get``; ``""`` otherwise."""
    kind = KINDS.get(document.kind)
    organ = getattr(document, "organ", None)
    return kind.organ_path(organ) if kind is not None and organ is not None else ""


def versions_of(document: OfficialDocument) -> QuerySet[DocumentVersion]:
    """Every version of the document, newest first."""
    return document.versions.order_by("-n")


def version_get(user, pk) -> DocumentVersion:
    """The version ``pk`` if the user may read its document (``Http404`` otherwise)."""
    version = visible_get(DocumentVersion.objects.all(), pk)
    version.document = document_get(user, version.document_id)
    return version


def documents_alike(user, document: OfficialDocument) -> list[OfficialDocument]:
    """The other documents the user may read of the same kind and organ drafted with the same
    parameters (term, year, whom it names): a second document on one subject, oldest first."""
    rows = (
        documents_visible(user)
        .filter(kind=document.kind, organ_type=document.organ_type, organ_id=document.organ_id)
        .exclude(pk=document.pk)
        .order_by("created_at", "id")
    )
    # Compared here, not in SQL: a JSON equality reads differently on SQLite and PostgreSQL.
    return [row for row in rows if row.params == document.params]
