"""The national organisation tree benchmark (DESIGN.md §8).

The tree (``bench/national_ledger.py``: real divisions plus synthetic units and branches, exactly
``N`` organisations) is imported with the real importer into a fresh database, then the tree reads
are timed on random samples, each beside the best hand-written SQL for the same answer on the same
database and, where cheap, beside the naive query it replaces:

- import rate: the whole ``ledger_import`` call (parsing, checking, writing, commit), in rows/s;
- subtree count of a province / city / county: ``organization_subtree_size``;
- first page of children of a province / city / county: ``organization_children`` as a global
  administrator (grants cached on the user, so the query is what is measured);
- path to root of a leaf (depth 6 or 7): ``organization_ancestors``.

Bars: import >= 50,000 rows/s; subtree count and first page of children p95 <= 100 ms; every query
within 2x the hand-written SQL (p50 and p95).

Each database runs in its own process (``python -m bench.national --db ...``) because the settings
read ``LIJIAN_DATABASE_URL`` and ``LIJIAN_DATA_DIR`` at import; ``run`` starts those processes,
collects their JSON and prints the table.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

from bench.common import (
    PROJECT,
    WORK,
    code_version,
    fmt_ms,
    load_results,
    machine,
    now_iso,
    save_results,
    summarize,
    table,
)
from bench.national_ledger import ensure_ledger

KEY = "national_tree"
PG_SERVER = "postgresql://postgres@127.0.0.1:5432"
PG_DATABASE = "lijian_bench"
SQLITE_FILE = WORK / "national.sqlite3"
DATA_DIR = WORK / "data"
SEED = 20_240_602
NAIVE_SAMPLES = 20  # the naive queries can scan the whole table: a few samples, within a time budget
NAIVE_BUDGET_S = 20.0
BAR_IMPORT_ROWS_PER_S = 50_000
BAR_P95_MS = 100.0
BAR_RATIO = 2.0
LEVELS = {  # level -> (depth, kinds)
    "province": (2, ("provincial_committee",)),
    "city": (3, ("municipal_committee",)),
    "county": (4, ("county_committee", "district_committee")),
}
DB_LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}

# What the tree pages show of an organisation: its columns and its supervising body's name.
ORG_COLUMNS = (
    "o.id, o.path, o.depth, o.numchild, o.code, o.name, o.kind, o.division_code, o.active_from, "
    "o.active_to, o.supervising_body_id, b.name"
)
JOIN_BODY = "FROM orgs_organization o LEFT JOIN orgs_inspectionbody b ON b.id = o.supervising_body_id"
COUNT_SQL = "SELECT count(*) FROM orgs_organization WHERE path >= %s AND path < %s"
CHILDREN_SQL = (
    f"SELECT {ORG_COLUMNS} {JOIN_BODY} "
    "WHERE o.depth = %s AND o.path >= %s AND o.path < %s ORDER BY o.path LIMIT 51"
)
ANCESTORS_SQL = f"SELECT {ORG_COLUMNS} {JOIN_BODY} WHERE o.path IN ({{}}) ORDER BY o.path"
DEFINITIONS = {
    "subtree_count": {
        "selector": "lijian.orgs.selectors.organization_subtree_size(org)",
        "sql": COUNT_SQL + "  (minus 1)",
        "naive": "treebeard get_descendant_count(org): path LIKE 'p%' AND depth >= d AND id <> pk",
    },
    "children_first_page": {
        "selector": "lijian.orgs.selectors.organization_children(admin, org)",
        "sql": CHILDREN_SQL,
        "naive": "Django Paginator(get_children(org), 50).page(1): COUNT(*) then OFFSET/LIMIT",
    },
    "path_to_root": {
        "selector": "lijian.orgs.selectors.organization_ancestors(leaf)",
        "sql": ANCESTORS_SQL.format("%s, ..."),
        "naive": "treebeard get_parent() up to the root: one query per level",
    },
}


# --- Parent: start one process per database, collect, save, print ----------------------------------


def database_url(db: str) -> str:
    return f"sqlite:///{SQLITE_FILE}" if db == "sqlite" else f"{PG_SERVER}/{PG_DATABASE}"


def run(
    orgs: int,
    dbs: list[str],
    samples: int,
    *,
    profile: bool = False,
    skip_import: bool = False,
    save: bool = True,
) -> dict:
    """Run the benchmark on each of ``dbs``; merge the figures into ``results.json`` and print them."""
    folder = ensure_ledger(orgs)
    entry: dict = {"orgs": orgs, "samples_per_level": samples, "code": code_version()}
    for db in dbs:
        out = WORK / f"national-result-{db}.json"
        out.unlink(missing_ok=True)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "lijian.settings",
            "LIJIAN_DATABASE_URL": database_url(db),
            "LIJIAN_DATA_DIR": str(DATA_DIR),
            "LIJIAN_DEBUG": "0",
        }
        cmd = [
            sys.executable,
            "-m",
            "bench.national",
            "--db",
            db,
            "--ledger",
            str(folder),
            "--orgs",
            str(orgs),
            "--samples",
            str(samples),
            "--out",
            str(out),
        ]
        cmd += ["--profile"] * profile + ["--skip-import"] * skip_import
        print(f"\n== {DB_LABELS[db]}: {' '.join(cmd[1:])}", flush=True)
        done = subprocess.run(cmd, cwd=PROJECT, env=env)
        if out.exists():
            entry[db] = json.loads(out.read_text())
        else:
            entry[db] = {"error": f"the benchmark process exited with status {done.returncode}"}
        entry[db]["measured_at"] = now_iso()
        entry[db]["code"] = entry["code"]
    entry["machine"] = machine()
    entry["measured_at"] = now_iso()
    previous = load_results().get(KEY) or {}
    if previous.get("orgs") == orgs:  # same scale: keep the other database's figures and old import figures
        for db in DB_LABELS:
            if db not in dbs and db in previous:
                entry[db] = previous[db]
            elif db in entry and "import" not in entry[db] and "import" in previous.get(db, {}):
                entry[db]["import"] = {**previous[db]["import"], "from_earlier_run": True}
    entry = {
        k: entry[k]
        for k in ("orgs", "samples_per_level", "sqlite", "postgresql", "machine", "code", "measured_at")
        if k in entry
    }
    print()
    print(report(entry))
    if profile:
        print("\n(--profile: the import ran under cProfile, figures not saved to results.json)")
    elif save:
        save_results(KEY, entry)
        print(f"\nsaved to bench/results.json [{KEY}]")
    return entry


def failed(entry: dict) -> list[str]:
    """The databases whose benchmark did not complete."""
    return [db for db in DB_LABELS if "error" in (entry.get(db) or {})]


def _bar(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def _rows(n: float | None) -> str:
    if n is None:
        return "—"
    return f"{n / 1000:,.0f}k" if n >= 10_000 else f"{n:,.0f}"


def bars(db_entry: dict) -> list[tuple[str, bool]]:
    """Each bar of DESIGN.md §8 this benchmark measures, with whether it holds."""
    if "error" in db_entry:
        return [("benchmark completed", False)]
    out = []
    imp = db_entry.get("import")
    if imp:
        out.append(
            (f"import >= {BAR_IMPORT_ROWS_PER_S:,} rows/s", imp["rows_per_s"] >= BAR_IMPORT_ROWS_PER_S)
        )
    for query, levels in db_entry["queries"].items():
        for level, fig in levels.items():
            if query != "path_to_root":
                out.append(
                    (f"{query} {level} p95 <= {BAR_P95_MS:.0f} ms", fig["selector"]["p95_ms"] <= BAR_P95_MS)
                )
            out.append(
                (
                    f"{query} {level} within {BAR_RATIO:.0f}x SQL",
                    max(fig["ratio_p50"], fig["ratio_p95"]) <= BAR_RATIO,
                )
            )
    return out


def report(entry: dict) -> str:
    """The readable table of one ``national_tree`` entry."""
    code = entry.get("code") or {}
    lines = [
        f"National organisation tree — {entry['orgs']:,} organisations, "
        f"{entry.get('samples_per_level', '?')} samples per level, commit {code.get('commit')}"
        + (" + uncommitted changes in src/" if code.get("src_uncommitted_changes") else "")
    ]
    for db, label in DB_LABELS.items():
        d = entry.get(db)
        if not d:
            continue
        lines.append("")
        if "error" in d:
            lines.append(f"[{label}] FAILED: {d['error']}")
            continue
        lines.append(
            f"[{label} {d['server']['version']}]  database {d['server'].get('size_mb', 0):,.0f} MB"
            + (f", shared_buffers {d['server']['shared_buffers']}" if "shared_buffers" in d["server"] else "")
            + (
                f"; load average {d['load_average_at_start'][0]:.1f} at start, "
                f"{d['load_average_at_end'][0]:.1f} at end"
                if "load_average_at_end" in d
                else ""
            )
        )
        imp = d.get("import")
        if imp:
            ph = imp.get("phases_s", {})
            lines.append(
                f"Import: {imp['rows']:,} rows in {imp['seconds']:.1f} s = {imp['rows_per_s']:,.0f} rows/s "
                f"[bar >= {BAR_IMPORT_ROWS_PER_S:,}: {_bar(imp['rows_per_s'] >= BAR_IMPORT_ROWS_PER_S)}]"
                + (" (from an earlier run)" if imp.get("from_earlier_run") else "")
            )
            if ph:
                lines.append(
                    "  "
                    + " · ".join(f"{k.replace('_', ' ')} {v:.1f} s" for k, v in ph.items())
                    + f" · peak RSS {imp.get('peak_rss_mb', 0) / 1024:.1f} GiB"
                )
        maint = d.get("after_import")
        if maint:
            lines.append(f"After import: {maint['statement']} ({maint['seconds']:.1f} s)")
        rows = []
        for query, levels in d["queries"].items():
            for level, f in levels.items():
                naive = f.get("naive") or {}
                checks = []
                if query != "path_to_root" and f["selector"]["p95_ms"] > BAR_P95_MS:
                    checks.append("p95>100")
                if max(f["ratio_p50"], f["ratio_p95"]) > BAR_RATIO:
                    checks.append(">2x")
                rows.append(
                    [
                        query.replace("_", " "),
                        level,
                        str(f["selector"]["n"]),
                        _rows(f.get("answer_mean")),
                        fmt_ms(f["selector"]["p50_ms"]),
                        fmt_ms(f["selector"]["p95_ms"]),
                        fmt_ms(f["sql"]["p50_ms"]),
                        fmt_ms(f["sql"]["p95_ms"]),
                        f"{f['ratio_p50']:.2f}",
                        f"{f['ratio_p95']:.2f}",
                        fmt_ms(f.get("selector_overhead_p50_ms")),
                        fmt_ms(naive.get("p50_ms")),
                        fmt_ms(naive.get("p95_ms")),
                        str(naive.get("n", "—")),
                        "ok" if not checks else "FAIL " + ",".join(checks),
                    ]
                )
        lines.append(
            table(
                [
                    "query",
                    "level",
                    "n",
                    "answer",
                    "sel p50",
                    "sel p95",
                    "SQL p50",
                    "SQL p95",
                    "×p50",
                    "×p95",
                    "sel−SQL p50",
                    "naive p50",
                    "naive p95",
                    "naive n",
                    "bars",
                ],
                rows,
                "llrrrrrrrrrrrrl",
            )
        )
        failed = [name for name, ok in bars(d) if not ok]
        lines.append(
            f"Bars: {len(bars(d)) - len(failed)}/{len(bars(d))} pass"
            + (f"; failing: {'; '.join(failed)}" if failed else "")
        )
    lines.append("")
    lines.append(
        "Times in ms. answer = mean subtree size / children on the page / ancestors. "
        "sel = the project's selector as the pages call it;\n"
        "SQL = the best hand-written SQL through the raw DB-API cursor; × = sel / SQL; sel−SQL = the "
        "selector's fixed cost. naive: the query it replaces (see results.json definitions)."
    )
    return "\n".join(lines)


# --- Worker: one database, in its own process --------------------------------------------------------


def reset_database(db: str) -> None:
    """An empty database: a new SQLite file, or ``lijian_bench`` dropped and created again."""
    if db == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_FILE}{suffix}").unlink(missing_ok=True)
        SQLITE_FILE.parent.mkdir(parents=True, exist_ok=True)
        return
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {PG_DATABASE}")


def server_info() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            info = {"version": cursor.fetchone()[0]}
            files = [Path(f"{SQLITE_FILE}{s}") for s in ("", "-wal")]
            info["size_mb"] = round(sum(f.stat().st_size for f in files if f.exists()) / 1e6, 1)
            cursor.execute("PRAGMA journal_mode")
            info["journal_mode"] = cursor.fetchone()[0]
            return info
        cursor.execute("SHOW server_version")
        info = {"version": cursor.fetchone()[0].split()[0]}
        cursor.execute("SHOW shared_buffers")
        info["shared_buffers"] = cursor.fetchone()[0]
        cursor.execute(
            "SELECT pg_database_size(current_database()), pg_total_relation_size('orgs_organization')"
        )
        db_size, table_size = cursor.fetchone()
        info["size_mb"] = round(db_size / 1e6, 1)
        info["orgs_table_with_indexes_mb"] = round(table_size / 1e6, 1)
        return info


def superuser():
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    user = user_model.objects.filter(username="bench").first()
    return user or user_model.objects.create_superuser("bench", "", None)


STAGE_NAMES = {"重建索引": "rebuild_indexes", "rebuild indexes": "rebuild_indexes"}


def _phases(start: float, end: float, events: list[tuple[float, str]]) -> dict:
    """Split the import at its progress reports: reading the CSV ("parse"), checking and placing the
    rows ("check_and_place"), writing them ("write"), then any later stage the importer reports (e.g.
    rebuilding indexes) together with the rest (parent counters, audit event, ANALYZE, commit).
    The first write report on SQLite comes after the first 50,000-row batch, so "write" is a little short."""
    labels = list(dict.fromkeys(label for _, label in events))
    if len(labels) < 2:
        return {}
    times = {label: [t for t, lab in events if lab == label] for label in labels}
    read, write = times[labels[0]], times[labels[1]]
    phases = {
        "parse": read[-1] - start,
        "check_and_place": write[0] - read[-1],
        "write": write[-1] - write[0],
    }
    if len(labels) > 2:
        later = labels[2:]
        for label, following in zip(later, [*later[1:], None], strict=True):
            name = STAGE_NAMES.get(label.lower(), label)
            phases[name if following else f"{name}_and_finish"] = (
                times[following][0] if following else end
            ) - times[label][0]
    else:
        phases["finish"] = end - write[-1]
    return {k: round(v, 2) for k, v in phases.items()}


def timed_import(folder: Path, user, db: str, profile: bool) -> dict:
    """Import the bundle once with the real importer; rows/s over the whole ``ledger_import`` call."""
    import cProfile
    import pstats

    from lijian.documents.ledger.importer import ledger_import

    events: list[tuple[float, str]] = []

    def progress(stage, done, total):
        events.append((time.perf_counter(), str(stage)))

    gc.collect()
    profiler = cProfile.Profile() if profile else None
    print("importing …", flush=True)
    start = time.perf_counter()
    if profiler:
        profiler.enable()
    result = ledger_import(folder, actor=user, progress=progress)
    if profiler:
        profiler.disable()
    end = time.perf_counter()
    if not result.ok:
        raise RuntimeError(
            f"ledger_import failed with {result.error_count} error(s): "
            + "; ".join(f"{e.file}:{e.line} {e.column} {e.reason}" for e in result.errors[:3])
        )
    rows = result.counts["organizations.csv"]["created"]
    figures = {
        "rows": rows,
        "seconds": round(end - start, 2),
        "rows_per_s": round(rows / (end - start)),
        "phases_s": _phases(start, end, events),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    print(
        f"imported {rows:,} rows in {end - start:.1f} s = {figures['rows_per_s']:,} rows/s {figures['phases_s']}",
        flush=True,
    )
    if profiler:
        figures["profiled"] = True
        dump = WORK / f"import-{db}.prof"
        profiler.dump_stats(dump)
        stats = pstats.Stats(profiler, stream=sys.stdout).strip_dirs()
        print(f"\n--- cProfile of the import (saved to {dump}), by own time ---")
        stats.sort_stats("tottime").print_stats(25)
        print("--- by cumulative time ---")
        stats.sort_stats("cumulative").print_stats(30)
    del result
    gc.collect()
    return figures


def maintain() -> dict:
    """Refresh the planner's statistics after the import (and, on SQLite, fold the WAL back in)."""
    from django.db import connection

    statements = (
        ["ANALYZE", "PRAGMA wal_checkpoint(TRUNCATE)"]
        if connection.vendor == "sqlite"
        else ["VACUUM ANALYZE orgs_organization"]
    )  # VACUUM: outside a transaction (autocommit)
    start = time.perf_counter()
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    seconds = time.perf_counter() - start
    print(f"after import: {'; '.join(statements)} ({seconds:.1f} s)", flush=True)
    return {"statement": "; ".join(statements), "seconds": round(seconds, 2)}


