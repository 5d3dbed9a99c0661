"""disclosures.csv of the ledger bundle: what the office disclosed of an inspection's rectification
(双公开) — inside the party or to the public, its title and text, whether the rates are shown, the
problems it picked, the day published and the day withdrawn — so the public page and the disclosure
list read the same after the whole database is exported and imported again.

A row names its inspection as inspections.csv does (body, term, round, organisation) and its problems
by number, separated by "；" or ";". A row is one disclosure: inspection, title and day published;
importing it again updates the rest. The rules are the service's (``disclosure.check_disclosure``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lijian.core.permissions import Perm
from lijian.documents import ledger
from lijian.findings.models import Problem

from ..choices import Audience
from ..disclosure import check_disclosure
from ..models import Disclosure
from .common import PROBLEMS, in_scope, not_future
from .reports import INSPECTION_COLUMNS, _key
from .rules import inspections_named, known_inspections, validated_on

DISCLOSURES = "disclosures.csv"
COLUMN_OF = {"published_on": "published_on", "problems": "problem_ids"}


@dataclass(slots=True)
class DisclosureRow:
    line: int
    inspection: tuple  # (body, term, round, organisation), as inspections.csv keys it
    title: str
    published_on: datetime.date
    values: dict
    problems: list[str]


def problem_refs(text: str) -> list[str]:
    """The problem numbers of a ``problem_ids`` cell, in order, each once."""
    refs = (part.strip() for part in text.replace("；", ";").split(";"))
    return list(dict.fromkeys(ref for ref in refs if ref))


def _parse(ctx: ledger.ImportContext, rows, total) -> None:
    staged: dict[tuple, DisclosureRow] = {}
    for line, cells, ok in rows:
        body, term, number, org, audience, title, text, show_rates, published_on, withdrawn_on, refs = cells
        if not ok or not not_future(ctx, DISCLOSURES, line, "published_on", published_on):
            continue
        if not not_future(ctx, DISCLOSURES, line, "withdrawn_on", withdrawn_on):
            continue
        if withdrawn_on and withdrawn_on < published_on:
            ctx.error(DISCLOSURES, line, "withdrawn_on", _("撤回日期不能早于公开日期。"))
            continue
        inspection = (body, term, number, org)
        values = {"audience": audience, "text": text, "show_rates": show_rates, "withdrawn_on": withdrawn_on}
        staged[(*inspection, title, published_on)] = DisclosureRow(
            line, inspection, title, published_on, values, problem_refs(refs)
        )
    ctx.staged[DISCLOSURES] = staged


def _check(ctx: ledger.ImportContext) -> None:
    rows = list(ctx.staged[DISCLOSURES].values())
    inspections = known_inspections(ctx, {r.inspection for r in rows})
    for row in rows:
        if not in_scope(ctx, DISCLOSURES, row.line, "body_code", row.inspection[0]):
            continue
        if row.inspection not in inspections:
            message = _("找不到巡视巡察“%(key)s”（既不在 inspections.csv 中，也不在系统中）。")
            ctx.error(
                DISCLOSURES, row.line, "org_code", message % {"key": ":".join(map(str, row.inspection))}
            )


def _apply(ctx: ledger.ImportContext) -> None:
    rows = list(ctx.staged[DISCLOSURES].values())
    inspections = inspections_named(ctx, {r.inspection for r in rows})
    problems = {p.ref: p for p in Problem.objects.filter(ref__in={ref for r in rows for ref in r.problems})}
    existing = {
        (d.inspection_id, d.title, d.published_on): d
        for d in Disclosure.objects.filter(inspection__in=list(inspections.values())).prefetch_related(
            "problems"
        )
    }
    for row in rows:
        inspection = inspections[row.inspection]
        missing = [ref for ref in row.problems if ref not in problems]
        if missing:
            message = _("问题编号“%(code)s”既不在 problems.csv 中，也不在系统中。") % {
                "code": "；".join(missing)
            }
            reason = ctx.missing_reference(PROBLEMS, missing[0]) if len(missing) == 1 else None
            ctx.error(DISCLOSURES, row.line, "problem_ids", reason or message)
            continue
        chosen = [problems[ref] for ref in row.problems]
        rule = (ctx, DISCLOSURES, row.line, COLUMN_OF, "org_code", check_disclosure)
        if not validated_on(*rule, inspection, row.published_on, chosen):
            continue
        item = existing.get((inspection.pk, row.title, row.published_on))
        if item is None:
            item = Disclosure.objects.create(
                inspection=inspection,
                title=row.title,
                published_on=row.published_on,
                published_by=ctx.actor,
                **row.values,
            )
            item.problems.set(chosen)
            ctx.count(DISCLOSURES, "created")
            continue
        changed = any(getattr(item, k) != v for k, v in row.values.items())
        if changed:
            Disclosure.objects.filter(pk=item.pk).update(**row.values)
        if {p.pk for p in item.problems.all()} != {p.pk for p in chosen}:
            item.problems.set(chosen)
            changed = True
        if changed:
            ctx.count(DISCLOSURES, "updated")


def _export(ctx: ledger.ExportContext):
    qs = (
        Disclosure.objects.filter(
            ctx.access.q(Perm.RECTIFICATION_VIEW, "inspection__round__body__owner_org__path")
        )
        .select_related("inspection__round__body", "inspection__round__term", "inspection__organization")
        .prefetch_related("problems")
        .order_by("inspection__round__body__code", "published_on", "pk")
    )
    for d in qs.iterator(chunk_size=2000):
        yield [
            *_key(d.inspection),
            d.audience,
            d.title,
            d.text,
            "1" if d.show_rates else "0",
            ledger.iso(d.published_on),
            ledger.iso(d.withdrawn_on),
            "；".join(sorted(p.ref for p in d.problems.all())),
        ]


ledger.register(
    ledger.LedgerFile(
        name=DISCLOSURES,
        title=gettext_lazy("整改公开"),
        order=99,  # after problem_status.csv (92): only problems in rectification may be disclosed
        columns=[
            *INSPECTION_COLUMNS,
            ledger.filled("audience", "公开范围", choices=Audience),
            ledger.filled("title", "标题", text=True, field=Disclosure.title),
            ledger.filled("text", "公开内容", text=True, field=Disclosure.text, max_length=20000),
            ledger.Column("show_rates", "公开整改率", kind=ledger.BOOL, default="1"),
            ledger.filled("published_on", "公开日期", kind=ledger.DATE),
            ledger.Column("withdrawn_on", "撤回日期", kind=ledger.DATE),
            ledger.Column("problem_ids", "公开的问题", max_length=20000),
        ],
        unique=(ledger.Unique(("body_code", "term", "round", "org_code", "title", "published_on")),),
        parse=_parse,
        check=_check,
        apply=_apply,
        export=_export,
    )
)
