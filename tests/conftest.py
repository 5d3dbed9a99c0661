import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from .world import PASSWORD, authenticator, build_world

_force_login_without_second_factor = Client.force_login


def _force_login(self, user, backend=None):
    """``force_login`` stands for a complete log-in: the password and, for a user whose role
    requires the second factor or who has an authenticator, its code (one is enrolled for them by
    ``world.authenticator``). Every test client gets it, so the suite signs in as verified users
    without each test doing so; tests of the log-in itself post to the log-in page."""
    _force_login_without_second_factor(self, user, backend)
    device = authenticator(user)
    if device is not None:
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


Client.force_login = _force_login


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def login(client):
    """Log the test client in as ``user``."""

    def do(user):
        client.force_login(user)
        return client

    return do


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture(autouse=True)
def chinese_by_default():
    """A request that switched the language leaves it active in the thread; each test starts in Chinese."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def _transactional(item) -> bool:
    """Whether the test commits (and so flushes the database after it), as pytest-django decides it."""
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    return bool(
        (marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")))
        or "transactional_db" in fixtures
        or "live_server" in fixtures
    )


def pytest_collection_modifyitems(config, items):
    """Start the tests marked ``long`` first: under xdist each then runs beside the rest of the suite on
    the other worker instead of starting last and leaving one worker idle for minutes.

    pytest-django has already put the tests that commit after those that roll back (a committing test
    leaves an emptied database behind); a long committing test moves to the front of its own group
    only, never before a test that rolls back."""
    items.sort(key=lambda item: (_transactional(item), item.get_closest_marker("long") is None))
