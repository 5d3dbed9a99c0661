"""Rendering a document version in the background: the PDF of an issued version through LibreOffice,
the engine's font warnings kept and shown, a failed render shown with its reason, progress polled."""

import pytest
from django.urls import reverse

from lijian.accounts.choices import Role
from lijian.documents import official, rendering
from lijian.documents.choices import RenderStatus
from lijian.documents.gbt9704 import Rendered
from lijian.documents.gbt9704.pdf import soffice
from lijian.documents.models import DocumentVersion

pytestmark = pytest.mark.usefixtures("kind")


def draft(world):
    return official.document_draft(
        actor=world.users[Role.OFFICE_STAFF], kind="test_notice", organ_id=world.body1.pk
    )


@pytest.mark.skipif(soffice() is None, reason="LibreOffice is not installed")
def test_an_issued_version_gets_its_pdf(client, world):
    doc = official.document_issue(actor=world.users[Role.OFFICE_STAFF], document=draft(world))
    version = doc.versions.get(n=2)
    assert version.render_status == RenderStatus.DONE and version.pdf_name and version.pdf_note == ""
    client.force_login(world.users[Role.AUDITOR])
    response = client.get(reverse("documents:official_download", args=[version.pk, "pdf"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content)[:5] == b"%PDF-"


def test_font_warnings_are_kept_and_shown(client, world, monkeypatch, no_pdf):
    real = rendering.render_docx

    def with_warning(paper):
        rendered = real(paper)
        return Rendered(rendered.data, ["服务器缺少“方正小标宋简体”，以“Noto Serif CJK SC”代替。"])

    monkeypatch.setattr(rendering, "render_docx", with_warning)
    doc = draft(world)
    assert doc.versions.get().warnings == ["服务器缺少“方正小标宋简体”，以“Noto Serif CJK SC”代替。"]
    client.force_login(world.users[Role.OFFICE_STAFF])
    page = reverse("documents:official", args=[doc.pk])
    # Kept on the draft, shown only beside a PDF (they say what the PDF made here shows).
    assert "以“Noto Serif CJK SC”代替" not in client.get(page).content.decode()
    doc.versions.update(pdf_name="x.pdf")
    assert "以“Noto Serif CJK SC”代替" in client.get(page).content.decode()


def test_a_failed_render_says_why_and_a_running_one_is_polled(client, world, monkeypatch, no_pdf):
    def broken(paper):
        raise RuntimeError("模板损坏")

    monkeypatch.setattr(rendering, "render_docx", broken)
    version = draft(world).versions.get()
    assert version.render_status == RenderStatus.FAILED and "模板损坏" in version.render_stage
    assert not version.docx_name
    client.force_login(world.users[Role.OFFICE_STAFF])
    url = reverse("documents:official_version", args=[version.pk])
    assert "模板损坏" in client.get(url).content.decode()
    DocumentVersion.objects.filter(pk=version.pk).update(
        render_status=RenderStatus.RUNNING, render_percent=50, render_stage="转换为 PDF"
    )
    row = client.get(url).content.decode()
    assert f'hx-get="{url}"' in row and 'value="50"' in row and "转换为 PDF" in row
    response = client.get(reverse("documents:official_download", args=[version.pk, "docx"]), follow=True)
    assert "正在生成" in response.content.decode()
    # A worker that stopped mid-render: the version is queued again and rendered.
    monkeypatch.undo()
    assert official.versions_settle_interrupted() == 1
    version.refresh_from_db()
    assert version.render_status == RenderStatus.DONE and version.docx_name
