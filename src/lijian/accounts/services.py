"""Every write to users, roles and second factors."""

import os
import secrets

from axes.utils import reset as axes_reset
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from lijian.core.audit import audit_record, snapshot
from lijian.core.permissions import Perm, access_for, forget_access, require
from lijian.orgs.models import InspectionBody, Organization

from .choices import ACCOUNT_ADMIN_ROLES, GLOBAL_ROLES, REVEALING_ROLES, ROLE_PERMISSIONS, Role
from .models import RoleAssignment, User
from .passwords import character_classes, remember_current_password
from .selectors import (
    CREDENTIALS_RESET,
    LIAISON_CREATE,
    can_manage_credentials,
    can_manage_user,
    holds_account_admin_role,
    revealing_scopes,
    second_factor_required,
    user_scope_path,
)

ASSIGNMENT_FIELDS = ("user", "role", "organization", "body")

USER_FIELDS = ("username", "full_name", "phone", "is_active")


def _require_manage_user(actor, user: User) -> None:
    require(actor, Perm.ACCOUNTS_MANAGE)
    if not can_manage_user(actor, user):
        raise PermissionDenied(_("该账号还有您管理范围以外的角色，只能由上级管理员管理。"))


def _require_manage_credentials(actor, user: User) -> None:
    """Resetting someone else's password or second factor: refused for an account that can reveal
    identities unless the actor is an office holder over all its scopes (``can_manage_credentials``)."""
    if revealing_scopes(user):
        CREDENTIALS_RESET.check(actor, user)
        return
    _require_manage_user(actor, user)


@transaction.atomic
def user_create(*, actor, username: str, full_name: str, password: str, phone: str = "") -> User:
    """Create an account. The password must pass the password rules (``ValidationError`` otherwise)
    and is an initial one: the administrator knows it, so the user must replace it at first log-in."""
    require(actor, Perm.ACCOUNTS_MANAGE)
    user = User(
        username=username.strip(), full_name=full_name.strip(), phone=phone.strip(), must_change_password=True
    )
    user.full_clean(exclude=["password"])
    validate_password(password, user)
    user.set_password(password)
    user.save()
    audit_record(
        actor=actor,
        action="user.create",
        obj=user,
        after=snapshot(user, USER_FIELDS),
        scope_path=user_scope_path(actor),
    )
    return user


@transaction.atomic
def user_set_active(*, actor, user: User, active: bool) -> User:
    _require_manage_user(actor, user)
    if user.pk == actor.pk and not active:
        raise ValidationError(_("不能停用自己的账号。"))
    before = snapshot(user, USER_FIELDS)
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="user.activate" if active else "user.deactivate",
        obj=user,
        before=before,
        after=snapshot(user, USER_FIELDS),
    )
    return user


@transaction.atomic
def user_set_password(*, actor, user: User, password: str) -> User:
    """An administrator resets a password (a one-time one: its owner must change it at the next
    log-in), or a user changes their own (which ends that obligation: ``must_change_password``).

    Raises ``ValidationError`` when the new password equals the current one: otherwise a one-time
    password (which the office has seen) could be "changed" into itself and stay in use."""
    if user.pk != actor.pk:
        _require_manage_credentials(actor, user)
    if user.has_usable_password() and user.check_password(password):
        raise ValidationError({"password": _("新密码不能与当前密码相同，请换一个密码。")})
    validate_password(password, user)
    remember_current_password(user)
    user.set_password(password)
    # A password set by someone else is known to them: its owner must replace it at the next log-in.
    user.must_change_password = user.pk != actor.pk
    user.save(update_fields=["password", "must_change_password"])
    if user.pk != actor.pk:
        axes_reset(username=user.get_username())  # a reset password also lifts a lockout
    audit_record(actor=actor, action="user.password", obj=user, scope_path=user_scope_path(user))
    return user


# Letters and digits a person reads off a screen without confusing them (no 0/O, 1/l/I).
_READABLE = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def one_time_password(length: int = 14) -> str:
    """A random password that passes the password rules (lower- and upper-case letters and digits),
    to be shown once and changed at first login."""
    while True:
        password = "".join(secrets.choice(_READABLE) for _ in range(length))
        if character_classes(password) == 3:
            return password


