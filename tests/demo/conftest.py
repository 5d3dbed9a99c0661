"""The Tianjin demo world, built once for the whole ``tests/demo`` package (``test_demo``'s named checks
and the work report drafted from it) inside a transaction rolled back after the package's last test."""

import io
import os

import pytest
from django.core.management import call_command
from django.db import transaction

from lijian.orgs.models import InspectionBody

FULL = os.environ.get("LIJIAN_TEST_FULL_DEMO") != "0"
needs_term = pytest.mark.skipif(
    not FULL,
    reason="LIJIAN_TEST_FULL_DEMO=0: .ci/run loads the full demo in its SQLite pass only (it is most of a "
    "pass); every service it calls is tested on this database by the rest of the suite",
)


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker):
    """What ``lijian demo`` printed, the world built once for the package's tests (without the term's
    rounds when ``LIJIAN_TEST_FULL_DEMO=0``). It is built inside a transaction that is rolled back
    after the package's last test, so whatever runs after it in the same process starts from the
    empty database; each test runs inside it and is rolled back to the built world in turn."""
    out = io.StringIO()
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", *(() if FULL else ("--without-rounds",)), stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture(scope="package")
def city(demo):
    return InspectionBody.objects.get(code="TJ-XSB")


@pytest.fixture(scope="package")
def term(city):
    return city.terms.get(name="第十二届")
