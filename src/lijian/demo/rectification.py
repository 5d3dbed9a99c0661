"""Rectification in the Tianjin term, carried through the rectification services (M10–M12).

Every fed-back organisation's liaison writes its plan (one to three tasks per problem, the measure
fitting the problem's category, a responsible leader and department, a deadline one to six months
after feedback; 立行立改 problems get an immediate task, systemic ones often a long-term one), the
city's inspection office accepts it, tasks are completed as time passes, problems are reported done
and closed on evidence (long-term ones get their stage met, some closed later), and the look-back
finds a few closed problems back and reopens them. Nothing is written around the services; every
date lies between the feedback and today and runs forward per problem.

How the seed's figures come out of the task states:

- **The threshold.** The population is every organisation the city fed problems back to in the term
  (126). Its last round was fed back in November 2024, so on the committee's assessment (40 days ago)
  every organisation is long past its concentrated rectification (deadlines at most six months after
  feedback): no one is below 70% merely for having started late, and the assessment counts all of
  them. What decides who is below is the pace of each organisation: the demo draws one per
  organisation (seeded) and the share of its problems it gets done follows from it — the ``LAGGING``
  slowest (11, the seed's count) leave more than 30% of their problems open with overdue tasks, the
  others get at least 72% done. ``self_criticisms_assess`` then reads the rates
  (``rates_by_organization``) and makes the 11 self-criticisms due; nothing names them by hand.
- **Interviews (39).** The mayor interviews the top leader of each organisation below the line; the
  other members of the city leadership the top leaders of the 28 others with the most tasks overdue
  seven months after their feedback (ties: more days overdue, then code).
- **Accountability (8 + 6).** The 8 party secretaries of enterprises and institutions (SOEs,
  institutions, universities) whose implementation rate is lowest on the assessment day; the action
  follows from the rate. The 6 discipline secretaries of the SOEs with the most overdue tasks on
  problems of supervision (2.2 first, then the rest of 全面从严治党), removed from office, each
  linked to the most overdue of those tasks.
- **天津港集团 (TJ-S01)**, the demo liaison's organisation, also shows the work in between: a problem
  reported done awaiting closing, a task whose deadline was changed awaiting re-acceptance, and a
  problem the look-back reopened with its new tasks awaiting acceptance.
"""

from __future__ import annotations

import datetime
import math
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from lijian.accounts.models import User
from lijian.documents.attachments import attachment_add
from lijian.findings.models import Problem
from lijian.findings.services import add_months
from lijian.inspections.models import Inspection
from lijian.orgs.choices import OrgKind
from lijian.orgs.models import InspectionBody, Term
from lijian.rectification import reporting, services
from lijian.rectification.choices import AccountabilityAction, ReportKind, SelfCriticismStatus, TaskKind
from lijian.rectification.models import RectificationTask
from lijian.rectification.rates import rates_by_organization

