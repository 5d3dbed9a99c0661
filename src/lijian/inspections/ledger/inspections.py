"""inspections.csv of the ledger bundle (DESIGN.md §7): an inspection row places an organisation in a
round with its group and the dates that decide its stage.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lijian.core.permissions import Perm
from lijian.documents import ledger
from lijian.orgs.ledger.bodies import org_path_for_import
from lijian.orgs.models import Organization

from ..choices import Stage
from ..models import Group, Inspection, Round
from ..services import chinese_number
from ..validators import check_feedback_date, check_onsite_end, check_onsite_start
from .groups import INSPECTIONS
from .rounds import check_body, round_dates, round_exists


@dataclass(slots=True)
class InspectionRow:
    line: int
    round: tuple[str, str, int]
    group_no: int | None
    org: str
    onsite_start: datetime.date | None
    onsite_end: datetime.date | None
    feedback: datetime.date | None


def stage_from_dates(group, onsite_start, onsite_end, feedback) -> str:
    if feedback:
        return Stage.FEEDBACK
    if onsite_end:
        return Stage.REPORT
    if onsite_start:
        return Stage.ONSITE
    return Stage.PREPARATION if group else Stage.PLANNED


def _parse_inspections(ctx: ledger.ImportContext, rows, total) -> None:
    staged: dict[tuple, InspectionRow] = {}
    for line, (body, term, number, group_no, org, start, end, feedback), ok in rows:
        if not body or not term or number is None:
            ctx.error(INSPECTIONS, line, "", _("机构代码、届次和轮次都不能为空。"))
            continue
        if not ok:
            continue
        if (end and not start) or (feedback and not end):
            ctx.error(INSPECTIONS, line, "onsite_end", _("日期应依次为进驻、撤离、反馈，且前一个不能为空。"))
            continue
        # The stage services' rules, in their words, on the column of the later date.
        if end and not ledger.validated(ctx, INSPECTIONS, line, "onsite_end", check_onsite_end, start, end):
            continue
        if feedback and not ledger.validated(
            ctx, INSPECTIONS, line, "feedback_date", check_feedback_date, end, feedback
        ):
            continue
        staged[body, term, number, org] = InspectionRow(
            line, (body, term, number), group_no, org, start, end, feedback
        )
    ctx.staged[INSPECTIONS] = staged


def _check_inspections(ctx: ledger.ImportContext) -> None:
    for row in ctx.staged[INSPECTIONS].values():
        if not check_body(ctx, INSPECTIONS, row.line, row.round[0]):
            continue
        if not round_exists(ctx, row.round):
            ctx.error(
                INSPECTIONS,
                row.line,
                "round",
                _("找不到轮次“%(key)s”。") % {"key": ":".join(map(str, row.round))},
            )
        if org_path_for_import(ctx, row.org) is None:
            ctx.error(
                INSPECTIONS,
                row.line,
                "org_code",
                _("组织代码“%(code)s”既不在 organizations.csv 中，也不在系统中。") % {"code": row.org},
            )
        if row.onsite_start and row.group_no is None:
            ctx.error(INSPECTIONS, row.line, "group_no", _("已进驻的巡视巡察须写明组号。"))
        dates = round_dates(ctx, row.round) if row.onsite_start else None
        if dates:
            ledger.validated(
                ctx, INSPECTIONS, row.line, "onsite_start", check_onsite_start, dates[1], row.onsite_start
            )


def _apply_inspections(ctx: ledger.ImportContext) -> None:
    staged: dict[tuple, InspectionRow] = ctx.staged[INSPECTIONS]
    orgs = dict(
        Organization.objects.filter(code__in={r.org for r in staged.values()}).values_list("code", "pk")
    )
    rounds = {}
    for row in staged.values():
        if row.round not in rounds:
            rounds[row.round] = Round.objects.select_related("body").get(
                body__code=row.round[0], term__name=row.round[1], number=row.round[2]
            )
        round_ = rounds[row.round]
        group = None
        if row.group_no:
            suffix = "巡视组" if round_.body.level == "inspection" else "巡察组"
            group, _created = Group.objects.get_or_create(
                body=round_.body,
                number=row.group_no,
                defaults={"name": f"第{chinese_number(row.group_no)}{suffix}"},
            )
            round_.groups.add(group)
        values = {
            "group": group,
            "onsite_start": row.onsite_start,
            "onsite_end": row.onsite_end,
            "feedback_date": row.feedback,
            "report_date": row.feedback,
            "stage": stage_from_dates(group, row.onsite_start, row.onsite_end, row.feedback),
        }
        inspection, created = Inspection.objects.get_or_create(
            round=round_, organization_id=orgs[row.org], defaults=values
        )
        if created:
            ctx.count(INSPECTIONS, "created")
        elif any(getattr(inspection, k) != v for k, v in values.items() if k != "stage") or (
            Stage.values.index(values["stage"]) > Stage.values.index(inspection.stage)
        ):
            # A later stage reached in the ledger moves the record on; an earlier one never moves it back.
            if Stage.values.index(values["stage"]) < Stage.values.index(inspection.stage):
                values.pop("stage")
            Inspection.objects.filter(pk=inspection.pk).update(**values)
            ctx.count(INSPECTIONS, "updated")


def _export_inspections(ctx: ledger.ExportContext):
    qs = (
        Inspection.objects.filter(ctx.access.q(Perm.ROUND_VIEW, "round__body__owner_org__path"))
        .exclude(stage=Stage.WITHDRAWN)
        .select_related("round__body", "round__term", "group", "organization")
        .order_by(
            "round__body__code", "round__term__start", "round__number", "group__number", "organization__path"
        )
    )
    for i in qs.iterator(chunk_size=5000):
        yield [
            i.round.body.code,
            i.round.term.name,
            i.round.number,
            i.group.number if i.group else "",
            i.organization.code,
            ledger.iso(i.onsite_start),
            ledger.iso(i.onsite_end),
            ledger.iso(i.feedback_date),
        ]


ledger.register(
    ledger.LedgerFile(
        name=INSPECTIONS,
        title=gettext_lazy("巡视巡察"),
        order=80,
        columns=[
            ledger.Column("body_code", "机构代码", required=True),
            ledger.Column("term", "届次", required=True),
            ledger.Column("round", "轮次", required=True, kind=ledger.INT, minimum=1),
            ledger.Column("group_no", "组号", kind=ledger.INT, minimum=1),
            ledger.filled("org_code", "被巡视巡察党组织代码", field=Organization.code),
            ledger.Column("onsite_start", "进驻日期", kind=ledger.DATE),
            ledger.Column("onsite_end", "撤离日期", kind=ledger.DATE),
            ledger.Column("feedback_date", "反馈日期", kind=ledger.DATE),
        ],
        unique=(ledger.Unique(("body_code", "term", "round", "org_code")),),
        parse=_parse_inspections,
        check=_check_inspections,
        apply=_apply_inspections,
        export=_export_inspections,
    )
)
