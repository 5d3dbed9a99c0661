"""The hand-over sheet (问题线索移交单) of a transferred clue, as a Word document."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from .models import Clue

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"


def _font(run, name: str, size: float, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def handover_sheet(clue: Clue) -> bytes:
    """The sheet the office hands over with a clue: number, sender, receiver, person, the problem,
    the deadline for feedback, and lines for the two signatures. The clue must be transferred."""
    if not clue.sheet_no:
        raise ValueError("the clue has not been transferred")
    inspection = clue.inspection
    body = inspection.round.body
    document = Document()
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(title.add_run("问题线索移交单"), TITLE_FONT, 22)
    number = document.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _font(number.add_run(f"编号：{clue.sheet_no}"), BODY_FONT, 14)
    rows = [
        ("移交单位", f"{body.name}（{inspection.group.name if inspection.group else ''}）"),
        ("接收单位", clue.department.name),
        ("巡视巡察轮次", str(inspection.round)),
        ("被巡视巡察党组织", inspection.organization.name),
        ("反映对象", f"{clue.subject_name}　{clue.subject_post}".strip()),
        ("主要问题", clue.summary),
        ("线索编号", clue.ref),
        ("移交日期", f"{clue.transferred_on:%Y年%-m月%-d日}"),
        ("反馈期限", f"请于{clue.due_on:%Y年%-m月%-d日}前反馈办理情况"),
    ]
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in rows:
        cells = table.add_row().cells
        _font(cells[0].paragraphs[0].add_run(label), BODY_FONT, 14, bold=True)
        _font(cells[1].paragraphs[0].add_run(value), BODY_FONT, 14)
    document.add_paragraph()
    signatures = document.add_paragraph()
    _font(signatures.add_run("移交人（签字）：＿＿＿＿＿＿　　接收人（签字）：＿＿＿＿＿＿"), BODY_FONT, 14)
    note = document.add_paragraph()
    _font(
        note.add_run("本单一式两份，移交、接收单位各执一份。线索材料按机要件管理，不得扩散。"), BODY_FONT, 12
    )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
