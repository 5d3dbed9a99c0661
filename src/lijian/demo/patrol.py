"""The patrol bodies' term (巡察), worked like the city's: districts, universities and the public
security bureau record problems, hand clues to their own "1+3+N" departments, feed back, and the
patrolled organisations rectify, through the same services as the city (``demo.findings``,
``demo.rectification``).

The scale follows the seed's patrol figures at a size that keeps ``lijian demo`` quick: each body
works its first ``WORKED_ROUNDS`` rounds (long fed back, so every rate is final), each inspection
of a town, street, unit or college records 2–3 problems in the 四个聚焦 categories, one more per ten
villages or communities a town or street took along (巡镇带村), so the districts that patrolled
more grassroots find more. About one inspection in four hands a clue to the committee's discipline
commission, organisation department or audit office (created here through the findings services,
with one handler account per committee, ``xiezuo-<code>``); they answer as the city's departments
do. After the city's rectification, each organisation fed back gets its liaison
(``lianluo-<code>``), writes its plan, reports progress with evidence, and problems are closed; the
slowest organisations of each body (``LAGGING_SHARE``) stay below the body's threshold.

Nothing is inserted around the services; the figures come out of the selectors.
"""

from __future__ import annotations

import datetime
import functools
import math
import random
from collections import defaultdict
from collections.abc import Callable

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from lijian.accounts.choices import Role
from lijian.accounts.models import RoleAssignment, User
from lijian.analytics.figures import rectification_figures
from lijian.core.audit import audit_record
from lijian.demo.accounts import DEMO_PASSWORD, ensure_liaisons
from lijian.demo.findings import SURNAMES, CityFindings
from lijian.demo.rectification import (
    ProblemPlan,
    TaskPlan,
    carry_out,
    implement,
    stall,
    task_plans,
    top_leader,
)
from lijian.findings import services as findings_services
from lijian.findings.models import Category, Clue, Department, Problem
from lijian.inspections.models import Inspection
from lijian.orgs.choices import BodyLevel, OrgKind
from lijian.rectification import reporting
from lijian.rectification.choices import ReportKind
from lijian.rectification.models import RectificationTask

D = datetime.date
DAY = datetime.timedelta(days=1)
Progress = Callable[[str, int, int | None], None]
FRAMEWORK = "sige-jujiao-2018"  # 四个聚焦, the patrol bodies' categories
WORKED_ROUNDS = 2
LAGGING_SHARE = (0.1, 0.25)  # of each body's organisations fed back, at least one, stay below the line
VILLAGES_PER_EXTRA_PROBLEM = 10

# The share of problems in each 四个聚焦 subcategory: at a town or street, and at a unit or college.
GRASSROOTS_WEIGHTS = {
    "1.1": 12,
    "1.2": 12,
    "2.1": 14,
    "2.2": 10,
    "2.3": 4,
    "3.1": 12,
    "3.2": 14,
    "3.3": 12,
    "4.1": 10,
}
UNIT_WEIGHTS = {"1.1": 6, "1.2": 22, "2.1": 8, "2.2": 6, "3.1": 20, "3.2": 26, "4.1": 12}
SUMMARIES = {
    "1.1": ("乡村振兴等惠民政策落实打折扣", "惠民政策宣传落实不到位，群众知晓率低"),
    "1.2": ("为民服务事项办理拖沓，群众诉求回应不及时", "基层治理措施不实，网格化管理流于形式"),
    "2.1": ("集体资产出租合同不规范，租金长期未收缴", "“三资”台账不清，账实不符"),
    "2.2": ("惠民补贴发放审核把关不严，存在优亲厚友", "惠民资金管理不规范，存在虚报冒领"),
    "2.3": ("对涉黑涉恶问题排查整治不深入", "扫黑除恶常态化机制落实不到位"),
    "3.1": ("基层党组织软弱涣散，战斗堡垒作用发挥不充分", "党组织书记抓党建履职不到位"),
    "3.2": ("“三会一课”制度落实不严，会议记录不规范", "主题党日活动流于形式"),
    "3.3": ("“两委”班子成员配备不齐，年龄结构老化", "“两委”班子议事决策不规范"),
    "4.1": ("上轮巡察反馈问题整改不彻底", "整改“对账销号”把关不严"),
}
MEASURES = {
    "1.1": ("逐项梳理惠民政策落实清单，明确责任人和时限", "对政策落实情况开展入户回访，建立问题台账"),
    "1.2": ("完善为民服务事项清单和限时办结制度", "建立群众诉求办理回访机制，按月通报"),
    "2.1": ("开展集体“三资”清产核资，建立台账并公开", "清理不规范合同，依法追缴拖欠租金"),
    "2.2": ("全面复核惠民资金发放对象，追回违规发放资金", "建立惠民资金发放公示和联审制度"),
    "2.3": ("配合政法机关深挖彻查涉黑涉恶线索", "建立基层干部任职资格联审机制"),
    "3.1": ("制定软弱涣散党组织整顿方案，选派第一书记驻点帮扶", "开展党组织书记抓党建专题培训"),
    "3.2": ("开展组织生活专项检查，规范会议记录", "制定年度组织生活计划并按季度督查"),
    "3.3": ("调整配强“两委”班子，补齐缺额", "建立“两委”成员履职考评制度"),
    "4.1": ("对上轮巡察反馈问题逐项“回头看”，重新整改", "建立整改对账销号复核机制"),
}
LONG_TERM_CATEGORIES = {"1.2", "3.1", "3.3", "4.1"}
TOP_LEADER_CATEGORIES = {"3.1", "4.1"}
# A committee's "1+3+N" departments that receive the patrols' clues: code suffix, name, kind, share.
DISTRICT_DEPARTMENTS = (
    ("JWJW", "纪委监委", "discipline", 70),
    ("ZZB", "委组织部", "organisation", 20),
    ("SJJ", "审计局", "audit", 10),
)
UNIVERSITY_DEPARTMENTS = (("JW", "纪委", "discipline", 75), ("ZZB", "党委组织部", "organisation", 25))
# Whom a clue names and what it says: at a town or street (its villages), and at a unit or college.
CLUES = {
    True: (
        ("村党支部书记", "村委会主任", "村报账员"),
        ("违规发放惠民补贴、优亲厚友", "侵占集体资金", "违规插手集体工程项目"),
    ),
    False: (
        ("科长", "副主任", "办公室主任", "财务负责人"),
        ("收受礼品礼金", "利用职务便利为亲属谋利", "违规报销费用"),
    ),
}


