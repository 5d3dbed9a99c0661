"""The scopes the role table defines, each once: the office of a body, and a grant over an
organisation's subtree (a liaison's organisation, a leader's subtree).

A body's *office* is every grant that reaches the body's whole record — office staff, leaders,
auditors, administrators over the body's committee — and never a group's or a liaison's grant,
which reach only their own part (a group its inspections, a liaison its organisation's
rectification), however far up the tree they are held.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from lijian.core.permissions import Access, access_for, register_scope
from lijian.orgs.models import InspectionBody

from .choices import Role

# Roles that serve in an inspection group: they reach the records of their own group only.
GROUP_ROLES = frozenset({Role.GROUP_LEADER, Role.GROUP_MEMBER})
# Roles whose grants reach part of a body's record, never the whole of it.
PARTIAL_ROLES = GROUP_ROLES | {Role.LIAISON}


def office_access(user) -> Access:
    """The user's grants that reach a body's whole record (all of them but a group's and a
    liaison's)."""
    return access_for(user).without_roles(PARTIAL_ROLES)


def office_q(user, perm: str, body_field: str) -> Q:
    """Records whose ``body_field`` (an ``InspectionBody``; ``""`` for bodies themselves) has the
    user in its office for ``perm``; matches nothing without such a grant."""
    prefix = f"{body_field}__" if body_field else ""
    return office_access(user).q(perm, f"{prefix}owner_org__path")


def is_office_of(user, perm: str, body) -> bool:
    """Whether the user is in the office of ``body`` (an ``InspectionBody``) for ``perm``."""
    return office_access(user).covers(perm, body.owner_org.path)


def bodies_of_office(user, perm: str) -> QuerySet[InspectionBody]:
    """The bodies whose office the user is in for ``perm`` (the bodies this office manages)."""
    return InspectionBody.objects.filter(office_q(user, perm, "")).select_related("owner_org")


def organization_q(user, perm: str, org_field: str) -> Q | None:
    """Records whose ``org_field`` (an ``Organization``; ``""`` for organisations themselves) lies
    in one of the user's subtrees for ``perm``; ``None`` when the user holds ``perm`` nowhere."""
    access = access_for(user)
    if not access.has(perm):
        return None
    return access.q(perm, f"{org_field}__path" if org_field else "path")


def holds_over_organization(user, perm: str, organization) -> bool:
    """Whether ``organization`` lies in one of the user's subtrees for ``perm``."""
    return access_for(user).covers(perm, organization.path)


OFFICE = register_scope("office of the body", q=office_q, holds=is_office_of)
ORGANIZATION = register_scope("over the organisation", q=organization_q, holds=holds_over_organization)
