"""assessment_scores.csv of the ledger bundle: one row per score of a lower body on an indicator in
a body's yearly assessment (``body_code`` and ``year`` name the assessment, whose ``status`` and
``committee_kind`` are repeated on each of its rows and the same on all of them; an assessment not yet
in the system is made with them). A score is matched by assessment, assessed body and indicator."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lijian.documents import ledger
from lijian.orgs.choices import BodyLevel, OrgKind
from lijian.orgs.models import InspectionBody

from ..choices import AssessmentStatus
from ..models import Assessment, AssessmentIndicator, AssessmentScore
from ..validators import check_score, check_year
from .common import VIEW, bodies_by_code, body_in_scope, body_known, is_lower, unknown
from .indicators import INDICATORS

SCORES = "assessment_scores.csv"


@dataclass(slots=True)
class ScoreRow:
    line: int
    body: str
    year: int
    status: str
    committee_kind: str
    assessed: str
    indicator: str
    value: Decimal | None
    score: Decimal
    computed: bool
    note: str


def decimal_cell(ctx, file: str, line: int, column: str, text: str, places: int):
    """The number in ``text`` (``None`` when empty), at most ``places`` decimals; reported if not one."""
    if not text:
        return None
    try:
        value = Decimal(text)
        if not value.is_finite() or value < 0 or -value.as_tuple().exponent > places:
            raise InvalidOperation(text)
    except InvalidOperation:
        message = _("“%(value)s”应为不小于 0 的数，最多 %(places)s 位小数。")
        ctx.error(file, line, column, message % {"value": text, "places": places})
        return ledger.INVALID
    return value


def _parse(ctx: ledger.ImportContext, rows, total) -> None:
    staged: dict[tuple, ScoreRow] = {}
    heads: dict[tuple, tuple] = {}
    for line, (body, year, status, kind, assessed, indicator, value, score, computed, note), ok in rows:
        value = decimal_cell(ctx, SCORES, line, "value", value, 4)
        score = decimal_cell(ctx, SCORES, line, "score", score, 2)
        if score is None:
            ctx.error(SCORES, line, "score", _("不能为空。"))
            continue
        if not ok or ledger.INVALID in (value, score):
            continue
        if not ledger.validated(ctx, SCORES, line, "year", check_year, year):
            continue
        if heads.setdefault((body, year), (status, kind)) != (status, kind):
            ctx.error(SCORES, line, "status", _("同一考核的各行，考核状态和被考核党委类别应一致。"))
            continue
        if body_in_scope(ctx, SCORES, line, body):
            staged[body, year, assessed, indicator] = ScoreRow(
                line, body, year, status, kind, assessed, indicator, value, score, computed, note
            )
    ctx.staged[SCORES] = staged


def indicator_weights(ctx: ledger.ImportContext, codes: set[str]) -> dict[str, int]:
    """The weight of each indicator named, from assessment_indicators.csv, else the system."""
    weights = dict(AssessmentIndicator.objects.filter(code__in=codes).values_list("code", "weight"))
    weights.update(
        {code: row.weight for code, row in ctx.staged.get(INDICATORS, {}).items() if code in codes}
    )
    return weights


def _check(ctx: ledger.ImportContext) -> None:
    staged: dict[tuple, ScoreRow] = ctx.staged[SCORES]
    weights = indicator_weights(ctx, {r.indicator for r in staged.values()})
    for row in staged.values():
        body_known(ctx, SCORES, row.line, "assessed_body_code", row.assessed)
        if row.indicator not in weights:
            unknown(ctx, SCORES, row.line, "indicator_code", row.indicator, INDICATORS)
        else:
            ledger.validated(ctx, SCORES, row.line, "score", check_score, row.score, weights[row.indicator])


def assessments_for(ctx, keys, bodies, heads: dict | None = None) -> dict:
    """The assessments named by (body code, year) in ``keys``, by that key: found, or made a draft.
    ``heads`` gives, by key, the values of the assessment itself the sheet records (its status and
    kind of committee), written onto one found or made here."""
    found = {
        (a.body.code, a.year): a
        for a in Assessment.objects.filter(body__in=list(bodies.values())).select_related("body")
    }
    for key in keys:
        values = (heads or {}).get(key, {})
        if key not in found:
            found[key] = Assessment.objects.create(
                body=bodies[key[0]], year=key[1], recorded_by=ctx.actor, **values
            )
        elif any(getattr(found[key], name) != value for name, value in values.items()):
            Assessment.objects.filter(pk=found[key].pk).update(**values)
            for name, value in values.items():
                setattr(found[key], name, value)
    return found


def lower_body(ctx, file: str, line: int, assessing, assessed, committee_kind: str = "") -> bool:
    """The services' rule: ``assessed`` is a patrol body below ``assessing``'s committee (of a
    committee of ``committee_kind`` when the assessment names one)."""
    if assessed.level != BodyLevel.PATROL:
        ctx.error(file, line, "assessed_body_code", _("被考核机构须是巡察机构。"))
        return False
    if committee_kind and assessed.owner_org.kind != committee_kind:
        message = _("被考核机构须是%(kind)s的巡察机构。") % {"kind": OrgKind(committee_kind).label}
        ctx.error(file, line, "assessed_body_code", message)
        return False
    return is_lower(ctx, file, line, "assessed_body_code", assessing, assessed.owner_org.path)


def _apply(ctx: ledger.ImportContext) -> None:
    staged: dict[tuple, ScoreRow] = ctx.staged[SCORES]
    bodies = bodies_by_code({r.body for r in staged.values()} | {r.assessed for r in staged.values()})
    heads = {
        (r.body, r.year): {"status": r.status, "committee_kind": r.committee_kind} for r in staged.values()
    }
    assessments = assessments_for(ctx, heads, bodies, heads)
    indicators = {
        i.code: i for i in AssessmentIndicator.objects.filter(code__in={r.indicator for r in staged.values()})
    }
    existing = {
        (s.assessment_id, s.assessed_body_id, s.indicator_id): s
        for s in AssessmentScore.objects.filter(assessment__in=list(assessments.values()))
    }
    for row in staged.values():
        assessment, assessed = assessments[row.body, row.year], bodies[row.assessed]
        if not lower_body(ctx, SCORES, row.line, bodies[row.body], assessed, assessment.committee_kind):
            continue
        indicator = indicators[row.indicator]
        values = {"value": row.value, "score": row.score, "computed": row.computed, "note": row.note}
        create = {"assessment": assessment, "assessed_body": assessed, "indicator": indicator}
        item = existing.get((assessment.pk, assessed.pk, indicator.pk))
        ledger.upsert(ctx, SCORES, AssessmentScore, item, values, create=create)


def _export(ctx: ledger.ExportContext):
    rows = (
        AssessmentScore.objects.filter(ctx.access.q(VIEW, "assessment__body__owner_org__path"))
        .select_related("assessment__body", "assessed_body", "indicator")
        .order_by("assessment__year", "assessment_id", "assessed_body__code", "indicator__code")
    )
    for s in rows.iterator(chunk_size=5000):
        yield [
            s.assessment.body.code,
            str(s.assessment.year),
            s.assessment.status,
            s.assessment.committee_kind,
            s.assessed_body.code,
            s.indicator.code,
            "" if s.value is None else str(s.value),
            str(s.score),
            "1" if s.computed else "0",
            s.note,
        ]


ledger.register(
    ledger.LedgerFile(
        name=SCORES,
        title=gettext_lazy("考核得分"),
        order=123,
        columns=[
            ledger.filled("body_code", "考核机构代码", field=InspectionBody.code),
            ledger.filled("year", "年度", kind=ledger.INT, minimum=1),
            ledger.Column("status", "考核状态", choices=AssessmentStatus, default=AssessmentStatus.DRAFT),
            ledger.Column("committee_kind", "被考核党委类别", choices=OrgKind),
            ledger.filled("assessed_body_code", "被考核机构代码", field=InspectionBody.code),
            ledger.filled("indicator_code", "指标代码", field=AssessmentIndicator.code),
            ledger.Column("value", "数据值"),
            ledger.Column("score", "得分", required=True),
            ledger.Column("computed", "按数据计算", kind=ledger.BOOL, default="0"),
            ledger.Column("note", "说明", text=True, field=AssessmentScore.note),
        ],
        unique=(
            ledger.Unique(("body_code", "year", "assessed_body_code", "indicator_code"), at="indicator_code"),
        ),
        parse=_parse,
        check=_check,
        apply=_apply,
        export=_export,
    )
)
