"""The notices and the work report drafted through the documents services on the shared world: who
may draft and read them, what they say (the organisations named, the figures, their links), the
office's wording, the number they are issued under, and the command line."""

import datetime
import io
import re
import shutil
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm

from lijian.accounts.choices import Role
from lijian.documents import official, rendering
from lijian.documents.gbt9704 import (
    Figure,
    Heading,
    Letterhead,
    Paragraph,
    Table,
    figures_of,
    paper_from_dict,
    render_docx,
    render_pdf,
)
from lijian.documents.kinds import ISSUE, VIEW, document_kind
from lijian.documents.models import OfficialDocument
from lijian.documents.wording import template_of
from lijian.guidance import services as guidance
from lijian.reports.kinds import SERIES
from lijian.reports.notices import copies_of, printer_of

from ..documents.test_gbt9704 import _page_count, _page_text, _rules
from .figures import recompute

TERM = "第十二届"


def office(world):
    return world.users[Role.OFFICE_STAFF]


def draft(world, kind, **kw):
    kw.setdefault("term", TERM)
    return official.document_draft(actor=office(world), kind=kind, organ_id=world.body1.pk, **kw)


def paper_of(doc):
    return paper_from_dict(doc.paper)


def text_of(paper) -> str:
    """The paper's text with each figure as [value]."""
    lines = []
    for block in paper.blocks:
        if isinstance(block, Heading):
            lines.append(block.text)
        elif isinstance(block, Paragraph):
            lines.append("".join(r if isinstance(r, str) else f"[{r.value}]" for r in block.runs))
        elif isinstance(block, Table):
            for row in block.rows:
                lines.append("|".join(c if isinstance(c, str) else f"[{c.value}]" for c in row))
    return "\n".join(lines)


def close_self_inspection(world):
    inspection = world.guidance.self_inspection1
    (entry,) = inspection.items.all()
    guidance.self_inspection_item_fix(
        actor=world.admin, entry=entry, fix="补齐底稿并建立归档台账", fixed_on=datetime.date(2026, 7, 10)
    )
    guidance.self_inspection_close(
        actor=world.admin,
        inspection=inspection,
        summary="自查发现底稿归档不及时，已整改。",
        on=datetime.date(2026, 7, 15),
    )
    return inspection


def confirm_naming(world):
    assessment = world.guidance.assessment1
    secretary = guidance.naming_candidate_propose(
        actor=world.admin,
        assessment=assessment,
        assessed_body=world.guidance.lower1,
        who="district_secretary",
        person_name="王某",
        reason="对巡察工作不重视，点人点事不深不透",
    )
    for candidate in (world.guidance.candidate1, secretary):
        guidance.naming_candidate_confirm(actor=world.admin, candidate=candidate)
    guidance.assessment_confirm(actor=world.admin, assessment=assessment)
    return assessment


# --- who -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code", ["work_report", "rectification_notice", "naming_notice", "self_inspection_notice"]
)
def test_the_office_issues_leaders_and_auditors_read_others_see_nothing(world, code):
    kind = document_kind(code)
    assert kind.organ_get(office(world), world.body1.pk, ISSUE) == world.body1
    for role in (Role.LEADER, Role.AUDITOR):
        assert kind.organ_get(world.users[role], world.body1.pk, VIEW) == world.body1
        with pytest.raises(PermissionDenied):
            kind.organ_get(world.users[role], world.body1.pk, ISSUE)
    with pytest.raises(Http404):
        kind.organ_get(world.outsider, world.body1.pk, VIEW)
    assert (world.body1.pk, world.body1.name) in kind.organs_issuing(office(world))
    assert world.body1.pk not in set(kind.organs_visible(world.outsider).values_list("pk", flat=True))
    with pytest.raises(Http404):
        official.document_draft(actor=world.outsider, kind=code, organ_id=world.body1.pk, term=TERM)


def test_a_term_or_year_the_body_has_not_is_refused_on_the_field(world):
    with pytest.raises(ValidationError) as caught:
        draft(world, "work_report", term="第九届")
    assert "term" in caught.value.message_dict and "第十二届" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        draft(world, "work_report", term="", year=timezone.localdate().year + 1)
    assert "year" in caught.value.message_dict


