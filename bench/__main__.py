"""``python -m bench`` (or ``make bench BENCH_ARGS=...``): run the benchmarks of DESIGN.md §8.

Writes the figures to ``bench/results.json`` (each benchmark under its own key; other keys are kept)
and prints a table. Run from the project root with the project's virtualenv::

    .venv/bin/python -m bench                                  # 5,000,000 organisations, SQLite and PostgreSQL
    .venv/bin/python -m bench --orgs 200000 --db sqlite        # a quick smoke run
    .venv/bin/python -m bench --db sqlite --profile-import     # cProfile the import (figures not saved)
    .venv/bin/python -m bench --skip-import                    # re-measure the queries on the last import
    .venv/bin/python -m bench --only optimiser                 # GAP instances and the 200×30×600 round
    .venv/bin/python -m bench --only ledger                    # audit ledger: append, chain, verify rates
    .venv/bin/python -m bench --only trust                     # 20-client load on both databases, API fuzz
    .venv/bin/python -m bench --only lists --db sqlite         # first and deep page of 100,000-row lists
    .venv/bin/python -m bench --only common_problems --demo-dir var  # common problems on a built demo
    .venv/bin/python -m bench --only cockpit --demo-dir var          # the cockpit page and charts on a demo
    .venv/bin/python -m bench --only cockpit_browser --demo-dir var  # the cockpit drawn in headless Chromium
    .venv/bin/python -m bench --only roundtrip --demo-dir var        # whole-database export, import, figures

PostgreSQL is reached at postgresql://postgres@127.0.0.1:5432 (trust authentication); the benchmark
drops and creates the database ``lijian_bench`` there. Generated ledgers and the SQLite database live
in ``bench/work/`` (not versioned).
"""

from __future__ import annotations

import argparse
import sys

from bench import (
    cockpit,
    cockpit_browser,
    common_problems,
    ledger,
    lists,
    national,
    optimiser,
    roundtrip,
    trust,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--orgs", type=int, default=5_000_000, help="organisations in the national tree (default 5000000)"
    )
    parser.add_argument(
        "--db",
        choices=["sqlite", "postgresql", "both"],
        default="both",
        help="which database(s) to measure (default both)",
    )
    parser.add_argument("--samples", type=int, default=200, help="queries per level (default 200)")
    parser.add_argument(
        "--profile-import",
        action="store_true",
        help="run the import under cProfile and print where its time goes (figures not saved)",
    )
    parser.add_argument(
        "--skip-import",
        action="store_true",
        help="reuse the database of the last run at this scale; only the queries are measured",
    )
    parser.add_argument(
        "--no-save", action="store_true", help="print the figures without writing results.json"
    )
    parser.add_argument(
        "--only",
        choices=[
            "national",
            "optimiser",
            "ledger",
            "trust",
            "lists",
            "common_problems",
            "cockpit",
            "cockpit_browser",
            "roundtrip",
        ],
        help="run one benchmark (default: all)",
    )
    parser.add_argument(
        "--load-seconds",
        type=float,
        default=trust.LOAD_SECONDS,
        help="how long the 20 clients of the trust load test run on each database (default 180)",
    )
    parser.add_argument(
        "--fuzz-examples",
        type=int,
        default=trust.FUZZ_EXAMPLES,
        help="schemathesis examples per API operation, mode and role (default 25)",
    )
    parser.add_argument(
        "--ledger-events",
        type=int,
        default=ledger.DEFAULT_EVENTS,
        help=f"audit events written and verified by the ledger benchmark (default {ledger.DEFAULT_EVENTS})",
    )
    parser.add_argument(
        "--gap-seconds",
        type=float,
        default=optimiser.GAP_SECONDS,
        help="time limit per GAP instance (default 60)",
    )
    parser.add_argument(
        "--list-rows",
        type=int,
        default=lists.DEFAULT_ROWS,
        help=f"problems and petitions behind the list pages (default {lists.DEFAULT_ROWS})",
    )
    parser.add_argument(
        "--list-runs",
        type=int,
        default=lists.DEFAULT_RUNS,
        help=f"requests per page measured, the median kept (default {lists.DEFAULT_RUNS})",
    )
    parser.add_argument("--gap-instances", nargs="*", help="only these GAP instances, e.g. d20200 e20200")
    parser.add_argument(
        "--demo-dir",
        help="LIJIAN_DATA_DIR of a built `lijian demo` for the common-problems benchmark (default: build one)",
    )
    args = parser.parse_args(argv)
    if args.samples < 2:
        parser.error("--samples must be at least 2")
    status = 0
    if args.only in (None, "optimiser"):
        entry = optimiser.run(gap_seconds=args.gap_seconds, only=args.gap_instances, save=not args.no_save)
        status |= optimiser.failed(entry)
    if args.only in (None, "national"):
        dbs = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
        entry = national.run(
            args.orgs,
            dbs,
            args.samples,
            profile=args.profile_import,
            skip_import=args.skip_import,
            save=not args.no_save,
        )
        status |= bool(set(national.failed(entry)) & set(dbs))
    if args.only in (None, "trust"):
        dbs = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
        entry = trust.run(dbs, seconds=args.load_seconds, examples=args.fuzz_examples, save=not args.no_save)
        status |= trust.failed(entry)
    if args.only in (None, "ledger"):
        dbs = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
        entry = ledger.run(args.ledger_events, dbs, save=not args.no_save)
        status |= any("error" in entry[db] for db in dbs)
    if args.only in (None, "lists"):
        dbs = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
        entry = lists.run(args.list_rows, dbs, runs=args.list_runs, save=not args.no_save)
        status |= lists.failed(entry, dbs)
    if args.only in (None, "common_problems"):
        entry = common_problems.run(demo_dir=args.demo_dir, save=not args.no_save)
        status |= common_problems.failed(entry)
    if args.only in (None, "cockpit"):
        entry = cockpit.run(demo_dir=args.demo_dir, save=not args.no_save)
        status |= cockpit.failed(entry)
    if args.only in (None, "cockpit_browser"):
        entry = cockpit_browser.run(demo_dir=args.demo_dir, save=not args.no_save)
        status |= cockpit_browser.failed(entry)
    if args.only in (None, "roundtrip"):
        entry = roundtrip.run(demo_dir=args.demo_dir, save=not args.no_save)
        status |= roundtrip.failed(entry)
    return int(status)


if __name__ == "__main__":
    sys.exit(main())
