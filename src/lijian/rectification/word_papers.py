"""The papers of rectification as official documents: the feedback (反馈意见), the rectification
report (整改情况报告) with its three lists and rates, and the top leader's report (主要负责人组织落实
情况报告). Each is built here as a ``Paper`` of plain data — they stay here, not in the documents app,
because they read the workflow (documents knows none) — and laid out after GB/T 9704 by the
document engine (``lijian.documents.gbt9704``).

Every rate comes from ``rates.rectification_rates`` at the report's date, and every status shown is
the one on that date, so a report downloaded again later reads as it was submitted. The feedback
names problems by their summaries only: never clues, petitions or petitioners, which the inspected
organisation must not see. None of the three carries a document number: the feedback gets one when
the documents registry issues it, and the reports are numbered by the organisation that sends them.
"""

from __future__ import annotations

import datetime

from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _

from lijian.documents.gbt9704 import (
    Annex,
    Figure,
    Heading,
    Paper,
    Paragraph,
    Run,
    Table,
    cn_date,
    render_docx,
)
from lijian.findings.choices import ProblemStatus, Review
from lijian.findings.models import Category, Problem
from lijian.orgs.choices import BodyLevel

from .choices import TaskStatus
from .models import Feedback, RectificationReport, RectificationTask
from .rates import Rate, rectification_rates, statuses_on
from .rates import standing as rate_standing

__all__ = [
    "cn_date",
    "feedback_document",
    "feedback_paper",
    "rate_text",
    "rectification_report_document",
    "rectification_report_paper",
    "top_leader_report_document",
    "top_leader_report_paper",
]


def _lines(text: str) -> list[Paragraph]:
    """Each line of ``text`` as a body paragraph (blank lines dropped)."""
    return [Paragraph([line.strip()]) for line in text.splitlines() if line.strip()]


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


def feedback_paper(feedback: Feedback) -> Paper:
    """巡视巡察反馈意见 as a ``Paper``: who fed back to whom and when, the problems fed back (approved
    problems of the inspection, by their summaries) grouped under the top categories of their
    taxonomy, the requirements, and the deadline of the two reports. Never a clue, a petition or a
    petitioner. No number: the documents registry gives it one when the office issues it."""
    inspection = feedback.inspection
    organization, body, level = inspection.organization, inspection.round.body, _level(inspection)
    sender = _sender(inspection)
    problems = _fed_back_problems(inspection)
    if inspection.onsite_start and inspection.onsite_end:
        when = _("于%(start)s至%(end)s") % {
            "start": cn_date(inspection.onsite_start),
            "end": cn_date(inspection.onsite_end),
        }
    else:
        when = ""
    blocks: list = [
        Paragraph(
            [
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
                }
            ],
            key="feedback.opening",
        ),
        Table(
            [],
            [
                [_("被%(level)s党组织") % {"level": level}, organization.name],
                [_("%(level)s组") % {"level": level}, sender],
                [_("轮次"), str(inspection.round)],
                [_("反馈日期"), cn_date(feedback.held_on)],
                [_("反馈人"), feedback.given_by],
                [_("接受反馈人"), feedback.received_by],
                [_("反馈问题数"), str(len(problems))],
                [_("整改报告期限"), cn_date(feedback.report_due)],
            ],
        ),
        Heading(_("一、发现的主要问题")),
    ]
    if not problems:
        blocks.append(Paragraph([_("本次%(level)s未反馈具体问题。") % {"level": level}]))
    number = 0
    for index, (top, members) in enumerate(_by_top_category(problems), start=1):
        blocks.append(Heading(f"（{_cn_number(index)}）{top.name}", 2))
        for problem in members:
            number += 1
            blocks.append(Paragraph([f"{number}. {problem.summary}"]))
    blocks.append(Heading(_("二、整改要求")))
    blocks += _lines(
        feedback.requirements
        or _("请对反馈的问题逐项制定整改措施，明确责任领导、责任部门和完成时限，做到条条有着落、件件有回音。")
    )
    blocks.append(Heading(_("三、整改时限")))
    blocks.append(
        Paragraph(
            [
                _("请于%(due)s前将整改情况报告和主要负责人组织落实情况报告报送%(body)s。")
                % {"due": cn_date(feedback.report_due), "body": body.name}
            ],
            key="feedback.deadline",
        )
    )
    return Paper(
        title=_("%(sender)s关于%(level)s%(org)s的反馈意见")
        % {"sender": sender, "level": level, "org": organization.name},
        subtitle=f"（{inspection.round}）",
        blocks=blocks,
        recipients=organization.name,
        signature=sender,
        dated=feedback.held_on,
    )


def feedback_document(feedback: Feedback) -> bytes:
    """The DOCX of ``feedback_paper``."""
    return render_docx(feedback_paper(feedback)).data


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


def _numbered(rows: list[list[Run]]) -> list[list[Run]]:
    return [[str(n), *row] for n, row in enumerate(rows, start=1)]