def _short(committee) -> str:
    """中共天津市和平区委员会 -> 和平区; 南开大学党委 -> 南开大学."""
    return committee.name.removeprefix("中共天津市").removesuffix("委员会").removesuffix("党委")


@functools.cache
def _demo_hash() -> str:
    return make_password(DEMO_PASSWORD)  # Argon2 once for every handler account


def ensure_handler(committee) -> User:
    """The committee's departments' handler (协作部门经办人) ``xiezuo-<code>``, with the department
    role over the committee; created once, with the demo password."""
    username = f"xiezuo-{committee.code.lower()}"
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(
            username=username, full_name=f"{_short(committee)}协作部门经办人"[:60], password=_demo_hash()
        )
        user.save()
        audit_record(actor=None, action="user.create", obj=user, after={"username": username, "demo": True})
    assignment, granted = RoleAssignment.objects.get_or_create(
        user=user, role=Role.DEPARTMENT, organization=committee
    )
    if granted:
        audit_record(
            actor=None,
            action="role.grant",
            obj=assignment,
            after={"user": user.pk, "role": Role.DEPARTMENT, "organization": committee.code},
            scope_path=committee.path,
        )
    return user


def ensure_departments(actor, body) -> tuple[list[tuple[Department, int]], User | None]:
    """A district's or a university's "1+3+N" departments with their share of clues, and their
    handler; none for other bodies."""
    committee = body.owner_org
    specs = {OrgKind.DISTRICT_COMMITTEE: DISTRICT_DEPARTMENTS, OrgKind.UNIVERSITY: UNIVERSITY_DEPARTMENTS}
    if committee.kind not in specs:
        return [], None
    handler = ensure_handler(committee)
    departments = []
    for suffix, name, kind, share in specs[committee.kind]:
        code = f"{committee.code}-{suffix}"
        department = Department.objects.filter(code=code).first() or findings_services.department_create(
            actor=actor, code=code, name=_short(committee) + name, kind=kind, committee=committee
        )
        if not department.staff.filter(pk=handler.pk).exists():
            findings_services.department_set_staff(actor=actor, department=department, users=[handler])
        departments.append((department, share))
    return departments, handler


