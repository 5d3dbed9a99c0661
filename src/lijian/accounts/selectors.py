"""Reads about accounts and roles."""

from lijian.core.permissions import Grant

from .choices import ROLE_PERMISSIONS, Role
from .models import RoleAssignment


def grants_for_user(user) -> list[Grant]:
    """The user's active grants. A Django superuser holds the administrator role over everything."""
    grants = [
        Grant(role=role, path=path or "", perms=ROLE_PERMISSIONS.get(role, frozenset()))
        for role, path in RoleAssignment.objects.filter(user=user, active=True).values_list(
            "role", "organization__path"
        )
    ]
    if user.is_superuser:
        grants.append(Grant(role=Role.ADMINISTRATOR, path="", perms=ROLE_PERMISSIONS[Role.ADMINISTRATOR]))
    return grants


def role_assignments_for_user(user):
    return (
        RoleAssignment.objects.filter(user=user, active=True)
        .select_related("organization", "body")
        .order_by("role", "organization__path")
    )


def users_visible(user):
    """Accounts an administrator may manage: all for a system-wide administrator; otherwise those
    holding a role inside the administrator's subtrees, and those holding no role yet."""
    from django.db.models import Exists, OuterRef

    from lijian.core.permissions import Perm, access_for

    from .models import User

    access = access_for(user)
    if access.is_global(Perm.ACCOUNTS_MANAGE):
        return User.objects.all()
    in_scope = RoleAssignment.objects.filter(
        access.q(Perm.ACCOUNTS_MANAGE, "organization__path"), user=OuterRef("pk")
    )
    any_role = RoleAssignment.objects.filter(user=OuterRef("pk"), active=True)
    return User.objects.filter(Exists(in_scope) | ~Exists(any_role))
