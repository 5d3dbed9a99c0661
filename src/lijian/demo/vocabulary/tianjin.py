"""Tianjin as the demo names it: the city's term, the staffing figures of its bodies (the seed's), the
units each district committee's patrol office covers, the subunits of departments and universities,
and how an organisation of the division data is named as a party organisation.

Data and naming only: nothing here reads the database or draws a random number.
"""

from __future__ import annotations

import datetime

ROOT_CODE = "TJ"

CITY_BODY = "TJ-XSB"

TERM_NAME = "第十二届"

TERM_START, TERM_END = datetime.date(2022, 6, 23), datetime.date(2027, 6, 22)

# The day the seed's account stands at, in the term: the records the work report counts (the
# committee's assessment of the rates and what followed it, the notices, last year's assessment of the
# districts) are dated on or before it, never from the day the demo is built, so a report as of this
# day or later reads the same figures whenever the demo was built. What must look current (the
# showcase's work in between, the look-back under way, today's overdue digest) stays relative to today.
ACCOUNT_DAY = datetime.date(2026, 11, 20)

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


def subunit_kind(parent_kind: str, name: str) -> str:
    if name.endswith("党总支"):
        return "branch"
    return "other" if parent_kind == "university" else "institution"


def short_name(committee) -> str:
    """中共天津市和平区委员会 -> 和平区; 南开大学党委 -> 南开大学."""
    return committee.name.removeprefix("中共天津市").removesuffix("委员会").removesuffix("党委")