D = datetime.date
DAY = datetime.timedelta(days=1)
SEED = 20_221_119  # the first round's feedback
LAGGING = 11  # M11: organisations below 70%, each ordered to make a self-criticism
INTERVIEWED = 39  # M10: unit top leaders interviewed
SECRETARIES = 8  # M12: party secretaries of enterprises and institutions held accountable
DISCIPLINE = 6  # M12: SOE discipline secretaries removed
ASSESSED_DAYS_AGO = 40
SHOWCASE = "TJ-S01"  # 天津港集团, the demo liaison's organisation
ENTERPRISES = (OrgKind.SOE, OrgKind.INSTITUTION, OrgKind.UNIVERSITY)  # 企事业单位
Progress = Callable[[str, int, int | None], None]

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
FEEDBACK_REQUIREMENTS = (
    "一、提高政治站位，切实扛起巡视整改主体责任，主要负责人履行第一责任人责任；"
    "二、建立问题、任务、责任清单，立行立改与长期坚持相结合，逐项对账销号；"
    "三、在规定期限内报送整改情况报告和主要负责人组织落实情况报告，整改情况按规定公开。"
)
# Measures by 四个落实 subcategory; a problem's tasks take different ones.
MEASURES = {
    "1.1": (
        "修订党委理论学习中心组学习制度，制定年度学习计划并逐月督办",
        "开展专题读书班，班子成员联系实际撰写研讨材料并交流",
        "建立学习成效评估机制，将学习情况纳入领导班子考核",
    ),
    "1.2": (
        "逐项梳理市委重点工作任务，建立台账、明确时限、挂图作战",
        "对打折扣、搞变通问题开展专项检查，严肃追究相关人员责任",
        "建立重大决策部署落实情况季度报告制度",
    ),
    "1.3": (
        "制定聚焦主责主业专项方案，清理非主业投资和低效业务",
        "完善行业监管责任清单，开展专项执法检查",
        "建立服务高质量发展重点项目推进机制",
    ),
    "1.4": (
        "修订意识形态工作责任制实施细则，每半年开展专题研判",
        "全面排查宣传思想文化阵地，建立阵地管理台账",
        "将意识形态工作纳入党建工作考核",
    ),
    "1.5": (
        "开展重大风险隐患全面排查，建立风险清单和化解方案",
        "制定债务风险化解计划，逐年压降存量债务",
        "完善风险监测预警和应急处置机制",
    ),
    "2.1": (
        "制定落实全面从严治党主体责任清单，逐级签订责任书",
        "党委每半年专题研究全面从严治党工作",
        "开展压力传导专项检查，约谈履责不力的下属单位负责人",
    ),
    "2.2": (
        "制定监督执纪问责工作规程，开展专项监督",
        "对巡视移交的问题线索逐件处置并报告结果",
        "开展纪检干部业务培训，提升发现问题能力",
    ),
    "2.3": (
        "全面清查违规发放的津贴补贴，责令相关人员退回",
        "修订公务接待管理办法，严格执行接待标准",
        "开展公务用车专项治理，建立用车登记审批制度",
    ),
    "2.4": (
        "精简文件会议，制定年度发文和会议计划并严格执行",
        "建立调查研究成果转化机制，班子成员带头蹲点调研",
        "开展形式主义、官僚主义问题专项整治",
    ),
    "2.5": (
        "对工程建设项目招投标、变更签证开展专项审计",
        "修订物资采购管理办法，推行集中采购和电子化招标",
        "制定关键岗位轮岗交流计划并组织实施",
    ),
    "3.1": (
        "修订党委议事规则和“三重一大”决策制度",
        "召开专题民主生活会，认真开展批评和自我批评",
        "建立班子成员定期沟通协调机制",
    ),
    "3.2": (
        "对近三年干部选拔任用工作开展专项检查，纠正不规范问题",
        "制定年轻干部培养选拔规划",
        "完善干部选拔任用全程纪实制度",
    ),
    "3.3": (
        "开展“三会一课”制度落实情况专项检查",
        "对近三年发展党员材料逐一复核，规范发展程序",
        "推进基层党组织标准化规范化建设",
    ),
    "3.4": ("修订人才引进培养办法，建立人才梯队", "制定人才发展专项规划并组织实施"),
    "4.1": (
        "对上轮巡视反馈问题逐项“回头看”，对反弹问题重新整改",
        "建立整改对账销号复核机制，销号须经主要负责人签字",
    ),
    "4.2": ("建立审计发现问题整改台账，逐项销号", "追究审计整改不到位的相关人员责任"),
    "4.3": ("对照检视问题清单逐项整改并公示", "建立整改成效评估机制"),
}
DEPARTMENTS = {
    "1.1": "党委宣传部门",
    "1.2": "党委办公室",
    "1.3": "业务主管部门",
    "1.4": "党委宣传部门",
    "1.5": "财务和风险管理部门",
    "2.1": "党委办公室",
    "2.2": "纪检监察机构",
    "2.3": "办公室、财务部门",
    "2.4": "党委办公室",
    "2.5": "审计部门、采购管理部门",
    "3.4": "人力资源部门",
    "4.2": "审计部门",
}
LONG_TERM_CATEGORIES = {"1.1", "1.5", "2.1", "2.4", "3.2", "3.3", "3.4", "4.1"}
TOP_LEADER_CATEGORIES = {"1.2", "2.1", "3.1", "4.1"}

CLOSED, STAGE, STAGE_CLOSED, REOPENED, STALLED, REPORTED = (
    "closed",
    "stage_met",
    "stage_closed",
    "reopened",
    "stalled",
    "reported",
)


def _person(seed: str, avoid: str = "") -> str:
    """An anonymised name (王某某) — the units are real, the people never are."""
    rng = random.Random(seed)
    return rng.choice([s for s in SURNAMES if s != avoid]) + "某某"


