"""What the city's inspection groups found in the Tianjin term, recorded through the services.

The groups record problems while on site (4,730 across the 126 inspections, in the 四个落实
categories), the group approves them before the report, clues go to the "1+3+N" departments at
transfer and the departments answer them; petitions come in while the groups are on site
(``demo.petitions``); the public security bureau case (市公安局肃清黄兴国、武长顺
恶劣影响) is followed through people, matters, causes and systems with the secretary's repeated
instructions. Nothing is inserted around the services; the figures come out of the selectors.
"""

from __future__ import annotations

import datetime
import random

from lijian.accounts.models import User
from lijian.demo.petitions import receive_petitions
from lijian.findings import services
from lijian.findings.models import Category, Department
from lijian.orgs.models import Organization
from lijian.rectification.instructions import services as instructions

D = datetime.date
CITY_PROBLEMS = 4_730
PSB = "TJ-D032"  # 市公安局
CITY_DEPARTMENTS = (  # code, name, kind, share of clues
    ("TJ-JWJW", "市纪委监委", "discipline", 64),
    ("TJ-ZZB", "市委组织部", "organisation", 20),
    ("TJ-SJJ", "市审计局", "audit", 8),
    ("TJ-XCB", "市委宣传部", "propaganda", 1),
    ("TJ-ZFW", "市委政法委", "political_legal", 4),
    ("TJ-XFB", "市信访办", "petitions", 2),
    ("TJ-GZW", "市国资委", "other", 1),
)
# The share of problems in each 四个落实 subcategory (by code).
CATEGORY_WEIGHTS = {
    "1.1": 6,
    "1.2": 12,
    "1.3": 8,
    "1.4": 3,
    "1.5": 3,
    "2.1": 9,
    "2.2": 6,
    "2.3": 8,
    "2.4": 9,
    "2.5": 8,
    "3.1": 6,
    "3.2": 7,
    "3.3": 6,
    "3.4": 2,
    "4.1": 4,
    "4.2": 2,
    "4.3": 1,
}
SUMMARIES = {
    "1.1": ("理论学习中心组学习流于形式，联系实际不够", "学习贯彻党的创新理论不深入不系统"),
    "1.2": ("贯彻落实重大决策部署打折扣、搞变通", "落实市委重点工作任务进度滞后"),
    "1.3": ("主责主业聚焦不够，服务高质量发展措施不实", "履行行业监管职责不到位"),
    "1.4": ("意识形态工作责任制落实不到位", "阵地管理存在薄弱环节"),
    "1.5": ("防范化解重大风险意识不强，隐患排查不彻底", "债务风险管控不力"),
    "2.1": ("党委履行主体责任不力，压力传导层层递减", "“一岗双责”落实不到位"),
    "2.2": ("纪检监察机构监督执纪问责偏松偏软", "日常监督发现问题能力不足"),
    "2.3": ("违规发放津贴补贴", "公务接待超标准", "违规使用公务用车"),
    "2.4": ("文山会海问题突出，基层负担重", "调查研究走过场，作风漂浮"),
    "2.5": (
        "工程建设领域廉洁风险突出",
        "物资采购管理不规范，存在利益输送风险",
        "选人用人之外的关键岗位长期未轮岗",
    ),
    "3.1": ("领导班子民主集中制执行不到位", "班子成员之间沟通协调不够"),
    "3.2": ("选人用人程序不规范", "干部梯队建设滞后，年轻干部储备不足"),
    "3.3": ("基层党组织“三会一课”制度落实不严", "党员发展和教育管理不规范"),
    "3.4": ("人才引进培养机制不健全",),
    "4.1": ("上轮巡视反馈问题整改不彻底、有反弹", "整改“对账销号”把关不严"),
    "4.2": ("审计发现问题整改不到位",),
    "4.3": ("主题教育检视问题整改成效不明显",),
}
RESULTS = (
    ("case_opened", 24),
    ("inquiry", 36),
    ("preliminary_verification", 16),
    ("filed_for_later", 9),
    ("closed", 15),
)
FEEDBACK_TEXT = {
    "case_opened": "经初步核实，反映问题属实，已立案审查调查。",
    "inquiry": "已对当事人进行谈话函询，当事人作出说明，予以采信并了结。",
    "preliminary_verification": "已开展初步核实，部分问题属实，已对相关人员进行批评教育。",
    "filed_for_later": "线索内容笼统、不具备查核条件，暂存待查。",
    "closed": "经核查，反映问题不属实，予以了结，并向本人反馈澄清。",
}
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
POSTS = ("党委副书记", "副总经理", "处长", "副处长", "财务部部长", "办公室主任", "纪委书记", "工会主席")


