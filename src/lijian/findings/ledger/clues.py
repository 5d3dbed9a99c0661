"""clues.csv of the ledger bundle (DESIGN.md §7): a clue row hangs on a problem and names a department by
its code, its name or its kind as offices write it (纪委监委, 组织部, 审计局), looked for first among the
departments of the committee whose body found the problem (``departments.DepartmentFinder``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lijian.core.permissions import Perm
from lijian.documents import ledger
from lijian.orgs.models import InspectionBody

from ..choices import ClueResult, ClueStatus
from ..models import Clue, Department, Problem
from ..services import add_months, day_start
from ..validators import check_clue_due_on, check_clue_fed_back_on, check_clue_transferred_on
from .departments import DepartmentFinder
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
    # What the department's answer reported (the clue's results, counted by the figures), and the
    # clue's own record (whom it is about, its hand-over sheet, when accepted and escalated).
    results: dict


# The results of a clue's answer, each a column of its own after the eight of the term's sheet.
SUBJECT_OF_PROBLEM = gettext_lazy("（见问题）")  # whom a clue of the ledger is about: see its problem
RESULT_FIELDS = ("party_discipline", "organisational_handling", "judicial_transfers")
LOSSES_LIMIT = Decimal(10**9)


def _losses(ctx: ledger.ImportContext, line: int, text: str) -> Decimal | None:
    """The losses recovered (万元, two decimals) a cell writes, 0 when empty; ``None`` once a bad
    amount is reported."""
    if not text:
        return Decimal(0)
    try:
        amount = Decimal(text.replace(",", "").replace("，", ""))
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite() or amount < 0 or amount > LOSSES_LIMIT:
        ctx.error(CLUES, line, "losses_recovered", _("“%(value)s”不是有效的金额（万元）。") % {"value": text})
        return None
    return amount.quantize(Decimal("0.01"))


def _parse_clues(ctx: ledger.ImportContext, rows, total) -> None:
    staged: dict[str, ClueRow] = {}
    for line, (ref, problem, department, transferred, due, status, result, fed_back, *answer), ok in rows:
        *people, losses, feedback = answer[:5]
        subject_name, subject_post, summary, sheet_no, accepted, escalated = answer[5:]
        losses = _losses(ctx, line, losses)
        if not ok or losses is None:
            continue
        if accepted and transferred and accepted < transferred:
            ctx.error(CLUES, line, "accepted_on", _("接收日期不能早于移交日期。"))
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
        results = dict(zip(RESULT_FIELDS, (n or 0 for n in people), strict=True))
        results.update(losses_recovered=losses, feedback=feedback, subject_post=subject_post)
        results.update(subject_name=subject_name, summary=summary, sheet_no=sheet_no)
        results.update(accepted_on=accepted, escalated_on=escalated)
        staged[ref] = ClueRow(
            line, ref, problem, department, transferred, due, status, result, fed_back, results
        )
    ctx.staged[CLUES] = staged


def _committees(ctx: ledger.ImportContext, refs: set[str]) -> dict[str, str]:
    """The code of the committee owning the body that found each problem (in the system or the bundle)."""
    found = dict(
        Problem.objects.filter(ref__in=refs).values_list("ref", "inspection__round__body__owner_org__code")
    )
    staged_problems = ctx.staged.get(PROBLEMS, {})
    bodies = {row.inspection[0] for ref, row in staged_problems.items() if ref in refs}
    owners = dict(InspectionBody.objects.filter(code__in=bodies).values_list("code", "owner_org__code"))
    staged_bodies = ctx.staged.get("bodies.csv")
    if staged_bodies is not None:
        owners.update((code, row.owner_org_code) for code, row in staged_bodies.rows.items())
    for ref, row in staged_problems.items():
        if ref in refs and row.inspection[0] in owners:
            found[ref] = owners[row.inspection[0]]
    return found


def _check_clues(ctx: ledger.ImportContext) -> None:
    staged: dict[str, ClueRow] = ctx.staged[CLUES]
    in_file = ctx.staged.get(PROBLEMS, {})
    refs = {r.problem for r in staged.values()}
    known = set(Problem.objects.filter(ref__in=refs).values_list("ref", flat=True))
    committees = _committees(ctx, refs)
    departments = DepartmentFinder(ctx)
    for row in staged.values():
        if row.problem not in in_file and row.problem not in known:
            ctx.error(
                CLUES,
                row.line,
                "problem_id",
                ctx.missing_reference(PROBLEMS, row.problem)
                or _("问题编号“%(code)s”既不在 problems.csv 中，也不在系统中。") % {"code": row.problem},
            )
        try:
            department = departments.find(row.department, committees.get(row.problem))
        except ValidationError as exc:
            ctx.error(CLUES, row.line, "department", " ".join(exc.messages))
            continue
        if department.code != row.department:
            ctx.mapped(CLUES, "department", row.department, f"{department.code} {department.name}")
            row.department = department.code


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
        # A sheet without the results' columns leaves the results recorded in the system as they are;
        # an empty subject or summary stands for the problem's.
        results = dict(row.results)
        results["subject_name"] = results["subject_name"] or str(SUBJECT_OF_PROBLEM)
        results["summary"] = results["summary"] or problem.summary
        values.update((key, value) for key, value in results.items() if key in ctx.columns.get(CLUES, ()))
        create = {"ref": row.ref, "recorded_by": ctx.actor}
        create.update(subject_name=results["subject_name"], summary=results["summary"])
        # The ledger has no recording date: the clue dates from its problem, never after its transfer.
        recorded = min(d for d in (problem.found_on, row.transferred_on) if d)
        ledger.upsert(
            ctx,
            CLUES,
            Clue,
            Clue.objects.filter(ref=row.ref).first(),
            values,
            create={
                **{k: v for k, v in create.items() if k not in values},
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
            c.party_discipline,
            c.organisational_handling,
            c.judicial_transfers,
            c.losses_recovered,
            c.feedback,
            c.subject_name,
            c.subject_post,
            c.summary,
            c.sheet_no,
            ledger.iso(c.accepted_on),
            ledger.iso(c.escalated_on),
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
            ledger.Column("party_discipline", "党纪政务处分人数", kind=ledger.INT),
            ledger.Column("organisational_handling", "组织处理人数", kind=ledger.INT),
            ledger.Column("judicial_transfers", "移送司法机关人数", kind=ledger.INT),
            ledger.Column("losses_recovered", "挽回经济损失（万元）"),
            ledger.Column("feedback", "办理情况", text=True, field=Clue.feedback, max_length=5000),
            ledger.Column("subject_name", "反映对象", text=True, field=Clue.subject_name),
            ledger.Column("subject_post", "反映对象职务", text=True, field=Clue.subject_post),
            ledger.Column("summary", "主要问题", text=True, field=Clue.summary, max_length=5000),
            ledger.Column("sheet_no", "交接单编号", field=Clue.sheet_no),
            ledger.Column("accepted_on", "接收日期", kind=ledger.DATE),
            ledger.Column("escalated_on", "超期督办日期", kind=ledger.DATE),
        ],
        unique=(ledger.Unique(("clue_id",)),),
        parse=_parse_clues,
        check=_check_clues,
        apply=_apply_clues,
        export=_export_clues,
    )
)
