"""Attachments shared by every record that takes evidence: checked, stored, served behind a permission.

A record type registers how to find one of its records for a user (``register_owner``); the
attachment pages ask that function, so a file is never more visible than the record it belongs to.
"""

from __future__ import annotations

import hashlib
import io
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lijian.core.audit import audit_record
from lijian.core.models import AuditOutcome
from lijian.core.permissions import Action

from .models import Attachment

# Office documents are zip archives: beyond this much unpacked content, or this ratio of unpacked to
# packed size, or this many members, the file is treated as a zip bomb.
ZIP_MAX_UNPACKED = 200 * 1024 * 1024
ZIP_MAX_RATIO = 100
ZIP_MAX_MEMBERS = 2000


def _is_office(data: bytes, folder: str) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > ZIP_MAX_MEMBERS:
                raise ValidationError(_("压缩内容异常（成员过多），已拒绝。"), code="zip_bomb")
            unpacked = sum(i.file_size for i in infos)
            packed = sum(i.compress_size for i in infos) or 1
            if unpacked > ZIP_MAX_UNPACKED or unpacked / packed > ZIP_MAX_RATIO:
                raise ValidationError(_("压缩内容异常（解压后过大），已拒绝。"), code="zip_bomb")
            names = {i.filename for i in infos}
    except zipfile.BadZipFile:
        return False
    return "[Content_Types].xml" in names and any(n.startswith(folder) for n in names)


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class FileType:
    kind: str
    label: str
    content_type: str
    matches: Callable[[bytes], bool]


FILE_TYPES = {
    ".pdf": FileType("pdf", "PDF", "application/pdf", lambda d: d.startswith(b"%PDF-")),
    ".png": FileType("png", "PNG", "image/png", lambda d: d.startswith(b"\x89PNG\r\n\x1a\n")),
    ".jpg": FileType("jpeg", "JPEG", "image/jpeg", lambda d: d.startswith(b"\xff\xd8\xff")),
    ".jpeg": FileType("jpeg", "JPEG", "image/jpeg", lambda d: d.startswith(b"\xff\xd8\xff")),
    ".docx": FileType(
        "docx",
        "Word",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        lambda d: d.startswith(b"PK\x03\x04") and _is_office(d, "word/"),
    ),
    ".xlsx": FileType(
        "xlsx",
        "Excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        lambda d: d.startswith(b"PK\x03\x04") and _is_office(d, "xl/"),
    ),
    ".doc": FileType("doc", "Word 97", "application/msword", lambda d: d.startswith(OLE)),
    ".xls": FileType("xls", "Excel 97", "application/vnd.ms-excel", lambda d: d.startswith(OLE)),
    ".txt": FileType("txt", gettext_lazy("文本"), "text/plain; charset=utf-8", _is_text),
}


