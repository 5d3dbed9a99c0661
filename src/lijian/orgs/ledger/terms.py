"""terms.csv of the ledger bundle: the terms (届) of each body, under the rules of the term service
(``orgs.validators``): a term ends after it starts, and terms of one body may not overlap."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lijian.core.permissions import Perm
from lijian.documents import ledger

from ..models import InspectionBody, Term
from ..validators import check_term_dates, check_term_overlap
from .bodies import BODIES, BodyStage, org_path_for_import

TERMS = "terms.csv"


@dataclass(slots=True)
class TermRow:
    line: int
    body_code: str
    name: str
    start: object
    end: object


def _parse_terms(ctx: ledger.ImportContext, rows, total) -> None:
    staged: dict[tuple[str, str], TermRow] = {}
    for line, (body, name, start, end), ok in rows:
        if not ok:
            continue
        if not ledger.validated(ctx, TERMS, line, "end", check_term_dates, start, end):
            continue
        staged[(body, name)] = TermRow(line, body, name, start, end)
    ctx.staged[TERMS] = staged


def _check_terms(ctx: ledger.ImportContext) -> None:
    staged: dict[tuple[str, str], TermRow] = ctx.staged[TERMS]
    body_codes = {row.body_code for row in staged.values()}
    bodies_in_file: BodyStage | None = ctx.staged.get(BODIES)
    db_bodies = dict(
        InspectionBody.objects.filter(code__in=body_codes).values_list("code", "owner_org__path")
    )
    # Each body's terms kept in the system (a row of the sheet replaces the term of its name) as
    # (name, start, end), then its rows in the sheet as (start, end, name, line).
    kept: dict[str, list[tuple]] = defaultdict(list)
    for body, name, start, end in Term.objects.filter(body__code__in=body_codes).values_list(
        "body__code", "name", "start", "end"
    ):
        if (body, name) not in staged:
            kept[body].append((name, start, end))
    rows: dict[str, list[tuple]] = defaultdict(list)
    for row in staged.values():
        if row.body_code in db_bodies:
            owner_path = db_bodies[row.body_code]
        elif bodies_in_file and row.body_code in bodies_in_file.rows:
            owner_path = org_path_for_import(ctx, bodies_in_file.rows[row.body_code].owner_org_code)
        else:
            ctx.error(
                TERMS,
                row.line,
                "body_code",
                _("机构代码“%(code)s”既不在 bodies.csv 中，也不在系统中。") % {"code": row.body_code},
            )
            continue
        if owner_path is not None and not ctx.access.covers(Perm.ORG_MANAGE, owner_path):
            ctx.error(TERMS, row.line, "body_code", _("该机构不在您的管理范围内。"))
            continue
        rows[row.body_code].append((row.start, row.end, row.name, row.line))
    for body, items in rows.items():
        items.sort()
        # The term service's rule, each overlapping pair reported once: a row against the terms kept
        # and the rows before it (by start).
        for k, (start, end, _name, line) in enumerate(items):
            before = [(name, s, e) for s, e, name, _line in items[:k]]
            try:
                check_term_overlap(start, end, [*kept[body], *before])
            except ValidationError as exc:
                for column, messages in exc.message_dict.items():
                    ctx.error(TERMS, line, column, " ".join(messages))


def _apply_terms(ctx: ledger.ImportContext) -> None:
    staged: dict[tuple[str, str], TermRow] = ctx.staged[TERMS]
    body_ids = dict(
        InspectionBody.objects.filter(code__in={r.body_code for r in staged.values()}).values_list(
            "code", "pk"
        )
    )
    current = {
        (t.body.code, t.name): t
        for t in Term.objects.filter(body_id__in=body_ids.values()).select_related("body")
    }
    for key, row in staged.items():
        ledger.upsert(
            ctx,
            TERMS,
            Term,
            current.get(key),
            {"start": row.start, "end": row.end},
            create={"body_id": body_ids[row.body_code], "name": row.name},
        )


def _export_terms(ctx: ledger.ExportContext):
    qs = Term.objects.filter(ctx.access.q(Perm.ORG_VIEW, "body__owner_org__path")).order_by(
        "body__code", "start"
    )
    for body, name, start, end in qs.values_list("body__code", "name", "start", "end"):
        yield [body, name, ledger.iso(start), ledger.iso(end)]


ledger.register(
    ledger.LedgerFile(
        name=TERMS,
        title=gettext_lazy("届次"),
        columns=[
            ledger.filled("body_code", "机构代码", field=InspectionBody.code),
            ledger.filled("name", "届次", field=Term.name),
            ledger.filled("start", "开始日期", kind=ledger.DATE),
            ledger.filled("end", "结束日期", kind=ledger.DATE),
        ],
        unique=(ledger.Unique(("body_code", "name")),),
        order=30,
        parse=_parse_terms,
        check=_check_terms,
        apply=_apply_terms,
        export=_export_terms,
    )
)
