"""petitions.csv of the ledger bundle (DESIGN.md §7): never with identities.

A row names the body that received the petition in ``body_code``, else by the subject
organisation's supervising body; a petition received jointly (联合接待) names the other body in
``joint_body_code``. The inspection it concerns is the receiving body's inspection of the subject
organisation in ``term`` and ``round``, the group that received it ``group_no`` of that body; a
petition routed (``route``) to a group or a department went to that inspection; imported petitions keep the status given and stay anonymous unless
the office records an identity by hand (the bundle has no column for it, on purpose)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lijian.core.permissions import Perm
from lijian.documents import ledger
from lijian.inspections.models import Group, Inspection
from lijian.orgs.models import InspectionBody, Organization

from ..choices import Channel, PetitionStatus, Route
from ..models import Petition
from ..validators import check_received_on

PETITIONS = "petitions.csv"
CATEGORY_LENGTH = Petition._meta.get_field("category").max_length


@dataclass(slots=True)
class PetitionRow:
    line: int
    ref: str
    channel: str
    received_on: datetime.date
    org: str
    category: str
    summary: str
    anonymous: bool
    status: str
    body: str  # the receiving body's code, "" for the subject organisation's supervising body
    joint_body: str
    handling: dict  # the inspection, group, route and answer, as the row gives them


# Where a petition went after it was received: the columns after the receiving bodies.
HANDLING = ("term", "round", "group_no", "route", "routed_on", "answer", "answered_on", "close_reason")


def _parse(ctx: ledger.ImportContext, rows, total) -> None:
    staged: dict[str, PetitionRow] = {}
    for line, cells, ok in rows:
        ref, channel, received_on, org, category, summary, anonymous, status, body, joint = cells[:10]
        handling = dict(zip(HANDLING, cells[10:], strict=True))
        if anonymous.lower() not in ("", "1", "0", "true", "false", "是", "否"):
            ctx.error(PETITIONS, line, "anonymous", _("应为 1/0、true/false 或 是/否。"))
            continue
        if not ok:
            continue
        if channel == Channel.JOINT_RECEPTION and not joint:
            ctx.error(PETITIONS, line, "joint_body_code", _("联合接待须写明一同接待的巡察机构。"))
            continue
        if joint and joint == body:
            ctx.error(PETITIONS, line, "joint_body_code", _("联合接待的机构不能是受理机构自己。"))
            continue
        if bool(handling["term"]) != (handling["round"] is not None):
            ctx.error(PETITIONS, line, "round", _("所涉巡视巡察须同时写明届次和轮次。"))
            continue
        if handling["route"] in (Route.GROUP, Route.DEPARTMENT) and not handling["term"]:
            ctx.error(PETITIONS, line, "round", _("转办的信访件须写明所涉巡视巡察的届次和轮次。"))
            continue
        # The petition service's rule, in its words; "today" is the day of the import.
        if not ledger.validated(ctx, PETITIONS, line, "received_on", check_received_on, received_on):
            continue
        staged[ref] = PetitionRow(
            line,
            ref,
            channel,
            received_on,
            org,
            category[:CATEGORY_LENGTH],
            summary,
            anonymous.lower() not in ("0", "false", "否"),
            status,
            body,
            joint,
            handling,
        )
    ctx.staged[PETITIONS] = staged


def _check(ctx: ledger.ImportContext) -> None:
    staged: dict[str, PetitionRow] = ctx.staged[PETITIONS]
    orgs = {
        o.code: o
        for o in Organization.objects.filter(code__in={r.org for r in staged.values()}).select_related(
            "supervising_body__owner_org"
        )
    }
    bundle = ctx.staged.get("organizations.csv")
    bodies = _check_bodies(ctx, staged)
    for row in staged.values():
        if row.body and row.body in bodies:
            if row.org not in orgs and not (bundle is not None and row.org in bundle.rows):
                ctx.error(
                    PETITIONS,
                    row.line,
                    "subject_org_code",
                    _("系统中没有代码为“%(code)s”的党组织。") % {"code": row.org},
                )
            continue
        org = orgs.get(row.org)
        if org is None and bundle is not None and row.org in bundle.rows:
            # A new organisation of the same bundle: it exists once organizations.csv is applied.
            if not bundle.rows[row.org].supervising_body:
                ctx.error(PETITIONS, row.line, "subject_org_code", _("该党组织没有负责巡视巡察它的机构。"))
            elif not ctx.access.covers(Perm.PETITION_MANAGE, bundle.anchor.get(row.org) or ""):
                ctx.error(PETITIONS, row.line, "subject_org_code", _("该党组织不在您的管理范围内。"))
            continue
        if org is None:
            ctx.error(
                PETITIONS,
                row.line,
                "subject_org_code",
                _("系统中没有代码为“%(code)s”的党组织。") % {"code": row.org},
            )
        elif org.supervising_body is None:
            ctx.error(PETITIONS, row.line, "subject_org_code", _("该党组织没有负责巡视巡察它的机构。"))
        elif not ctx.access.covers(Perm.PETITION_MANAGE, org.supervising_body.owner_org.path):
            ctx.error(PETITIONS, row.line, "subject_org_code", _("该党组织不在您的管理范围内。"))
    ctx.staged["petition_orgs"] = orgs


def _check_bodies(ctx: ledger.ImportContext, staged: dict[str, PetitionRow]) -> set[str]:
    """The receiving and joint bodies the rows name that exist (in the system, in scope, or in
    bodies.csv of the bundle); every other is reported."""
    named = {code for r in staged.values() for code in (r.body, r.joint_body) if code}
    found = {b.code: b for b in InspectionBody.objects.filter(code__in=named).select_related("owner_org")}
    in_bundle = set(getattr(ctx.staged.get("bodies.csv"), "rows", {}))
    good = set()
    for row in staged.values():
        for column, code in (("body_code", row.body), ("joint_body_code", row.joint_body)):
            if not code:
                continue
            body = found.get(code)
            if body is None and code not in in_bundle:
                message = _("机构代码“%(code)s”既不在 bodies.csv 中，也不在系统中。")
                ctx.error(PETITIONS, row.line, column, message % {"code": code})
            elif (
                column == "body_code"
                and body is not None
                and not ctx.access.covers(Perm.PETITION_MANAGE, body.owner_org.path)
            ):
                ctx.error(PETITIONS, row.line, column, _("该机构不在您的管理范围内。"))
            else:
                good.add(code)
    return good


def _apply(ctx: ledger.ImportContext) -> None:
    staged: dict[str, PetitionRow] = ctx.staged[PETITIONS]
    orgs = ctx.staged["petition_orgs"]
    missing = {r.org for r in staged.values()} - set(orgs)  # made by this bundle's organizations.csv
    if missing:
        orgs.update(
            (o.code, o)
            for o in Organization.objects.filter(code__in=missing).select_related("supervising_body")
        )
    bodies = {
        b.code: b
        for b in InspectionBody.objects.filter(
            code__in={c for r in staged.values() for c in (r.body, r.joint_body) if c}
        )
    }
    # A sheet without the handling's columns leaves the handling recorded in the system as it is.
    handled = bool(set(HANDLING) & ctx.columns.get(PETITIONS, set()))
    for row in staged.values():
        org = orgs[row.org]
        body = bodies[row.body] if row.body else org.supervising_body
        values = {
            "channel": row.channel,
            "received_on": row.received_on,
            "body": body,
            "joint_body": bodies[row.joint_body] if row.joint_body else None,
            "subject_org": org,
            "category": row.category,
            "summary": row.summary,
            "status": row.status,
        }
        if handled and not _handling(ctx, row, body, org, values):
            continue
        ledger.upsert(
            ctx,
            PETITIONS,
            Petition,
            Petition.objects.filter(ref=row.ref).first(),
            values,
            create={"ref": row.ref, "anonymous": row.anonymous, "recorded_by": ctx.actor},
        )


def _handling(ctx: ledger.ImportContext, row: PetitionRow, body, org, values: dict) -> bool:
    """Add to ``values`` the inspection, group, route and answer of ``row``; ``False`` once an
    inspection or group it names is reported missing."""
    given = row.handling
    inspection = group = None
    if given["term"]:
        inspection = Inspection.objects.filter(
            round__body=body, round__term__name=given["term"], round__number=given["round"], organization=org
        ).first()
        if inspection is None:
            message = _("找不到%(body)s在%(term)s第%(round)s轮对该党组织的巡视巡察。")
            ctx.error(
                PETITIONS, row.line, "round", message % {"body": body.code, **given, "round": given["round"]}
            )
            return False
    if given["group_no"] is not None:
        group = Group.objects.filter(body=body, number=given["group_no"]).first()
        if group is None:
            ctx.error(PETITIONS, row.line, "group_no", _("找不到第%(n)s组。") % {"n": given["group_no"]})
            return False
    routed = given["route"] in (Route.GROUP, Route.DEPARTMENT)
    values.update(
        inspection=inspection,
        group=group,
        route=given["route"],
        routed_inspection=inspection if routed else None,
        routed_on=given["routed_on"],
        answer=given["answer"],
        answered_on=given["answered_on"],
        close_reason=given["close_reason"],
    )
    return True


def _export(ctx: ledger.ExportContext):
    qs = (
        Petition.objects.filter(ctx.access.q(Perm.PETITION_VIEW, "body__owner_org__path"))
        .select_related("subject_org", "body", "joint_body", "inspection__round__term", "group")
        .order_by("ref")
    )
    for p in qs.iterator(chunk_size=5000):
        yield [
            p.ref,
            p.channel,
            ledger.iso(p.received_on),
            p.subject_org.code if p.subject_org else "",
            p.category,
            p.summary,
            "1" if p.anonymous else "0",
            p.status,
            p.body.code,
            p.joint_body.code if p.joint_body else "",
            p.inspection.round.term.name if p.inspection else "",
            p.inspection.round.number if p.inspection else "",
            p.group.number if p.group else "",
            p.route,
            ledger.iso(p.routed_on),
            p.answer,
            ledger.iso(p.answered_on),
            p.close_reason,
        ]


ledger.register(
    ledger.LedgerFile(
        name=PETITIONS,
        title=gettext_lazy("信访件"),
        order=100,
        columns=[
            ledger.filled("petition_id", "信访件编号", field=Petition.ref),
            ledger.filled("channel", "渠道", choices=Channel),
            ledger.filled("received_on", "受理日期", kind=ledger.DATE),
            ledger.filled("subject_org_code", "反映的党组织代码", field=Organization.code),
            # Cut to the model's length (``CATEGORY_LENGTH``) rather than refused: a free label of the sheet.
            ledger.Column("category", "问题类别", text=True),
            ledger.filled("summary", "反映内容", text=True, field=Petition.summary, max_length=5000),
            ledger.Column("anonymous", "匿名"),
            ledger.Column("status", "状态", choices=PetitionStatus, default=PetitionStatus.RECEIVED),
            ledger.Column("body_code", "受理机构代码", field=InspectionBody.code),
            ledger.Column("joint_body_code", "联合接待的机构代码", field=InspectionBody.code),
            ledger.Column("term", "所涉届次"),
            ledger.Column("round", "所涉轮次", kind=ledger.INT, minimum=1),
            ledger.Column("group_no", "受理的组号", kind=ledger.INT, minimum=1),
            ledger.Column("route", "转办方式", choices=Route),
            ledger.Column("routed_on", "转办日期", kind=ledger.DATE),
            ledger.Column("answer", "办理结果", text=True, field=Petition.answer, max_length=5000),
            ledger.Column("answered_on", "办理日期", kind=ledger.DATE),
            ledger.Column("close_reason", "办结说明", text=True, field=Petition.close_reason),
        ],
        unique=(ledger.Unique(("petition_id",)),),
        parse=_parse,
        check=_check,
        apply=_apply,
        export=_export,
    )
)
