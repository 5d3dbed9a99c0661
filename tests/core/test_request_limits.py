"""Requests refused before any view runs: a body larger than the site takes (413, decided from the
Content-Length header without reading the body) and the TRACE / TRACK methods (405, everywhere)."""

import pytest
from django.urls import reverse

from lijian.accounts.choices import Role
from lijian.documents.models import Attachment

from ..world import build_findings, build_rounds

HUNDRED_MB = 100 * 1024 * 1024


@pytest.fixture
def f(world):
    world.rounds = build_rounds(world)
    world.findings = build_findings(world, world.rounds)
    return world


def _claiming(client, method: str, path: str, length: int, **extra):
    """A request that declares ``length`` bytes but carries 16: reading the body would fail the test
    (the test client refuses to read past what was sent), so a 413 proves it was never read."""
    return client.generic(
        method,
        path,
        b"x" * 16,
        content_type="multipart/form-data; boundary=lijian",
        CONTENT_LENGTH=str(length),
        **extra,
    )


def test_a_100_mb_upload_is_refused_before_its_body_is_read(client, f):
    client.force_login(f.admin)
    before = Attachment.objects.count()
    url = reverse("findings:attach", args=["clue", f.findings.clue1.pk])
    response = _claiming(client, "POST", url, HUNDRED_MB)
    assert response.status_code == 413
    page = response.content.decode()
    assert "提交的内容过大" in page and "20 MB" in page and 'id="too-large-message"' in page
    assert "Content-Security-Policy" in response.headers  # the page still carries the security headers
    assert Attachment.objects.count() == before


def test_the_limit_follows_the_attachment_setting(client, f, settings):
    settings.ATTACHMENT_MAX_BYTES = 2 * 1024 * 1024
    client.force_login(f.admin)
    url = reverse("findings:attach", args=["clue", f.findings.clue1.pk])
    response = _claiming(client, "POST", url, 4 * 1024 * 1024)
    assert response.status_code == 413 and "2 MB" in response.content.decode()


def test_the_api_answers_413_in_json(client, f):
    client.force_login(f.admin)
    response = _claiming(client, "POST", "/api/bodies/", HUNDRED_MB)
    assert response.status_code == 413
    assert "过大" in response.json()["detail"]


def test_anonymous_and_public_requests_are_capped_too(client, f):
    token_url = reverse("public_report", args=[f"{f.rounds.inspection1.pk}-x"])
    response = _claiming(client, "POST", token_url, HUNDRED_MB)
    assert response.status_code == 413
    assert "返回首页" not in response.content.decode()  # the public are not sent into the office's site
    login = _claiming(client, "POST", reverse("accounts:login"), HUNDRED_MB)
    assert login.status_code == 413


def test_the_ledger_import_takes_a_bundle_up_to_its_own_limit(client, f, settings):
    """The ledger bundle has its own, larger limit; past it the import is refused the same way."""
    settings.LEDGER_UPLOAD_MAX_BYTES = 150 * 1024 * 1024
    client.force_login(f.admin)
    url = reverse("documents:ledger_upload")
    assert _claiming(client, "POST", url, 200 * 1024 * 1024).status_code == 413
    # A bundle within the limit goes on to the form (which reads the body): send it for real.
    response = client.post(url, {"bundle": ""})
    assert response.status_code != 413


def test_an_ordinary_form_is_not_affected(client, f):
    client.force_login(f.admin)
    url = reverse("findings:attach", args=["clue", f.findings.clue1.pk])
    response = client.post(url, {"description": "说明"})
    assert response.status_code == 302


@pytest.mark.parametrize("method", ["TRACE", "TRACK", "PROPFIND", "CONNECT"])
@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/orgs/", "/public/status/"])
def test_trace_and_unknown_methods_are_refused_on_pages(client, world, method, path):
    client.force_login(world.users[Role.OFFICE_STAFF])
    response = client.generic(method, path)
    assert response.status_code == 405
    assert "TRACE" not in response.headers["Allow"] and "GET" in response.headers["Allow"]
    assert "这个地址不能直接打开" in response.content.decode()


@pytest.mark.parametrize("method", ["TRACE", "TRACK"])
def test_trace_is_refused_on_the_api(client, world, method):
    client.force_login(world.users[Role.OFFICE_STAFF])
    response = client.generic(method, "/api/bodies/")
    assert response.status_code == 405 and response.json()["detail"]


def test_trace_is_refused_when_signed_out(client, world):
    assert client.generic("TRACE", "/").status_code == 405
    assert client.generic("TRACE", "/api/bodies/").status_code == 405
