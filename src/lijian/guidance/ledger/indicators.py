"""assessment_indicators.csv of the ledger bundle: the reference table of the yearly assessment's
indicators, matched by code. Reference data: anyone who may edit reference data imports it, and every
exporter reads it."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lijian.core.permissions import Perm
from lijian.documents import ledger

from ..choices import FigureKey, IndicatorKind
from ..models import AssessmentIndicator
from ..validators import check_indicator

INDICATORS = "assessment_indicators.csv"


@dataclass(slots=True)
class IndicatorRow:
    line: int
    code: str
    name: str
    weight: int
    kind: str
    figure_key: str
    active: bool


def _parse(ctx: ledger.ImportContext, rows, total) -> None:
    staged: dict[str, IndicatorRow] = {}
    allowed = ctx.access.has(Perm.REFERENCE_MANAGE)
    for line, values, ok in rows:
        if not ok:
            continue
        if not allowed:
            ctx.error(INDICATORS, line, "code", _("您无权维护参考数据（考核指标）。"))
            continue
        row = IndicatorRow(line, *values)
        if ledger.validated(
            ctx, INDICATORS, line, "figure_key", check_indicator, row.kind, row.figure_key, row.weight
        ):
            staged[row.code] = row
    ctx.staged[INDICATORS] = staged


def _check(ctx: ledger.ImportContext) -> None:
    """Nothing across files."""


def _apply(ctx: ledger.ImportContext) -> None:
    staged: dict[str, IndicatorRow] = ctx.staged[INDICATORS]
    existing = {i.code: i for i in AssessmentIndicator.objects.filter(code__in=list(staged))}
    for code, row in staged.items():
        values = {
            "name": row.name,
            "weight": row.weight,
            "kind": row.kind,
            "figure_key": row.figure_key,
            "active": row.active,
        }
        ledger.upsert(ctx, INDICATORS, AssessmentIndicator, existing.get(code), values, create={"code": code})


def _export(ctx: ledger.ExportContext):
    if not ctx.access.has(Perm.GOVERNANCE_VIEW):
        return
    for i in AssessmentIndicator.objects.order_by("code"):
        yield [i.code, i.name, str(i.weight), i.kind, i.figure_key, "1" if i.active else "0"]


ledger.register(
    ledger.LedgerFile(
        name=INDICATORS,
        title=gettext_lazy("考核指标"),
        order=122,
        columns=[
            ledger.filled("code", "指标代码", field=AssessmentIndicator.code),
            ledger.filled("name", "指标名称", text=True, field=AssessmentIndicator.name),
            ledger.filled("weight", "分值", kind=ledger.INT, minimum=1),
            ledger.filled("kind", "类别", choices=IndicatorKind),
            ledger.Column("figure_key", "数据来源", choices=FigureKey),
            ledger.Column("active", "启用", kind=ledger.BOOL, default="1"),
        ],
        unique=(ledger.Unique(("code",)),),
        parse=_parse,
        check=_check,
        apply=_apply,
        export=_export,
    )
)