def test_nothing_to_report_is_refused_not_printed_as_zeros(world):
    with pytest.raises(ValidationError, match="尚未开展"):
        draft(world, "work_report")
    with pytest.raises(ValidationError, match="尚未向被巡视巡察党组织反馈"):
        draft(world, "rectification_notice")
    with pytest.raises(ValidationError, match="没有已完成的自查"):
        draft(world, "self_inspection_notice")
    with pytest.raises(ValidationError, match="考核"):
        draft(world, "naming_notice", term="", year=2026)


# --- what they say ---------------------------------------------------------------------------------


def test_the_rectification_notice_names_the_organisations_below_the_line_and_what_follows(full):
    doc = draft(full, "rectification_notice")
    paper = paper_of(doc)
    text = text_of(paper)
    assert paper.title == "关于第十二届区委巡察整改情况的通报" and paper.signature == "和平区委巡察办"
    assert "低于[70%]" in text and "反馈巡察意见" in text
    (table,) = [b for b in paper.blocks if isinstance(b, Table)]
    (row,) = table.rows
    assert row[0] == full.t1.name and row[1].value == "0%"
    assert "须于2024年10月1日前向区委作出深刻检查，已逾期" in row[2]
    assert "区委书记约谈街道党工委书记" in row[3]
    assert "张某（党工委书记）：诫勉" in row[4] and "李某（纪工委书记）：免职" in row[4]
    assert full.t2.name not in text  # 河西's street is another body's
    values = {f.key: f.value for f in figures_of(paper)}
    assert values["organizations_below_threshold"] == "1" and values["organizations_fed_back"] == "1"
    assert all(f.href.startswith("/") for f in figures_of(paper))


def test_a_notice_drafted_from_the_english_pages_is_written_in_chinese(full, client):
    client.force_login(office(full))
    client.post(reverse("core:set_language"), {"language": "en", "next": "/"})
    assert "Documents" in client.get(reverse("documents:official_list")).content.decode()
    response = client.post(
        reverse("documents:official_new"),
        {"kind": "rectification_notice", "organ": full.body1.pk, "term": TERM},
    )
    assert response.status_code == 302
    paper = paper_of(OfficialDocument.objects.get())
    text = text_of(paper)
    assert paper.title == "关于第十二届区委巡察整改情况的通报"
    assert "一、总体情况" in text and "二、整改落实到位率低于警戒线的党组织" in text
    assert "Overall" not in text and not re.search(r"[A-Za-z]{4,}", text)
    assert {f.label for f in figures_of(paper)} >= {"整改落实到位率警戒线"}


def test_a_refusal_to_draft_is_said_in_the_readers_language(world, client):
    client.force_login(office(world))
    client.post(reverse("core:set_language"), {"language": "en", "next": "/"})
    page = client.post(
        reverse("documents:official_new"),
        {"kind": "rectification_notice", "organ": world.body1.pk, "term": TERM},
    )
    assert page.status_code == 200 and not OfficialDocument.objects.exists()
    assert "had not yet given feedback" in page.content.decode()
    with translation.override("zh-hans"), pytest.raises(ValidationError, match="尚未向被巡视巡察党组织反馈"):
        draft(world, "rectification_notice")  # the Chinese reader, as before


def test_the_naming_notice_groups_the_confirmed_candidates_with_their_reasons(full):
    assessment = confirm_naming(full)
    paper = paper_of(draft(full, "naming_notice", term="", year=2026))
    text = text_of(paper)
    assert paper.title == "关于2026年度巡察工作点名道姓的通报"
    assert "[1]个区委和[1]名区委书记予以点名通报" in text
    assert "一、区委" in text and "二、区委书记" in text
    assert "王某（区教育工作党委1）：对巡察工作不重视，点人点事不深不透。" in text
    # Each count opens the assessment's page narrowed to the confirmed candidates of its kind.
    assert {f.href for f in figures_of(paper)} == {
        f"/guidance/assessments/{assessment.pk}/?who={who}&status=confirmed"
        for who in ("district_committee", "district_secretary")
    }