def top_leader(org) -> tuple[str, str]:
    """The name and post of an organisation's top leader (一把手), the same wherever it appears."""
    name = _person(f"leader:{org.code}")
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
    return _person(f"discipline:{org.code}", avoid=top_leader(org)[0][0]), post


# --- the plan: what each organisation does, decided before anything is written -------------------


@dataclass
class TaskPlan:
    measure: str
    leader: str
    department: str
    deadline: D
    kind: str
    done_on: D | None = None
    progress_on: D | None = None  # a progress report on a task still not done


@dataclass
class ProblemPlan:
    problem: Problem
    tasks: list[TaskPlan]
    fate: str = STALLED
    reported_on: D | None = None
    stage_on: D | None = None
    closed_on: D | None = None
    reopened_on: D | None = None
    redo: list[TaskPlan] = field(default_factory=list)
    accept_redo: bool = True
    change_to: D | None = None  # a deadline the liaison changed, awaiting re-acceptance


def _between(day: D, low: D, high: D) -> D:
    return max(low, min(day, high))


def task_plans(
    rng: random.Random, problem: Problem, measures, leader: str, department: str, fed: D, long_term: bool
) -> list[TaskPlan]:
    """One task per measure: the first immediate (立行立改) when the problem is so marked, the last
    long-term when ``long_term``, the others concentrated, due one to six months after feedback."""
    plans = []
    for k, measure in enumerate(measures):
        if k == 0 and problem.rectify_at_once:
            kind, months = TaskKind.IMMEDIATE, 1
        elif k == len(measures) - 1 and long_term:
            kind, months = TaskKind.LONG_TERM, 6
        else:
            kind, months = TaskKind.CONCENTRATED, rng.randint(2, 6)
        plans.append(TaskPlan(measure, leader, department, add_months(fed, months), kind))
    return plans


def _tasks(rng: random.Random, org, problem: Problem, fed: D) -> list[TaskPlan]:
    code = problem.category.code
    count = rng.choices((1, 2, 3), weights=(60, 30, 10))[0]
    measures = rng.sample(MEASURES[code], min(count, len(MEASURES[code])))
    name, post = top_leader(org)
    if code in TOP_LEADER_CATEGORIES:
        leader = f"{post.split('、')[0]}{name}"
    elif code == "2.2":
        leader = "".join(reversed(discipline_secretary(org)))
    else:
        leader = "分管领导" + _person(f"deputy:{org.code}:{code}", avoid=name[0])
    department = DEPARTMENTS.get(code, "组织人事部门" if code.startswith("3") else "整改工作领导小组办公室")
    long_term = code in LONG_TERM_CATEGORIES and rng.random() < 0.35
    return task_plans(rng, problem, measures, leader, department, fed, long_term)


def _finish(rng: random.Random, plan: ProblemPlan, fed: D, pace: float, cap: D, tasks=None) -> D:
    """Complete ``tasks`` (all of the plan's by default) around their deadlines, later the slower
    the organisation; returns the last completion."""
    for task in plan.tasks if tasks is None else tasks:
        delay = rng.randint(-20, 10) + int((1 - pace) * rng.randint(0, 60))
        task.done_on = _between(task.deadline + delay * DAY, fed + 21 * DAY, cap)
    return max(t.done_on for t in plan.tasks if t.done_on)


def implement(rng: random.Random, plan: ProblemPlan, fed: D, pace: float, cap: D) -> None:
    """Every task done; the problem closed on evidence, or a long-term one's stage met (some of
    those closed half a year or more later)."""
    last = _finish(rng, plan, fed, pace, cap)
    if any(t.kind == TaskKind.LONG_TERM for t in plan.tasks):
        plan.fate, plan.stage_on = STAGE, min(last + rng.randint(5, 20) * DAY, cap)
        later = plan.stage_on + rng.randint(180, 360) * DAY
        if rng.random() < 0.4 and later <= cap:
            plan.fate, plan.closed_on = STAGE_CLOSED, later
    else:
        plan.fate, plan.reported_on = CLOSED, min(last + rng.randint(1, 10) * DAY, cap)
        plan.closed_on = min(plan.reported_on + rng.randint(5, 25) * DAY, cap)


