import io
from base64 import b32encode
from urllib.parse import quote

import segno
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from lijian.core.audit import audit_record
from lijian.core.forms import add_service_errors
from lijian.core.lists import list_page
from lijian.core.params import safe_next
from lijian.core.permissions import Perm, requires

from . import services, tables
from .filters import UserFilter
from .forms import ConfirmPasswordForm, LoginForm, PasswordForm, RoleGrantForm, TokenForm, UserCreateForm
from .models import RoleAssignment
from .selectors import (
    CREDENTIALS_RESET,
    can_manage_credentials,
    grants_awaiting_approval,
    revealing_accounts_in_scope,
    revealing_scopes,
    role_assignments_for_user,
    second_factor_required,
    user_is_locked,
    user_scope_path,
    users_listed,
    users_visible,
)


def locked_out(request, credentials=None, *args, **kwargs):
    """Shown by django-axes after too many failed log-ins."""
    return render(request, "accounts/locked_out.html", status=429)


def _matching_device(user, token: str):
    """The user's confirmed authenticator that accepts ``token`` (each code is accepted once), or
    ``None``."""
    token = token.strip()
    if not token:
        return None
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(token):
            return device
    return None


@requires(Perm.PUBLIC)
@sensitive_post_parameters("password", "otp_token")
@never_cache
def login_view(request):
    """Password and, for an account with an authenticator, its code, in one step. A wrong password
    and a missing or wrong code get the same answer, so the page never tells that a password was
    right; a wrong code counts towards the lockout like a wrong password. An account whose role
    requires the second factor and has no authenticator yet is signed in only as far as enrolling
    one (``middleware.SecondFactorRequired``)."""
    if request.user.is_authenticated:
        return redirect("core:home")
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        has_authenticator = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        device = _matching_device(user, form.cleaned_data["otp_token"]) if has_authenticator else None
        if has_authenticator and device is None:
            user_login_failed.send(
                sender=__name__, credentials={"username": user.get_username()}, request=request
            )
            form.add_error(None, ValidationError(form.error_messages["invalid_login"], code="invalid_login"))
        else:
            auth_login(request, user)
            if device is not None:
                otp_login(request, device)
            audit_record(actor=user, action="user.login", obj=user, scope_path=user_scope_path(user))
            target = request.POST.get("next") or request.GET.get("next")
            return redirect(safe_next(request, target, default=reverse("core:home")))
    next_url = safe_next(request, request.GET.get("next"), default="")
    return render(request, "accounts/login.html", {"form": form, "next": next_url})


@requires(Perm.PUBLIC)
@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        audit_record(
            actor=request.user,
            action="user.logout",
            obj=request.user,
            scope_path=user_scope_path(request.user),
        )
    auth_logout(request)
    messages.info(request, _("您已安全退出。"))
    return redirect("accounts:login")


@requires(Perm.SIGNED_IN)
def profile(request):
    posted = request.POST.get("form") if request.method == "POST" else None
    password_form = PasswordForm(request.POST if posted == "password" else None, user=request.user)
    if posted == "password" and password_form.is_valid():
        try:
            services.user_set_password(
                actor=request.user, user=request.user, password=password_form.cleaned_data["password"]
            )
        except ValidationError as exc:
            add_service_errors(password_form, exc, field="password")
        else:
            messages.success(request, _("密码已修改，请重新登录。"))
            return redirect("accounts:login")
    return render(
        request,
        "accounts/profile.html",
        {
            "assignments": role_assignments_for_user(request.user),
            "password_form": password_form,
            "confirm_form": ConfirmPasswordForm(user=request.user),
            "totp_enabled": TOTPDevice.objects.filter(user=request.user, confirmed=True).exists(),
            "totp_required": second_factor_required(request.user),
        },
    )


def _safe_next(request) -> str:
    return safe_next(request, request.POST.get("next") or request.GET.get("next"), default="")


@requires(Perm.SIGNED_IN)
def totp_setup(request):
    """Enrol an authenticator app. GET only shows: the start button, or the pending enrolment's QR
    code and key. ``POST action=begin`` creates the key; ``POST`` with a code confirms it, and the
    session counts as verified from then on."""
    verified = request.user.is_verified()
    if request.method == "POST" and request.POST.get("action") == "begin":
        try:
            services.totp_begin(actor=request.user, verified=verified)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        query = f"?next={quote(_safe_next(request))}" if _safe_next(request) else ""
        return redirect(reverse("accounts:totp_setup") + query)
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).order_by("-pk").first()
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        device = get_object_or_404(
            TOTPDevice, pk=request.POST.get("device"), user=request.user, confirmed=False
        )
        if form.is_valid():
            try:
                services.totp_confirm(actor=request.user, device=device, token=form.cleaned_data["token"])
            except ValidationError as exc:
                add_service_errors(form, exc, field="token")
            else:
                otp_login(request, device)
                messages.success(request, _("二次验证已开启，以后登录时需要填写动态验证码。"))
                return redirect(_safe_next(request) or ("core:home" if not verified else "accounts:profile"))
    context = {
        "device": device,
        "form": form,
        "required": second_factor_required(request.user),
        "verified": verified,
        "has_authenticator": TOTPDevice.objects.filter(user=request.user, confirmed=True).exists(),
        "next": _safe_next(request),
    }
    if device is not None:
        buffer = io.BytesIO()
        segno.make(device.config_url, error="m").save(buffer, kind="svg", scale=5)
        context["qr_svg"] = buffer.getvalue().decode()
        context["secret"] = b32encode(device.bin_key).decode()
    return render(request, "accounts/totp_setup.html", context)


