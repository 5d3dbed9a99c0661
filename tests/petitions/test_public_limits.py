"""The public channel's limits behind the reverse proxy: each citizen has their own allowance, a forged
X-Forwarded-For escapes nothing, and guessing receipt codes is locked per client, per receipt and for
everyone, each lock in a row twice as long — with a plain Chinese answer, never a 500."""

import datetime
import re
import threading

import pytest
from django.urls import reverse

from lijian.petitions import public_limits, services
from lijian.petitions.models import Petition, PublicCounter

from ..world import build_findings, build_rounds

PROXY = "10.0.0.1"
SUMMARY = "反映社区干部优亲厚友，低保评定不公开。"


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]


@pytest.fixture
def inspection(world):
    rounds = build_rounds(world)
    build_findings(world, rounds)
    return rounds.inspection1


@pytest.fixture
def clock(monkeypatch):
    """The limits' clock, moved by hand."""
    now = [public_limits._now()]
    monkeypatch.setattr(public_limits, "_now", lambda: now[0])

    class Clock:
        def advance(self, **delta):
            now[0] += datetime.timedelta(**delta)

    return Clock()


def _via_proxy(citizen):
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": citizen}


def _minutes(page: str) -> int:
    match = re.search(r"查询过于频繁，请于(\d+)分钟后再试", page)
    assert match, "no back-off message on the page"
    return int(match.group(1))


def _look(client, code, **meta):
    response = client.post(reverse("public_status"), {"code": code}, **meta)
    assert response.status_code in (200, 429)
    return response


def _guess(prefix: str, n: int) -> str:
    """A well-formed code that is (almost surely) nobody's, starting with ``prefix``."""
    tail = f"{n:012d}".translate(str.maketrans("0123456789", "23456789AB"))
    return f"{prefix}-{tail[:4]}-{tail[4:8]}-{tail[8:]}"


def _file(inspection) -> str:
    return services.petition_file_public(inspection=inspection, summary=SUMMARY)[1]


# --- filing ---------------------------------------------------------------------------------------


def test_one_citizen_using_up_filings_behind_the_proxy_leaves_the_next_one_free(
    inspection, client, behind_proxy
):
    from lijian.petitions.views import qr_token

    url = reverse("public_report", kwargs={"token": qr_token(inspection)})
    for _ in range(5):
        assert client.post(url, {"summary": SUMMARY}, **_via_proxy("203.0.113.5")).status_code == 200
    refused = client.post(url, {"summary": SUMMARY}, **_via_proxy("203.0.113.5"))
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 3000
    assert re.search(r"提交过于频繁，请于(5[0-9]|60)分钟后再试，或通过来信来访反映", refused.content.decode())
    assert Petition.objects.filter(channel="qr").count() == 5
    other = client.post(url, {"summary": SUMMARY}, **_via_proxy("203.0.113.6"))
    assert other.status_code == 200 and "code" in other.context
    assert Petition.objects.filter(channel="qr").count() == 6


def test_a_forged_forwarded_for_from_an_untrusted_peer_escapes_no_limit(inspection, client, settings):
    from lijian.petitions.views import qr_token

    url = reverse("public_report", kwargs={"token": qr_token(inspection)})
    for trusted in ([], ["10.0.0.0/8"]):  # no proxy configured; a proxy configured but not this peer
        settings.TRUSTED_PROXIES = trusted
        Petition.objects.filter(channel="qr").delete()
        PublicCounter.objects.all().delete()
        for n in range(6):
            client.post(
                url, {"summary": SUMMARY}, REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR=f"1.2.3.{n}"
            )
        assert Petition.objects.filter(channel="qr").count() == 5


# --- lookups --------------------------------------------------------------------------------------


def test_lookups_are_counted_per_citizen_behind_the_proxy(inspection, client, behind_proxy):
    code = _file(inspection)
    for _ in range(30):
        assert _look(client, code, **_via_proxy("203.0.113.5")).context["petition"] is not None
    refused = _look(client, code, **_via_proxy("203.0.113.5"))
    assert refused.status_code == 429 and refused.context["petition"] is None
    assert 50 <= _minutes(refused.content.decode()) <= 60
    assert _look(client, code, **_via_proxy("203.0.113.6")).context["petition"] is not None


def test_a_citizen_guessing_codes_is_locked_with_back_off_and_the_others_are_not(
    inspection, client, behind_proxy, clock
):
    code = _file(inspection)
    guesser = _via_proxy("203.0.113.5")
    for n in range(10):  # different receipts each time: only the client's own count grows
        page = _look(client, _guess("A" + "BCDEFGHJKM"[n] + "NP", n), **guesser)
        assert "查询码不存在或已过期" in page.content.decode()
    locked = _look(client, code, **guesser)
    assert locked.status_code == 429 and locked.context["petition"] is None
    assert _minutes(locked.content.decode()) == 5
    assert _look(client, code, **_via_proxy("203.0.113.6")).context["petition"] is not None
    clock.advance(minutes=6)
    assert _look(client, code, **guesser).context["petition"] is not None
    for n in range(10):
        _look(client, _guess("BBB" + "CDEFGHJKMN"[n], n), **guesser)
    assert _minutes(_look(client, code, **guesser).content.decode()) == 10  # the second lock: twice as long