def sample_level(rng: random.Random, depth: int, kinds: tuple[str, ...], k: int) -> list:
    """``k`` organisations of these kinds at ``depth`` (with repetition when there are fewer than ``k``)."""
    from lijian.orgs.models import Organization

    pks = list(
        Organization.objects.filter(depth=depth, kind__in=kinds).order_by("path").values_list("pk", flat=True)
    )
    chosen = rng.choices(pks, k=k) if len(pks) < k else rng.sample(pks, k)
    by_pk = Organization.objects.in_bulk(chosen)
    return [by_pk[pk] for pk in chosen]


def sample_leaves(rng: random.Random, k: int) -> list:
    """``k`` distinct random leaves at depth 6 or 7, found by probing random primary keys."""
    from django.db.models import Max, Min

    from lijian.orgs.models import Organization

    bounds = Organization.objects.aggregate(lo=Min("pk"), hi=Max("pk"))
    found, seen = [], set()
    while len(found) < k:
        probe = [rng.randint(bounds["lo"], bounds["hi"]) for _ in range(4 * k)]
        rows = Organization.objects.in_bulk(probe)
        for pk in probe:
            org = rows.get(pk)
            if org is not None and org.numchild == 0 and org.depth >= 6 and pk not in seen:
                seen.add(pk)
                found.append(org)
    return found[:k]


