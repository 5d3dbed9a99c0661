"""departments.csv of the ledger bundle: the receiving departments of "1+3+N" (纪委监委, 组织部, 审计 …),
each of one committee, so a bundle naming them (clues.csv) imports into an empty database in one step.

A row whose code exists updates that department (name, kind, committee); a new one is created at the
end of its committee's list. Either needs the right to manage the organisations of the committee (the
old and the new one); a row equal to what the system holds changes nothing and needs no right. Any column that takes a department (``department_for``) accepts its code,
its name, or its kind as offices write it (纪委监委, 组织部, 审计局: a label or a synonym of
``DepartmentKind``), the candidates narrowed to the committee the row belongs to; a word that still
fits several departments is refused with them named.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lijian.core.permissions import Perm
from lijian.core.vocabulary import normalised, vocabulary
from lijian.documents import ledger
from lijian.orgs.ledger.bodies import org_path_for_import
from lijian.orgs.models import Organization

from ..choices import DepartmentKind
from ..models import Department

DEPARTMENTS = "departments.csv"


@dataclass(slots=True)
class DepartmentRow:
    line: int
    code: str
    name: str
    kind: str
    committee: str


def _parse_departments(ctx: ledger.ImportContext, rows, total) -> None:
    staged: dict[str, DepartmentRow] = {}
    for line, (code, name, kind, committee), ok in rows:
        if ok:
            staged[code] = DepartmentRow(line, code, name, kind, committee)
    ctx.staged[DEPARTMENTS] = staged


def _check_departments(ctx: ledger.ImportContext) -> None:
    staged: dict[str, DepartmentRow] = ctx.staged[DEPARTMENTS]
    existing = {
        code: (name, kind, committee, path)
        for code, name, kind, committee, path in Department.objects.filter(code__in=list(staged)).values_list(
            "code", "name", "kind", "committee__code", "committee__path"
        )
    }
    for row in staged.values():
        path = org_path_for_import(ctx, row.committee)
        if path is None:
            message = _("组织代码“%(code)s”既不在 organizations.csv 中，也不在系统中。")
            ctx.error(DEPARTMENTS, row.line, "committee", message % {"code": row.committee})
            continue
        held = existing.get(row.code)
        if held is not None and held[:3] == (row.name, row.kind, row.committee):
            continue  # as the system holds it: no change, so no right needed (an office's own export)
        for where in {path, held[3] if held else path}:
            if not ctx.access.covers(Perm.ORG_MANAGE, where) and not (
                where == "" and ctx.access.is_global(Perm.ORG_MANAGE)
            ):
                ctx.error(DEPARTMENTS, row.line, "committee", _("该党委不在您的管理范围内。"))
                break


def _apply_departments(ctx: ledger.ImportContext) -> None:
    staged: dict[str, DepartmentRow] = ctx.staged[DEPARTMENTS]
    committees = dict(
        Organization.objects.filter(code__in={r.committee for r in staged.values()}).values_list("code", "pk")
    )
    current = {d.code: d for d in Department.objects.filter(code__in=list(staged))}
    sizes = dict(
        Department.objects.filter(committee__in=committees.values())
        .values("committee")
        .annotate(n=Count("pk"))
        .values_list("committee", "n")
    )
    for row in staged.values():
        committee = committees[row.committee]
        values = {"name": row.name, "kind": row.kind, "committee_id": committee}
        create = {"code": row.code, "order": sizes.get(committee, 0)}
        if row.code not in current:
            sizes[committee] = sizes.get(committee, 0) + 1
        ledger.upsert(ctx, DEPARTMENTS, Department, current.get(row.code), values, create=create)


def _export_departments(ctx: ledger.ExportContext):
    qs = Department.objects.filter(ctx.access.q(Perm.ORG_VIEW, "committee__path")).order_by("code")
    for code, name, kind, committee in qs.values_list("code", "name", "kind", "committee__code"):
        yield [code, name, kind, committee]


@dataclass(frozen=True, slots=True)
class Known:
    """A department as a column naming one may find it: in the system or in departments.csv."""

    code: str
    name: str
    kind: str
    committee: str  # the committee's organisation code


class DepartmentFinder:
    """Finds the department a cell names, for one import (the departments read once)."""

    def __init__(self, ctx: ledger.ImportContext):
        known = {
            code: Known(code, name, kind, committee)
            for code, name, kind, committee in Department.objects.values_list(
                "code", "name", "kind", "committee__code"
            )
        }
        for row in ctx.staged.get(DEPARTMENTS, {}).values():
            known[row.code] = Known(row.code, row.name, row.kind, row.committee)
        self.known = known
        self.kinds = vocabulary(DepartmentKind)

    def find(self, text: str, committee: str | None) -> Known:
        """The department ``text`` names (code, name, or kind) among those of ``committee`` when one is
        given and has it. Raises ``ValidationError`` naming the candidates, or the departments known."""
        if text in self.known:
            return self.known[text]
        word = normalised(text)
        found = [d for d in self.known.values() if normalised(d.name) == word]
        if not found:
            try:
                kind = self.kinds.resolve(text)[0]
            except ValidationError:
                kind = None
            found = [d for d in self.known.values() if d.kind == kind]
        if len(found) > 1 and committee:
            found = [d for d in found if d.committee == committee] or found
        if len(found) == 1:
            return found[0]
        if found:
            raise ValidationError(
                _("“%(value)s”可指：%(candidates)s，请写明部门代码。")
                % {
                    "value": text,
                    "candidates": "、".join(f"{d.code} {d.name}" for d in sorted(found, key=_code)),
                }
            )
        raise ValidationError(
            _("没有代码或名称为“%(code)s”的协作部门（可用：%(allowed)s）。")
            % {
                "code": text,
                "allowed": "、".join(f"{d.code} {d.name}" for d in sorted(self.known.values(), key=_code)),
            }
        )


def _code(department: Known) -> str:
    return department.code


ledger.register(
    ledger.LedgerFile(
        name=DEPARTMENTS,
        title=gettext_lazy("协作部门"),
        order=85,
        columns=[
            ledger.filled("code", "部门代码", field=Department.code),
            ledger.filled("name", "名称", text=True, field=Department.name),
            ledger.filled("kind", "类别", choices=DepartmentKind),
            ledger.filled("committee", "所属党委代码", field=Organization.code),
        ],
        unique=(ledger.Unique(("code",)),),
        parse=_parse_departments,
        check=_check_departments,
        apply=_apply_departments,
        export=_export_departments,
    )
)