def _three_lists(inspection, on: datetime.date) -> list:
    """问题清单、任务清单、责任清单 of the inspection's fed-back problems, as on ``on``."""
    problems = _fed_back_problems(inspection)
    status = statuses_on([p.pk for p in problems], on)
    prefetch_related_objects(problems, "tasks__progress")
    tasks = {p.pk: list(p.tasks.all()) for p in problems}
    problem_rows = [
        [p.ref, p.category.top.name, p.summary, str(ProblemStatus(status[p.pk]).label), str(len(tasks[p.pk]))]
        for p in problems
    ]
    task_rows = []
    for problem in problems:
        if not tasks[problem.pk]:
            task_rows.append([problem.ref, _("尚未制定整改措施"), "", "", "", ""])
        for task in tasks[problem.pk]:
            task_rows.append(
                [
                    problem.ref,
                    task.measure,
                    str(task.get_kind_display()),
                    cn_date(task.deadline),
                    _task_status_on(task, on),
                    cn_date(task.completed_on) if task.completed_on and task.completed_on <= on else "",
                ]
            )
    duty_rows = [
        [
            problem.ref,
            task.measure,
            task.responsible_leader,
            task.responsible_department,
            cn_date(task.deadline),
        ]
        for problem in problems
        for task in tasks[problem.pk]
    ]
    return [
        Heading(_("一、问题清单")),
        Table(
            [_("序号"), _("问题编号"), _("问题类别"), _("问题概述"), _("整改状态"), _("整改任务数")],
            _numbered(problem_rows),
        ),
        Heading(_("二、任务清单")),
        Table(
            [_("序号"), _("问题编号"), _("整改措施"), _("类型"), _("完成时限"), _("完成情况"), _("完成日期")],
            _numbered(task_rows),
        ),
        Heading(_("三、责任清单")),
        Table(
            [_("序号"), _("问题编号"), _("整改措施"), _("责任领导"), _("责任部门"), _("完成时限")],
            _numbered(duty_rows),
        ),
    ]


def _rate_figure(key: str, rate: Rate) -> Figure:
    return Figure(key, str(rate.label), rate_text(rate), str(rate.definition))


def _rates(report: RectificationReport, *, definitions: bool) -> list:
    """Both rates as on the report's date, with numerator and denominator (and their definitions
    when asked), and where the organisation stands against the body's warning line."""
    inspection = report.inspection
    body, term = inspection.round.body, inspection.round.term
    rates = rectification_rates(inspection.organization, body, term, report.submitted_on)
    headers = [_("指标"), _("比率"), _("分子"), _("分母")]
    if definitions:
        headers.append(_("口径"))
    rows: list[list[Run]] = []
    for key in ("completion_rate", "implementation_rate"):
        rate = rates[key]
        row: list[Run] = [
            str(rate.label),
            _rate_figure(key, rate),
            str(rate.numerator),
            str(rate.denominator),
        ]
        if definitions:
            row.append(str(rate.definition))
        rows.append(row)
    standing = rate_standing(inspection, rates["implementation_rate"], report.submitted_on)
    states = {
        "in_period": _("尚在整改期内（整改报告期限前），不认定为低于警戒线"),
        "below": _("低于警戒线，须向%(committee)s作出深刻检查") % {"committee": body.owner_org.name},
        "": _("未低于警戒线"),
    }
    summary = _(
        "以上比率截至%(day)s，统计%(body)s本届（%(term)s）反馈给本单位的全部问题。%(body)s设定的整改落实到位率警戒线为%(threshold)s%%，本单位%(state)s。"
    ) % {
        "day": cn_date(report.submitted_on),
        "body": body.name,
        "term": term.name,
        "threshold": body.rectification_threshold,
        "state": states[standing],
    }
    return [Table(headers, rows), Paragraph([summary], key="report.rates")]


def _report_paper(report: RectificationReport, title: str, signature: str, annexes: list[Annex]) -> Paper:
    inspection = report.inspection
    return Paper(
        title=title,
        subtitle=f"（{inspection.round}）",
        blocks=_lines(report.text),
        recipients=inspection.round.body.owner_org.name,
        signature=signature,
        dated=report.submitted_on,
        annexes=annexes,
    )


def rectification_report_paper(report: RectificationReport) -> Paper:
    """整改情况报告 as a ``Paper``: the report's text and signature, then as annexes the three lists
    (every fed-back problem with its status, its tasks — measure, kind, deadline, status, completed
    date — and who is responsible for each) and both rates with numerator, denominator and
    definition, all as on the date the report was submitted."""
    inspection = report.inspection
    day = cn_date(report.submitted_on)
    return _report_paper(
        report,
        _("%(org)s关于%(level)s整改情况的报告")
        % {"org": inspection.organization.name, "level": _level(inspection)},
        report.signed_by,
        [
            Annex(
                _("整改落实“三个清单”（截至%(day)s）") % {"day": day},
                _three_lists(inspection, report.submitted_on),
            ),
            Annex(_("整改率（截至%(day)s）") % {"day": day}, _rates(report, definitions=True)),
        ],
    )


def rectification_report_document(report: RectificationReport) -> bytes:
    """The DOCX of ``rectification_report_paper``."""
    return render_docx(rectification_report_paper(report)).data


def top_leader_report_paper(report: RectificationReport) -> Paper:
    """主要负责人组织落实情况报告 as a ``Paper``: the top leader's text, signature and date, and as an
    annex a short table of both rates on that date."""
    inspection = report.inspection
    return _report_paper(
        report,
        _("%(org)s主要负责人关于组织落实%(level)s整改情况的报告")
        % {"org": inspection.organization.name, "level": _level(inspection)},
        _("主要负责人：%(name)s") % {"name": report.signed_by},
        [
            Annex(
                _("整改率（截至%(day)s）") % {"day": cn_date(report.submitted_on)},
                _rates(report, definitions=False),
            )
        ],
    )


def top_leader_report_document(report: RectificationReport) -> bytes:
    """The DOCX of ``top_leader_report_paper``."""
    return render_docx(top_leader_report_paper(report)).data