@requires(Perm.SIGNED_IN)
@require_POST
def totp_disable(request):
    """Turning the second factor off needs the current password, like changing the password."""
    form = ConfirmPasswordForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.totp_remove(actor=request.user, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.info(request, _("二次验证已关闭。"))
    else:
        messages.error(request, _("当前密码不正确，二次验证未关闭。"))
    return redirect("accounts:profile")


@requires(Perm.ACCOUNTS_MANAGE)
def user_list(request):
    asked = UserFilter(request.GET or None)
    return list_page(request, tables.USERS, users_listed(request.user), filterset=asked)


@requires(Perm.ACCOUNTS_MANAGE)
def user_create(request):
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc, field="password")
        else:
            messages.success(request, _("账号“%(name)s”已创建，请为其授予角色。") % {"name": user.username})
            return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_create.html", {"form": form})


def _visible_user(request, pk):
    try:
        return users_visible(request.user).get(pk=pk)
    except (ValueError, users_visible(request.user).model.DoesNotExist) as exc:
        raise Http404 from exc


@requires(Perm.ACCOUNTS_MANAGE)
def user_detail(request, pk: int):
    user = _visible_user(request, pk)
    if request.method == "POST" and request.POST.get("form") == "password" and revealing_scopes(user):
        # Refused before the new password is read (``services.user_set_password`` says the same).
        CREDENTIALS_RESET.check(request.user, user)
    grant_form = (
        RoleGrantForm(request.POST or None) if request.POST.get("form") == "grant" else RoleGrantForm()
    )
    password_form = PasswordForm(request.POST if request.POST.get("form") == "password" else None)
    if request.method == "POST":
        action = request.POST.get("form")
        try:
            if action == "grant" and grant_form.is_valid():
                data = grant_form.cleaned_data
                assignment = services.role_grant(
                    actor=request.user,
                    user=user,
                    role=data["role"],
                    organization=data["organization_code"],
                    body=data["body_code"],
                )
                if assignment.awaiting_approval:
                    messages.success(
                        request,
                        _(
                            "该角色可以查看信访人身份，已提交审批：须由该范围巡视巡察办的另一名人员同意后生效。"
                        ),
                    )
                else:
                    messages.success(request, _("角色已授予。"))
                return redirect("accounts:user_detail", pk=user.pk)
            if action == "revoke":
                assignment = get_object_or_404(RoleAssignment, pk=request.POST.get("assignment"), user=user)
                services.role_revoke(actor=request.user, assignment=assignment)
                messages.success(request, _("角色已收回。"))
                return redirect("accounts:user_detail", pk=user.pk)
            if action == "unlock":
                services.user_unlock(actor=request.user, user=user)
                messages.success(request, _("已解除锁定，该账号可以重新登录。"))
                return redirect("accounts:user_detail", pk=user.pk)
            if action in ("activate", "deactivate"):
                services.user_set_active(actor=request.user, user=user, active=action == "activate")
                messages.success(request, _("账号状态已更新。"))
                return redirect("accounts:user_detail", pk=user.pk)
            if action == "password" and password_form.is_valid():
                services.user_set_password(
                    actor=request.user, user=user, password=password_form.cleaned_data["password"]
                )
                messages.success(request, _("密码已重置。"))
                return redirect("accounts:user_detail", pk=user.pk)
        except ValidationError as exc:
            add_service_errors(grant_form if action == "grant" else password_form, exc)
            if action not in ("grant", "password"):
                messages.error(request, " ".join(exc.messages))
        except PermissionDenied as exc:
            messages.error(request, str(exc) or _("您没有权限执行此操作。"))
    return render(
        request,
        "accounts/user_detail.html",
        {
            "account": user,
            "locked": user_is_locked(user),
            "assignments": role_assignments_for_user(user),
            "pending": RoleAssignment.objects.filter(user=user, awaiting_approval=True).select_related(
                "organization", "body", "granted_by"
            ),
            "grant_form": grant_form,
            "password_form": password_form,
            # The reset form is offered only to those the reset would not refuse.
            "can_reset_password": not revealing_scopes(user) or can_manage_credentials(request.user, user),
        },
    )


@requires(Perm.ROLE_APPROVE)
def approvals(request):
    """The second person's page: role grants awaiting approval in the office holder's scope, and the
    colleagues who can reveal identities there, whose credentials only the office reissues. A
    one-time password issued (by an approval or a reissue) is shown once, to hand over."""
    issued = None
    if request.method == "POST" and request.POST.get("decision") == "reissue":
        account = get_object_or_404(revealing_accounts_in_scope(request.user), pk=request.POST.get("user"))
        try:
            password = services.credentials_reissue(actor=request.user, user=account)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            issued = {"user": account, "password": password}
    elif request.method == "POST":
        assignment = get_object_or_404(
            grants_awaiting_approval(request.user), pk=request.POST.get("assignment")
        )
        try:
            if request.POST.get("decision") == "approve":
                assignment, password = services.role_approve(actor=request.user, assignment=assignment)
                if password is None:
                    messages.success(request, _("已同意，角色已生效。"))
                    return redirect("accounts:approvals")
                issued = {"user": assignment.user, "password": password}
            elif request.POST.get("decision") == "reject":
                services.role_reject(actor=request.user, assignment=assignment)
                messages.success(request, _("已拒绝该角色授予。"))
                return redirect("accounts:approvals")
            else:
                messages.error(request, _("请选择同意或拒绝。"))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except PermissionDenied as exc:
            messages.error(request, str(exc) or _("您没有权限执行此操作。"))
    return render(
        request,
        "accounts/approvals.html",
        {
            "pending": grants_awaiting_approval(request.user),
            "accounts": revealing_accounts_in_scope(request.user),
            "issued": issued,
        },
    )
