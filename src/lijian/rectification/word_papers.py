"""The papers of rectification rendered as Word files: the feedback (反馈意见), the rectification
report (整改情况报告) with its three lists and rates, and the top leader's report (主要负责人组织落实情况报告).
They stay here, not in the documents app, because they read the workflow (documents knows none).

Laid out after GB/T 9704 (A4, 37/35/28/26 mm margins, title in 方正小标宋 二号 centred, body in 仿宋
三号, headings in 黑体 and 楷体). Every rate comes from ``rates.rectification_rates`` at the report's
date, and every status shown is the one on that date, so a report downloaded again later reads as it
was submitted. The feedback names problems by their summaries only: never clues, petitions or
petitioners, which the inspected organisation must not see.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable

from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from lijian.findings.choices import ProblemStatus, Review
from lijian.findings.models import Category, Problem
from lijian.orgs.choices import BodyLevel

from .choices import TaskStatus
from .models import Feedback, RectificationReport, RectificationTask
from .rates import Rate, rectification_rates, statuses_on
from .rates import standing as rate_standing

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
TITLE_SIZE = 22  # 二号
BODY_SIZE = 16  # 三号
SUBTITLE_SIZE = 15  # 小三
TABLE_SIZE = 12  # 小四: tables of many columns do not fit in 三号


# --- layout helpers -----------------------------------------------------------------------------


def _font(run, name: str, size: float, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    # Word picks the East Asian font from w:eastAsia, not from the run's font name.
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _new_document() -> Document:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    return document


def _paragraph(document, text: str, *, font=BODY_FONT, size=BODY_SIZE, bold=False, align=None, indent=True):
    paragraph = document.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)  # two characters
    _font(paragraph.add_run(text), font, size, bold)
    return paragraph


def _title(document, text: str, subtitle: str = "") -> None:
    _paragraph(
        document, text, font=TITLE_FONT, size=TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False
    )
    if subtitle:
        _paragraph(
            document,
            subtitle,
            font=SUBHEADING_FONT,
            size=SUBTITLE_SIZE,
            align=WD_ALIGN_PARAGRAPH.CENTER,
            indent=False,
        )
    document.add_paragraph()


def _heading(document, text: str) -> None:
    _paragraph(document, text, font=HEADING_FONT)


def _subheading(document, text: str) -> None:
    _paragraph(document, text, font=SUBHEADING_FONT)


def _text(document, text: str) -> None:
    """Each line of ``text`` as a body paragraph (blank lines dropped)."""
    for line in text.splitlines():
        if line.strip():
            _paragraph(document, line.strip())


def _right(document, text: str) -> None:
    _paragraph(document, text, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)


def _table(document, headers: Iterable[str], rows: Iterable[Iterable[str]], size=TABLE_SIZE) -> None:
    headers = list(headers)
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, label in zip(table.rows[0].cells, headers, strict=True):
        _font(cell.paragraphs[0].add_run(label), BODY_FONT, size, bold=True)
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            _font(cell.paragraphs[0].add_run(str(value)), BODY_FONT, size)


def _facts(document, rows: Iterable[tuple[str, str]]) -> None:
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in rows:
        cells = table.add_row().cells
        _font(cells[0].paragraphs[0].add_run(label), BODY_FONT, TABLE_SIZE + 2, bold=True)
        _font(cells[1].paragraphs[0].add_run(value), BODY_FONT, TABLE_SIZE + 2)


def _bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def cn_date(day: datetime.date | None) -> str:
    """``2024年5月10日`` (empty for no date)."""
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def rate_text(rate: Rate) -> str:
    """``66.7%（2/3）``, or a dash when nothing is counted yet (0/0 is no rate, not 0%)."""
    if not rate.denominator:
        return f"—（{rate.numerator}/{rate.denominator}）"
    return f"{rate.value * 100:.1f}%（{rate.numerator}/{rate.denominator}）"


# --- what the documents say ---------------------------------------------------------------------


def _level(inspection) -> str:
    return str(BodyLevel(inspection.round.body.level).label)


def _code_key(code: str) -> tuple:
    # "10" after "9": compare the numbered parts of "1.2.3" as numbers.
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in code.split("."))


def _fed_back_problems(inspection) -> list[Problem]:
    rows = inspection.problems.filter(review=Review.APPROVED).select_related(
        "category__parent__parent__parent"
    )
    return sorted(rows, key=lambda p: (_code_key(p.category.top.code), p.ref))


def _by_top_category(problems: list[Problem]) -> list[tuple[Category, list[Problem]]]:
    groups: dict[int, tuple[Category, list[Problem]]] = {}
    for problem in problems:  # already in category order
        top = problem.category.top
        groups.setdefault(top.pk, (top, []))[1].append(problem)
    return list(groups.values())


_CN_NUMBERS = "一二三四五六七八九十"


def _cn_number(n: int) -> str:
    """1 → 一 … 10 → 十, 11 → 十一 … 99 (enough for headings)."""
    if n <= 10:
        return _CN_NUMBERS[n - 1]
    tens, units = divmod(n, 10)
    return (_CN_NUMBERS[tens - 1] if tens > 1 else "") + "十" + (_CN_NUMBERS[units - 1] if units else "")


def _sender(inspection) -> str:
    return inspection.group.name if inspection.group_id else inspection.round.body.name


def feedback_document(feedback: Feedback) -> bytes:
    """巡视巡察反馈意见: who fed back to whom and when, the problems fed back (approved problems of
    the inspection, by their summaries) grouped under the top categories of their taxonomy, the
    requirements, and the deadline of the two reports. Never a clue, a petition or a petitioner."""
    inspection = feedback.inspection
    organization, body, level = inspection.organization, inspection.round.body, _level(inspection)
    sender = _sender(inspection)
    problems = _fed_back_problems(inspection)
    document = _new_document()
    _title(
        document,
        _("%(sender)s关于%(level)s%(org)s的反馈意见")
        % {"sender": sender, "level": level, "org": organization.name},
        f"（{inspection.round}）",
    )
    _paragraph(document, f"{organization.name}：", indent=False)
    if inspection.onsite_start and inspection.onsite_end:
        when = _("于%(start)s至%(end)s") % {
            "start": cn_date(inspection.onsite_start),
            "end": cn_date(inspection.onsite_end),
        }
    else:
        when = ""
    _paragraph(
        document,
        _(
            "根据%(committee)s统一部署，%(sender)s%(when)s对%(org)s进行了%(level)s。%(day)s，"
            "%(given)s向%(received)s反馈了%(level)s意见。现将%(level)s发现的主要问题和整改要求反馈如下。"
        )
        % {
            "committee": body.owner_org.name,
            "sender": sender,
            "when": when,
            "org": organization.name,
            "level": level,
            "day": cn_date(feedback.held_on),
            "given": feedback.given_by,
            "received": feedback.received_by,
        },
    )
    _facts(
        document,
        [
            (_("被%(level)s党组织") % {"level": level}, organization.name),
            (_("%(level)s组") % {"level": level}, sender),
            (_("轮次"), str(inspection.round)),
            (_("反馈日期"), cn_date(feedback.held_on)),
            (_("反馈人"), feedback.given_by),
            (_("接受反馈人"), feedback.received_by),
            (_("反馈问题数"), str(len(problems))),
            (_("整改报告期限"), cn_date(feedback.report_due)),
        ],
    )
    document.add_paragraph()
    _heading(document, _("一、发现的主要问题"))
    if not problems:
        _paragraph(document, _("本次%(level)s未反馈具体问题。") % {"level": level})
    number = 0
    for index, (top, members) in enumerate(_by_top_category(problems), start=1):
        _subheading(document, f"（{_cn_number(index)}）{top.name}")
        for problem in members:
            number += 1
            _paragraph(document, f"{number}. {problem.summary}")
    _heading(document, _("二、整改要求"))
    _text(
        document,
        feedback.requirements
        or _(
            "请对反馈的问题逐项制定整改措施，明确责任领导、责任部门和完成时限，做到条条有着落、件件有回音。"
        ),
    )
    _heading(document, _("三、整改时限"))
    _paragraph(
        document,
        _("请于%(due)s前将整改情况报告和主要负责人组织落实情况报告报送%(body)s。")
        % {"due": cn_date(feedback.report_due), "body": body.name},
    )
    document.add_paragraph()
    _right(document, sender)
    _right(document, cn_date(feedback.held_on))
    return _bytes(document)


def _task_status_on(task: RectificationTask, on: datetime.date) -> str:
    """The task's status on ``on`` as its records tell it: completed by then, reported on by then
    (in progress), or not started; a task still awaiting acceptance says so."""
    reports = [p.on for p in task.progress.all()]
    if (
        task.completed_on
        and task.completed_on <= on
        and task.status in (TaskStatus.DONE, TaskStatus.LONG_TERM)
    ):
        label = TaskStatus(task.status).label
    elif any(day <= on for day in reports) or (task.status != TaskStatus.PLANNED and not reports):
        # A task moved on without any progress report (imported from a ledger) was under way.
        label = TaskStatus.IN_PROGRESS.label
    else:
        label = TaskStatus.PLANNED.label
    return str(label) if task.accepted_at else _("%(status)s（待审核）") % {"status": label}


def _three_lists(document, inspection, on: datetime.date) -> None:
    """问题清单、任务清单、责任清单 of the inspection's fed-back problems, as on ``on``."""
    problems = _fed_back_problems(inspection)
    status = statuses_on([p.pk for p in problems], on)
    prefetch_related_objects(problems, "tasks__progress")
    tasks = {p.pk: list(p.tasks.all()) for p in problems}
    _heading(document, _("附件一：问题清单"))
    _table(
        document,
        [_("序号"), _("问题编号"), _("问题类别"), _("问题概述"), _("整改状态"), _("整改任务数")],
        [
            (
                n,
                p.ref,
                p.category.top.name,
                p.summary,
                ProblemStatus(status[p.pk]).label,
                len(tasks[p.pk]),
            )
            for n, p in enumerate(problems, start=1)
        ],
    )
    document.add_paragraph()
    _heading(document, _("附件二：任务清单"))
    rows = []
    for problem in problems:
        if not tasks[problem.pk]:
            rows.append((problem.ref, _("尚未制定整改措施"), "", "", "", ""))
        for task in tasks[problem.pk]:
            rows.append(
                (
                    problem.ref,
                    task.measure,
                    task.get_kind_display(),
                    cn_date(task.deadline),
                    _task_status_on(task, on),
                    cn_date(task.completed_on) if task.completed_on and task.completed_on <= on else "",
                )
            )
    _table(
        document,
        [_("序号"), _("问题编号"), _("整改措施"), _("类型"), _("完成时限"), _("完成情况"), _("完成日期")],
        [(n, *row) for n, row in enumerate(rows, start=1)],
    )
    document.add_paragraph()
    _heading(document, _("附件三：责任清单"))
    _table(
        document,
        [_("序号"), _("问题编号"), _("整改措施"), _("责任领导"), _("责任部门"), _("完成时限")],
        [
            (
                n,
                problem.ref,
                task.measure,
                task.responsible_leader,
                task.responsible_department,
                cn_date(task.deadline),
            )
            for n, (problem, task) in enumerate(
                ((problem, task) for problem in problems for task in tasks[problem.pk]), start=1
            )
        ],
    )