def stall(rng: random.Random, plan: ProblemPlan, fed: D, pace: float, cap: D, lagging: bool) -> None:
    """The task with the latest deadline is still not done (overdue); earlier ones perhaps done."""
    ordered = sorted(plan.tasks, key=lambda t: t.deadline)
    done = [t for t in ordered[:-1] if rng.random() < (0.3 if lagging else 0.5)]
    if done:
        _finish(rng, plan, fed, pace, cap, done)
    for task in plan.tasks:
        if not task.done_on:
            task.progress_on = _between(task.deadline - rng.randint(5, 40) * DAY, fed + 30 * DAY, cap)
    plan.fate = STALLED


def _reopen(plan: ProblemPlan, on: D, rng: random.Random, redo: int = 1) -> None:
    plan.fate, plan.reopened_on = REOPENED, on
    first = plan.tasks[0]
    for k in range(redo):
        measure = ("针对整改“回头看”发现的反弹问题，" if k == 0 else "举一反三、建章立制：") + first.measure
        deadline = add_months(on, rng.randint(2, 3))
        plan.redo.append(TaskPlan(measure, first.leader, first.department, deadline, TaskKind.CONCENTRATED))


def _weight(plan: ProblemPlan) -> float:
    """How readily a problem is fixed: 立行立改 ones first, long-term and closely watched ones last."""
    weight = 4.0 if plan.problem.rectify_at_once else 1.0
    if any(t.kind == TaskKind.LONG_TERM for t in plan.tasks):
        weight *= 0.7
    return weight * (0.4 if plan.problem.close_attention else 1.0)


def plan_organization(
    rng: random.Random, org, problems, fed: D, pace: float, lagging: bool, share: float, cap: D, today: D
) -> list[ProblemPlan]:
    """What one organisation does with its problems. A lagging organisation gets fewer than
    ``share`` of them done (closed or stage met), any other at least ``share`` + 2 points; the rest
    stay with an overdue task, or were closed and then reopened by the look-back."""
    plans = [ProblemPlan(p, _tasks(rng, org, p, fed)) for p in problems]
    n = len(plans)
    if lagging:
        done = min(int(n * rng.uniform(0.45, 0.66)), math.ceil(n * share) - 1)
    else:
        done = max(math.ceil(n * min(0.99, 0.72 + 0.27 * pace)), math.ceil(n * (share + 0.02)))
    showcase = org.code == SHOWCASE
    if showcase:
        done = min(done, n - 3)  # three problems to show the work in between
    keys = {id(p): rng.random() ** (1 / _weight(p)) for p in plans}
    ranked = sorted(plans, key=lambda p: -keys[id(p)])
    for plan in ranked[:done]:
        implement(rng, plan, fed, pace, cap)
    for plan in ranked[done:]:
        if not showcase and rng.random() < (0.1 if lagging else 0.25):
            implement(rng, plan, fed, pace, cap)
            again = (plan.closed_on or plan.stage_on) + rng.randint(180, 420) * DAY
            if plan.fate == CLOSED and again <= cap:
                _reopen(plan, again, rng)
                continue
            for task in plan.tasks:  # too late for a look-back: still under way instead
                task.done_on = task.progress_on = None
            plan.reported_on = plan.stage_on = plan.closed_on = None
        stall(rng, plan, fed, pace, cap, lagging)
    if showcase:
        _showcase(rng, sorted(ranked[done:], key=lambda p: p.problem.ref), fed, pace, today)
    return plans


def _showcase(rng: random.Random, stalled: list[ProblemPlan], fed: D, pace: float, today: D) -> None:
    """The work in between, recent: reported done and awaiting closing; a deadline changed and
    awaiting re-acceptance; reopened by the look-back with new tasks awaiting acceptance."""
    reported, changed, reopened = stalled[:3]
    for task in reported.tasks:
        task.done_on = task.done_on or today - rng.randint(12, 30) * DAY
        task.progress_on = None
    reported.fate, reported.reported_on = REPORTED, today - 5 * DAY
    changed.change_to = today + 60 * DAY
    for task in reopened.tasks:
        task.progress_on = None
    implement(rng, reopened, fed, pace, today - 90 * DAY)
    if reopened.fate != CLOSED:  # a long-term one: its stage met is what the look-back finds back
        reopened.closed_on = None
    _reopen(reopened, today - 60 * DAY, rng, redo=2)
    reopened.accept_redo = False


# --- carrying the plan out through the services ---------------------------------------------------