@transaction.atomic
def liaison_account_create(
    *, actor, organization, username: str, full_name: str, phone: str = ""
) -> tuple[User, str]:
    """Create a liaison (联络员) account for ``organization`` with a one-time password: returns the
    user and the password, to be shown once; the liaison must change it at first login.

    Raises ``PermissionDenied`` unless ``can_create_liaison`` (the office's staff for the
    organisations in their scope, or an account administrator over it), and ``ValidationError``
    (nothing written) for a username taken or invalid, or a missing name."""
    LIAISON_CREATE.check(actor, organization)
    if not full_name.strip():
        raise ValidationError({"full_name": _("请填写联络员姓名。")})
    password = one_time_password()
    user = User(
        username=username.strip(), full_name=full_name.strip(), phone=phone.strip(), must_change_password=True
    )
    user.full_clean(exclude=["password"])
    validate_password(password, user)
    user.set_password(password)
    user.save()
    assignment = RoleAssignment.objects.create(
        user=user, role=Role.LIAISON, organization=organization, granted_by=actor
    )
    audit_record(
        actor=actor,
        action="user.create",
        obj=user,
        after=snapshot(user, USER_FIELDS),
        scope_path=organization.path,
    )
    audit_record(
        actor=actor,
        action="role.grant",
        obj=assignment,
        after=snapshot(assignment, ("user", "role", "organization", "body")),
        scope_path=organization.path,
    )
    forget_access(user)
    return user, password


@transaction.atomic
def user_unlock(*, actor, user: User) -> User:
    """Lift the lockout that repeated failed log-ins put on the account."""
    _require_manage_user(actor, user)
    axes_reset(username=user.get_username())
    audit_record(actor=actor, action="user.unlock", obj=user, scope_path=user_scope_path(user))
    return user


def _check_compatible(user: User, role: str) -> None:
    """Separation of duties: an account administrator never holds a role that reveals identities,
    and an account that reveals (or is about to) is never made an account administrator."""
    if role in REVEALING_ROLES and holds_account_admin_role(user):
        raise ValidationError(
            _("系统管理员账号不能被授予可查看信访人身份的角色：管理账号和查看身份须由不同的人承担。")
        )
    revealing = RoleAssignment.objects.filter(user=user, role__in=REVEALING_ROLES)
    if role in ACCOUNT_ADMIN_ROLES and revealing.filter(Q(active=True) | Q(awaiting_approval=True)).exists():
        raise ValidationError(_("该账号拥有（或待审批）可查看信访人身份的角色，不能再被授予系统管理员角色。"))


@transaction.atomic
def role_grant(*, actor, user: User, role: str, organization=None, body=None) -> RoleAssignment:
    """Give ``user`` the ``role`` over ``organization``'s subtree (the whole system if ``None``).

    The granting administrator must themselves manage accounts over that subtree, and nobody grants
    a role to themselves. A role that can reveal petitioners' identities (``REVEALING_ROLES``) is
    only requested here: the assignment is returned inactive and awaiting approval, and takes effect
    when a second person, an office holder over its scope, approves it (``role_approve``).

    Raises ``PermissionDenied`` outside the actor's scope or for themselves, ``ValidationError`` for
    an unknown role, a scope the role cannot have, a role already held or requested, or roles that
    separation of duties keeps apart (``_check_compatible``). Nothing is written when it raises."""
    if role not in Role.values:
        raise ValidationError(_("未知的角色。"))
    if user.pk == actor.pk:
        raise PermissionDenied(_("不能给自己授予角色，请由其他有权限的人员授予。"))
    if organization is None:
        if role not in GLOBAL_ROLES:
            raise ValidationError(_("该角色必须限定在某个组织范围内。"))
        if not access_for(actor).is_global(Perm.ACCOUNTS_MANAGE):
            raise PermissionDenied(_("只有全系统管理员可以授予全系统范围的角色。"))
    else:
        require(actor, Perm.ACCOUNTS_MANAGE, organization.path)
    if body is not None:
        require(actor, Perm.ACCOUNTS_MANAGE, body.owner_org.path)
        if organization is not None and not organization.path.startswith(body.owner_org.path):
            raise ValidationError(
                _("“%(body)s”负责的范围不包括“%(org)s”。") % {"body": body.name, "org": organization.name}
            )
    _check_compatible(user, role)
    needs_approval = role in REVEALING_ROLES
    assignment = RoleAssignment.objects.filter(user=user, role=role, organization=organization).first()
    if assignment is None:
        assignment = RoleAssignment.objects.create(
            user=user,
            role=role,
            organization=organization,
            body=body,
            granted_by=actor,
            active=not needs_approval,
            awaiting_approval=needs_approval,
        )
    else:
        if assignment.awaiting_approval:
            raise ValidationError(_("该角色的授予已提交，正在等待审批。"))
        if assignment.active and assignment.body_id == (body.pk if body else None):
            raise ValidationError(_("该用户已拥有这个角色。"))
        if needs_approval and assignment.active:
            # Changing the body of a revealing role is a new grant: it waits for approval again.
            assignment.active = False
        assignment.active = assignment.active or not needs_approval
        assignment.awaiting_approval = needs_approval
        assignment.body, assignment.granted_by, assignment.granted_at = body, actor, timezone.now()
        assignment.approved_by, assignment.approved_at = None, None
        assignment.save()
    audit_record(
        actor=actor,
        action="role.request" if needs_approval else "role.grant",
        obj=assignment,
        after=snapshot(assignment, ASSIGNMENT_FIELDS),
        scope_path=organization.path if organization else "",
    )
    forget_access(user)
    return assignment


