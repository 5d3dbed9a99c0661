"""A ``Paper`` written as DOCX after GB/T 9704-2012.

The page: A4, margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm, so the type area is
156 × 225 mm; every line of the body is exactly 28 pt. Every kind of paragraph has a named style
(公文标题, 公文正文, 一级标题 …) carrying its faces — the East Asian face (``w:eastAsia``) as well as the
Latin ones — so the document keeps its look when an office edits it in Word or WPS, and a reader can
check the faces per style. The page numbers "— 1 —" are PAGE fields in separate odd and even footers.

The record block (版记) floats at the foot of the last page. GB/T 9704 §7.4 wants that last page
even; python-docx cannot measure pages, so ``render_docx`` takes the number of page breaks to put
before the block (``record_breaks``) and ``pdf.render_docx_pdf`` finds it by counting the pages
LibreOffice lays out. A DOCX made without LibreOffice (a draft) keeps the block on the last page,
odd or even.
"""

from __future__ import annotations

import io
import re

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor, Twips

from .fonts import BODY_FONT, HEI_FONT, KAI_FONT, SONG_FONT, TITLE_FONT, font_fallbacks
from .paper import (
    Annex,
    Block,
    Figure,
    Heading,
    Letterhead,
    Paper,
    Paragraph,
    Run,
    Table,
    cn_date,
    figures_of,
)
from .rendered import Rendered

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
TOP, BOTTOM, LEFT, RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
TYPE_WIDTH = Mm(210 - 28 - 26)  # 156 mm
LINE = 28  # pt: 22 lines in the 225 mm type area
CHAR = 16  # pt: one character of 3号, the unit of every indent
CHAR_SPACING = -5  # twentieths of a point: 28 characters fill the 156 mm line
SIZE_2, SIZE_3, SIZE_4, SIZE_SMALL_4 = 22, 16, 14, 12  # 2号, 3号, 4号, 小四
ORGAN_MARK_SIZE = 36  # 小初; narrowed, not shrunk, when the organ's name is long
RED = RGBColor(0xFF, 0x00, 0x00)
RED_HEX = "FF0000"
RULE_RED = 11  # eighths of a point: 0.5 mm, the red separator rule
RULE_THICK, RULE_THIN = 8, 6  # 0.35 mm and 0.25 mm, the rules of the record block
# The record block's rules run the full type width (§7.4). LibreOffice floats a table placed from
# the margin only when it is at least 4.69 mm narrower than the text, but one placed from the page's
# edge only when it leaves that much of the page: so the block is placed 28 mm (the left margin)
# from the page's left edge, and floats at the foot of the page in Word and LibreOffice alike.
RECORD_WIDTH = TYPE_WIDTH
SHORT = 8  # characters: a table column no longer than this is kept on one line when it can be