def test_one_notice_names_the_committees_another_the_people_and_the_report_counts_each_once(full):
    confirm_naming(full)
    committees = paper_of(draft(full, "naming_notice", term="", year=2026, named="committees"))
    text = text_of(committees)
    assert committees.title == "关于2026年度巡察工作点名道姓的通报（区委）"
    assert "问题突出的[1]个区委予以点名通报" in text
    assert "一、区委" in text and "区委书记" not in text and "王某" not in text
    persons = draft(full, "naming_notice", term="", year=2026, named="persons")
    text = text_of(paper_of(persons))
    assert "[1]名区委书记予以点名通报" in text and "一、区委书记" in text and "二、有关要求" in text
    assert persons.params == {"term": "", "year": 2026, "named": "persons"}
    for doc in OfficialDocument.objects.filter(kind="naming_notice").order_by("pk"):
        official.document_issue(actor=office(full), document=doc)
    year = timezone.localdate().year
    numbers = sorted(OfficialDocument.objects.values_list("number", flat=True))
    assert numbers == [f"和巡察办督〔{year}〕1号", f"和巡察办督〔{year}〕2号"]
    report = text_of(paper_of(draft(full, "work_report", term="", year=2026)))
    assert "本年度[2]次点名通报[1]个区委和[1]名区委书记" in report


def test_whom_a_notice_names_is_checked_on_the_form_the_service_and_the_command(full, login, tmp_path):
    confirm_naming(full)
    with pytest.raises(ValidationError) as caught:
        draft(full, "naming_notice", term="", year=2026, named="bosses")
    assert "named" in caught.value.message_dict and "committees" in str(caught.value)
    with pytest.raises(ValidationError) as caught:  # only the naming notice names anyone
        draft(full, "work_report", named="persons")
    assert "named" in caught.value.message_dict
    page = login(office(full)).post(
        reverse("documents:official_new"),
        {"kind": "naming_notice", "organ": full.body1.pk, "year": 2026, "named": "bosses"},
    )
    assert page.status_code == 200 and "点名对象“bosses”无效" in page.content.decode()
    assert "bosses" in str(page.context["form"].errors["named"])
    args = ["document", "naming_notice", "--body", "XCB-120101", "--year", "2026", "--out"]
    with pytest.raises(CommandError, match="点名对象"):
        call_command(*args, str(tmp_path / "n.docx"), "--named", "bosses")
    call_command(*args, str(tmp_path / "n.docx"), "--named", "persons")
    assert (tmp_path / "n.docx").read_bytes()[:2] == b"PK"


def test_the_self_inspection_notice_lists_its_items_problems_and_fixes(full):
    item = close_self_inspection(full)
    paper = paper_of(draft(full, "self_inspection_notice"))
    text = text_of(paper)
    assert paper.title == "关于2026年巡察工作自查情况的通报"
    assert "共检查事项[1]项，发现问题[1]个，已整改[1]个，正在整改[0]个" in text
    assert "巡察底稿归档|部分底稿未按时归档|补齐底稿并建立归档台账|2026年7月10日完成" in text
    assert {f.href for f in figures_of(paper)} == {f"/guidance/self-inspections/{item.pk}/"}


def test_the_work_report_follows_the_seed_and_links_every_figure(full):
    paper = paper_of(draft(full, "work_report"))
    text = text_of(paper)
    assert paper.title == "关于第十二届区委巡察工作情况的报告" and paper.as_of == timezone.localdate()
    headings = [b.text for b in paper.blocks if isinstance(b, Heading) and b.level == 1]
    assert headings == [
        "一、区委率先垂范，统筹谋划部署",
        "二、强化监督问责，压实整改责任",
        "三、加强领导督导，提升巡察质量",
    ]
    # The seed's order: rounds, organisations, problems; interviews; the line; accountability; bodies.
    order = [
        "本届区委已开展[2]轮共巡察[1]个党组织，发现[2]个问题",
        "共约谈[1]个单位“一把手”",
        "低于[70%]的[1]家党组织",
        "对[1]名履行巡察整改责任不力的党员领导干部严肃问责，对[1]名",
        "目前，[1]个部门设立巡察机构",
        "巡察[1]个党组织，村、社区党组织巡察覆盖率达到[0%]",
    ]
    places = [text.index(part) for part in order]
    assert places == sorted(places)
    assert "党的十九大以来召开[1]次常委会会议" in text and "出台《巡察工作实施办法1》[1]项制度规定" in text
    # No zero stands for missing records: a sentence says so.
    assert "移交问题线索[1]件，有关部门尚未反馈办理结果。" in text
    assert "本届尚未完成自查" in text and "本届尚未印发整改情况通报" in text and "去年没有点名通报" in text
    for figure in figures_of(paper):
        assert figure.href.startswith("/") and figure.definition, figure
    records = {f.key: f.href for f in figures_of(paper)}
    term = full.term1
    assert records["problems_found"] == (
        f"/analytics/bodies/{full.body1.pk}/figures/problems_found/?term={term.pk}&date={timezone.localdate()}"
    )