def _require_approver(actor, assignment: RoleAssignment) -> None:
    if not assignment.awaiting_approval:
        raise ValidationError(_("该角色授予不在待审批状态。"))
    if assignment.user_id == actor.pk:
        raise PermissionDenied(_("不能审批给自己的角色授予。"))
    if assignment.granted_by_id == actor.pk:
        raise PermissionDenied(_("不能审批自己提交的角色授予：须由另一人审批。"))
    if assignment.organization_id is None or not access_for(actor).covers(
        Perm.ROLE_APPROVE, assignment.organization.path
    ):
        raise PermissionDenied(_("只有该范围的巡视巡察办人员可以审批此角色授予。"))


@transaction.atomic
def role_approve(*, actor, assignment: RoleAssignment) -> tuple[RoleAssignment, str | None]:
    """The second person approves a requested role that reveals identities: it takes effect.

    When the account held no such role before, its credentials are issued anew — a one-time
    password returned here (to be handed over by the approver, changed at first log-in) and no
    authenticator (enrolled at first log-in) — so whoever created the account or knew its password
    (an administrator) cannot sign in as it; its open sessions end with the old password. Returns
    the assignment and the one-time password, or ``None`` when the credentials were kept.

    Raises ``PermissionDenied`` unless the actor is an office holder over the scope who is neither
    the grantee nor the requester, and ``ValidationError`` when the grant is not awaiting approval
    or the account has meanwhile become an account administrator."""
    assignment = (
        RoleAssignment.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=assignment.pk)
    )
    _require_approver(actor, assignment)
    user = User.objects.select_for_update().get(pk=assignment.user_id)
    _check_compatible(user, assignment.role)
    reissue = not revealing_scopes(user)
    assignment.active, assignment.awaiting_approval = True, False
    assignment.approved_by, assignment.approved_at = actor, timezone.now()
    assignment.save(update_fields=["active", "awaiting_approval", "approved_by", "approved_at"])
    scope = assignment.organization.path
    audit_record(
        actor=actor,
        action="role.approve",
        obj=assignment,
        after={**snapshot(assignment, ASSIGNMENT_FIELDS), "requested_by": assignment.granted_by_id},
        scope_path=scope,
    )
    password = _reissue(actor=actor, user=user, scope_path=scope) if reissue else None
    forget_access(user)
    return assignment, password


def _reissue(*, actor, user: User, scope_path: str) -> str:
    password = one_time_password()
    remember_current_password(user)
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    TOTPDevice.objects.filter(user=user).delete()
    axes_reset(username=user.get_username())
    audit_record(
        actor=actor,
        action="user.credentials_reissue",
        obj=user,
        after={"one_time_password": True, "second_factor_removed": True},
        scope_path=scope_path,
    )
    return password


