"""The GB/T 9704-2012 engine: a notice's DOCX read back has the page, the type area, the faces per
style, the 28 pt line pitch, the number and date formats, the red rule and the odd/even page-number
fields the standard gives; its PDF (LibreOffice) embeds a serif CJK face and renders A4 pages; a
Paper survives JSON exactly; the web view escapes every text and links every figure."""

import datetime
import io
import json
import re
import shutil
import struct
import subprocess
import zipfile
from concurrent.futures import ThreadPoolExecutor

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from hypothesis import given, settings
from hypothesis import strategies as st

from lijian.documents.gbt9704 import (
    Annex,
    Figure,
    Heading,
    Letterhead,
    Paper,
    Paragraph,
    PdfUnavailable,
    Table,
    cn_date,
    document_number,
    figures_of,
    font_fallbacks,
    paper_from_dict,
    paper_to_dict,
    pdf_pages,
    render_docx,
    render_docx_pdf,
    render_html,
    render_pdf,
)
from lijian.documents.gbt9704 import pdf as pdf_module

D = datetime.date
RATE = Figure("completion_rate", "整改完成率", "66.7%", "到期已完成的问题数 / 到期问题数", "/rates/?org=7")


def notice(letterhead=Letterhead.RED, **changes) -> Paper:
    values = dict(
        title="关于开展巡视整改情况“回头看”的通知",
        blocks=[
            Heading("一、总体情况"),
            Paragraph(["截至目前，整改完成率为", RATE, "。"], key="summary"),
            Heading("（一）主要做法", 2),
            Paragraph(["各单位要高度重视，切实加强组织领导。" * 3]),
            Heading("1. 压实责任", 3),
            Paragraph(["要建立整改台账，逐项对账销号。"]),
            Table(["指标", "比率"], [["整改完成率", RATE]], title="表1 整改率"),
        ],
        organ_mark="中共天津市委巡视工作领导小组办公室文件",
        letterhead=letterhead,
        number=document_number("津巡办", 2026, 7),
        classification="内部",
        recipients="各区委，市委各部委",
        signature="中共天津市委巡视工作领导小组办公室",
        dated=D(2026, 12, 4),
        attachments=["整改情况统计表"],
        cc=["市纪委监委", "市委组织部"],
        printer="中共天津市委巡视工作领导小组办公室",
        printed_on=D(2026, 12, 4),
        as_of=D(2026, 12, 1),
    )
    values.update(changes)
    return Paper(**values)


def _open(data: bytes):
    return Document(io.BytesIO(data))


def _styled(document, style: str):
    return [p for p in document.paragraphs if p.style.name == style]


def _east_asian(style) -> str:
    return style.element.rPr.rFonts.get(qn("w:eastAsia"))


def _border(paragraph, side: str):
    ppr = paragraph._p.pPr
    borders = ppr.find(qn("w:pBdr")) if ppr is not None else None
    return None if borders is None else borders.find(qn(f"w:{side}"))


# --- the small texts ----------------------------------------------------------------------------


def test_a_document_number_has_the_full_year_in_hexagonal_brackets_and_no_leading_zero():
    assert document_number("津巡办", 2026, 7) == "津巡办〔2026〕7号"
    assert document_number("津巡办", 2026, 12) == "津巡办〔2026〕12号"
    with pytest.raises(ValueError):
        document_number("津巡办", 26, 7)
    with pytest.raises(ValueError):
        document_number("津巡办", 2026, 0)


def test_a_date_is_written_without_zero_padding():
    assert cn_date(D(2026, 12, 4)) == "2026年12月4日"
    assert cn_date(D(2026, 1, 9)) == "2026年1月9日"
    assert cn_date(None) == ""


def test_figures_are_listed_once_in_reading_order_including_annexes():
    other = Figure("implementation_rate", "整改落实到位率", "33.3%")
    paper = notice(annexes=[Annex("附表", [Table(["比率"], [[other], [RATE]])])])
    assert figures_of(paper) == [RATE, other]


