"""The access sweep of tests/core/test_routes.py for the guidance routes alone: every guidance page,
action and API operation × every role × in and out of scope, with the one answer tests/access.py
gives (quick to run while working on guidance; the full sweep walks them with every other route)."""

import json

import pytest
from django.db import models
from django.urls import reverse

from lijian.accounts.choices import Role
from lijian.core.routes import iter_api_operations, iter_url_routes

from ..access import API_SPECS, URL_SPECS, expected_api_answer, expected_url_answer
from ..world_guidance import build_guidance


def _guidance_routes():
    return [r for r in iter_url_routes() if not r.is_api_operation and r.name.startswith("guidance:")]


def _guidance_operations():
    return [op for op in iter_api_operations() if op.path.startswith("/guidance/")]


def test_every_guidance_route_and_operation_has_a_spec():
    assert {r.name for r in _guidance_routes()} <= set(URL_SPECS)
    assert {(op.method, op.path) for op in _guidance_operations()} <= set(API_SPECS)
    assert len(_guidance_routes()) == 16 and len(_guidance_operations()) == 8


OUTSIDE = "OUTSIDE-SCOPE"


def _mark_the_other_district(g) -> None:
    """Write ``OUTSIDE`` into every free-text field of 河西's guidance records (and their committee's
    and body's names), so an answer in 和平's scope that shows any of them is caught."""
    others = [v for k, v in vars(g).items() if k.endswith("2") and isinstance(v, models.Model)]
    others += [g.lower2.owner_org, *g.review2.rounds.all(), *g.self_inspection2.items.all()]
    others += list(g.assessment2.scores.all())
    for obj in others:
        changes = {
            f.name: f"{OUTSIDE}-{n}"
            for n, f in enumerate(obj._meta.concrete_fields)
            if isinstance(f, models.CharField | models.TextField)
            and not f.choices
            and f.name not in {"path", "code", "stored_name", "owner_type", "sha256", "kind", "password"}
            and (f.max_length is None or f.max_length >= 20)
        }
        type(obj).objects.filter(pk=obj.pk).update(**changes)


@pytest.mark.parametrize("role", [None, *Role.values])
def test_each_guidance_route_answers_each_role(client, world, role):
    _mark_the_other_district(build_guidance(world))
    user = world.users[role] if role else None
    failures = []
    for route in _guidance_routes():
        spec = URL_SPECS[route.name]
        for inside in (True, False) if spec.obj and spec.scoped else (True,):
            url = reverse(route.name, kwargs=spec.obj(world, user, inside) if spec.obj else {})
            if user is not None:
                client.force_login(user)
            response = client.post(url, {}) if spec.post_only else client.get(url)
            shown = not response.streaming and OUTSIDE in response.content.decode(errors="replace")
            if shown and role not in (None, Role.ADMINISTRATOR):
                failures.append(f"{role} {url}: shows 河西's guidance")
            expected = expected_url_answer(route, spec, role, inside)
            if response.status_code != expected:
                failures.append(f"{role} {url} ({inside=}): {response.status_code}, expected {expected}")
    for op in _guidance_operations():
        params, payload, ok = API_SPECS[(op.method, op.path)]
        for inside in (True, False) if (params or payload) else (True,):
            url = "/api" + op.path.format(**(params(world, inside) if params else {}))
            body = payload(world, inside) if payload else None
            data = None if body is None else json.dumps(body)
            response = client.generic(op.method, url, data=data, content_type="application/json")
            if inside and OUTSIDE in response.content.decode(errors="replace") and role != Role.ADMINISTRATOR:
                failures.append(f"{role} {op.method} {url}: shows 河西's guidance")
            expected = expected_api_answer(op, ok, role, inside)
            if response.status_code != expected:
                failures.append(
                    f"{role} {op.method} {url} ({inside=}): {response.status_code}, expected {expected}"
                )
    assert not failures, "\n".join(failures)


def test_the_marks_are_there_to_be_seen_by_whoever_may_see_them(client, world):
    g = build_guidance(world)
    _mark_the_other_district(g)
    client.force_login(world.admin)  # the system's administrator sees both districts
    for url in (
        g.review2.get_absolute_url(),
        g.self_inspection2.get_absolute_url(),
        g.assessment2.get_absolute_url(),
    ):
        assert OUTSIDE in client.get(url).content.decode()
