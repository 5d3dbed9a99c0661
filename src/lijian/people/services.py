"""Every write to the talent pool and to declared conflicts."""

import datetime
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lijian.core.audit import audit_record, create_audited, update_audited
from lijian.core.permissions import Perm, require

from .models import Absence, Cadre, Conflict

# The one rule of availability (a cadre serves in one place at a time, ``inspections.availability``):
# registered by inspections from its ``AppConfig.ready()``, since it builds on this app and reads the
# absences declared here. ``engagements(cadres, start, end)`` answers, per cadre pk, the first
# booking or absence overlapping the period (an object with ``describe()``).
AVAILABILITY: dict[str, Callable] = {}


def register_availability(engagements: Callable) -> None:
    AVAILABILITY["engagements"] = engagements


CADRE_FIELDS = ("cadre_id", "name", "gender", "birth_year", "home_org", "rank", "in_pool")


@transaction.atomic
def cadre_create(
    *,
    actor,
    cadre_id: str,
    name: str,
    gender: str,
    birth_year: int,
    home_org,
    rank: str,
    skills=(),
    in_pool: bool = True,
) -> Cadre:
    """Add a person to the talent pool of the bodies above ``home_org``."""
    require(actor, Perm.POOL_MANAGE, home_org.path)
    cadre = Cadre(
        cadre_id=cadre_id.strip(),
        name=name.strip(),
        gender=gender,
        birth_year=birth_year,
        home_org=home_org,
        rank=rank,
        in_pool=in_pool,
    )
    return create_audited(
        actor=actor,
        instance=cadre,
        action="cadre.create",
        fields=CADRE_FIELDS,
        related={"skills": skills},
        scope_path=home_org.path,
    )


@transaction.atomic
def cadre_update(*, actor, cadre: Cadre, skills=None, **changes) -> Cadre:
    require(actor, Perm.POOL_MANAGE, cadre.home_org.path)
    if "home_org" in changes:
        require(actor, Perm.POOL_MANAGE, changes["home_org"].path)
    update_audited(
        actor=actor,
        instance=cadre,
        changes=changes,
        editable=CADRE_FIELDS,
        action="cadre.update",
        scope_path=cadre.home_org.path,
        related={"skills": skills},
    )
    return cadre


@transaction.atomic
def conflict_declare(
    *,
    actor,
    cadre: Cadre,
    organization,
    kind: str,
    detail: str = "",
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> Conflict:
    """Record that ``cadre`` must stay away from ``organization`` (a relative there, a former post …)."""
    require(actor, Perm.POOL_MANAGE, cadre.home_org.path)
    if Conflict.objects.filter(cadre=cadre, organization=organization, kind=kind, active=True).exists():
        raise ValidationError(_("这条回避事项已经登记过。"))
    conflict = Conflict(
        cadre=cadre, organization=organization, kind=kind, detail=detail.strip(), start=start, end=end
    )
    create_audited(
        actor=actor,
        instance=conflict,
        action="conflict.declare",
        fields=("cadre", "organization", "kind", "detail", "start", "end"),
        scope_path=cadre.home_org.path,
    )
    return conflict


@transaction.atomic
def conflict_withdraw(*, actor, conflict: Conflict, reason: str) -> Conflict:
    """A declared conflict no longer holds (kept, marked inactive, with the reason audited)."""
    require(actor, Perm.POOL_MANAGE, conflict.cadre.home_org.path)
    if not reason.strip():
        raise ValidationError(_("请说明撤销的理由。"))
    conflict.active = False
    conflict.save(update_fields=["active"])
    audit_record(
        actor=actor,
        action="conflict.withdraw",
        obj=conflict,
        before={"active": True},
        after={"active": False, "reason": reason.strip()},
        scope_path=conflict.cadre.home_org.path,
    )
    return conflict


@transaction.atomic
def absence_declare(
    *,
    actor,
    cadre: Cadre,
    kind: str,
    start: datetime.date,
    end: datetime.date,
    detail: str = "",
) -> Absence:
    """Record that ``cadre`` cannot serve in a group from ``start`` to ``end`` (training, leave,
    secondment …). Refused, naming it, when the cadre is already booked in a round of those dates: the
    office moves them out of that round first, so no cadre is ever in two places at once."""
    require(actor, Perm.POOL_MANAGE, cadre.home_org.path)
    absence = Absence(cadre=cadre, kind=kind, start=start, end=end, detail=detail.strip())

    def check(absence: Absence) -> None:
        busy = AVAILABILITY["engagements"]([cadre.pk], start, end).get(cadre.pk)
        if busy is not None:
            raise ValidationError(
                _("%(name)s%(clash)s，不能同时登记。") % {"name": cadre.name, "clash": busy.describe()}
            )

    return create_audited(
        actor=actor,
        instance=absence,
        action="absence.declare",
        fields=("cadre", "kind", "start", "end", "detail"),
        check=check,
        scope_path=cadre.home_org.path,
    )


@transaction.atomic
def absence_withdraw(*, actor, absence: Absence, reason: str) -> Absence:
    """The absence no longer holds (kept, marked inactive, with the reason audited)."""
    require(actor, Perm.POOL_MANAGE, absence.cadre.home_org.path)
    if not reason.strip():
        raise ValidationError(_("请说明撤销的理由。"))
    if not absence.active:
        raise ValidationError(_("这条记录已经撤销。"))
    absence.active = False
    absence.save(update_fields=["active"])
    audit_record(
        actor=actor,
        action="absence.withdraw",
        obj=absence,
        before={"active": True},
        after={"active": False, "reason": reason.strip()},
        scope_path=absence.cadre.home_org.path,
    )
    return absence
