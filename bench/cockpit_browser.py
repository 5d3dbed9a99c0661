"""The cockpit (驾驶舱) in a browser: from the navigation to the first tab's charts all drawn.

Headless Chromium (``/usr/bin/chromium``, through Playwright) opens ``/analytics/cockpit/`` as the
city office on the demo world, served by ``lijian serve`` (gunicorn, its usual workers and threads,
no background worker nor daily job, plain http) at ``127.0.0.1:8043``, at 1920×1000, ``runs`` times
after a warm-up, in one browser context (the static files cached after the first load, as for a
returning user; the first load is reported on its own as ``cold``). Each load is timed by the page's
own signal: ``static/lijian/cockpit.js`` marks ``lijian:cockpit-ready`` (milliseconds since the
navigation began) a frame after the last chart is drawn. Kept: p50/p95 of that time, of the page's
``DOMContentLoaded`` and of the charts' part (ready less DOMContentLoaded). The budget is 1 s at
p95 for the whole first tab.

The demo world is read from ``--demo-dir`` (the ``LIJIAN_DATA_DIR`` of a built ``lijian demo``) or,
without it, built into ``bench/work/cockpit_browser/`` first (minutes). The browser signs in with a
session of its own, deleted at the end::

    .venv/bin/python -m bench.cockpit_browser --demo-dir /tmp/cockpit-data
"""

from __future__ import annotations

import os
from pathlib import Path

from bench.common import summarize, table
from bench.demo_world import command_line, demo_django_ready, run_measured, serving, signed_in_client

KEY = "cockpit_browser"
DEFAULT_RUNS = 20
BUDGET_MS = 1_000
PORT = 8043
CHROMIUM = "/usr/bin/chromium"
VIEWPORT = {"width": 1920, "height": 1000}  # a 1920×1080 screen less the browser's own bars
READY = "lijian:cockpit-ready"


def run(*, demo_dir: str | None = None, runs: int = DEFAULT_RUNS, save: bool = True) -> dict:
    """Measure in a process of its own on the demo world at ``demo_dir`` (built when ``None``);
    print the table; save under ``cockpit_browser``."""
    return run_measured(KEY, "bench.cockpit_browser", demo_dir=demo_dir, runs=runs, save=save, table=_table)


def failed(entry: dict) -> bool:
    """The run failed, a chart failed to draw, or the first tab took more than ``BUDGET_MS`` at p95."""
    return "error" in entry or bool(entry["failed_charts"]) or entry["ready"]["p95_ms"] > BUDGET_MS


def _table(entry: dict) -> str:
    if "error" in entry:
        return f"驾驶舱（浏览器）：出错\n{entry['error']}"
    rows = [
        ["首个页签全部图表画完", str(entry["ready"]["p50_ms"]), str(entry["ready"]["p95_ms"])],
        ["其中页面（DOMContentLoaded）", str(entry["page"]["p50_ms"]), str(entry["page"]["p95_ms"])],
        ["其中图表（请求和绘制）", str(entry["charts"]["p50_ms"]), str(entry["charts"]["p95_ms"])],
        ["首次打开（无缓存）", str(entry["cold"]["ready_ms"]), "—"],
    ]
    title = f"驾驶舱（浏览器，{entry['chart_count']} 个图表，{entry['body']}）"
    return table([title, "p50 ms", "p95 ms"], rows) + f"\n负载 {entry['load_before']} → {entry['load_after']}"


# --- The measuring process -------------------------------------------------------------------------


def _measure(runs: int) -> dict:
    demo_django_ready()
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore

    from lijian.accounts.models import User
    from lijian.analytics.cockpit import cockpit_body_default

    office = User.objects.get(username="xunshiban")
    session = signed_in_client(office).cookies[settings.SESSION_COOKIE_NAME].value
    env = {**os.environ, "LIJIAN_HTTPS": "0"}  # the browser speaks plain http to the local server
    try:
        with serving(PORT, env):
            result = {"body": cockpit_body_default(office).name, "load_before": round(os.getloadavg()[0], 2)}
            result.update(_browse(settings.SESSION_COOKIE_NAME, session, runs))
            result["load_after"] = round(os.getloadavg()[0], 2)
            return result
    finally:
        SessionStore(session_key=session).delete()


def _browse(cookie: str, session: str, runs: int) -> dict:
    """Load the cockpit ``runs`` + 1 times in one context (the first, cold, kept apart)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is missing")
    base = f"http://127.0.0.1:{PORT}"
    loads = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
            context.add_cookies([{"name": cookie, "value": session, "url": base}])
            page = context.new_page()
            for _ in range(runs + 1):
                loads.append(_load(page, f"{base}/analytics/cockpit/"))
        finally:
            browser.close()
    cold, warm = loads[0], loads[1:]
    return {
        "viewport": f"{VIEWPORT['width']}×{VIEWPORT['height']}",
        "chart_count": cold["charts"],
        "failed_charts": sorted({key for load in loads for key in load["failed"]}),
        "cold": {"ready_ms": round(cold["ready"], 1), "page_ms": round(cold["page"], 1)},
        "ready": summarize([load["ready"] for load in warm]),
        "page": summarize([load["page"] for load in warm]),
        "charts": summarize([load["ready"] - load["page"] for load in warm]),
    }


def _load(page, url: str) -> dict:
    """One navigation: milliseconds from its start to DOMContentLoaded and to the ready mark, the
    number of charts and the keys of those that failed."""
    response = page.goto(url, wait_until="commit")
    assert response is not None and response.status == 200, (url, response and response.status)
    page.wait_for_selector('[data-cockpit][data-cockpit-state="ready"]', state="attached", timeout=60_000)
    return page.evaluate(
        """(mark) => {
          const ready = performance.getEntriesByName(mark)[0].startTime;
          const page = performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd;
          const charts = [...document.querySelectorAll('[data-chart]')];
          return {ready: ready, page: page, charts: charts.length,
                  failed: charts.filter(el => el.dataset.chartState !== 'ready').map(el => el.dataset.chart)};
        }""",
        READY,
    )


if __name__ == "__main__":
    command_line("bench.cockpit_browser", DEFAULT_RUNS, _measure, run, failed)