# The named styles, (name, face, size, bold, alignment, first-line indent in characters).
STYLES = {
    "公文正文": (BODY_FONT, SIZE_3, False, WD_ALIGN_PARAGRAPH.JUSTIFY, 2),
    "公文标题": (TITLE_FONT, SIZE_2, False, WD_ALIGN_PARAGRAPH.CENTER, 0),
    "公文副标题": (KAI_FONT, SIZE_3, False, WD_ALIGN_PARAGRAPH.CENTER, 0),
    "一级标题": (HEI_FONT, SIZE_3, False, WD_ALIGN_PARAGRAPH.JUSTIFY, 2),
    "二级标题": (KAI_FONT, SIZE_3, False, WD_ALIGN_PARAGRAPH.JUSTIFY, 2),
    "三级标题": (BODY_FONT, SIZE_3, True, WD_ALIGN_PARAGRAPH.JUSTIFY, 2),
    "发文机关标志": (TITLE_FONT, ORGAN_MARK_SIZE, False, WD_ALIGN_PARAGRAPH.CENTER, 0),
    "发文字号": (BODY_FONT, SIZE_3, False, WD_ALIGN_PARAGRAPH.CENTER, 0),
    "密级": (HEI_FONT, SIZE_3, False, WD_ALIGN_PARAGRAPH.LEFT, 0),
    "主送机关": (BODY_FONT, SIZE_3, False, WD_ALIGN_PARAGRAPH.LEFT, 0),
    "附件说明": (BODY_FONT, SIZE_3, False, WD_ALIGN_PARAGRAPH.LEFT, 0),
    "发文机关署名": (BODY_FONT, SIZE_3, False, WD_ALIGN_PARAGRAPH.RIGHT, 0),
    "成文日期": (BODY_FONT, SIZE_3, False, WD_ALIGN_PARAGRAPH.RIGHT, 0),
    "附件标识": (HEI_FONT, SIZE_3, False, WD_ALIGN_PARAGRAPH.LEFT, 0),
    "表格标题": (HEI_FONT, SIZE_3, False, WD_ALIGN_PARAGRAPH.CENTER, 0),
    "表格": (BODY_FONT, SIZE_SMALL_4, False, WD_ALIGN_PARAGRAPH.LEFT, 0),
    "表格表头": (HEI_FONT, SIZE_SMALL_4, False, WD_ALIGN_PARAGRAPH.CENTER, 0),
    "版记": (BODY_FONT, SIZE_4, False, WD_ALIGN_PARAGRAPH.LEFT, 0),
    "页码": (SONG_FONT, SIZE_4, False, WD_ALIGN_PARAGRAPH.RIGHT, 0),
}
HEADING_STYLES = {1: "一级标题", 2: "二级标题", 3: "三级标题"}
# Lines of a style that are not one body line high: the title and organ mark are larger type,
# tables and the record block smaller (GB/T 9704 fixes only the body's 22 lines of 28 characters).
LINE_HEIGHTS = {"公文标题": 36, "发文机关标志": 48, "表格": 20, "表格表头": 20, "版记": 24, "页码": 20}


# --- the document and its styles -----------------------------------------------------------------


def _set_fonts(rpr, face: str) -> None:
    """Names ``face`` for every script on ``rpr``; the theme attributes are dropped because Word
    prefers them to the named faces."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), face)


# The order of the children of w:pPr, w:rPr and w:tblPr in the schema: Word refuses a file whose
# children are out of order, so raw elements are inserted at their place.
_ORDER = {
    "w:pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers "
    "pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE "
    "autoSpaceDN bidi adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents "
    "suppressOverlap jc textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr "
    "sectPr pPrChange",
    "w:rPr": "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint "
    "noProof snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect bdr "
    "shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath",
    "w:tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
    "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook",
    "w:trPr": "cnfStyle divId gridBefore gridAfter wBefore wAfter cantSplit trHeight tblHeader "
    "tblCellSpacing jc hidden",
    "w:pBdr": "top left bottom right between bar",
    "w:tblBorders": "top left start bottom right end insideH insideV",
    "w:tblCellMar": "top left start bottom right end",
}
_ORDER = {qn(parent): [qn(f"w:{tag}") for tag in tags.split()] for parent, tags in _ORDER.items()}


def _child(parent, tag: str, **attributes: str):
    """``parent``'s child ``tag`` (made and put at its place in the schema's order if missing) with
    ``attributes`` set."""
    element = parent.find(qn(tag))
    if element is None:
        element = OxmlElement(tag)
        order = _ORDER.get(parent.tag)
        later = order[order.index(qn(tag)) + 1 :] if order and qn(tag) in order else []
        following = next((child for child in parent if child.tag in later), None)
        if following is None:
            parent.append(element)
        else:
            following.addprevious(element)
    for key, value in attributes.items():
        element.set(qn(f"w:{key}"), value)
    return element


def _defaults(document) -> None:
    """Chinese as the East Asian language, the body face as the default, no extra space between
    Chinese and Latin text (offices turn Word's autoSpace off so lines keep 28 characters)."""
    styles = document.styles.element
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr, BODY_FONT)
    _child(rpr, "w:lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA")
    normal = document.styles["Normal"]
    normal.font.size = Pt(SIZE_3)
    _set_fonts(normal.element.get_or_add_rPr(), BODY_FONT)
    # 28 characters of 16 pt are 448 pt, the type area is 442 pt wide: offices close the characters
    # up by a quarter point so a line holds 28 (w:spacing is in twentieths of a point).
    _child(normal.element.get_or_add_rPr(), "w:spacing", val=str(CHAR_SPACING))
    ppr = normal.element.get_or_add_pPr()
    _child(ppr, "w:autoSpaceDE", val="0")
    _child(ppr, "w:autoSpaceDN", val="0")
    fmt = normal.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE)
    fmt.widow_control = False


