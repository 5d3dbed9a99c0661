"""Twenty people of mixed roles at once against the real server (``lijian serve``), reading what each
may see and writing organisations and bodies, for a short while on the database of the run (SQLite,
and PostgreSQL in CI's second pass): no error at all. The few-minute run is ``make bench`` (bench/load.py).
"""

import os

import pytest

from .load import run_load

SECONDS = float(os.environ.get("LIJIAN_LOAD_SECONDS", "20"))


@pytest.mark.long  # a minute or more: started first, beside the rest of the suite
def test_twenty_clients_of_mixed_roles_get_no_error(live_server_factory):
    server = live_server_factory("load")
    world = server.seed(full=True)
    server.start()
    try:
        result = run_load(server, world, clients=20, seconds=SECONDS)
    finally:
        server.stop()
    figures = result.figures()
    print(
        f"\nload ({'SQLite' if server.database.is_sqlite else 'PostgreSQL'}): {figures['requests']} requests "
        f"({figures['reads']} reads, {figures['writes']} writes) by 20 clients in {figures['seconds']} s, "
        f"{figures['errors']} errors, median {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms"
    )
    assert not result.errors, f"{len(result.errors)} errors, e.g.:\n" + "\n".join(result.errors[:10])
    assert figures["writes"] >= 20 and figures["reads"] >= 100
    assert set(figures["by_role"]) >= {"office_staff", "group_member", "liaison", "admin"}
