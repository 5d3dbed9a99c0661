"""exposures.csv of the ledger bundle: the typical cases a body exposed, matched to one in the system by
body, title and day of publication. The organisation (``org_code``) and the problem (``problem_id``)
are optional, in the bundle or the system, and within the body's committee's subtree (the services'
``validators.check_in_subtree``, checked once the bundle's organisations have their places). The link
to an accountability record is kept on the page only: it has no code a spreadsheet could name."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lijian.documents import ledger
from lijian.findings.models import Problem
from lijian.orgs.models import InspectionBody, Organization

from ..choices import ExposureChannel
from ..models import CaseExposure
from ..validators import check_in_subtree
from .common import VIEW, bodies_by_code, body_in_scope, not_future

EXPOSURES = "exposures.csv"
ORGS, PROBLEMS = "organizations.csv", "problems.csv"


@dataclass(slots=True)
class ExposureRow:
    line: int
    body: str
    title: str
    published_on: datetime.date
    channel: str
    outlet: str
    summary: str
    people_named: str
    org: str
    problem: str


def _parse(ctx: ledger.ImportContext, rows, total) -> None:
    staged: dict[tuple, ExposureRow] = {}
    for line, values, ok in rows:
        if not ok:
            continue
        row = ExposureRow(line, *values)
        if not_future(ctx, EXPOSURES, line, "published_on", row.published_on) and body_in_scope(
            ctx, EXPOSURES, line, row.body
        ):
            staged[row.body, row.title, row.published_on] = row
    ctx.staged[EXPOSURES] = staged


def _check(ctx: ledger.ImportContext) -> None:
    """The organisations and problems named are in the bundle or the system."""
    staged: dict[tuple, ExposureRow] = ctx.staged[EXPOSURES]
    orgs = {r.org for r in staged.values() if r.org}
    problems = {r.problem for r in staged.values() if r.problem}
    org_stage = ctx.staged.get(ORGS)
    known_orgs = set(Organization.objects.filter(code__in=orgs).values_list("code", flat=True))
    known_orgs |= set(org_stage.rows) & orgs if org_stage is not None else set()
    known_problems = set(Problem.objects.filter(ref__in=problems).values_list("ref", flat=True))
    known_problems |= set(ctx.staged.get(PROBLEMS, {})) & problems
    for row in staged.values():
        if row.org and row.org not in known_orgs:
            message = _("“%(code)s”既不在 %(file)s 中，也不在系统中。")
            ctx.error(EXPOSURES, row.line, "org_code", message % {"code": row.org, "file": ORGS})
        if row.problem and row.problem not in known_problems:
            message = _("“%(code)s”既不在 %(file)s 中，也不在系统中。")
            ctx.error(EXPOSURES, row.line, "problem_id", message % {"code": row.problem, "file": PROBLEMS})


def _apply(ctx: ledger.ImportContext) -> None:
    staged: dict[tuple, ExposureRow] = ctx.staged[EXPOSURES]
    bodies = bodies_by_code({r.body for r in staged.values()})
    orgs = {
        o.code: o for o in Organization.objects.filter(code__in={r.org for r in staged.values() if r.org})
    }
    problems = {
        p.ref: p
        for p in Problem.objects.filter(
            ref__in={r.problem for r in staged.values() if r.problem}
        ).select_related("inspection__organization")
    }
    existing = {
        (e.body.code, e.title, e.published_on): e
        for e in CaseExposure.objects.filter(body__in=list(bodies.values())).select_related("body")
    }
    for key, row in staged.items():
        body = bodies[row.body]
        org, problem = orgs.get(row.org), problems.get(row.problem)
        path = body.owner_org.path
        good = ledger.validated(
            ctx,
            EXPOSURES,
            row.line,
            "org_code",
            check_in_subtree,
            org.path if org else None,
            path,
            "organization",
            _("党组织"),
        )
        good = (
            ledger.validated(
                ctx,
                EXPOSURES,
                row.line,
                "problem_id",
                check_in_subtree,
                problem.inspection.organization.path if problem else None,
                path,
                "problem",
                _("问题"),
            )
            and good
        )
        if not good:
            continue
        values = {
            "channel": row.channel,
            "outlet": row.outlet,
            "summary": row.summary,
            "people_named": row.people_named,
            "organization": org,
            "problem": problem,
        }
        create = {
            "body": body,
            "title": row.title,
            "published_on": row.published_on,
            "recorded_by": ctx.actor,
        }
        ledger.upsert(ctx, EXPOSURES, CaseExposure, existing.get(key), values, create=create)


def _export(ctx: ledger.ExportContext):
    rows = (
        CaseExposure.objects.filter(ctx.access.q(VIEW, "body__owner_org__path"))
        .select_related("body", "organization", "problem")
        .order_by("published_on", "pk")
    )
    for e in rows.iterator(chunk_size=5000):
        yield [
            e.body.code,
            e.title,
            ledger.iso(e.published_on),
            e.channel,
            e.outlet,
            e.summary,
            e.people_named,
            e.organization.code if e.organization else "",
            e.problem.ref if e.problem else "",
        ]


ledger.register(
    ledger.LedgerFile(
        name=EXPOSURES,
        title=gettext_lazy("通报曝光"),
        order=113,
        columns=[
            ledger.filled("body_code", "机构代码", field=InspectionBody.code),
            ledger.filled("title", "案例", text=True, field=CaseExposure.title),
            ledger.filled("published_on", "发布日期", kind=ledger.DATE),
            ledger.filled("channel", "曝光渠道", choices=ExposureChannel),
            ledger.filled("outlet", "发布平台", text=True, field=CaseExposure.outlet),
            ledger.filled("summary", "基本情况", text=True, max_length=5000),
            ledger.Column("people_named", "涉及人员", text=True, max_length=5000),
            ledger.Column("org_code", "党组织代码", field=Organization.code),
            ledger.Column("problem_id", "问题编号", field=Problem.ref),
        ],
        unique=(ledger.Unique(("body_code", "title", "published_on"), at="title"),),
        parse=_parse,
        check=_check,
        apply=_apply,
        export=_export,
    )
)
