"""The national organisation tree as a ledger bundle (``organizations.csv``), for the benchmarks.

The tree is built from the real division data (``bench/divisions.py``): one root "全国", then one
party committee per province, city, county, town/street and village/community. Synthetic
organisations bring it to exactly ``N`` rows: departments (``department``) under every city and
county, state-owned enterprises (``soe``) and schools and hospitals (``institution``) under every
county, and party branches (``branch``) under villages/communities and under those units.

Everything is deterministic (fixed seed, input files read in order), so the same ``N`` always gives
the same file; it is cached as ``bench/work/national-<N>/organizations.csv`` and reused while
``GENERATOR_VERSION`` is unchanged.

Below national scale (the division data alone is 665,277 rows) a smaller, still realistic, tree is
made from a subset of the provinces: provinces are taken in code order while their divisions stay
within ``DIVISION_SHARE`` of ``N``, so the shape (about 7.5 organisations per division) is kept.
"""

from __future__ import annotations

import csv
import datetime
import json
import os
import random
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bench import divisions

WORK = Path(__file__).resolve().parent / "work"
GENERATOR_VERSION = 1
SEED = 20_240_601
HEADER = [
    "code",
    "name",
    "kind",
    "parent_code",
    "division_code",
    "supervising_body",
    "active_from",
    "active_to",
]
# At national scale the divisions are 665,277 of 5,000,000 rows (13.3 %); below that a subset of
# provinces is used so that divisions stay within this share of the tree.
DIVISION_SHARE = 0.14
MIN_ORGS = 20_000

# Units created under every city / county (scaled down when the budget is too small for them).
CITY_DEPARTMENTS = 30
COUNTY_DEPARTMENTS = 25
COUNTY_SOES = 8
COUNTY_SCHOOLS = 15
VILLAGE_BRANCH_SHARE = 0.75  # of the branches, the share under villages/communities (rest under units)

# Placeholder "cities" of the division data (municipalities, province-administered counties).
PLACEHOLDER_CITIES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}

