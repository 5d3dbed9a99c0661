import io

import segno
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
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
from lijian.core.params import safe_next
from lijian.core.permissions import Perm, requires

from . import services
from .forms import ConfirmPasswordForm, LoginForm, PasswordForm, RoleGrantForm, TokenForm, UserCreateForm
from .models import RoleAssignment
from .selectors import role_assignments_for_user, user_is_locked, user_scope_path, users_visible


def locked_out(request, credentials=None, *args, **kwargs):
    """Shown by django-axes after too many failed log-ins."""
    return render(request, "accounts/locked_out.html", status=429)


@requires(Perm.PUBLIC)
@sensitive_post_parameters("password", "otp_token")
@never_cache
def login_view(request):
    if request.user.is_authenticated:
        return redirect("core:home")
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        devices = list(TOTPDevice.objects.filter(user=user, confirmed=True))
        device = None
        if devices:
            token = form.cleaned_data["otp_token"].strip()
            device = next((d for d in devices if token and d.verify_token(token)), None)
        if devices and device is None:
            user_login_failed.send(
                sender=__name__, credentials={"username": user.get_username()}, request=request
            )
            form.add_error("otp_token", _("该账号已开启二次验证，请填写正确的动态验证码。"))
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
        },
    )


@requires(Perm.SIGNED_IN)
def totp_setup(request):
    """Enrol an authenticator app: show the QR code, then confirm with a first code."""
    if request.method == "POST":
        device = get_object_or_404(
            TOTPDevice, pk=request.POST.get("device"), user=request.user, confirmed=False
        )
        form = TokenForm(request.POST)
        if form.is_valid():
            try:
                services.totp_confirm(actor=request.user, device=device, token=form.cleaned_data["token"])
            except ValidationError as exc:
                add_service_errors(form, exc, field="token")
            else:
                messages.success(request, _("二次验证已开启，以后登录时需要填写动态验证码。"))
                return redirect("accounts:profile")
    else:
        device = services.totp_begin(actor=request.user)
        form = TokenForm()
    buffer = io.BytesIO()
    segno.make(device.config_url, error="m").save(buffer, kind="svg", scale=5)
    return render(
        request,
        "accounts/totp_setup.html",
        {
            "device": device,
            "form": form,
            "qr_svg": buffer.getvalue().decode(),
            "secret": device.config_url.split("secret=")[1].split("&")[0],
        },
    )


@requires(Perm.SIGNED_IN)
@require_POST
def totp_disable(request):
    """Turning the second factor off needs the current password, like changing the password."""
    form = ConfirmPasswordForm(request.POST, user=request.user)
    if form.is_valid():
        services.totp_remove(actor=request.user, user=request.user)
        messages.info(request, _("二次验证已关闭。"))
    else:
        messages.error(request, _("当前密码不正确，二次验证未关闭。"))
    return redirect("accounts:profile")


@requires(Perm.ACCOUNTS_MANAGE)
def user_list(request):
    q = request.GET.get("q", "").strip()
    users = (
        users_visible(request.user)
        .order_by("username")
        .prefetch_related(
            Prefetch(
                "roles",
                queryset=RoleAssignment.objects.filter(active=True).select_related("organization"),
                to_attr="active_roles",
            )
        )
    )
    if q:
        users = users.filter(Q(username__contains=q) | Q(full_name__contains=q))
    users = list(users[:200])
    for account in users:
        account.locked = user_is_locked(account)
    return render(request, "accounts/user_list.html", {"users": users, "q": q})


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
    grant_form = (
        RoleGrantForm(request.POST or None) if request.POST.get("form") == "grant" else RoleGrantForm()
    )
    password_form = PasswordForm(request.POST if request.POST.get("form") == "password" else None)
    if request.method == "POST":
        action = request.POST.get("form")
        try:
            if action == "grant" and grant_form.is_valid():
                data = grant_form.cleaned_data
                services.role_grant(
                    actor=request.user,
                    user=user,
                    role=data["role"],
                    organization=data["organization_code"],
                    body=data["body_code"],
                )
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
            "grant_form": grant_form,
            "password_form": password_form,
        },
    )