def test_no_number_in_the_work_report_is_literal_text(full):
    paper = paper_of(draft(full, "work_report"))
    for block in paper.blocks:
        if isinstance(block, Paragraph):
            for run in block.runs:
                if isinstance(run, str):
                    # Dates (2022年6月23日) and names are text; every count or rate is a figure.
                    stripped = re.sub(r"\d{4}年\d{1,2}月\d{1,2}日|《[^》]*》|“1\+3\+N”", "", run)
                    assert not any(ch.isdigit() for ch in stripped), run


def test_every_figure_of_the_appendix_is_recomputed_from_the_database(full):
    """Each figure of the work report, recomputed with plain queries written here (not analytics)."""
    close_self_inspection(full)
    notice = draft(full, "rectification_notice")
    official.document_issue(actor=office(full), document=notice)
    doc = draft(full, "work_report")
    paper = paper_of(doc)
    shown = {f.key: f.value for f in figures_of(paper)}
    expected = recompute(full.body1, full.term1, doc.as_of, since=datetime.date(2017, 10, 18))
    assert set(shown) <= set(expected), set(shown) - set(expected)
    assert shown == {key: expected[key] for key in shown}
    assert shown["rectification_notices"] == "1" and shown["self_inspections_closed"] == "1"


def test_the_year_report_counts_the_years_records(full):
    confirm_naming(full)
    paper = paper_of(draft(full, "work_report", term="", year=2026))
    text = text_of(paper)
    assert paper.title == "关于2026年区委巡察工作情况的报告"
    assert "2026年研究巡察工作的常委会会议尚未登记" in text  # the meetings were in 2024
    assert "本年度向全市点名通报" not in text and "本年度点名通报[1]个区委和[1]名区委书记" in text
    shown = {f.key: f.value for f in figures_of(paper)}
    on = min(timezone.localdate(), datetime.date(2026, 12, 31))
    year = datetime.date(2026, 1, 1)
    expected = recompute(full.body1, full.term1, on, since=year, start=year, naming=(year, on))
    assert shown == {key: expected[key] for key in shown}


# --- wording, issue, command line ------------------------------------------------------------------


def test_the_office_rewords_the_report_and_issues_it_under_the_bodys_prefix(full):
    doc = draft(full, "work_report")
    (rounds,) = [b for b in paper_of(doc).blocks if isinstance(b, Paragraph) and b.key == "rounds"]
    template = template_of(rounds)
    assert "{problems_found}" in template
    official.document_wording_edit(
        actor=office(full), document=doc, wording={"rounds": "本届共发现{problems_found}个问题，" + template}
    )
    with pytest.raises(ValidationError):  # a figure cannot be typed over
        official.document_wording_edit(
            actor=office(full), document=doc, wording={"rounds": "本届共发现2个问题。"}
        )
    doc = official.document_issue(actor=office(full), document=doc)
    assert doc.number == f"和巡察办报〔{timezone.localdate().year}〕1号"
    text = text_of(paper_of(doc))
    assert text.count("[2]个问题") == 2


def test_the_command_line_writes_the_report(full, tmp_path: Path):
    out = tmp_path / "report.docx"
    call_command("document", "work_report", "--body", "XCB-120101", "--term", TERM, "--out", str(out))
    assert out.read_bytes()[:2] == b"PK"


def test_the_prefix_is_derived_from_the_committee(world):
    kind = document_kind("work_report")
    assert kind.prefix_for(world.city_body) == "津巡办报"
    assert kind.prefix_for(world.body2) == "河巡察办报"


def test_each_kind_has_its_own_series_so_numbers_never_repeat(world):
    prefixes = {code: document_kind(code).prefix_for(world.city_body) for code in SERIES}
    assert prefixes == {
        "rectification_notice": "津巡办整",
        "naming_notice": "津巡办督",
        "self_inspection_notice": "津巡办查",
        "work_report": "津巡办报",
    }


