"""What a signed-in user must do before anything else: pass or enrol the second factor when their
role requires it, and replace a one-time password (``User.must_change_password``)."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from .selectors import second_factor_required

# What such a user may still reach: the profile (where the password form is), signing out, the
# language switch, and static files.
_OPEN = ("accounts:profile", "accounts:totp_setup", "accounts:logout", "accounts:login")
_OPEN_PREFIXES = ("/static/", "/media/", "/i18n/")


class PasswordChangeRequired:
    """Sends a signed-in user who must change their password to the profile's password form (the
    API answers 403 with the reason); nothing else is served until they have changed it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "must_change_password", False):
            path = request.path
            if not path.startswith(_OPEN_PREFIXES) and path not in {reverse(name) for name in _OPEN}:
                message = _("请先修改初始密码：初始密码只能使用一次。")
                if path.startswith("/api/"):
                    return JsonResponse(
                        {"detail": message}, status=403, json_dumps_params={"ensure_ascii": False}
                    )
                # No message for the page: the profile's password form says why it is shown.
                return redirect(reverse("accounts:profile") + "#password")
        return self.get_response(request)


_ENROL_OPEN = ("accounts:totp_setup", "accounts:logout", "accounts:login")


class SecondFactorRequired:
    """A signed-in user whose role requires the second factor (``settings.TOTP_REQUIRED_ROLES``)
    and whose session has not passed it is served nothing but enrolling an authenticator: at the
    first log-in (no authenticator yet) they are sent to the enrolment page; with an authenticator
    (a session from before the role was granted) they are signed out to log in again with a code.
    The API answers 403 with the reason."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and second_factor_required(user)
            and not request.path.startswith(_OPEN_PREFIXES)
            and request.path not in {reverse(name) for name in _ENROL_OPEN}
        ):
            if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
                logout(request)
                message = _("请重新登录，并填写身份验证器上的动态验证码。")
                target = reverse("accounts:login")
            else:
                message = _("您的角色要求登录时使用二次验证：请先绑定身份验证器。")
                target = reverse("accounts:totp_setup")
                if request.method == "GET" and not request.path.startswith("/api/"):
                    target += "?next=" + quote(request.get_full_path())
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": message}, status=403, json_dumps_params={"ensure_ascii": False}
                )
            if target.startswith(reverse("accounts:login")):
                # The enrolment page says why it is shown; the log-in page does not.
                messages.warning(request, message)
            return redirect(target)
        return self.get_response(request)
