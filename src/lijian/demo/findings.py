"""What the city's inspection groups found in the Tianjin term, recorded through the services.

The groups record problems while on site (4,730 across the 126 inspections, in the 四个落实
categories), the group approves them before the report, clues go to the "1+3+N" departments at
transfer and the departments answer them; petitions come in while the groups are on site
(``demo.petitions``); the public security bureau case (市公安局肃清黄兴国、武长顺
恶劣影响) is followed through people, matters, causes and systems with the secretary's repeated
instructions. What they find and when is drawn by ``policy.findings``, what it says is
``vocabulary.findings``; nothing is inserted around the services, the figures come out of the
selectors.
"""

from __future__ import annotations

import datetime
import random

from lijian.accounts.models import User
from lijian.demo.petitions import receive_petitions
from lijian.demo.policy.findings import (
    CITY_PROBLEMS,
    CITY_SEED,
    PSB_FOUND_AFTER,
    PSB_INSTRUCTION_DEADLINE,
    PSB_INSTRUCTION_EVERY,
    PSB_INSTRUCTION_FIRST,
    PSB_OUTCOME,
    PSB_TRANSFER_AFTER,
    ClueDraw,
    answer,
    city_clues,
    city_problem,
    quotas,
    transfer_day,
)
from lijian.demo.vocabulary.findings import (
    CITY_DEPARTMENTS,
    CITY_FRAMEWORK,
    FEEDBACK_TEXT,
    PSB,
    PSB_CLUE,
    PSB_INSTRUCTION_ANSWER,
    PSB_INSTRUCTIONS,
    PSB_PROBLEM,
)
from lijian.findings import services
from lijian.findings.models import Category, Department
from lijian.orgs.models import Organization
from lijian.rectification.instructions import services as instructions

D = datetime.date


def ensure_departments(actor) -> list[Department]:
    """The city committee's "1+3+N" departments, handled in the demo by the department account."""
    committee = Organization.objects.get(code="TJ")
    departments = []
    for order, (code, name, kind) in enumerate(CITY_DEPARTMENTS):
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
    """Hooks the city rounds call as each inspection moves on: on site, at the report, at transfer.
    What is found and when is drawn by ``policy.findings`` from one seeded generator; this class
    writes it through the findings services."""

    def __init__(self, actor, inspections: int, today: D):
        self.actor, self.today = actor, today
        self.rng = random.Random(CITY_SEED)
        self.quotas = iter(quotas(inspections, CITY_PROBLEMS, self.rng))
        self.categories = {
            c.code: c for c in Category.objects.filter(framework__code=CITY_FRAMEWORK, parent__isnull=False)
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
        for _ in range(quota):
            drawn = city_problem(self.rng, onsite)
            services.problem_record(
                actor=self.actor,
                inspection=inspection,
                category=self.categories[drawn.code],
                summary=drawn.summary,
                found_on=drawn.found_on,
                close_attention=drawn.close_attention,
                rectify_at_once=drawn.rectify_at_once,
            )

    def on_report(self, inspection) -> None:
        """The group approves its problems; clues about people go to the office for transfer."""
        for problem in inspection.problems.order_by("pk"):
            services.problem_approve(actor=self.actor, problem=problem)
        # The public security case keeps its one clue, recorded after feedback (psb_follow_up).
        showcase = getattr(self, "_psb", None)
        problems = [p for p in inspection.problems.order_by("pk") if showcase is None or p.pk != showcase.pk]
        for clue in city_clues(self.rng, problems):
            self._record_clue(inspection, clue, self.departments[clue.department])

    def _record_clue(self, inspection, clue: ClueDraw, department: Department) -> None:
        services.clue_record(
            actor=self.actor,
            inspection=inspection,
            subject_name=clue.subject_name,
            subject_post=clue.subject_post,
            summary=clue.summary,
            department=department,
            problem=clue.problem,
            recorded_on=inspection.onsite_end,  # written up as the group leaves the site
        )

    def on_transfer(self, inspection, feedback_on: D) -> None:
        """The office transfers the clues; the departments accept and, mostly in time, answer."""
        for clue in inspection.clues.filter(status="recorded").order_by("pk"):
            services.clue_transfer(
                actor=self.office, clue=clue, transferred_on=transfer_day(self.rng, feedback_on)
            )
            self._answer(clue)

    def _answer(self, clue, result: str | None = None, **outcome) -> None:
        handled = answer(self.rng, clue.transferred_on, self.today, result, outcome)
        if handled.accepted_on is None:
            return
        services.clue_accept(actor=self.department_user, clue=clue, accepted_on=handled.accepted_on)
        if handled.answered_on is None:
            return
        services.clue_feed_back(
            actor=self.department_user,
            clue=clue,
            result=handled.result,
            feedback=FEEDBACK_TEXT[handled.result],
            fed_back_on=handled.answered_on,
            **handled.outcome,
        )

    def _psb_problem(self, inspection, onsite: D) -> None:
        """The case the account names: followed through 人、事、因、制, with the secretary's instructions."""
        self._psb = services.problem_record(
            actor=self.actor,
            inspection=inspection,
            category=self.categories["1.2"],
            **PSB_PROBLEM,
            close_attention=True,
            found_on=onsite + PSB_FOUND_AFTER,
        )

    def psb_follow_up(self, inspection, feedback_on: D) -> None:
        """After feedback: the clue to the discipline commission and the secretary's three instructions."""
        problem = getattr(self, "_psb", None)
        if problem is None or problem.inspection_id != inspection.pk:
            return
        clue = services.clue_record(
            actor=self.actor,
            inspection=inspection,
            problem=problem,
            **PSB_CLUE,
            department=self.departments["TJ-JWJW"],
            recorded_on=feedback_on,
        )
        services.clue_transfer(actor=self.office, clue=clue, transferred_on=feedback_on + PSB_TRANSFER_AFTER)
        self._answer(clue, "case_opened", **PSB_OUTCOME)
        for k, (text, asked) in enumerate(PSB_INSTRUCTIONS):
            given = feedback_on + datetime.timedelta(days=PSB_INSTRUCTION_FIRST + PSB_INSTRUCTION_EVERY * k)
            if given > self.today:
                break
            instruction = instructions.instruction_give(
                actor=self.leader,
                subject=problem,
                text=text,
                follow_up_asked=asked,
                given_on=given,
                addressee=self.office,
                deadline=given + PSB_INSTRUCTION_DEADLINE,
            )
            instructions.instruction_answer(
                actor=self.office, instruction=instruction, follow_up_given=PSB_INSTRUCTION_ANSWER
            )
            instructions.instruction_close(actor=self.leader, instruction=instruction)