def _pdf() -> bytes:
    """A small valid one-page PDF standing for each problem's closing evidence (对账销号材料)."""
    objects = (
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    )
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


EVIDENCE = _pdf()
PROGRESS = (
    "已制定具体工作方案，正在推进，部分措施尚未落实到位。",
    "已召开专题会议部署，责任部门正在推进，进度滞后于计划。",
    "已完成前期排查，相关制度正在修订，尚待党委会审议。",
)


def _add(liaison, office, problem, plan: TaskPlan, accept: bool = True) -> RectificationTask:
    task = services.task_add(
        actor=liaison,
        problem=problem,
        measure=plan.measure,
        responsible_leader=plan.leader,
        responsible_department=plan.department,
        deadline=plan.deadline,
        kind=plan.kind,
    )
    if accept:
        services.task_accept(actor=office, task=task)
    return task


def carry_out(plan: ProblemPlan, liaison, office) -> None:
    """The plan through the services, in the order of its dates: the liaison writes the tasks, the
    office accepts them, the liaison reports progress or completes them, uploads the evidence and
    reports the problem done, the office closes it on that evidence (or records the stage met), and
    the look-back reopens it."""
    problem = plan.problem
    tasks = [(_add(liaison, office, problem, t), t) for t in plan.tasks]
    for task, t in tasks:
        if t.done_on:
            services.task_complete(actor=liaison, task=task, on=t.done_on)
        elif t.progress_on:
            text = PROGRESS[task.pk % len(PROGRESS)]
            reporting.task_progress_report(actor=liaison, task=task, on=t.progress_on, text=text)
    if plan.change_to:
        task = next(task for task, t in reversed(tasks) if not t.done_on)
        services.task_change(actor=liaison, task=task, deadline=plan.change_to)
    if plan.reported_on or plan.closed_on:  # the liaison's evidence, on the task completed last
        last = max(tasks, key=lambda pair: pair[1].done_on)[0]
        upload = SimpleUploadedFile(f"{problem.ref}整改佐证材料.pdf", EVIDENCE, "application/pdf")
        attachment_add(actor=liaison, owner=last, upload=upload, description="对账销号佐证材料")
    if plan.reported_on:
        reason = "各项整改任务已完成，佐证材料已报送，申请对账销号。"
        services.problem_report_done(actor=liaison, problem=problem, on=plan.reported_on, reason=reason)
    if plan.stage_on:
        reason = "阶段性整改目标已完成，长效机制已建立，转入长期坚持。"
        services.problem_stage_met(actor=office, problem=problem, on=plan.stage_on, reason=reason)
    if plan.closed_on:
        reason = "经对账核验，整改措施已落实，佐证材料齐全，予以销号。"
        services.problem_close(actor=office, problem=problem, on=plan.closed_on, reason=reason)
    if plan.reopened_on:
        reason = "整改“回头看”发现问题反弹，整改不到位，重新整改。"
        services.problem_reopen(actor=office, problem=problem, on=plan.reopened_on, reason=reason)
        for t in plan.redo:
            _add(liaison, office, problem, t, accept=plan.accept_redo)


# --- the whole term -------------------------------------------------------------------------------


@dataclass
class CityTerm:
    """The city body's term as the consequences read it back from the database."""

    body: InspectionBody
    term: Term
    office: User
    inspections: dict[int, Inspection]  # by organisation id
    liaisons: dict[int, User]
    assessed: D
    today: D


