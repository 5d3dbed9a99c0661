"""The 文书 pages, the API and the ``lijian document`` command, with the test kind."""

import datetime
import io
import json
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.management import CommandError, call_command
from django.urls import reverse

from lijian.accounts.choices import Role
from lijian.core.models import AuditEvent
from lijian.documents import official
from lijian.documents.choices import DocumentStatus
from lijian.documents.models import OfficialDocument

pytestmark = pytest.mark.usefixtures("kind", "no_pdf")

TODAY = datetime.date.today()


def draft(world):
    return official.document_draft(
        actor=world.users[Role.OFFICE_STAFF], kind="test_notice", organ_id=world.body1.pk
    )


def test_the_office_drafts_rewords_regenerates_and_issues_through_the_pages(client, world):
    client.force_login(world.users[Role.OFFICE_STAFF])
    page = client.get(reverse("documents:official_new"))
    assert page.status_code == 200 and world.body1.name in page.content.decode()
    assert world.body2.name not in page.content.decode()
    response = client.post(
        reverse("documents:official_new"),
        {"kind": "test_notice", "organ": world.body1.pk, "as_of": TODAY.isoformat()},
    )
    doc = OfficialDocument.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "documents:official", args=[doc.pk]
    )
    page = client.get(response["Location"]).content.decode()
    assert "wording-form" in page and "{orgs}" in page and "issue-button" in page
    url = reverse("documents:official_wording", args=[doc.pk])
    refused = client.post(url, {"p1": "共有党组织若干。", "p2": "请对照检查。"})
    assert refused.status_code == 200 and "删去了数字" in refused.content.decode()
    assert client.post(url, {"p1": "受监督的党组织{orgs}个，街道{streets}个。"}).status_code == 302
    doc.refresh_from_db()
    assert list(doc.wording) == ["p1"]
    url = reverse("documents:official_regenerate", args=[doc.pk])
    for bad in ("2026-13-45", "x", (TODAY + datetime.timedelta(days=2)).isoformat(), ""):
        assert client.post(url, {"as_of": bad}).status_code == 200
    assert client.post(url, {"as_of": (TODAY - datetime.timedelta(days=1)).isoformat()}).status_code == 302
    assert client.post(reverse("documents:official_issue", args=[doc.pk])).status_code == 302
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.ISSUED and doc.serial == 1
    # Issued again: refused with the reason, nothing changes.
    response = client.post(reverse("documents:official_issue", args=[doc.pk]), follow=True)
    assert "该文书已印发" in response.content.decode() and "不能从" not in response.content.decode()
    page = client.get(reverse("documents:official", args=[doc.pk])).content.decode()
    assert doc.number in page and "wording-form" not in page and "issue-button" not in page


def test_a_leader_reads_and_downloads_but_may_not_write(client, world):
    doc = draft(world)
    version = doc.versions.get()
    client.force_login(world.users[Role.LEADER])
    listing = client.get(reverse("documents:official_list"))
    assert listing.status_code == 200 and doc.title in listing.content.decode()
    page = client.get(reverse("documents:official", args=[doc.pk])).content.decode()
    assert "issue-button" not in page and "wording-form" not in page and "download-docx" in page
    response = client.get(reverse("documents:official_download", args=[version.pk, "docx"]))
    assert response.status_code == 200 and response["Content-Type"].endswith("wordprocessingml.document")
    assert b"".join(response.streaming_content)[:2] == b"PK"
    assert AuditEvent.objects.filter(action="document.download", actor=world.users[Role.LEADER]).count() == 1
    for name in ("official_issue", "official_wording", "official_regenerate"):
        assert client.post(reverse(f"documents:{name}", args=[doc.pk])).status_code == 403
    # No PDF of a draft: back to the page with the reason.
    response = client.get(reverse("documents:official_download", args=[version.pk, "pdf"]), follow=True)
    assert "草稿只生成 Word" in response.content.decode()