def test_a_receipt_guessed_at_from_many_addresses_is_locked_for_everyone(
    inspection, client, behind_proxy, clock
):
    code = _file(inspection)
    other_code = _file(inspection)
    prefix = code[:4]
    for n in range(5):
        _look(client, _guess(prefix, n), **_via_proxy(f"203.0.113.{10 + n}"))
    locked = _look(client, code, **_via_proxy("198.51.100.20"))  # even the right code, from its owner
    assert locked.status_code == 429 and locked.context["petition"] is None
    assert _minutes(locked.content.decode()) == 15
    if other_code[:4] != prefix:
        assert _look(client, other_code, **_via_proxy("198.51.100.20")).context["petition"] is not None
    clock.advance(minutes=16)
    assert _look(client, code.lower(), **_via_proxy("198.51.100.20")).context["petition"] is not None
    # The owner's lookup cleared the count: four more misses do not lock it again.
    for n in range(4):
        _look(client, _guess(prefix, 10 + n), **_via_proxy(f"203.0.113.{20 + n}"))
    assert _look(client, code, **_via_proxy("198.51.100.20")).context["petition"] is not None


def test_a_receipt_lock_says_nothing_about_whether_the_receipt_exists(db, client, behind_proxy):
    answers = []
    for prefix in ("ZZZZ", "YYYY"):
        for n in range(5):
            _look(client, _guess(prefix, n), **_via_proxy(f"203.0.113.{n}"))
        page = _look(client, _guess(prefix, 99), **_via_proxy("198.51.100.1"))
        answers.append((page.status_code, _minutes(page.content.decode())))
    assert answers[0] == answers[1] == (429, 15)


def test_the_receipt_lock_doubles_each_time_and_is_forgotten_after_a_quiet_day(db, clock):
    def lock_minutes():
        with pytest.raises(public_limits.TooFrequent) as refused:
            public_limits.look_up_receipt(_guess("QQQQ", 0), "198.51.100.1")
        return refused.value.minutes

    def five_misses(start):
        for n in range(5):
            assert public_limits.look_up_receipt(_guess("QQQQ", start + n), f"203.0.113.{start + n}") is None

    waits = []
    for round_ in range(5):
        five_misses(round_ * 5)
        waits.append(lock_minutes())
        clock.advance(minutes=waits[-1] + 1)
    assert waits == [15, 30, 60, 120, 240]
    clock.advance(days=2)
    five_misses(100)
    assert lock_minutes() == 15
    # New keys swept the ones quiet for a day: the table does not grow with every address ever seen.
    day_ago = public_limits._now() - datetime.timedelta(days=1)
    assert not PublicCounter.objects.filter(updated_at__lt=day_ago).exists()


def test_guessing_from_everywhere_slows_down_every_lookup_with_back_off(
    inspection, client, behind_proxy, clock, monkeypatch
):
    # The suite's size of the global limit; the product's is FAILURES_OF_EVERYONE (200 in 15 minutes).
    monkeypatch.setattr(
        public_limits,
        "FAILURES_OF_EVERYONE",
        public_limits.Policy(8, datetime.timedelta(minutes=15), first_lock=datetime.timedelta(minutes=1)),
    )
    code = _file(inspection)
    waits = []
    for round_ in range(3):
        for n in range(8):  # a different address and a different receipt each time
            k = round_ * 8 + n
            _look(
                client,
                _guess("HJKMNPQRSTUVWXYZ"[k % 16] + "ABC"[k // 16] + "DE", k),
                **_via_proxy(f"203.0.113.{k}"),
            )
        refused = _look(client, code, **_via_proxy("198.51.100.99"))
        assert refused.status_code == 429 and refused.context["petition"] is None
        waits.append(_minutes(refused.content.decode()))
        clock.advance(minutes=waits[-1], seconds=1)
    assert waits == [1, 2, 4]
    assert _look(client, code, **_via_proxy("198.51.100.99")).context["petition"] is not None


def test_the_counters_hold_no_address_and_no_part_of_a_code(db, client, behind_proxy):
    _look(client, "ABCD-EFGH-JKMN-PQRS", **_via_proxy("203.0.113.77"))
    stored = " ".join(PublicCounter.objects.values_list("key", flat=True))
    assert PublicCounter.objects.count() == 4  # the client's lookups and misses, the receipt, everyone
    assert "203.0.113" not in stored and "ABCD" not in stored.upper()


def test_odd_input_to_the_status_page_is_answered_plainly(db, client, behind_proxy):
    for code, forwarded in (
        ("", "203.0.113.5"),
        ("A" * 500, "203.0.113.5"),
        ("-- -- --", "unknown"),
        ("中文查询码", "::::"),
        ("ABCD-EFGH-JKMN-PQRS", "x" * 8000),
        ("\x00ABCD", "1.2.3.4, , 5.6.7.8"),
    ):
        response = client.post(reverse("public_status"), {"code": code}, **_via_proxy(forwarded))
        # The status page again, with its answer (six requests: under every allowance).
        assert response.status_code == 200, (code, forwarded)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # leaves the database as it found it
def test_concurrent_requests_from_several_workers_get_exactly_the_allowance():
    """Each thread has its own database connection, as each web worker has: the row lock keeps the
    count exact (five filings of twelve tried at once)."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith("file:memorydb"):
        pytest.skip("the in-memory SQLite test database is one connection's; CI runs this on PostgreSQL")
    barrier = threading.Barrier(12)

    def file_once(_):
        from django.db import connections

        try:
            barrier.wait()
            public_limits.allow_filing("203.0.113.5")
            return True
        except public_limits.TooFrequent:
            return False
        finally:
            connections.close_all()

    with ThreadPoolExecutor(12) as pool:
        allowed = list(pool.map(file_once, range(12)))
    assert allowed.count(True) == 5
