"""Return addresses (``next``) never leave the site nor run script.

Every ``next`` a page or action takes from a request goes through ``core.params.safe_next``; each
hostile variant — a script URL, another host with or without a scheme, a backslash trick, one hidden
by percent-encoding or by a control character — falls back to the page's own default, both where it is
rendered into a link and where it is followed by a redirect."""

import html
import re

import pytest
from django.test import RequestFactory
from django.urls import reverse

from lijian.accounts.choices import Role
from lijian.core.messages import message_send
from lijian.core.params import safe_next

from ..world import PASSWORD

HOSTILE = [
    "javascript:alert(1)",
    "JavaScript:alert(document.cookie)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "//evil.example/x",
    "///evil.example/x",
    "https://evil.example/x",
    "http://testserver@evil.example/x",
    "/\\evil.example/x",
    "\\\\evil.example/x",
    "/\t/evil.example/x",
    "%2F%2Fevil.example%2Fx",
    "/%2F/evil.example/x",
    "/%5Cevil.example/x",
    "https:evil.example",
    "evil.example/x",
]


@pytest.mark.parametrize("target", HOSTILE)
def test_a_hostile_next_falls_back_to_the_default(target):
    request = RequestFactory().get("/")
    assert safe_next(request, target, default="/home/") == "/home/"


@pytest.mark.parametrize(
    "target", ["/petitions/", "/findings/problems/?page=2&q=%E5%B7%A1", "/orgs/#top", "/巡视/"]
)
def test_a_local_path_is_kept(target):
    assert safe_next(RequestFactory().get("/"), target, default="/home/") == target


def test_an_absolute_url_of_this_site_is_refused_too():
    """Only paths are kept: a full URL, even of this host, is not needed by any page."""
    request = RequestFactory().get("/", secure=True)
    assert safe_next(request, "https://testserver/orgs/", default="/") == "/"
    assert safe_next(request, "http://testserver/orgs/", default="/") == "/"


def _links(page) -> list[str]:
    """Every address the page links to (the language form carries the page's own path instead)."""
    return [html.unescape(url) for url in re.findall(r'href="([^"]*)"', page.content.decode())]


@pytest.mark.parametrize("target", HOSTILE)
def test_the_petition_form_cancel_link_stays_on_the_site(client, world, target):
    client.force_login(world.users[Role.OFFICE_STAFF])
    page = client.get(reverse("petitions:create"), {"next": target})
    assert page.status_code == 200
    links = _links(page)
    assert not [link for link in links if "evil.example" in link or ":" in link]
    assert reverse("petitions:list") in links


def test_the_petition_form_cancel_link_keeps_a_local_next(client, world):
    client.force_login(world.users[Role.OFFICE_STAFF])
    page = client.get(reverse("petitions:create"), {"next": "/findings/problems/"})
    assert "/findings/problems/" in _links(page)


@pytest.mark.parametrize("target", HOSTILE)
def test_the_login_page_neither_renders_nor_follows_a_hostile_next(client, world, target):
    login = reverse("accounts:login")
    page = client.get(login, {"next": target})
    assert re.search(r'<input type="hidden" name="next" value="">', page.content.decode())
    response = client.post(
        login + "?" + f"next={target}", {"username": "u-group_member", "password": PASSWORD, "next": target}
    )
    assert response.status_code == 302 and response["Location"] == reverse("core:home")


def test_the_login_follows_a_local_next(client, world):
    login = reverse("accounts:login")
    response = client.post(login, {"username": "u-group_member", "password": PASSWORD, "next": "/orgs/"})
    assert response.status_code == 302 and response["Location"] == "/orgs/"


@pytest.mark.parametrize("target", HOSTILE)
def test_marking_a_notice_read_never_redirects_off_site(client, world, target):
    user = world.users[Role.LIAISON]
    notice = message_send(recipient=user, key="k", text="一条消息", url="/orgs/")
    client.force_login(user)
    response = client.post(reverse("core:messages_read"), {"notice": notice.pk, "next": target})
    assert response.status_code == 302 and response["Location"] == reverse("core:messages")


@pytest.mark.parametrize("target", HOSTILE)
def test_the_language_switch_never_redirects_off_site(client, world, target):
    response = client.post(
        reverse("core:set_language"),
        {"language": "en", "next": target},
        HTTP_REFERER="https://evil.example/r",
    )
    assert response.status_code == 302 and response["Location"] == reverse("core:home")


def test_the_language_switch_returns_to_the_page(client, world):
    response = client.post(reverse("core:set_language"), {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
