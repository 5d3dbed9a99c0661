"""Bad input in a URL is answered, never ignored and never a 500.

Every query parameter of every route and API operation, and every path parameter, is fed values a
hand-edited URL or a scanner sends (a quote, ``%``, NUL, a 20-digit number, ``-1``, an impossible date,
an empty string, a very long string, non-ASCII). The rule:

- no answer is a 5xx;
- an answer of 4xx carries a message (a page with a heading, or JSON with ``detail``);
- a value that is not one the parameter can take is refused with 4xx and a message — a list filter
  too: its page answers 400 and shows the error beside the filter — never silently ignored. Only the
  parameters in ``LENIENT`` take any text (a search box, a checkbox, a return address).

Query parameters of HTML views are discovered by running each view once with a ``request.GET`` that
records the keys it reads (forms read their fields from it too), cross-checked against the keys the
views' source reads; those of API operations come from the OpenAPI schema.
"""

import json
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from lijian.accounts.choices import Role
from lijian.core.api import api
from lijian.core.permissions import Perm
from lijian.core.routes import iter_api_operations, iter_url_routes

from ..access import API_SPECS, URL_SPECS, Spec, allowed

LONG = "长" * 3000
VALUES = ["'", "%", "\x00", "9" * 20, "-1", "2026-13-45", "", LONG, "巡视巡察"]

# Parameters that accept any text, each with why; every other parameter refuses what it cannot take.
LENIENT = {
    "q": "free search text: a quote or a percent sign are things people search for",
    "next": "a return address: one that is not a safe local path is replaced by the default",
    "close_attention": "a checkbox: any value means ticked",
    "overdue": "a checkbox: any value means ticked",
    "first": "a flag a figure's link sets (one row per organisation): any value means on, like a checkbox",
    "in_pool": "a flag a figure's link sets (pool members only): any value means on, like a checkbox",
    "media": "a flag a figure's link sets (media exposures only): any value means on, like a checkbox",
    "action": "the audit log's free-text filter on the action name",
    "actor": "the audit log's free-text filter on the account name",
    "object": "the audit log's free-text filter on the object",
}

# Roles tried in this order for a route: the first that holds its permission requests it.
ROLE_ORDER = [
    Role.OFFICE_STAFF,
    Role.LIAISON,
    Role.DEPARTMENT,
    Role.ADMINISTRATOR,
    Role.LEADER,
    Role.AUDITOR,
    Role.GROUP_LEADER,
]

READ: set[str] = set()


