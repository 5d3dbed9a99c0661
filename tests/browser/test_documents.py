"""The 文书 journey: the office drafts a notice, rewords a paragraph (a figure typed over is refused),
issues it and downloads the Word file; a leader reads it and its figures but cannot issue. The office
drafts the term's work report on a world with records, each figure a link to what it counts, and
issues a rectification notice."""

from lijian.accounts.choices import Role
from lijian.documents import rendering
from lijian.documents.gbt9704 import PdfUnavailable
from lijian.documents.models import OfficialDocument

from ..documents.kind import register_test_kind
from ..world import PASSWORD, build_findings, build_governance, build_rectification, build_rounds, build_world
from ..world_guidance import build_guidance
from .conftest import SCREENSHOTS, Page


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
    page.shot("29-documents-draft")

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


def test_the_work_report_shows_its_figures_as_links_and_a_notice_is_issued_with_its_pdf(
    page, transactional_db
):
    world = build_world()
    rounds = build_rounds(world)
    build_rectification(world, rounds, build_findings(world, rounds))
    build_governance(world)
    build_guidance(world)
    p = page.page
    page.login(world.users[Role.OFFICE_STAFF].username, PASSWORD)

    for kind in ("work_report", "rectification_notice"):
        page.go("/documents/official/")
        p.click("#new-document")
        p.select_option("#id_kind", value=kind)
        p.select_option("#id_organ", label=world.body1.name)
        p.fill("#id_term", "第十二届")
        p.click("#main-form button[type=submit]")
        p.wait_for_selector("#document-status >> text=草稿")
        if kind == "work_report":
            assert "关于第十二届区委巡察工作情况的报告" in p.inner_text("#document-paper")
            assert p.locator("#document-paper a.gbt9704-figure").count() > 10
            # The report runs to several screens: the guide shows its head, the figures beside it.
            p.set_viewport_size({"width": 1280, "height": 1500})
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            p.screenshot(path=str(SCREENSHOTS / "30-documents-work-report.png"))
            p.set_viewport_size({"width": 1280, "height": 900})

    # Issued, the notice is rendered to DOCX and (LibreOffice being installed by `make test`) to PDF.
    p.click("#issue-button")
    p.wait_for_selector("#document-status >> text=已印发")
    p.wait_for_selector("#versions .download-pdf", timeout=120_000)
    page.shot("31-documents-issued")

    page.go("/documents/official/")
    p.wait_for_selector("text=关于第十二届区委巡察工作情况的报告")
    assert OfficialDocument.objects.filter(status="issued").count() == 1
    page.shot("28-documents-list")