def _rates_table(document, report: RectificationReport, *, definitions: bool) -> dict[str, Rate]:
    inspection = report.inspection
    body, term = inspection.round.body, inspection.round.term
    rates = rectification_rates(inspection.organization, body, term, report.submitted_on)
    headers = [_("指标"), _("比率"), _("分子"), _("分母")]
    if definitions:
        headers.append(_("口径"))
    rows = []
    for rate in (rates["completion_rate"], rates["implementation_rate"]):
        row = [str(rate.label), rate_text(rate), rate.numerator, rate.denominator]
        if definitions:
            row.append(str(rate.definition))
        rows.append(row)
    _table(document, headers, rows)
    standing = rate_standing(inspection, rates["implementation_rate"], report.submitted_on)
    states = {
        "in_period": _("尚在整改期内（整改报告期限前），不认定为低于警戒线"),
        "below": _("低于警戒线，须向党委作出深刻检查"),
        "": _("未低于警戒线"),
    }
    _paragraph(
        document,
        _(
            "以上比率截至%(day)s，统计%(body)s本届（%(term)s）反馈给本单位的全部问题。%(body)s设定的整改落实到位率警戒线为%(threshold)s%%，本单位%(state)s。"
        )
        % {
            "day": cn_date(report.submitted_on),
            "body": body.name,
            "term": term.name,
            "threshold": body.rectification_threshold,
            "state": states[standing],
        },
        size=TABLE_SIZE + 2,
    )
    return rates


