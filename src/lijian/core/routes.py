"""Walk every URL pattern and API operation with the permission each declares.

Used by a system check (``lijian check`` fails on an undeclared route) and by the route/role tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

from .api import api, routers_mount


@dataclass(frozen=True)
class Route:
    pattern: str
    name: str  # "namespace:name"
    permission: str | None
    is_api_operation: bool = False


def _is_ninja_operation(callback) -> bool:
    return getattr(callback, "__qualname__", "").startswith("PathView.get_view")


def iter_url_routes(patterns=None, prefix: str = "", namespace: str = "") -> Iterator[Route]:
    """Every URL pattern, with the permission its view declares (``None`` when it declares none)."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = ":".join(filter(None, [namespace, entry.namespace]))
            yield from iter_url_routes(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            callback = entry.callback
            view_class = getattr(callback, "view_class", None)
            permission = getattr(callback, "lijian_permission", None) or getattr(
                view_class, "permission", None
            )
            yield Route(
                pattern=prefix + str(entry.pattern),
                name=":".join(filter(None, [namespace, entry.name or ""])),
                permission=permission,
                is_api_operation=_is_ninja_operation(callback),
            )


@dataclass(frozen=True)
class ApiOperation:
    method: str
    path: str  # e.g. "/orgs/{org_id}"
    function: str
    permission: str | None


def iter_api_operations(target=None) -> Iterator[ApiOperation]:
    """Every operation of ``target`` (default: the site's API, with the routers the apps registered)
    with the permission it declares."""
    for bound in (target or routers_mount(api))._get_bound_routers():
        for path, path_view in bound.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    yield ApiOperation(
                        method=method,
                        path=(bound.prefix + path).replace("//", "/"),
                        function=operation.view_func.__name__,
                        permission=getattr(operation.view_func, "lijian_permission", None),
                    )


def undeclared_routes(patterns=None, api=None) -> list[str]:
    """Routes and API operations that declare no permission (each should be empty)."""
    missing = [
        f"URL {r.pattern} ({r.name})"
        for r in iter_url_routes(patterns)
        if not r.is_api_operation and r.permission is None
    ]
    missing += [
        f"API {op.method} {op.path} ({op.function})"
        for op in iter_api_operations(api)
        if op.permission is None
    ]
    return missing
