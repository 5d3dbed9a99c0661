"""Official documents (公文): draft one of a registered kind, regenerate it from the records at
another date, reword its paragraphs (the figures stay computed), issue it under the next number of
its organ, kind and year, and download any of its versions.

Every write checks ``Perm.DOCUMENT_ISSUE`` and the kind's ``organ_get`` (404 for an organ the user
may not see, 403 for one they may not issue from), runs in one transaction, writes a
``DocumentVersion`` and an audit event, and queues the version's rendering (``rendering``).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from dataclasses import dataclass, replace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lijian.core.audit import audit_record
from lijian.core.permissions import Perm, require

from .choices import DOCUMENT_TRANSITIONS, DocumentStatus, FileFormat, RenderStatus
from .gbt9704 import Paper, document_number, paper_from_dict, paper_to_dict
from .kinds import ISSUE, DocumentKind, document_kind
from .models import DocumentSerial, DocumentVersion, OfficialDocument
from .rendering import stored_path
from .tasks import render_document_version
from .wording import apply_wording, check_wording, stale_dates

EARLIEST = datetime.date(2000, 1, 1)
# An official document is written in Chinese (settings.LANGUAGES' first language) even when the user
# who drafts it reads the pages in English: its headings and phrases are built in this language.
DOCUMENT_LANGUAGE = "zh-hans"
CONTENT_TYPES = {
    FileFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    FileFormat.PDF: "application/pdf",
}


def _check_as_of(as_of: datetime.date) -> None:
    """Raise ``ValidationError`` on ``as_of`` for a date in the future or before 2000: no record can
    stand as of then."""
    if as_of > timezone.localdate():
        raise ValidationError({"as_of": _("数据截至日期不能晚于今天。")}, code="future")
    if as_of < EARLIEST:
        raise ValidationError({"as_of": _("数据截至日期不能早于 2000 年。")}, code="past")


def paper_compute(kind: DocumentKind, organ, params: dict, as_of: datetime.date) -> Paper:
    """The paper ``kind`` builds for ``organ`` from the records as they stood on ``as_of``, in
    Chinese whatever the user's language (``DOCUMENT_LANGUAGE``): every kind is built here.

    Raises ``ValidationError`` for an ``as_of`` in the future, or when the kind refuses (no term,
    nothing to report): the refusal is said in the user's language, not the document's."""
    _check_as_of(as_of)
    try:
        with translation.override(DOCUMENT_LANGUAGE):
            return kind.build(organ, params, as_of)
    except ValidationError as refused:
        if translation.get_language() == DOCUMENT_LANGUAGE:
            raise
        in_document_language = refused
    # Asked again in the reader's language for the words of the refusal; the same records refuse
    # the same way (were they to build now, the Chinese refusal stands).
    try:
        kind.build(organ, params, as_of)
    except ValidationError as refused:
        raise refused from None
    raise in_document_language


def _label_in_document_language(spec: DocumentKind) -> str:
    with translation.override(DOCUMENT_LANGUAGE):
        return str(spec.label)


def _digest(paper: dict) -> str:
    return hashlib.sha256(json.dumps(paper, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _version_add(*, actor, document: OfficialDocument, note: str, at=None) -> DocumentVersion:
    """Write the next version of ``document`` (its paper as it is now), made ``at`` (default now),
    and queue its rendering. The caller holds the document's row lock inside its transaction, so two
    writers never take one ``n``."""
    last = document.versions.order_by("-n").values_list("n", flat=True).first() or 0
    version = DocumentVersion.objects.create(
        document=document,
        n=last + 1,
        status=document.status,
        note=note[:200],
        as_of=document.as_of,
        paper=document.paper,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        created_at=at or timezone.now(),
    )
    # The queued task is written in this transaction (database backend): the worker cannot pick it
    # before the version it renders is committed, and a rolled-back write queues nothing.
    render_document_version.enqueue(version.pk)
    return version


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    """The moment ``hour`` o'clock of ``day`` in the project's time zone (a back-dated record's time)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _locked(document: OfficialDocument) -> OfficialDocument:
    """``document`` read again under its row lock (the caller is in a transaction)."""
    return OfficialDocument.objects.select_for_update().get(pk=document.pk)


def _check_draft(document: OfficialDocument) -> None:
    if document.status != DocumentStatus.DRAFT:
        raise ValidationError(
            _("文书已印发（%(number)s），不能再修改；如需更正，请另行起草。") % {"number": document.number},
            code="issued",
        )


def document_draft(
    *,
    actor,
    kind: str,
    organ_id,
    term: str = "",
    year: int | None = None,
    as_of: datetime.date | None = None,
    named: str = "",
    on: datetime.date | None = None,
) -> OfficialDocument:
    """A new draft of ``kind`` for the organ ``organ_id``, computed from the records as of ``as_of``
    (default today), with its first version queued for rendering. ``on``: the day it was drafted
    (default today; an earlier day only records a document drafted on paper then, as the demo's
    history, and may not precede ``as_of``).

    Raises ``PermissionDenied`` without ``Perm.DOCUMENT_ISSUE`` or when the user may see the organ but
    not issue from it, ``Http404`` when the organ is not theirs to see, and ``ValidationError`` for an
    unknown kind, a term or year the organ has not, a ``named`` the kind has not, or a date in the
    future or a drafting day before ``as_of``."""
    require(actor, Perm.DOCUMENT_ISSUE)
    spec = document_kind(kind)
    organ = spec.organ_get(actor, organ_id, ISSUE)
    as_of = as_of or timezone.localdate()
    if on is not None and not as_of <= on <= timezone.localdate():
        raise ValidationError(_("起草日期应在数据截至日期和今天之间。"), code="draft_date")
    drafted_at = _at(on, 9) if on else timezone.now()
    params = spec.params_parse(organ, (term or "").strip(), year, (named or "").strip())
    paper = paper_compute(spec, organ, params, as_of)
    computed = paper_to_dict(paper)
    with transaction.atomic():
        document = OfficialDocument(
            kind=spec.code,
            organ_type=spec.organ_type,
            organ_id=organ.pk,
            organ_name=spec.organ_name(organ)[:200],
            year=(on or timezone.localdate()).year,
            title=(paper.title or _label_in_document_language(spec))[:300],
            as_of=as_of,
            params=params,
            computed=computed,
            paper=computed,
            created_by=actor,
            created_at=drafted_at,
        )
        document.full_clean()
        document.save()
        version = _version_add(actor=actor, document=document, note=_("起草"), at=drafted_at)
        audit_record(
            actor=actor,
            action="document.draft",
            obj=document,
            after={
                "kind": spec.code,
                "organ": f"{spec.organ_type}:{organ.pk}",
                "as_of": as_of.isoformat(),
                "params": params,
                "version": version.n,
                "paper_sha256": _digest(document.paper),
            },
            scope_path=spec.organ_path(organ),
        )
    return document


def alike_warning(alike: list[OfficialDocument]) -> str:
    """The warning that the organ already has ``alike`` documents on the same subject (same kind
    and parameters), naming each by its number (a draft by its id) and status; ``""`` for none. The
    user may go on: a corrected notice is drafted anew."""
    if not alike:
        return ""
    named = "、".join(
        _("%(number)s（%(status)s）")
        % {
            "number": doc.number
            or _("草稿 #%(id)s（数据截至%(as_of)s）") % {"id": doc.pk, "as_of": doc.as_of},
            "status": doc.get_status_display(),
        }
        for doc in alike
    )
    return _("本机关已有同一种类、同一参数（届次、年度等）的文书：%(docs)s。请确认不是重复起草。") % {
        "docs": named
    }


def _organ_for_issue(actor, document: OfficialDocument):
    require(actor, Perm.DOCUMENT_ISSUE)
    spec = document_kind(document.kind)
    return spec, spec.organ_get(actor, document.organ_id, ISSUE)


@dataclass(frozen=True)
class Regenerated:
    """What a regenerate did to the office's wording: ``dropped``, the keys of the paragraphs whose
    wording no longer fitted and went back to the computed text; ``stale_dates``, the dates that
    changed but a kept wording still carries as typed text, ``(where, old, new)``."""

    dropped: list[str]
    stale_dates: list[tuple[str, str, str]]


def document_regenerate(*, actor, document: OfficialDocument, as_of: datetime.date) -> Regenerated:
    """Compute the draft again from the records as they stand on ``as_of``, keeping the office's
    wording of every paragraph whose figures are still the same, its figures and dated placeholders
    (``{日期N}``) refreshed; writes a version.

    Returns what became of the wording (``Regenerated``). Raises ``PermissionDenied``/``Http404`` as
    ``document_draft``, and ``ValidationError`` for an issued document or a future date."""
    spec, organ = _organ_for_issue(actor, document)
    _check_draft(document)
    paper = paper_compute(spec, organ, document.params, as_of)
    with transaction.atomic():
        document = _locked(document)
        _check_draft(document)
        shown, dropped = apply_wording(paper, document.wording)
        kept = {k: v for k, v in document.wording.items() if k not in dropped}
        stale = stale_dates(paper_from_dict(document.computed), paper, kept)
        before = {"as_of": document.as_of.isoformat(), "paper_sha256": _digest(document.paper)}
        document.as_of = as_of
        document.computed = paper_to_dict(paper)
        document.paper = paper_to_dict(shown)
        document.wording = kept
        document.title = (paper.title or document.title)[:300]
        document.full_clean()
        document.save()
        version = _version_add(
            actor=actor,
            document=document,
            note=_("按 %(date)s 的数据重新生成") % {"date": as_of.isoformat()},
        )
        audit_record(
            actor=actor,
            action="document.regenerate",
            obj=document,
            before=before,
            after={
                "as_of": as_of.isoformat(),
                "paper_sha256": _digest(document.paper),
                "version": version.n,
                "wording_dropped": dropped,
                "dates_kept_as_typed": [list(row) for row in stale],
            },
            scope_path=spec.organ_path(organ),
        )
    return Regenerated(dropped, stale)


def document_wording_edit(*, actor, document: OfficialDocument, wording: dict[str, str]) -> OfficialDocument:
    """Set the office's wording of the paragraphs in ``wording`` (paragraph key → text with
    ``{figure}`` placeholders; a text equal to the computed one puts the computed text back) and
    write a version. Paragraphs not in ``wording`` keep theirs.

    Raises ``ValidationError`` for an issued document, a key of no paragraph, an empty text, or a text
    that drops a figure of its paragraph or names one it has not (nothing is saved then), and
    ``PermissionDenied``/``Http404`` as ``document_draft``."""
    spec, organ = _organ_for_issue(actor, document)
    with transaction.atomic():
        document = _locked(document)
        _check_draft(document)
        computed = paper_from_dict(document.computed)
        cleaned = check_wording(computed, wording)
        merged = {k: v for k, v in document.wording.items() if k not in wording}
        merged.update(cleaned)
        if merged == document.wording:
            return document
        before = {k: document.wording.get(k) for k in wording}
        shown, _dropped = apply_wording(computed, merged)
        document.wording = merged
        document.paper = paper_to_dict(shown)
        document.full_clean()
        document.save(update_fields=["wording", "paper"])
        version = _version_add(actor=actor, document=document, note=_("修改文字"))
        audit_record(
            actor=actor,
            action="document.wording",
            obj=document,
            before=before,
            after={**{k: merged.get(k) for k in wording}, "version": version.n},
            scope_path=spec.organ_path(organ),
        )
    return document


def _next_serial(document: OfficialDocument, year: int) -> int:
    """The next serial of the document's organ, kind and year, taken under the counter's row lock
    (PostgreSQL: ``SELECT … FOR UPDATE``; SQLite: the write lock every transaction takes up front,
    settings ``transaction_mode=IMMEDIATE``). The caller's transaction commits it with the document,
    or rolls both back: a refused issue leaves no gap."""
    counter, _created = DocumentSerial.objects.select_for_update().get_or_create(
        organ_type=document.organ_type, organ_id=document.organ_id, kind=document.kind, year=year
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def _check_number_free(document: OfficialDocument, number: str) -> None:
    """Raise ``ValidationError`` when another issued document of the same organ already carries
    ``number``. Serials run per kind, so two kinds sharing one 机关代字 would repeat a 发文字号
    (GB/T 9704 forbids it); the kinds give each series its own 代字, and this refuses the rest."""
    taken = (
        OfficialDocument.objects.filter(
            organ_type=document.organ_type,
            organ_id=document.organ_id,
            status=DocumentStatus.ISSUED,
            number=number,
        )
        .exclude(pk=document.pk)
        .exists()
    )
    if taken:
        raise ValidationError(
            _(
                "发文字号“%(number)s”已被本机关另一份已印发的文书使用，不能重复；请为这类文书设置不同的机关代字。"
            )
            % {"number": number},
            code="number_taken",
        )


def document_issue(*, actor, document: OfficialDocument, on: datetime.date | None = None) -> OfficialDocument:
    """Number the draft with the next serial of its organ, kind and year, date it ``on`` (default
    today; an earlier day only records a document issued on paper then, e.g. the demo's history),
    freeze its paper (figures as computed for its as-of date) and write the issued version, queued
    for DOCX and PDF. Two documents issued at once get consecutive numbers; a refused issue takes none.

    Raises ``ValidationError`` when the document is already issued (the transition table), ``on``
    is in the future or before its as-of date, or its number is already carried by another issued
    document of the organ (no number is taken then), and ``PermissionDenied``/``Http404`` as
    ``document_draft``."""
    spec, organ = _organ_for_issue(actor, document)
    with transaction.atomic():
        document = _locked(document)
        if document.status == DocumentStatus.ISSUED:
            # Said for people; the transition table's wording names two statuses.
            raise ValidationError(
                _("该文书已印发（%(number)s），不能再印发。") % {"number": document.number}, code="issued"
            )
        DOCUMENT_TRANSITIONS.check(document.status, DocumentStatus.ISSUED)
        today = on or timezone.localdate()
        if not document.as_of <= today <= timezone.localdate():
            raise ValidationError(_("印发日期应在数据截至日期和今天之间。"), code="issue_date")
        serial = _next_serial(document, today.year)
        number = document_number(spec.prefix_for(organ), today.year, serial)
        _check_number_free(document, number)
        paper = paper_from_dict(document.paper)
        # A record block's 印发日期 is the issue day (a draft carries its as-of date there).
        paper = replace(paper, number=number, dated=today, printed_on=today if paper.printed_on else None)
        before = {"status": document.status, "number": document.number}
        document.status = DocumentStatus.ISSUED
        document.year = today.year
        document.serial = serial
        document.number = number
        document.paper = paper_to_dict(paper)
        document.issued_by = actor
        document.issued_at = _at(on, 10) if on else timezone.now()
        document.full_clean()
        document.save()
        version = _version_add(actor=actor, document=document, note=_("印发"), at=document.issued_at)
        audit_record(
            actor=actor,
            action="document.issue",
            obj=document,
            before=before,
            after={
                "status": document.status,
                "number": number,
                "serial": serial,
                "year": today.year,
                "as_of": document.as_of.isoformat(),
                "version": version.n,
                "paper_sha256": _digest(document.paper),
            },
            scope_path=spec.organ_path(organ),
        )
    return document


def download_name(document: OfficialDocument, version: DocumentVersion, fmt: str) -> str:
    """The file name a download of ``version`` is offered under: the number (a draft: its kind),
    the version, the format; no character a file system refuses."""
    base = document.number or _("%(kind)s（草稿）") % {"kind": document.kind_label}
    base = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", base)
    return f"{base}-v{version.n}.{fmt}"


def version_open(*, actor, version: DocumentVersion, fmt: str, organ_path: str = ""):
    """The stored DOCX or PDF of ``version``, opened for reading, for a user the caller has let see
    its document (``selectors.version_get``); each download is an audit event.

    Raises ``ValidationError`` when the format is not ``docx``/``pdf`` or the version has no such file
    (still rendering, or no PDF could be made: the message says which)."""
    if fmt not in FileFormat.values:
        raise ValidationError(_("文件格式应为 DOCX 或 PDF。"), code="format")
    name = version.docx_name if fmt == FileFormat.DOCX else version.pdf_name
    if not name:
        if version.render_status in (RenderStatus.QUEUED, RenderStatus.RUNNING):
            raise ValidationError(_("文件正在生成，请稍候再下载。"), code="rendering")
        if fmt == FileFormat.PDF and version.pdf_note:
            raise ValidationError(version.pdf_note, code="no_pdf")
        raise ValidationError(_("此版本没有 %(fmt)s 文件。") % {"fmt": fmt.upper()}, code="missing")
    handle = stored_path(name).open("rb")
    audit_record(
        actor=actor,
        action="document.download",
        obj=version.document,
        after={
            "version": version.n,
            "format": fmt,
            "sha256": version.docx_sha256 if fmt == FileFormat.DOCX else version.pdf_sha256,
        },
        scope_path=organ_path,
    )
    return handle


def versions_settle_interrupted() -> int:
    """Queue again the versions a stopped worker left rendering (a render commits nothing until it
    ends, so it simply starts over); returns how many. Call only while no worker runs."""
    stuck = list(
        DocumentVersion.objects.filter(render_status=RenderStatus.RUNNING).values_list("pk", flat=True)
    )
    DocumentVersion.objects.filter(pk__in=stuck).update(render_status=RenderStatus.QUEUED, render_percent=0)
    for pk in stuck:
        render_document_version.enqueue(pk)
    return len(stuck)