def _quotas(count: int, total: int, rng: random.Random) -> list[int]:
    """``count`` whole numbers near ``total / count`` (±40%) that add up to exactly ``total``."""
    weights = [rng.uniform(0.6, 1.4) for _ in range(count)]
    shares = [w * total / sum(weights) for w in weights]
    quotas = [int(s) for s in shares]
    for k in sorted(range(count), key=lambda k: quotas[k] - shares[k])[: total - sum(quotas)]:
        quotas[k] += 1
    return quotas


def _weighted(rng: random.Random, pairs):
    return rng.choices([p[0] for p in pairs], weights=[p[-1] for p in pairs])[0]


def ensure_departments(actor) -> list[Department]:
    """The city committee's "1+3+N" departments, handled in the demo by the department account."""
    committee = Organization.objects.get(code="TJ")
    departments = []
    for order, (code, name, kind, _share) in enumerate(CITY_DEPARTMENTS):
        department, _ = Department.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind, "committee": committee, "order": order}
        )
        departments.append(department)
    staff = User.objects.filter(username="jiwei").first()
    if staff is not None and not staff.departments.exists():
        for department in departments:
            services.department_set_staff(actor=actor, department=department, users=[staff])
    return departments


class CityFindings:
    """Hooks the city rounds call as each inspection moves on: on site, at the report, at transfer."""

    def __init__(self, actor, inspections: int, today: D):
        self.actor, self.today = actor, today
        self.rng = random.Random(4_730)
        self.quotas = iter(_quotas(inspections, CITY_PROBLEMS, self.rng))
        self.categories = {
            c.code: c
            for c in Category.objects.filter(framework__code="sige-luoshi-2018", parent__isnull=False)
        }
        self.departments = {d.code: d for d in ensure_departments(actor)}
        self.department_user = User.objects.get(username="jiwei")
        self.leader = User.objects.get(username="lingdao")
        self.office = User.objects.get(username="xunshiban")

    def on_site(self, inspection, onsite: D) -> None:
        receive_petitions(self.actor, inspection, onsite, self.rng, self.today)
        quota = next(self.quotas)
        if inspection.organization.code == PSB:
            self._psb_problem(inspection, onsite)
            quota -= 1
        codes = list(CATEGORY_WEIGHTS)
        weights = list(CATEGORY_WEIGHTS.values())
        for _ in range(quota):
            code = self.rng.choices(codes, weights=weights)[0]
            services.problem_record(
                actor=self.actor,
                inspection=inspection,
                category=self.categories[code],
                summary=self.rng.choice(SUMMARIES[code]),
                found_on=onsite + datetime.timedelta(days=self.rng.randint(1, 37)),
                close_attention=self.rng.random() < 0.04,
                rectify_at_once=self.rng.random() < 0.12,
            )

    def on_report(self, inspection) -> None:
        """The group approves its problems; clues about people go to the office for transfer."""
        for problem in inspection.problems.order_by("pk"):
            services.problem_approve(actor=self.actor, problem=problem)
        # The public security case keeps its one clue, recorded after feedback (psb_follow_up).
        showcase = getattr(self, "_psb", None)
        problems = [p for p in inspection.problems.order_by("pk") if showcase is None or p.pk != showcase.pk]
        for _ in range(self.rng.choices((0, 1, 2, 3, 4, 5), weights=(1, 3, 4, 4, 2, 1))[0]):
            code = _weighted(self.rng, [(c[0], c[3]) for c in CITY_DEPARTMENTS])
            services.clue_record(
                actor=self.actor,
                inspection=inspection,
                subject_name=self.rng.choice(SURNAMES) + "某",
                subject_post=self.rng.choice(POSTS),
                summary="反映其"
                + self.rng.choice(
                    (
                        "违规收受礼品礼金",
                        "利用职务便利为他人谋利",
                        "违规插手工程项目",
                        "违规选拔任用干部",
                        "公款吃喝",
                        "违规经商办企业",
                        "失职失责造成国有资产损失",
                    )
                )
                + "问题。",
                department=self.departments[code],
                problem=self.rng.choice(problems) if problems else None,
                recorded_on=inspection.onsite_end,  # written up as the group leaves the site
            )

    def on_transfer(self, inspection, feedback_on: D) -> None:
        """The office transfers the clues; the departments accept and, mostly in time, answer."""
        for clue in inspection.clues.filter(status="recorded").order_by("pk"):
            on = feedback_on + datetime.timedelta(days=self.rng.randint(3, 10))
            services.clue_transfer(actor=self.office, clue=clue, transferred_on=on)
            self._answer(clue)

    def _answer(self, clue, result: str | None = None, **outcome) -> None:
        accepted = clue.transferred_on + datetime.timedelta(days=self.rng.randint(2, 10))
        if accepted > self.today:
            return
        services.clue_accept(actor=self.department_user, clue=clue, accepted_on=accepted)
        roll = self.rng.random()
        if roll < 0.03 and result is None:
            return  # still being handled: overdue, escalated by the daily job
        days = self.rng.randint(30, 88) if roll < 0.92 or result else self.rng.randint(95, 160)
        answered = clue.transferred_on + datetime.timedelta(days=days)
        if answered > self.today:
            return
        result = result or _weighted(self.rng, RESULTS)
        if not outcome and result == "case_opened":
            outcome = {
                "party_discipline": self.rng.randint(1, 3),
                "judicial_transfers": int(self.rng.random() < 0.3),
                "losses_recovered": round(self.rng.uniform(0, 300), 2) if self.rng.random() < 0.5 else 0,
            }
        elif not outcome and result == "preliminary_verification":
            outcome = {"organisational_handling": self.rng.randint(0, 2)}
        services.clue_feed_back(
            actor=self.department_user,
            clue=clue,
            result=result,
            feedback=FEEDBACK_TEXT[result],
            fed_back_on=answered,
            **outcome,
        )

    def _psb_problem(self, inspection, onsite: D) -> None:
        """The case the account names: followed through 人、事、因、制, with the secretary's instructions."""
        found = onsite + datetime.timedelta(days=10)
        problem = services.problem_record(
            actor=self.actor,
            inspection=inspection,
            category=self.categories["1.2"],
            summary="肃清黄兴国、武长顺恶劣影响不彻底，政治生态修复任务仍然艰巨",
            description="巡视发现，市公安局党委对肃清黄兴国、武长顺流毒影响认识不足、措施不实，"
            "个别领导干部与不法商人存在不正当交往，部分涉案人员未依规依纪依法处理到位。",
            people="局党委班子及涉案人员：个别局级干部与不法商人存在利益往来。",
            matters="干预执法、插手工程项目、违规选拔任用干部等具体事项。",
            causes="党委主体责任缺失，“两个维护”落实不力，监督制约失效。",
            systems="干部选拔任用、执法监督、重大事项报告等制度执行不严，存在漏洞。",
            close_attention=True,
            found_on=found,
        )
        self._psb = problem

    def psb_follow_up(self, inspection, feedback_on: D) -> None:
        """After feedback: the clue to the discipline commission and the secretary's three instructions."""
        problem = getattr(self, "_psb", None)
        if problem is None or problem.inspection_id != inspection.pk:
            return
        clue = services.clue_record(
            actor=self.actor,
            inspection=inspection,
            problem=problem,
            subject_name="市公安局涉案人员",
            subject_post="局机关及下属单位相关人员",
            summary="反映相关人员与黄兴国、武长顺案件存在关联，干预执法、利益输送等问题。",
            department=self.departments["TJ-JWJW"],
            recorded_on=feedback_on,
        )
        services.clue_transfer(
            actor=self.office, clue=clue, transferred_on=feedback_on + datetime.timedelta(days=3)
        )
        self._answer(
            clue,
            "case_opened",
            party_discipline=9,
            organisational_handling=14,
            judicial_transfers=3,
            losses_recovered=1260,
        )
        texts = (
            (
                "请市纪委监委跟进监督市公安局党委履行政治责任，坚决“补课”。",
                "依规依纪依法处理涉案人员，该通报的一律通报。",
            ),
            ("要围绕“人、事、因、制”彻底整改，持续净化政治生态。", "报送整改方案和涉案人员处理情况。"),
            ("整改情况要对账销号，不获全胜决不收兵。", "半年后报送整改成效评估。"),
        )
        for k, (text, asked) in enumerate(texts):
            given = feedback_on + datetime.timedelta(days=7 + 40 * k)
            if given > self.today:
                break
            instruction = instructions.instruction_give(
                actor=self.leader,
                subject=problem,
                text=text,
                follow_up_asked=asked,
                given_on=given,
                addressee=self.office,
                deadline=given + datetime.timedelta(days=30),
            )
            instructions.instruction_answer(
                actor=self.office,
                instruction=instruction,
                follow_up_given="已按批示要求督促落实，市纪委监委已通报处理情况，相关制度已修订。",
            )
            instructions.instruction_close(actor=self.leader, instruction=instruction)
