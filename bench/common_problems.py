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

from bench.common import code_version, machine, now_iso, save_results, table
from bench.demo_world import demo_django_ready, demo_environment, signed_in_client, timed
from bench.isolated import measured

KEY = "common_problems"
DEFAULT_RUNS = 15
DISTINCT_PROBLEMS = 5_800
# The page's budget on the demo world (p95), as for the other pages of figures.
PAGE_BUDGET_MS = 1_000


def run(*, demo_dir: str | None = None, runs: int = DEFAULT_RUNS, save: bool = True) -> dict:
    """Measure in a process of its own on the demo world at ``demo_dir`` (built when ``None``);
    print the table; save under ``common_problems``."""
    env = demo_environment(KEY, demo_dir)
    entry = {
        "measured_at": now_iso(),
        "machine": machine(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],  # other work on the machine
        "code": code_version(),
        "runs": runs,
    }
    entry.update(measured("bench.common_problems", ["--runs", str(runs)], env))
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
    demo_django_ready()
    from django.db import transaction
    from django.urls import reverse

    from lijian.accounts.models import User
    from lijian.analytics.common import CommonFilter, common_groups, problems_in_scope
    from lijian.analytics.common_similarity import group_texts, normalise

    result: dict = {}
    with transaction.atomic():
        office = User.objects.get(username="xunshiban")
        scope = problems_in_scope(office, CommonFilter())
        summaries = list(scope.values_list("summary", flat=True))
        groups = common_groups(office, CommonFilter(), limit=None)
        client = signed_in_client(office)
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
            "grouping": timed(lambda: common_groups(office, CommonFilter()), runs),
            "page": timed(page, runs),
        }
        transaction.set_rollback(True)
    items = distinct_wordings(DISTINCT_PROBLEMS)
    found = group_texts(items)
    result["distinct"] = {
        "problems": len(items),
        "groups_of_two_or_more": sum(1 for g in found if len(g.items) > 1),
        "grouping": timed(lambda: group_texts(items), max(3, runs // 5)),
    }
    return result


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(prog="python -m bench.common_problems")
    parser.add_argument("--runs", type=int, default=DEFAULT_RUNS)
    print(json.dumps(_measure(parser.parse_args().runs), ensure_ascii=False))
