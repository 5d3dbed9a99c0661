"""problems.csv and clues.csv of the ledger bundle (DESIGN.md §7).

A problem row names its inspection by body, term, round and organisation (the inspection must be in
inspections.csv or in the system) and its category by code or name in the framework in force for the
body's level on the day it was found. Imported problems are the office's own ledger: they come in
approved. A clue row hangs on a problem and names a department by its code.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lijian.core.permissions import Perm
from lijian.documents.ledger.registry import (
    INVALID,
    Column,
    ExportContext,
    ImportContext,
    LedgerFile,
    iso,
    parse_choice,
    parse_date,
    parse_int,
    register,
    require_text,
)
from lijian.inspections.models import Inspection, Round

from .choices import ClueResult, ClueStatus, Review
from .models import Category, Clue, Department, Framework, Problem
from .validators import check_found_on

PROBLEMS, CLUES = "problems.csv", "clues.csv"


@dataclass(slots=True)
class ProblemRow:
    line: int
    ref: str
    inspection: tuple[str, str, int, str]
    category: str
    description: str
    found_on: datetime.date


def _parse_problems(ctx: ImportContext, rows, total) -> None:
    staged: dict[str, ProblemRow] = {}
    for line, (ref, body, term, number, org, category, description, found_on) in rows:
        ref = require_text(ctx, PROBLEMS, line, "problem_id", ref, 40)
        number = parse_int(ctx, PROBLEMS, line, "round", number, minimum=1)
        category = require_text(ctx, PROBLEMS, line, "category", category, 120)
        description = require_text(ctx, PROBLEMS, line, "description", description, 5000)
        found_on = parse_date(ctx, PROBLEMS, line, "found_on", found_on)
        if found_on is None:
            ctx.error(PROBLEMS, line, "found_on", _("不能为空。"))
        if not body or not term or not org or number is None:
            ctx.error(PROBLEMS, line, "", _("机构代码、届次、轮次和组织代码都不能为空。"))
            continue
        if INVALID in (ref, number, category, description, found_on) or found_on is None:
            continue
        if ref in staged:
            ctx.error(
                PROBLEMS,
                line,
                "problem_id",
                _("问题编号重复（第 %(line)s 行已出现）。") % {"line": staged[ref].line},
            )
            continue
        staged[ref] = ProblemRow(line, ref, (body, term, number, org), category, description, found_on)
    ctx.staged[PROBLEMS] = staged


def _body_level(ctx: ImportContext, code: str) -> str | None:
    from lijian.orgs.models import InspectionBody

    staged = ctx.staged.get("bodies.csv")
    if staged and code in staged.rows:
        return staged.rows[code].level
    return InspectionBody.objects.filter(code=code).values_list("level", flat=True).first()


def category_for(level: str, text: str, day: datetime.date) -> Category | None:
    """The category with this code or name in the framework of ``level`` in force on ``day``."""
    frameworks = [f for f in Framework.objects.filter(level=level) if f.valid_on(day)]
    for framework in frameworks:
        found = (
            framework.categories.filter(code=text).first() or framework.categories.filter(name=text).first()
        )
        if found:
            return found
    return None


def _check_problems(ctx: ImportContext) -> None:
    from lijian.inspections.ledger import _check_body  # the same scope rule as the rounds

    staged_inspections = ctx.staged.get("inspections.csv", {})
    categories: dict[str, Category] = {}
    for row in ctx.staged[PROBLEMS].values():
        body, term, number, org = row.inspection
        if not _check_body(ctx, PROBLEMS, row.line, body):
            continue
        exists = (body, term, number, org) in staged_inspections or Inspection.objects.filter(
            round__body__code=body, round__term__name=term, round__number=number, organization__code=org
        ).exists()
        if not exists:
            ctx.error(
                PROBLEMS,
                row.line,
                "org_code",
                _("找不到这次巡视巡察（%(key)s）：请在 inspections.csv 中列出。")
                % {"key": f"{body}:{term}:{number} {org}"},
            )
        else:
            _check_found_on(ctx, row)
        level = _body_level(ctx, body)
        category = category_for(level, row.category, row.found_on) if level else None
        if category is None:
            ctx.error(
                PROBLEMS,
                row.line,
                "category",
                _("在 %(day)s 适用的问题分类体系中找不到“%(value)s”。")
                % {"day": row.found_on, "value": row.category},
            )
            continue
        categories[row.ref] = category
        known = Problem.objects.filter(ref=row.ref).select_related("inspection__round__body").first()
        if known and known.inspection.round.body.code != body:
            ctx.error(PROBLEMS, row.line, "problem_id", _("该编号已被另一机构的问题使用。"))
    ctx.staged["problem_categories"] = categories


def _inspection_dates(ctx: ImportContext, key) -> tuple[datetime.date, datetime.date | None] | None:
    """The round's start and the report date of the inspection ``key`` names, as the bundle leaves
    them (its rows first, then the system); ``None`` when either is unknown."""
    body, term, number, org = key
    staged_round = ctx.staged.get("rounds.csv", {}).get((body, term, number))
    start = staged_round.start if staged_round else None
    if start is None:
        start = (
            Round.objects.filter(body__code=body, term__name=term, number=number)
            .values_list("start", flat=True)
            .first()
        )
    row = ctx.staged.get("inspections.csv", {}).get(key)
    if row is not None:
        report = row.feedback  # the importer's report date
    else:
        dates = (
            Inspection.objects.filter(
                round__body__code=body, round__term__name=term, round__number=number, organization__code=org
            )
            .values_list("report_date", "feedback_date")
            .first()
        )
        if dates is None:
            return None
        report = dates[0] or dates[1]
    return (start, report) if start else None


def _check_found_on(ctx: ImportContext, row: ProblemRow) -> None:
    """The same rule as the problem service and form (``validators.check_found_on``)."""
    dates = _inspection_dates(ctx, row.inspection)
    if dates is None:
        return
    try:
        check_found_on(row.found_on, *dates)
    except ValidationError as exc:
        ctx.error(PROBLEMS, row.line, "found_on", " ".join(exc.message_dict["found_on"]))


def _apply_problems(ctx: ImportContext) -> None:
    staged: dict[str, ProblemRow] = ctx.staged[PROBLEMS]
    categories = ctx.staged["problem_categories"]
    now = timezone.now()
    for row in staged.values():
        body, term, number, org = row.inspection
        inspection = Inspection.objects.get(
            round__body__code=body, round__term__name=term, round__number=number, organization__code=org
        )
        values = {
            "inspection": inspection,
            "category": categories[row.ref],
            "summary": row.description.split("。")[0][:200],
            "description": row.description,
            "found_on": row.found_on,
        }
        problem = Problem.objects.filter(ref=row.ref).first()
        if problem is None:
            Problem.objects.create(
                ref=row.ref,
                review=Review.APPROVED,
                approved_by=ctx.actor,
                approved_at=now,
                recorded_by=ctx.actor,
                **values,
            )
            ctx.count(PROBLEMS, "created")
        elif any(getattr(problem, k) != v for k, v in values.items() if k != "summary"):
            Problem.objects.filter(pk=problem.pk).update(**values)
            ctx.count(PROBLEMS, "updated")


def _export_problems(ctx: ExportContext):
    qs = (
        Problem.objects.filter(ctx.access.q(Perm.FINDINGS_VIEW, "inspection__round__body__owner_org__path"))
        .select_related(
            "inspection__round__body", "inspection__round__term", "inspection__organization", "category"
        )
        .order_by("ref")
    )
    for p in qs.iterator(chunk_size=5000):
        r = p.inspection.round
        yield [
            p.ref,
            r.body.code,
            r.term.name,
            r.number,
            p.inspection.organization.code,
            p.category.code,
            p.description or p.summary,
            iso(p.found_on),
        ]


register(
    LedgerFile(
        name=PROBLEMS,
        title=gettext_lazy("问题"),
        order=90,
        columns=[
            Column("problem_id", "问题编号", required=True),
            Column("body_code", "机构代码", required=True),
            Column("term", "届次", required=True),
            Column("round", "轮次", required=True),
            Column("org_code", "被巡视巡察党组织代码", required=True),
            Column("category", "问题类别", required=True),
            Column("description", "问题描述", required=True, text=True),
            Column("found_on", "发现日期", required=True),
        ],
        parse=_parse_problems,
        check=_check_problems,
        apply=_apply_problems,
        export=_export_problems,
    )
)


# --- clues.csv ------------------------------------------------------------------------------------


@dataclass(slots=True)
class ClueRow:
    line: int
    ref: str
    problem: str
    department: str
    transferred_on: datetime.date | None
    due_on: datetime.date | None
    status: str
    result: str
    fed_back_on: datetime.date | None


def _parse_clues(ctx: ImportContext, rows, total) -> None:
    staged: dict[str, ClueRow] = {}
    for line, (ref, problem, department, transferred, due, status, result, fed_back) in rows:
        ref = require_text(ctx, CLUES, line, "clue_id", ref, 40)
        problem = require_text(ctx, CLUES, line, "problem_id", problem, 40)
        department = require_text(ctx, CLUES, line, "department", department, 40)
        dates = [
            parse_date(ctx, CLUES, line, c, v)
            for c, v in (("transferred_on", transferred), ("due_on", due), ("fed_back_on", fed_back))
        ]
        status = parse_choice(ctx, CLUES, line, "status", status or ClueStatus.TRANSFERRED, ClueStatus)
        result = parse_choice(ctx, CLUES, line, "result", result, ClueResult) if result else ""
        if INVALID in (ref, problem, department, status, result, *dates):
            continue
        transferred, due, fed_back = dates
        if status in (ClueStatus.TRANSFERRED, ClueStatus.HANDLING, ClueStatus.FED_BACK) and not transferred:
            ctx.error(CLUES, line, "transferred_on", _("已移交的线索须写明移交日期。"))
            continue
        if due and transferred and due < transferred:
            ctx.error(CLUES, line, "due_on", _("反馈期限不能早于移交日期。"))
            continue
        if status == ClueStatus.FED_BACK and not (fed_back and result):
            ctx.error(CLUES, line, "fed_back_on", _("已反馈的线索须写明反馈日期和办理方式。"))
            continue
        if fed_back and transferred and fed_back < transferred:
            ctx.error(CLUES, line, "fed_back_on", _("反馈日期不能早于移交日期。"))
            continue
        if ref in staged:
            ctx.error(
                CLUES,
                line,
                "clue_id",
                _("线索编号重复（第 %(line)s 行已出现）。") % {"line": staged[ref].line},
            )
            continue
        staged[ref] = ClueRow(line, ref, problem, department, transferred, due, status, result, fed_back)
    ctx.staged[CLUES] = staged


def _check_clues(ctx: ImportContext) -> None:
    staged: dict[str, ClueRow] = ctx.staged[CLUES]
    in_file = ctx.staged.get(PROBLEMS, {})
    known = set(
        Problem.objects.filter(ref__in={r.problem for r in staged.values()}).values_list("ref", flat=True)
    )
    departments = set(Department.objects.values_list("code", flat=True))
    for row in staged.values():
        if row.problem not in in_file and row.problem not in known:
            ctx.error(
                CLUES,
                row.line,
                "problem_id",
                _("问题编号“%(code)s”既不在 problems.csv 中，也不在系统中。") % {"code": row.problem},
            )
        if row.department not in departments:
            ctx.error(
                CLUES,
                row.line,
                "department",
                _("没有代码为“%(code)s”的协作部门（可用：%(allowed)s）。")
                % {"code": row.department, "allowed": "、".join(sorted(departments))},
            )


def _apply_clues(ctx: ImportContext) -> None:
    from .services import add_months, day_start

    staged: dict[str, ClueRow] = ctx.staged[CLUES]
    problems = {
        p.ref: p
        for p in Problem.objects.filter(ref__in={r.problem for r in staged.values()}).select_related(
            "inspection__round"
        )
    }
    departments = {d.code: d for d in Department.objects.all()}
    for row in staged.values():
        problem = problems[row.problem]
        due = row.due_on or (
            add_months(row.transferred_on, problem.inspection.round.clue_feedback_months)
            if row.transferred_on
            else None
        )
        values = {
            "inspection": problem.inspection,
            "problem": problem,
            "department": departments[row.department],
            "transferred_on": row.transferred_on,
            "due_on": due,
            "status": row.status,
            "result": row.result,
            "fed_back_on": row.fed_back_on,
        }
        clue = Clue.objects.filter(ref=row.ref).first()
        if clue is None:
            # The ledger has no recording date: the clue dates from its problem, never after its transfer.
            recorded = min(d for d in (problem.found_on, row.transferred_on) if d)
            Clue.objects.create(
                ref=row.ref,
                subject_name=_("（见问题）"),
                summary=problem.summary,
                recorded_by=ctx.actor,
                recorded_at=day_start(recorded),
                **values,
            )
            ctx.count(CLUES, "created")
        elif any(getattr(clue, k) != v for k, v in values.items()):
            Clue.objects.filter(pk=clue.pk).update(**values)
            ctx.count(CLUES, "updated")


def _export_clues(ctx: ExportContext):
    qs = (
        Clue.objects.filter(ctx.access.q(Perm.FINDINGS_VIEW, "inspection__round__body__owner_org__path"))
        .exclude(problem__isnull=True)
        .select_related("problem", "department")
        .order_by("ref")
    )
    for c in qs.iterator(chunk_size=5000):
        yield [
            c.ref,
            c.problem.ref,
            c.department.code,
            iso(c.transferred_on),
            iso(c.due_on),
            c.status,
            c.result,
            iso(c.fed_back_on),
        ]


register(
    LedgerFile(
        name=CLUES,
        title=gettext_lazy("问题线索"),
        order=95,
        columns=[
            Column("clue_id", "线索编号", required=True),
            Column("problem_id", "问题编号", required=True),
            Column("department", "移交部门", required=True),
            Column("transferred_on", "移交日期"),
            Column("due_on", "反馈期限"),
            Column("status", "状态", choices=ClueStatus),
            Column("result", "办理方式", choices=ClueResult),
            Column("fed_back_on", "反馈日期"),
        ],
        parse=_parse_clues,
        check=_check_clues,
        apply=_apply_clues,
        export=_export_clues,
    )
)
