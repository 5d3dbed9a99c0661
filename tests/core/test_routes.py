"""Every route and API operation declares a permission, and answers each role as the role table says:
in scope → the page; without the permission → 403; an object outside the role's subtree → 404.

The access sweep: every URL pattern and API operation (a new one fails the coverage test until it has
an entry in tests/access.py) × the 9 roles (anonymous and the 8 roles) × in and out of scope, each with exactly
one expected answer. Actions are posted with an empty body: access is weighed before the input is
read, so a refused role gets 403 whatever it posts (tests/core/test_post_access_first.py walks each
refusal with an empty and a malformed body)."""

import datetime
import re

import pytest
from django.http import HttpResponse
from django.urls import path, reverse

from lijian.accounts.choices import Role
from lijian.core.permissions import Perm, api_requires, requires
from lijian.core.routes import iter_api_operations, iter_url_routes, undeclared_routes

from ..access import API_SPECS, URL_SPECS, counter, expected_api_answer, expected_url_answer


def test_every_route_declares_a_permission():
    assert undeclared_routes() == []


def test_the_check_catches_a_route_without_a_declared_permission():
    def naked(request):
        return HttpResponse("ok")

    @requires(Perm.SIGNED_IN)
    def dressed(request):
        return HttpResponse("ok")

    patterns = [path("naked/", naked, name="naked"), path("dressed/", dressed, name="dressed")]
    assert undeclared_routes(patterns) == ["URL naked/ (naked)"]


def test_the_check_catches_an_api_operation_without_a_declared_permission():
    from ninja import NinjaAPI, Router

    router = Router()

    @router.get("/naked")
    def naked(request):
        return {}

    @router.get("/dressed")
    @api_requires(Perm.ORG_VIEW)
    def dressed(request):
        return {}

    api = NinjaAPI(urls_namespace="probe")
    api.add_router("/probe", router)
    assert undeclared_routes(patterns=[], api=api) == ["API GET /probe/naked (naked)"]


def test_the_system_check_reports_undeclared_routes(monkeypatch):
    from lijian.core import checks, routes

    monkeypatch.setattr(routes, "undeclared_routes", lambda: ["URL naked/ (naked)"])
    errors = checks.every_route_declares_a_permission(None)
    assert [e.id for e in errors] == ["lijian.E001"]


def test_the_harness_covers_every_route_and_operation():
    names = {r.name for r in iter_url_routes() if not r.is_api_operation}
    assert names == set(URL_SPECS), "add the new route to URL_SPECS with how to reach it in and out of scope"
    ops = {(op.method, op.path) for op in iter_api_operations()}
    assert ops == set(API_SPECS), "add the new API operation to API_SPECS"
    # Every object URL is tried in and out of scope: a route with a parameter says how to build both.
    routes = [r for r in iter_url_routes() if not r.is_api_operation]
    unbuilt = [r.name for r in routes if "<" in r.pattern and not URL_SPECS[r.name].obj]
    assert unbuilt == [], "give these routes an obj builder (inside and outside the role's scope)"
    unbuilt = [f"{m} {p}" for (m, p), (params, _b, _ok) in API_SPECS.items() if "{" in p and not params]
    assert unbuilt == [], "give these API operations a path-parameter builder"


def _check_urls(client, world, user, role):
    failures = []
    for route in iter_url_routes():
        if route.is_api_operation:
            continue
        spec = URL_SPECS[route.name]
        for inside in (True, False) if spec.obj and spec.scoped else (True,):
            kwargs = spec.obj(world, user, inside) if spec.obj else {}
            url = reverse(route.name, kwargs=kwargs)
            method = "POST" if spec.post_only else "GET"
            if user is not None:
                client.force_login(user)  # a POST to the logout route ends the session
            if spec.post_only:
                response = client.post(url, spec.data(world) if spec.data else {})
            else:
                response = client.get(url)
            status = response.status_code
            shown = _shown_outside(response, route.name) if inside and status == 200 else set()
            if shown and role not in (None, Role.ADMINISTRATOR):
                failures.append(f"{role} {method} {url}: shows the other district's {sorted(shown)}")
            expected = expected_url_answer(route, spec, role, inside)
            if status != expected:
                failures.append(
                    f"{role or 'anonymous'} {method} {url} ({'in' if inside else 'out of'} scope): "
                    f"{status}, expected {expected}"
                )
    return failures


OUTSIDE = "OUTSIDE-SCOPE"
OUTSIDE_MARK = re.compile(OUTSIDE + r"-\d+")
MARKED: dict[str, str] = {}  # the mark -> "app.Model.field" it was written into
# What a page may show of another district, on purpose.
OUTSIDE_SHOWN = {
    # A petition can be received jointly with any inspection body: the list names them all.
    "petitions:create": {"orgs.InspectionBody.name"},
}


