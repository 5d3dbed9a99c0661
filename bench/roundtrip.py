"""The whole database through the ledger and back (issue 14): export every file of a built demo world,
import the bundle into an empty database, and compare ``lijian figures --json`` for every body and term.

``python -m bench.roundtrip [--demo-dir DIR] [--work DIR] [--no-save]``:

1. the demo world is the ``LIJIAN_DATA_DIR`` at ``--demo-dir`` (copied into ``<work>/a`` so it is left as
   it was), or, without one, ``lijian demo`` built into ``<work>/a`` (minutes);
2. ``lijian export-ledger <work>/bundle`` as the demo's administrator, timed;
3. ``<work>/b`` migrated empty, a superuser made there, ``lijian import-ledger <work>/bundle``, timed;
4. every figure (``analytics.figures.all_figures``) of every body and each of its terms, on the term's
   last day and on its middle day (each no later than today), read on both databases and compared;
   so is every mark of every cockpit chart, ranking and trend (``cockpit.CHARTS``, ``RANKINGS``) by its
   series, label and value (a mark's key and link may hold database ids, which differ).

The times, the rows of each file and the number of differing figures and marks (with the first
differences) are saved under ``roundtrip`` in ``bench/results.json``; a difference is a defect of the
ledger files.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench.common import PROJECT, WORK, code_version, machine, now_iso, save_results, table

KEY = "roundtrip"
DEMO_ADMIN = "admin"  # the demo's administrator (no organisation: the whole database)
IMPORTER = "roundtrip"
LISTED_DIFFERENCES = 50


def _lijian(data_dir: Path, *args: str, capture: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "LIJIAN_DATA_DIR": str(data_dir)}
    env.pop("LIJIAN_DATABASE_URL", None)
    env.setdefault("DJANGO_SUPERUSER_PASSWORD", "roundtrip-Pass-2026")
    return subprocess.run(
        [sys.executable, "-m", "lijian", *args], cwd=PROJECT, env=env, capture_output=capture, text=True
    )


def _checked(done: subprocess.CompletedProcess, what: str) -> subprocess.CompletedProcess:
    if done.returncode != 0:
        raise SystemExit(f"{what} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done


def _figures_of(data_dir: Path, out: Path) -> dict:
    """Every figure of ``data_dir``'s database (run in a process of its own), by body, term and day."""
    env = {**os.environ, "LIJIAN_DATA_DIR": str(data_dir)}
    env.pop("LIJIAN_DATABASE_URL", None)
    _checked(
        subprocess.run(
            [sys.executable, "-m", "bench.roundtrip", "--figures-to", str(out)],
            cwd=PROJECT,
            env=env,
            capture_output=True,
            text=True,
        ),
        f"figures of {data_dir}",
    )
    return json.loads(out.read_text(encoding="utf-8"))


def differences(before: dict, after: dict, path: str = "") -> list[str]:
    """Each leaf where ``after`` differs from ``before``, as ``path: before -> after``."""
    if isinstance(before, dict) and isinstance(after, dict):
        found = []
        for key in sorted(set(before) | set(after), key=str):
            where = f"{path}/{key}" if path else str(key)
            if key not in after:
                found.append(f"{where}: {_short(before[key])} -> (missing)")
            elif key not in before:
                found.append(f"{where}: (missing) -> {_short(after[key])}")
            else:
                found += differences(before[key], after[key], where)
        return found
    return [] if before == after else [f"{path}: {_short(before)} -> {_short(after)}"]


def _short(value) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 120 else text[:117] + "..."


def leaves(data) -> int:
    return sum(leaves(v) for v in data.values()) if isinstance(data, dict) else 1


