"""supervision_lines.csv of the ledger bundle: the lines of supervision outside the tree (政法委 over
the courts, 组织部 over the units it manages) whose two sides never inspect each other, so staffing
keeps the same avoidance rules after the whole database is exported and imported again.

Reference data, like the taxonomies: a row the system already holds as written passes for anyone;
a new or changed line needs the right to manage reference data.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lijian.core.permissions import Perm
from lijian.documents import ledger
from lijian.orgs.ledger.bodies import org_path_for_import
from lijian.orgs.models import Organization

from ..models import SupervisionLine

SUPERVISION_LINES = "supervision_lines.csv"


@dataclass(slots=True)
class LineRow:
    line: int
    supervisor: str
    supervised: str
    description: str
    active: bool


def _parse(ctx: ledger.ImportContext, rows, total) -> None:
    staged: dict[tuple[str, str], LineRow] = {}
    for line, (supervisor, supervised, description, active), ok in rows:
        if not ok:
            continue
        if supervisor == supervised:
            ctx.error(SUPERVISION_LINES, line, "supervised_code", _("监督单位和被监督单位不能是同一个。"))
            continue
        staged[supervisor, supervised] = LineRow(line, supervisor, supervised, description, active)
    ctx.staged[SUPERVISION_LINES] = staged


def _held() -> dict[tuple[str, str], tuple[str, bool]]:
    return {
        (a, b): (description, active)
        for a, b, description, active in SupervisionLine.objects.values_list(
            "supervisor__code", "supervised__code", "description", "active"
        )
    }


def _check(ctx: ledger.ImportContext) -> None:
    staged: dict[tuple[str, str], LineRow] = ctx.staged[SUPERVISION_LINES]
    held = _held()
    may_change = ctx.access.has(Perm.REFERENCE_MANAGE)
    for key, row in staged.items():
        for column, code in (("supervisor_code", row.supervisor), ("supervised_code", row.supervised)):
            if org_path_for_import(ctx, code) is None:
                message = _("组织代码“%(code)s”既不在 organizations.csv 中，也不在系统中。")
                ctx.error(SUPERVISION_LINES, row.line, column, message % {"code": code})
        if held.get(key) != (row.description, row.active) and not may_change:
            ctx.error(SUPERVISION_LINES, row.line, "supervisor_code", _("您无权修改监督关系。"))


def _apply(ctx: ledger.ImportContext) -> None:
    staged: dict[tuple[str, str], LineRow] = ctx.staged[SUPERVISION_LINES]
    codes = {code for key in staged for code in key}
    orgs = dict(Organization.objects.filter(code__in=codes).values_list("code", "pk"))
    existing = {
        (line.supervisor.code, line.supervised.code): line
        for line in SupervisionLine.objects.select_related("supervisor", "supervised")
    }
    for key, row in staged.items():
        ledger.upsert(
            ctx,
            SUPERVISION_LINES,
            SupervisionLine,
            existing.get(key),
            {"description": row.description, "active": row.active},
            create={"supervisor_id": orgs[row.supervisor], "supervised_id": orgs[row.supervised]},
        )


def _export(ctx: ledger.ExportContext):
    qs = SupervisionLine.objects.order_by("supervisor__code", "supervised__code").values_list(
        "supervisor__code", "supervised__code", "description", "active"
    )
    for supervisor, supervised, description, active in qs.iterator(chunk_size=5000):
        yield [supervisor, supervised, description, "1" if active else "0"]


ledger.register(
    ledger.LedgerFile(
        name=SUPERVISION_LINES,
        title=gettext_lazy("监督关系"),
        order=45,
        columns=[
            ledger.filled("supervisor_code", "监督单位代码", field=Organization.code),
            ledger.filled("supervised_code", "被监督单位代码", field=Organization.code),
            ledger.Column("description", "关系说明", text=True, field=SupervisionLine.description),
            ledger.Column("active", "有效", kind=ledger.BOOL, default="1"),
        ],
        unique=(ledger.Unique(("supervisor_code", "supervised_code")),),
        parse=_parse,
        check=_check,
        apply=_apply,
        export=_export,
    )
)
