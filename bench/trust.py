"""The trust benchmarks at full size (issue 11, point 12; CI runs them short in ``tests/security/``).

- Load: twenty clients of mixed roles (five of them also writing) against ``lijian serve`` for a few
  minutes on SQLite and on PostgreSQL; the bar is zero errors. Figures: requests, errors, median/p95.
- Fuzz: schemathesis over every API operation as every role, many examples each, new ones every run;
  the bar is no 5xx and no answer off the OpenAPI document.

The live server's data (a freshly migrated database, the test world) lives in ``bench/work/trust-*``;
PostgreSQL uses the database ``lijian_bench_trust`` (dropped and created).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time

from bench.common import PROJECT, WORK, code_version, machine, now_iso, save_results, table

KEY = "trust"
LOAD_SECONDS = 180.0
FUZZ_EXAMPLES = 25
PG = "postgresql://postgres@127.0.0.1:5432"


def _django() -> None:
    """The bench process needs the product's settings to plan each role's reads (not its database)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lijian.settings")
    os.environ.setdefault("LIJIAN_DATA_DIR", str(WORK / "trust-settings"))
    import django

    django.setup()


def run_load(db: str, seconds: float) -> dict:
    from tests.security.live import LiveDatabase, LiveServer
    from tests.security.load import run_load as load

    folder = WORK / f"trust-load-{db}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    if db == "sqlite":
        path = folder / "lijian.sqlite3"
        database = LiveDatabase(url=f"sqlite:///{path}", sqlite_path=path)
    else:
        database = LiveDatabase(
            url=f"{PG}/lijian_bench_trust", admin_url=f"{PG}/postgres", name="lijian_bench_trust"
        )
        database.drop()
        subprocess.run(["psql", f"{PG}/postgres", "-qc", "CREATE DATABASE lijian_bench_trust"], check=True)
    server = LiveServer(folder, database)
    print(f"   migrating and seeding ({db})", flush=True)
    server.command("migrate", "--noinput", timeout=900)
    world = server.seed(full=True)
    server.start()
    try:
        result = load(server, world, clients=20, seconds=seconds)
    finally:
        server.stop()
    figures = result.figures()
    figures["error_examples"] = result.errors[:10]
    verify = server.command("ledger", "verify", check=False)
    figures["ledger_verify_exit"] = verify.returncode
    if database.is_sqlite:
        figures["integrity_check"] = database.integrity_check()
    else:
        database.drop()
    return figures


def run_fuzz(examples: int) -> dict:
    """The CI fuzz test at full size, in its own pytest run (it needs the test database and world)."""
    env = dict(os.environ, LIJIAN_FUZZ_EXAMPLES=str(examples), LIJIAN_FUZZ_RANDOM="1")
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-n", "0", "-q", "-s", "-p", "no:cacheprovider"]
        + ["tests/security/test_schemathesis.py"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.monotonic() - started
    found = re.search(r"schemathesis: (\d+) requests over (\d+) operations as (\d+) roles", done.stdout)
    return {
        "examples_per_operation_and_mode": examples,
        "passed": done.returncode == 0,
        "requests": int(found[1]) if found else None,
        "operations": int(found[2]) if found else None,
        "roles": int(found[3]) if found else None,
        "seconds": round(seconds, 1),
        "failure": None if done.returncode == 0 else done.stdout[-4000:],
    }


def run(
    dbs: list[str], *, seconds: float = LOAD_SECONDS, examples: int = FUZZ_EXAMPLES, save: bool = True
) -> dict:
    _django()
    entry: dict = {"measured_at": now_iso(), "machine": machine(), "code": code_version(), "load": {}}
    for db in dbs:
        print(f"== load: 20 clients for {seconds:.0f} s on {db}", flush=True)
        entry["load"][db] = run_load(db, seconds)
    print(f"== fuzz: schemathesis, {examples} examples per operation, mode and role", flush=True)
    entry["fuzz"] = run_fuzz(examples)
    print_table(entry)
    if save:
        save_results(KEY, entry)
    return entry


def failed(entry: dict) -> bool:
    load_bad = any(f["errors"] or f.get("ledger_verify_exit") for f in entry["load"].values())
    return load_bad or not entry["fuzz"]["passed"]


def print_table(entry: dict) -> None:
    rows = [
        [
            db,
            f"{f['requests']:,}",
            f"{f['reads']:,}",
            f"{f['writes']:,}",
            str(f["errors"]),
            f"{f['requests_per_second']}",
            f"{f['p50_ms']}",
            f"{f['p95_ms']}",
        ]
        for db, f in entry["load"].items()
    ]
    print(table(["database", "requests", "reads", "writes", "errors", "req/s", "median ms", "p95 ms"], rows))
    fuzz = entry["fuzz"]
    print(
        f"fuzz: {fuzz['requests']} requests over {fuzz['operations']} operations as {fuzz['roles']} roles "
        f"in {fuzz['seconds']} s — {'passed' if fuzz['passed'] else 'FAILED'}"
    )
