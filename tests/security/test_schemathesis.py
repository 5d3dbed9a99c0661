"""The API fuzzed from its own OpenAPI document (schemathesis) as each role: whatever the request —
valid by the schema or not, for a real record in scope or any id at all — the answer is never a
server error and never breaks the schema it documents.

Requests go through the real WSGI application (session cookie, CSRF token, every middleware) inside
the test's transaction, on the test world with rounds, findings, petitions and rectification. CI
runs a few examples per operation and mode; ``make bench`` (bench/fuzz.py) runs the full size.
"""

from __future__ import annotations

import contextlib
import os
import secrets

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from lijian.accounts.choices import Role

EXAMPLES = int(os.environ.get("LIJIAN_FUZZ_EXAMPLES", "2"))  # per operation, role and mode
RANDOM = os.environ.get("LIJIAN_FUZZ_RANDOM") == "1"  # bench: new examples each run; CI: the same ones


def _real_ids(world) -> dict[str, int]:
    """Path parameters that name records inside the roles' scope, so operations get past the 404."""
    return {
        "org_id": world.t1.pk,
        "body_id": world.body1.pk,
        "term_id": world.term1.pk,
        "problem_id": world.findings.problem1.pk,
        "clue_id": world.findings.clue1.pk,
        "petition_id": world.petitions.petition1.pk,
        "inspection_id": world.rect.inspection1.pk,
        "task_id": world.rect.task1.pk,
    }


def _permitted(role: str | None) -> set[tuple[str, str]]:
    """(method, path under /api) of the operations ``role`` holds the permission for."""
    from lijian.accounts.choices import ROLE_PERMISSIONS
    from lijian.core.permissions import Perm
    from lijian.core.routes import iter_api_operations

    held = set(ROLE_PERMISSIONS.get(role, ())) if role else None
    return {
        (op.method, "/api" + op.path)
        for op in iter_api_operations()
        if held is None or op.permission in (Perm.PUBLIC, Perm.SIGNED_IN) or op.permission in held
    }


@contextlib.contextmanager
def _connection_kept_open():
    """The WSGI application closes the database connection after each request; the test client
    does not (it would end the test's transaction), and neither may the fuzzer."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def fuzz_api(user, role: str | None, world, examples: int, randomize: bool = False) -> dict[str, int]:
    """Fuzz every API operation as ``user`` (``role``: None for an administrator of everything);
    failures raise. An operation the role may not use at all gets one request (its 403 is the
    route harness's business); the others get ``examples`` per mode. Returns what was sent."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    csrf = secrets.token_hex(16)
    cookies = {"sessionid": client.cookies["sessionid"].value, "csrftoken": csrf}
    document = client.get("/api/openapi.json")
    assert document.status_code == 200, document.status_code
    schema = schemathesis.openapi.from_dict(document.json())
    schema.app = get_wsgi_application()  # requests go through every middleware, in this test's transaction
    permitted = _permitted(role)
    real = _real_ids(world)
    counts = {"operations": 0, "requests": 0}
    for result in schema.get_all_operations():
        operation = result.ok()
        counts["operations"] += 1
        allowed = (operation.method.upper(), operation.path) in permitted
        names = {p.name for p in operation.path_parameters}
        strategies = [operation.as_strategy(generation_mode=GenerationMode.POSITIVE)]
        if allowed:
            strategies.append(operation.as_strategy(generation_mode=GenerationMode.NEGATIVE))
            if names:
                real_ids = {n: real[n] for n in names if n in real}
                strategies.append(
                    operation.as_strategy(generation_mode=GenerationMode.POSITIVE, path_parameters=real_ids)
                )
        for strategy in strategies:

            @given(case=strategy)
            @settings(
                max_examples=examples if allowed else 1,
                deadline=None,
                database=None,
                derandomize=not randomize,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            def send(case):
                response = case.call(headers={"X-CSRFToken": csrf}, cookies=cookies)
                counts["requests"] += 1
                case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])

            with _connection_kept_open():
                send()
    return counts


def build_fuzz_world(world):
    """The test world with a round, findings, petitions and rectification for the ids to name."""
    from ..world import build_findings, build_petitions, build_rectification, build_rounds

    world.rounds = build_rounds(world)
    world.findings = build_findings(world, world.rounds)
    world.petitions = build_petitions(world, world.rounds)
    world.rect = build_rectification(world, world.rounds, world.findings)
    return world


@pytest.mark.long  # a minute or more: started first, beside the rest of the suite
def test_the_api_fuzzed_from_its_openapi_document_never_fails_or_breaks_its_schema(world):
    build_fuzz_world(world)
    roles = [*Role.values, "admin"]
    totals = {"requests": 0}
    for role in roles:
        user = world.admin if role == "admin" else world.users[role]
        counts = fuzz_api(user, None if role == "admin" else role, world, EXAMPLES, randomize=RANDOM)
        assert counts["operations"] >= 20 and counts["requests"] >= counts["operations"]
        totals["requests"] += counts["requests"]
        totals["operations"] = counts["operations"]
    print(
        f"\nschemathesis: {totals['requests']} requests over {totals['operations']} operations "
        f"as {len(roles)} roles, none failed or broke the schema"
    )
