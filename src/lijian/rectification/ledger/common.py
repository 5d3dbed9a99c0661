"""What the other files of the bundle and the system say about problems, organisations and bodies,
for the rectification files of the ledger bundle, and the checks they share.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _

from lijian.core.permissions import Perm
from lijian.documents import ledger
from lijian.findings.choices import Review
from lijian.findings.models import Problem
from lijian.inspections.models import Inspection
from lijian.orgs.models import InspectionBody, Organization

from ..models import RectificationTask
from ..validators import check_not_future

PROBLEMS, INSPECTIONS, ORGS, BODIES = "problems.csv", "inspections.csv", "organizations.csv", "bodies.csv"
TASKS = "tasks.csv"
BY_PROBLEM_BODY = "inspection__round__body__owner_org__path"

# --- what the other files and the system say about problems, organisations and bodies ------------


@dataclass(slots=True)
class ProblemFacts:
    body: str
    org: str
    feedback: datetime.date | None  # the inspection's feedback date (None: not fed back)
    placed: bool  # its inspection was found (problems.csv reports it otherwise)


def problem_facts(ctx: ledger.ImportContext, refs: set[str]) -> dict[str, ProblemFacts]:
    """The body, organisation and feedback date of each problem named, from problems.csv and
    inspections.csv of the bundle first, then the system; a ref absent from both is left out."""
    facts = {
        ref: ProblemFacts(body, org, feedback if review == Review.APPROVED else None, True)
        for ref, body, org, feedback, review in Problem.objects.filter(ref__in=refs).values_list(
            "ref",
            "inspection__round__body__code",
            "inspection__organization__code",
            "inspection__feedback_date",
            "review",
        )
    }
    in_file = {ref: row for ref, row in ctx.staged.get(PROBLEMS, {}).items() if ref in refs}
    if not in_file:
        return facts
    staged_inspections = ctx.staged.get(INSPECTIONS, {})
    wanted = {row.inspection for row in in_file.values()} - set(staged_inspections)
    known = {}
    if wanted:
        for *key, feedback in Inspection.objects.filter(
            round__body__code__in={k[0] for k in wanted}, organization__code__in={k[3] for k in wanted}
        ).values_list(
            "round__body__code", "round__term__name", "round__number", "organization__code", "feedback_date"
        ):
            known[tuple(key)] = feedback
    for ref, row in in_file.items():
        body, _term, _number, org = row.inspection
        if row.inspection in staged_inspections:
            facts[ref] = ProblemFacts(body, org, staged_inspections[row.inspection].feedback, True)
        else:  # imported problems come in approved
            facts[ref] = ProblemFacts(body, org, known.get(row.inspection), row.inspection in known)
    return facts


def in_scope(ctx: ledger.ImportContext, file: str, line: int, column: str, body: str) -> bool:
    """Whether the importer manages ``body`` (a body new in bodies.csv is checked there); reported."""
    cache = ctx.staged.setdefault("rectification_scope", {})
    if body not in cache:
        staged = ctx.staged.get(BODIES)
        found = InspectionBody.objects.filter(code=body).select_related("owner_org").first()
        cache[body] = bool(staged and body in staged.rows) or (
            found is not None and ctx.access.covers(Perm.ROUND_MANAGE, found.owner_org.path)
        )
    if not cache[body]:
        message = _("所属的巡视巡察机构（%(code)s）不在您的管理范围内。")
        ctx.error(file, line, column, message % {"code": body})
    return cache[body]


def known_tasks(ctx: ledger.ImportContext, refs: set[str]) -> set[tuple[str, str]]:
    """The (problem ref, measure) of each task of the problems named, in tasks.csv of the bundle
    (whatever its problem) or in the system."""
    tasks = {(row.problem, row.measure) for row in ctx.staged.get(TASKS, {}).values()}
    return tasks | set(
        RectificationTask.objects.filter(problem__ref__in=refs).values_list("problem__ref", "measure")
    )


def stored_tasks(refs: set[str]) -> dict[tuple[str, str], RectificationTask]:
    """The stored tasks of the problems named, by (problem ref, measure), each with its problem."""
    return {
        (t.problem.ref, t.measure): t
        for t in RectificationTask.objects.filter(problem__ref__in=refs).select_related("problem")
    }


def check_tasks_named(ctx: ledger.ImportContext, file: str, rows) -> None:
    """Reports each row (``line``, ``problem``, ``measure``) of ``file`` whose problem is in neither
    problems.csv nor the system, belongs to a body the importer does not manage, or has no task with
    the row's measure (in tasks.csv or the system)."""
    rows = list(rows)
    refs = {row.problem for row in rows}
    facts = problem_facts(ctx, refs)
    tasks = known_tasks(ctx, refs)
    for row in rows:
        if row.problem not in facts:
            message = _("问题编号“%(code)s”既不在 problems.csv 中，也不在系统中。") % {"code": row.problem}
            ctx.error(file, row.line, "problem_id", ctx.missing_reference(PROBLEMS, row.problem) or message)
        elif not in_scope(ctx, file, row.line, "problem_id", facts[row.problem].body):
            continue
        elif (row.problem, row.measure) not in tasks:
            ctx.error(file, row.line, "measure", _("该问题没有这项整改措施（见 tasks.csv）。"))


