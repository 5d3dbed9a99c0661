"""Petitions the city's groups received on site, through the petitions services: letters, visits,
calls, online and QR reports, a joint reception with the district's patrol office wherever the
city inspected a district committee (M8), most routed to the group and answered."""

from __future__ import annotations

import datetime
import random

from lijian.orgs.models import InspectionBody
from lijian.petitions import services

D = datetime.date
CHANNELS = (("letter", 30), ("visit", 20), ("call", 15), ("online", 15), ("qr", 20))
MATTERS = (
    "反映{org}有关负责人违规收受管理服务对象礼品礼金。",
    "反映{org}在工程项目招投标中存在围标串标、利益输送问题。",
    "反映{org}选人用人不公，个别干部“带病提拔”。",
    "反映{org}公车私用、违规发放津贴补贴。",
    "反映{org}对群众诉求推诿扯皮、办事效率低。",
    "反映{org}下属单位财务管理混乱，账外设账。",
    "反映{org}上轮巡视反馈问题整改不到位、搞形式。",
)
NAMES = ["王建国", "李红梅", "张志强", "刘秀英", "陈卫东", "杨丽华", "赵国庆", "黄淑芬", "周永刚", "吴桂兰"]


def receive_petitions(actor, inspection, onsite: D, rng: random.Random, today: D) -> None:
    """Two to six petitions for ``inspection``, received while its group is on site."""
    org = inspection.organization
    for _ in range(rng.randint(2, 6)):
        received = onsite + datetime.timedelta(days=rng.randint(1, 35))
        named = rng.random() < 0.4
        petition = services.petition_receive(
            actor=actor,
            body=inspection.round.body,
            group=inspection.group,
            inspection=inspection,
            channel=rng.choices([c for c, _ in CHANNELS], weights=[w for _, w in CHANNELS])[0],
            received_on=received,
            summary=rng.choice(MATTERS).format(org=org.name),
            identity={"name": rng.choice(NAMES), "phone": f"139{rng.randint(10_000_000, 99_999_999)}"}
            if named
            else None,
        )
        _handle(actor, petition, inspection, rng, today)
    if org.kind == "district_committee":
        _joint_reception(actor, inspection, onsite, rng, today)


def _handle(actor, petition, inspection, rng: random.Random, today: D) -> None:
    if rng.random() < 0.1:
        services.petition_close(
            actor=actor, petition=petition, reason="反映内容不属于巡视受理范围，已告知向有关部门反映。"
        )
        return
    services.petition_route_to_group(actor=actor, petition=petition, inspection=inspection)
    answered = petition.received_on + datetime.timedelta(days=rng.randint(10, 40))
    if answered > today:
        return
    services.petition_answer(
        actor=actor,
        petition=petition,
        answered_on=answered,
        answer="巡视组已核实，相关问题已纳入巡视反馈并督促整改。",
    )
    services.petition_close(actor=actor, petition=petition, reason="已办理并答复。")


def _joint_reception(actor, inspection, onsite: D, rng: random.Random, today: D) -> None:
    """The city group and the district committee's patrol office receive visitors together."""
    district_office = InspectionBody.objects.filter(owner_org=inspection.organization, level="patrol").first()
    if district_office is None:
        return
    petition = services.petition_receive(
        actor=actor,
        body=inspection.round.body,
        group=inspection.group,
        inspection=inspection,
        joint_body=district_office,
        channel="joint_reception",
        received_on=onsite + datetime.timedelta(days=10),
        summary=f"联合接待：群众反映{inspection.organization.name}所属街道征收补偿款发放不公开、不透明。",
        identity={"name": rng.choice(NAMES)},
    )
    _handle(actor, petition, inspection, rng, today)
