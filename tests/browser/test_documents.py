"""The 文书 journey: the office drafts a notice, rewords a paragraph (a figure typed over is refused),
issues it and downloads the Word file; a leader reads it and its figures but cannot issue."""

from lijian.accounts.choices import Role
from lijian.documents import rendering
from lijian.documents.gbt9704 import PdfUnavailable
from lijian.documents.models import OfficialDocument

from ..documents.kind import register_test_kind
from ..world import PASSWORD, build_world
from .conftest import Page


def test_the_office_drafts_rewords_issues_and_downloads_and_a_leader_reads(
    page, browser, live_server, transactional_db, monkeypatch
):
    def no_libreoffice(docx):
        raise PdfUnavailable("服务器没有安装 LibreOffice，无法生成 PDF，请下载 Word 文件。")

    monkeypatch.setattr(rendering, "render_pdf", no_libreoffice)
    register_test_kind()
    world = build_world()
    p = page.page

    page.login(world.users[Role.OFFICE_STAFF].username, PASSWORD)
    page.go("/documents/official/")
    p.click("#new-document")
    p.select_option("#id_kind", value="test_notice")
    p.select_option("#id_organ", label=world.body1.name)
    p.click("#main-form button[type=submit]")
    p.wait_for_selector("#document-status >> text=草稿")
    doc = OfficialDocument.objects.get()
    assert "监督的党组织" in p.inner_text("#document-paper")

    # A figure typed over is refused; moved within the sentence it stays the computed value.
    p.fill("#id_p1", "本机关监督的党组织共 5 个，其中街道党工委{streets}个。")
    p.click("#wording-form button[type=submit]")
    p.wait_for_selector("#wording-form .invalid-feedback, #wording-form .alert-danger")
    assert "删去了数字" in p.inner_text("#wording-form")
    p.fill("#id_p1", "其中街道党工委{streets}个，本机关监督的党组织合计{orgs}个。")
    p.click("#wording-form button[type=submit]")
    p.wait_for_selector("#version-2")
    assert "合计2个" in p.inner_text("#document-paper").replace(" ", "")
    page.shot("documents-draft")

    p.click("#issue-button")
    p.wait_for_selector("#document-status >> text=已印发")
    doc.refresh_from_db()
    assert p.inner_text("#document-number") == doc.number
    assert "LibreOffice" in p.inner_text("#version-3")  # why there is no PDF
    with p.expect_download() as download:
        p.click("#version-3 .download-docx")
    assert download.value.suggested_filename == f"{doc.number}-v3.docx"

    # A leader reads the issued document and follows a figure; no button to issue or edit.
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    leader = Page(context.new_page(), live_server.url)
    leader.login(world.users[Role.LEADER].username, PASSWORD)
    leader.go("/documents/official/")
    leader.page.click(f"text={doc.title}")
    leader.page.wait_for_selector("#document-paper")
    assert leader.page.locator("#issue-button").count() == 0
    assert leader.page.locator("#wording-form").count() == 0
    assert doc.number in leader.page.inner_text("#document-number")
    leader.page.click("#figures a >> nth=0")
    leader.page.wait_for_url(f"**/orgs/bodies/{world.body1.pk}/")
    context.close()
    assert not leader.problems, leader.problems