BUREAUS = [
    "发展和改革委员会",
    "教育局",
    "科学技术局",
    "工业和信息化局",
    "公安局",
    "民政局",
    "司法局",
    "财政局",
    "人力资源和社会保障局",
    "自然资源和规划局",
    "生态环境局",
    "住房和城乡建设局",
    "交通运输局",
    "水务局",
    "农业农村局",
    "商务局",
    "文化广电和旅游局",
    "卫生健康委员会",
    "退役军人事务局",
    "应急管理局",
    "审计局",
    "市场监督管理局",
    "统计局",
    "医疗保障局",
    "林业局",
    "体育局",
    "信访局",
    "城市管理综合执法局",
    "机关事务管理局",
    "政务服务管理局",
    "人民法院",
    "人民检察院",
    "总工会",
    "妇女联合会",
    "科学技术协会",
    "档案馆",
    "党校",
    "融媒体中心",
    "税务局",
    "气象局",
    "供销合作社联合社",
    "残疾人联合会",
    "粮食和物资储备局",
    "地方金融监督管理局",
    "乡村振兴局",
]
COMPANIES = [
    "城市建设投资集团有限公司",
    "交通投资集团有限公司",
    "水务集团有限公司",
    "国有资产经营有限公司",
    "农业发展集团有限公司",
    "文化旅游发展集团有限公司",
    "公共交通有限公司",
    "粮食储备有限公司",
    "产业投资集团有限公司",
    "建设工程有限公司",
    "资产管理有限公司",
    "供排水有限公司",
    "热力有限公司",
    "燃气有限公司",
    "物流园区开发有限公司",
    "融资担保有限公司",
]
INSTITUTIONS = [
    "人民医院",
    "中医医院",
    "妇幼保健院",
    "疾病预防控制中心",
    "职业教育中心",
    "实验小学",
    "实验中学",
    "特殊教育学校",
    "幼儿园",
    "图书馆",
    "文化馆",
    "广播电视台",
]
SPECIAL_BRANCHES = ["机关党支部", "离退休干部党支部", "流动党员党支部", "老年党支部", "青年党支部"]
DIGITS = "〇一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 -> 一, 12 -> 十二, 40 -> 四十, 105 -> 一百零五 (up to 999)."""
    if n < 10:
        return DIGITS[n]
    if n < 20:
        return "十" + (DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return DIGITS[n // 10] + "十" + (DIGITS[n % 10] if n % 10 else "")
    rest = n % 100
    tail = "" if not rest else ("零" + chinese_number(rest) if rest < 10 else chinese_number(rest))
    if 10 <= rest < 20:
        tail = "一" + tail
    return DIGITS[n // 100] + "百" + tail


def village_place(name: str) -> str:
    """ "多福巷社区居委会" -> "多福巷社区", "白村村委会" -> "白村", "王庄村民委员会" -> "王庄村"."""
    for suffix, replacement in (("村民委员会", "村"), ("村委会", "村"), ("居民委员会", ""), ("居委会", "")):
        if name.endswith(suffix):
            place = name[: -len(suffix)] + replacement
            if place.endswith("村村"):
                place = place[:-1]
            return place if replacement or place.endswith("社区") else place + "社区"
    return name


@dataclass
class Plan:
    """How many rows of each kind the tree gets, and which provinces it covers."""

    provinces: list[str]
    divisions: int
    city_departments: int
    county_departments: int
    county_soes: int
    county_schools: int
    branches: int


def ledger_dir(orgs: int) -> Path:
    return WORK / f"national-{orgs}"


def _division_counts() -> Counter:
    """Rows each province contributes (itself, its cities, counties, towns and villages)."""
    counts: Counter = Counter()
    for name in ("provinces", "cities", "areas", "streets", "villages"):
        for r in divisions.read(name):
            counts[r["code"] if name == "provinces" else r["provinceCode"]] += 1
    return counts


def plan(orgs: int) -> Plan:
    """Choose the provinces and the number of units and branches so the tree has exactly ``orgs`` rows."""
    if orgs < MIN_ORGS:
        raise ValueError(f"--orgs must be at least {MIN_ORGS}")
    per_province = _division_counts()
    codes = sorted(per_province)
    budget = orgs * DIVISION_SHARE
    if sum(per_province.values()) + 1 <= budget:
        chosen = codes
    else:
        chosen, used = [], 1
        for code in codes:
            if used + per_province[code] <= budget:
                chosen.append(code)
                used += per_province[code]
        chosen = chosen or [min(codes, key=per_province.__getitem__)]
    n_divisions = 1 + sum(per_province[c] for c in chosen)
    if n_divisions > orgs:
        raise ValueError(f"--orgs {orgs} is smaller than the divisions chosen ({n_divisions})")
    cities = sum(1 for r in divisions.read("cities") if r["provinceCode"] in chosen)
    counties = sum(1 for r in divisions.read("areas") if r["provinceCode"] in chosen)
    synthetic = orgs - n_divisions
    per = [CITY_DEPARTMENTS, COUNTY_DEPARTMENTS, COUNTY_SOES, COUNTY_SCHOOLS]
    units = cities * per[0] + counties * sum(per[1:])
    if units > synthetic // 2:  # a small budget: fewer units per city and county, branches keep half
        scale = (synthetic // 2) / units
        per = [int(p * scale) for p in per]
        units = cities * per[0] + counties * sum(per[1:])
    return Plan(sorted(chosen), n_divisions, per[0], per[1], per[2], per[3], synthetic - units)


def _spread(total: int, n: int, rng: random.Random) -> list[int]:
    """Split ``total`` over ``n`` parents unevenly (weights 0.3-1.7) but summing exactly to ``total``."""
    if n == 0:
        return []
    weights = [0.3 + 1.4 * rng.random() for _ in range(n)]
    scale = total / sum(weights)
    counts = [int(w * scale) for w in weights]
    for i in rng.sample(range(n), total - sum(counts)):
        counts[i] += 1
    return counts


def _day(rng: random.Random) -> str:
    return (datetime.date(1978, 1, 1) + datetime.timedelta(days=rng.randrange(16_800))).isoformat()


def _write_rows(writer, orgs: int, p: Plan) -> int:
    """Write the tree level by level; returns the number of rows written."""
    rng = random.Random(SEED)
    chosen = set(p.provinces)
    n = 0

    def row(code, name, kind, parent, division="", active_from=""):
        nonlocal n
        writer.writerow([code, name, kind, parent, division, "", active_from, ""])
        n += 1

    row("CN", "全国", "other", "")
    province_names = {}
    for r in divisions.read("provinces"):
        if r["code"] in chosen:
            province_names[r["code"]] = r["name"]
            row(r["code"], f"中共{r['name']}委员会", "provincial_committee", "CN", r["code"])
    cities = []  # (code, place name)
    for r in divisions.read("cities"):
        if r["provinceCode"] in chosen:
            province = province_names[r["provinceCode"]]
            placeholder = r["name"] in PLACEHOLDER_CITIES
            name = f"中共{province}{r['name']}工作委员会" if placeholder else f"中共{r['name']}委员会"
            row(r["code"], name, "municipal_committee", r["provinceCode"], r["code"])
            cities.append((r["code"], province if placeholder else r["name"]))
    counties = []  # (code, place name)
    for r in divisions.read("areas"):
        if r["provinceCode"] in chosen:
            kind = "district_committee" if r["name"].endswith("区") else "county_committee"
            row(r["code"], f"中共{r['name']}委员会", kind, r["cityCode"], r["code"])
            counties.append((r["code"], r["name"]))
    for r in divisions.read("streets"):
        if r["provinceCode"] in chosen:
            kind = divisions.town_kind(r["name"])
            name = {"town": f"中共{r['name']}委员会", "street": f"中共{r['name']}工作委员会"}.get(
                kind, f"{r['name']}党委"
            )
            row(r["code"], name, kind, r["areaCode"], r["code"])
    villages = []  # (code, place name, county code)
    for r in divisions.read("villages"):
        if r["provinceCode"] in chosen:
            kind = divisions.village_kind(r["name"])
            place = village_place(r["name"])
            row(
                r["code"],
                f"{place}{'党总支' if kind == 'village' else '党委'}",
                kind,
                r["streetCode"],
                r["code"],
            )
            villages.append((r["code"], place, r["areaCode"]))

    # Units under cities and counties: (code, name used for its branches, division code).
    units = []

    def departments(parent, place, count):
        for i, bureau in enumerate(rng.sample(BUREAUS, count), start=1):
            code, unit = f"{parent}D{i:02d}", f"{place}{bureau}"
            row(code, f"{unit}党组", "department", parent, parent, _day(rng))
            units.append((code, unit, parent))

    for code, place in cities:
        departments(code, place, min(p.city_departments, len(BUREAUS)))
    for code, place in counties:
        departments(code, place, min(p.county_departments, len(BUREAUS)))
        for i in range(1, p.county_soes + 1):
            company = COMPANIES[(i - 1) % len(COMPANIES)]
            unit = f"{place}{company}" if i <= len(COMPANIES) else f"{place}第{chinese_number(i)}{company}"
            row(f"{code}Q{i:02d}", f"{unit}党委", "soe", code, code, _day(rng))
            units.append((f"{code}Q{i:02d}", unit, code))
        for i in range(1, p.county_schools + 1):
            if i <= len(INSTITUTIONS):
                unit = f"{place}{INSTITUTIONS[i - 1]}"
            else:
                unit = f"{place}第{chinese_number(i - len(INSTITUTIONS))}{'中学' if i % 2 else '小学'}"
            row(
                f"{code}X{i:02d}",
                f"{unit}党支部" if i > len(INSTITUTIONS) else f"{unit}党委",
                "institution",
                code,
                code,
                _day(rng),
            )
            units.append((f"{code}X{i:02d}", unit, code))

    # Branches: most under villages/communities, the rest under units; both spread unevenly.
    to_villages = round(p.branches * VILLAGE_BRANCH_SHARE) if units else p.branches
    for (code, place, division), count in zip(
        villages, _spread(to_villages, len(villages), rng), strict=True
    ):
        for i in range(1, count + 1):
            row(f"{code}Z{i:02d}", f"{place}第{chinese_number(i)}党支部", "branch", code, division, _day(rng))
    for (code, unit, division), count in zip(
        units, _spread(p.branches - to_villages, len(units), rng), strict=True
    ):
        for i in range(1, count + 1):
            name = (
                f"{unit}{SPECIAL_BRANCHES[i - 1]}"
                if i <= len(SPECIAL_BRANCHES)
                else (f"{unit}第{chinese_number(i - len(SPECIAL_BRANCHES))}党支部")
            )
            row(f"{code}Z{i:02d}", name, "branch", code, division, _day(rng))
    return n


def ensure_ledger(orgs: int, log=print) -> Path:
    """The bundle folder holding ``organizations.csv`` with exactly ``orgs`` rows (made once, then reused)."""
    folder = ledger_dir(orgs)
    target, meta_file = folder / "organizations.csv", folder / "meta.json"
    if target.exists() and meta_file.exists():
        meta = json.loads(meta_file.read_text())
        if meta.get("version") == GENERATOR_VERSION and meta.get("orgs") == orgs:
            log(f"reusing {target} ({meta['bytes'] / 1e6:.0f} MB)")
            return folder
    folder.mkdir(parents=True, exist_ok=True)
    p = plan(orgs)
    log(
        f"writing {target}: {len(p.provinces)} provinces, {p.divisions:,} division rows, "
        f"{orgs - p.divisions - p.branches:,} units, {p.branches:,} branches"
    )
    tmp = folder / "organizations.csv.tmp"
    with open(tmp, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        written = _write_rows(writer, orgs, p)
    if written != orgs:
        raise AssertionError(f"generator wrote {written} rows, expected {orgs}")
    os.replace(tmp, target)
    meta = {
        "version": GENERATOR_VERSION,
        "orgs": orgs,
        "seed": SEED,
        "bytes": target.stat().st_size,
        "provinces": len(p.provinces),
        "division_rows": p.divisions,
        "branches": p.branches,
        "units_per_city": p.city_departments,
        "units_per_county": p.county_departments + p.county_soes + p.county_schools,
    }
    meta_file.write_text(json.dumps(meta, indent=2))
    return folder


if __name__ == "__main__":
    import sys

    print(ensure_ledger(int(sys.argv[1]) if len(sys.argv) > 1 else 200_000))
