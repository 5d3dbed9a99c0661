"""Two documents issued at the same moment by the same organ get consecutive numbers, never the same
one and never with a gap — on SQLite (IMMEDIATE transactions: the second issuer waits for the write
lock) and on PostgreSQL (the serial row is locked ``FOR UPDATE``). Run this file on PostgreSQL with
``LIJIAN_DATABASE_URL=postgresql://…`` as well."""

import sqlite3
import threading
from contextlib import contextmanager

import pytest
from django.db import connection, connections

from lijian.accounts.choices import Role
from lijian.documents import official
from lijian.documents.models import DocumentSerial, OfficialDocument

from ..world import build_world

pytestmark = pytest.mark.usefixtures("kind", "no_pdf")


@contextmanager
def threads_see_a_file_database(folder):
    """On SQLite, the test database is in memory with a shared cache, where a second writer is refused
    at once ("database table is locked") instead of waiting: the threads work on a file copy of it,
    as the server does (WAL, IMMEDIATE, busy timeout from settings). PostgreSQL: as it is."""
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    path = folder / "threads.sqlite3"
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    config = connections.settings["default"]
    name = config["NAME"]
    config["NAME"] = str(path)
    try:
        yield
    finally:
        config["NAME"] = name


def in_threads(*calls):
    """Run each call in its own thread (own connection), all released at once; their exceptions."""
    start, failures = threading.Barrier(len(calls)), []

    def run(call):
        try:
            start.wait()
            call()
        except Exception as exc:  # noqa: BLE001  reported by the caller
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failures


# serialized_rollback: the flush after a committed test re-creates the content types, which the next
# serialised-rollback test on the same worker would then insert a second time.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_documents_issued_at_once_get_consecutive_numbers(monkeypatch, tmp_path):
    world = build_world()
    office = world.users[Role.OFFICE_STAFF]
    first, *drafts = [
        official.document_draft(actor=office, kind="test_notice", organ_id=world.body1.pk) for _ in range(3)
    ]
    # The counter row exists already (the race is then on its value, not on inserting it).
    official.document_issue(actor=office, document=first)
    # Each issuer holds its serial a while before committing, so the two surely overlap.
    taken = official._next_serial

    def slow_next_serial(document, year):
        serial = taken(document, year)
        threading.Event().wait(0.3)
        return serial

    monkeypatch.setattr(official, "_next_serial", slow_next_serial)
    found = {}

    def read():
        found["serials"] = sorted(
            OfficialDocument.objects.filter(pk__in=[d.pk for d in drafts]).values_list("serial", flat=True)
        )
        found["last"] = DocumentSerial.objects.get(organ_id=world.body1.pk).last

    with threads_see_a_file_database(tmp_path):
        failures = in_threads(
            *(lambda d=d: official.document_issue(actor=office, document=d) for d in drafts)
        )
        assert failures == []
        assert in_threads(read) == []
    assert found == {"serials": [2, 3], "last": 3}
