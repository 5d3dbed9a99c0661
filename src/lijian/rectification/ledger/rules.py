"""What the office-record files of the ledger bundle (supervisions.csv, evaluations.csv,
disclosures.csv, instructions.csv) share: a service's rule reported on the columns it concerns, the
inspection a row names by the business key inspections.csv uses, and the pairs of cells that are
filled together or not at all."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lijian.documents import ledger
from lijian.orgs.models import InspectionBody, Organization

from .common import BODIES, INSPECTIONS, ORGS
from .reports import _inspections as inspections_named

__all__ = [
    "both_or_neither",
    "inspections_named",
    "known_bodies",
    "known_inspections",
    "known_orgs",
    "validated_on",
]


def validated_on(
    ctx: ledger.ImportContext,
    file: str,
    line: int,
    columns: dict[str, str],
    default: str,
    rule: Callable,
    *args,
) -> bool:
    """Whether ``rule(*args)`` passes, ``rule`` being the validator the service calls; each message of
    its ``ValidationError`` is reported on the column ``columns`` maps its field to (else ``default``)."""
    try:
        rule(*args)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for name, errors in exc.message_dict.items():
                ctx.error(file, line, columns.get(name, default), " ".join(errors))
        else:
            ctx.error(file, line, default, " ".join(exc.messages))
        return False
    return True


def both_or_neither(ctx: ledger.ImportContext, file: str, line: int, cells: dict[str, object]) -> bool:
    """Whether the cells named (column -> value) are all filled or all empty; reported on the first
    empty one if not (a reference spread over several columns is given whole or not at all)."""
    empty = [column for column, value in cells.items() if value in (None, "")]
    if empty and len(empty) < len(cells):
        message = _("%(columns)s须同时填写或同时留空。") % {"columns": "、".join(cells)}
        ctx.error(file, line, empty[0], message)
        return False
    return True


def known_bodies(ctx: ledger.ImportContext, codes: set[str]) -> set[str]:
    """The bodies among ``codes`` in bodies.csv of the bundle or in the system."""
    found = set(InspectionBody.objects.filter(code__in=codes).values_list("code", flat=True))
    return found | (codes & set(getattr(ctx.staged.get(BODIES), "rows", {})))


def known_orgs(ctx: ledger.ImportContext, codes: set[str]) -> set[str]:
    """The organisations among ``codes`` in organizations.csv of the bundle or in the system."""
    found = set(Organization.objects.filter(code__in=codes).values_list("code", flat=True))
    return found | (codes & set(getattr(ctx.staged.get(ORGS), "rows", {})))


def known_inspections(ctx: ledger.ImportContext, keys: set[tuple]) -> set[tuple]:
    """The inspections among ``keys`` (body, term, round, organisation) in inspections.csv of the
    bundle or in the system."""
    return set(inspections_named(ctx, keys)) | (keys & set(ctx.staged.get(INSPECTIONS, {})))