class Queries:
    """Each measured read three ways: the project's selector, hand-written SQL through the raw
    DB-API cursor, and the naive query. Each returns a comparable answer, so the three are checked to agree."""

    def __init__(self, user):
        from django.db import connection

        connection.ensure_connection()
        self.user = user
        self.raw = connection.connection.cursor()
        self.placeholder = "?" if connection.vendor == "sqlite" else "%s"

    def _sql(self, sql: str) -> str:
        return sql.replace("%s", self.placeholder)

    # subtree count
    def count_selector(self, org):
        from lijian.orgs.selectors import organization_subtree_size

        return organization_subtree_size(org)

    def count_sql(self, org):
        self.raw.execute(self._sql(COUNT_SQL), (org.path, org.path + "~"))
        return self.raw.fetchone()[0] - 1

    def count_naive(self, org):
        return type(org).objects.get_descendant_count(org)

    # first page of children
    def children_selector(self, org):
        from lijian.orgs.selectors import organization_children

        page = organization_children(self.user, org)
        return [o.path for o in page.items], page.next_after

    def children_sql(self, org):
        self.raw.execute(self._sql(CHILDREN_SQL), (org.depth + 1, org.path, org.path + "~"))
        rows = self.raw.fetchall()
        more = len(rows) > 50
        rows = rows[:50]
        return [r[1] for r in rows], rows[-1][1] if more else None

    def children_naive(self, org):
        from django.core.paginator import Paginator

        page = Paginator(type(org).objects.get_children(org), 50).page(1)
        items = list(page)
        return [o.path for o in items], items[-1].path if page.has_next() else None

    # path to root
    def ancestors_selector(self, org):
        from lijian.orgs.selectors import organization_ancestors

        return [o.path for o in organization_ancestors(org)]

    def ancestors_sql(self, org):
        paths = [org.path[:i] for i in range(4, len(org.path), 4)]
        self.raw.execute(self._sql(ANCESTORS_SQL.format(", ".join(["%s"] * len(paths)))), paths)
        return [r[1] for r in self.raw.fetchall()]

    def ancestors_naive(self, org):
        chain, node = [], org
        while (node := type(org).objects.get_parent(node, update=True)) is not None:
            chain.append(node.path)
        return chain[::-1]