def body_office(body, default):
    """The body's own office account if the demo has one (和平区: ``heping``), else ``default``."""
    row = (
        RoleAssignment.objects.filter(role=Role.OFFICE_STAFF, body=body, active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return row.user if row else default


class PatrolFindings(CityFindings):
    """The hooks a patrol body's worked rounds call as each inspection moves on (the city's, with
    the patrol categories, the committee's own departments and no petitions): problems on site,
    approved at the report, clues recorded then, transferred and answered after the feedback."""

    def __init__(self, actor, body, today: D, grassroots: dict | None = None):
        # Not CityFindings.__init__: that one sets up the city's quotas, departments and accounts.
        self.actor, self.today, self.body = actor, today, body
        self.rng = random.Random(f"patrol:{body.code}")
        self.categories = {
            c.code: c for c in Category.objects.filter(framework__code=FRAMEWORK, parent__isnull=False)
        }
        self.villages = {org: len(v) for org, v in (grassroots or {}).items()}
        self.departments, self.department_user = ensure_departments(actor, body)
        self.office = body_office(body, actor)

    def for_round(self, number: int) -> PatrolFindings | None:
        """The hooks for round ``number``: the first ``WORKED_ROUNDS`` are worked, later ones only
        staffed and carried through their stages."""
        return self if number <= WORKED_ROUNDS else None

    def on_site(self, inspection, onsite: D) -> None:
        org = inspection.organization
        grassroots = org.kind in (OrgKind.TOWN, OrgKind.STREET, OrgKind.OTHER)
        weights = GRASSROOTS_WEIGHTS if grassroots else UNIT_WEIGHTS
        count = self.rng.randint(2, 3) + self.villages.get(org.pk, 0) // VILLAGES_PER_EXTRA_PROBLEM
        last = min(inspection.round.start + datetime.timedelta(days=44), self.today)
        for _ in range(count):
            code = self.rng.choices(list(weights), weights=list(weights.values()))[0]
            findings_services.problem_record(
                actor=self.actor,
                inspection=inspection,
                category=self.categories[code],
                summary=self.rng.choice(SUMMARIES[code]),
                found_on=min(onsite + datetime.timedelta(days=self.rng.randint(0, 36)), last),
                close_attention=self.rng.random() < 0.03,
                rectify_at_once=self.rng.random() < 0.15,
            )

    def on_report(self, inspection) -> None:
        """The group approves its problems; now and then a clue about a person for a department."""
        problems = list(inspection.problems.order_by("pk"))
        for problem in problems:
            findings_services.problem_approve(actor=self.actor, problem=problem)
        if not self.departments:
            return
        posts, summaries = CLUES[inspection.organization.kind in (OrgKind.TOWN, OrgKind.STREET)]
        for _ in range(self.rng.choices((0, 1, 2), weights=(75, 20, 5))[0]):
            department = self.rng.choices(
                [d for d, _share in self.departments], weights=[s for _d, s in self.departments]
            )[0]
            findings_services.clue_record(
                actor=self.actor,
                inspection=inspection,
                subject_name=self.rng.choice(SURNAMES) + "某",
                subject_post=self.rng.choice(posts),
                summary=f"反映其{self.rng.choice(summaries)}问题。",
                department=department,
                problem=self.rng.choice(problems) if problems else None,
                recorded_on=inspection.onsite_end,  # written up as the group leaves the site
            )


# --- rectification, after the rounds -------------------------------------------------------------


def _tasks(rng: random.Random, org, problem: Problem, fed: D) -> list[TaskPlan]:
    code = problem.category.code
    measures = rng.sample(MEASURES[code], rng.choices((1, 2), weights=(80, 20))[0])
    name, post = top_leader(org)
    if code in TOP_LEADER_CATEGORIES:
        leader = f"{post.split('、')[0]}{name}"
    else:
        leader = "分管领导" + random.Random(f"deputy:{org.code}:{code}").choice(SURNAMES) + "某某"
    department = "党政办公室" if org.kind in (OrgKind.TOWN, OrgKind.STREET) else "办公室"
    long_term = code in LONG_TERM_CATEGORIES and rng.random() < 0.3
    return task_plans(rng, problem, measures, leader, department, fed, long_term)


def plan_organization(rng: random.Random, org, problems, fed: D, pace: float, lagging: bool, cap: D):
    """What one organisation does with its problems: a lagging one gets under 70% of them done
    (closed, or a long-term stage met), any other at least 75%; the rest keep an overdue task."""
    plans = [ProblemPlan(p, _tasks(rng, org, p, fed)) for p in problems]
    n = len(plans)
    if lagging:
        done = min(int(n * rng.uniform(0.3, 0.67)), math.ceil(n * 0.7) - 1)
    else:
        done = n if pace >= 0.35 or n < 4 else math.ceil(n * 0.75)
    ranked = sorted(plans, key=lambda p: (p.problem.rectify_at_once, rng.random()), reverse=True)
    for plan in ranked[:done]:
        implement(rng, plan, fed, pace, cap)
    for plan in ranked[done:]:
        stall(rng, plan, fed, pace, cap, lagging)
    return plans


def _reports(rng: random.Random, inspection, plans: list[ProblemPlan], liaison, lagging: bool) -> None:
    """The rectification report and the top leader's report, by the deadline (late when lagging)."""
    feedback = inspection.feedback
    late = rng.randint(5, 30) if lagging else -rng.randint(0, 10)
    on = min(feedback.report_due + late * DAY, timezone.localdate())
    tasks = [t for p in plans for t in p.tasks]
    done = sum(1 for t in tasks if t.done_on and t.done_on <= on)
    org = inspection.organization
    name, post = top_leader(org)
    texts = {
        ReportKind.RECTIFICATION: (
            f"{org.name}关于{feedback.held_on.year}年{feedback.held_on.month}月巡察反馈意见整改情况的报告：对反馈的{len(plans)}个问题，"
            f"制定整改措施{len(tasks)}项，逐项明确责任领导、责任部门和完成时限。截至报告日已完成{done}项，"
            "其余按时限推进，完成一项、销号一项。"
        ),
        ReportKind.TOP_LEADER: (
            f"{post}{name}履行巡察整改第一责任人责任，主持召开专题会议{rng.randint(2, 5)}次研究整改，"
            f"逐项审定整改方案，对{len(plans)}个问题的整改亲自过问、一督到底。"
        ),
    }
    for kind, text in texts.items():
        signed = org.name if kind == ReportKind.RECTIFICATION else f"{post}{name}"
        reporting.report_submit(
            actor=liaison, inspection=inspection, kind=kind, text=text, signed_by=signed, on=on
        )


def ensure_patrol_rectification(progress: Progress, today: D | None = None) -> dict[str, int]:
    """The patrolled organisations' rectification, once: nothing if a patrol body's task exists
    already (or no patrol problem was fed back). In one transaction, like the city's. Returns the
    bodies, organisations, problems, clues, tasks, problems closed and organisations below their
    body's threshold today."""
    today = today or timezone.localdate()
    if RectificationTask.objects.filter(problem__inspection__round__body__level=BodyLevel.PATROL).exists():
        return {}
    inspections = list(
        Inspection.objects.filter(round__body__level=BodyLevel.PATROL, feedback__isnull=False)
        .filter(problems__status="rectifying")
        .distinct()
        .select_related("organization", "feedback", "round__body__owner_org", "round__term")
        .order_by("round__body__code", "organization__code")
    )
    if not inspections:
        return {}
    admin = User.objects.get(username="admin")
    by_body = defaultdict(list)
    for inspection in inspections:
        by_body[inspection.round.body].append(inspection)
    problems = defaultdict(list)
    for problem in (
        Problem.objects.filter(inspection__in=[i.pk for i in inspections], status="rectifying")
        .select_related("inspection__organization", "inspection__round__body__owner_org", "category")
        .order_by("ref")
    ):
        problems[problem.inspection_id].append(problem)
    cap = today - 30 * DAY
    made = closed = 0
    with transaction.atomic():
        liaisons = ensure_liaisons([i.organization for i in inspections])
        done = 0
        for body, rows in sorted(by_body.items(), key=lambda item: item[0].code):
            rng = random.Random(f"patrol-rectification:{body.code}")
            office = body_office(body, admin)
            pace = {i.pk: rng.random() for i in rows}
            slow = max(1, round(len(rows) * rng.uniform(*LAGGING_SHARE)))
            lagging = set(sorted(pace, key=pace.get)[:slow])
            for inspection in rows:
                progress("巡察整改：整改方案、任务和对账销号", done, len(inspections))
                done += 1
                plans = plan_organization(
                    rng,
                    inspection.organization,
                    problems[inspection.pk],
                    inspection.feedback.held_on,
                    pace[inspection.pk],
                    inspection.pk in lagging,
                    cap,
                )
                liaison = liaisons[inspection.organization_id]
                for plan in plans:
                    carry_out(plan, liaison, office)
                    made += len(plan.tasks)
                    closed += bool(plan.closed_on)
                _reports(rng, inspection, plans, liaison, inspection.pk in lagging)
        progress("巡察整改：整改方案、任务和对账销号", len(inspections), len(inspections))
    below = sum(
        rectification_figures(body, rows[0].round.term, today)["organizations_below_threshold"].value
        for body, rows in by_body.items()
    )
    return {
        "bodies": len(by_body),
        "organizations": len(inspections),
        "problems": sum(len(p) for p in problems.values()),
        "clues": Clue.objects.filter(inspection__round__body__level=BodyLevel.PATROL).count(),
        "tasks": made,
        "closed": closed,
        "below": below,
    }
