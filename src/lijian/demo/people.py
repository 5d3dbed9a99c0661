"""The demo talent pools: cadres of the city's units, of each district, of the universities and of the
public security bureau, with ranks, skills, ages that fit their ranks and a few declared conflicts;
and the lines of supervision (政法委 over the courts, procuratorates and police, 组织部 over the units it
manages, 审计局 over units it audited) that keep cadres away like their own unit's line. Names are
generated (deterministically); nobody here is a real person."""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

from lijian.documents.ledger.bundle import BundleWriter
from lijian.documents.ledger.importer import ledger_import
from lijian.orgs.models import Organization
from lijian.people.choices import ConflictKind, Rank
from lijian.people.models import SupervisionLine

SEED = 20_221_023
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


# Years of birth that fit each rank (a 正厅 is in their fifties, a 科员 in their twenties or thirties).
BORN = {
    Rank.BUREAU: (1962, 1971),
    Rank.DEPUTY_BUREAU: (1964, 1975),
    Rank.DIVISION: (1966, 1981),
    Rank.DEPUTY_DIVISION: (1970, 1986),
    Rank.SECTION: (1974, 1990),
    Rank.DEPUTY_SECTION: (1980, 1994),
    Rank.STAFF: (1985, 1998),
}
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


def _name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def _ranks(rng: random.Random, senior: Rank, count: int, leaders: int) -> list[str]:
    """``leaders`` cadres at or above ``senior`` (who can lead groups), the rest below."""
    order = list(Rank)
    top = order.index(senior)
    ranks = [order[rng.randint(max(0, top - 1), top)] for _ in range(leaders)]
    ranks += [order[rng.randint(top + 1, len(order) - 1)] for _ in range(count - leaders)]
    rng.shuffle(ranks)
    return ranks


def pool_specs() -> list[tuple[str, list[Organization], int, int, Rank]]:
    """(prefix, home units, cadres, leaders, leader rank) for each pool of the demo."""
    specs = []
    city_units = list(
        Organization.objects.filter(
            parent_code_filter("TJ"), kind__in=["department", "soe", "university", "institution"]
        ).order_by("path")
    )
    specs.append(("TJC", city_units, 420, 48, Rank.DEPUTY_BUREAU))
    for district in Organization.objects.filter(kind="district_committee").order_by("path"):
        units = list(
            Organization.objects.filter(
                parent_code_filter(district.code), kind__in=["department", "institution"]
            ).order_by("path")
        )
        specs.append((f"D{district.code[-2:]}", units, 42, 9, Rank.DIVISION))
    for university in Organization.objects.filter(kind="university").order_by("path"):
        colleges = list(Organization.objects.filter(parent_code_filter(university.code)).order_by("path"))
        specs.append((f"U{university.code[-2:]}", colleges, 14, 5, Rank.DIVISION))
    bureau = Organization.objects.get(code="TJ-D032")
    specs.append(
        ("PSB", list(Organization.objects.filter(parent_code_filter(bureau.code))), 16, 5, Rank.DIVISION)
    )
    return specs


def parent_code_filter(code: str):
    """Children of the organisation with ``code`` (by path: the tree has no parent column)."""
    from django.db.models import Q

    parent = Organization.objects.get(code=code)
    return Q(path__startswith=parent.path, depth=parent.depth + 1)


def pool_rows() -> tuple[list[list], list[list]]:
    """The rows of cadres.csv and conflicts.csv for every demo pool."""
    rng = random.Random(SEED)
    cadres, conflicts = [], []
    for prefix, units, count, leaders, senior in pool_specs():
        for i, rank in enumerate(_ranks(rng, senior, count, leaders)):
            home = units[i % len(units)]
            cadre_id = f"{prefix}{i + 1:04d}"
            # Every fourth cadre audits or keeps accounts: each group needs one.
            chosen = {"audit" if i % 8 == 0 else "finance"} if i % 4 == 0 else set()
            chosen |= set(rng.sample(SKILLS, rng.randint(1, 2)))
            cadres.append(
                [
                    cadre_id,
                    _name(rng),
                    rng.choice("MMMF"),
                    rng.randint(*BORN[rank]),
                    home.code,
                    rank,
                    ";".join(sorted(chosen)),
                    1,
                ]
            )
            other = rng.choice(units)
            if rng.random() < 0.06 and other != home:  # a relative works in another unit of the same pool
                conflicts.append([cadre_id, other.code, ConflictKind.RELATIVE])
    return cadres, conflicts


def ensure_supervision_lines() -> int:
    """The demo's lines of supervision (reference data, as an administrator enters it on the reference
    pages); a second run finds them. Returns the lines added."""
    by_code = {o.code: o for o in Organization.objects.filter(code__startswith="TJ-")}
    pairs = [
        (by_code[a], by_code[b], words)
        for a, bs, words in CITY_LINES
        for b in bs
        if a in by_code and b in by_code
    ]
    for district in Organization.objects.filter(kind="district_committee").order_by("path"):
        units = [
            (_unit_key(o.name), o) for o in Organization.objects.filter(parent_code_filter(district.code))
        ]

        def unit(generic: str, units=units):
            return next((o for name, o in units if name.endswith(generic)), None)

        for a, bs, words in DISTRICT_LINES:
            for b in bs:
                if unit(a) and unit(b):
                    pairs.append((unit(a), unit(b), words))
    added = 0
    for supervisor, supervised, words in pairs:
        _line, created = SupervisionLine.objects.get_or_create(
            supervisor=supervisor, supervised=supervised, defaults={"description": words}
        )
        added += created
    return added


def _unit_key(name: str) -> str:
    """和平区委政法委党组 → 和平区委政法委: a unit's name without its party body."""
    for suffix in ("党组", "党委", "党工委"):
        name = name.removesuffix(suffix)
    return name


def ensure_pools(actor) -> dict:
    """Import the demo pools through the ledger (a second run finds nothing to change), and the lines
    of supervision that count as conflicts when groups are staffed."""
    ensure_supervision_lines()
    from lijian.documents.ledger.registry import REGISTRY

    cadres, conflicts = pool_rows()
    with tempfile.TemporaryDirectory() as folder:
        writer = BundleWriter(Path(folder))
        writer.write("cadres.csv", REGISTRY["cadres.csv"].header, cadres)
        writer.write("conflicts.csv", REGISTRY["conflicts.csv"].header, conflicts)
        writer.close()
        report = ledger_import(folder, actor=actor)
    if not report.ok:
        raise RuntimeError("演示人才库导入失败：" + "; ".join(str(e) for e in report.errors[:10]))
    return report.counts