def _time(fn, org) -> tuple[float, object]:
    start = time.perf_counter_ns()
    answer = fn(org)
    return (time.perf_counter_ns() - start) / 1e6, answer


def _size(answer) -> int:
    if isinstance(answer, int):
        return answer
    return len(answer[0]) if isinstance(answer, tuple) else len(answer)


def measure_one(selector, sql, naive, orgs: list) -> dict:
    """Warm up (every sample once through selector and SQL, checking they agree), then time both on
    every sample, interleaved and alternating which goes first; the naive query on a few samples."""
    mismatches = 0
    for org in orgs:
        if selector(org) != sql(org):
            mismatches += 1
    if mismatches:
        raise AssertionError(f"{selector.__name__} and {sql.__name__} disagree on {mismatches} samples")
    gc.collect()
    selector_ms, sql_ms, sizes = [], [], []
    for i, org in enumerate(orgs):
        pair = (selector, sql) if i % 2 == 0 else (sql, selector)
        for fn in pair:
            ms, answer = _time(fn, org)
            (selector_ms if fn is selector else sql_ms).append(ms)
        sizes.append(_size(answer))
    figures = {"selector": summarize(selector_ms), "sql": summarize(sql_ms)}
    figures["ratio_p50"] = round(figures["selector"]["p50_ms"] / figures["sql"]["p50_ms"], 2)
    figures["ratio_p95"] = round(figures["selector"]["p95_ms"] / figures["sql"]["p95_ms"], 2)
    figures["selector_overhead_p50_ms"] = round(figures["selector"]["p50_ms"] - figures["sql"]["p50_ms"], 3)
    figures["answer_mean"] = round(sum(sizes) / len(sizes), 1)
    if naive is not None:
        naive_ms = []
        if naive(orgs[0]) != selector(orgs[0]):
            raise AssertionError(f"{naive.__name__} disagrees with {selector.__name__}")
        deadline = time.perf_counter() + NAIVE_BUDGET_S
        for org in orgs[:NAIVE_SAMPLES]:
            naive_ms.append(_time(naive, org)[0])
            if time.perf_counter() > deadline and len(naive_ms) >= 3:
                break
        figures["naive"] = summarize(naive_ms)
    return figures