# --- the DOCX read back -------------------------------------------------------------------------


def test_the_page_is_a4_with_the_standard_margins_and_a_156_by_225_type_area():
    section = _open(render_docx(notice()).data).sections[0]
    mm = {
        name: round(getattr(section, name).mm, 1)
        for name in (
            "page_width",
            "page_height",
            "top_margin",
            "bottom_margin",
            "left_margin",
            "right_margin",
        )
    }
    assert mm == {
        "page_width": 210,
        "page_height": 297,
        "top_margin": 37,
        "bottom_margin": 35,
        "left_margin": 28,
        "right_margin": 26,
    }
    assert mm["page_width"] - mm["left_margin"] - mm["right_margin"] == 156
    assert mm["page_height"] - mm["top_margin"] - mm["bottom_margin"] == 225


def test_every_style_names_its_east_asian_face_and_size():
    document = _open(render_docx(notice()).data)
    expected = {
        "公文标题": ("方正小标宋简体", 22, False),
        "公文正文": ("仿宋_GB2312", 16, False),
        "一级标题": ("黑体", 16, False),
        "二级标题": ("楷体_GB2312", 16, False),
        "三级标题": ("仿宋_GB2312", 16, True),
        "发文机关标志": ("方正小标宋简体", 36, False),
        "发文字号": ("仿宋_GB2312", 16, False),
        "版记": ("仿宋_GB2312", 14, False),
        "页码": ("宋体", 14, False),
    }
    for name, (face, size, bold) in expected.items():
        style = document.styles[name]
        assert _east_asian(style) == face, name
        assert style.element.rPr.rFonts.get(qn("w:ascii")) == face, name
        assert style.font.size == Pt(size), name
        assert bool(style.font.bold) is bold, name
    # No theme font is left for Word to prefer over the named ones.
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert defaults.rFonts.get(qn("w:eastAsiaTheme")) is None
    assert defaults.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    # Paragraphs carry the styles: the body, the headings by level.
    assert _styled(document, "一级标题")[0].text == "一、总体情况"
    assert _styled(document, "二级标题")[0].text == "（一）主要做法"
    assert _styled(document, "三级标题")[0].text == "1. 压实责任"
    assert _styled(document, "公文正文")[0].text == "截至目前，整改完成率为66.7%。"
    assert _styled(document, "公文标题")[0].text == "关于开展巡视整改情况“回头看”的通知"


def test_body_lines_are_exactly_28_pt_and_hold_28_characters():
    document = _open(render_docx(notice()).data)
    for name in ("公文正文", "一级标题", "二级标题", "三级标题", "主送机关", "成文日期"):
        fmt = document.styles[name].paragraph_format
        assert fmt.line_spacing_rule == WD_LINE_SPACING.EXACTLY, name
        assert fmt.line_spacing == Pt(28), name
    body = document.styles["公文正文"].paragraph_format
    assert body.first_line_indent == Pt(32)  # two characters
    spacing = document.styles["Normal"].element.rPr.find(qn("w:spacing"))
    pitch = 16 + int(spacing.get(qn("w:val"))) / 20
    assert 28 * pitch <= Mm(156).pt < 29 * pitch  # 28 characters a line, not 27 or 29
    assert 22 * 28 <= Mm(225).pt < 23 * 28  # 22 lines a page


