"""The patrol bodies' term (巡察), worked like the city's: districts, universities and the public
security bureau record problems, hand clues to their own "1+3+N" departments, feed back, and the
patrolled organisations rectify, through the same services as the city (``demo.findings``,
``demo.rectification``).

The scale follows the seed's patrol figures at a size that keeps ``lijian demo`` quick: each body
works its first ``policy.findings.WORKED_ROUNDS`` rounds (long fed back, so every rate is final),
each inspection of a town, street, unit or college records 2–3 problems in the 四个聚焦 categories,
one more per ten villages or communities a town or street took along (巡镇带村), so the districts
that patrolled more grassroots find more. About one inspection in four hands a clue to the
committee's discipline commission, organisation department or audit office (created here through
the findings services, with one handler account per committee, ``xiezuo-<code>``); they answer as
the city's departments do. After the city's rectification, each organisation fed back gets its liaison
(``lianluo-<code>``), writes its plan, reports progress with evidence, and problems are closed; the
slowest organisations of each body (``policy.rectification.PATROL_LAGGING_SHARE``) stay below the
body's threshold.

Nothing is inserted around the services; the figures come out of the selectors.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from lijian.accounts.choices import Role
from lijian.accounts.models import RoleAssignment, User
from lijian.analytics.figures import rectification_figures
from lijian.demo.accounts import ensure_demo_user, ensure_liaisons, ensure_role
from lijian.demo.findings import CityFindings
from lijian.demo.policy.findings import (
    PATROL_CLUE_SHARES,
    WORKED_ROUNDS,
    patrol_clues,
    patrol_problem,
    patrol_problem_count,
)
from lijian.demo.policy.rectification import (
    ProblemPlan,
    patrol_paces,
    patrol_plan_organization,
    patrol_reports,
)
from lijian.demo.rectification import carry_out
from lijian.demo.vocabulary.findings import (
    PATROL_DISTRICT_DEPARTMENTS,
    PATROL_FRAMEWORK,
    PATROL_UNIVERSITY_DEPARTMENTS,
)
from lijian.demo.vocabulary.people import top_leader
from lijian.demo.vocabulary.tianjin import ACCOUNT_DAY, short_name
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


def ensure_handler(committee) -> User:
    """The committee's departments' handler (协作部门经办人) ``xiezuo-<code>``, with the department
    role over the committee; created once, with the demo password."""
    user = ensure_demo_user(
        f"xiezuo-{committee.code.lower()}", f"{short_name(committee)}协作部门经办人", demo_account=False
    )
    ensure_role(user, Role.DEPARTMENT, committee)
    return user


def ensure_departments(actor, body) -> tuple[list[tuple[Department, int]], User | None]:
    """A district's or a university's "1+3+N" departments with their share of clues, and their
    handler; none for other bodies."""
    committee = body.owner_org
    specs = {
        OrgKind.DISTRICT_COMMITTEE: PATROL_DISTRICT_DEPARTMENTS,
        OrgKind.UNIVERSITY: PATROL_UNIVERSITY_DEPARTMENTS,
    }
    if committee.kind not in specs:
        return [], None
    handler = ensure_handler(committee)
    departments = []
    shares = PATROL_CLUE_SHARES[committee.kind]
    for (suffix, name, kind), share in zip(specs[committee.kind], shares, strict=True):
        code = f"{committee.code}-{suffix}"
        department = Department.objects.filter(code=code).first() or findings_services.department_create(
            actor=actor, code=code, name=short_name(committee) + name, kind=kind, committee=committee
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
            c.code: c for c in Category.objects.filter(framework__code=PATROL_FRAMEWORK, parent__isnull=False)
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
        count = patrol_problem_count(self.rng, self.villages.get(org.pk, 0))
        last = min(inspection.round.start + datetime.timedelta(days=44), self.today)
        for _ in range(count):
            drawn = patrol_problem(self.rng, grassroots, onsite, last)
            findings_services.problem_record(
                actor=self.actor,
                inspection=inspection,
                category=self.categories[drawn.code],
                summary=drawn.summary,
                found_on=drawn.found_on,
                close_attention=drawn.close_attention,
                rectify_at_once=drawn.rectify_at_once,
            )

    def on_report(self, inspection) -> None:
        """The group approves its problems; now and then a clue about a person for a department."""
        problems = list(inspection.problems.order_by("pk"))
        for problem in problems:
            findings_services.problem_approve(actor=self.actor, problem=problem)
        if not self.departments:
            return
        town = inspection.organization.kind in (OrgKind.TOWN, OrgKind.STREET)
        for clue in patrol_clues(self.rng, self.departments, town, problems):
            self._record_clue(inspection, clue, clue.department)


# --- rectification, after the rounds -------------------------------------------------------------


def _reports(rng: random.Random, inspection, plans: list[ProblemPlan], liaison, lagging: bool) -> None:
    """The rectification report and the top leader's report, by the deadline (late when lagging)."""
    feedback = inspection.feedback
    drawn = patrol_reports(rng, lagging)
    on = min(feedback.report_due + drawn.late * DAY, timezone.localdate())
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
            f"{post}{name}履行巡察整改第一责任人责任，主持召开专题会议{drawn.meetings}次研究整改，"
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
    cap = min(today, ACCOUNT_DAY) - 30 * DAY  # the history ends before the account's day
    made = closed = 0
    with transaction.atomic():
        liaisons = ensure_liaisons([i.organization for i in inspections])
        done = 0
        for body, rows in sorted(by_body.items(), key=lambda item: item[0].code):
            rng = random.Random(f"patrol-rectification:{body.code}")
            office = body_office(body, admin)
            pace, lagging = patrol_paces(rng, [i.pk for i in rows])
            for inspection in rows:
                progress("巡察整改：整改方案、任务和对账销号", done, len(inspections))
                done += 1
                plans = patrol_plan_organization(
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
