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
  (126). Its last round was fed back in November 2024, so on the committee's assessment (``ASSESSED``,
  a fixed day in October 2026)
  every organisation is long past its concentrated rectification (deadlines at most six months after
  feedback): no one is below 70% merely for having started late, and the assessment counts all of
  them. What decides who is below is the pace of each organisation: the demo draws one per
  organisation (seeded) and the share of its problems it gets done follows from it — the ``LAGGING``
  slowest (11, the seed's count) leave more than 30% of their problems open with overdue tasks, the
  others get at least 72% done. ``self_criticisms_assess`` then reads the rates
  (``rates_by_organization``) and makes the 11 self-criticisms due; nothing names them by hand.
  Before it, the committee assessed the rates on each day a rectification notice stands at
  (``demo.notices``), so every organisation a notice names owes its self-criticism; those were all
  submitted and accepted months before the last assessment.
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
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from lijian.accounts.models import User
from lijian.demo.accounts import ensure_liaisons
from lijian.demo.notices import rectification_days
from lijian.demo.oversight import ensure_oversight
from lijian.demo.policy.rectification import (
    ASSESSED,
    DISCIPLINE,
    INTERVIEWED,
    LAGGING,
    SECRETARIES,
    SEED,
    ProblemPlan,
    TaskPlan,
    city_paces,
    city_reports,
    decision_day,
    late_interview,
    mayor_interview_day,
    plan_organization,
    self_criticism_fates,
)
from lijian.demo.vocabulary.people import ENTERPRISES, discipline_secretary, top_leader
from lijian.demo.vocabulary.rectification import PROGRESS
from lijian.documents.attachments import attachment_add
from lijian.findings.models import Problem
from lijian.findings.services import add_months
from lijian.inspections.models import Inspection
from lijian.orgs.choices import OrgKind
from lijian.orgs.models import InspectionBody, Term
from lijian.orgs.selectors import term_current
from lijian.rectification import reporting, services
from lijian.rectification.choices import AccountabilityAction, ReportKind, SelfCriticismStatus
from lijian.rectification.models import RectificationTask
from lijian.rectification.rates import rates_by_organization
from lijian.rectification.services import SELF_CRITICISM_RESPITE_DAYS

D = datetime.date
DAY = datetime.timedelta(days=1)
Progress = Callable[[str, int, int | None], None]


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
    today = today or timezone.localdate()
    body = InspectionBody.objects.select_related("owner_org").filter(code="TJ-XSB").first()
    term = body and term_current(body, today)
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
            assessed=min(ASSESSED, today),  # a fixed day: see ``ASSESSED``
            today=today,
        )
        tasks = _plans(state, progress)
        progress("整改：深刻检查、约谈和问责", 0, 3)
        earlier = _earlier_assessments(state)
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
        "earlier_self_criticisms": earlier,
        "interviews": interviews,
        "accountability": actions,
    }


def _plans(state: CityTerm, progress: Progress) -> int:
    """Each organisation's pace, the ``LAGGING`` slowest, and every organisation's plan carried
    out by its liaison and the office, problems read in one query; returns the tasks written."""
    rng = random.Random(SEED)
    orgs = sorted(state.inspections, key=lambda o: state.inspections[o].organization.code)
    pace, lagging = city_paces(rng, orgs)
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
    drawn = city_reports(rng, lagging)
    on = min(feedback.report_due + drawn.late * DAY, timezone.localdate())
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
    # The body whose meetings the top leader chairs, as the post names it: 区委常委会, 党委, 党组, 党工委.
    leading = post.split("书记")[0] if "书记" in post else "党组织"
    leading = "区委常委会" if leading == "区委" else leading
    text = (
        f"{post}{name}履行巡视整改第一责任人责任，主持召开{leading}会议{drawn.meetings}次专题研究整改，"
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


def _earlier_assessments(state: CityTerm) -> int:
    """The committee's assessments before its last one (M11), on the days its rectification notices
    stand at (``notices.rectification_days``, read from the same task states), so each notice says
    what was required of every organisation it names: a self-criticism made due that day for each one
    then below the line, submitted two to three weeks later and accepted days after, well before the
    last assessment (which would not make one due again within a quarter of an acceptance). Returns
    how many were made."""
    rng = random.Random(SEED + 4)
    respite = state.assessed - (SELF_CRITICISM_RESPITE_DAYS + 1) * DAY
    made = 0
    for day in (d for d in rectification_days(state.body, state.term, state.today) if d < state.assessed):
        items = services.self_criticisms_assess(actor=state.office, body=state.body, term=state.term, on=day)
        for item in sorted(items, key=lambda c: c.organization.code):
            submitted = day + rng.randint(12, 20) * DAY
            accepted = min(submitted + rng.randint(3, 8) * DAY, respite)
            name, post = top_leader(item.organization)
            text = (
                f"{item.organization.name}关于巡视整改落实不力的深刻检查：截至{day.year}年{day.month}月{day.day}日，"
                f"本单位整改落实到位率为{item.numerator}/{item.denominator}，低于{item.threshold}%的警戒线。"
                f"{post}{name}代表领导班子作深刻检查：对整改任务推进抓得不紧，对逾期任务督办不力。"
                "下一步将逐项对照逾期任务倒排工期，确保按期完成整改。"
            )
            liaison = state.liaisons[item.organization_id]
            services.self_criticism_submit(actor=liaison, item=item, text=text, on=submitted)
            services.self_criticism_accept(actor=state.office, item=item, on=accepted)
            made += 1
    return made


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
    for item, fate, submitted, accepted in self_criticism_fates(rng, ordered, state.today):
        if fate == SelfCriticismStatus.DUE:
            continue
        name, post = top_leader(item.organization)
        text = (
            f"{item.organization.name}关于巡视整改落实不力的深刻检查：本单位整改落实到位率为"
            f"{item.numerator}/{item.denominator}，低于{item.threshold}%的警戒线。{post}{name}代表领导班子"
            "作深刻检查：政治站位不高，主体责任压得不实，对账销号把关不严。下一步将逐项对照"
            "逾期任务倒排工期，主要负责人亲自督办，确保整改落实到位。"
        )
        services.self_criticism_submit(
            actor=state.liaisons[item.organization_id], item=item, text=text, on=submitted
        )
        if fate == SelfCriticismStatus.ACCEPTED:
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
        chosen.append((org, "市长", reason, mayor_interview_day(rng, state.assessed)))
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
        held, interviewer = late_interview(rng, add_months(state.inspections[org].feedback.held_on, 7))
        reason = f"巡视反馈问题集中整改期满，仍有{len(late[org])}项整改任务逾期未完成，整改进度滞后。"
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
            decided_on=decision_day(rng, state.assessed, state.today),
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
            decided_on=decision_day(rng, state.assessed, state.today),
            problem=task.problem,
            task=task,
        )
        made += 1
    return made
