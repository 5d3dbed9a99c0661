"""Helpers shared by the benchmarks: timing statistics, machine description, ``results.json``."""

from __future__ import annotations

import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent
PROJECT = ROOT.parent
RESULTS = ROOT / "results.json"
WORK = ROOT / "work"


def summarize(samples_ms: list[float]) -> dict:
    """p50, p95 and mean of a list of durations in milliseconds (linear interpolation between ranks)."""
    if not samples_ms:
        return {"n": 0}
    if len(samples_ms) == 1:
        only = round(samples_ms[0], 3)
        return {"n": 1, "p50_ms": only, "p95_ms": only, "mean_ms": only, "max_ms": only}
    cuts = statistics.quantiles(samples_ms, n=100, method="inclusive")
    return {
        "n": len(samples_ms),
        "p50_ms": round(cuts[49], 3),
        "p95_ms": round(cuts[94], 3),
        "mean_ms": round(statistics.fmean(samples_ms), 3),
        "max_ms": round(max(samples_ms), 3),
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def machine() -> dict:
    """What the figures were measured on."""
    return {
        "platform": platform.platform(),
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "memory_gib": _memory_gib(),
        "python": sys.version.split()[0],
        "django": _version("django"),
        "psycopg": _version("psycopg"),
    }


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def code_version() -> dict:
    """The commit measured, and whether ``src/`` had uncommitted changes at the time."""

    def git(*args: str) -> str:
        try:
            return subprocess.run(
                ["git", *args], cwd=PROJECT, capture_output=True, text=True, check=True
            ).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return ""

    return {
        "commit": git("rev-parse", "--short", "HEAD") or None,
        "src_uncommitted_changes": bool(git("status", "--porcelain", "--", "src")),
    }


def now_iso() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")


def load_results(path: Path = RESULTS) -> dict:
    if path.exists():
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            return {}
    return {}


def save_results(key: str, entry: dict, path: Path = RESULTS) -> None:
    """Set ``key`` in ``results.json``, keeping every other benchmark's entry."""
    results = load_results(path)
    results[key] = entry
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(
        json.dumps(results, indent=2, ensure_ascii=False, sort_keys=False) + "\n", encoding="utf-8"
    )
    os.replace(tmp, path)


def fmt_ms(value: float | None) -> str:
    if value is None:
        return "—"
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def table(headers: list[str], rows: list[list[str]], align: str | None = None) -> str:
    """A plain-text table; ``align`` is one letter per column, ``l`` or ``r`` (default: first left)."""
    align = align or "l" + "r" * (len(headers) - 1)

    def width(s: str) -> int:  # CJK characters take two columns in a terminal
        return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)

    widths = [max(width(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]

    def line(cells):
        out = []
        for cell, w, a in zip(cells, widths, align, strict=True):
            pad = " " * (w - width(str(cell)))
            out.append(f"{cell}{pad}" if a == "l" else f"{pad}{cell}")
        return "  ".join(out).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])
