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
