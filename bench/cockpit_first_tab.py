"""What a user waits for on the cockpit: the first tab, page and charts, over real HTTP.

``first_tab`` starts ``lijian serve`` (gunicorn, its usual workers and threads, no background
worker nor daily job) on the demo world at ``127.0.0.1:8041`` and times, ``runs`` times after a warm-up, what a browser does: the page
``/analytics/cockpit/``, then the API of each ``[data-chart]`` box of the page, in the page's order,
``pool`` requests at a time as ``static/lijian/cockpit.js`` asks for them (``COCKPIT_JS_POOL``), until
the last answer. The static files (cached by a browser after its first visit) and the drawing
are left out.
"""

from __future__ import annotations

import html
import os
import re
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from bench.common import summarize
from bench.demo_world import serving

PORT = 8041
COCKPIT_JS_POOL = 3  # the number of chart requests cockpit.js keeps under way
CHART_URL = re.compile(r'data-chart="[^"]+" data-url="([^"]+)"')


def first_tab(session_key: str, runs: int, pools: tuple[int, ...] = (COCKPIT_JS_POOL, 1)) -> dict:
    """Signed in with the session ``session_key`` (deleted at the end), for each pool size,
    ``summarize`` of the milliseconds from asking for the page to the first tab's last chart
    answered, and the load average (1 min) before and after. Raises
    ``RuntimeError`` when the server stops or does not listen within 60 s, ``AssertionError`` on an answer
    other than 200."""
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore

    try:
        with serving(PORT, {**os.environ, "LIJIAN_PROXY": "1"}):
            headers = {
                "Cookie": f"{settings.SESSION_COOKIE_NAME}={session_key}",
                "X-Forwarded-Proto": "https",
            }
            result = {"load_before": round(os.getloadavg()[0], 2)}
            for pool in pools:
                result[f"pool_{pool}"] = _timed_tab(headers, pool, runs)
            result["load_after"] = round(os.getloadavg()[0], 2)
            return result
    finally:
        SessionStore(session_key=session_key).delete()


def _timed_tab(headers: dict, pool: int, runs: int) -> dict:
    samples = []
    with ThreadPoolExecutor(pool) as executor:
        for i in range(runs + 1):
            started = time.perf_counter()
            page = _get("/analytics/cockpit/", headers)
            urls = [html.unescape(u) for u in CHART_URL.findall(page)]
            assert urls, "no chart on the cockpit page"
            list(executor.map(lambda url: _get(url, headers), urls))
            if i:  # the first is the warm-up
                samples.append((time.perf_counter() - started) * 1000)
    return summarize(samples)


def _get(path: str, headers: dict) -> str:
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", headers=headers)
    with urllib.request.urlopen(request, timeout=60) as response:
        assert response.status == 200, (path, response.status)
        return response.read().decode()