def test_the_red_letterhead_has_the_organ_mark_the_number_and_the_red_rule():
    document = _open(render_docx(notice()).data)
    (mark,) = _styled(document, "发文机关标志")
    assert mark.text == "中共天津市委巡视工作领导小组办公室文件"
    assert str(document.styles["发文机关标志"].font.color.rgb) == "FF0000"
    assert mark.alignment is None and document.styles["发文机关标志"].paragraph_format.alignment == 1
    (number,) = _styled(document, "发文字号")
    assert number.text == "津巡办〔2026〕7号"
    assert re.fullmatch(r".+〔\d{4}〕[1-9]\d*号", number.text) and "第" not in number.text
    assert document.styles["发文字号"].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    rule = _border(number, "bottom")
    assert rule is not None and rule.get(qn("w:color")) == "FF0000" and rule.get(qn("w:val")) == "single"
    width_mm = int(rule.get(qn("w:sz"))) / 8 * 25.4 / 72
    assert abs(width_mm - 0.5) < 0.05
    # The rule spans the paragraph, which spans the 156 mm type area (no indents).
    fmt = number.paragraph_format
    assert not fmt.left_indent and not fmt.right_indent
    # Classification top left, before the mark; the title comes after the rule.
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "内部" and document.paragraphs[0].style.name == "密级"
    assert paragraphs.index("内部") < paragraphs.index(mark.text) < paragraphs.index(number.text)
    assert paragraphs.index(number.text) < paragraphs.index("关于开展巡视整改情况“回头看”的通知")


def test_preprinted_paper_leaves_the_letterhead_blank_but_keeps_the_number():
    document = _open(render_docx(notice(Letterhead.PREPRINTED)).data)
    (mark,) = _styled(document, "发文机关标志")
    assert mark.text == ""  # the space is kept, the paper has the mark already
    (number,) = _styled(document, "发文字号")
    assert number.text == "津巡办〔2026〕7号"
    assert _border(number, "bottom") is None  # and the rule
    plain = _open(render_docx(notice(Letterhead.NONE)).data)
    assert not _styled(plain, "发文机关标志")
    assert "中共天津市委巡视工作领导小组办公室文件" not in "\n".join(p.text for p in plain.paragraphs)


def _width(text: str) -> float:
    return sum(0.5 if ord(ch) < 0x2E80 else 1 for ch in text)


def test_the_date_is_four_characters_in_and_the_organ_centred_over_it():
    document = _open(render_docx(notice()).data)
    (date,) = _styled(document, "成文日期")
    (organ,) = _styled(document, "发文机关署名")
    assert date.text == "2026年12月4日"
    assert document.styles["成文日期"].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert document.styles["发文机关署名"].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    # The organ (17 characters) is longer than the date (6.5): it keeps 4 characters on its right,
    # and the date is centred under it.
    organ_right, date_right = organ.paragraph_format.right_indent.pt, date.paragraph_format.right_indent.pt
    assert organ_right == 4 * 16
    assert organ_right + _width(organ.text) * 16 / 2 == pytest.approx(date_right + _width(date.text) * 16 / 2)
    short = _open(render_docx(notice(signature="市委巡视办")).data)
    (date,) = _styled(short, "成文日期")
    (organ,) = _styled(short, "发文机关署名")
    assert date.paragraph_format.right_indent.pt == 4 * 16  # 右空四字
    assert organ.paragraph_format.right_indent.pt + 5 * 8 == pytest.approx(4 * 16 + 6.5 * 8)


def test_recipients_attachments_and_the_record_block():
    document = _open(render_docx(notice()).data)
    (recipients,) = _styled(document, "主送机关")
    assert recipients.text == "各区委，市委各部委："
    (attachment,) = _styled(document, "附件说明")
    assert attachment.text == "附件：整改情况统计表"
    assert attachment.paragraph_format.left_indent + attachment.paragraph_format.first_line_indent == Pt(32)
    record = document.tables[-1]
    cells = [row.cells[0].paragraphs[0] for row in record.rows]
    assert [p.style.name for p in cells] == ["版记", "版记"]
    assert cells[0].text == "抄送：市纪委监委，市委组织部。"
    assert cells[1].text == "中共天津市委巡视工作领导小组办公室\t2026年12月4日印发"
    tblpr = record._tbl.tblPr
    borders = tblpr.find(qn("w:tblBorders"))
    sizes = {side: borders.find(qn(f"w:{side}")).get(qn("w:sz")) for side in ("top", "bottom", "insideH")}
    assert sizes == {"top": "8", "bottom": "8", "insideH": "6"}  # thick first and last, thin between
    place = tblpr.find(qn("w:tblpPr"))
    assert place.get(qn("w:tblpYSpec")) == "bottom"  # at the foot of the page
    # The rules run the full type width, from the left margin: 156 mm from 28 mm (§7.4).
    assert tblpr.find(qn("w:tblW")).get(qn("w:w")) == str(Mm(156).twips)
    assert (place.get(qn("w:horzAnchor")), place.get(qn("w:tblpX"))) == ("page", str(Mm(28).twips))
    assert record._tbl.tblGrid.findall(qn("w:gridCol"))[0].get(qn("w:w")) == str(Mm(156).twips)


