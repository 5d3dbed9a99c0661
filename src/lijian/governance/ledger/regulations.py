"""regulations.csv of the ledger bundle: the rules a body issued, matched to one in the system by body,
name and day of issue. A revised rule names its newer text by name and day of issue
(``replaced_by_name``, ``replaced_by_issued_on``: in the file or the system, of the same body); the
services' ``validators.check_replacement`` and ``check_status_on`` decide."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lijian.documents import ledger
from lijian.orgs.models import InspectionBody

from ..choices import RegulationStatus
from ..models import Regulation
from ..validators import check_replacement, check_status_on
from .common import VIEW, bodies_by_code, body_in_scope, not_future

REGULATIONS = "regulations.csv"


@dataclass(slots=True)
class RegulationRow:
    line: int
    body: str
    name: str
    issuer: str
    number: str
    issued_on: datetime.date
    status: str
    status_on: datetime.date | None
    replaced_by_name: str
    replaced_by_issued_on: datetime.date | None
    summary: str

    @property
    def replacement(self) -> tuple | None:
        if not self.replaced_by_name and self.replaced_by_issued_on is None:
            return None
        return self.body, self.replaced_by_name, self.replaced_by_issued_on


def _parse(ctx: ledger.ImportContext, rows, total) -> None:
    f = REGULATIONS
    staged: dict[tuple, RegulationRow] = {}
    for line, values, ok in rows:
        if not ok:
            continue
        row = RegulationRow(line, *values)
        good = not_future(ctx, f, line, "issued_on", row.issued_on)
        good = (
            ledger.validated(
                ctx, f, line, "status_on", check_status_on, row.status, row.status_on, row.issued_on
            )
            and good
        )
        if (row.replaced_by_name == "") != (row.replaced_by_issued_on is None):
            ctx.error(f, line, "replaced_by_name", _("修订后的制度须同时填写名称和印发日期。"))
            good = False
        if good and body_in_scope(ctx, f, line, row.body):
            staged[row.body, row.name, row.issued_on] = row
    ctx.staged[REGULATIONS] = staged


def _check(ctx: ledger.ImportContext) -> None:
    """A revised rule's newer text is in the file or the system, of the same body, not older."""
    staged: dict[tuple, RegulationRow] = ctx.staged[REGULATIONS]
    wanted = {r.replacement for r in staged.values() if r.replacement} - set(staged)
    known = set()
    if wanted:
        known = set(
            Regulation.objects.filter(
                body__code__in={k[0] for k in wanted}, name__in={k[1] for k in wanted}
            ).values_list("body__code", "name", "issued_on")
        )
    for row in staged.values():
        target = row.replacement
        if target is not None and target not in staged and target not in known:
            message = _(
                "找不到 %(day)s 印发的“%(name)s”：它既不在 regulations.csv 中，也不在本机构的系统记录中。"
            )
            ctx.error(
                REGULATIONS, row.line, "replaced_by_name", message % {"day": target[2], "name": target[1]}
            )
            continue
        ledger.validated(
            ctx,
            REGULATIONS,
            row.line,
            "replaced_by_name",
            _check_row_replacement,
            row,
            target,
        )


def _check_row_replacement(row: RegulationRow, target: tuple | None) -> None:
    """``validators.check_replacement`` for a row: the newer text is of the row's body by its key."""
    check_replacement(
        status=row.status,
        issued_on=row.issued_on,
        body_id=0,
        replacement_body_id=0 if target else None,
        replacement_issued_on=target[2] if target else None,
        same=target == (row.body, row.name, row.issued_on),
    )


def _apply(ctx: ledger.ImportContext) -> None:
    staged: dict[tuple, RegulationRow] = ctx.staged[REGULATIONS]
    bodies = bodies_by_code({r.body for r in staged.values()})
    existing = {
        (r.body.code, r.name, r.issued_on): r
        for r in Regulation.objects.filter(body__in=list(bodies.values())).select_related("body")
    }
    for key, row in staged.items():
        values = {
            "issuer": row.issuer,
            "number": row.number,
            "status": row.status,
            "status_on": row.status_on,
            "summary": row.summary,
        }
        create = {
            "body": bodies[row.body],
            "name": row.name,
            "issued_on": row.issued_on,
            "recorded_by": ctx.actor,
        }
        ledger.upsert(ctx, REGULATIONS, Regulation, existing.get(key), values, create=create)
    # The replacements once every rule of the file exists.
    found = {
        (r.body.code, r.name, r.issued_on): r
        for r in Regulation.objects.filter(body__in=list(bodies.values())).select_related("body")
    }
    for key, row in staged.items():
        rule, target = found[key], row.replacement
        replacement = found.get(target) if target else None
        if rule.replaced_by_id != (replacement.pk if replacement else None):
            Regulation.objects.filter(pk=rule.pk).update(replaced_by=replacement)


def _export(ctx: ledger.ExportContext):
    rows = (
        Regulation.objects.filter(ctx.access.q(VIEW, "body__owner_org__path"))
        .select_related("body", "replaced_by")
        .order_by("issued_on", "pk")
    )
    for r in rows.iterator(chunk_size=5000):
        newer = r.replaced_by
        yield [
            r.body.code,
            r.name,
            r.issuer,
            r.number,
            ledger.iso(r.issued_on),
            r.status,
            ledger.iso(r.status_on),
            newer.name if newer else "",
            ledger.iso(newer.issued_on) if newer else "",
            r.summary,
        ]


ledger.register(
    ledger.LedgerFile(
        name=REGULATIONS,
        title=gettext_lazy("制度规定"),
        order=112,
        columns=[
            ledger.filled("body_code", "机构代码", field=InspectionBody.code),
            ledger.filled("name", "名称", text=True, field=Regulation.name),
            ledger.filled("issuer", "发文机关", text=True, field=Regulation.issuer),
            ledger.Column("number", "文号", text=True, field=Regulation.number),
            ledger.filled("issued_on", "印发日期", kind=ledger.DATE),
            ledger.Column("status", "状态", choices=RegulationStatus, default=RegulationStatus.IN_FORCE),
            ledger.Column("status_on", "修订或废止日期", kind=ledger.DATE),
            ledger.Column("replaced_by_name", "修订后的制度名称", text=True, field=Regulation.name),
            ledger.Column("replaced_by_issued_on", "修订后的制度印发日期", kind=ledger.DATE),
            ledger.Column("summary", "主要内容", text=True, max_length=5000),
        ],
        unique=(ledger.Unique(("body_code", "name", "issued_on"), at="name"),),
        parse=_parse,
        check=_check,
        apply=_apply,
        export=_export,
    )
)