def max_bytes() -> int:
    return int(getattr(settings, "ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024))


def check_upload(upload) -> tuple[FileType, bytes]:
    """The file's type and content, if its name, size and content agree; ``ValidationError`` if not.

    The content decides, not the name: a renamed executable, an empty file, an oversize file and an
    office document that unpacks to far more than it weighs are all refused with their reason."""
    name = upload.name or ""
    suffix = Path(name).suffix.lower()
    file_type = FILE_TYPES.get(suffix)
    if file_type is None:
        raise ValidationError(
            _("不支持的文件类型“%(suffix)s”。可上传：%(allowed)s。")
            % {"suffix": suffix or name, "allowed": "、".join(sorted(FILE_TYPES))},
            code="type",
        )
    if upload.size == 0:
        raise ValidationError(_("文件是空的。"), code="empty")
    if upload.size > max_bytes():
        raise ValidationError(_("文件过大（上限 %(mb)s MB）。") % {"mb": max_bytes() // 2**20}, code="size")
    data = upload.read()
    if not file_type.matches(data):
        raise ValidationError(
            _("文件内容与扩展名不符：这不是一个 %(label)s 文件。") % {"label": file_type.label},
            code="content",
        )
    return file_type, data


def storage_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "attachments"
    path.mkdir(parents=True, exist_ok=True)
    return path


def owner_key(obj: models.Model) -> str:
    return obj._meta.label_lower


# owner key -> ((user, pk) -> the record if the user may see it, else Http404;
#               (user, record) -> whether the user may add files; record -> its tree path for the audit)
_OWNERS: dict[str, tuple[Callable, Callable, Callable]] = {}


def register_owner(key: str, get: Callable, can_add: Callable, scope: Callable) -> None:
    _OWNERS[key] = (get, can_add, scope)


def scope_of(obj) -> str:
    entry = _OWNERS.get(owner_key(obj))
    return entry[2](obj) if entry else ""


def owner_for(user, attachment: Attachment):
    """The record ``attachment`` belongs to, as ``user`` may see it (``Http404`` otherwise)."""
    from django.http import Http404

    if attachment.owner_type not in _OWNERS:
        raise Http404
    return _OWNERS[attachment.owner_type][0](user, attachment.owner_id)


def can_add(user, obj) -> bool:
    entry = _OWNERS.get(owner_key(obj))
    return bool(entry and entry[1](user, obj))


# Who adds a file to a record (its owner's ``can_add``) and what anyone else is told: the service
# checks it, and a page asks for it before it reads the upload form. ``can_add`` is looked up when
# asked, so that replacing it (a test's seam) replaces the rule.
ATTACH = Action(lambda user, obj: can_add(user, obj), gettext_lazy("您没有权限为该记录上传附件。"))


def attachments_of(obj) -> models.QuerySet[Attachment]:
    return Attachment.objects.filter(owner_type=owner_key(obj), owner_id=obj.pk).select_related("uploaded_by")


@transaction.atomic
def attachment_add(*, actor, owner, upload, description: str = "") -> Attachment:
    """Check ``upload`` and store it for ``owner`` under a server-chosen name.

    Raises ``PermissionDenied`` if the actor may not add files to ``owner`` and ``ValidationError``
    for a file refused by ``check_upload``; nothing is stored then."""
    ATTACH.check(actor, owner)
    file_type, data = check_upload(upload)
    stored = f"{uuid.uuid4().hex}.{file_type.kind}"
    attachment = Attachment(
        owner_type=owner_key(owner),
        owner_id=owner.pk,
        original_name=Path(upload.name).name[:255],
        stored_name=stored,
        kind=file_type.kind,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        description=description.strip()[:200],
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    attachment.full_clean()
    path = storage_dir() / stored
    path.write_bytes(data)
    try:
        attachment.save()
        audit_record(
            actor=actor,
            action="attachment.add",
            obj=attachment,
            after={
                "owner": f"{attachment.owner_type}:{owner.pk}",
                "name": attachment.original_name,
                "size": attachment.size,
                "sha256": attachment.sha256,
            },
            scope_path=scope_of(owner),
        )
    except Exception:
        path.unlink(missing_ok=True)
        raise
    return attachment


def evidence_check(upload, field: str = "evidence") -> None:
    """``check_upload`` for a file sent with a record, before anything is written: a refused file
    raises ``ValidationError`` on ``field``. The file is rewound for ``evidence_add``."""
    try:
        check_upload(upload)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from exc
    upload.seek(0)


def evidence_add(*, actor, owner, upload, field: str = "evidence") -> Attachment:
    """``attachment_add`` for a file sent with ``owner``, called inside the service's transaction so
    the record and its file commit together; a refused file raises ``ValidationError`` on ``field``
    and the caller's transaction writes nothing."""
    try:
        return attachment_add(actor=actor, owner=owner, upload=upload)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise
        raise ValidationError({field: exc.messages}) from exc


def attachment_open(*, actor, attachment: Attachment):
    """The stored file, opened for reading, for a user who may see the record it belongs to
    (``Http404`` otherwise); each download is an audit event, and so is each refused one
    (outcome ``denied``, committed before the 404: call this outside any transaction that the
    refusal would roll back)."""
    from django.http import Http404

    try:
        owner = owner_for(actor, attachment)
    except Http404:
        if getattr(actor, "is_authenticated", False):
            audit_record(
                actor=actor,
                action="attachment.download",
                obj=attachment,
                object_repr="",
                after={"owner": f"{attachment.owner_type}:{attachment.owner_id}"},
                outcome=AuditOutcome.DENIED,
            )
        raise
    audit_record(
        actor=actor,
        action="attachment.download",
        obj=attachment,
        after={"owner": f"{attachment.owner_type}:{attachment.owner_id}"},
        scope_path=scope_of(owner),
    )
    return (storage_dir() / attachment.stored_name).open("rb")


def content_type_of(attachment: Attachment) -> str:
    for file_type in FILE_TYPES.values():
        if file_type.kind == attachment.kind:
            return file_type.content_type
    return "application/octet-stream"


def attachment_response(*, actor, attachment: Attachment):
    """The download of ``attachment`` for a user who may see its record (``Http404`` otherwise), sent
    as a file with its original name and never sniffed as something else by the browser."""
    from django.http import FileResponse

    response = FileResponse(
        attachment_open(actor=actor, attachment=attachment),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=content_type_of(attachment),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