@transaction.atomic
def credentials_reissue(*, actor, user: User) -> str:
    """A forgotten password or a lost phone of an account that can reveal identities: an office
    holder over all its scopes gives it a one-time password (returned, to hand over) and removes
    its authenticator; the holder changes the password and enrols again at the next log-in.

    Raises ``PermissionDenied`` for anyone else (administrators included: ``can_manage_credentials``)
    and ``ValidationError`` for an account that reveals nothing (an administrator resets those)."""
    scopes = revealing_scopes(user)
    if not scopes:
        raise ValidationError(_("该账号不能查看信访人身份，请由系统管理员重置其密码。"))
    if not can_manage_credentials(actor, user):
        raise PermissionDenied(_("只有该账号所在范围的巡视巡察办人员（不含本人）可以重新发放其初始密码。"))
    return _reissue(actor=actor, user=user, scope_path=os.path.commonprefix(scopes))


@transaction.atomic
def role_reject(*, actor, assignment: RoleAssignment) -> RoleAssignment:
    """The second person refuses a requested role: it stays without effect. Same rules as
    ``role_approve``."""
    assignment = (
        RoleAssignment.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=assignment.pk)
    )
    _require_approver(actor, assignment)
    assignment.awaiting_approval = False
    assignment.save(update_fields=["awaiting_approval"])
    audit_record(
        actor=actor,
        action="role.reject",
        obj=assignment,
        before=snapshot(assignment, ASSIGNMENT_FIELDS),
        scope_path=assignment.organization.path,
    )
    return assignment


@transaction.atomic
def role_revoke(*, actor, assignment: RoleAssignment) -> RoleAssignment:
    """Take a role back, or withdraw a request still awaiting approval."""
    scope = assignment.organization.path if assignment.organization_id else None
    if scope is None:
        if not access_for(actor).is_global(Perm.ACCOUNTS_MANAGE):
            raise PermissionDenied(_("只有全系统管理员可以收回全系统范围的角色。"))
    else:
        require(actor, Perm.ACCOUNTS_MANAGE, scope)
    assignment.active = False
    assignment.awaiting_approval = False
    assignment.save(update_fields=["active", "awaiting_approval"])
    audit_record(
        actor=actor,
        action="role.revoke",
        obj=assignment,
        before=snapshot(assignment, ASSIGNMENT_FIELDS),
        scope_path=scope or "",
    )
    forget_access(assignment.user)
    return assignment


@transaction.atomic
def totp_begin(*, actor, verified: bool) -> TOTPDevice:
    """Start enrolling a TOTP authenticator for the actor (unconfirmed until a code is entered).

    ``verified`` says whether the actor's session passed the second factor. An account that
    already has an authenticator replaces it only from such a session: a password alone must not
    let anyone swap the authenticator for their own. Raises ``PermissionDenied`` otherwise."""
    if not verified and TOTPDevice.objects.filter(user=actor, confirmed=True).exists():
        raise PermissionDenied(_("请先使用现有的身份验证器登录，再更换。"))
    TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
    return TOTPDevice.objects.create(user=actor, name=_("身份验证器"), confirmed=False)