def _styles(document) -> None:
    for name, (face, size, bold, alignment, indent) in STYLES.items():
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = document.styles["Normal"]
        style.quick_style = True
        style.font.size = Pt(size)
        style.font.bold = bold
        _set_fonts(style.element.get_or_add_rPr(), face)
        fmt = style.paragraph_format
        fmt.alignment = alignment
        fmt.first_line_indent = Pt(CHAR * indent) if indent else None
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(LINE_HEIGHTS.get(name, LINE))
        fmt.space_before = fmt.space_after = Pt(0)
    document.styles["发文机关标志"].font.color.rgb = RED
    for level, name in HEADING_STYLES.items():
        _child(document.styles[name].element.get_or_add_pPr(), "w:outlineLvl", val=str(level - 1))
        document.styles[name].paragraph_format.keep_with_next = True
    document.styles["附件标识"].paragraph_format.keep_with_next = True
    document.styles["表格标题"].paragraph_format.keep_with_next = True


def _page(section) -> None:
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = TOP, BOTTOM
    section.left_margin, section.right_margin = LEFT, RIGHT
    # The page number's top edge sits 7 mm below the type area (§7.5); 4号 is about 5 mm high.
    section.footer_distance = Mm(35 - 7 - 6)
    section.header_distance = Mm(15)


def _page_number(paragraph) -> None:
    """ "— N —" with N a PAGE field, which Word and LibreOffice fill in on every page."""
    paragraph.add_run("— ")
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = paragraph.add_run()
        if kind:
            _child(run._element, "w:fldChar", fldCharType=kind)
        elif text.strip() == "PAGE":
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = text
            run._element.append(instruction)
        else:
            run.text = text
    paragraph.add_run(" —")


def _footers(document, section) -> None:
    """Odd pages right with one character (of 4号) to the right, even pages left with one to the
    left (§7.5), in footers of their own (``w:evenAndOddHeaders``)."""
    document.settings.odd_and_even_pages_header_footer = True
    for footer, alignment, side in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right_indent"),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left_indent"),
    ):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.style = document.styles["页码"]
        paragraph.alignment = alignment
        setattr(paragraph.paragraph_format, side, Pt(SIZE_4))
        _page_number(paragraph)


# --- paragraphs ---------------------------------------------------------------------------------


# Characters XML 1.0 cannot hold (control characters, lone surrogates): text pasted from elsewhere
# may carry them, and python-docx refuses them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(run: Run) -> str:
    return _NOT_XML.sub("", run.value if isinstance(run, Figure) else run)


def _add(document, style: str, runs: list[Run] | str = "", *, space_before: float = 0):
    paragraph = document.add_paragraph(style=document.styles[style])
    for run in [runs] if isinstance(runs, str) else runs:
        if text := _text(run):
            paragraph.add_run(text)
    if space_before:
        paragraph.paragraph_format.space_before = Pt(space_before)
    return paragraph


def _border(paragraph, side: str, size: int, color: str = "000000", space: int = 0) -> None:
    borders = _child(paragraph._p.get_or_add_pPr(), "w:pBdr")
    _child(borders, f"w:{side}", val="single", sz=str(size), space=str(space), color=color)


def _width(text: str, latin: float = 0.5) -> float:
    """Width of ``text`` in characters: Latin letters and digits count ``latin`` of one."""
    return sum(latin if ord(ch) < 0x2E80 else 1 for ch in text)


