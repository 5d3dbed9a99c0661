"""The API checks who may call an operation before it reads the request: a user without the
operation's permission gets 403 (a visitor 401) whatever the body holds — malformed JSON, the wrong
shape, values the schema refuses — so a read-only role learns nothing of the schema's rules from a
422. Every mutating operation is found in the OpenAPI document, not listed by hand."""

import json
import re

import pytest

from lijian.accounts.choices import ROLE_PERMISSIONS, Role
from lijian.core.api import api
from lijian.core.permissions import Perm
from lijian.core.routes import iter_api_operations

MUTATING = {"post", "put", "patch", "delete"}
BODIES = [
    b"{not json",
    b"[]",
    b'{"name": 1, "start": "2026-13-45", "level": "nonsense", "code": null}',
    b"\xff\xfe garbage",
    b"",
]


def _mutating_operations() -> list[tuple[str, str, str]]:
    """(method, path, permission) of every write in the OpenAPI document."""
    permissions = {(op.method, op.path): op.permission for op in iter_api_operations()}
    found = []
    for path, operations in api.get_openapi_schema()["paths"].items():
        for method in operations:
            if method in MUTATING:
                relative = path.removeprefix("/api")
                found.append((method.upper(), path, permissions[(method.upper(), relative)]))
    assert found, "the API has write operations"
    return found


def _without(permission: str) -> list[str]:
    return [role for role in Role.values if permission not in ROLE_PERMISSIONS[role]]


def _url(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def test_every_mutating_operation_declares_a_permission_that_some_role_lacks():
    for method, path, permission in _mutating_operations():
        assert permission not in (None, Perm.PUBLIC, Perm.SIGNED_IN), (method, path)
        assert _without(permission), (method, path)


def test_a_user_without_the_permission_gets_403_whatever_the_body(client, world):
    failures = []
    for method, path, permission in _mutating_operations():
        for role in _without(permission):
            client.force_login(world.users[role])
            for body in BODIES:
                response = client.generic(method, _url(path), body, content_type="application/json")
                if response.status_code != 403 or "detail" not in response.json():
                    failures.append((role, method, path, body, response.status_code))
    assert not failures, failures


def test_the_read_only_leader_learns_no_schema_rule(client, world):
    client.force_login(world.users[Role.LEADER])
    response = client.post("/api/terms/", json.dumps({"name": ""}), content_type="application/json")
    assert response.status_code == 403
    assert "start" not in response.content.decode() and "必填" not in response.content.decode()


def test_a_visitor_gets_401_whatever_the_body(client, world):
    for method, path, _permission in _mutating_operations():
        for body in BODIES[:2]:
            response = client.generic(method, _url(path), body, content_type="application/json")
            assert response.status_code == 401, (method, path, body)


def test_a_user_with_the_permission_still_gets_the_schema_answer(client, world):
    """The check comes first, it does not replace validation: the office's bad body is a 422."""
    client.force_login(world.users[Role.OFFICE_STAFF])
    response = client.post("/api/terms/", b"{not json", content_type="application/json")
    assert response.status_code == 400 and response.json() == {"detail": "Cannot parse request body"}
    response = client.post("/api/terms/", json.dumps({"name": "x"}), content_type="application/json")
    assert response.status_code == 422


@pytest.mark.parametrize("role", [Role.LEADER, Role.AUDITOR, Role.GROUP_MEMBER])
def test_reads_still_answer_roles_that_hold_them(client, world, role):
    client.force_login(world.users[role])
    permission = next(
        op.permission for op in iter_api_operations() if op.path == "/orgs/" and op.method == "GET"
    )
    expected = 200 if permission in ROLE_PERMISSIONS[role] else 403
    assert client.get("/api/orgs/").status_code == expected