def ensure_rectification(progress: Progress, today: D | None = None) -> dict[str, int]:
    """The city term's rectification, once: nothing if its tasks exist already (or no round was fed
    back yet). All of it in one transaction, so an interrupted run leaves nothing half done."""
    from lijian.demo.accounts import ensure_liaisons
    from lijian.demo.oversight import ensure_oversight

    today = today or timezone.localdate()
    body = InspectionBody.objects.select_related("owner_org").filter(code="TJ-XSB").first()
    term = body and body.terms.filter(start__lte=today, end__gte=today).first()
    if term is None or RectificationTask.objects.filter(problem__inspection__round__body=body).exists():
        return {}
    inspections = {
        i.organization_id: i
        for i in Inspection.objects.filter(round__body=body, round__term=term, feedback__isnull=False)
        .select_related("organization", "feedback")
        .order_by("feedback__held_on", "pk")
    }
    if not inspections:
        return {}
    with transaction.atomic():
        state = CityTerm(
            body=body,
            term=term,
            office=User.objects.get(username="xunshiban"),
            inspections=inspections,
            liaisons=ensure_liaisons([i.organization for i in inspections.values()]),
            assessed=today - ASSESSED_DAYS_AGO * DAY,
            today=today,
        )
        tasks = _plans(state, progress)
        progress("整改：深刻检查、约谈和问责", 0, 3)
        criticisms = _self_criticisms(state)
        progress("整改：深刻检查、约谈和问责", 1, 3)
        interviews = _interviews(state, {c.organization_id: c for c in criticisms})
        progress("整改：深刻检查、约谈和问责", 2, 3)
        actions = _accountability(state, {c.organization_id: c for c in criticisms})
        progress("整改：深刻检查、约谈和问责", 3, 3)
        oversight = ensure_oversight(state, {c.organization_id: c for c in criticisms})
    return {
        **oversight,
        "tasks": tasks,
        "self_criticisms": len(criticisms),
        "interviews": interviews,
        "accountability": actions,
    }


def _plans(state: CityTerm, progress: Progress) -> int:
    """Each organisation's pace, the ``LAGGING`` slowest, and every organisation's plan carried
    out by its liaison and the office, problems read in one query; returns the tasks written."""
    rng = random.Random(SEED)
    orgs = sorted(state.inspections, key=lambda o: state.inspections[o].organization.code)
    pace = {org: rng.random() for org in orgs}
    lagging = set(sorted(orgs, key=lambda o: pace[o])[:LAGGING])
    problems = defaultdict(list)
    rows = (
        Problem.objects.filter(inspection__in=[i.pk for i in state.inspections.values()], status="rectifying")
        .select_related("inspection__organization", "inspection__round__body__owner_org", "category")
        .order_by("ref")
    )
    for problem in rows:
        problems[problem.inspection.organization_id].append(problem)
    share, cap = state.body.rectification_threshold / 100, state.assessed - DAY
    made = 0
    for k, org in enumerate(orgs):
        progress("整改：整改方案、任务和对账销号", k, len(orgs))
        inspection = state.inspections[org]
        plans = plan_organization(
            rng,
            inspection.organization,
            problems[org],
            inspection.feedback.held_on,
            pace[org],
            org in lagging,
            share,
            cap,
            state.today,
        )
        for plan in plans:
            carry_out(plan, state.liaisons[org], state.office)
            made += len(plan.tasks) + len(plan.redo)
        _reports(rng, inspection, plans, state.liaisons[org], org in lagging)
    progress("整改：整改方案、任务和对账销号", len(orgs), len(orgs))
    return made


def _reports(rng: random.Random, inspection, plans: list[ProblemPlan], liaison, lagging: bool) -> None:
    """The rectification report and the top leader's report, by the deadline (a slow organisation
    weeks late), telling what was done by then."""
    feedback = inspection.feedback
    late = rng.randint(5, 40) if lagging else -rng.randint(0, 10)
    on = min(feedback.report_due + late * DAY, timezone.localdate())
    tasks = [t for p in plans for t in p.tasks]
    done = sum(1 for t in tasks if t.done_on and t.done_on <= on)
    org = inspection.organization
    name, post = top_leader(org)
    text = (
        f"{org.name}关于{feedback.held_on.year}年{feedback.held_on.month}月巡视反馈意见整改情况的报告：对反馈的{len(plans)}个问题，"
        f"制定整改措施{len(tasks)}项，逐项明确责任领导、责任部门和完成时限，实行问题、任务、责任清单管理。"
        f"截至报告日已完成{done}项，其余按时限推进，完成一项、销号一项。"
    )
    reporting.report_submit(
        actor=liaison,
        inspection=inspection,
        kind=ReportKind.RECTIFICATION,
        text=text,
        signed_by=org.name,
        on=on,
    )
    text = (
        f"{post}{name}履行巡视整改第一责任人责任，主持召开党委（党组）会议{rng.randint(3, 8)}次专题研究整改，"
        f"逐项审定整改方案，带头认领重点问题，对{len(plans)}个问题的整改亲自过问、一督到底。"
    )
    reporting.report_submit(
        actor=liaison,
        inspection=inspection,
        kind=ReportKind.TOP_LEADER,
        text=text,
        signed_by=f"{post}{name}",
        on=on,
    )


