"""org_risks.csv of the ledger bundle: the manual risk score (0–100) of an organisation and what it
rests on, which orders the term plan (``term_coverage.risk_of``; an organisation without one counts
50). A row is matched by the organisation's code; the risk service's rules hold: the score is within
the model's bounds and the importer plans the organisation (``Perm.ROUND_MANAGE`` on its parent,
``services.risk_scope``). The day a score was set is not in the sheet: an imported score is set on
the day of the import."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lijian.core.permissions import Perm
from lijian.documents import ledger
from lijian.orgs.ledger.bodies import org_path_for_import
from lijian.orgs.models import Organization

from ..models import OrgRisk
from ..services import risk_scope

RISKS = "org_risks.csv"
ORGS = "organizations.csv"
# The score field's own validators: what ``risk_set``'s ``full_clean`` and the form apply.
_SCORE = OrgRisk._meta.get_field("score")


@dataclass(slots=True)
class RiskRow:
    line: int
    org: str
    score: int
    note: str


def _parse(ctx: ledger.ImportContext, rows, total) -> None:
    staged: dict[str, RiskRow] = {}
    for line, (org, score, note), ok in rows:
        if score not in (None, ledger.INVALID):
            ok = ledger.validated(ctx, RISKS, line, "score", _SCORE.run_validators, score) and ok
        if ok:
            staged[org] = RiskRow(line, org, score, note)
    ctx.staged[RISKS] = staged


def _check(ctx: ledger.ImportContext) -> None:
    orgs = ctx.staged.get(ORGS)
    for row in ctx.staged[RISKS].values():
        if orgs is not None and row.org in orgs.anchor:  # new in organizations.csv: under its anchor
            scope = orgs.anchor[row.org] or ""
        else:
            path = org_path_for_import(ctx, row.org)
            if path is None:
                ctx.error(
                    RISKS,
                    row.line,
                    "org_code",
                    _("组织代码“%(code)s”既不在 organizations.csv 中，也不在系统中。") % {"code": row.org},
                )
                continue
            scope = risk_scope(path)
        if not ctx.access.covers(Perm.ROUND_MANAGE, scope):
            ctx.error(RISKS, row.line, "org_code", _("该组织不在您的管理范围内。"))


def _apply(ctx: ledger.ImportContext) -> None:
    staged: dict[str, RiskRow] = ctx.staged[RISKS]
    orgs = dict(Organization.objects.filter(code__in=list(staged)).values_list("code", "pk"))
    existing = {r.organization_id: r for r in OrgRisk.objects.filter(organization_id__in=orgs.values())}
    now = timezone.now()
    for code, row in staged.items():
        values = {"score": row.score, "note": row.note, "updated_at": now}
        ledger.upsert(
            ctx,
            RISKS,
            OrgRisk,
            existing.get(orgs[code]),
            values,
            create={"organization_id": orgs[code]},
            unchecked=("updated_at",),
        )


def _export(ctx: ledger.ExportContext):
    rows = (
        OrgRisk.objects.filter(ctx.access.q(Perm.ROUND_VIEW, "organization__path"))
        .select_related("organization")
        .order_by("organization__path")
    )
    for r in rows.iterator(chunk_size=5000):
        yield [r.organization.code, r.score, r.note]


ledger.register(
    ledger.LedgerFile(
        name=RISKS,
        title=gettext_lazy("风险评分"),
        order=55,
        columns=[
            ledger.filled("org_code", "组织代码", field=Organization.code),
            ledger.filled("score", "风险分", kind=ledger.INT),
            ledger.Column("note", "依据", text=True, field=OrgRisk.note),
        ],
        unique=(ledger.Unique(("org_code",)),),
        parse=_parse,
        check=_check,
        apply=_apply,
        export=_export,
    )
)