def measure(user, samples: int) -> dict:
    """Every query at every level on the same fixed-seed samples."""
    from lijian.core.permissions import access_for

    access_for(user)  # the grants are read once and cached on the user, as within one request
    q = Queries(user)
    rng = random.Random(SEED)
    picked = {level: sample_level(rng, depth, kinds, samples) for level, (depth, kinds) in LEVELS.items()}
    leaves = sample_leaves(rng, samples)
    queries: dict = {"subtree_count": {}, "children_first_page": {}, "path_to_root": {}}
    for level, orgs in picked.items():
        for query, (selector, sql, naive) in {
            "subtree_count": (q.count_selector, q.count_sql, q.count_naive),
            "children_first_page": (q.children_selector, q.children_sql, q.children_naive),
        }.items():
            print(f"measuring {query} / {level} …", flush=True)
            queries[query][level] = measure_one(selector, sql, naive, orgs)
    print("measuring path_to_root / leaf …", flush=True)
    queries["path_to_root"]["leaf"] = measure_one(
        q.ancestors_selector, q.ancestors_sql, q.ancestors_naive, leaves
    )
    depths = [o.depth for o in leaves]
    queries["path_to_root"]["leaf"]["leaf_depths"] = {str(d): depths.count(d) for d in sorted(set(depths))}
    return queries


