"""clues.csv of the ledger bundle (DESIGN.md §7): a clue row hangs on a problem and names a department by
its code.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lijian.core.permissions import Perm
from lijian.documents import ledger

from ..choices import ClueResult, ClueStatus
from ..models import Clue, Department, Problem
from ..services import add_months, day_start
from ..validators import check_clue_due_on, check_clue_fed_back_on, check_clue_transferred_on
from .problems import PROBLEMS

CLUES = "clues.csv"


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


def _parse_clues(ctx: ledger.ImportContext, rows, total) -> None:
    staged: dict[str, ClueRow] = {}
    for line, (ref, problem, department, transferred, due, status, result, fed_back), ok in rows:
        if not ok:
            continue
        if status in (ClueStatus.TRANSFERRED, ClueStatus.HANDLING, ClueStatus.FED_BACK) and not transferred:
            ctx.error(CLUES, line, "transferred_on", _("已移交的线索须写明移交日期。"))
            continue
        if status == ClueStatus.FED_BACK and not (fed_back and result):
            ctx.error(CLUES, line, "fed_back_on", _("已反馈的线索须写明反馈日期和办理方式。"))
            continue
        # The rules of the clue services, in their words; "today" is the day of the import.
        rules = [
            ("transferred_on", check_clue_transferred_on, transferred) if transferred else None,
            ("due_on", check_clue_due_on, due, transferred) if due else None,
            ("fed_back_on", check_clue_fed_back_on, fed_back, transferred) if fed_back else None,
        ]
        if not all(ledger.validated(ctx, CLUES, line, *rule) for rule in rules if rule):
            continue
        staged[ref] = ClueRow(line, ref, problem, department, transferred, due, status, result, fed_back)
    ctx.staged[CLUES] = staged


def _check_clues(ctx: ledger.ImportContext) -> None:
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


def _apply_clues(ctx: ledger.ImportContext) -> None:
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
        # The ledger has no recording date: the clue dates from its problem, never after its transfer.
        recorded = min(d for d in (problem.found_on, row.transferred_on) if d)
        ledger.upsert(
            ctx,
            CLUES,
            Clue,
            Clue.objects.filter(ref=row.ref).first(),
            values,
            create={
                "ref": row.ref,
                "subject_name": _("（见问题）"),
                "summary": problem.summary,
                "recorded_by": ctx.actor,
                "recorded_at": day_start(recorded),
            },
        )


def _export_clues(ctx: ledger.ExportContext):
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
            ledger.iso(c.transferred_on),
            ledger.iso(c.due_on),
            c.status,
            c.result,
            ledger.iso(c.fed_back_on),
        ]


ledger.register(
    ledger.LedgerFile(
        name=CLUES,
        title=gettext_lazy("问题线索"),
        order=95,
        columns=[
            ledger.filled("clue_id", "线索编号", field=Clue.ref),
            ledger.filled("problem_id", "问题编号", field=Problem.ref),
            ledger.filled("department", "移交部门", field=Department.code),
            ledger.Column("transferred_on", "移交日期", kind=ledger.DATE),
            ledger.Column("due_on", "反馈期限", kind=ledger.DATE),
            ledger.Column("status", "状态", choices=ClueStatus, default=ClueStatus.TRANSFERRED),
            ledger.Column("result", "办理方式", choices=ClueResult),
            ledger.Column("fed_back_on", "反馈日期", kind=ledger.DATE),
        ],
        unique=(ledger.Unique(("clue_id",)),),
        parse=_parse_clues,
        check=_check_clues,
        apply=_apply_clues,
        export=_export_clues,
    )
)
