"""feedbacks.csv and rectification_reports.csv of the ledger bundle: the formal feedback of an
inspection (who gave and received it, the requirements, the rectification report's deadline) and the
reports the organisation submitted (整改情况报告, 主要负责人组织落实情况报告), so the reports overdue,
the rectification periods and the report papers read the same after the whole database is exported
and imported again.

A row names its inspection as inspections.csv does (body, term, round, organisation); the inspection
is in inspections.csv of the bundle or in the system. Importing a row again updates its record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lijian.core.permissions import Perm
from lijian.documents import ledger
from lijian.inspections.models import Inspection

from ..choices import ReportKind
from ..models import Feedback, RectificationReport
from .common import INSPECTIONS, in_scope

FEEDBACKS = "feedbacks.csv"
REPORTS = "rectification_reports.csv"
INSPECTION_COLUMNS = [
    ledger.filled("body_code", "机构代码"),
    ledger.filled("term", "届次"),
    ledger.filled("round", "轮次", kind=ledger.INT, minimum=1),
    ledger.filled("org_code", "党组织代码"),
]


@dataclass(slots=True)
class InspectionRecordRow:
    line: int
    inspection: tuple  # (body, term, round, organisation), as inspections.csv keys it
    values: dict


def _parser(file: str, fields: tuple[str, ...], key_fields: int = 0) -> Callable:
    """The parser of ``file``: each good row staged by its inspection (and its first ``key_fields``
    fields), its ``fields`` as values."""

    def parse(ctx: ledger.ImportContext, rows, total) -> None:
        staged: dict[tuple, InspectionRecordRow] = {}
        for line, (body, term, number, org, *cells), ok in rows:
            if not ok:
                continue
            values = dict(zip(fields, cells, strict=True))
            inspection = (body, term, number, org)
            staged[(*inspection, *cells[:key_fields])] = InspectionRecordRow(line, inspection, values)
        ctx.staged[file] = staged

    return parse


def _checker(file: str) -> Callable:
    def check(ctx: ledger.ImportContext) -> None:
        staged: dict[tuple, InspectionRecordRow] = ctx.staged[file]
        known = _inspections(ctx, {row.inspection for row in staged.values()})
        in_file = set(ctx.staged.get(INSPECTIONS, {}))
        for row in staged.values():
            if not in_scope(ctx, file, row.line, "body_code", row.inspection[0]):
                continue
            if row.inspection not in known and row.inspection not in in_file:
                message = _("找不到巡视巡察“%(key)s”（既不在 inspections.csv 中，也不在系统中）。")
                ctx.error(file, row.line, "org_code", message % {"key": ":".join(map(str, row.inspection))})

    return check


def _inspections(ctx: ledger.ImportContext, keys: set[tuple]) -> dict[tuple, Inspection]:
    """The inspections in the system among ``keys`` (body, term, round, organisation)."""
    found = Inspection.objects.filter(
        round__body__code__in={k[0] for k in keys}, organization__code__in={k[3] for k in keys}
    ).select_related("round__body", "round__term", "organization")
    by_key = {(i.round.body.code, i.round.term.name, i.round.number, i.organization.code): i for i in found}
    return {key: i for key, i in by_key.items() if key in keys}


def _key(inspection: Inspection) -> list:
    r = inspection.round
    return [r.body.code, r.term.name, r.number, inspection.organization.code]


def _visible(model, ctx: ledger.ExportContext):
    return (
        model.objects.filter(
            ctx.access.q(Perm.RECTIFICATION_VIEW, "inspection__round__body__owner_org__path")
        )
        .select_related("inspection__round__body", "inspection__round__term", "inspection__organization")
        .order_by(
            "inspection__round__body__code", "inspection__round__term__start", "inspection__round__number"
        )
    )


# --- feedbacks.csv -------------------------------------------------------------------------------

FEEDBACK_FIELDS = ("held_on", "given_by", "received_by", "requirements", "report_due")


def _apply_feedbacks(ctx: ledger.ImportContext) -> None:
    staged: dict[tuple, InspectionRecordRow] = ctx.staged[FEEDBACKS]
    inspections = _inspections(ctx, {row.inspection for row in staged.values()})
    existing = {
        f.inspection_id: f for f in Feedback.objects.filter(inspection__in=list(inspections.values()))
    }
    for row in staged.values():
        inspection = inspections[row.inspection]
        create = {"inspection": inspection, "recorded_by": ctx.actor}
        ledger.upsert(ctx, FEEDBACKS, Feedback, existing.get(inspection.pk), row.values, create=create)


def _export_feedbacks(ctx: ledger.ExportContext):
    for f in _visible(Feedback, ctx).iterator(chunk_size=5000):
        yield [
            *_key(f.inspection),
            ledger.iso(f.held_on),
            f.given_by,
            f.received_by,
            f.requirements,
            ledger.iso(f.report_due),
        ]


ledger.register(
    ledger.LedgerFile(
        name=FEEDBACKS,
        title=gettext_lazy("巡视巡察反馈"),
        order=93,
        columns=[
            *INSPECTION_COLUMNS,
            ledger.filled("held_on", "反馈日期", kind=ledger.DATE),
            ledger.filled("given_by", "反馈人", text=True, field=Feedback.given_by),
            ledger.filled("received_by", "接受反馈人", text=True, field=Feedback.received_by),
            ledger.Column(
                "requirements", "整改要求", text=True, field=Feedback.requirements, max_length=20000
            ),
            ledger.filled("report_due", "整改报告期限", kind=ledger.DATE),
        ],
        unique=(ledger.Unique(("body_code", "term", "round", "org_code")),),
        parse=_parser(FEEDBACKS, FEEDBACK_FIELDS),
        check=_checker(FEEDBACKS),
        apply=_apply_feedbacks,
        export=_export_feedbacks,
    )
)


# --- rectification_reports.csv -------------------------------------------------------------------

REPORT_FIELDS = ("kind", "submitted_on", "signed_by", "text")


def _apply_reports(ctx: ledger.ImportContext) -> None:
    staged: dict[tuple, InspectionRecordRow] = ctx.staged[REPORTS]
    inspections = _inspections(ctx, {row.inspection for row in staged.values()})
    existing = {
        (r.inspection_id, r.kind): r
        for r in RectificationReport.objects.filter(inspection__in=list(inspections.values()))
    }
    for row in staged.values():
        inspection = inspections[row.inspection]
        values = {k: v for k, v in row.values.items() if k != "kind"}
        create = {"inspection": inspection, "kind": row.values["kind"], "submitted_by": ctx.actor}
        current = existing.get((inspection.pk, row.values["kind"]))
        ledger.upsert(ctx, REPORTS, RectificationReport, current, values, create=create)


def _export_reports(ctx: ledger.ExportContext):
    for r in _visible(RectificationReport, ctx).iterator(chunk_size=5000):
        yield [*_key(r.inspection), r.kind, ledger.iso(r.submitted_on), r.signed_by, r.text]


ledger.register(
    ledger.LedgerFile(
        name=REPORTS,
        title=gettext_lazy("整改报告"),
        order=94,
        columns=[
            *INSPECTION_COLUMNS,
            ledger.filled("kind", "报告类型", choices=ReportKind),
            ledger.filled("submitted_on", "报送日期", kind=ledger.DATE),
            ledger.filled("signed_by", "署名", text=True, field=RectificationReport.signed_by),
            ledger.filled("text", "报告正文", text=True, field=RectificationReport.text, max_length=200000),
        ],
        unique=(ledger.Unique(("body_code", "term", "round", "org_code", "kind")),),
        parse=_parser(REPORTS, REPORT_FIELDS, key_fields=1),
        check=_checker(REPORTS),
        apply=_apply_reports,
        export=_export_reports,
    )
)
