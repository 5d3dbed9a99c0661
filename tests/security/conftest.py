import pytest

from .live import LiveServer, clone_test_database


@pytest.fixture
def live_server_factory(db, tmp_path):
    """Make live servers on copies of the test database; each is killed and its database dropped after
    the test. The copy is taken inside the test's transaction (see ``clone_test_database``)."""
    made = []

    def make(name: str = "server", **options) -> LiveServer:
        folder = tmp_path / name
        folder.mkdir()
        database = clone_test_database(folder)
        server = LiveServer(folder, database, **options)
        made.append(server)
        return server

    yield make
    for server in made:
        server.kill()
        server.database.drop()
