"""The list pages at scale (DESIGN.md §8: the first page of any list within 100 ms): the problem ledger
and the petition list over ``rows`` rows each, read as an office user through the test client.

For each list: the first page, and a deep page reached by cursor (the page after the visible row half
way down the list), each the median of ``runs`` requests after one warm-up; the queries one request
runs, and whether any of them counted rows (``COUNT(``). The same pages are then read again with the
ordering indexes dropped, so one run shows what the indexes buy.

Each database is measured in its own process (settings read ``LIJIAN_DATABASE_URL`` at import):
``run`` starts ``python -m bench.lists --rows … --runs …`` and collects the figures it prints as JSON
(``bench.isolated.measure_each``).
The SQLite database lives in ``bench/work/lists/``; PostgreSQL uses ``lijian_bench_lists`` (dropped
and created). The rows are built with the test world's builders (``tests/world.py``).
"""

from __future__ import annotations

import json
import statistics
import time

from bench.common import code_version, machine, now_iso, save_results, table
from bench.isolated import django_ready, measure_each

KEY = "lists"
DEFAULT_ROWS = 100_000
DEFAULT_RUNS = 7
# The indexes dropped for the "without index" figures: table → index names (findings 0006, petitions 0003).
ORDER_INDEXES = {
    "problems": ("problem_found_on_id_idx",),
    "petitions": ("petition_received_on_id_idx",),
}


def run(rows: int, dbs: list[str], *, runs: int = DEFAULT_RUNS, save: bool = True) -> dict:
    """Measure every database in ``dbs`` in its own process; print the table; save under ``lists``."""
    entry = {
        "measured_at": now_iso(),
        "machine": machine(),
        "code": code_version(),
        "rows": rows,
        "runs": runs,
    }
    entry.update(
        measure_each(
            KEY,
            dbs,
            "bench.lists",
            ["--rows", str(rows), "--runs", str(runs)],
            announce=f"   building {rows} problems and petitions ({{db}})",
        )
    )
    print(_table(entry, dbs))
    if save:
        save_results(KEY, entry)
    return entry


def failed(entry: dict, dbs: list[str]) -> bool:
    """A database that did not run, a page that counted rows, or an indexed first page over 100 ms."""
    for db in dbs:
        figures = entry.get(db, {})
        if "error" in figures:
            return True
        for name in ORDER_INDEXES:
            page = figures.get(name, {}).get("indexed", {})
            if page.get("counted") or (page.get("first_ms") or 0) > 100:
                return True
    return False


def _table(entry: dict, dbs: list[str]) -> str:
    rows = []
    for name, label in (("problems", "问题台账"), ("petitions", "信访件列表")):
        for state, state_label in (("indexed", "有索引"), ("unindexed", "无索引")):
            for key, key_label in (("first_ms", "首页 ms"), ("deep_ms", "深页 ms")):
                cells = [str(entry.get(db, {}).get(name, {}).get(state, {}).get(key, "—")) for db in dbs]
                rows.append([f"{label} {state_label} {key_label}", *cells])
        cells = []
        for db in dbs:
            page = entry.get(db, {}).get(name, {}).get("indexed", {})
            cells.append(f"{page.get('queries', '—')} / {'有' if page.get('counted') else '无'} COUNT")
        rows.append([f"{label} 每页查询数", *cells])
    return table([f"列表（{entry['rows']} 行，中位数）", *dbs], rows)


# --- The measuring process -------------------------------------------------------------------------


