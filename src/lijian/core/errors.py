from django.core.exceptions import BadRequest
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

# Pages the public opens without an account: their errors speak of receipts, QR codes and disclosed
# organisations, never of a "work scope" the public does not have.
PUBLIC_PREFIX = "/public/"


class PublicNotFound(Http404):
    """A public page does not know what the link names; the message says so in the public's words."""


def _is_public(request) -> bool:
    return request.path.startswith(PUBLIC_PREFIX)


def bad_request(request, exception=None):
    """400: the message of a ``BadRequest`` our code raised; Django's own reasons (a forged host,
    too many fields) are not shown."""
    message = str(exception) if isinstance(exception, BadRequest) else ""
    context = {"message": message, "public": _is_public(request), "retry": ""}
    return render(request, "400.html", context, status=400)


def permission_denied(request, exception=None):
    if _is_public(request):
        context = {"title": _("无法完成此操作"), "message": _("请刷新页面后重试。")}
        return render(request, "public_error.html", context, status=403)
    return render(request, "403.html", {"message": str(exception) if exception else ""}, status=403)


def page_not_found(request, exception=None):
    if _is_public(request):
        message = str(exception) if isinstance(exception, PublicNotFound) else ""
        return render(
            request,
            "public_error.html",
            {"message": message or _("您要查找的内容不存在或已过期，请核对链接或查询码。")},
            status=404,
        )
    return render(request, "404.html", status=404)


def csrf_failure(request, reason=""):
    """A form sent from a page that has expired (the session or its token): say so, in Chinese."""
    message = _("页面已过期，请返回上一页刷新后重新提交。")
    template = "public_error.html" if _is_public(request) else "403.html"
    return render(request, template, {"title": _("页面已过期"), "message": message}, status=403)