def run(*, demo_dir: str | None = None, work: str | None = None, save: bool = True) -> dict:
    folder = Path(work) if work else WORK / KEY
    a, b, bundle = folder / "a", folder / "b", folder / "bundle"
    for path in (a, b, bundle):
        shutil.rmtree(path, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    if demo_dir:
        shutil.copytree(demo_dir, a)
    else:
        print(f"   building the demo world in {a} (minutes)", flush=True)
        a.mkdir(parents=True)
        _checked(_lijian(a, "migrate", "-v0"), "migrate")
        _checked(_lijian(a, "demo"), "lijian demo")
    entry = {
        "measured_at": now_iso(),
        "machine": machine(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "code": code_version(),
    }

    started = time.perf_counter()
    exported = _checked(_lijian(a, "export-ledger", str(bundle), "--user", DEMO_ADMIN), "export")
    entry["export_s"] = round(time.perf_counter() - started, 1)
    entry["rows"] = {
        line.split(":")[0]: int(line.split(":")[1].split()[0])
        for line in exported.stdout.splitlines()
        if line.endswith(" 行")
    }

    b.mkdir(parents=True)
    started = time.perf_counter()
    _checked(_lijian(b, "migrate", "-v0"), "migrate of the empty database")
    entry["migrate_s"] = round(time.perf_counter() - started, 1)
    _checked(
        _lijian(b, "createsuperuser", "--noinput", "--username", IMPORTER, "--email", "rt@example.org"),
        "createsuperuser",
    )
    started = time.perf_counter()
    imported = _lijian(b, "import-ledger", str(bundle), "--user", IMPORTER)
    entry["import_s"] = round(time.perf_counter() - started, 1)
    if imported.returncode != 0:
        entry["import_errors"] = imported.stderr.strip().splitlines()[-LISTED_DIFFERENCES:]
    else:
        before = _figures_of(a, folder / "figures-a.json")
        after = _figures_of(b, folder / "figures-b.json")
        found = differences(before["figures"], after["figures"])
        marks = differences(before["cockpit"], after["cockpit"])
        entry["bodies_terms_days"] = len(before["figures"])
        entry["figures_compared"] = leaves(before["figures"])
        entry["differing_figures"] = len(found)
        entry["cockpit_marks_compared"] = sum(len(c) for v in before["cockpit"].values() for c in v.values())
        entry["differing_cockpit_values"] = len(marks)
        entry["differences"] = (found + marks)[:LISTED_DIFFERENCES]
    print(_table(entry))
    if save:
        save_results(KEY, entry)
    return entry


def failed(entry: dict) -> bool:
    """The import was refused or a figure differs."""
    return bool(
        entry.get("import_errors") or entry.get("differing_figures") or entry.get("differing_cockpit_values")
    )


def _table(entry: dict) -> str:
    rows = [
        ["导出（秒）", str(entry["export_s"])],
        ["空库迁移（秒）", str(entry["migrate_s"])],
        ["导入（秒）", str(entry["import_s"])],
        ["导出的行", str(sum(entry["rows"].values()))],
    ]
    if "import_errors" in entry:
        rows.append(["导入失败", "\n".join(entry["import_errors"][:10])])
    else:
        rows += [
            ["机构 × 届次 × 日期", str(entry["bodies_terms_days"])],
            ["比较的数字", str(entry["figures_compared"])],
            ["不同的数字", str(entry["differing_figures"])],
            ["比较的驾驶舱图表标记", str(entry["cockpit_marks_compared"])],
            ["不同的标记值", str(entry["differing_cockpit_values"])],
        ]
    text = table(["全库导出再导入", ""], rows)
    for line in entry.get("differences", [])[:20]:
        text += "\n  " + line
    return text


# --- The measuring process: every figure of this process's database ---------------------------------


def _figures(out: Path) -> None:
    from bench.isolated import django_ready

    django_ready()
    from django.utils import timezone

    from lijian.analytics.cockpit import CHARTS
    from lijian.analytics.cockpit_rankings import RANKINGS
    from lijian.analytics.figures import all_figures
    from lijian.orgs.models import InspectionBody

    charts = {**CHARTS, **RANKINGS}
    today = timezone.localdate()
    found, cockpit = {}, {}
    for body in InspectionBody.objects.select_related("owner_org").order_by("code"):
        for term in body.terms.order_by("start"):
            middle = term.start + (term.end - term.start) / 2
            for day in sorted({min(middle, today), min(term.end, today)}):
                if day < term.start:
                    continue
                key = f"{body.code}|{term.name}|{day.isoformat()}"
                found[key] = all_figures(body, term, day)
                cockpit[key] = {
                    name: _marks(build(body, term, day)) for name, (build, _title) in charts.items()
                }
    data = {"figures": found, "cockpit": cockpit}
    out.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")


def _marks(chart) -> dict[str, list]:
    """A chart's marks by series and label (a label shown twice keeps each value, in order): what the
    leader reads off it, without the database ids its keys and links may hold."""
    marks: dict[str, list] = {}
    for mark in chart.marks:
        value = [mark.value, mark.numerator, mark.denominator]
        marks.setdefault(f"{mark.series}|{mark.label}", []).append(value)
    return marks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.roundtrip", description=__doc__.split("\n\n")[0])
    parser.add_argument("--demo-dir", help="a built demo's LIJIAN_DATA_DIR (copied, left as it was)")
    parser.add_argument("--work", help=f"where the copies and the bundle go (default {WORK / KEY})")
    parser.add_argument("--no-save", action="store_true", help="print without writing results.json")
    parser.add_argument("--figures-to", help=argparse.SUPPRESS)  # the measuring process
    args = parser.parse_args(argv)
    if args.figures_to:
        _figures(Path(args.figures_to))
        return 0
    entry = run(demo_dir=args.demo_dir, work=args.work, save=not args.no_save)
    return int(failed(entry))


if __name__ == "__main__":
    sys.exit(main())