def _head(document, paper: Paper) -> None:
    """版头: classification and urgency top left, then the organ mark 35 mm below the top of the type
    area, two lines below it the number, and 4 mm below the number the red rule (§7.2)."""
    used = 0.0
    for line in (paper.classification, paper.urgency):
        if line:
            _add(document, "密级", line)
            used += LINE
    if paper.letterhead != Letterhead.NONE:
        drop = max(Mm(35).pt - used, 0)
        mark = _add(document, "发文机关标志", space_before=drop)
        if paper.letterhead == Letterhead.RED and paper.organ_mark:
            run = mark.add_run(_text(paper.organ_mark))
            # Narrowed to fit the 156 mm line: offices keep the mark's height and squeeze its width.
            scale = min(100, int(TYPE_WIDTH.pt * 100 / (_width(paper.organ_mark) * ORGAN_MARK_SIZE)))
            if scale < 100:
                _child(run._element.get_or_add_rPr(), "w:w", val=str(max(scale, 33)))
        number = _add(document, "发文字号", paper.number, space_before=2 * LINE)
        if paper.letterhead == Letterhead.RED:
            _border(number, "bottom", RULE_RED, RED_HEX, space=11)  # 4 mm under the number
        _add(document, "公文标题", paper.title, space_before=2 * LINE)
    else:
        if paper.number:
            _add(document, "发文字号", paper.number).alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _add(document, "公文标题", paper.title, space_before=LINE if (used or paper.number) else 0)
    if paper.subtitle:
        _add(document, "公文副标题", paper.subtitle)
    if paper.recipients:
        recipients = paper.recipients.rstrip("：:") + "："
        _add(document, "主送机关", recipients, space_before=LINE)
    elif paper.blocks:
        document.paragraphs[-1].paragraph_format.space_after = Pt(LINE)


def _column_widths(table: Table, columns: int) -> list[int]:
    """Column widths in twips filling the type area: every header on one line, short columns
    (numbers, dates, states — up to ``SHORT`` characters) unbroken when the room allows, and the
    room left shared among the text columns by how much longer their text runs."""
    pad = 12  # pt: the cells' left and right margins
    least = [2 * SIZE_SMALL_4 + pad] * columns
    for n, label in enumerate(table.header):
        least[n] = max(least[n], _width(label, latin=0.6) * SIZE_SMALL_4 + pad)
    natural = list(least)
    for row in table.rows:
        for n, value in enumerate(row):
            natural[n] = max(natural[n], min(_width(_text(value), latin=0.6), 20) * SIZE_SMALL_4 + pad)
    total = TYPE_WIDTH.pt
    if sum(natural) <= total:
        return [int(Pt(w * total / sum(natural)).twips) for w in natural]
    short = [w <= SHORT * SIZE_SMALL_4 + pad for w in natural]
    floor = [n if s else m for n, m, s in zip(natural, least, short, strict=True)]
    if sum(floor) > total:
        floor = least
    room = max(total - sum(floor), 0)
    wants = [b - a for a, b in zip(floor, natural, strict=True)]
    widths = [a + (room * w / sum(wants) if sum(wants) else 0) for a, w in zip(floor, wants, strict=True)]
    scale = total / sum(widths)
    return [int(Pt(w * scale).twips) for w in widths]


def _table(document, table: Table) -> None:
    """The table across the type area; a table without a header is a form of label and value rows.
    Rows shorter than the widest are padded with empty cells."""
    if table.title:
        _add(document, "表格标题", table.title)
    columns = max([len(table.header), *(len(row) for row in table.rows)])
    if not columns:
        return
    rows = [table.header] if table.header else []
    rows += table.rows
    grid = document.add_table(rows=len(rows), cols=columns)
    grid.style = document.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = _column_widths(table, columns)
    for col, width in zip(grid._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(width))
    for n, (row, values) in enumerate(zip(grid.rows, rows, strict=True)):
        header = n == 0 and bool(table.header)
        if header:
            _child(row._tr.get_or_add_trPr(), "w:tblHeader")  # repeated on every page the table runs to
        for cell, value, width in zip(
            row.cells, [*values, *[""] * (columns - len(values))], widths, strict=True
        ):
            cell.width = Twips(width)
            paragraph = cell.paragraphs[0]
            paragraph.style = document.styles["表格表头" if header else "表格"]
            if _text(value):
                paragraph.add_run(_text(value))
    # A line of body type after the table, so the text that follows does not stick to it.
    _add(document, "公文正文").paragraph_format.first_line_indent = None


