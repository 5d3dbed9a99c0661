"""Measuring a benchmark in a process of its own per database, on a database made fresh for it.

Settings read ``LIJIAN_DATABASE_URL`` at import, so a process measures one database: the benchmark's
``run`` calls ``measure_each``, which for every database empties the benchmark's folder under
``bench/work/<key>/`` (and, for PostgreSQL, drops and creates ``lijian_bench_<key>``), starts
``python -m <module> <args>`` there and keeps the JSON line the process prints last. The measuring
process starts Django with ``django_ready``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

from bench.common import PROJECT, WORK

PG_SERVER = "postgresql://postgres@127.0.0.1:5432"
PG_ADMIN = f"{PG_SERVER}/postgres"


def database_url(key: str, db: str) -> str:
    """Where the benchmark ``key`` keeps its data on ``db`` (``sqlite`` or ``postgresql``)."""
    if db == "sqlite":
        return f"sqlite:///{WORK / key / f'{key}.sqlite3'}"
    return f"{PG_SERVER}/lijian_bench_{key}"


def fresh(key: str, db: str) -> None:
    """An empty ``bench/work/<key>/`` and, for PostgreSQL, an empty ``lijian_bench_<key>``."""
    folder = WORK / key
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    if db == "postgresql":
        name = f"lijian_bench_{key}"
        for sql in (f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'):
            subprocess.run(["psql", PG_ADMIN, "-qc", sql], check=True, capture_output=True)


def measure_each(
    key: str,
    dbs: list[str],
    module: str,
    args: list[str],
    *,
    env: dict[str, str] | None = None,
    announce: str | None = None,
) -> dict[str, dict]:
    """The figures of ``python -m <module> <args>`` run once per database in ``dbs``, each on a fresh
    database (``fresh``), keyed by database: the JSON object the process printed on its last line,
    or ``{"error": …}`` (the tail of its standard error) when it failed. ``env`` adds variables to
    the process's environment; ``announce`` (with ``{db}``) is printed before each database."""
    figures: dict[str, dict] = {}
    for db in dbs:
        if announce:
            print(announce.format(db=db), flush=True)
        fresh(key, db)
        figures[db] = measured(
            module,
            args,
            {
                **os.environ,
                "LIJIAN_DATABASE_URL": database_url(key, db),
                "LIJIAN_DATA_DIR": str(WORK / key / "data"),
                **(env or {}),
            },
        )
    return figures


def measured(module: str, args: list[str], env: dict[str, str]) -> dict:
    """The JSON object ``python -m <module> <args>`` printed on its last line, run from the project
    root with exactly ``env`` as its environment, or ``{"error": …}`` (the tail of its standard
    error) when it failed."""
    done = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        return {"error": done.stderr.strip()[-2000:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def django_ready() -> None:
    """In the measuring process: Django set up on the database ``LIJIAN_DATABASE_URL`` names, with
    every migration applied."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lijian.settings")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