class RecordingQueryDict(QueryDict):
    """A ``request.GET`` that notes every key a view or form reads."""

    def __getitem__(self, key):
        READ.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        READ.add(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        READ.add(key)
        return super().getlist(key, default)

    def __contains__(self, key):
        READ.add(key)
        return super().__contains__(key)


class RecordQueryReads:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.GET = RecordingQueryDict(request.META.get("QUERY_STRING", ""), encoding=request.encoding)
        return self.get_response(request)


def _source_keys() -> set[str]:
    """The ``request.GET`` keys the views' source names."""
    root = Path(__import__("lijian").__file__).parent
    found = set()
    pattern = re.compile(r"request\.GET(?:\.get|\.getlist)?\s*[\(\[]\s*[\"'](\w+)[\"']")
    for path in root.rglob("*.py"):
        found |= set(pattern.findall(path.read_text()))
    return found


@pytest.fixture
def full_world(world):
    from ..world import build_findings, build_petitions, build_rectification, build_rounds

    world.rounds = build_rounds(world)
    world.findings = build_findings(world, world.rounds)
    world.petitions = build_petitions(world, world.rounds)
    world.rect = build_rectification(world, world.rounds, world.findings)
    return world


def _user_for(world, permission):
    if permission == Perm.PUBLIC:
        return None
    for role in ROLE_ORDER:
        if allowed(role, permission):
            return world.users[role]
    raise AssertionError(f"no role holds {permission}")


def _request(client, user, method, url, params=None):
    client.logout()
    if user is not None:
        client.force_login(user)
    if method == "GET":
        return client.get(url, params or {})
    query = ("?" + "&".join(f"{k}={quote(v)}" for k, v in params.items())) if params else ""
    return client.generic(method, url + query, data="{}", content_type="application/json")


# What an error answer shows: the heading of each error page, or a list filter's errors.
ERROR_MARKS = (
    'id="bad-request-message"',  # 400
    'filter-errors"',  # a list page whose filter was refused (its id ends so)
    'id="public-error"',  # a public page's 403/404
    "页面不存在",  # 404
    "无权访问",  # 403
    "这个地址不能直接打开",  # 405
    'role="alert"',  # a fragment's error (a picker's options)
)


def _has_message(response) -> bool:
    content = response.content.decode(errors="replace")
    if response.get("Content-Type", "").startswith("application/json"):
        return '"detail"' in content
    return any(mark in content for mark in ERROR_MARKS)


def _html_routes(world):
    """(route, method, url pattern with converters, in-scope kwargs, user) for every HTML route."""
    for route in iter_url_routes():
        if route.is_api_operation:
            continue
        spec = URL_SPECS.get(route.name)
        if spec is None:  # test_routes asks for it to be added; until then reach it if it needs no object
            if "<" in route.pattern:
                continue
            spec = Spec()
        user = _user_for(world, route.permission)
        kwargs = spec.obj(world, user, True) if spec.obj else {}
        yield route, ("POST" if spec.post_only else "GET"), kwargs, user


def _discover_query_params(world, settings) -> dict[str, set[str]]:
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.core.test_bad_parameters.RecordQueryReads"]
    client = Client(raise_request_exception=False)  # a new client loads the middleware
    found = {}
    for route, method, kwargs, user in _html_routes(world):
        READ.clear()
        url = reverse(route.name, kwargs=kwargs)
        client.logout()
        if user is not None:
            client.force_login(user)
        (client.get if method == "GET" else client.post)(url + "?_probe=1")
        found[route.name] = READ - {"_probe"}
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.endswith("RecordQueryReads")]
    return found


def _path_url(pattern: str, kwargs: dict, name: str, value: str) -> str:
    """The route's URL with path parameter ``name`` replaced by ``value`` (percent-encoded)."""

    def fill(match):
        key = match.group(2)
        return quote(value, safe="") if key == name else quote(str(kwargs[key]), safe="")

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", fill, pattern)


def _fits_converter(conv: str, value: str) -> bool:
    """Whether Django's converter matches at all (else the resolver answers 404 before any view)."""
    if conv == "int":
        return value.isdigit() and value.isascii()
    if conv == "slug":
        return bool(re.fullmatch(r"[-a-zA-Z0-9_]+", value))
    return bool(value) and "/" not in value


def _judge(failures, label, param, value, response):
    status = response.status_code
    shown = repr(value if len(value) < 30 else value[:10] + "…")
    where = f"{label} {param}={shown}"
    if status >= 500:
        failures.append(f"{where}: {status}")
    elif status >= 400 and not _has_message(response):
        failures.append(f"{where}: {status} without a message {response.content[:100]!r}")
    elif status < 400 and value != "" and param not in LENIENT:
        failures.append(f"{where}: {status}, the bad value was ignored")


