"""The cockpit (驾驶舱) on the demo world: the page and each chart's API operation, as the city office.

Each measure ``runs`` times after a warm-up, p50/p95 kept: the page ``/analytics/cockpit/`` (the city
body, its current term, today), every chart of both tabs through ``/api/cockpit/bodies/{body}/{chart}``
(with the number of queries its request reads),
the page and all the charts one after the other in this process, and what a user waits for: the
first tab over real HTTP from ``lijian serve``, the page then its charts as many at a time as
``static/lijian/cockpit.js`` asks for them, and one at a time (``cockpit_first_tab``). The budget
is 1 s at p95 for the page, for each chart and for the first tab.

The demo world is read from ``--demo-dir`` (the ``LIJIAN_DATA_DIR`` of a built ``lijian demo``) or,
without it, built into ``bench/work/cockpit/`` first (minutes). The measuring process runs inside a
transaction it rolls back, so the demo's database is left as it was (but for the office's last
sign-in time: the first tab is timed with a session of its own, deleted after)::

    .venv/bin/python -m bench.cockpit --demo-dir /tmp/cockpit-data
"""

from __future__ import annotations

from bench.cockpit_first_tab import COCKPIT_JS_POOL, first_tab
from bench.common import table
from bench.demo_world import command_line, demo_django_ready, run_measured, signed_in_client, timed

KEY = "cockpit"
DEFAULT_RUNS = 15
BUDGET_MS = 1_000


def run(*, demo_dir: str | None = None, runs: int = DEFAULT_RUNS, save: bool = True) -> dict:
    """Measure in a process of its own on the demo world at ``demo_dir`` (built when ``None``);
    print the table; save under ``cockpit``."""
    return run_measured(KEY, "bench.cockpit", demo_dir=demo_dir, runs=runs, save=save, table=_table)


def failed(entry: dict) -> bool:
    """The run failed, or the page or a chart took more than ``BUDGET_MS`` at p95."""
    if "error" in entry:
        return True
    tab = entry["first_tab"][f"pool_{COCKPIT_JS_POOL}"]
    return any(m["p95_ms"] > BUDGET_MS for m in [entry["page"], *entry["charts"].values(), tab])


def _table(entry: dict) -> str:
    if "error" in entry:
        return f"驾驶舱：出错\n{entry['error']}"
    queries = entry.get("queries", {})
    rows = [["驾驶舱页面", str(entry["page"]["p50_ms"]), str(entry["page"]["p95_ms"]), ""]]
    rows += [
        [f"图表 {key}", str(m["p50_ms"]), str(m["p95_ms"]), str(queries.get(key, ""))]
        for key, m in entry["charts"].items()
    ]
    rows.append(
        ["总览页和全部图表（依次）", str(entry["overview"]["p50_ms"]), str(entry["overview"]["p95_ms"]), ""]
    )
    for key, label in (
        (f"pool_{COCKPIT_JS_POOL}", f"首个页签（HTTP，每次 {COCKPIT_JS_POOL} 个图表）"),
        ("pool_1", "首个页签（HTTP，逐个图表）"),
    ):
        if key in entry["first_tab"]:
            rows.append(
                [label, str(entry["first_tab"][key]["p50_ms"]), str(entry["first_tab"][key]["p95_ms"]), ""]
            )
    load = f"负载 {entry['first_tab']['load_before']} → {entry['first_tab']['load_after']}"
    return table([f"驾驶舱（{entry['body']}）", "p50 ms", "p95 ms", "查询数"], rows) + "\n" + load


# --- The measuring process -------------------------------------------------------------------------


def _measure(runs: int) -> dict:
    demo_django_ready()
    from django.conf import settings
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from lijian.accounts.models import User
    from lijian.analytics.cockpit import CHARTS, cockpit_body_default
    from lijian.analytics.cockpit_rankings import RANKINGS

    result: dict = {}
    with transaction.atomic():
        office = User.objects.get(username="xunshiban")
        body = cockpit_body_default(office)
        client = signed_in_client(office)

        def get(url):
            def fetch():
                response = client.get(url, secure=True)
                assert response.status_code == 200, (url, response.status_code)

            return fetch

        def overview():
            get("/analytics/cockpit/")()
            for key in CHARTS:
                get(f"/api/cockpit/bodies/{body.pk}/{key}")()

        result["body"] = body.name
        result["page"] = timed(get("/analytics/cockpit/"), runs)
        result["charts"] = {
            key: timed(get(f"/api/cockpit/bodies/{body.pk}/{key}"), runs) for key in {**CHARTS, **RANKINGS}
        }
        result["overview"] = timed(overview, max(3, runs // 3))
        # the queries of each chart's request (a fixed number, whatever the number of districts)
        result["queries"] = {}
        for key in {**CHARTS, **RANKINGS}:
            with CaptureQueriesContext(connection) as captured:
                get(f"/api/cockpit/bodies/{body.pk}/{key}")()
            result["queries"][key] = len(captured)
        transaction.set_rollback(True)
    # the server reads the session from the database: signed in outside the rolled-back transaction
    session = signed_in_client(office).cookies[settings.SESSION_COOKIE_NAME].value
    result["first_tab"] = first_tab(session, runs)
    return result


if __name__ == "__main__":
    command_line("bench.cockpit", DEFAULT_RUNS, _measure, run, failed)