def test_the_record_block_can_be_moved_on_by_page_breaks():
    def breaks_before_record(data):
        body = _open(data).element.body
        before = body[: list(body).index(body.findall(qn("w:tbl"))[-1])]
        return sum(1 for p in before if p.find(f"{qn('w:pPr')}/{qn('w:pageBreakBefore')}") is not None)

    assert breaks_before_record(render_docx(notice()).data) == 0
    assert breaks_before_record(render_docx(notice(), record_breaks=2).data) == 2
    # A paper without a record block has none to move.
    plain = _open(render_docx(notice(cc=[], printer="", printed_on=None), record_breaks=1).data)
    assert not plain.element.body.findall(f".//{qn('w:pageBreakBefore')}")


def test_odd_pages_are_numbered_right_and_even_pages_left_with_page_fields():
    data = render_docx(notice()).data
    document = _open(data)
    assert document.settings.odd_and_even_pages_header_footer
    assert document.settings.element.find(qn("w:evenAndOddHeaders")) is not None
    section = document.sections[0]
    for footer, alignment, side in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right_indent"),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left_indent"),
    ):
        (paragraph,) = footer.paragraphs
        assert paragraph.style.name == "页码"
        assert paragraph.alignment == alignment
        assert getattr(paragraph.paragraph_format, side) == Pt(14)  # one character of 4号
        instructions = [t.text.strip() for t in paragraph._p.iter(qn("w:instrText"))]
        assert instructions == ["PAGE"]
        kinds = [f.get(qn("w:fldCharType")) for f in paragraph._p.iter(qn("w:fldChar"))]
        assert kinds == ["begin", "separate", "end"]
        assert paragraph.text.startswith("— ") and paragraph.text.endswith(" —")
    assert section.footer_distance < section.bottom_margin  # below the type area


def test_annexes_come_after_the_signature_each_on_a_page_of_its_own():
    paper = notice(
        attachments=[],
        annexes=[Annex("问题清单", [Table(["序号"], [["1"]])]), Annex("任务清单", [Paragraph(["无"])])],
    )
    document = _open(render_docx(paper).data)
    texts = [p.text for p in document.paragraphs]
    assert [p.text for p in _styled(document, "附件说明")] == ["附件：1. 问题清单", "2. 任务清单"]
    assert (
        texts.index("2026年12月4日") < texts.index("附件1") < texts.index("问题清单") < texts.index("附件2")
    )
    assert [p.text for p in _styled(document, "附件标识")] == ["附件1", "附件2", "附表"]


def test_the_docx_warns_which_faces_stood_in():
    rendered = render_docx(notice())
    assert rendered.warnings == font_fallbacks()
    for warning in rendered.warnings:
        assert re.fullmatch(r"服务器没有“.+”字体，PDF 以“.+”代替。", warning)
    if (
        shutil.which("fc-list")
        and not subprocess.run(
            ["fc-list", ":family=仿宋_GB2312"], capture_output=True, text=True, check=False
        ).stdout.strip()
    ):
        assert "服务器没有“仿宋_GB2312”字体，PDF 以“Noto Serif CJK SC”代替。" in rendered.warnings


