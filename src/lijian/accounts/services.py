"""Every write to users, roles and second factors."""

from axes.utils import reset as axes_reset
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from lijian.core.audit import audit_record, snapshot
from lijian.core.permissions import Perm, access_for, forget_access, require

from .choices import GLOBAL_ROLES, Role
from .models import RoleAssignment, User
from .selectors import can_manage_user, user_scope_path

USER_FIELDS = ("username", "full_name", "phone", "is_active")


def _require_manage_user(actor, user: User) -> None:
    require(actor, Perm.ACCOUNTS_MANAGE)
    if not can_manage_user(actor, user):
        raise PermissionDenied(_("该账号还有您管理范围以外的角色，只能由上级管理员管理。"))


@transaction.atomic
def user_create(*, actor, username: str, full_name: str, password: str, phone: str = "") -> User:
    """Create an account. The password must pass the password rules (``ValidationError`` otherwise)."""
    require(actor, Perm.ACCOUNTS_MANAGE)
    user = User(username=username.strip(), full_name=full_name.strip(), phone=phone.strip())
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
    """An administrator resets a password, or a user changes their own (which also ends the
    obligation to change a one-time password: ``must_change_password``).

    Raises ``ValidationError`` when the new password equals the current one: otherwise a one-time
    password (which the office has seen) could be "changed" into itself and stay in use."""
    if user.pk != actor.pk:
        _require_manage_user(actor, user)
    if user.has_usable_password() and user.check_password(password):
        raise ValidationError({"password": _("新密码不能与当前密码相同，请换一个密码。")})
    validate_password(password, user)
    user.set_password(password)
    if user.pk == actor.pk:
        user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    if user.pk != actor.pk:
        axes_reset(username=user.get_username())  # a reset password also lifts a lockout
    audit_record(actor=actor, action="user.password", obj=user, scope_path=user_scope_path(user))
    return user


# Letters and digits a person reads off a screen without confusing them (no 0/O, 1/l/I).
_READABLE = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def one_time_password(length: int = 12) -> str:
    """A random password that passes the password rules, to be shown once and changed at first login."""
    import secrets

    while True:
        password = "".join(secrets.choice(_READABLE) for _ in range(length))
        has_all = any(c.isdigit() for c in password) and any(c.isalpha() for c in password)
        if has_all:
            return password


def can_create_liaison(actor, organization) -> bool:
    """The office that inspects an organisation (office staff, whose grants cover its subtree) or an
    account administrator over it may give it a liaison account — never for an organisation outside
    their own scope."""
    access = access_for(actor)
    return access.covers(Perm.ROUND_MANAGE, organization.path) or access.covers(
        Perm.ACCOUNTS_MANAGE, organization.path
    )


@transaction.atomic
def liaison_account_create(
    *, actor, organization, username: str, full_name: str, phone: str = ""
) -> tuple[User, str]:
    """Create a liaison (联络员) account for ``organization`` with a one-time password: returns the
    user and the password, to be shown once; the liaison must change it at first login.

    Raises ``PermissionDenied`` unless ``can_create_liaison`` (the office's staff for the
    organisations in their scope, or an account administrator over it), and ``ValidationError``
    (nothing written) for a username taken or invalid, or a missing name."""
    if not can_create_liaison(actor, organization):
        raise PermissionDenied(_("只能为本机构巡视巡察范围内的党组织创建联络员账号。"))
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


@transaction.atomic
def role_grant(*, actor, user: User, role: str, organization=None, body=None) -> RoleAssignment:
    """Give ``user`` the ``role`` over ``organization``'s subtree (the whole system if ``None``).

    The granting administrator must themselves manage accounts over that subtree.
    """
    if role not in Role.values:
        raise ValidationError(_("未知的角色。"))
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
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, organization=organization, defaults={"body": body, "granted_by": actor}
    )
    if not created:
        if assignment.active and assignment.body_id == (body.pk if body else None):
            raise ValidationError(_("该用户已拥有这个角色。"))
        assignment.active, assignment.body, assignment.granted_by = True, body, actor
        assignment.save(update_fields=["active", "body", "granted_by"])
    audit_record(
        actor=actor,
        action="role.grant",
        obj=assignment,
        after=snapshot(assignment, ("user", "role", "organization", "body")),
        scope_path=organization.path if organization else "",
    )
    forget_access(user)
    return assignment


@transaction.atomic
def role_revoke(*, actor, assignment: RoleAssignment) -> RoleAssignment:
    scope = assignment.organization.path if assignment.organization_id else None
    if scope is None:
        if not access_for(actor).is_global(Perm.ACCOUNTS_MANAGE):
            raise PermissionDenied(_("只有全系统管理员可以收回全系统范围的角色。"))
    else:
        require(actor, Perm.ACCOUNTS_MANAGE, scope)
    assignment.active = False
    assignment.save(update_fields=["active"])
    audit_record(
        actor=actor,
        action="role.revoke",
        obj=assignment,
        before=snapshot(assignment, ("user", "role", "organization", "body")),
        scope_path=scope or "",
    )
    forget_access(assignment.user)
    return assignment


@transaction.atomic
def totp_begin(*, actor) -> TOTPDevice:
    """Start enrolling a TOTP authenticator for the actor (unconfirmed until a code is entered)."""
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
    if user.pk != actor.pk:
        _require_manage_user(actor, user)
    TOTPDevice.objects.filter(user=user).delete()
    audit_record(actor=actor, action="user.totp_disable", obj=user, scope_path=user_scope_path(user))
