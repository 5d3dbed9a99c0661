"""The scope of an inspection group, defined once: a group leader or member reaches the records of
the inspections whose group they serve in during that round (through the talent-pool record linked
to their account), and nothing else of the round."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from lijian.accounts.scopes import GROUP_ROLES
from lijian.core.permissions import access_for, register_scope
from lijian.people.models import Cadre

from .models import RoundMember


def cadre_id(user) -> int | None:
    """The id of the talent-pool record linked to the user's account (``None`` without one), read
    once per request."""
    if not hasattr(user, "_lijian_cadre"):
        user._lijian_cadre = Cadre.objects.filter(user=user).values_list("pk", flat=True).first()
    return user._lijian_cadre


def serves_in_groups(user) -> bool:
    """Whether the user holds a group role and has a talent-pool record to serve with."""
    return bool(access_for(user).roles() & GROUP_ROLES) and cadre_id(user) is not None


def group_q(user, perm: str, inspection_field: str) -> Q | None:
    """Records whose ``inspection_field`` (an ``Inspection``; ``""`` for inspections themselves) is
    done by a group the user serves in during that round, for ``perm``; ``None`` for a user who
    serves in no group."""
    if not serves_in_groups(user) or not access_for(user).has(perm):
        return None
    prefix = f"{inspection_field}__" if inspection_field else ""
    return Q(
        Exists(
            RoundMember.objects.filter(
                round=OuterRef(f"{prefix}round"), group=OuterRef(f"{prefix}group"), cadre_id=cadre_id(user)
            )
        )
    )


def serves_on(user, inspection, member_roles=None) -> bool:
    """Whether the user serves in ``inspection``'s group in its round (in one of ``member_roles``
    when given: leader, deputy …), holding a group role."""
    if not serves_in_groups(user):
        return False
    members = RoundMember.objects.filter(
        round=inspection.round_id, group=inspection.group_id, cadre_id=cadre_id(user)
    )
    if member_roles:
        members = members.filter(role__in=member_roles)
    return members.exists()


def in_group_of(user, perm: str, inspection) -> bool:
    """``group_q`` for one inspection."""
    return access_for(user).has(perm) and serves_on(user, inspection)


GROUP = register_scope("group of the inspection", q=group_q, holds=in_group_of)
