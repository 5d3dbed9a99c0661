"""Who the demo's people are: the surnames and given names its cadres are made of, their skills, the
lines of supervision that keep cadres away like their own unit's line, and the anonymised leaders
(王某某) of the organisations — the units are real, the people never are.

Data and naming only: a name drawn here comes from a random generator seeded by what it names, so
it is the same wherever it appears.
"""

from __future__ import annotations

import random

from lijian.orgs.choices import OrgKind

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余"
    "潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段钱汤尹黎易常武乔贺赖龚文"
)

GIVEN = "建国志强海涛晓明丽娟秀英立新文杰红梅振华俊峰晓燕永刚玉兰宏伟丹丹雪梅春生淑珍国庆卫东静怡子涵思远嘉怡浩然宇轩"

SKILLS = (
    "discipline",
    "organisation",
    "audit",
    "finance",
    "law",
    "petitions",
    "propaganda",
    "economics",
    "engineering",
    "party_building",
)

# (supervising unit, supervised units, what the line is), by code in the city and by name in each district.
CITY_LINES = (
    (
        "TJ-D005",
        ("TJ-D020", "TJ-D021", "TJ-D022", "TJ-D023", "TJ-D024", "TJ-D025", "TJ-D026", "TJ-D032", "TJ-D034")
        + ("TJ-D063", "TJ-D079", "TJ-D088"),
        "政法委领导政法机关",
    ),
    ("TJ-D002", ("TJ-D011", "TJ-D012"), "组织部归口管理"),
    ("TJ-D049", ("TJ-S01", "TJ-S02", "TJ-S03", "TJ-S04", "TJ-S05", "TJ-S06"), "近三年审计过"),
)

DISTRICT_LINES = (
    ("区委政法委", ("区人民法院", "区人民检察院", "公安分局", "区司法局"), "政法委领导政法机关"),
    ("区委组织部", ("区委老干部局", "区委党校"), "组织部归口管理"),
)


def unit_key(name: str) -> str:
    """和平区委政法委党组 → 和平区委政法委: a unit's name without its party body."""
    for suffix in ("党组", "党委", "党工委"):
        name = name.removesuffix(suffix)
    return name


ANONYMOUS_SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"


ENTERPRISES = (OrgKind.SOE, OrgKind.INSTITUTION, OrgKind.UNIVERSITY)  # 企事业单位


def anonymous_person(seed: str, avoid: str = "") -> str:
    """An anonymised name (王某某) — the units are real, the people never are."""
    rng = random.Random(seed)
    return rng.choice([s for s in ANONYMOUS_SURNAMES if s != avoid]) + "某某"


def top_leader(org) -> tuple[str, str]:
    """The name and post of an organisation's top leader (一把手), the same wherever it appears."""
    name = anonymous_person(f"leader:{org.code}")
    if org.kind == OrgKind.DISTRICT_COMMITTEE:
        return name, "区委书记"
    if org.kind == OrgKind.SOE:
        return name, "党委书记、董事长"
    for suffix, post in (("党工委", "党工委书记"), ("党组", "党组书记"), ("党委", "党委书记")):
        if org.name.endswith(suffix):
            return name, post
    return name, "主要负责人"


def discipline_secretary(org) -> tuple[str, str]:
    """The name and post of the organisation's discipline secretary (never the top leader's name)."""
    post = "纪委书记" if org.kind in (*ENTERPRISES, OrgKind.OTHER) else "纪检监察组组长"
    return anonymous_person(f"discipline:{org.code}", avoid=top_leader(org)[0][0]), post