def fuzz(client, world, settings):
    """Send every value to every parameter; return (number of requests, failures)."""
    failures: list[str] = []
    sent = 0
    query_params = _discover_query_params(world, settings)
    missing = _source_keys() - set().union(*query_params.values())
    assert not missing, f"views read {missing} but no route was seen reading them"

    client = Client(raise_request_exception=False)
    for route, method, kwargs, user in _html_routes(world):
        url = reverse(route.name, kwargs=kwargs)
        for param in sorted(query_params[route.name]):
            for value in VALUES:
                response = _request(client, user, method, url, {param: value})
                sent += 1
                _judge(failures, f"{method} {url}", param, value, response)
        for conv, name in re.findall(r"<(?:(\w+):)?(\w+)>", route.pattern):
            for value in VALUES:
                if not _fits_converter(conv or "str", value):
                    continue
                response = _request(client, user, method, _path_url(route.pattern, kwargs, name, value))
                sent += 1
                _judge(failures, f"{method} {route.pattern}", name, value, response)

    schema = api.get_openapi_schema()
    for op in iter_api_operations():
        if (op.method, op.path) not in API_SPECS:
            continue  # test_routes asks for it to be added
        params_builder, payload, _ok = API_SPECS[(op.method, op.path)]
        user = _user_for(world, op.permission)
        path_kwargs = params_builder(world, True) if params_builder else {}
        parameters = schema["paths"]["/api" + op.path]
        parameters = parameters[op.method.lower()].get("parameters", [])
        for parameter in parameters:
            for value in VALUES:
                if parameter["in"] == "query":
                    url = "/api" + op.path.format(**path_kwargs)
                    response = _request(client, user, op.method, url, {parameter["name"]: value})
                elif parameter["in"] == "path":
                    if value == "":
                        continue
                    kwargs = {**path_kwargs, parameter["name"]: quote(value, safe="")}
                    response = _request(client, user, op.method, "/api" + op.path.format(**kwargs))
                else:
                    continue
                sent += 1
                _judge(failures, f"{op.method} /api{op.path}", parameter["name"], value, response)
    return sent, failures


def test_every_parameter_answers_bad_values_with_a_message_never_a_500(full_world, settings):
    sent, failures = fuzz(Client(raise_request_exception=False), full_world, settings)
    print(f"\n{sent} requests, {len(failures)} failures, {sum(': 5' in f for f in failures)} answered 5xx")
    assert not failures, f"{len(failures)} of {sent} requests:\n" + "\n".join(failures)


# --- the rule, case by case -------------------------------------------------------------------------


def test_an_impossible_reference_date_is_refused_not_ignored(client, world):
    client.force_login(world.users[Role.OFFICE_STAFF])
    url = reverse("analytics:body", kwargs={"pk": world.body1.pk})
    response = client.get(url, {"date": "2026-13-45"})
    assert response.status_code == 400
    message = response.content.decode().split('id="bad-request-message">')[1].split("</p>")[0]
    assert "2026-13-45" in message and "不是有效日期" in message
    assert client.get(url, {"date": "2026-06-30"}).status_code == 200


def test_a_nul_in_the_address_is_refused_before_any_view(client, world):
    client.force_login(world.users[Role.OFFICE_STAFF])
    page = client.get("/findings/problems/?q=%00")
    assert page.status_code == 400 and 'id="bad-request-message"' in page.content.decode()
    api_answer = client.get("/api/problems/?inspection=%00")
    assert api_answer.status_code == 400 and api_answer.json()["detail"]


def test_a_refused_list_filter_answers_400_and_shows_the_error_beside_the_filter(client, world):
    client.force_login(world.users[Role.OFFICE_STAFF])
    url = reverse("findings:problems")
    refused = client.get(url, {"status": "bogus"})
    assert refused.status_code == 400 and 'id="filter-errors"' in refused.content.decode()
    assert client.get(url, {"status": "open"}).status_code == 200


def test_api_refusals_name_the_parameter_in_chinese(client, world):
    client.force_login(world.users[Role.OFFICE_STAFF])
    too_big = client.get("/api/problems/", {"inspection": "9" * 20})
    assert too_big.status_code == 422
    [error] = too_big.json()["detail"]
    assert error["loc"] == ["query", "inspection"] and error["msg"].startswith("不能大于")
    bad_status = client.get("/api/clues/", {"status": "bogus"})
    assert bad_status.status_code == 422 and "应为以下之一" in bad_status.json()["detail"][0]["msg"]


def test_the_api_answers_a_value_the_database_cannot_hold_with_400(rf):
    import pydantic

    from lijian.core.api import _bad_value

    request = rf.get("/api/problems/")
    response = _bad_value(request, OverflowError("Python int too large to convert to SQLite INTEGER"))
    assert response.status_code == 400 and "无效" in json.loads(response.content)["detail"]
    with pytest.raises(pydantic.ValidationError):  # an answer not fitting its schema stays a 500
        _bad_value(request, _pydantic_error())


def _pydantic_error():
    import pydantic

    try:
        pydantic.TypeAdapter(int).validate_python("x")
    except pydantic.ValidationError as exc:
        return exc