def _task_rows(state: CityTerm) -> list[tuple[int, str, D, D | None, int]]:
    """Every task of the term read back: organisation, category code, deadline, completion, id."""
    return list(
        RectificationTask.objects.filter(problem__inspection__in=[i.pk for i in state.inspections.values()])
        .order_by("pk")
        .values_list(
            "problem__inspection__organization", "problem__category__code", "deadline", "completed_on", "pk"
        )
    )


def _late_on(rows, day: D):
    """The rows of tasks overdue on ``day``: due before it and not done by it."""
    return [r for r in rows if r[2] < day and (r[3] is None or r[3] > day)]


def _self_criticisms(state: CityTerm) -> list:
    """The committee's assessment makes the self-criticisms due; most are submitted and accepted
    by now, one was returned for rewriting, one awaits acceptance and one is still owed."""
    made = services.self_criticisms_assess(
        actor=state.office, body=state.body, term=state.term, on=state.assessed
    )
    if len(made) != LAGGING:  # the plan's guarantee; anything else is a bug in this module
        raise RuntimeError(f"{len(made)} organisations below the threshold, expected {LAGGING}")
    rng = random.Random(SEED + 1)
    ordered = sorted(made, key=lambda c: c.organization.code)
    rng.shuffle(ordered)
    fates = [SelfCriticismStatus.ACCEPTED] * (LAGGING - 3) + [
        SelfCriticismStatus.RETURNED,
        SelfCriticismStatus.SUBMITTED,
        SelfCriticismStatus.DUE,
    ]
    for item, fate in zip(ordered, fates, strict=True):
        if fate == SelfCriticismStatus.DUE:
            continue
        name, post = top_leader(item.organization)
        text = (
            f"{item.organization.name}关于巡视整改落实不力的深刻检查：本单位整改落实到位率为"
            f"{item.numerator}/{item.denominator}，低于{item.threshold}%的警戒线。{post}{name}代表领导班子"
            "作深刻检查：政治站位不高，主体责任压得不实，对账销号把关不严。下一步将逐项对照"
            "逾期任务倒排工期，主要负责人亲自督办，确保整改落实到位。"
        )
        submitted = item.assessed_on + rng.randint(10, 24) * DAY
        services.self_criticism_submit(
            actor=state.liaisons[item.organization_id], item=item, text=text, on=submitted
        )
        if fate == SelfCriticismStatus.ACCEPTED:
            accepted = min(submitted + rng.randint(2, 8) * DAY, state.today)
            services.self_criticism_accept(actor=state.office, item=item, on=accepted)
        elif fate == SelfCriticismStatus.RETURNED:
            reason = "检查剖析不深刻，对问题根源和主观原因查找不够，请重新撰写。"
            services.self_criticism_return(actor=state.office, item=item, reason=reason)
    return made


def _interviews(state: CityTerm, below: dict[int, object]) -> int:
    """The mayor interviews the top leaders of the organisations below the line; the other members
    of the leadership those of the organisations with the most tasks overdue seven months after
    their feedback (M10)."""
    rng = random.Random(SEED + 2)
    rows_by_org = defaultdict(list)
    for row in _task_rows(state):
        rows_by_org[row[0]].append(row)
    chosen: list[tuple[int, str, str, D]] = []
    for org, item in sorted(below.items(), key=lambda x: x[1].organization.code):
        reason = (
            f"巡视整改落实到位率为{item.numerator}/{item.denominator}，低于{item.threshold}%的警戒线，"
            "整改推进不力，已责令向市委作出深刻检查。"
        )
        chosen.append((org, "市长", reason, state.assessed + rng.randint(3, 12) * DAY))
    late: dict[int, list[int]] = {}
    for org, inspection in state.inspections.items():
        review = add_months(inspection.feedback.held_on, 7)
        late[org] = [(review - r[2]).days for r in _late_on(rows_by_org[org], review)]
    others = sorted(
        (org for org in late if org not in below and late[org]),
        key=lambda o: (-len(late[o]), -sum(late[o]), state.inspections[o].organization.code),
    )[: INTERVIEWED - len(chosen)]
    if len(chosen) + len(others) != INTERVIEWED:
        raise RuntimeError(f"only {len(chosen) + len(others)} organisations to interview")
    for org in others:
        held = add_months(state.inspections[org].feedback.held_on, 7) + rng.randint(5, 20) * DAY
        reason = f"巡视反馈问题集中整改期满，仍有{len(late[org])}项整改任务逾期未完成，整改进度滞后。"
        interviewer = rng.choice(("常务副市长", "副市长", "市委常委、副市长"))
        chosen.append((org, interviewer, reason, held))
    for org, interviewer, reason, held in chosen:
        inspection = state.inspections[org]
        name, post = top_leader(inspection.organization)
        services.interview_record(
            actor=state.office,
            body=state.body,
            organization=inspection.organization,
            interviewer=interviewer,
            interviewee=name,
            interviewee_post=post,
            reason=reason,
            held_on=min(held, state.today),
            follow_up="责成一个月内报送逾期任务整改方案和进展，列入市委巡视办重点督办。",
            inspection=inspection,
        )
    return len(chosen)