# --- the PDF ------------------------------------------------------------------------------------


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def _red_pixels(ppm: bytes) -> int:
    """Pixels of a binary PPM (P6, 8 bits) that are clearly red."""
    magic, width, height, depth, pixels = ppm.split(maxsplit=4)
    assert (magic, depth) == (b"P6", b"255")
    return sum(
        1
        for i in range(0, int(width) * int(height) * 3, 3)
        if pixels[i] > 200 and pixels[i + 1] < 90 and pixels[i + 2] < 90
    )


def test_the_pdf_embeds_a_serif_cjk_face_and_renders_a4_pages(tmp_path):
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice (soffice) is not installed here; `make test` installs it")
    rendered = render_pdf(render_docx(notice()).data)
    assert rendered.data.startswith(b"%PDF")
    assert rendered.warnings == font_fallbacks()
    pdf = tmp_path / "notice.pdf"
    pdf.write_bytes(rendered.data)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    print(fonts)
    assert re.search(r"NotoSerifCJK|Noto Serif CJK|FangSong|仿宋", fonts), fonts
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")], check=True
    )
    (png,) = tmp_path.glob("p*.png")
    width, height = _png_size(png.read_bytes())
    assert height / width == pytest.approx(297 / 210, rel=0.01)
    # The organ mark and the rule print red: many red pixels on page 1.
    ppm = subprocess.run(
        ["pdftoppm", "-r", "30", "-f", "1", "-l", "1", str(pdf)], capture_output=True, check=True
    ).stdout
    assert _red_pixels(ppm) > 200
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    text = re.sub(r"\s+", "", text)  # pdftotext spaces digits off Chinese text
    assert "津巡办〔2026〕7号" in text and "2026年12月4日" in text and "—1—" in text and "—2—" in text


