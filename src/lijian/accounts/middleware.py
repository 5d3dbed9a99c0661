"""A user holding a one-time password (``User.must_change_password``) changes it before anything else."""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

# What such a user may still reach: the profile (where the password form is), signing out, the
# language switch, and static files.
_OPEN = ("accounts:profile", "accounts:logout", "accounts:login")
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
                messages.warning(request, message)
                return redirect(reverse("accounts:profile") + "#password")
        return self.get_response(request)
