"""What the guidance files of the ledger bundle share: whether the importer keeps a body's guidance,
whether a code names a body or an organisation of the bundle or the system, the bodies and
organisations by code at apply time, the lower-body rule, and the services' rules on a cell."""

from __future__ import annotations

from django.utils.translation import gettext as _

from lijian.documents import ledger
from lijian.governance.ledger.common import BODIES, VIEW, bodies_by_code, body_in_scope, not_future
from lijian.orgs.models import InspectionBody, Organization

# Whether the importer keeps a body's guidance, the bodies by code and the date rule are the governance
# files' (the same right, GOVERNANCE_MANAGE, keeps both; the exporter reads by GOVERNANCE_VIEW).
__all__ = [
    "BODIES",
    "ORGS",
    "VIEW",
    "bodies_by_code",
    "body_in_scope",
    "body_known",
    "is_lower",
    "not_future",
    "org_known",
    "orgs_by_code",
    "unknown",
]

ORGS = "organizations.csv"


def body_known(ctx: ledger.ImportContext, file: str, line: int, column: str, code: str) -> bool:
    """Whether ``code`` names a body of bodies.csv or of the system; reported if not."""
    staged = ctx.staged.get(BODIES)
    if (staged is not None and code in staged.rows) or InspectionBody.objects.filter(code=code).exists():
        return True
    unknown(ctx, file, line, column, code, BODIES)
    return False


def org_known(ctx: ledger.ImportContext, file: str, line: int, column: str, code: str) -> bool:
    """Whether ``code`` names an organisation of organizations.csv or of the system; reported if not."""
    staged = ctx.staged.get(ORGS)
    if (staged is not None and code in staged.rows) or Organization.objects.filter(code=code).exists():
        return True
    unknown(ctx, file, line, column, code, ORGS)
    return False


def unknown(ctx: ledger.ImportContext, file: str, line: int, column: str, code: str, where: str) -> None:
    message = _("“%(code)s”既不在 %(file)s 中，也不在系统中。")
    ctx.error(file, line, column, message % {"code": code, "file": where})


def orgs_by_code(codes: set[str]) -> dict[str, Organization]:
    return {o.code: o for o in Organization.objects.filter(code__in=codes)}


def is_lower(ctx: ledger.ImportContext, file: str, line: int, column: str, body, path: str) -> bool:
    """The services' rule: ``path`` (an organisation's, or a lower body's committee's) lies strictly
    below ``body``'s committee; reported on ``column`` if not."""
    root = body.owner_org.path
    if path != root and path.startswith(root):
        return True
    ctx.error(file, line, column, _("不是%(body)s所属党委的下级。") % {"body": body.name})
    return False