def test_bad_parameters_answer_400_or_404(client, world):
    doc = draft(world)
    version = doc.versions.get()
    client.force_login(world.users[Role.OFFICE_STAFF])
    list_url = reverse("documents:official_list")
    for query in (
        "year=abc",
        "year=99999999999999999999",
        "kind=nope",
        "status=x",
        "organ=x:1",
        "cursor=@@",
        "sort=x",
    ):
        assert client.get(f"{list_url}?{query}").status_code == 400, query
    assert client.get(f"{list_url}?year={TODAY.year}&kind=test_notice&status=draft&q=通报").status_code == 200
    organ = f"orgs.body:{world.body1.pk}"
    assert doc.title in client.get(list_url, {"organ": organ}).content.decode()
    assert client.get(f"{list_url}?export=csv").status_code == 200
    assert client.get(reverse("documents:official_download", args=[version.pk, "exe"])).status_code == 400
    assert client.get(reverse("documents:official_download", args=[10**18, "docx"])).status_code == 404
    assert client.get(reverse("documents:official", args=[10**18])).status_code == 404
    assert client.get(reverse("documents:official_version", args=[version.pk])).status_code == 200
    refused = client.get(reverse("documents:official_new"), {"kind": "nope"})
    # The reason lists the kinds by their Chinese names, not their internal codes.
    assert refused.status_code == 400 and "测试通报" in refused.content.decode()
    assert "test_notice" not in refused.content.decode()
    assert client.get(reverse("documents:official_new"), {"kind": "test_notice"}).status_code == 200
    response = client.post(
        reverse("documents:official_new"), {"kind": "test_notice", "organ": "x", "as_of": "2026-02-30"}
    )
    assert response.status_code == 200
    response = client.post(
        reverse("documents:official_new"), {"kind": "test_notice", "organ": world.body1.pk, "term": "第九届"}
    )
    assert response.status_code == 200 and "没有名为" in response.content.decode()
    client.force_login(world.outsider)
    assert client.get(reverse("documents:official", args=[doc.pk])).status_code == 404
    assert client.get(reverse("documents:official_download", args=[version.pk, "docx"])).status_code == 404


def test_the_api_lists_shows_downloads_and_issues(client, world):
    doc = draft(world)
    client.force_login(world.users[Role.OFFICE_STAFF])
    base = "/api/documents/official"
    listing = client.get(f"{base}/", {"status": "draft", "kind": "test_notice"}).json()
    assert [d["id"] for d in listing["items"]] == [doc.pk] and listing["next_after"] is None
    assert client.get(f"{base}/", {"status": "nope"}).status_code == 422
    assert client.get(f"{base}/", {"year": "abc"}).status_code == 422
    detail = client.get(f"{base}/{doc.pk}").json()
    assert detail["kind_label"] == "测试通报" and detail["paper"]["title"] == doc.title
    versions = client.get(f"{base}/{doc.pk}/versions").json()
    assert [v["n"] for v in versions] == [1]
    response = client.get(f"{base}/{doc.pk}/versions/1/docx")
    assert response.status_code == 200 and b"".join(response.streaming_content)[:2] == b"PK"
    assert client.get(f"{base}/{doc.pk}/versions/9/docx").status_code == 404
    assert client.get(f"{base}/{doc.pk}/versions/1/exe").status_code == 422
    assert client.get(f"{base}/{doc.pk}/versions/1/pdf").status_code == 422  # a draft has none: the reason
    issued = client.post(f"{base}/{doc.pk}/issue", content_type="application/json").json()
    assert issued["serial"] == 1 and issued["status"] == "issued"
    assert client.post(f"{base}/{doc.pk}/issue", content_type="application/json").status_code == 422
    client.force_login(world.outsider)
    assert client.get(f"{base}/{doc.pk}").status_code == 404
    assert client.get(f"{base}/").json()["items"] == []


def test_the_command_writes_a_document_file(world, tmp_path):
    out, err = io.StringIO(), io.StringIO()
    target = tmp_path / "notice.docx"
    call_command(
        "document",
        "test_notice",
        "--body",
        world.body1.code,
        "--date",
        "2026-01-31",
        "--out",
        str(target),
        stdout=out,
        stderr=err,
    )
    assert target.read_bytes()[:2] == b"PK" and str(target) in out.getvalue()
    for args, message in (
        (["nope", "--body", world.body1.code], "没有“nope”这种文书"),
        (["test_notice", "--body", "NOPE"], "没有代码为"),
        (["test_notice", "--body", world.body1.code, "--date", "2026-02-30"], "不是有效日期"),
        (["test_notice", "--body", world.body1.code, "--term", "第九届"], "没有名为"),
    ):
        with pytest.raises(CommandError, match=message):
            call_command("document", *args, "--out", str(target))
    with pytest.raises(CommandError, match=r"\.docx 或 \.pdf"):
        call_command("document", "test_notice", "--body", world.body1.code, "--out", str(tmp_path / "x.txt"))


