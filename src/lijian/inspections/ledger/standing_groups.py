"""standing_groups.csv of the ledger bundle: a body's standing groups themselves (第N巡察组), one row per
group, matched by body and group number: its name, whether it is still in the establishment (在编) and
its own staff (在编人员), whom the optimiser keeps in the group where it can. What a group was in each
round (leader, deputies, members) is groups.csv's.

The rules of the group pages hold: the importer plans for the body (``rounds.check_body``), and a new
member of a group's own staff is of the body's talent pool (in the pool, of a unit under the body's
committee, as ``people.selectors.pool_for_body`` reads it), in cadres.csv or the system. A column the
header leaves out leaves that part of an existing group as it is; an empty name names a new group
第N巡视组 / 第N巡察组, as ``services.group_create`` does.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lijian.core.permissions import Perm
from lijian.documents import ledger
from lijian.orgs.models import InspectionBody, Organization
from lijian.people.models import Cadre

from ..models import Group
from .groups import group_ids, group_name
from .rounds import check_body

STANDING_GROUPS = "standing_groups.csv"
BODIES, CADRES, ORGS = "bodies.csv", "cadres.csv", "organizations.csv"


@dataclass(slots=True)
class StandingGroupRow:
    line: int
    body: str
    number: int
    name: str
    active: bool | None
    core_staff: list[str]


def _parse(ctx: ledger.ImportContext, rows, total) -> None:
    staged: dict[tuple[str, int], StandingGroupRow] = {}
    for line, (body, number, name, active, staff), ok in rows:
        codes = group_ids(staff)
        if len(set(codes)) != len(codes):
            ctx.error(STANDING_GROUPS, line, "core_staff_ids", _("同一人在本组中出现了两次。"))
            ok = False
        if ok:
            staged[body, number] = StandingGroupRow(line, body, number, name, active, codes)
    ctx.staged[STANDING_GROUPS] = staged


def _committee(ctx: ledger.ImportContext, body: str) -> str | None:
    """The code of the body's committee as the bundle leaves it (bodies.csv, else the system)."""
    staged = ctx.staged.get(BODIES)
    if staged is not None and body in staged.rows:
        return staged.rows[body].owner_org_code
    return InspectionBody.objects.filter(code=body).values_list("owner_org__code", flat=True).first()


def _under(ctx: ledger.ImportContext, code: str, committee: str) -> bool:
    """Whether organisation ``code`` is ``committee`` or lies below it in the tree the bundle leaves:
    up through the parents organizations.csv gives, then by the system's paths."""
    rows = getattr(ctx.staged.get(ORGS), "rows", {})
    seen = set()
    while code not in seen:
        if code == committee:
            return True
        seen.add(code)
        row = rows.get(code)
        if row is None or not row.parent_code:
            break
        code = row.parent_code
    paths = dict(Organization.objects.filter(code__in=(code, committee)).values_list("code", "path"))
    return code in paths and committee in paths and paths[code].startswith(paths[committee])


def _pool_places(ctx: ledger.ImportContext, codes: set[str]) -> dict[str, tuple[str, bool]]:
    """(the code of the unit, in the pool) of each cadre named, as cadres.csv or else the system has it."""
    places = {
        code: (unit, in_pool)
        for code, unit, in_pool in Cadre.objects.filter(cadre_id__in=codes).values_list(
            "cadre_id", "home_org__code", "in_pool"
        )
    }
    for code, row in (ctx.staged.get(CADRES) or {}).items():
        if code in codes:
            places[code] = (row.home_org_code, row.in_pool)
    return places