def _accountability(state: CityTerm, below: dict[int, object]) -> int:
    """8 party secretaries of enterprises and institutions with the lowest implementation rates,
    the action by the rate; 6 SOE discipline secretaries removed where supervision problems have the
    most overdue tasks (M12). Each is linked to the self-criticism, task or problem behind it."""
    rng = random.Random(SEED + 3)
    rates = rates_by_organization(state.body, state.term, state.assessed)
    late = _late_on(_task_rows(state), state.assessed)
    late_by_org = defaultdict(list)
    for row in sorted(late, key=lambda r: (r[2], r[4])):  # the longest overdue first
        late_by_org[row[0]].append(row)
    tasks = RectificationTask.objects.select_related("problem__inspection__organization").in_bulk(
        [r[4] for r in late]
    )
    share = state.body.rectification_threshold / 100
    org_of = {org: i.organization for org, i in state.inspections.items()}
    enterprises = sorted(
        (org for org in rates if org_of[org].kind in ENTERPRISES),
        key=lambda o: (rates[o]["implementation_rate"].value, -len(late_by_org[o]), org_of[o].code),
    )[:SECRETARIES]
    made = 0
    for org in enterprises:
        rate = rates[org]["implementation_rate"]
        if rate.value < share - 0.15:
            action = AccountabilityAction.ADMONISHMENT
        elif rate.value < share:
            action = AccountabilityAction.CRITICISM_NOTICE
        else:
            action = AccountabilityAction.ORDERED_REVIEW
        name, post = top_leader(org_of[org])
        first = late_by_org[org][0] if late_by_org[org] else None
        services.accountability_record(
            actor=state.office,
            body=state.body,
            organization=org_of[org],
            subject_name=name,
            subject_post=post,
            action=action,
            reason=(
                f"履行巡视整改主体责任不力：整改落实到位率{rate.numerator}/{rate.denominator}，"
                f"{len(late_by_org[org])}项整改任务逾期未完成。"
            ),
            decided_by="市纪委监委",
            decided_on=min(state.assessed + rng.randint(20, 35) * DAY, state.today),
            inspection=state.inspections[org],
            task=tasks[first[4]] if first else None,
            self_criticism=below.get(org),
        )
        made += 1

    def supervision(org):
        rows = late_by_org[org]
        return [r for r in rows if r[1] == "2.2"], [r for r in rows if r[1].startswith("2.")], rows

    soes = sorted(
        (org for org in rates if org_of[org].kind == OrgKind.SOE and late_by_org[org]),
        key=lambda o: (*(-len(x) for x in supervision(o)), org_of[o].code),
    )[:DISCIPLINE]
    if len(soes) != DISCIPLINE:
        raise RuntimeError(f"only {len(soes)} SOEs with overdue tasks")
    for org in soes:
        row = next(rows[0] for rows in supervision(org) if rows)
        task = tasks[row[4]]
        name, post = discipline_secretary(org_of[org])
        services.accountability_record(
            actor=state.office,
            body=state.body,
            organization=org_of[org],
            subject_name=name,
            subject_post=post,
            action=AccountabilityAction.REMOVAL,
            reason=(
                f"履行监督责任不到位：巡视反馈的“{task.problem.summary}”问题，整改任务逾期"
                f"{(state.assessed - task.deadline).days}天仍未完成，未发挥监督保障执行作用。"
            ),
            decided_by="市纪委监委",
            decided_on=min(state.assessed + rng.randint(20, 35) * DAY, state.today),
            problem=task.problem,
            task=task,
        )
        made += 1
    return made