def test_a_stale_tab_is_told_the_document_was_issued_and_its_text_not_saved(client, world):
    doc = draft(world)
    client.force_login(world.users[Role.OFFICE_STAFF])
    # Tab B issues; tab A, still showing the draft, then saves text or regenerates.
    assert client.post(reverse("documents:official_issue", args=[doc.pk])).status_code == 302
    doc.refresh_from_db()
    paper = doc.paper
    response = client.post(
        reverse("documents:official_wording", args=[doc.pk]),
        {"p1": "受监督的党组织{orgs}个，街道{streets}个。"},
        follow=True,
    )
    page = response.content.decode()
    assert "该文书已印发，不能再修改文字或重新生成。" in page and "没有保存" in page
    response = client.post(
        reverse("documents:official_regenerate", args=[doc.pk]), {"as_of": TODAY.isoformat()}, follow=True
    )
    assert "该文书已印发，不能再修改文字或重新生成。" in response.content.decode()
    doc.refresh_from_db()
    assert doc.paper == paper and doc.versions.count() == 2


def test_font_hints_show_only_with_a_pdf_and_a_bad_page_cursor_is_refused(client, world):
    doc = draft(world)
    version = doc.versions.get()
    client.force_login(world.users[Role.OFFICE_STAFF])
    url = reverse("documents:official_version", args=[version.pk])
    type(version).objects.filter(pk=version.pk).update(warnings=["仿宋_GB2312 以 FangSong 代替"])
    assert "render-warnings" not in client.get(url).content.decode()  # a draft: DOCX only
    type(version).objects.filter(pk=version.pk).update(pdf_name="x.pdf")
    assert "render-warnings" in client.get(url).content.decode()
    assert client.get(reverse("documents:official_list"), {"cursor": "zzz"}).status_code == 400


def test_the_document_page_loads_the_stylesheet_that_spaces_and_rules_its_tables(client, world):
    # Without gbt9704.css the web view's table headers ran together: no padding, no cell borders.
    doc = draft(world)
    client.force_login(world.users[Role.OFFICE_STAFF])
    page = client.get(reverse("documents:official", args=[doc.pk])).content.decode()
    assert re.search(r'<link rel="stylesheet" href="[^"]*lijian/gbt9704[.\w]*css"', page)
    css = Path(finders.find("lijian/gbt9704.css")).read_text()
    cells = re.search(r"\.gbt9704-table th, \.gbt9704-table td \{([^}]*)\}", css).group(1)
    assert "border: 1px solid" in cells and re.search(r"padding: \S+ [1-9]", cells)


def test_the_api_drafts_through_the_pages_service_and_checks_its_parameters(client, world):
    client.force_login(world.users[Role.OFFICE_STAFF])
    base = "/api/documents/official/"

    def post(**data):
        return client.post(base, data, content_type="application/json")

    response = post(kind="test_notice", organ=world.body1.pk, as_of="2026-01-31")
    assert response.status_code == 201, response.content
    made = response.json()
    doc = OfficialDocument.objects.get()
    assert made["id"] == doc.pk and made["status"] == "draft" and made["as_of"] == "2026-01-31"
    assert made["alike"] == [] and made["warnings"] == []
    assert AuditEvent.objects.filter(action="document.draft", object_id=str(doc.pk)).exists()
    # The params are readable on the document.
    assert client.get(f"{base}{doc.pk}").json()["params"] == {"term": "", "year": None} == doc.params
    # By code, as the command line names the body.
    assert post(kind="test_notice", organ_code=world.body1.code).status_code == 201
    refusals = [
        ({"kind": "nope", "organ": world.body1.pk}, "__all__", "没有“nope”这种文书"),
        (
            {"kind": "test_notice", "organ": world.body1.pk, "term": "第九届"},
            "term",
            "没有名为“第九届”的届次",
        ),
        ({"kind": "test_notice", "organ": world.body1.pk, "named": "persons"}, "named", "不点名"),
        ({"kind": "test_notice"}, "organ", "二者取一"),
        (
            {"kind": "test_notice", "organ": world.body1.pk, "organ_code": world.body1.code},
            "organ",
            "二者取一",
        ),
        ({"kind": "test_notice", "organ_code": "NOPE"}, "organ_code", "没有代码为“NOPE”"),
        # Another office's body by code reads exactly as a code that names none.
        ({"kind": "test_notice", "organ_code": world.body2.code}, "organ_code", "没有代码为"),
        ({"kind": "test_notice", "organ": world.body1.pk, "as_of": "2999-01-01"}, "as_of", "不能晚于今天"),
    ]
    for data, field, message in refusals:
        response = post(**data)
        assert response.status_code == 422, data
        assert message in " ".join(response.json()["detail"][field]), response.json()
    assert post(kind="test_notice", organ=world.body1.pk, year="x").status_code == 422
    assert post(kind="test_notice", organ=world.body2.pk).status_code == 404
    assert OfficialDocument.objects.count() == 2  # nothing was written by a refusal
    client.force_login(world.outsider)  # another office: the body is not theirs to see
    assert post(kind="test_notice", organ=world.body1.pk).status_code == 404
    client.force_login(world.users[Role.LEADER])  # reads documents, drafts none
    assert post(kind="test_notice", organ=world.body1.pk).status_code == 403
    assert OfficialDocument.objects.count() == 2


