"""The client's address: X-Forwarded-For is believed only from a configured trusted proxy, read from the
right past our own proxies, so a client cannot name itself; the login lockout asks the same function."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory

from lijian import settings as lijian_settings
from lijian.core.client import client_address, client_network

PROXY = "10.0.0.1"


def _request(peer, forwarded=None):
    extra = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_peer_is_the_client_whatever_the_header_says(settings):
    settings.TRUSTED_PROXIES = []
    assert client_address(_request("198.51.100.7", "1.2.3.4")) == "198.51.100.7"
    assert client_address(_request(PROXY, "1.2.3.4")) == PROXY


def test_behind_a_trusted_proxy_the_right_most_untrusted_hop_is_the_client(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_address(_request(PROXY, "203.0.113.5")) == "203.0.113.5"
    # Whatever the client wrote itself is further left and never read.
    assert client_address(_request(PROXY, "1.1.1.1, 203.0.113.5")) == "203.0.113.5"
    # A chain of our own proxies is walked past.
    assert client_address(_request(PROXY, "1.1.1.1, 203.0.113.5, 10.0.0.9")) == "203.0.113.5"
    # A peer that is not our proxy is the client, even when it sends the header.
    assert client_address(_request("198.51.100.7", "203.0.113.5")) == "198.51.100.7"


def test_odd_hops_ports_and_ipv6_are_read_or_stop_at_our_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "fd00::/8"]
    assert client_address(_request(PROXY, "203.0.113.5:51234")) == "203.0.113.5"
    assert client_address(_request(PROXY, "[2001:db8::7]:443")) == "2001:db8::7"
    assert client_address(_request("fd00::1", "2001:db8::7")) == "2001:db8::7"
    assert client_address(_request("::ffff:10.0.0.1", "203.0.113.5")) == "203.0.113.5"
    for junk in ("unknown", "", " , ", "x" * 5000, "<script>", "1.2.3.4.5"):
        assert client_address(_request(PROXY, junk)) == PROXY
    assert client_address(_request(PROXY, "10.0.0.7, 10.0.0.8")) == "10.0.0.7"
    assert client_address(RequestFactory().get("/", REMOTE_ADDR="")) == ""


def test_an_ipv6_client_is_counted_by_its_64_network():
    assert (
        client_network("2001:db8:1:2:aaaa::1")
        == client_network("2001:db8:1:2:bbbb::9")
        == "2001:db8:1:2::/64"
    )
    assert client_network("2001:db8:1:3::1") != client_network("2001:db8:1:2::1")
    assert client_network("203.0.113.5") == "203.0.113.5"


def test_a_malformed_trusted_proxy_list_stops_the_start(monkeypatch):
    monkeypatch.setenv("LIJIAN_TRUSTED_PROXIES", "10.0.0.0/8, not-a-network")
    with pytest.raises(ImproperlyConfigured, match="LIJIAN_TRUSTED_PROXIES"):
        lijian_settings._trusted_proxies()
    monkeypatch.setenv("LIJIAN_TRUSTED_PROXIES", "10.0.0.0/8, 2001:db8::1")
    assert [str(n) for n in lijian_settings._trusted_proxies()] == ["10.0.0.0/8", "2001:db8::1/128"]


def test_the_login_lockout_counts_the_same_client(settings):
    from axes.helpers import get_client_ip_address

    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert get_client_ip_address(_request(PROXY, "1.1.1.1, 203.0.113.5")) == "203.0.113.5"
    settings.TRUSTED_PROXIES = []
    assert get_client_ip_address(_request(PROXY, "203.0.113.5")) == PROXY


def test_a_login_lockout_behind_the_proxy_locks_the_guesser_not_the_account_holder(client, world, settings):
    from django.urls import reverse

    from ..world import PASSWORD

    login = reverse("accounts:login")
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    guesser = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.5"}
    for _ in range(5):
        client.post(login, {"username": "u-leader", "password": "wrong-password-1"}, **guesser)
    locked = client.post(login, {"username": "u-leader", "password": PASSWORD}, **guesser)
    assert locked.status_code == 429 and "临时锁定" in locked.content.decode()
    holder = client.post(
        login,
        {"username": "u-leader", "password": PASSWORD},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="198.51.100.8",
    )
    assert holder.status_code != 429 and "临时锁定" not in holder.content.decode()
    # From an untrusted peer the header is ignored: a new X-Forwarded-For does not lift the lock.
    settings.TRUSTED_PROXIES = []
    client = Client()  # the account holder above is signed in now
    for n in range(5):
        client.post(
            login,
            {"username": "u-office_staff", "password": "wrong-password-1"},
            REMOTE_ADDR="198.51.100.9",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        )
    spoofed = client.post(
        login,
        {"username": "u-office_staff", "password": PASSWORD},
        REMOTE_ADDR="198.51.100.9",
        HTTP_X_FORWARDED_FOR="203.0.113.99",
    )
    assert spoofed.status_code == 429


def test_the_deployment_check_warns_of_a_proxy_without_trusted_proxies(settings):
    from lijian.core.checks import a_reverse_proxy_names_its_clients

    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.TRUSTED_PROXIES = []
    assert [w.id for w in a_reverse_proxy_names_its_clients(None)] == ["lijian.W001"]
    settings.TRUSTED_PROXIES = ["127.0.0.1/32"]
    assert a_reverse_proxy_names_its_clients(None) == []
