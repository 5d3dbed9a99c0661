"""The feedback, the rectification report and the top leader's report as Word documents: they open,
say what the inspected organisation must read, carry the rates of the one selector as on the
report's date, and never show a clue, a petition or a petitioner."""

import datetime
import io

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt

from lijian.rectification import services
from lijian.rectification.rates import rectification_rates
from lijian.rectification.reporting import report_submit, task_progress_report
from lijian.rectification.word_papers import (
    feedback_document,
    rectification_report_document,
    top_leader_report_document,
)

from ..world import FOUR_TASKS, REPORT_TEXT, build_petitions, close_on_evidence, fed_back

D = datetime.date


def _open(data: bytes):
    return Document(io.BytesIO(data))


def _text(data: bytes) -> str:
    """Every paragraph and every table cell of the document, one per line."""
    document = _open(data)
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def _styled(document, style: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == style]


def _laid_out(data: bytes):
    """The document, checked to be laid out by the GB/T 9704 engine: A4 with the standard margins,
    the title in 2号 小标宋 centred, the body in 3号 仿宋 on exact 28 pt lines, and "— N —" page
    numbers in odd and even footers."""
    document = _open(data)
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (section.top_margin, section.left_margin, section.right_margin)] == [
        37,
        28,
        26,
    ]
    title = document.styles["公文标题"]
    assert title.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER and title.font.size == Pt(22)
    assert title.element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    body = document.styles["公文正文"]
    assert body.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312" and body.font.size == Pt(16)
    assert body.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert body.paragraph_format.line_spacing == Pt(28)
    assert document.settings.odd_and_even_pages_header_footer
    for footer in (section.footer, section.even_page_footer):
        assert [t.text.strip() for t in footer.paragraphs[0]._p.iter(qn("w:instrText"))] == ["PAGE"]
    assert document.paragraphs[0].style.name == "公文标题"  # no letterhead: the title comes first
    return document


def _rows(data: bytes, heading: str) -> list[list[str]]:
    """The rows (after the header) of the first table with a column headed ``heading``."""
    for table in _open(data).tables:
        header = [cell.text for cell in table.rows[0].cells]
        if heading in header:
            return [[cell.text for cell in row.cells] for row in table.rows[1:]]
    raise AssertionError(f"no table with the column {heading}")


@pytest.fixture
def fed(world):
    fed = fed_back(world, FOUR_TASKS, untasked=("e",))
    fed.petitions = build_petitions(world, fed.rounds)
    return fed


SECRETS = ("反映收受礼金", "某1", "张三", "13800001111", "违规收取办事费用")


def test_the_feedback_lists_the_problems_by_top_category_and_the_deadline(fed):
    data = feedback_document(fed.feedback)
    text = _text(data)
    assert "第一巡察组关于巡察和平区劝业场街道党工委的反馈意见" in text
    for expected in (
        "第一巡察组组长李某",
        "街道党工委书记王某",
        "2024年5月10日",
        "要建立整改台账，逐项对账销号。",
        "请于2024年7月10日前将整改情况报告和主要负责人组织落实情况报告报送和平区委巡察办。",
        "反馈问题数 | 6",
    ):
        assert expected in text
    # Grouped under the top categories, in the taxonomy's order, numbered through.
    first = text.index("（一）聚焦群众身边腐败问题和不正之风")
    second = text.index("（二）聚焦基层党组织建设")
    assert (
        first < text.index("问题a：集体资产台账不全") < second < text.index("6. 问题e：党支部组织生活不规范")
    )
    for secret in SECRETS:
        assert secret not in text
    document = _laid_out(data)
    assert _styled(document, "公文标题") == ["第一巡察组关于巡察和平区劝业场街道党工委的反馈意见"]
    assert _styled(document, "主送机关") == ["和平区劝业场街道党工委："]
    assert _styled(document, "发文机关署名") == ["第一巡察组"]
    assert _styled(document, "成文日期") == ["2024年5月10日"]
    assert _styled(document, "发文字号") == []  # numbered when the documents registry issues it
    assert _styled(document, "一级标题") == ["一、发现的主要问题", "二、整改要求", "三、整改时限"]