def test_figures_are_figures(full):
    paper = paper_of(draft(full, "work_report"))
    assert all(isinstance(f, Figure) for f in figures_of(paper))


def test_the_web_view_links_each_figure_to_its_drill_down_for_a_leader_not_an_outsider(full, login):
    doc = draft(full, "work_report")
    url = f"/documents/official/{doc.pk}/"
    page = login(full.users[Role.LEADER]).get(url)
    assert page.status_code == 200
    html = page.content.decode()
    body, term, on = full.body1.pk, full.term1.pk, doc.as_of.isoformat()
    assert f'href="/analytics/bodies/{body}/figures/problems_found/?term={term}&amp;date={on}"' in html
    assert "关于第十二届区委巡察工作情况的报告" in html
    assert login(full.outsider).get(url).status_code == 404


def test_notices_print_with_the_red_letterhead_and_the_report_without(full):
    paper = paper_of(draft(full, "rectification_notice"))
    assert paper.letterhead == Letterhead.RED and paper.organ_mark == f"{full.body1.name}文件"
    document = Document(io.BytesIO(render_docx(paper).data))
    (mark,) = [p for p in document.paragraphs if p.style.name == "发文机关标志"]
    assert mark.text == paper.organ_mark
    (number,) = [p for p in document.paragraphs if p.style.name == "发文字号"]
    rule = number._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert rule.get(qn("w:color")) == "FF0000"
    assert paper_of(draft(full, "work_report")).letterhead == Letterhead.NONE


# --- the record block (版记) -------------------------------------------------------------------------

NOTICES = ("rectification_notice", "naming_notice", "self_inspection_notice")
# 和平's office: the city's inspection office above its committee, the committee's recorded
# discipline commission (区纪委监委1, build_findings) and its organisation department by the usual name.
CC = ["市委巡视办", "区纪委监委1", "区委组织部"]


def draft_each_notice(full, as_of):
    close_self_inspection(full)
    confirm_naming(full)
    params = {"naming_notice": {"term": "", "year": 2026}}
    return {code: draft(full, code, as_of=as_of, **params.get(code, {})) for code in NOTICES}


def record_rows(data: bytes) -> tuple[list[str], object]:
    """The texts of the record block's rows in a DOCX, and its table."""
    record = Document(io.BytesIO(data)).tables[-1]
    return [row.cells[0].paragraphs[0].text for row in record.rows], record


def test_every_notice_carries_its_record_block_dated_as_of_its_draft_and_the_report_none(full):
    on = datetime.date(2026, 11, 2)
    for code, doc in draft_each_notice(full, on).items():
        paper = paper_of(doc)
        assert (paper.cc, paper.printer, paper.printed_on) == (CC, "和平区委巡察办", on), code
        rows, record = record_rows(render_docx(paper).data)
        assert rows == ["抄送：市委巡视办，区纪委监委1，区委组织部。", "和平区委巡察办\t2026年11月2日印发"]
        assert [p.style.name for row in record.rows for p in row.cells[0].paragraphs] == ["版记", "版记"]
    report = paper_of(draft(full, "work_report", as_of=on))
    assert not (report.cc or report.printer or report.printed_on)


def test_the_city_notices_copy_its_partners_by_their_usual_names_and_print_from_its_office(world):
    assert copies_of(world.city_body) == ["市纪委监委", "市委组织部"]  # nothing above, none recorded
    assert printer_of(world.city_body) == "市委巡视办"
    world.city_body.name = "中共天津市委巡视工作领导小组"
    assert printer_of(world.city_body) == "中共天津市委巡视工作领导小组办公室"