@transaction.atomic
def totp_confirm(*, actor, device: TOTPDevice, token: str) -> TOTPDevice:
    if device.user_id != actor.pk:
        raise PermissionDenied
    if not device.verify_token(token.strip()):
        raise ValidationError(_("验证码不正确，请核对手机上的时间和验证码后重试。"))
    TOTPDevice.objects.filter(user=actor, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(actor=actor, action="user.totp_enable", obj=actor, scope_path=user_scope_path(actor))
    return device


@transaction.atomic
def totp_remove(*, actor, user: User) -> None:
    """Remove the user's authenticator (someone else's: as for a password reset). Raises
    ``ValidationError`` when the user's own role requires the second factor: it cannot be turned
    off, only replaced (``totp_begin``)."""
    if user.pk != actor.pk:
        _require_manage_credentials(actor, user)
    elif second_factor_required(user):
        raise ValidationError(_("您的角色要求登录时使用二次验证，不能关闭；更换手机时请重新设置身份验证器。"))
    TOTPDevice.objects.filter(user=user).delete()
    audit_record(actor=actor, action="user.totp_disable", obj=user, scope_path=user_scope_path(user))


# Roles whose holders approve the grants that reveal identities: with none of them over an
# organisation, nobody can approve the first one there (``office_bootstrap``).
APPROVING_ROLES = frozenset(role for role, perms in ROLE_PERMISSIONS.items() if Perm.ROLE_APPROVE in perms)


def office_holders_over(organization):
    """Active assignments of an approving role at ``organization`` or above it (or system-wide)."""
    ancestors = [*organization.ancestor_paths(), organization.path]
    # Two bootstraps over the same tree wait for each other (on PostgreSQL), so only one seeds it.
    list(Organization.objects.select_for_update().filter(path__in=ancestors).values_list("pk", flat=True))
    return RoleAssignment.objects.filter(role__in=APPROVING_ROLES, active=True).filter(
        Q(organization__isnull=True) | Q(organization__path__in=ancestors)
    )


@transaction.atomic
def office_bootstrap(*, username: str, org_code: str, full_name: str = "") -> tuple[User, str]:
    """Seed the first office holder of a fresh installation, from the server's console (actor: the
    system). Office roles take effect only when an office holder over their scope approves them
    (``role_approve``); where there is none yet, nobody could, so the operator seeds exactly one.

    Gives ``username`` (created when missing) the office role over the organisation ``org_code``,
    active at once, with a one-time password — returned, to be printed once; changed at first
    log-in, where the authenticator the role requires is enrolled (any old one is removed). Audited
    as ``role.bootstrap``.

    Raises ``ValidationError`` (nothing written) for an unknown organisation; when an active office
    holder exists at or above it (from then on every office role goes through the four-eyes
    approval, this command can never bypass it); for an account that administers accounts (or a
    superuser), which never holds a role that reveals identities; for a deactivated account; and
    for an invalid username."""
    organization = Organization.objects.filter(code=org_code.strip()).first()
    if organization is None:
        raise ValidationError(_("没有代码为“%(code)s”的组织。") % {"code": org_code})
    holders = office_holders_over(organization)
    if holders.exists():
        holder = holders.select_related("user", "organization").order_by("organization__path", "pk").first()
        scope = holder.organization.name if holder.organization_id else _("全系统")
        raise ValidationError(
            _(
                "“%(org)s”已有巡视巡察办人员（%(user)s，范围：%(scope)s）：新的巡视巡察办角色须由管理员申请、"
                "由该范围的巡视巡察办人员审批，不能在服务器上直接设立。"
            )
            % {"org": organization.name, "user": holder.user.get_username(), "scope": scope}
        )
    user = User.objects.select_for_update().filter(username=username.strip()).first()
    created = user is None
    if created:
        user = User(username=username.strip(), full_name=full_name.strip())
        user.full_clean(exclude=["password"])
    elif not user.is_active:
        raise ValidationError(_("账号“%(user)s”已停用，不能设为巡视巡察办人员。") % {"user": user.username})
    elif holds_account_admin_role(user):
        raise ValidationError(
            _("账号“%(user)s”是系统管理员：管理账号和查看信访人身份须由不同的人承担，请另用一个账号。")
            % {"user": user.username}
        )
    password = one_time_password()
    validate_password(password, user)
    if not created and user.has_usable_password():
        remember_current_password(user)
    user.set_password(password)
    user.must_change_password = True
    user.save()
    TOTPDevice.objects.filter(user=user).delete()  # enrolled anew by the holder at first log-in
    axes_reset(username=user.get_username())
    owned = list(InspectionBody.objects.filter(owner_org=organization)[:2])
    assignment, _created = RoleAssignment.objects.update_or_create(
        user=user,
        role=Role.OFFICE_STAFF,
        organization=organization,
        defaults={
            "body": owned[0] if len(owned) == 1 else None,
            "active": True,
            "awaiting_approval": False,
            "granted_by": None,
            "granted_at": timezone.now(),
            "approved_by": None,
            "approved_at": None,
        },
    )
    audit_record(
        actor=None,
        action="role.bootstrap",
        obj=assignment,
        after={
            **snapshot(assignment, ASSIGNMENT_FIELDS),
            "account_created": created,
            "one_time_password": True,
            "second_factor_removed": True,
        },
        scope_path=organization.path,
    )
    forget_access(user)
    return user, password
