"""conflicts.csv of the ledger bundle (DESIGN.md §7): declared conflicts of interest of the cadres."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lijian.core.permissions import Perm
from lijian.documents import ledger
from lijian.orgs.ledger.bodies import org_path_for_import
from lijian.orgs.models import Organization

from ..choices import ConflictKind
from ..models import Cadre, Conflict
from .cadres import CADRES

CONFLICTS = "conflicts.csv"


@dataclass(slots=True)
class ConflictRow:
    line: int
    cadre_id: str
    org_code: str
    kind: str


def _parse_conflicts(ctx: ledger.ImportContext, rows, total) -> None:
    staged: dict[tuple[str, str, str], ConflictRow] = {}
    for line, (cadre_id, org_code, kind), ok in rows:
        if ok:  # a repeated row says nothing new
            staged.setdefault((cadre_id, org_code, kind), ConflictRow(line, cadre_id, org_code, kind))
    ctx.staged[CONFLICTS] = staged


def _check_conflicts(ctx: ledger.ImportContext) -> None:
    staged: dict[tuple, ConflictRow] = ctx.staged[CONFLICTS]
    in_file = set(ctx.staged.get(CADRES, {}))
    known = dict(
        Cadre.objects.filter(cadre_id__in={r.cadre_id for r in staged.values()}).values_list(
            "cadre_id", "home_org__path"
        )
    )
    for row in staged.values():
        if row.cadre_id not in in_file and row.cadre_id not in known:
            ctx.error(
                CONFLICTS,
                row.line,
                "cadre_id",
                ctx.missing_reference(CADRES, row.cadre_id)
                or _("人员编号“%(code)s”既不在 cadres.csv 中，也不在系统中。") % {"code": row.cadre_id},
            )
        elif row.cadre_id not in in_file and not ctx.access.covers(Perm.POOL_MANAGE, known[row.cadre_id]):
            # Rows of cadres.csv are checked there; a cadre already stored must be in the importer's scope.
            ctx.error(CONFLICTS, row.line, "cadre_id", _("该人员的单位不在您的管理范围内。"))
        if org_path_for_import(ctx, row.org_code) is None:
            ctx.error(
                CONFLICTS,
                row.line,
                "org_code",
                _("组织代码“%(code)s”既不在 organizations.csv 中，也不在系统中。") % {"code": row.org_code},
            )


def _apply_conflicts(ctx: ledger.ImportContext) -> None:
    staged: dict[tuple, ConflictRow] = ctx.staged[CONFLICTS]
    cadres = dict(
        Cadre.objects.filter(cadre_id__in={r.cadre_id for r in staged.values()}).values_list("cadre_id", "pk")
    )
    orgs = dict(
        Organization.objects.filter(code__in={r.org_code for r in staged.values()}).values_list("code", "pk")
    )
    existing = set(
        Conflict.objects.filter(cadre_id__in=cadres.values(), active=True).values_list(
            "cadre_id", "organization_id", "kind"
        )
    )
    new = [
        Conflict(cadre_id=cadres[r.cadre_id], organization_id=orgs[r.org_code], kind=r.kind)
        for r in staged.values()
        if (cadres[r.cadre_id], orgs[r.org_code], r.kind) not in existing
    ]
    Conflict.objects.bulk_create(new)
    if new:
        ctx.count(CONFLICTS, "created", len(new))


def _export_conflicts(ctx: ledger.ExportContext):
    qs = (
        Conflict.objects.filter(ctx.access.q(Perm.POOL_VIEW, "cadre__home_org__path"), active=True)
        .order_by("cadre__cadre_id", "organization__code")
        .values_list("cadre__cadre_id", "organization__code", "kind")
    )
    for row in qs.iterator(chunk_size=5000):
        yield list(row)


ledger.register(
    ledger.LedgerFile(
        name=CONFLICTS,
        title=gettext_lazy("回避事项"),
        columns=[
            ledger.filled("cadre_id", "人员编号", field=Cadre.cadre_id),
            ledger.filled("org_code", "回避单位代码", field=Organization.code),
            ledger.filled("reason", "回避事由", choices=ConflictKind),
        ],
        order=50,
        parse=_parse_conflicts,
        check=_check_conflicts,
        apply=_apply_conflicts,
        export=_export_conflicts,
    )
)