def _blocks(document, blocks: list[Block]) -> None:
    for block in blocks:
        if isinstance(block, Heading):
            _add(document, HEADING_STYLES.get(block.level, "三级标题"), block.text)
        elif isinstance(block, Paragraph):
            _add(document, "公文正文", block.runs)
        else:
            _table(document, block)


def _attachments(document, names: list[str]) -> None:
    """附件说明 one line below the body, two characters in; several are numbered 1. 2. … with the
    names aligned under the first (§7.3.4)."""
    if len(names) == 1:
        paragraph = _add(document, "附件说明", f"附件：{names[0]}", space_before=LINE)
        paragraph.paragraph_format.left_indent = Pt(5 * CHAR)
        paragraph.paragraph_format.first_line_indent = Pt(-3 * CHAR)
        return
    for n, name in enumerate(names, start=1):
        text = f"附件：{n}. {name}" if n == 1 else f"{n}. {name}"
        paragraph = _add(document, "附件说明", text, space_before=LINE if n == 1 else 0)
        fmt = paragraph.paragraph_format
        fmt.left_indent = Pt(6.5 * CHAR)  # continuation lines under the name, after "1. "
        fmt.first_line_indent = Pt(-4.5 * CHAR) if n == 1 else Pt(-1.5 * CHAR)


def _signature(document, paper: Paper) -> None:
    """The signing organ and the date (§7.3.5.1, a sealed document): the date right-aligned four
    characters in from the right, the organ centred over the date; an organ longer than the date
    keeps four characters to the right and the date is centred under it instead."""
    date = cn_date(paper.dated)
    if not (paper.signature or date):
        return
    organ_width, date_width = _width(paper.signature), _width(date)
    widest = max(organ_width, date_width)
    # §7.3.5.4: the signature never stands alone on a page — the body's last paragraph (and the
    # attachment note) go over with it, and the organ stays with its date.
    for paragraph in reversed(document.paragraphs):
        paragraph.paragraph_format.keep_with_next = True
        if paragraph.style.name != "附件说明":
            break
    if paper.signature:
        organ = _add(document, "发文机关署名", paper.signature, space_before=2 * LINE)
        organ.paragraph_format.right_indent = Pt(CHAR * (4 + (widest - organ_width) / 2))
        organ.paragraph_format.keep_with_next = bool(date)
    if date:
        dated = _add(document, "成文日期", date, space_before=0 if paper.signature else 2 * LINE)
        dated.paragraph_format.right_indent = Pt(CHAR * (4 + (widest - date_width) / 2))


def _annex(document, n: int | None, annex: Annex) -> None:
    """An annex on a page of its own: "附件N" top left in 黑体, the title centred on the third line."""
    document.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
    _add(document, "附件标识", "附件" if n is None else f"附件{n}")
    _add(document, "公文标题", annex.title, space_before=LINE)
    document.paragraphs[-1].paragraph_format.space_after = Pt(LINE)
    _blocks(document, annex.blocks)


def _figures(document, paper: Paper) -> None:
    """The figures of the paper with their definitions (口径) and the day they count to."""
    from_paper = figures_of(paper)
    if paper.as_of is None or not from_paper:
        return
    document.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
    _add(document, "附件标识", "附表")
    _add(document, "公文标题", "数据口径说明", space_before=LINE)
    document.paragraphs[-1].paragraph_format.space_after = Pt(LINE)
    as_of = cn_date(paper.as_of)
    _table(
        document,
        Table(
            ["指标", "数值", "口径", "截至"], [[f.label, f.value, f.definition, as_of] for f in from_paper]
        ),
    )


def has_record(paper: Paper) -> bool:
    """Whether the paper prints a record block (版记): it has 抄送, 印发机关 or 印发日期."""
    return bool(paper.cc or paper.printer or paper.printed_on)