def _rewritten(docx: bytes, changes: dict[str, str]) -> bytes:
    """The DOCX ``docx`` with each text of ``changes`` replaced in every XML part (styles, runs)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.endswith(".xml"):
                text = data.decode()
                for old, new in changes.items():
                    text = text.replace(old, new)
                data = text.encode()
            copy.writestr(item, data)
    return out.getvalue()


def test_the_pdf_draws_the_simplified_chinese_forms_of_the_office_faces(tmp_path):
    # pdffonts names every face of Debian's Noto CJK collections after the Japanese one
    # (NotoSerifCJKjp-Regular-…) whichever face is drawn: the SC, TC, JP, KR and HK faces of a .ttc
    # share one CFF table named so, each face (and the text's language, zh-CN in our DOCX, through
    # the fonts' localised forms) choosing the glyph forms. So the test compares what is drawn:
    # 令 直 骨 differ between the Japanese and simplified Chinese forms, and the office's 仿宋_GB2312
    # must draw as Noto Serif CJK SC does.
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice (soffice) is not installed here; `make test` installs it")
    docx = render_docx(notice(blocks=[Paragraph(["令直骨关说次化。" * 6])])).data

    def first_page(data: bytes, name: str) -> bytes:
        pdf = tmp_path / f"{name}.pdf"
        pdf.write_bytes(render_pdf(data).data)
        command = ["pdftoppm", "-r", "40", "-f", "1", "-l", "1", str(pdf)]
        return subprocess.run(command, capture_output=True, check=True).stdout

    office = first_page(docx, "office")
    simplified = first_page(_rewritten(docx, {"仿宋_GB2312": "Noto Serif CJK SC"}), "sc")
    in_japanese = {"仿宋_GB2312": "Noto Serif CJK JP", 'w:eastAsia="zh-CN"': 'w:eastAsia="ja-JP"'}
    japanese = first_page(_rewritten(docx, in_japanese), "jp")
    assert japanese != simplified  # the text does tell the two apart
    assert office == simplified


def _page_count(pdf) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def _page_text(pdf, page: int) -> str:
    text = subprocess.run(
        ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return re.sub(r"\s+", "", text)


def _rules(pdf, page: int, dpi: int = 100) -> list[tuple[float, float, float]]:
    """The long dark horizontal lines of ``page`` as (top, left, length) in mm."""
    data = subprocess.run(
        ["pdftoppm", "-gray", "-r", str(dpi), "-f", str(page), "-l", str(page), str(pdf)],
        capture_output=True,
        check=True,
    ).stdout
    magic, size, _depth, pixels = data.split(b"\n", 3)
    width, height = map(int, size.split())
    assert magic == b"P5"
    lines = []
    for y in range(height):
        runs = [m.span() for m in re.finditer(rb"[\x00-\x7f]+", pixels[y * width : (y + 1) * width])]
        start, end = max(runs, key=lambda span: span[1] - span[0], default=(0, 0))
        if end - start > width / 2:
            lines.append((y * 25.4 / dpi, start * 25.4 / dpi, (end - start) * 25.4 / dpi))
    return lines


@pytest.mark.parametrize("paragraphs", [1, 12])
def test_the_record_block_sits_at_the_foot_of_an_even_last_page_with_full_width_rules(tmp_path, paragraphs):
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice (soffice) is not installed here; `make test` installs it")
    body = [Paragraph(["各单位要高度重视，切实加强组织领导。" * 3]) for _ in range(paragraphs)]
    paper = notice(blocks=body, attachments=[], as_of=None)
    first = tmp_path / "first.pdf"
    first.write_bytes(render_pdf(render_docx(paper).data).data)
    docx, rendered = render_docx_pdf(paper)
    pdf = tmp_path / "notice.pdf"
    pdf.write_bytes(rendered.data)
    pages = _page_count(pdf)
    assert pages % 2 == 0 and pdf_pages(rendered.data) == pages
    # One page of body gets its back page for the record block; two pages of body keep their two.
    assert pages == (2 if paragraphs == 1 else _page_count(first))
    texts = [_page_text(pdf, n) for n in range(1, pages + 1)]
    assert [n for n, text in enumerate(texts, 1) if "抄送：" in text] == [pages]
    assert "2026年12月4日印发" in texts[-1] and "印发" not in "".join(texts[:-1])
    # Three rules (thick, thin, thick) 156 mm long from the left margin, the last on the type area's
    # foot (297 − 35 = 262 mm); each thick rule may span two pixel rows.
    rules = _rules(pdf, pages)
    assert rules and all(left == pytest.approx(28, abs=0.6) for _top, left, _length in rules)
    assert all(length == pytest.approx(156, abs=0.6) for _top, _left, length in rules)
    assert len({round(top) for top, _left, _length in rules}) == 3
    assert max(top for top, _left, _length in rules) == pytest.approx(262, abs=1)
    # The DOCX kept is the one the PDF was made from: the page break that moved the block is in it.
    moved = _open(docx.data).element.body.findall(f".//{qn('w:pageBreakBefore')}")
    assert bool(moved) == (pages > _page_count(first))


def test_the_signature_never_stands_alone_on_a_page(tmp_path):
    """§7.3.5.4: 14 one-line paragraphs end the body on the last line of page 2, which put the
    signature alone on page 3 before the last paragraph was kept with it."""
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice (soffice) is not installed here; `make test` installs it")
    body = [
        Paragraph([f"各单位要高度重视切实加强组织领导建立整改台账逐项对账销号第{n:02d}条"]) for n in range(14)
    ]
    paper = notice(blocks=body, attachments=[], cc=[], printer="", printed_on=None, as_of=None)
    document = _open(render_docx(paper).data)
    last_body = [p for p in document.paragraphs if p.style.name == "公文正文"][-1]
    (organ,) = _styled(document, "发文机关署名")
    assert last_body.paragraph_format.keep_with_next and organ.paragraph_format.keep_with_next
    pdf = tmp_path / "signed.pdf"
    pdf.write_bytes(render_pdf(render_docx(paper).data).data)
    texts = [_page_text(pdf, n) for n in range(1, _page_count(pdf) + 1)]
    (signed,) = [text for text in texts if "2026年12月4日" in text]
    assert "对账销号第13条" in signed


def test_pdfs_made_at_the_same_time_do_not_share_a_profile():
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice (soffice) is not installed here; `make test` installs it")
    docx = [render_docx(notice(number=document_number("津巡办", 2026, n))).data for n in (1, 2)]
    with ThreadPoolExecutor(2) as pool:
        pdfs = list(pool.map(lambda data: render_pdf(data).data, docx))
    assert all(pdf.startswith(b"%PDF") for pdf in pdfs) and pdfs[0] != pdfs[1]


def test_no_libreoffice_is_a_chinese_error(monkeypatch):
    monkeypatch.setattr(pdf_module, "soffice", lambda: None)
    with pytest.raises(PdfUnavailable, match="LibreOffice"):
        render_pdf(b"")


# --- JSON and HTML ------------------------------------------------------------------------------

texts = st.text(max_size=12)
dates = st.none() | st.dates(min_value=D(1990, 1, 1), max_value=D(2099, 12, 31))
figures = st.builds(Figure, key=texts, label=texts, value=texts, definition=texts, href=texts)
runs = st.lists(texts | figures, max_size=4)
blocks = st.lists(
    st.builds(Heading, text=texts, level=st.integers(1, 3))
    | st.builds(Paragraph, runs=runs, key=texts)
    | st.builds(Table, header=st.lists(texts, max_size=3), rows=st.lists(runs, max_size=3), title=texts),
    max_size=5,
)
papers = st.builds(
    Paper,
    title=texts,
    blocks=blocks,
    organ_mark=texts,
    letterhead=st.sampled_from(Letterhead),
    number=texts,
    classification=texts,
    urgency=texts,
    recipients=texts,
    signature=texts,
    dated=dates,
    attachments=st.lists(texts, max_size=3),
    cc=st.lists(texts, max_size=3),
    printer=texts,
    printed_on=dates,
    as_of=dates,
    subtitle=texts,
    annexes=st.lists(st.builds(Annex, title=texts, blocks=blocks), max_size=2),
)


@given(papers)
def test_a_paper_round_trips_through_json_exactly(paper):
    data = json.loads(json.dumps(paper_to_dict(paper)))
    assert paper_from_dict(data) == paper


def test_the_web_view_escapes_text_and_links_figures():
    hostile = Figure("x", "<b>", "1<2", 'a"b', "javascript:alert(1)")
    paper = notice(
        title="<script>alert(1)</script>",
        blocks=[Paragraph(["a & b ", RATE, " ", hostile]), Table(["<th>"], [["<td>"]])],
    )
    html = str(render_html(paper))
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "a &amp; b" in html and "&lt;th&gt;" in html and "&lt;td&gt;" in html
    assert '<a class="gbt9704-figure" href="/rates/?org=7" title="到期已完成的问题数 / 到期问题数"' in html
    assert ">66.7%</a>" in html
    assert "javascript:" not in html and "1&lt;2" in html  # a figure with an unsafe link is not linked
    assert '<hr class="gbt9704-rule">' in html and "津巡办〔2026〕7号" in html
    assert "2026年12月4日" in html and "抄送：市纪委监委，市委组织部。" in html


def test_the_web_view_sits_under_the_page_heading_and_nests_its_own():
    # The document page has its own <h1>; the paper's title was a second one.
    html = str(render_html(notice(annexes=[Annex("问题清单", [Paragraph(["无"])])])))
    assert "<h1" not in html
    assert re.findall(r"<(h\d) class=\"gbt9704-([\w-]+)\">", html) == [
        ("h2", "title"),
        ("h3", "h1"),
        ("h4", "h2"),
        ("h5", "h3"),
        ("h2", "title"),  # the annex
        ("h3", "h1"),  # the figures' definitions
    ]


@settings(max_examples=30, deadline=None)
@given(papers)
def test_any_paper_renders_to_docx_and_html(paper):
    document = _open(render_docx(paper).data)
    assert round(document.sections[0].page_width.mm) == 210
    assert str(render_html(paper)).startswith('<article class="gbt9704">')