def test_the_rectification_report_carries_the_three_lists_and_the_rates_as_submitted(fed):
    a, c, d = (fed.problems[k] for k in "acd")
    close_on_evidence(fed, d, D(2024, 6, 10))
    close_on_evidence(fed, a, D(2024, 6, 20))
    task_progress_report(actor=fed.liaison, task=c.task, on=D(2024, 6, 1), text="建立资产管理制度")
    task_progress_report(actor=fed.liaison, task=fed.problems["b"].task, on=D(2024, 8, 1), text="后来的进展")
    report = report_submit(
        actor=fed.liaison,
        inspection=fed.inspection,
        kind="rectification",
        text=REPORT_TEXT + "\n下一步，我们将持续抓好长期整改任务。",
        signed_by="中共天津市和平区劝业场街道工作委员会",
        on=D(2024, 7, 5),
    )
    # Later events do not change the report: d is reopened after it was submitted.
    services.problem_reopen(actor=fed.office, problem=d, on=D(2024, 9, 1), reason="回头看发现问题反弹")
    rates = rectification_rates(fed.world.t1, fed.world.body1, fed.world.term1, D(2024, 7, 5))
    assert (rates["completion_rate"].numerator, rates["completion_rate"].denominator) == (2, 2)
    assert (rates["implementation_rate"].numerator, rates["implementation_rate"].denominator) == (2, 6)

    data = rectification_report_document(report)
    text = _text(data)
    assert "和平区劝业场街道党工委关于巡察整改情况的报告" in text
    assert "下一步，我们将持续抓好长期整改任务。" in text
    assert "中共天津市和平区委员会：" in text
    assert "整改落实“三个清单”（截至2024年7月5日）" in text
    document = _laid_out(data)
    assert _styled(document, "发文机关署名") == ["中共天津市和平区劝业场街道工作委员会"]
    assert _styled(document, "成文日期") == ["2024年7月5日"]
    # The lists and the rates are annexes, named under the body and each on its own page.
    assert _styled(document, "附件说明") == [
        "附件：1. 整改落实“三个清单”（截至2024年7月5日）",
        "2. 整改率（截至2024年7月5日）",
    ]
    assert _styled(document, "附件标识") == ["附件1", "附件2"]
    assert _styled(document, "一级标题") == ["一、问题清单", "二、任务清单", "三、责任清单"]

    problems = {row[1]: row for row in _rows(data, "问题概述")}
    assert len(problems) == 6
    assert problems[a.ref][3:] == ["问题a：集体资产台账不全", "已销号", "1"]
    assert problems[d.ref][4] == "已销号"  # as on 7-5, though reopened since
    assert problems[fed.problems["e"].ref][2] == "聚焦基层党组织建设"

    tasks = {row[1]: row[2:] for row in _rows(data, "完成情况")}
    assert tasks[a.ref] == ["整改措施a：清查台账", "集中整改", "2024年6月30日", "已完成", "2024年6月20日"]
    assert tasks[c.ref][1:4] == ["长期坚持", "2025年12月31日", "推进中"]
    assert tasks[fed.problems["b"].ref][3] == "未开始"  # its first report came after 7-5
    assert tasks[fed.problems["e"].ref][0] == "尚未制定整改措施"

    duties = {row[1]: row[2:] for row in _rows(data, "责任领导")}
    assert duties[d.ref] == ["整改措施d：清查台账", "副书记d", "党政办", "2024年6月15日"]
    assert len(duties) == 4

    figures = {row[0]: row[1:] for row in _rows(data, "口径")}
    assert figures["整改完成率"][:3] == ["100.0%（2/2）", "2", "2"]
    assert figures["整改落实到位率"][:3] == ["33.3%（2/6）", "2", "6"]
    assert "落实到位率 = " in figures["整改落实到位率"][3]
    # submitted 7-05, before the report's deadline (7-10): inside the period, never "below the line"
    assert "警戒线为70%，本单位尚在整改期内（整改报告期限前），不认定为低于警戒线" in text
    for secret in SECRETS:
        assert secret not in text


def test_the_top_leaders_report_is_signed_and_sums_up_the_rates(fed):
    close_on_evidence(fed, fed.problems["a"], D(2024, 6, 20))
    report = report_submit(
        actor=fed.liaison,
        inspection=fed.inspection,
        kind="top_leader",
        text="本人作为整改第一责任人，亲自研究部署、推动整改落实。" * 3,
        signed_by="王某",
        on=D(2024, 6, 25),
    )
    data = top_leader_report_document(report)
    text = _text(data)
    assert "和平区劝业场街道党工委主要负责人关于组织落实巡察整改情况的报告" in text
    assert "本人作为整改第一责任人" in text
    assert "主要负责人：王某" in text and "2024年6月25日" in text
    document = _laid_out(data)
    assert _styled(document, "发文机关署名") == ["主要负责人：王某"]
    assert _styled(document, "成文日期") == ["2024年6月25日"]
    assert _styled(document, "附件标识") == ["附件"]
    assert "党委（党组）" not in text
    figures = {row[0]: row[1:] for row in _rows(data, "分母")}
    # On 6-25 d (due 6-15) is due and open, a was closed: 1/2; one of six implemented.
    assert figures == {"整改完成率": ["50.0%（1/2）", "1", "2"], "整改落实到位率": ["16.7%（1/6）", "1", "6"]}
    for secret in SECRETS:
        assert secret not in text


def test_a_rate_with_nothing_counted_is_a_dash_not_zero(fed):
    report = report_submit(
        actor=fed.liaison,
        inspection=fed.inspection,
        kind="top_leader",
        text=REPORT_TEXT,
        signed_by="王某",
        on=D(2024, 5, 11),
    )
    figures = {row[0]: row[1] for row in _rows(top_leader_report_document(report), "分母")}
    assert figures == {"整改完成率": "—（0/0）", "整改落实到位率": "0.0%（0/6）"}
