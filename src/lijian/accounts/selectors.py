"""Reads about accounts and roles."""

import os

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lijian.core.permissions import Action, Grant, Perm, access_for
from lijian.orgs.models import PATH_STEP

from .choices import (
    ACCOUNT_ADMIN_ROLES,
    REVEALING_ROLES,
    ROLE_PERMISSIONS,
    WITHHELD_FROM_ACCOUNT_ADMINS,
    Role,
)
from .models import RoleAssignment, User


def grants_for_user(user) -> list[Grant]:
    """The user's active grants. A Django superuser holds the administrator role over everything.

    Guarantees that an account administrator (an administrator role anywhere, or a superuser) holds
    neither ``IDENTITY_REVEAL`` nor ``ROLE_APPROVE`` through any of its grants, even if some other
    road gave the account a revealing role: separation of duties does not rest on the grant rules
    alone."""
    grants = [
        Grant(role=role, path=path or "", perms=ROLE_PERMISSIONS.get(role, frozenset()))
        for role, path in RoleAssignment.objects.filter(user=user, active=True).values_list(
            "role", "organization__path"
        )
    ]
    if user.is_superuser:
        grants.append(Grant(role=Role.ADMINISTRATOR, path="", perms=ROLE_PERMISSIONS[Role.ADMINISTRATOR]))
    if any(g.role in ACCOUNT_ADMIN_ROLES for g in grants):
        grants = [
            Grant(role=g.role, path=g.path, perms=g.perms - WITHHELD_FROM_ACCOUNT_ADMINS) for g in grants
        ]
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


def users_listed(user):
    """The accounts of ``users_visible`` as the account list shows them: each with ``active_roles``
    (its active role assignments, the organisation joined) and ``locked`` (what ``user_is_locked``
    answers, read in the same query)."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    attempts = AccessAttempt.objects.filter(
        username=OuterRef("username"),
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
        attempt_time__gte=since,
    )
    roles = RoleAssignment.objects.filter(active=True).select_related("organization")
    return (
        users_visible(user)
        .prefetch_related(Prefetch("roles", queryset=roles, to_attr="active_roles"))
        .annotate(locked=Exists(attempts))
    )


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


def second_factor_required(user) -> bool:
    """Whether ``user`` must sign in with a TOTP code: they hold (or, as a superuser, count as
    holding) a role listed in ``settings.TOTP_REQUIRED_ROLES``."""
    if user is None or not user.is_authenticated:
        return False
    required = settings.TOTP_REQUIRED_ROLES
    return bool(required) and bool(access_for(user).roles() & required)


def revealing_scopes(user) -> list[str]:
    """The organisation paths over which the user holds an active role that reveals identities."""
    return [
        path or ""
        for path in RoleAssignment.objects.filter(
            user=user, active=True, role__in=REVEALING_ROLES
        ).values_list("organization__path", flat=True)
    ]


def holds_account_admin_role(user) -> bool:
    """An active role that administers accounts, or a superuser."""
    return (
        user.is_superuser
        or RoleAssignment.objects.filter(user=user, active=True, role__in=ACCOUNT_ADMIN_ROLES).exists()
    )


def can_create_liaison(actor, organization) -> bool:
    """The office that inspects an organisation (office staff, whose grants cover its subtree) or an
    account administrator over it may give it a liaison account — never for an organisation outside
    their own scope."""
    access = access_for(actor)
    return access.covers(Perm.ROUND_MANAGE, organization.path) or access.covers(
        Perm.ACCOUNTS_MANAGE, organization.path
    )


def can_manage_credentials(actor, target) -> bool:
    """Whether ``actor`` may reset ``target``'s password or remove its second factor.

    For an account that can reveal identities only an office holder over every scope where it can
    (``ROLE_APPROVE``) may — never an administrator, who could otherwise sign in as it. Other
    accounts follow ``can_manage_user``."""
    scopes = revealing_scopes(target)
    if scopes:
        access = access_for(actor)
        return actor.pk != target.pk and all(access.covers(Perm.ROLE_APPROVE, p) for p in scopes)
    return access_for(actor).has(Perm.ACCOUNTS_MANAGE) and can_manage_user(actor, target)


# What an actor may do to an account, and what anyone else is told: the services check these, and the
# views ask for them before reading a form. Resetting credentials is checked so for an account that
# can reveal identities (the others follow ``can_manage_user``).
CREDENTIALS_RESET = Action(
    can_manage_credentials,
    _("该账号可以查看信访人身份，其密码和二次验证只能由本人或其所在巡视巡察办的人员重置。"),
)
LIAISON_CREATE = Action(can_create_liaison, _("只能为本机构巡视巡察范围内的党组织创建联络员账号。"))


def grants_awaiting_approval(user):
    """The role grants awaiting a second person that ``user`` may approve: inside their
    ``ROLE_APPROVE`` scope, neither for themselves nor requested by them."""
    access = access_for(user)
    return (
        RoleAssignment.objects.filter(awaiting_approval=True, organization__isnull=False)
        .filter(access.q(Perm.ROLE_APPROVE, "organization__path"))
        .exclude(user=user)
        .exclude(granted_by=user)
        .select_related("user", "organization", "body", "granted_by")
        .order_by("granted_at", "pk")
    )


def revealing_accounts_in_scope(user):
    """The accounts (other than ``user``'s own) holding a role that reveals identities inside the
    subtrees where ``user`` holds ``ROLE_APPROVE``: the office's colleagues whose credentials it
    reissues. An account that also reveals outside those subtrees is listed but refused by the
    service (``can_manage_credentials``)."""
    access = access_for(user)
    holders = RoleAssignment.objects.filter(
        active=True, role__in=REVEALING_ROLES, organization__isnull=False
    ).filter(access.q(Perm.ROLE_APPROVE, "organization__path"))
    return (
        User.objects.filter(pk__in=holders.values("user_id"), is_active=True)
        .exclude(pk=user.pk)
        .order_by("username")
    )
