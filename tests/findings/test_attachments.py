"""Evidence files: the content decides, not the name; stored outside the web root under a name the
server chooses; served only to those who may see the record, each download audited."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lijian.accounts.choices import Role
from lijian.core.models import AuditEvent
from lijian.documents import attachments
from lijian.documents.models import Attachment

from ..world import build_findings, build_rounds


@pytest.fixture
def f(world):
    world.rounds = build_rounds(world)
    world.findings = build_findings(world, world.rounds)
    return world


def _docx(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _add(f, name, data):
    return attachments.attachment_add(
        actor=f.admin, owner=f.findings.problem1, upload=SimpleUploadedFile(name, data)
    )


def test_a_real_pdf_and_a_real_docx_are_kept_under_server_chosen_names(f, settings):
    pdf = _add(f, "../../etc/证据.pdf", b"%PDF-1.7\n...")
    docx = _add(f, "谈话记录.docx", _docx({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"}))
    for attachment in (pdf, docx):
        stored = attachments.storage_dir() / attachment.stored_name
        assert stored.exists() and str(settings.MEDIA_ROOT) in str(stored)
        assert "/" not in attachment.stored_name and ".." not in attachment.stored_name
    assert pdf.original_name == "证据.pdf" and docx.kind == "docx"


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("证据.pdf", b"MZ\x90\x00 this is a windows program", "这不是一个 PDF"),
        ("照片.jpg", b"%PDF-1.4 not a picture", "这不是一个 JPEG"),
        ("记录.docx", b"PK\x03\x04 not really a zip", "这不是一个 Word"),
        ("记录.txt", b"\x00\x01\x02binary", "这不是一个 文本"),
        ("程序.exe", b"MZ\x90\x00", "不支持的文件类型"),
        ("空.pdf", b"", "文件是空的"),
    ],
)
def test_wrong_content_behind_a_right_extension_is_refused(f, name, data, message):
    before = (Attachment.objects.count(), len(list(attachments.storage_dir().iterdir())))
    with pytest.raises(ValidationError, match=message):
        _add(f, name, data)
    assert (Attachment.objects.count(), len(list(attachments.storage_dir().iterdir()))) == before


def test_an_oversize_file_is_refused(f, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    with pytest.raises(ValidationError, match="文件过大"):
        _add(f, "大.pdf", b"%PDF-" + b"0" * 2000)


def test_a_zip_bomb_dressed_as_a_spreadsheet_is_refused(f):
    bomb = _docx({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"\x00" * (50 * 1024 * 1024)})
    assert len(bomb) < 200 * 1024  # small on the wire, 50 MB unpacked
    with pytest.raises(ValidationError, match="解压后过大"):
        _add(f, "报表.xlsx", bomb)


def test_downloads_need_the_record_and_are_audited(f, client):
    attachment = f.findings.attachment1  # on clue 1 of 和平区
    url = reverse("findings:attachment", kwargs={"pk": attachment.pk})
    for user, status in ((f.users[Role.LIAISON], 403), (f.outsider, 404), (f.users[Role.DEPARTMENT], 200)):
        client.force_login(user)
        assert client.get(url).status_code == status
    response = client.get(url)
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["X-Content-Type-Options"] == "nosniff"
    downloads = AuditEvent.objects.filter(action="attachment.download", object_id=str(attachment.pk))
    assert downloads.filter(outcome="success").count() == 2
    # The outsider's try is on the record as refused (the liaison was stopped before any record).
    assert list(downloads.filter(outcome="denied").values_list("actor", flat=True)) == [f.outsider.pk]


def test_a_bad_upload_from_the_page_shows_the_reason_and_keeps_nothing(f, client):
    client.force_login(f.users[Role.GROUP_MEMBER])
    clue = f.findings.clue1
    before = Attachment.objects.count()
    response = client.post(
        reverse("findings:attach", kwargs={"kind": "clue", "pk": clue.pk}),
        {"file": SimpleUploadedFile("证据.pdf", b"MZ not a pdf")},
        follow=True,
    )
    assert "文件内容与扩展名不符" in response.content.decode()
    assert Attachment.objects.count() == before
