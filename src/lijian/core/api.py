"""The REST API: one NinjaAPI, one router per app, every operation declaring its permission."""

import logging
from functools import wraps

import pydantic
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.db import DataError
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.errors import ValidationError as SchemaError
from ninja.security import SessionAuth

from .permissions import Perm, access_for, requires
from .registry import Registry

log = logging.getLogger(__name__)


class LijianAPI(NinjaAPI):
    def _get_urls(self):
        # The API root only redirects to the docs; it gets the docs' permission like every other route.
        urls = []
        for url in super()._get_urls():
            if getattr(url, "name", None) == "api-root":
                url = path(str(url.pattern), requires(Perm.SIGNED_IN)(url.callback), name="api-root")
            urls.append(url)
        return urls


class SignedInSession(SessionAuth):
    """Session cookie of a signed-in user (CSRF-checked for writes)."""

    def authenticate(self, request, key):
        return request.user if request.user.is_authenticated else None


def permission_first(run):
    """Check the operation's declared permission (``api_requires``) before anything of the request is
    parsed: 401 for a visitor, 403 for a user without it, whatever the path, query or body hold —
    even a malformed body. Otherwise ninja validates the body first, and its 422 tells a user who
    may not write what a valid request looks like. An operation that declares no permission is
    refused (deny by default; ``lijian check`` names it). Applied to every operation of the API
    (``api.add_decorator(..., mode="view")`` wraps ``Operation.run``, which parses afterwards)."""
    operation = getattr(run, "__self__", None)
    perm = getattr(getattr(operation, "view_func", None), "lijian_permission", None)

    @wraps(run)
    def checked(request, *args, **kwargs):
        if perm == Perm.PUBLIC:
            return run(request, *args, **kwargs)
        if not request.user.is_authenticated:
            return api.create_response(request, {"detail": _("请先登录。")}, status=401)
        if perm is None or not access_for(request.user).has(perm):
            return api.create_response(request, {"detail": _("您没有权限执行此操作。")}, status=403)
        return run(request, *args, **kwargs)

    return checked


def _validation_error(request, exc: ValidationError):
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": detail}, status=422)


def _permission_denied(request, exc: PermissionDenied):
    return api.create_response(request, {"detail": str(exc) or "forbidden"}, status=403)


# What a schema refuses, in Chinese (pydantic's own words are English), by the kind of error; the
# placeholders are the error's context. A kind not listed keeps pydantic's words.
SCHEMA_MESSAGES = {
    "missing": gettext_lazy("必填。"),
    "int_parsing": gettext_lazy("应为整数。"),
    "int_type": gettext_lazy("应为整数。"),
    "bool_parsing": gettext_lazy("应为 true 或 false。"),
    "decimal_parsing": gettext_lazy("应为数字。"),
    "float_parsing": gettext_lazy("应为数字。"),
    "string_type": gettext_lazy("应为文本。"),
    "string_too_long": gettext_lazy("最多 {max_length} 个字符。"),
    "string_too_short": gettext_lazy("至少 {min_length} 个字符。"),
    "greater_than_equal": gettext_lazy("不能小于 {ge}。"),
    "greater_than": gettext_lazy("应大于 {gt}。"),
    "less_than_equal": gettext_lazy("不能大于 {le}。"),
    "less_than": gettext_lazy("应小于 {lt}。"),
    "enum": gettext_lazy("应为以下之一：{expected}。"),
    "literal_error": gettext_lazy("应为以下之一：{expected}。"),
    "date_parsing": gettext_lazy("应为日期（年-月-日，如 2026-06-30）。"),
    "date_from_datetime_parsing": gettext_lazy("应为日期（年-月-日，如 2026-06-30）。"),
    "date_type": gettext_lazy("应为日期（年-月-日，如 2026-06-30）。"),
    "json_invalid": gettext_lazy("请求体不是有效的 JSON。"),
}


def _schema_message(error: dict) -> str:
    template = SCHEMA_MESSAGES.get(error.get("type", ""))
    if template is None:
        return error.get("msg", "")
    try:
        return str(template).format(**error.get("ctx", {}))
    except (KeyError, IndexError):
        return error.get("msg", "")


def _schema_error(request, exc: SchemaError):
    """422 as ninja gives it (``detail``: a list of ``loc``/``type``/``msg``), ``msg`` in Chinese."""
    detail = [{**error, "msg": _schema_message(error)} for error in exc.errors]
    return api.create_response(request, {"detail": detail}, status=422)


def _bad_request(request, exc: BadRequest):
    return api.create_response(request, {"detail": str(exc)}, status=400)


def _bad_value(request, exc: Exception):
    if isinstance(exc, pydantic.ValidationError):
        raise exc  # an answer that does not fit its schema is the server's fault
    # A value the schema let through but the database cannot hold (a number past 64 bits, text with
    # NUL): the request is at fault, not the server. Logged so a real bug behind it is still seen.
    log.warning("API %s %s refused: %r", request.method, request.get_full_path(), exc)
    return api.create_response(
        request, {"detail": _("请求中的参数值无效（超出范围或含有无效字符）。")}, status=400
    )


# What each kind of refusal answers (every API built by ``api_new`` has them).
HANDLERS = (
    (ValidationError, _validation_error),
    (PermissionDenied, _permission_denied),
    (SchemaError, _schema_error),
    (BadRequest, _bad_request),
    (ValueError, _bad_value),
    (OverflowError, _bad_value),
    (DataError, _bad_value),
)


def api_new(urls_namespace: str = "api") -> LijianAPI:
    """An API with the site's title, session authentication, permission check and error answers, and
    no router yet (``routers_mount`` adds them). The site's one is ``api``."""
    new = LijianAPI(
        title="利剑 API",
        version="1",
        description="巡视巡察工作平台接口。所有接口需登录（会话 Cookie），写操作需 CSRF 令牌；"
        "权限与网页相同：按角色和组织范围控制。",
        auth=SignedInSession(),
        docs_decorator=requires(Perm.SIGNED_IN),
        urls_namespace=urls_namespace,
    )
    new.add_decorator(permission_first, mode="view")
    for exc, handler in HANDLERS:
        new.add_exception_handler(exc, handler)
    return new


api = api_new()
ROUTERS: Registry = Registry("routers")


def register_router(prefix: str, router, *, order: int) -> None:
    """Mount ``router`` at ``/api{prefix}`` (apps call it from ``ready()``; ``routers_mount`` adds the
    routers to an API in ``order``, which is also their order in the OpenAPI document)."""
    ROUTERS.register(prefix, router, order=order)


def routers_mount(target: NinjaAPI | None = None) -> NinjaAPI:
    """Add every registered router not yet in ``target`` (default: ``api``) and return it. Call it
    before ``target.urls`` is first read: ninja takes no router afterwards."""
    target = target or api
    mounted = target.__dict__.setdefault("_lijian_mounted", set())
    for prefix, router in ROUTERS.items():
        if prefix not in mounted:
            target.add_router(prefix, router)
            mounted.add(prefix)
    return target