def worker(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.national", description="One database of the benchmark."
    )
    parser.add_argument("--db", choices=list(DB_LABELS), required=True)
    parser.add_argument("--ledger", type=Path, required=True)
    parser.add_argument("--orgs", type=int, required=True)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--skip-import", action="store_true")
    args = parser.parse_args(argv)
    if os.environ.get("LIJIAN_DATABASE_URL") != database_url(args.db):
        raise SystemExit("run through `python -m bench`, which sets LIJIAN_DATABASE_URL and LIJIAN_DATA_DIR")
    if not args.skip_import:
        reset_database(args.db)
        print("migrating …", flush=True)
        subprocess.run([sys.executable, "-m", "lijian", "migrate", "--noinput", "-v", "0"], check=True)
    import django

    django.setup()
    try:
        user = superuser()
        result: dict = {"load_average_at_start": [round(x, 2) for x in os.getloadavg()]}
        if args.skip_import:
            from lijian.orgs.models import Organization

            if (found := Organization.objects.count()) != args.orgs:
                raise RuntimeError(
                    f"--skip-import: the database holds {found:,} organisations, not {args.orgs:,}"
                )
        else:
            result["import"] = timed_import(args.ledger, user, args.db, args.profile)
            result["after_import"] = maintain()
        result["server"] = server_info()
        result["queries"] = measure(user, args.samples)
        result["definitions"] = DEFINITIONS
        result["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    except Exception as exc:  # reported in the table and results.json, and the run exits non-zero
        args.out.write_text(json.dumps({"error": f"{type(exc).__name__}: {exc}"}, ensure_ascii=False))
        raise
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    worker()
