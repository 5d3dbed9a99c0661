import pytest

from .live import LiveServer, clone_test_database


@pytest.fixture
def live_server_factory(transactional_db, django_db_blocker, tmp_path):
    """Make live servers on copies of the test database; each is killed and its database dropped after
    the test. The test database is used outside a transaction (``transactional_db``): PostgreSQL copies
    only a template nobody is connected to."""
    made = []

    def make(name: str = "server", **options) -> LiveServer:
        folder = tmp_path / name
        folder.mkdir()
        with django_db_blocker.unblock():
            database = clone_test_database(folder)
        server = LiveServer(folder, database, **options)
        made.append(server)
        return server

    yield make
    for server in made:
        server.kill()
        server.database.drop()
