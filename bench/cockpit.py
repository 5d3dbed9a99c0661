"""The cockpit (驾驶舱) on the demo world: the page and each chart's API operation, as the city office.

Each measure ``runs`` times after a warm-up, p50/p95 kept: the page ``/analytics/cockpit/`` (the city
body, its current term, today), every chart of both tabs through ``/api/cockpit/bodies/{body}/{chart}``,
and the whole first tab as a browser loads it (the page, then its charts one after the other, as
``static/lijian/cockpit.js`` asks for them). The budget is 1 s at p95 for the page and for each chart.

The demo world is read from ``--demo-dir`` (the ``LIJIAN_DATA_DIR`` of a built ``lijian demo``) or,
without it, built into ``bench/work/cockpit/`` first (minutes). The measuring process runs inside a
transaction it rolls back, so the demo's database is left as it was::

    .venv/bin/python -m bench.cockpit --demo-dir /tmp/cockpit-data
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from bench.common import PROJECT, WORK, code_version, machine, now_iso, save_results, summarize, table

KEY = "cockpit"
DEFAULT_RUNS = 15
BUDGET_MS = 1_000


def run(*, demo_dir: str | None = None, runs: int = DEFAULT_RUNS, save: bool = True) -> dict:
    """Measure in a process of its own on the demo world at ``demo_dir`` (built when ``None``);
    print the table; save under ``cockpit``."""
    folder = Path(demo_dir) if demo_dir else WORK / KEY / "data"
    env = {**os.environ, "LIJIAN_DATA_DIR": str(folder)}
    env.pop("LIJIAN_DATABASE_URL", None)
    if demo_dir is None:
        print(f"   building the demo world in {folder} (minutes)", flush=True)
        folder.mkdir(parents=True, exist_ok=True)
        lijian = [sys.executable, "-m", "lijian"]
        subprocess.run([*lijian, "migrate", "-v0"], cwd=PROJECT, env=env, check=True)
        subprocess.run([*lijian, "demo"], cwd=PROJECT, env=env, check=True, capture_output=True)
    entry = {"measured_at": now_iso(), "machine": machine(), "code": code_version(), "runs": runs}
    done = subprocess.run(
        [sys.executable, "-m", "bench.cockpit", "--measure", "--runs", str(runs)],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        entry["error"] = done.stderr.strip()[-2000:]
    else:
        entry.update(json.loads(done.stdout.strip().splitlines()[-1]))
    print(_table(entry))
    if save:
        save_results(KEY, entry)
    return entry


def failed(entry: dict) -> bool:
    """The run failed, or the page or a chart took more than ``BUDGET_MS`` at p95."""
    if "error" in entry:
        return True
    return any(m["p95_ms"] > BUDGET_MS for m in [entry["page"], *entry["charts"].values()])


def _table(entry: dict) -> str:
    if "error" in entry:
        return f"驾驶舱：出错\n{entry['error']}"
    rows = [["驾驶舱页面", str(entry["page"]["p50_ms"]), str(entry["page"]["p95_ms"])]]
    rows += [[f"图表 {key}", str(m["p50_ms"]), str(m["p95_ms"])] for key, m in entry["charts"].items()]
    rows.append(
        ["总览页和全部图表（依次）", str(entry["overview"]["p50_ms"]), str(entry["overview"]["p95_ms"])]
    )
    return table([f"驾驶舱（{entry['body']}）", "p50 ms", "p95 ms"], rows)


# --- The measuring process -------------------------------------------------------------------------


def _timed(action, runs: int) -> dict:
    action()  # warm-up
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return summarize(samples)


def _measure(runs: int) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lijian.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import transaction
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django_otp import DEVICE_ID_SESSION_KEY

    from lijian.accounts.models import User
    from lijian.analytics.cockpit import CHARTS, cockpit_body_default
    from lijian.analytics.cockpit_rankings import RANKINGS
    from tests.world import authenticator

    setup_test_environment()  # the test client's host is allowed
    call_command("collectstatic", verbosity=0, interactive=False)  # the page links the manifest's names
    result: dict = {}
    with transaction.atomic():
        office = User.objects.get(username="xunshiban")
        body = cockpit_body_default(office)
        client = Client()
        client.force_login(office)
        device = authenticator(office)
        if device is not None:
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

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
        result["page"] = _timed(get("/analytics/cockpit/"), runs)
        result["charts"] = {
            key: _timed(get(f"/api/cockpit/bodies/{body.pk}/{key}"), runs) for key in {**CHARTS, **RANKINGS}
        }
        result["overview"] = _timed(overview, max(3, runs // 3))
        transaction.set_rollback(True)
    return result


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(prog="python -m bench.cockpit")
    parser.add_argument("--runs", type=int, default=DEFAULT_RUNS)
    parser.add_argument("--demo-dir", help="LIJIAN_DATA_DIR of a built demo (default: build one)")
    parser.add_argument("--measure", action="store_true", help="(internal) measure in this process")
    parser.add_argument("--no-save", action="store_true")
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(_measure(args.runs), ensure_ascii=False))
    else:
        sys.exit(1 if failed(run(demo_dir=args.demo_dir, runs=args.runs, save=not args.no_save)) else 0)
