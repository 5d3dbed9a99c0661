"""The hand-over sheet (问题线索移交单) of a transferred clue, laid out by the GB/T 9704 engine: A4,
the standard margins and styles, the sheet's number top right."""

from __future__ import annotations

from django.utils.translation import gettext as _

from lijian.documents.gbt9704 import Paper, Paragraph, Table, cn_date, render_docx

from .models import Clue


def handover_paper(clue: Clue) -> Paper:
    """The sheet the office hands over with a clue as a ``Paper``: number, sender, receiver,
    person, the problem, the deadline for feedback, and lines for the two signatures.

    Raises ``ValueError`` when the clue has not been transferred (it has no sheet number)."""
    if not clue.sheet_no:
        raise ValueError("the clue has not been transferred")
    inspection = clue.inspection
    body = inspection.round.body
    sender = f"{body.name}（{inspection.group.name}）" if inspection.group else body.name
    rows = [
        [_("移交单位"), sender],
        [_("接收单位"), clue.department.name],
        [_("巡视巡察轮次"), str(inspection.round)],
        [_("被巡视巡察党组织"), inspection.organization.name],
        [_("反映对象"), f"{clue.subject_name}　{clue.subject_post}".strip()],
        [_("主要问题"), clue.summary],
        [_("线索编号"), clue.ref],
        [_("移交日期"), cn_date(clue.transferred_on)],
        [_("反馈期限"), _("请于%(due)s前反馈办理情况") % {"due": cn_date(clue.due_on)}],
    ]
    return Paper(
        title=_("问题线索移交单"),
        number=_("编号：%(number)s") % {"number": clue.sheet_no},
        blocks=[
            Table([], rows),
            Paragraph(
                [_("移交人（签字）：＿＿＿＿＿＿　　接收人（签字）：＿＿＿＿＿＿")], key="handover.signatures"
            ),
            Paragraph(
                [_("本单一式两份，移交、接收单位各执一份。线索材料按机要件管理，不得扩散。")],
                key="handover.note",
            ),
        ],
    )


def handover_sheet(clue: Clue) -> bytes:
    """The DOCX of ``handover_paper``; raises ``ValueError`` for a clue not transferred."""
    return render_docx(handover_paper(clue)).data
