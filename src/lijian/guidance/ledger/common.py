"""What the guidance files of the ledger bundle share: whether the importer keeps a body's guidance,
whether a code names a body or an organisation of the bundle or the system, the bodies and
organisations by code at apply time, the lower-body rule, and the services' rules on a cell."""

from __future__ import annotations

from django.utils.translation import gettext as _

from lijian.core.permissions import Perm
from lijian.documents import ledger
from lijian.orgs.models import InspectionBody, Organization

from .. import validators

BODIES, ORGS = "bodies.csv", "organizations.csv"
# The records an exporter reads: those of the guiding bodies whose committee's guidance they see.
VIEW = Perm.GOVERNANCE_VIEW


def body_in_scope(
    ctx: ledger.ImportContext, file: str, line: int, code: str, column: str = "body_code"
) -> bool:
    """Whether the importer keeps the guidance of body ``code`` (one new in bodies.csv is checked
    there); an unknown or foreign body is reported on ``column``."""
    cache = ctx.staged.setdefault("guidance_scope", {})
    if code not in cache:
        staged = ctx.staged.get(BODIES)
        found = InspectionBody.objects.filter(code=code).select_related("owner_org").first()
        if staged is not None and code in staged.rows:
            cache[code] = True
        elif found is None:
            cache[code] = None
        else:
            cache[code] = ctx.access.covers(Perm.GOVERNANCE_MANAGE, found.owner_org.path)
    if cache[code] is None:
        unknown(ctx, file, line, column, code, BODIES)
    elif not cache[code]:
        ctx.error(file, line, column, _("机构（%(code)s）不在您的管理范围内。") % {"code": code})
    return bool(cache[code])


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


def not_future(ctx: ledger.ImportContext, file: str, line: int, column: str, day) -> bool:
    """Whether ``day`` (if any) passes the services' ``validators.check_not_future``; reported if not."""
    if day and day is not ledger.INVALID:
        return ledger.validated(ctx, file, line, column, validators.check_not_future, day, column)
    return True


def bodies_by_code(codes: set[str]) -> dict[str, InspectionBody]:
    """The bodies named, by code, with their committee (after bodies.csv was applied)."""
    return {b.code: b for b in InspectionBody.objects.filter(code__in=codes).select_related("owner_org")}


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
