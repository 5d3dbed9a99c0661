"""Readable answers for requests no view can serve: a method the URL does not take (a bookmarked or
refreshed action URL), a method the site does not speak (TRACE), a body larger than any upload the
site accepts, and a URL whose values cannot be what they name."""

from django.conf import settings
from django.http import HttpResponseNotAllowed, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from .params import BadParameter


class MethodNotAllowedPage:
    """Django answers a GET on a POST-only action with an empty 405; show why and where to go."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.content and not request.path.startswith("/api/"):
            page = render(request, "405.html", status=405)
            page["Allow"] = response.get("Allow", "")
            return page
        return response


def bad_request_response(request, message: str):
    """A 400 answer carrying ``message``: JSON ``{"detail": ...}`` under /api/, else the 400 page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=400, json_dumps_params={"ensure_ascii": False})
    context = {
        "message": message,
        "public": request.path.startswith("/public/"),
        "retry": "" if "\x00" in request.path else request.path,
    }
    return render(request, "400.html", context, status=400)


class BadRequestAnswer:
    """Refuses a URL carrying a NUL character (no name, code or number holds one, and PostgreSQL
    rejects it in a query) before any view reads it, and answers a view's ``BadParameter`` with its
    message; both with 400, never a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.GET
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in v for v in query.getlist(key)) for key in query
        ):
            return bad_request_response(request, _("链接中含有无效字符，请检查链接后重试。"))
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, BadParameter):
            return bad_request_response(request, str(exception))
        return None


# The methods some view of the site answers; anything else (TRACE and TRACK above all, which echo a
# request back and help steal cookies from it) is refused before it reaches a view.
KNOWN_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


class UnknownMethodRefused:
    """405 for TRACE, TRACK and every method outside ``KNOWN_METHODS``, on every URL; a function
    view would otherwise answer them as if they were GET. Sits below ``MethodNotAllowedPage``, which
    turns the empty answer into the readable 405 page (the API keeps JSON)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in KNOWN_METHODS:
            if request.path.startswith("/api/"):
                response = JsonResponse(
                    {"detail": _("不支持该请求方法。")}, status=405, json_dumps_params={"ensure_ascii": False}
                )
                response["Allow"] = ", ".join(KNOWN_METHODS)
                return response
            return HttpResponseNotAllowed(KNOWN_METHODS)
        return self.get_response(request)


# Room for the form fields and multipart headers around the largest file a form takes.
FORM_OVERHEAD = 1024 * 1024


def body_limit(path: str) -> int:
    """The largest request body ``path`` takes: the ledger import takes a bundle of up to
    ``LEDGER_UPLOAD_MAX_BYTES``; every other form or API call at most one attachment
    (``ATTACHMENT_MAX_BYTES``); both with ``FORM_OVERHEAD`` for the fields around the file."""
    if path == reverse("documents:ledger_upload"):
        return settings.LEDGER_UPLOAD_MAX_BYTES + FORM_OVERHEAD
    return settings.ATTACHMENT_MAX_BYTES + FORM_OVERHEAD


class RequestBodyLimit:
    """413 for a request whose declared ``Content-Length`` exceeds ``body_limit``, answered from the
    header alone: no byte of the body is read (not by CSRF's form parsing, not by a view), so a
    100 MB upload costs the server nothing before it is refused. Sits below the security-header
    middleware so the 413 page carries them. A missing or unreadable length is left to Django, which
    then reads nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = body_limit(request.path)
        if length > limit:
            return too_large_response(request, limit)
        return self.get_response(request)


def too_large_response(request, limit: int):
    """A 413 answer naming the limit: JSON ``{"detail": ...}`` under /api/, else the 413 page."""
    message = _("提交的内容过大（%(size)s MB 以内）：文件请压缩或分成几份后再上传。") % {
        "size": max(1, (limit - FORM_OVERHEAD) // 2**20)
    }
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=413, json_dumps_params={"ensure_ascii": False})
    context = {"message": message, "public": request.path.startswith("/public/")}
    return render(request, "413.html", context, status=413)