def _mark_the_other_district(world) -> int:
    """Write ``OUTSIDE`` and a number into every free-text field of the other district's (河西's)
    records, so a page or API answer in 和平's scope that shows any of them is caught; returns how
    many fields were marked."""
    from django.db import models

    others = [world.d2, world.t2, world.v2, world.body2, world.term2, world.outsider, world.rect.liaison2]
    for part in (world.rounds, world.findings, world.petitions, world.rect):
        others += [v for k, v in vars(part).items() if k.endswith("2") and isinstance(v, models.Model)]
    internal = {"password", "path", "stored_name", "owner_type", "sha256", "key", "receipt_hash"}
    marked = 0
    for obj in others:
        changes = {}
        for f in obj._meta.concrete_fields:
            if not isinstance(f, models.CharField | models.TextField) or f.choices or f.name in internal:
                continue
            value = f"{OUTSIDE}-{next(counter)}"
            if f.max_length is None or len(value) <= f.max_length:
                changes[f.name] = value
                MARKED[value] = f"{obj._meta.label}.{f.name}"
        type(obj).objects.filter(pk=obj.pk).update(**changes)
        marked += len(changes)
    return marked


def _shown_outside(response, route_name: str = "") -> set[str]:
    """The other district's fields the answer shows, beyond what the route shows on purpose. Pages and
    JSON only: a file download (a stored attachment, a generated document) is checked by its own
    tests."""
    if response.streaming:
        return set()
    shown = {MARKED.get(m, m) for m in OUTSIDE_MARK.findall(response.content.decode(errors="replace"))}
    return shown - OUTSIDE_SHOWN.get(route_name, set())


def _check_api(client, world, role):
    failures = []
    for op in iter_api_operations():
        params, payload, ok = API_SPECS[(op.method, op.path)]
        for inside in (True, False) if (params or payload) else (True,):
            url = "/api" + op.path.format(**(params(world, inside) if params else {}))
            body = payload(world, inside) if payload else None
            response = client.generic(
                op.method,
                url,
                data=None if body is None else __import__("json").dumps(body),
                content_type="application/json",
            )
            shown = _shown_outside(response) if inside and response.status_code == 200 else set()
            if shown and role != Role.ADMINISTRATOR:
                failures.append(f"{role} {op.method} {url}: shows the other district's {sorted(shown)}")
            expected = expected_api_answer(op, ok, role, inside)
            if response.status_code != expected:
                failures.append(
                    f"{role or 'anonymous'} {op.method} {url} ({'in' if inside else 'out of'} scope): "
                    f"{response.status_code} {response.content[:120]!r}, expected {expected}"
                )
    return failures


@pytest.mark.parametrize("role", [None, *Role.values])
def test_each_route_answers_each_role_in_and_out_of_scope(client, world, role):
    from ..world import build_findings, build_petitions, build_rectification, build_rounds

    world.rounds = build_rounds(world)
    world.findings = build_findings(world, world.rounds)
    world.petitions = build_petitions(world, world.rounds)
    world.rect = build_rectification(world, world.rounds, world.findings)
    assert _mark_the_other_district(world) > 50
    user = world.users[role] if role else None
    if user:
        client.force_login(user)
    failures = _check_urls(client, world, user, role) + _check_api(client, world, role)
    assert not failures, "\n".join(failures)


def test_a_global_administrator_reaches_objects_in_every_district(client, world):
    client.force_login(world.admin)
    for org in (world.t1, world.t2):
        assert client.get(reverse("orgs:detail", kwargs={"pk": org.pk})).status_code == 200
    assert client.get(f"/api/orgs/{world.t2.pk}").status_code == 200


def test_guessing_ids_of_missing_objects_gives_404_not_500(client, world):
    client.force_login(world.users[Role.OFFICE_STAFF])
    assert client.get(reverse("orgs:detail", kwargs={"pk": 999999})).status_code == 404
    assert client.get("/api/orgs/999999").status_code == 404
    assert client.get("/api/bodies/999999").status_code == 404
    assert (
        client.patch("/api/terms/999999", data={"name": "x"}, content_type="application/json").status_code
        == 404
    )


def test_term_dates_in_api_payloads_are_checked(client, world):
    client.force_login(world.users[Role.OFFICE_STAFF])
    start = datetime.date(2040, 1, 1)
    response = client.post(
        "/api/terms/",
        data={"body_id": world.body1.pk, "name": "倒置", "start": str(start), "end": "2039-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 422
