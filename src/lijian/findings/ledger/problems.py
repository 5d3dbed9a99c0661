"""problems.csv of the ledger bundle (DESIGN.md §7).

A problem row names its inspection by body, term, round and organisation (the inspection must be in
inspections.csv or in the system) and its category by code or name in the framework in force for the
body's level on the day it was found. Imported problems are the office's own ledger: they come in
approved.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lijian.core.permissions import Perm
from lijian.documents import ledger
from lijian.inspections.ledger.rounds import check_body  # the same scope rule as the rounds
from lijian.inspections.models import Inspection, Round
from lijian.orgs.models import InspectionBody

from ..choices import Review
from ..models import Category, Problem
from ..validators import check_found_on
from .categories import category_candidates, category_key

PROBLEMS = "problems.csv"


@dataclass(slots=True)
class ProblemRow:
    line: int
    ref: str
    inspection: tuple[str, str, int, str]
    category: str
    description: str
    found_on: datetime.date


def _parse_problems(ctx: ledger.ImportContext, rows, total) -> None:
    staged: dict[str, ProblemRow] = {}
    for line, (ref, body, term, number, org, category, description, found_on), ok in rows:
        if not body or not term or not org or number is None:
            ctx.error(PROBLEMS, line, "", _("机构代码、届次、轮次和组织代码都不能为空。"))
            continue
        if ok:
            staged[ref] = ProblemRow(line, ref, (body, term, number, org), category, description, found_on)
    ctx.staged[PROBLEMS] = staged


def _body_level(ctx: ledger.ImportContext, code: str) -> str | None:
    staged = ctx.staged.get("bodies.csv")
    if staged and code in staged.rows:
        return staged.rows[code].level
    return InspectionBody.objects.filter(code=code).values_list("level", flat=True).first()


def _check_problems(ctx: ledger.ImportContext) -> None:
    staged_inspections = ctx.staged.get("inspections.csv", {})
    categories: dict[str, tuple[str, str]] = {}  # ref -> (framework code, category code)
    for row in ctx.staged[PROBLEMS].values():
        body, term, number, org = row.inspection
        if not check_body(ctx, PROBLEMS, row.line, body):
            continue
        exists = (body, term, number, org) in staged_inspections or Inspection.objects.filter(
            round__body__code=body, round__term__name=term, round__number=number, organization__code=org
        ).exists()
        if not exists:
            ctx.error(
                PROBLEMS,
                row.line,
                "org_code",
                _("找不到这次巡视巡察（%(key)s）：请在 inspections.csv 中列出。")
                % {"key": f"{body}:{term}:{number} {org}"},
            )
        else:
            _check_found_on(ctx, row)
        level = _body_level(ctx, body)
        category = category_key(ctx, level, row.category, row.found_on) if level else None
        if category is None:
            message = _("在 %(day)s 适用的问题分类体系中找不到“%(value)s”。") % {
                "day": row.found_on,
                "value": row.category,
            }
            close = category_candidates(ctx, level, row.category, row.found_on) if level else []
            if close:
                message += _("相近的分类：%(names)s。") % {"names": "、".join(close)}
            ctx.error(PROBLEMS, row.line, "category", message)
            continue
        categories[row.ref] = category
        known = Problem.objects.filter(ref=row.ref).select_related("inspection__round__body").first()
        if known and known.inspection.round.body.code != body:
            ctx.error(PROBLEMS, row.line, "problem_id", _("该编号已被另一机构的问题使用。"))
    ctx.staged["problem_categories"] = categories


def _inspection_dates(ctx: ledger.ImportContext, key) -> tuple[datetime.date, datetime.date | None] | None:
    """The round's start and the report date of the inspection ``key`` names, as the bundle leaves
    them (its rows first, then the system); ``None`` when either is unknown."""
    body, term, number, org = key
    staged_round = ctx.staged.get("rounds.csv", {}).get((body, term, number))
    start = staged_round.start if staged_round else None
    if start is None:
        start = (
            Round.objects.filter(body__code=body, term__name=term, number=number)
            .values_list("start", flat=True)
            .first()
        )
    row = ctx.staged.get("inspections.csv", {}).get(key)
    if row is not None:
        report = row.feedback  # the importer's report date
    else:
        dates = (
            Inspection.objects.filter(
                round__body__code=body, round__term__name=term, round__number=number, organization__code=org
            )
            .values_list("report_date", "feedback_date")
            .first()
        )
        if dates is None:
            return None
        report = dates[0] or dates[1]
    return (start, report) if start else None


def _check_found_on(ctx: ledger.ImportContext, row: ProblemRow) -> None:
    """The same rule as the problem service and form (``validators.check_found_on``)."""
    dates = _inspection_dates(ctx, row.inspection)
    if dates is None:
        return
    try:
        check_found_on(row.found_on, *dates)
    except ValidationError as exc:
        ctx.error(PROBLEMS, row.line, "found_on", " ".join(exc.message_dict["found_on"]))


def _apply_problems(ctx: ledger.ImportContext) -> None:
    staged: dict[str, ProblemRow] = ctx.staged[PROBLEMS]
    keys = ctx.staged["problem_categories"]
    categories = {
        (c.framework.code, c.code): c
        for c in Category.objects.filter(framework__code__in={k[0] for k in keys.values()}).select_related(
            "framework"
        )
    }
    now = timezone.now()
    for row in staged.values():
        body, term, number, org = row.inspection
        inspection = Inspection.objects.get(
            round__body__code=body, round__term__name=term, round__number=number, organization__code=org
        )
        item = Problem.objects.filter(ref=row.ref).first()
        text = {"summary": row.description.split("。")[0][:200], "description": row.description}
        if item is not None and not item.description and row.description == item.summary:
            # A problem recorded with a summary only exports its summary as the description: the
            # same text back changes nothing.
            text = {"summary": item.summary, "description": item.description}
        values = {
            "inspection": inspection,
            "category": categories[keys[row.ref]],
            **text,
            "found_on": row.found_on,
        }
        ledger.upsert(
            ctx,
            PROBLEMS,
            Problem,
            item,
            values,
            create={
                "ref": row.ref,
                "review": Review.APPROVED,
                "approved_by": ctx.actor,
                "approved_at": now,
                "recorded_by": ctx.actor,
            },
            unchecked=("summary",),
        )


def _export_problems(ctx: ledger.ExportContext):
    qs = (
        Problem.objects.filter(ctx.access.q(Perm.FINDINGS_VIEW, "inspection__round__body__owner_org__path"))
        .select_related(
            "inspection__round__body", "inspection__round__term", "inspection__organization", "category"
        )
        .order_by("ref")
    )
    for p in qs.iterator(chunk_size=5000):
        r = p.inspection.round
        yield [
            p.ref,
            r.body.code,
            r.term.name,
            r.number,
            p.inspection.organization.code,
            p.category.code,
            p.description or p.summary,
            ledger.iso(p.found_on),
        ]


ledger.register(
    ledger.LedgerFile(
        name=PROBLEMS,
        title=gettext_lazy("问题"),
        order=90,
        columns=[
            ledger.filled("problem_id", "问题编号", field=Problem.ref),
            ledger.Column("body_code", "机构代码", required=True),
            ledger.Column("term", "届次", required=True),
            ledger.Column("round", "轮次", required=True, kind=ledger.INT, minimum=1),
            ledger.Column("org_code", "被巡视巡察党组织代码", required=True),
            # A category's code or its name: as long as the longer of the two.
            ledger.filled("category", "问题类别", field=Category.name),
            ledger.filled("description", "问题描述", text=True, field=Problem.description, max_length=5000),
            ledger.filled("found_on", "发现日期", kind=ledger.DATE),
        ],
        unique=(ledger.Unique(("problem_id",)),),
        parse=_parse_problems,
        check=_check_problems,
        apply=_apply_problems,
        export=_export_problems,
    )
)
