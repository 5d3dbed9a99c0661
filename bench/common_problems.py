"""Common problems (以巡促改) at the demo world's size: grouping every problem the city office sees
(about 5,800 in the Tianjin demo) by category and wording, and the page that shows the groups.

Two measures, each ``runs`` times after a warm-up, p50/p95 kept:

- ``demo``: on the demo world, ``analytics.common.common_groups`` as the city office (the selector the
  page and the API call: reading the problems, grouping, reading the organisations and rounds of the
  groups shown) and the page ``/analytics/common-problems/`` through the test client; with the
  problems, distinct wordings and groups counted. The demo says each problem in one of a few dozen
  wordings, which the grouping reads once each.
- ``distinct``: the grouping alone (``common_similarity.group_texts``, no database) on as many
  problems each worded differently — a unit's name, one of the demo's wordings and a detail of its
  own — the case of real ledgers, where no two offices write a problem alike.

The demo world is read from ``--demo-dir`` (the ``LIJIAN_DATA_DIR`` of a built ``lijian demo``) or,
without it, built into ``bench/work/common_problems/`` first (``lijian demo``: minutes). The
measuring process runs inside a transaction it rolls back, so the demo's database is left as it was.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

from bench.common import PROJECT, WORK, code_version, machine, now_iso, save_results, summarize, table

KEY = "common_problems"
DEFAULT_RUNS = 15
DISTINCT_PROBLEMS = 5_800
# The page's budget on the demo world (p95), as for the other pages of figures.
PAGE_BUDGET_MS = 1_000


def run(*, demo_dir: str | None = None, runs: int = DEFAULT_RUNS, save: bool = True) -> dict:
    """Measure in a process of its own on the demo world at ``demo_dir`` (built when ``None``);
    print the table; save under ``common_problems``."""
    folder = Path(demo_dir) if demo_dir else WORK / KEY / "data"
    env = {**os.environ, "LIJIAN_DATA_DIR": str(folder)}
    env.pop("LIJIAN_DATABASE_URL", None)
    if demo_dir is None:
        print(f"   building the demo world in {folder} (minutes)", flush=True)
        folder.mkdir(parents=True, exist_ok=True)
        lijian = [sys.executable, "-m", "lijian"]
        subprocess.run([*lijian, "migrate", "-v0"], cwd=PROJECT, env=env, check=True)
        subprocess.run([*lijian, "demo"], cwd=PROJECT, env=env, check=True, capture_output=True)
    entry = {
        "measured_at": now_iso(),
        "machine": machine(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],  # other work on the machine
        "code": code_version(),
        "runs": runs,
    }
    done = subprocess.run(
        [sys.executable, "-m", "bench.common_problems", "--runs", str(runs)],
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
    """The run failed, or the page on the demo world took more than ``PAGE_BUDGET_MS`` at p95."""
    if "error" in entry:
        return True
    return entry["demo"]["page"].get("p95_ms", 0) > PAGE_BUDGET_MS


def _table(entry: dict) -> str:
    if "error" in entry:
        return f"共性问题：出错\n{entry['error']}"
    demo, distinct = entry["demo"], entry["distinct"]
    rows = [
        [
            "演示数据：问题 / 不同表述 / 跨单位问题组",
            f"{demo['problems']} / {demo['wordings']} / {demo['groups']}",
            "",
        ],
        ["演示数据：归并（选择器）", str(demo["grouping"]["p50_ms"]), str(demo["grouping"]["p95_ms"])],
        ["演示数据：共性问题页", str(demo["page"]["p50_ms"]), str(demo["page"]["p95_ms"])],
        [
            f"{distinct['problems']} 个各不相同的表述：归并",
            str(distinct["grouping"]["p50_ms"]),
            str(distinct["grouping"]["p95_ms"]),
        ],
    ]
    return table(["共性问题", "p50 ms", "p95 ms"], rows)


# --- The measuring process -------------------------------------------------------------------------


def _timed(action, runs: int) -> dict:
    action()  # warm-up
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return summarize(samples)


def distinct_wordings(count: int, seed: int = 14) -> list[tuple[int, int, str]]:
    """``count`` problems ``(id, partition, text)`` each worded differently: a unit, one of the demo's
    wordings of its category, and a detail with a number, drawn from one seeded generator."""
    from lijian.demo.vocabulary.findings import CITY_SUMMARIES

    rng = random.Random(seed)
    units = ["区财政局", "街道办事处", "区教育局", "区卫健委", "社区党委", "区住建委", "区城管委", "区医保局"]
    details = ["涉及资金", "涉及项目", "涉及人员", "涉及合同", "涉及台账", "涉及事项"]
    codes = sorted(CITY_SUMMARIES)
    items = []
    for i in range(count):
        code = rng.choice(codes)
        text = rng.choice(CITY_SUMMARIES[code])
        items.append(
            (i, int(code[0]), f"{rng.choice(units)}{text}，{rng.choice(details)}{rng.randint(1, 999)}处")
        )
    return items


def _measure(runs: int) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lijian.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import transaction
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse
    from django_otp import DEVICE_ID_SESSION_KEY

    from lijian.accounts.models import User
    from lijian.analytics.common import CommonFilter, common_groups, problems_in_scope
    from lijian.analytics.common_similarity import group_texts, normalise
    from tests.world import authenticator

    setup_test_environment()  # the test client's host is allowed
    call_command("collectstatic", verbosity=0, interactive=False)  # the page links the manifest's names
    result: dict = {}
    with transaction.atomic():
        office = User.objects.get(username="xunshiban")
        scope = problems_in_scope(office, CommonFilter())
        summaries = list(scope.values_list("summary", flat=True))
        groups = common_groups(office, CommonFilter(), limit=None)
        client = Client()
        client.force_login(office)
        device = authenticator(office)
        if device is not None:
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        url = reverse("analytics:common")

        def page():
            response = client.get(url, secure=True)
            assert response.status_code == 200, response.status_code

        result["demo"] = {
            "problems": len(summaries),
            "wordings": len({normalise(s) for s in summaries}),
            "groups": len(groups),
            "largest_group": {"problems": groups[0].size, "organizations": len(groups[0].organization_ids)}
            if groups
            else None,
            "grouping": _timed(lambda: common_groups(office, CommonFilter()), runs),
            "page": _timed(page, runs),
        }
        transaction.set_rollback(True)
    items = distinct_wordings(DISTINCT_PROBLEMS)
    found = group_texts(items)
    result["distinct"] = {
        "problems": len(items),
        "groups_of_two_or_more": sum(1 for g in found if len(g.items) > 1),
        "grouping": _timed(lambda: group_texts(items), max(3, runs // 5)),
    }
    return result


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(prog="python -m bench.common_problems")
    parser.add_argument("--runs", type=int, default=DEFAULT_RUNS)
    print(json.dumps(_measure(parser.parse_args().runs), ensure_ascii=False))
