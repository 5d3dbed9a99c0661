"""What the governance files of the ledger bundle share: whether the importer keeps a body's records,
the bodies by code at apply time, and the services' date rule."""

from __future__ import annotations

from django.utils.translation import gettext as _

from lijian.core.permissions import Perm
from lijian.documents import ledger
from lijian.orgs.models import InspectionBody

from ..validators import check_not_future

BODIES = "bodies.csv"
# The filter of the records an exporter may read: those of the bodies whose committee records they see.
VIEW = Perm.GOVERNANCE_VIEW


def body_in_scope(
    ctx: ledger.ImportContext, file: str, line: int, code: str, column: str = "body_code"
) -> bool:
    """Whether the importer keeps the committee records of body ``code`` (one new in bodies.csv is
    checked there); an unknown or foreign body is reported on ``column``. The guidance files use it
    too: a body's guidance is kept by the same right (``GOVERNANCE_MANAGE``)."""
    cache = ctx.staged.setdefault("governance_scope", {})
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
        ctx.error(file, line, column, _("“%(code)s”既不在 bodies.csv 中，也不在系统中。") % {"code": code})
    elif not cache[code]:
        ctx.error(file, line, column, _("机构（%(code)s）不在您的管理范围内。") % {"code": code})
    return bool(cache[code])


def not_future(ctx: ledger.ImportContext, file: str, line: int, column: str, day) -> bool:
    """Whether ``day`` (if any) passes the services' ``validators.check_not_future``; reported if not."""
    if day and day is not ledger.INVALID:
        return ledger.validated(ctx, file, line, column, check_not_future, day, column)
    return True


def bodies_by_code(codes: set[str]) -> dict[str, InspectionBody]:
    """The bodies named, by code, with their committee (after bodies.csv was applied)."""
    return {b.code: b for b in InspectionBody.objects.filter(code__in=codes).select_related("owner_org")}