def _record(document, paper: Paper, breaks: int = 0) -> None:
    """版记: 抄送 and 印发机关/印发日期 in 4号, one character in from each side, between a thick first
    and last rule and a thin rule between them, all the width of the type area (156 mm), in a table
    floating at the foot of the last page (§7.4), after ``breaks`` page breaks."""
    printed = f"{cn_date(paper.printed_on)}印发" if paper.printed_on else ""
    if not has_record(paper):
        return
    for _n in range(breaks):
        # A paragraph of its own starting a page: LibreOffice drops a break that ends a paragraph
        # when a floating table follows it.
        turn = _add(document, "版记")
        turn.paragraph_format.page_break_before = True
        turn.paragraph_format.line_spacing = Pt(1)
    lines = []
    if paper.cc:
        lines.append(("抄送：" + "，".join(paper.cc) + "。", ""))
    if paper.printer or printed:
        lines.append((paper.printer, printed))
    grid = document.add_table(rows=len(lines), cols=1)
    grid.autofit = False
    tblpr = grid._tbl.tblPr
    _child(
        tblpr,
        "w:tblpPr",
        vertAnchor="margin",
        horzAnchor="page",
        tblpX=str(LEFT.twips),
        tblpYSpec="bottom",
    )
    width = RECORD_WIDTH.twips
    _child(tblpr, "w:tblW", w=str(width), type="dxa")
    borders = _child(tblpr, "w:tblBorders")
    for side, size in (("top", RULE_THICK), ("bottom", RULE_THICK), ("insideH", RULE_THIN)):
        _child(borders, f"w:{side}", val="single", sz=str(size), space="0", color="000000")
    for side in ("left", "right", "insideV"):
        _child(borders, f"w:{side}", val="nil")
    margins = _child(tblpr, "w:tblCellMar")
    for side in ("left", "right"):
        _child(margins, f"w:{side}", w="0", type="dxa")
    for row, (left, right) in zip(grid.rows, lines, strict=True):
        cell = row.cells[0]
        cell.width = Twips(width)
        paragraph = cell.paragraphs[0]
        paragraph.style = document.styles["版记"]
        fmt = paragraph.paragraph_format
        fmt.left_indent = fmt.right_indent = Pt(SIZE_4)  # one character in from each side
        if right:
            fmt.tab_stops.add_tab_stop(Twips(width) - Pt(SIZE_4), WD_TAB_ALIGNMENT.RIGHT)
            paragraph.add_run(_text(f"{left}\t{right}"))
        else:
            # Lines after the first start under the first name, after "抄送：".
            fmt.left_indent = Pt(4 * SIZE_4)
            fmt.first_line_indent = Pt(-3 * SIZE_4)
            paragraph.add_run(_text(left))
    grid_cols = grid._tbl.tblGrid.findall(qn("w:gridCol"))
    grid_cols[0].set(qn("w:w"), str(width))
    # The floating table anchors to the paragraph after it; a hair's height so it adds no page.
    anchor = _add(document, "版记")
    anchor.paragraph_format.line_spacing = Pt(1)


def render_docx(paper: Paper, *, record_breaks: int = 0) -> Rendered:
    """The DOCX of ``paper`` after GB/T 9704-2012, with the font fallbacks of this server as
    warnings (the DOCX names the offices' faces; the warnings say what a PDF made here shows).
    ``record_breaks`` page breaks go before the record block, to move it to an even page."""
    document = Document()
    _defaults(document)
    _styles(document)
    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    _page(section)
    _footers(document, section)
    _head(document, paper)
    _blocks(document, paper.blocks)
    names = paper.attachments or [annex.title for annex in paper.annexes]
    if names:
        _attachments(document, names)
    _signature(document, paper)
    for n, annex in enumerate(paper.annexes, start=1):
        _annex(document, n if len(paper.annexes) > 1 else None, annex)
    _figures(document, paper)
    _record(document, paper, record_breaks)
    properties = document.core_properties
    # Core properties hold at most 255 characters and no control characters.
    properties.title, properties.author = _text(paper.title)[:255], _text(paper.signature)[:255]
    properties.language = "zh-CN"
    properties.comments = properties.subject = properties.keywords = ""  # the template's own
    properties.last_modified_by = ""
    buffer = io.BytesIO()
    document.save(buffer)
    return Rendered(buffer.getvalue(), font_fallbacks())