def _check(ctx: ledger.ImportContext) -> None:
    staged: dict[tuple[str, int], StandingGroupRow] = ctx.staged[STANDING_GROUPS]
    places = _pool_places(ctx, {c for row in staged.values() for c in row.core_staff})
    held = {
        (body, number, code)
        for body, number, code in Group.core_staff.through.objects.filter(
            cadre__cadre_id__in=list(places)
        ).values_list("group__body__code", "group__number", "cadre__cadre_id")
    }
    for row in staged.values():
        if not check_body(ctx, STANDING_GROUPS, row.line, row.body):
            continue
        committee = _committee(ctx, row.body) or ""
        unknown, outside = [], []
        for code in row.core_staff:
            if code not in places:
                unknown.append(code)
            elif (row.body, row.number, code) not in held:  # staff the group already has stay
                unit, in_pool = places[code]
                if not (in_pool and _under(ctx, unit, committee)):
                    outside.append(code)
        if unknown:
            ctx.error(
                STANDING_GROUPS,
                row.line,
                "core_staff_ids",
                _("人员编号“%(code)s”既不在 cadres.csv 中，也不在系统中。") % {"code": "、".join(unknown)},
            )
        if outside:  # the group page's words
            ctx.error(
                STANDING_GROUPS,
                row.line,
                "core_staff_ids",
                _("本机构人才库中没有这些编号：%(codes)s") % {"codes": "、".join(outside)},
            )


def _apply(ctx: ledger.ImportContext) -> None:
    staged: dict[tuple[str, int], StandingGroupRow] = ctx.staged[STANDING_GROUPS]
    columns = ctx.columns[STANDING_GROUPS]
    bodies = {b.code: b for b in InspectionBody.objects.filter(code__in={body for body, _n in staged})}
    groups = {
        (g.body.code, g.number): g
        for g in Group.objects.filter(body__in=list(bodies.values()))
        .select_related("body")
        .prefetch_related("core_staff")
    }
    cadres = dict(
        Cadre.objects.filter(cadre_id__in={c for r in staged.values() for c in r.core_staff}).values_list(
            "cadre_id", "pk"
        )
    )
    for key, row in staged.items():
        group = groups.get(key)
        if group is None:
            body = bodies[row.body]
            group = Group.objects.create(
                body=body,
                number=row.number,
                name=row.name or group_name(body, row.number),
                active=row.active if row.active is not None else True,
            )
            group.core_staff.set([cadres[c] for c in row.core_staff])
            ctx.count(STANDING_GROUPS, "created")
            continue
        changes = {}
        if row.name and row.name != group.name:
            changes["name"] = row.name
        if "active" in columns and row.active is not None and row.active != group.active:
            changes["active"] = row.active
        if changes:
            Group.objects.filter(pk=group.pk).update(**changes)
        wanted = {cadres[c] for c in row.core_staff}
        restaffed = "core_staff_ids" in columns and wanted != {c.pk for c in group.core_staff.all()}
        if restaffed:
            group.core_staff.set(wanted)
        if changes or restaffed:
            ctx.count(STANDING_GROUPS, "updated")


def _export(ctx: ledger.ExportContext):
    groups = (
        Group.objects.filter(ctx.access.q(Perm.ROUND_VIEW, "body__owner_org__path"))
        .select_related("body")
        .prefetch_related("core_staff")
        .order_by("body__code", "number")
    )
    for g in groups:
        yield [
            g.body.code,
            g.number,
            g.name,
            1 if g.active else 0,
            ";".join(sorted(c.cadre_id for c in g.core_staff.all())),
        ]


ledger.register(
    ledger.LedgerFile(
        name=STANDING_GROUPS,
        title=gettext_lazy("巡视巡察组"),
        order=65,
        columns=[
            ledger.filled("body_code", "机构代码", field=InspectionBody.code),
            ledger.filled("group_no", "组号", kind=ledger.INT, minimum=1),
            ledger.Column("name", "名称", text=True, field=Group.name),
            ledger.Column("active", "在编", kind=ledger.BOOL),
            ledger.Column("core_staff_ids", "在编人员编号"),
        ],
        unique=(ledger.Unique(("body_code", "group_no")),),
        parse=_parse,
        check=_check,
        apply=_apply,
        export=_export,
    )
)
