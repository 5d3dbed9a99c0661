import pytest

from .world import PASSWORD, build_world


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


def pytest_collection_modifyitems(config, items):
    """Start the tests marked ``long`` first: under xdist each then runs beside the rest of the suite on
    the other worker instead of starting last and leaving one worker idle for minutes."""
    items.sort(key=lambda item: item.get_closest_marker("long") is None)