def test_a_second_document_on_the_same_subject_is_warned_of_on_the_api_and_the_page(client, world):
    office_user = world.users[Role.OFFICE_STAFF]
    first = official.document_issue(actor=office_user, document=draft(world))
    pending = draft(world)
    other_term = official.document_draft(
        actor=office_user, kind="test_notice", organ_id=world.body1.pk, term=world.term1.name
    )
    client.force_login(office_user)
    made = client.post(
        "/api/documents/official/",
        {"kind": "test_notice", "organ": world.body1.pk},
        content_type="application/json",
    ).json()
    assert [d["id"] for d in made["alike"]] == [first.pk, pending.pk]  # not the other term's
    assert [d["number"] for d in made["alike"]] == [first.number, ""]
    (warning,) = made["warnings"]
    assert (
        f"{first.number}（已印发）" in warning and f"草稿 #{pending.pk}" in warning and "（草稿）" in warning
    )
    assert str(other_term.pk) not in warning
    # The page says the same beside the new draft, with links, and the user may go on.
    page = client.get(reverse("documents:official", args=[made["id"]])).content.decode()
    assert 'id="document-alike"' in page and first.number in page
    assert reverse("documents:official", args=[pending.pk]) in page and "issue-button" in page
    page = client.get(reverse("documents:official", args=[other_term.pk])).content.decode()
    assert 'id="document-alike"' not in page
    response = client.post(
        reverse("documents:official_new"),
        {"kind": "test_notice", "organ": world.body1.pk, "as_of": TODAY.isoformat()},
        follow=True,
    )
    assert response.status_code == 200 and "重复起草" in response.content.decode()


def test_the_page_warns_when_a_regenerate_leaves_a_typed_date_in_the_wording(client, world):
    from lijian.documents.gbt9704 import cn_date

    earlier = TODAY - datetime.timedelta(days=10)
    doc = official.document_draft(
        actor=world.users[Role.OFFICE_STAFF], kind="test_notice", organ_id=world.body1.pk, as_of=earlier
    )
    client.force_login(world.users[Role.OFFICE_STAFF])
    page = client.get(reverse("documents:official", args=[doc.pk])).content.decode()
    assert f"{{日期1}} = {cn_date(earlier)}" in page  # the placeholder explained beside the text box
    typed = f"至{cn_date(earlier)}止，受监督的党组织{{orgs}}个，街道{{streets}}个。"
    assert client.post(reverse("documents:official_wording", args=[doc.pk]), {"p1": typed}).status_code == 302
    response = client.post(
        reverse("documents:official_regenerate", args=[doc.pk]), {"as_of": TODAY.isoformat()}, follow=True
    )
    page = response.content.decode()
    assert "修改过的文字保留原样，其中以文字写出的日期没有更新" in page
    assert f"第 1 段 {cn_date(earlier)} → {cn_date(TODAY)}" in page


def test_the_document_page_has_one_top_heading_and_the_paper_title_under_it(client, world):
    doc = draft(world)
    client.force_login(world.users[Role.OFFICE_STAFF])
    page = client.get(reverse("documents:official", args=[doc.pk])).content.decode()
    assert page.count("<h1") == 1
    assert re.search(r'<h2 class="gbt9704-title">[^<]+</h2>', page)


def test_the_figures_beside_the_paper_read_in_english_where_the_catalogue_has_them(client, world):
    doc = draft(world)
    # A definition as the figures module writes it (a message of the catalogue), one as typed.
    stored = json.dumps(doc.paper, ensure_ascii=False).replace("其中街道党工委", "本次自查登记的自查事项数。")
    OfficialDocument.objects.filter(pk=doc.pk).update(paper=json.loads(stored))
    client.force_login(world.users[Role.OFFICE_STAFF])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(reverse("documents:official", args=[doc.pk])).content.decode()
    sidebar = page.split('id="document-paper"')[1].split('id="versions"')[0].split("</article>")[1]
    assert "Number of items registered in this self-inspection" in sidebar
    assert "Subdistrict party working committee" in sidebar  # the label 街道党工委
    assert "本机关为监督机关的党组织数" in sidebar  # not a message: as stored
    assert "本次自查登记的自查事项数。" in page.split("</article>")[0]  # the document's text stays Chinese
