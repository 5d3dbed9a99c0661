"""Readable answers for requests no view can serve: a method the URL does not take (a bookmarked or
refreshed action URL), and a URL whose values cannot be what they name."""

from django.http import JsonResponse
from django.shortcuts import render
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
