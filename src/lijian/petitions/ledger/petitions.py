"""petitions.csv of the ledger bundle (DESIGN.md §7): never with identities.

A row names the body that received the petition by the subject organisation's supervising body
when no inspection is named; imported petitions keep the status given and stay anonymous unless
the office records an identity by hand (the bundle has no column for it, on purpose)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lijian.core.permissions import Perm
from lijian.documents import ledger
from lijian.orgs.models import Organization

from ..choices import Channel, PetitionStatus
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


def _parse(ctx: ledger.ImportContext, rows, total) -> None:
    staged: dict[str, PetitionRow] = {}
    for line, (ref, channel, received_on, org, category, summary, anonymous, status), ok in rows:
        if anonymous.lower() not in ("", "1", "0", "true", "false", "是", "否"):
            ctx.error(PETITIONS, line, "anonymous", _("应为 1/0、true/false 或 是/否。"))
            continue
        if not ok:
            continue
        if channel == Channel.JOINT_RECEPTION:
            ctx.error(PETITIONS, line, "channel", _("联合接待的信访件请在系统中登记（须写明两家接待机构）。"))
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
    for row in staged.values():
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


def _apply(ctx: ledger.ImportContext) -> None:
    staged: dict[str, PetitionRow] = ctx.staged[PETITIONS]
    orgs = ctx.staged["petition_orgs"]
    missing = {r.org for r in staged.values()} - set(orgs)  # made by this bundle's organizations.csv
    if missing:
        orgs.update(
            (o.code, o)
            for o in Organization.objects.filter(code__in=missing).select_related("supervising_body")
        )
    for row in staged.values():
        org = orgs[row.org]
        values = {
            "channel": row.channel,
            "received_on": row.received_on,
            "body": org.supervising_body,
            "subject_org": org,
            "category": row.category,
            "summary": row.summary,
            "status": row.status,
        }
        ledger.upsert(
            ctx,
            PETITIONS,
            Petition,
            Petition.objects.filter(ref=row.ref).first(),
            values,
            create={"ref": row.ref, "anonymous": row.anonymous, "recorded_by": ctx.actor},
        )


def _export(ctx: ledger.ExportContext):
    qs = (
        Petition.objects.filter(ctx.access.q(Perm.PETITION_VIEW, "body__owner_org__path"))
        .select_related("subject_org")
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
        ],
        unique=(ledger.Unique(("petition_id",)),),
        parse=_parse,
        check=_check,
        apply=_apply,
        export=_export,
    )
)
