"""Rendering a document version in the background worker (``tasks.render_document_version``): the
DOCX always, the PDF for an issued version when LibreOffice is installed, progress saved as it goes
so the page can show it, the engine's warnings (a font that stood in for a missing one) kept with the
version. ``official`` writes the versions and queues them."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import RENDER_TRANSITIONS, DocumentStatus, RenderStatus
from .gbt9704 import PdfUnavailable, paper_from_dict, render_docx, render_docx_pdf, render_pdf
from .models import DocumentVersion


def storage_dir() -> Path:
    """Where rendered documents are kept: under the data directory, outside the web root, served
    only through ``selectors.version_get``'s check."""
    path = Path(settings.MEDIA_ROOT) / "documents"
    path.mkdir(parents=True, exist_ok=True)
    return path


def stored_path(name: str) -> Path:
    return storage_dir() / name


def _store(data: bytes, suffix: str) -> tuple[str, str]:
    """Write ``data`` under a new server-chosen name; ``(name, sha256)``."""
    name = f"{uuid.uuid4().hex}.{suffix}"
    stored_path(name).write_bytes(data)
    return name, hashlib.sha256(data).hexdigest()


def _move(version: DocumentVersion, status: str, **fields) -> None:
    RENDER_TRANSITIONS.check(version.render_status, status)
    version.render_status = status
    for name, value in fields.items():
        setattr(version, name, value)
    version.save(update_fields=["render_status", *fields])


def _progress(version: DocumentVersion, stage: str, percent: int) -> None:
    version.render_stage, version.render_percent = stage[:120], percent
    DocumentVersion.objects.filter(pk=version.pk).update(render_stage=stage[:120], render_percent=percent)


def version_render(*, version_id: int) -> DocumentVersion:
    """Render a queued version: its DOCX, then (issued versions only) its PDF; the version ends done
    or failed with the reason, whatever happens. A version not queued is left as it is (the task ran
    twice)."""
    version = DocumentVersion.objects.get(pk=version_id)
    if version.render_status != RenderStatus.QUEUED:
        return version
    _move(version, RenderStatus.RUNNING, render_stage=_("生成 Word 文件"), render_percent=10)
    try:
        paper = paper_from_dict(version.paper)
        docx = render_docx(paper)
        fields = {}
        pdf = None
        if version.status == DocumentStatus.ISSUED:
            _progress(version, _("转换为 PDF"), 50)
            try:
                # The record block moves to an even last page; the DOCX kept is the one the PDF shows.
                docx, pdf = render_docx_pdf(paper, docx, convert=render_pdf)
            except PdfUnavailable as exc:
                fields["pdf_note"] = str(exc)[:300]
        else:
            fields["pdf_note"] = _("草稿只生成 Word 文件；印发后生成 PDF。")
        docx_name, docx_sha = _store(docx.data, "docx")
        fields.update(docx_name=docx_name, docx_sha256=docx_sha, docx_size=len(docx.data))
        warnings = list(docx.warnings)
        if pdf is not None:
            pdf_name, pdf_sha = _store(pdf.data, "pdf")
            fields.update(pdf_name=pdf_name, pdf_sha256=pdf_sha, pdf_size=len(pdf.data))
            warnings += [w for w in pdf.warnings if w not in warnings]
        _move(
            version,
            RenderStatus.DONE,
            render_stage=_("已生成"),
            render_percent=100,
            rendered_at=timezone.now(),
            warnings=warnings,
            **fields,
        )
    except Exception as exc:  # the version must end in a state the page can show, whatever happened
        version.refresh_from_db()
        _move(
            version,
            RenderStatus.FAILED,
            render_stage=(_("生成失败：%(error)s") % {"error": exc})[:120],
            rendered_at=timezone.now(),
        )
    return version
