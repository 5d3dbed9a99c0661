"""Reads about accounts and roles."""

import os

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from lijian.core.permissions import Grant, Perm, access_for
from lijian.orgs.models import PATH_STEP

from .choices import ROLE_PERMISSIONS, Role
from .models import RoleAssignment, User


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
    """Accounts an administrator may manage: every account for a system-wide administrator; otherwise
    the accounts whose active roles all lie inside the administrator's subtrees (and accounts holding
    no role yet). An account that also holds a role elsewhere, or over the whole system, is not
    theirs to reset, lock or unlock."""
    access = access_for(user)
    if access.is_global(Perm.ACCOUNTS_MANAGE):
        return User.objects.all()
    outside = RoleAssignment.objects.filter(user=OuterRef("pk"), active=True).exclude(
        access.q(Perm.ACCOUNTS_MANAGE, "organization__path") & Q(organization__isnull=False)
    )
    return User.objects.filter(is_superuser=False).exclude(Exists(outside))


def can_manage_user(actor, target) -> bool:
    return users_visible(actor).filter(pk=target.pk).exists()


def user_scope_path(user) -> str:
    """The deepest path every one of the user's roles lies under ("" when a role is system-wide or the
    roles have nothing in common): the subtree whose auditors see the user's account events."""
    paths = [
        p or ""
        for p in RoleAssignment.objects.filter(user=user, active=True).values_list(
            "organization__path", flat=True
        )
    ]
    if not paths or "" in paths:
        return ""
    return os.path.commonprefix(paths)[: len(os.path.commonprefix(paths)) // PATH_STEP * PATH_STEP]


def user_is_locked(user) -> bool:
    """Whether repeated failed log-ins have locked the account right now."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return AccessAttempt.objects.filter(
        username=user.get_username(),
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
        attempt_time__gte=since,
    ).exists()
