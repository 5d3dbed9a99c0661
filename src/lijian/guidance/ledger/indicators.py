"""assessment_indicators.csv of the ledger bundle: the reference table of the yearly assessment's
indicators, matched by code. Reference data: every exporter reads it, and a row the system already
holds as written passes for anyone (an office imports its own export back); a new or changed indicator
needs the right to manage reference data, and the row refused says which it would be."""

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
    for line, values, ok in rows:
        if not ok:
            continue
        row = IndicatorRow(line, *values)
        if ledger.validated(
            ctx, INDICATORS, line, "figure_key", check_indicator, row.kind, row.figure_key, row.weight
        ):
            staged[row.code] = row
    ctx.staged[INDICATORS] = staged


def _values(row: IndicatorRow) -> dict:
    return {
        "name": row.name,
        "weight": row.weight,
        "kind": row.kind,
        "figure_key": row.figure_key,
        "active": row.active,
    }


def _check(ctx: ledger.ImportContext) -> None:
    """Refuse, for an importer without the right to manage reference data, every row that would add
    an indicator or change a stored one (naming the columns it changes); rows equal to what the
    system holds pass."""
    if ctx.access.has(Perm.REFERENCE_MANAGE):
        return
    staged: dict[str, IndicatorRow] = ctx.staged[INDICATORS]
    existing = {i.code: i for i in AssessmentIndicator.objects.filter(code__in=list(staged))}
    for code, row in staged.items():
        held = existing.get(code)
        if held is None:
            message = _("系统中没有考核指标“%(code)s”：新增参考数据需要维护参考数据的权限。")
            ctx.error(INDICATORS, row.line, "code", message % {"code": code})
            continue
        changed = [key for key, value in _values(row).items() if getattr(held, key) != value]
        if changed:
            message = _("这一行会修改考核指标“%(code)s”的 %(columns)s：修改参考数据需要维护参考数据的权限。")
            ctx.error(
                INDICATORS, row.line, changed[0], message % {"code": code, "columns": "、".join(changed)}
            )


def _apply(ctx: ledger.ImportContext) -> None:
    staged: dict[str, IndicatorRow] = ctx.staged[INDICATORS]
    existing = {i.code: i for i in AssessmentIndicator.objects.filter(code__in=list(staged))}
    for code, row in staged.items():
        ledger.upsert(
            ctx, INDICATORS, AssessmentIndicator, existing.get(code), _values(row), create={"code": code}
        )


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