def _report_head(document, report: RectificationReport, title: str) -> None:
    inspection = report.inspection
    _title(document, title, f"（{inspection.round}）")
    _paragraph(document, f"{inspection.round.body.owner_org.name}：", indent=False)
    _text(document, report.text)
    document.add_paragraph()


def rectification_report_document(report: RectificationReport) -> bytes:
    """整改情况报告: the report's text and signature, then the three lists (every fed-back problem
    with its status, its tasks — measure, kind, deadline, status, completed date — and who is
    responsible for each) and both rates with numerator, denominator and definition, all as on
    the date the report was submitted."""
    inspection = report.inspection
    level = _level(inspection)
    document = _new_document()
    _report_head(
        document,
        report,
        _("%(org)s关于%(level)s整改情况的报告") % {"org": inspection.organization.name, "level": level},
    )
    _right(document, report.signed_by)
    _right(document, cn_date(report.submitted_on))
    document.add_page_break()
    _paragraph(
        document,
        _("整改落实“三个清单”（截至%(day)s）") % {"day": cn_date(report.submitted_on)},
        font=TITLE_FONT,
        size=SUBTITLE_SIZE + 3,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=False,
    )
    _three_lists(document, inspection, report.submitted_on)
    document.add_paragraph()
    _heading(document, _("附件四：整改率"))
    _rates_table(document, report, definitions=True)
    return _bytes(document)


def top_leader_report_document(report: RectificationReport) -> bytes:
    """主要负责人组织落实情况报告: the top leader's text, signature and date, and a short table of
    both rates on that date."""
    inspection = report.inspection
    level = _level(inspection)
    document = _new_document()
    _report_head(
        document,
        report,
        _("%(org)s主要负责人关于组织落实%(level)s整改情况的报告")
        % {"org": inspection.organization.name, "level": level},
    )
    _right(document, _("主要负责人：%(name)s") % {"name": report.signed_by})
    _right(document, cn_date(report.submitted_on))
    document.add_paragraph()
    _heading(document, _("附：整改率"))
    _rates_table(document, report, definitions=False)
    return _bytes(document)
