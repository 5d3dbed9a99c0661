"""A planted common problem for the common-problems tests: 12 problems in 6 organisations of 和平
saying variations of “三重一大事项未经集体决策” over two rounds, among noise (other problems of the
same and other categories, in the same organisations, and one alike problem in 河西)."""

import datetime
from dataclasses import dataclass

from lijian.findings import services as findings
from lijian.inspections.models import Group, Inspection, Round
from lijian.orgs import services as orgs

from ..world import category

D = datetime.date

PLANTED = (
    "三重一大事项未经集体决策",
    "部分“三重一大”事项未经集体研究决策",
    "三重一大事项未经党委会集体决策",
    "重大项目投资等三重一大事项未经集体决策",
    "“三重一大”事项决策未经集体讨论",
    "三重一大事项未经班子集体决策，个人说了算",
    "个别三重一大事项未经集体决策程序",
    "落实三重一大决策制度不严，部分事项未经集体决策",
    "三重一大事项未按规定集体决策",
    "三重一大事项事前未经集体决策",
    "部分三重一大事项未经集体决策即实施",
    "“三重一大”事项未经集体决策",
)
# Problems that are not it: the same category (2.1) and others, worded as the offices word them.
NOISE = (
    ("2.1", "集体资产台账不健全，资产底数不清"),
    ("2.1", "村集体经济合同管理不规范"),
    ("2.1", "违规发放津贴补贴"),
    ("2.1", "公务接待超标准"),
    ("2.2", "惠民资金发放优亲厚友"),
    ("2.3", "扫黑除恶常态化机制不健全"),
    ("3.1", "基层党组织软弱涣散，组织力不强"),
    ("3.2", "“三会一课”制度落实不严"),
    ("3.2", "组织生活会批评和自我批评不够"),
    ("1.1", "乡村振兴政策落实打折扣"),
    ("1.2", "为民服务事项办理拖沓"),
    ("4.1", "上轮巡察反馈问题整改不彻底"),
)


@dataclass
class Common:
    round1: Round  # 和平's first round: 8 planted problems
    round2: Round  # its second: the other 4
    organizations: list  # the 6 organisations of 和平 inspected
    planted: list  # the 12 planted problems
    noise: list
    outside: object  # the alike problem of 河西 (out of 和平's scope)


def _round(body, term, number: int, start: D) -> tuple[Round, Group]:
    group, _created = Group.objects.get_or_create(body=body, number=1, defaults={"name": "第一巡察组"})
    round_ = Round.objects.create(
        body=body, term=term, number=number, start=start, end=start + datetime.timedelta(60)
    )
    round_.groups.add(group)
    return round_, group


def _on_site(round_, group, organization, day: D) -> Inspection:
    return Inspection.objects.create(
        round=round_, group=group, organization=organization, stage="onsite", onsite_start=day
    )


def build_common(world) -> Common:
    """The planted cluster and its noise, recorded through the findings service."""
    units = [
        orgs.organization_create(
            actor=world.admin,
            parent=world.d1,
            code=f"D1-C{k}",
            name=f"和平区局{k}党组",
            kind="department",
            supervising_body=world.body1,
        )
        for k in range(1, 7)
    ]
    round1, group = _round(world.body1, world.term1, 11, D(2024, 3, 1))
    round2, _group = _round(world.body1, world.term1, 12, D(2025, 3, 1))
    first = [_on_site(round1, group, unit, D(2024, 3, 5)) for unit in units[:4]]
    second = [_on_site(round2, group, unit, D(2025, 3, 5)) for unit in units[4:]]
    planted, noise = [], []
    for i, text in enumerate(PLANTED):
        inspection = first[i % 4] if i < 8 else second[i % 2]
        planted.append(
            findings.problem_record(
                actor=world.admin,
                inspection=inspection,
                category=category("2.1"),
                summary=text,
                found_on=inspection.onsite_start + datetime.timedelta(days=3),
            )
        )
    for i, (code, text) in enumerate(NOISE):
        inspection = (first + second)[i % 6]
        noise.append(
            findings.problem_record(
                actor=world.admin,
                inspection=inspection,
                category=category(code),
                summary=text,
                found_on=inspection.onsite_start + datetime.timedelta(days=4),
            )
        )
    round3, group3 = _round(world.body2, world.term2, 11, D(2024, 3, 1))
    elsewhere = _on_site(round3, group3, world.t2, D(2024, 3, 5))
    outside = findings.problem_record(
        actor=world.admin,
        inspection=elsewhere,
        category=category("2.1"),
        summary="三重一大事项未经集体决策",
        found_on=D(2024, 3, 8),
    )
    return Common(round1, round2, units, planted, noise, outside)