def test_an_issued_notice_is_printed_on_its_issue_day_under_full_width_rules(full):
    doc = draft(full, "rectification_notice", as_of=datetime.date(2026, 11, 2))
    doc = official.document_issue(actor=office(full), document=doc, on=datetime.date(2026, 11, 20))
    paper = paper_of(doc)
    assert paper.printed_on == paper.dated == datetime.date(2026, 11, 20)
    version = doc.versions.get(n=2)
    rows, record = record_rows(rendering.stored_path(version.docx_name).read_bytes())
    assert rows == ["抄送：市委巡视办，区纪委监委1，区委组织部。", "和平区委巡察办\t2026年11月20日印发"]
    tblpr = record._tbl.tblPr
    borders = tblpr.find(qn("w:tblBorders"))
    assert {side: borders.find(qn(f"w:{side}")).get(qn("w:sz")) for side in ("top", "insideH", "bottom")} == {
        "top": "8",
        "insideH": "6",
        "bottom": "8",
    }
    assert tblpr.find(qn("w:tblW")).get(qn("w:w")) == str(Mm(156).twips)
    assert tblpr.find(qn("w:tblpPr")).get(qn("w:tblpYSpec")) == "bottom"
    # The computed paper keeps the as-of date: only the issued one is dated the issue day.
    assert paper_from_dict(doc.computed).printed_on == datetime.date(2026, 11, 2)


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) is not installed")
def test_an_issued_notices_pdf_ends_on_an_even_page_with_its_record_block(full, monkeypatch, tmp_path):
    monkeypatch.setattr(rendering, "render_pdf", render_pdf)  # ``full`` renders no PDF; this one does
    close_self_inspection(full)
    doc = official.document_issue(
        actor=office(full), document=draft(full, "self_inspection_notice"), on=timezone.localdate()
    )
    version = doc.versions.get(n=2)
    assert version.pdf_name, version.pdf_note
    pdf = tmp_path / "notice.pdf"
    pdf.write_bytes(rendering.stored_path(version.pdf_name).read_bytes())
    pages = _page_count(pdf)
    texts = [_page_text(pdf, n) for n in range(1, pages + 1)]
    assert pages % 2 == 0
    assert [n for n, text in enumerate(texts, 1) if "抄送：" in text] == [pages]
    assert "抄送：市委巡视办，区纪委监委1，区委组织部。" in texts[-1]
    assert f"和平区委巡察办{timezone.localdate():%Y}年{timezone.localdate().month}月" in texts[-1]
    assert f"{timezone.localdate().day}日印发" in texts[-1]
    assert "关于2026年巡察工作自查情况的通报" in texts[0]
    rules = _rules(pdf, pages)  # thick, thin, thick: 156 mm from the left margin
    assert len({round(top) for top, _left, _length in rules}) == 3
    assert all(length == pytest.approx(156, abs=0.6) for _top, _left, length in rules)


def test_the_office_rewords_the_copies_on_the_page_and_they_survive_a_regenerate(full, login):
    close_self_inspection(full)
    doc = draft(full, "self_inspection_notice", as_of=datetime.date(2026, 11, 2))
    client = login(office(full))
    url = reverse("documents:official", args=[doc.pk])
    form = client.get(url).context["wording_form"]
    (name,) = [n for n, field in form.fields.items() if field.label == "抄送机关"]
    assert form.fields[name].initial == "市委巡视办，区纪委监委1，区委组织部"
    wording_url = reverse("documents:official_wording", args=[doc.pk])
    page = client.post(wording_url, {name: "。"})  # naming nobody is refused, nothing saved
    assert page.status_code == 200 and "抄送机关不能为空" in page.content.decode()
    assert doc.versions.count() == 1
    client.post(wording_url, {name: "抄送：市委巡视办、区纪委监委1，区委组织部，区委宣传部。"})
    doc.refresh_from_db()
    assert paper_of(doc).cc == [*CC, "区委宣传部"]
    doc = official.document_issue(actor=office(full), document=doc, on=datetime.date(2026, 11, 3))
    rows, _record = record_rows(rendering.stored_path(doc.versions.get(n=3).docx_name).read_bytes())
    assert rows[0] == "抄送：市委巡视办，区纪委监委1，区委组织部，区委宣传部。"


def test_reworded_copies_are_kept_when_the_draft_is_regenerated(full):
    close_self_inspection(full)
    doc = draft(full, "self_inspection_notice", as_of=datetime.date(2026, 11, 2))
    official.document_wording_edit(actor=office(full), document=doc, wording={"cc": "市纪委监委，区委组织部"})
    official.document_regenerate(actor=office(full), document=doc, as_of=datetime.date(2026, 11, 4))
    doc.refresh_from_db()
    paper = paper_of(doc)
    assert paper.cc == ["市纪委监委", "区委组织部"] and paper.printed_on == datetime.date(2026, 11, 4)
    assert paper_from_dict(doc.computed).cc == CC  # the kind's own list stays behind it