def bodies_of(ctx: ledger.ImportContext, codes: set[str]) -> dict[str, str | None]:
    """Each organisation's body: its supervising body, else the body of its latest inspection (in
    the bundle or the system); ``None`` when it has neither, absent when the organisation is unknown."""
    found = dict(Organization.objects.filter(code__in=codes).values_list("code", "supervising_body__code"))
    stage = ctx.staged.get(ORGS)
    if stage is not None:
        for code in codes & stage.rows.keys():
            if "supervising_body" in stage.columns or code not in found:
                found[code] = stage.rows[code].supervising_body
    missing = {code for code, body in found.items() if not body}
    latest: dict[str, tuple[datetime.date, str]] = {}
    if missing:
        rows = [
            (org, body, feedback or start)
            for org, body, feedback, start in Inspection.objects.filter(
                organization__code__in=missing
            ).values_list("organization__code", "round__body__code", "feedback_date", "onsite_start")
        ]
        rows += [
            (row.org, row.round[0], row.feedback or row.onsite_start)
            for row in ctx.staged.get(INSPECTIONS, {}).values()
            if row.org in missing
        ]
        for org, body, day in rows:
            day = day or datetime.date.min
            if org not in latest or day >= latest[org][0]:
                latest[org] = (day, body)
    return {code: body or (latest[code][1] if code in latest else None) for code, body in found.items()}


def inspected_by(ctx: ledger.ImportContext, pairs: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """The (organisation, body) pairs with an inspection in the bundle or the system."""
    hit = {(row.org, row.round[0]) for row in ctx.staged.get(INSPECTIONS, {}).values()} & pairs
    if pairs - hit:
        hit |= (
            set(
                Inspection.objects.filter(
                    organization__code__in={o for o, _b in pairs},
                    round__body__code__in={b for _o, b in pairs},
                ).values_list("organization__code", "round__body__code")
            )
            & pairs
        )
    return hit


def latest_inspection(inspections: list[Inspection], on: datetime.date, fed_only=False) -> Inspection | None:
    """The inspection fed back last on or before ``on``, else (unless ``fed_only``) the latest begun."""
    fed = [i for i in inspections if i.feedback_date and i.feedback_date <= on]
    if fed or fed_only:
        return max(fed, key=lambda i: (i.feedback_date, i.pk), default=None)
    return max(inspections, key=lambda i: (i.round.start, i.pk), default=None)


def inspections_by(orgs, bodies) -> dict[tuple[int, int], list[Inspection]]:
    found = defaultdict(list)
    for inspection in Inspection.objects.filter(
        organization__in=list(orgs), round__body__in=list(bodies)
    ).select_related("round"):
        found[inspection.organization_id, inspection.round.body_id].append(inspection)
    return found


def not_future(ctx: ledger.ImportContext, file: str, line: int, column: str, day) -> bool:
    """Whether ``day`` (if any) passes the services' ``validators.check_not_future``; reported if not."""
    if day and day is not ledger.INVALID:
        return ledger.validated(ctx, file, line, column, check_not_future, day, column)
    return True


def unknown(ctx: ledger.ImportContext, file: str, line: int, column: str, code: str) -> None:
    where = PROBLEMS if column == "problem_id" else ORGS
    message = _("“%(code)s”既不在 %(file)s 中，也不在系统中。") % {"code": code, "file": where}
    ctx.error(file, line, column, ctx.missing_reference(where, code) or message)


def body_or_error(ctx: ledger.ImportContext, file: str, line: int, org: str, bodies: dict) -> str | None:
    if org not in bodies:
        unknown(ctx, file, line, "org_code", org)
        return None
    if not bodies[org]:
        message = _("找不到负责该党组织的巡视巡察机构：它既没有 supervising_body，也没有被巡视巡察的记录。")
        ctx.error(file, line, "org_code", message)
        return None
    return bodies[org] if in_scope(ctx, file, line, "org_code", bodies[org]) else None


def orgs_and_bodies(org_codes: set[str], body_codes: set[str]):
    orgs = {o.code: o for o in Organization.objects.filter(code__in=org_codes)}
    bodies = {
        b.code: b for b in InspectionBody.objects.filter(code__in=body_codes).select_related("owner_org")
    }
    return orgs, bodies


def covers(ctx: ledger.ImportContext, file: str, line: int, org, body) -> bool:
    """The rule of ``services._check_org``, once the organisations of the bundle have their places."""
    if org.path.startswith(body.owner_org.path):
        return True
    ctx.error(file, line, "org_code", _("该党组织不在%(body)s的巡视巡察范围内。") % {"body": body.name})
    return False