def _build(rows: int):
    """The test world, its two rounds, and ``rows`` problems and ``rows`` petitions spread evenly over
    both districts (so the office user of 和平 sees half of each) and over 1,000 days. Returns the
    office user."""
    import datetime

    from lijian.accounts.choices import Role
    from lijian.findings.models import Problem
    from lijian.petitions.models import Petition
    from tests.world import build_rounds, build_world, category

    world = build_world()
    rounds = build_rounds(world)
    cat = category()
    inspections = (rounds.inspection1, rounds.inspection2)
    bodies = (world.body1, world.body2)
    day = datetime.date(2022, 1, 1)
    batch = 5000
    for start in range(0, rows, batch):
        span = range(start, min(start + batch, rows))
        Problem.objects.bulk_create(
            Problem(
                ref=f"B{i:08d}",
                inspection=inspections[i % 2],
                category=cat,
                summary=f"批量问题{i}",
                found_on=day + datetime.timedelta(days=(i * 7919) % 1000),
            )
            for i in span
        )
        Petition.objects.bulk_create(
            Petition(
                ref=f"X{i:08d}",
                channel="letter",
                received_on=day + datetime.timedelta(days=(i * 7919) % 1000),
                body=bodies[i % 2],
                summary=f"批量信访{i}",
            )
            for i in span
        )
    return world.users[Role.OFFICE_STAFF]


def _median_ms(client, url: str, runs: int) -> float:
    client.get(url, secure=True)  # warm-up: templates, caches, the database's pages
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url, secure=True)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return round(statistics.median(samples), 1)


def _measure_list(client, url: str, rows_visible, order, table_name: str, runs: int) -> dict:
    from django.db import connection

    from lijian.core.lists import CURSOR, encode_cursor

    queries: list[str] = []

    def record(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    # A wrapper, not CaptureQueriesContext: the request's start signal empties the debug query log.
    with connection.execute_wrapper(record):
        first = client.get(url, secure=True)
    assert first.status_code == 200, first.status_code
    counted = [sql for sql in queries if "COUNT(" in sql.upper() and table_name in sql]
    middle = rows_visible.order_by(*order)[rows_visible.count() // 2]
    deep_url = f"{url}?{CURSOR}={encode_cursor(order, middle, forward=True)}"
    deep = client.get(deep_url, secure=True)
    assert deep.status_code == 200 and len(deep.context["page"].object_list) > 0
    return {
        "first_ms": _median_ms(client, url, runs),
        "deep_ms": _median_ms(client, deep_url, runs),
        "queries": len(queries),
        "counted": bool(counted),
    }


def _measure(rows: int, runs: int) -> dict:
    django_ready()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse
    from django_otp import DEVICE_ID_SESSION_KEY

    from lijian.findings.models import Problem
    from lijian.findings.selectors import problems_visible
    from lijian.findings.tables import PROBLEMS
    from lijian.petitions.models import Petition
    from lijian.petitions.selectors import petitions_visible
    from lijian.petitions.tables import PETITIONS
    from tests.world import authenticator

    setup_test_environment()  # the test client's host is allowed, e-mail stays in memory
    call_command("collectstatic", verbosity=0, interactive=False)  # the pages link the manifest's names
    started = time.perf_counter()
    user = _build(rows)
    build_seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    client = Client()  # requests made secure=True: the product redirects plain HTTP
    client.force_login(user)
    session = client.session  # the office role needs the second factor: sign in as verified
    session[DEVICE_ID_SESSION_KEY] = authenticator(user).persistent_id
    session.save()
    lists = {
        "problems": (reverse("findings:problems"), problems_visible, PROBLEMS.order, Problem),
        "petitions": (reverse("petitions:list"), petitions_visible, PETITIONS.order, Petition),
    }
    result: dict = {"build_seconds": round(build_seconds, 1)}
    for name, (url, visible, order, model) in lists.items():
        result[name] = {
            "indexed": _measure_list(client, url, visible(user), order, model._meta.db_table, runs)
        }
    with connection.cursor() as cursor:
        for names in ORDER_INDEXES.values():
            for index in names:
                cursor.execute(f"DROP INDEX {index}")
        cursor.execute("ANALYZE")
    for name, (url, visible, order, model) in lists.items():
        result[name]["unindexed"] = _measure_list(
            client, url, visible(user), order, model._meta.db_table, runs
        )
    return result


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS)
    parser.add_argument("--runs", type=int, default=DEFAULT_RUNS)
    args = parser.parse_args()
    print(json.dumps(_measure(args.rows, args.runs)))
