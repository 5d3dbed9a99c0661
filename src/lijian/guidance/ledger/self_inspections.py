"""self_inspections.csv of the ledger bundle: one row per item checked, the self-inspection's own
values (scope, period, status, summary, day closed) repeated on each of its rows and the same on all
of them. A self-inspection is matched by body and title, an item by its self-inspection and its text."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lijian.documents import ledger
from lijian.orgs.models import InspectionBody

from ..choices import InspectionScope, SelfInspectionStatus
from ..models import SelfInspection, SelfInspectionItem
from ..validators import check_fix, check_order, check_period
from .common import VIEW, bodies_by_code, body_in_scope, not_future

SELF_INSPECTIONS = "self_inspections.csv"
HEAD = ("scope", "period_start", "period_end", "status", "summary", "closed_on")


@dataclass(slots=True)
class ItemRow:
    line: int
    body: str
    title: str
    scope: str
    period_start: datetime.date
    period_end: datetime.date
    item: str
    finding: str
    problem_found: bool
    fix: str
    fixed_on: datetime.date | None
    status: str
    summary: str
    closed_on: datetime.date | None


def _rules(ctx, row: ItemRow) -> bool:
    f, line = SELF_INSPECTIONS, row.line
    ok = ledger.validated(ctx, f, line, "period_end", check_period, row.period_start, row.period_end)
    ok = ledger.validated(ctx, f, line, "fix", check_fix, row.problem_found, row.fix, row.fixed_on) and ok
    ok = not_future(ctx, f, line, "closed_on", row.closed_on) and ok
    closed = row.status == SelfInspectionStatus.CLOSED
    if closed and not (row.summary and row.closed_on):
        ctx.error(f, line, "closed_on", _("已完成的自查须写明自查总结和完成日期。"))
        ok = False
    elif not closed and row.closed_on:
        ctx.error(f, line, "closed_on", _("自查中的自查不填完成日期。"))
        ok = False
    elif closed:
        message = _("完成日期不能早于自查期间的开始日期。")
        ok = (
            ledger.validated(
                ctx, f, line, "closed_on", check_order, row.period_start, row.closed_on, "closed_on", message
            )
            and ok
        )
    return ok


def _parse(ctx: ledger.ImportContext, rows, total) -> None:
    staged: dict[tuple, ItemRow] = {}
    heads: dict[tuple, tuple] = {}
    for line, values, ok in rows:
        if not ok:
            continue
        row = ItemRow(line, *values)
        if not (_rules(ctx, row) and body_in_scope(ctx, SELF_INSPECTIONS, line, row.body)):
            continue
        head = tuple(getattr(row, name) for name in HEAD)
        first = heads.setdefault((row.body, row.title), head)
        if first != head:
            changed = next(name for name, a, b in zip(HEAD, first, head, strict=True) if a != b)
            message = _("同一自查的各行，自查范围、期间、状态、总结和完成日期应一致。")
            ctx.error(SELF_INSPECTIONS, line, changed, message)
            continue
        staged[row.body, row.title, row.item] = row
    ctx.staged[SELF_INSPECTIONS] = staged


def _check(ctx: ledger.ImportContext) -> None:
    """Nothing across files: a self-inspection names only its body, checked while parsing."""


def _apply(ctx: ledger.ImportContext) -> None:
    staged: dict[tuple, ItemRow] = ctx.staged[SELF_INSPECTIONS]
    bodies = bodies_by_code({r.body for r in staged.values()})
    inspections = {
        (s.body.code, s.title): s
        for s in SelfInspection.objects.filter(body__in=list(bodies.values())).select_related("body")
    }
    done: set[tuple] = set()
    for row in staged.values():  # the self-inspections first, each once (from its first row)
        key = (row.body, row.title)
        if key in done:
            continue
        done.add(key)
        values = {name: getattr(row, name) for name in HEAD}
        if key in inspections:
            ledger.upsert(ctx, SELF_INSPECTIONS, SelfInspection, inspections[key], values)
        else:
            create = {"body": bodies[row.body], "title": row.title, "recorded_by": ctx.actor}
            inspections[key] = SelfInspection.objects.create(**create, **values)
            ctx.count(SELF_INSPECTIONS, "created")
    items = {
        (i.inspection_id, i.item): i
        for i in SelfInspectionItem.objects.filter(inspection__in=list(inspections.values()))
    }
    for row in staged.values():
        inspection = inspections[row.body, row.title]
        values = {
            "finding": row.finding,
            "problem_found": row.problem_found,
            "fix": row.fix,
            "fixed_on": row.fixed_on,
        }
        item = items.get((inspection.pk, row.item))
        create = {"inspection": inspection, "item": row.item}
        ledger.upsert(ctx, SELF_INSPECTIONS, SelfInspectionItem, item, values, create=create)


def _export(ctx: ledger.ExportContext):
    rows = (
        SelfInspectionItem.objects.filter(ctx.access.q(VIEW, "inspection__body__owner_org__path"))
        .select_related("inspection__body")
        .order_by("inspection__period_start", "inspection_id", "pk")
    )
    for i in rows.iterator(chunk_size=5000):
        s = i.inspection
        yield [
            s.body.code,
            s.title,
            s.scope,
            ledger.iso(s.period_start),
            ledger.iso(s.period_end),
            i.item,
            i.finding,
            "1" if i.problem_found else "0",
            i.fix,
            ledger.iso(i.fixed_on),
            s.status,
            s.summary,
            ledger.iso(s.closed_on),
        ]


ledger.register(
    ledger.LedgerFile(
        name=SELF_INSPECTIONS,
        title=gettext_lazy("自查"),
        order=121,
        columns=[
            ledger.filled("body_code", "自查机构代码", field=InspectionBody.code),
            ledger.filled("title", "自查名称", text=True, field=SelfInspection.title),
            ledger.filled("scope", "自查范围", choices=InspectionScope),
            ledger.filled("period_start", "自查期间起", kind=ledger.DATE),
            ledger.filled("period_end", "自查期间止", kind=ledger.DATE),
            ledger.filled("item", "自查事项", text=True, field=SelfInspectionItem.item),
            ledger.Column("finding", "自查情况", text=True, field=SelfInspectionItem.finding),
            ledger.Column("problem_found", "发现问题", kind=ledger.BOOL, default="0"),
            ledger.Column("fix", "整改措施", text=True, field=SelfInspectionItem.fix),
            ledger.Column("fixed_on", "整改完成日期", kind=ledger.DATE),
            ledger.Column("status", "状态", choices=SelfInspectionStatus, default=SelfInspectionStatus.OPEN),
            ledger.Column("summary", "自查总结", text=True, field=SelfInspection.summary),
            ledger.Column("closed_on", "完成日期", kind=ledger.DATE),
        ],
        unique=(ledger.Unique(("body_code", "title", "item"), at="item"),),
        parse=_parse,
        check=_check,
        apply=_apply,
        export=_export,
    )
)
