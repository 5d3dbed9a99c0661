"""tasks.csv, problem_status.csv, interviews.csv and accountability.csv of the ledger bundle (DESIGN.md §7).

- **tasks.csv**: one row per measure of the plan. The sheet records the plan as accepted, so imported
  tasks come in accepted (by the importer). ``responsible`` is written ``leader/department``
  (责任领导/责任部门, ``/`` or ``／``), both parts required. The kind follows the status: ``long_term``
  makes a long-term task; otherwise a new task is immediate (立行立改) when its problem is marked so,
  else concentrated, and a task already in the system keeps its kind. lijian keeps no task number:
  ``task_id`` names the row within the sheet, a task is matched by its problem and measure, and
  export numbers each problem's tasks ``<problem_id>-1``, ``-2`` … in the order they were made.
  A task needs its problem fed back (its inspection has a feedback date).
- **problem_status.csv**: the dated status history of each problem after feedback — what the rates
  read. Feedback puts a problem into rectification on its inspection's feedback date; each row is a
  later change on ``closed_on`` (the day the problem reached the row's status: the 销号 day for
  ``closed``), required for every status but ``rectifying``. Most problems need one row (``closed``,
  or a dateless ``rectifying``); one closed and then reopened has two (``closed``, ``reopened``); a
  dated ``rectifying`` first row moves the start of rectification later. Taken in date order the
  rows must follow the allowed transitions (``findings.choices``), none before feedback or after
  today; a problem not fed back may only be ``open``. When a problem's rows differ from its history
  in the system they replace it (and set the problem's status). An imported ``closed`` row is not
  asked for evidence (``services.has_evidence``), unlike 销号 in lijian: the sheet records closings
  the office already decided on paper, whose evidence lives in the paper archive, and a CSV carries
  no files — refusing them would make the past unimportable or push offices to invent uploads. The
  event says where it came from (``台账导入``), so the two kinds of closing stay distinguishable.
- **interviews.csv**: the body is the organisation's supervising body, else the body of its latest
  inspection; the interview is linked to that body's latest inspection of it fed back by the day.
- **accountability.csv**: linked to its problem when ``problem_id`` is given (a problem of the same
  organisation; its body is the body); otherwise to the organisation's latest inspection by the body
  found as for interviews — an error when there is none, since an action must be linked to its cause.
  The deciding organ (决定机关) is the body's committee. A row is matched to an action in the system
  by organisation, person, action and date; an interview by organisation, both people and date.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass
from itertools import groupby

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lijian.core.permissions import Perm
from lijian.documents.ledger.registry import (
    INVALID,
    Column,
    ExportContext,
    ImportContext,
    LedgerFile,
    iso,
    parse_choice,
    parse_date,
    register,
    require_text,
)
from lijian.findings.choices import PROBLEM_TRANSITIONS, ProblemStatus, Review
from lijian.findings.models import Problem
from lijian.inspections.models import Inspection
from lijian.orgs.models import InspectionBody, Organization

from .choices import AccountabilityAction, TaskKind, TaskReview, TaskStatus
from .models import Accountability, Interview, ProblemEvent, RectificationTask

TASKS, STATUS = "tasks.csv", "problem_status.csv"
INTERVIEWS, ACCOUNTABILITY = "interviews.csv", "accountability.csv"
PROBLEMS, INSPECTIONS, ORGS, BODIES = "problems.csv", "inspections.csv", "organizations.csv", "bodies.csv"
BY_PROBLEM_BODY = "inspection__round__body__owner_org__path"


# --- what the other files and the system say about problems, organisations and bodies ------------


@dataclass(slots=True)
class ProblemFacts:
    body: str
    org: str
    feedback: datetime.date | None  # the inspection's feedback date (None: not fed back)
    placed: bool  # its inspection was found (problems.csv reports it otherwise)


def _problem_facts(ctx: ImportContext, refs: set[str]) -> dict[str, ProblemFacts]:
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


def _in_scope(ctx: ImportContext, file: str, line: int, column: str, body: str) -> bool:
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


def _bodies_of(ctx: ImportContext, codes: set[str]) -> dict[str, str | None]:
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


def _inspected_by(ctx: ImportContext, pairs: set[tuple[str, str]]) -> set[tuple[str, str]]:
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


def _latest_inspection(inspections: list[Inspection], on: datetime.date, fed_only=False) -> Inspection | None:
    """The inspection fed back last on or before ``on``, else (unless ``fed_only``) the latest begun."""
    fed = [i for i in inspections if i.feedback_date and i.feedback_date <= on]
    if fed or fed_only:
        return max(fed, key=lambda i: (i.feedback_date, i.pk), default=None)
    return max(inspections, key=lambda i: (i.round.start, i.pk), default=None)


def _upsert(ctx: ImportContext, file: str, model, item, keys: dict, values: dict) -> None:
    """Create the record, or update ``item`` (the one ``keys`` matched) where the sheet differs."""
    if item is None:
        model.objects.create(recorded_by=ctx.actor, **keys, **values)
        ctx.count(file, "created")
    elif any(getattr(item, k) != v for k, v in values.items()):
        model.objects.filter(pk=item.pk).update(**values)
        ctx.count(file, "updated")


def _inspections_by(orgs, bodies) -> dict[tuple[int, int], list[Inspection]]:
    found = defaultdict(list)
    for inspection in Inspection.objects.filter(
        organization__in=list(orgs), round__body__in=list(bodies)
    ).select_related("round"):
        found[inspection.organization_id, inspection.round.body_id].append(inspection)
    return found


def _not_future(ctx: ImportContext, file: str, line: int, column: str, day) -> bool:
    if day and day is not INVALID and day > timezone.localdate():
        ctx.error(file, line, column, _("日期不能晚于今天。"))
        return False
    return True


def _required_date(ctx: ImportContext, file: str, line: int, column: str, text: str):
    day = parse_date(ctx, file, line, column, text)
    if day is None:
        ctx.error(file, line, column, _("不能为空。"))
        return INVALID
    return day if _not_future(ctx, file, line, column, day) else INVALID


def _required_choice(ctx: ImportContext, file: str, line: int, column: str, text: str, choices):
    if not text:
        ctx.error(file, line, column, _("不能为空。"))
        return INVALID
    return parse_choice(ctx, file, line, column, text, choices)


def _unknown(ctx: ImportContext, file: str, line: int, column: str, code: str) -> None:
    where = PROBLEMS if column == "problem_id" else ORGS
    message = _("“%(code)s”既不在 %(file)s 中，也不在系统中。")
    ctx.error(file, line, column, message % {"code": code, "file": where})


def _repeated(ctx: ImportContext, file: str, line: int, column: str, first: int) -> None:
    ctx.error(file, line, column, _("与第 %(line)s 行重复。") % {"line": first})


# --- tasks.csv ------------------------------------------------------------------------------------


@dataclass(slots=True)
class TaskRow:
    line: int
    problem: str
    measure: str
    leader: str
    department: str
    deadline: datetime.date
    status: str
    completed_on: datetime.date | None


def _responsible(ctx: ImportContext, line: int, text: str):
    # Only the blanks around the slash go: the cell's own ends are already as typed (a tab behind a
    # formula-escaping apostrophe included, see ``documents.ledger.cells``).
    parts = re.split(r"\s*[/／]\s*", text, maxsplit=1)
    if len(parts) != 2 or not all(parts):
        ctx.error(TASKS, line, "responsible", _("应写作 责任领导/责任部门，如 张明/街道党政办。"))
        return INVALID
    if len(parts[0]) > 60 or len(parts[1]) > 120:
        ctx.error(TASKS, line, "responsible", _("责任领导最多 60 个字符，责任部门最多 120 个字符。"))
        return INVALID
    return parts


def _parse_tasks(ctx: ImportContext, rows, total) -> None:
    staged: dict[str, TaskRow] = {}
    measures: dict[tuple[str, str], int] = {}
    for line, (ref, problem, measure, responsible, deadline, status, completed_on) in rows:
        ref = require_text(ctx, TASKS, line, "task_id", ref, 60)
        problem = require_text(ctx, TASKS, line, "problem_id", problem, 40)
        measure = require_text(ctx, TASKS, line, "measure", measure, 5000)
        responsible = _responsible(ctx, line, responsible)
        deadline = parse_date(ctx, TASKS, line, "deadline", deadline)
        if deadline is None:
            ctx.error(TASKS, line, "deadline", _("不能为空。"))
            deadline = INVALID
        status = parse_choice(ctx, TASKS, line, "status", status or TaskStatus.PLANNED, TaskStatus)
        completed_on = parse_date(ctx, TASKS, line, "completed_on", completed_on)
        if INVALID in (ref, problem, measure, responsible, deadline, status, completed_on):
            continue
        if status == TaskStatus.DONE and completed_on is None:
            ctx.error(TASKS, line, "completed_on", _("已完成的整改任务须写明完成日期。"))
            continue
        if status in (TaskStatus.PLANNED, TaskStatus.IN_PROGRESS) and completed_on:
            ctx.error(TASKS, line, "completed_on", _("未完成的整改任务不能有完成日期。"))
            continue
        if not _not_future(ctx, TASKS, line, "completed_on", completed_on):
            continue
        if ref in staged:
            _repeated(ctx, TASKS, line, "task_id", staged[ref].line)
            continue
        if (problem, measure) in measures:
            _repeated(ctx, TASKS, line, "measure", measures[problem, measure])  # one problem, one measure
            continue
        measures[problem, measure] = line
        staged[ref] = TaskRow(line, problem, measure, *responsible, deadline, status, completed_on)
    ctx.staged[TASKS] = staged


def _check_tasks(ctx: ImportContext) -> None:
    staged: dict[str, TaskRow] = ctx.staged[TASKS]
    facts = _problem_facts(ctx, {r.problem for r in staged.values()})
    for row in staged.values():
        fact = facts.get(row.problem)
        if fact is None:
            _unknown(ctx, TASKS, row.line, "problem_id", row.problem)
        elif fact.placed and _in_scope(ctx, TASKS, row.line, "problem_id", fact.body) and not fact.feedback:
            ctx.error(TASKS, row.line, "problem_id", _("该问题尚未反馈，不能制定整改任务。"))


def _apply_tasks(ctx: ImportContext) -> None:
    staged: dict[str, TaskRow] = ctx.staged[TASKS]
    problems = {p.ref: p for p in Problem.objects.filter(ref__in={r.problem for r in staged.values()})}
    existing = {
        (t.problem_id, t.measure): t
        for t in RectificationTask.objects.filter(problem__in=list(problems.values()))
    }
    new = []
    accepted = {"review": TaskReview.ACCEPTED, "accepted_at": timezone.now(), "accepted_by": ctx.actor}
    for row in staged.values():
        problem = problems[row.problem]
        values = {
            "responsible_leader": row.leader,
            "responsible_department": row.department,
            "deadline": row.deadline,
            "status": row.status,
            "completed_on": row.completed_on,
        }
        if row.status == TaskStatus.LONG_TERM:
            values["kind"] = TaskKind.LONG_TERM
        task = existing.get((problem.pk, row.measure))
        if task is None:
            values.setdefault(
                "kind", TaskKind.IMMEDIATE if problem.rectify_at_once else TaskKind.CONCENTRATED
            )
            new.append(RectificationTask(problem=problem, measure=row.measure, **values, **accepted))
        elif any(getattr(task, k) != v for k, v in values.items()):
            RectificationTask.objects.filter(pk=task.pk).update(**values, **accepted)
            ctx.count(TASKS, "updated")
    RectificationTask.objects.bulk_create(new, batch_size=5000)  # in sheet order: export numbers by it
    if new:
        ctx.count(TASKS, "created", len(new))


def _export_tasks(ctx: ExportContext):
    qs = (
        RectificationTask.objects.filter(ctx.access.q(Perm.FINDINGS_VIEW, f"problem__{BY_PROBLEM_BODY}"))
        .select_related("problem")
        .order_by("problem__ref", "pk")
    )
    for ref, tasks in groupby(qs.iterator(chunk_size=5000), key=lambda t: t.problem.ref):
        for n, t in enumerate(tasks, start=1):
            yield [
                f"{ref}-{n}",
                ref,
                t.measure,
                f"{t.responsible_leader}/{t.responsible_department}",
                iso(t.deadline),
                t.status,
                iso(t.completed_on),
            ]


register(
    LedgerFile(
        name=TASKS,
        title=gettext_lazy("整改任务"),
        order=91,
        columns=[
            Column("task_id", "任务编号", required=True),
            Column("problem_id", "问题编号", required=True),
            Column("measure", "整改措施", required=True, text=True),
            Column("responsible", "责任领导/责任部门", required=True, text=True),
            Column("deadline", "完成时限", required=True),
            Column("status", "状态", choices=TaskStatus),
            Column("completed_on", "完成日期"),
        ],
        parse=_parse_tasks,
        check=_check_tasks,
        apply=_apply_tasks,
        export=_export_tasks,
    )
)


# --- problem_status.csv ---------------------------------------------------------------------------


@dataclass(slots=True)
class StatusRow:
    line: int
    status: str
    on: datetime.date | None


def _parse_status(ctx: ImportContext, rows, total) -> None:
    staged: dict[str, list[StatusRow]] = {}
    for line, (problem, status, on) in rows:
        problem = require_text(ctx, STATUS, line, "problem_id", problem, 40)
        status = _required_choice(ctx, STATUS, line, "status", status, ProblemStatus)
        on = parse_date(ctx, STATUS, line, "closed_on", on)
        if INVALID in (problem, status, on) or not _not_future(ctx, STATUS, line, "closed_on", on):
            continue
        if on is None and status not in (ProblemStatus.OPEN, ProblemStatus.RECTIFYING):
            message = _("状态为“%(status)s”时须写明日期。")
            ctx.error(STATUS, line, "closed_on", message % {"status": ProblemStatus(status).label})
            continue
        if on is not None and status == ProblemStatus.OPEN:
            ctx.error(STATUS, line, "closed_on", _("未整改（尚未反馈）的问题不写日期。"))
            continue
        staged.setdefault(problem, []).append(StatusRow(line, status, on))
    ctx.staged[STATUS] = staged


def _history(ctx: ImportContext, feedback: datetime.date, rows: list[StatusRow]):
    """The events the rows imply after feedback, as (status, day) in order; ``None`` when a row is bad
    (each bad row reported)."""
    ok = True
    for row in rows:
        if row.on is None and row.status == ProblemStatus.OPEN:
            message = _("该问题已于 %(day)s 反馈，已进入整改，不能是未整改。")
            ctx.error(STATUS, row.line, "status", message % {"day": feedback})
            ok = False
    dated = sorted((r for r in rows if r.on), key=lambda r: (r.on, r.line))
    start = feedback
    if dated and dated[0].status == ProblemStatus.RECTIFYING:  # rectification began after feedback
        start = dated.pop(0).on
    events, current = [(ProblemStatus.RECTIFYING, start)], ProblemStatus.RECTIFYING
    for row in [r for r in rows if r.on and r.on < feedback]:
        ctx.error(STATUS, row.line, "closed_on", _("不能早于反馈日期（%(day)s）。") % {"day": feedback})
        ok = False
    for row in dated:
        if row.on < feedback:
            continue
        if not PROBLEM_TRANSITIONS.can(current, row.status):
            labels = {"current": ProblemStatus(current).label, "target": ProblemStatus(row.status).label}
            message = _("按日期排列，该问题不能从“%(current)s”变为“%(target)s”。")
            ctx.error(STATUS, row.line, "status", message % labels)
            ok = False
            continue
        events.append((row.status, row.on))
        current = row.status
    return events if ok else None


def _check_status(ctx: ImportContext) -> None:
    staged: dict[str, list[StatusRow]] = ctx.staged[STATUS]
    facts = _problem_facts(ctx, set(staged))
    histories: dict[str, list[tuple[str, datetime.date]]] = {}
    for ref, rows in staged.items():
        fact = facts.get(ref)
        if fact is None:
            _unknown(ctx, STATUS, rows[0].line, "problem_id", ref)
            continue
        if not fact.placed or not _in_scope(ctx, STATUS, rows[0].line, "problem_id", fact.body):
            continue
        if fact.feedback is None:
            message = _("该问题所在的巡视巡察尚未反馈（没有反馈日期），只能是未整改。")
            for row in rows:
                if row.status != ProblemStatus.OPEN:
                    ctx.error(STATUS, row.line, "status", message)
            histories[ref] = []
            continue
        events = _history(ctx, fact.feedback, rows)
        if events is not None:
            histories[ref] = events
    ctx.staged["problem_histories"] = histories


def _apply_status(ctx: ImportContext) -> None:
    histories: dict[str, list[tuple[str, datetime.date]]] = ctx.staged["problem_histories"]
    problems = {p.ref: p for p in Problem.objects.filter(ref__in=list(histories))}
    current = defaultdict(list)
    for problem, status, on in (
        ProblemEvent.objects.filter(problem__in=list(problems.values()))
        .order_by("problem", "on", "pk")
        .values_list("problem", "status", "on")
    ):
        current[problem].append((status, on))
    replaced, new, by_status = [], [], defaultdict(list)
    reason = _("台账导入")
    for ref, events in histories.items():
        problem = problems[ref]
        if current[problem.pk] == events:
            continue
        ctx.count(STATUS, "updated" if current[problem.pk] else "created")
        replaced.append(problem.pk)
        new += [
            ProblemEvent(problem=problem, status=s, on=on, reason=reason, actor=ctx.actor) for s, on in events
        ]
        by_status[events[-1][0] if events else ProblemStatus.OPEN].append(problem.pk)
    ProblemEvent.objects.filter(problem__in=replaced).delete()
    ProblemEvent.objects.bulk_create(new, batch_size=5000)
    for status, ids in by_status.items():
        Problem.objects.filter(pk__in=ids).update(status=status)


def _export_status(ctx: ExportContext):
    qs = (
        ProblemEvent.objects.filter(ctx.access.q(Perm.FINDINGS_VIEW, f"problem__{BY_PROBLEM_BODY}"))
        .order_by("problem__ref", "on", "pk")
        .values_list("problem__ref", "status", "on", "problem__inspection__feedback_date")
    )
    for ref, events in groupby(qs.iterator(chunk_size=5000), key=lambda e: e[0]):
        events = list(events)
        _ref, status, on, feedback = events[0]
        if status == ProblemStatus.RECTIFYING and on == feedback:  # implied by the feedback date
            events = events[1:]
            if not events:
                yield [ref, ProblemStatus.RECTIFYING, ""]
        for _ref, status, on, _feedback in events:
            yield [ref, status, iso(on)]


register(
    LedgerFile(
        name=STATUS,
        title=gettext_lazy("问题整改状态"),
        order=92,
        columns=[
            Column("problem_id", "问题编号", required=True),
            Column("status", "整改状态", required=True, choices=ProblemStatus),
            Column("closed_on", "销号日期"),
        ],
        parse=_parse_status,
        check=_check_status,
        apply=_apply_status,
        export=_export_status,
    )
)


# --- interviews.csv -------------------------------------------------------------------------------


@dataclass(slots=True)
class InterviewRow:
    line: int
    interviewer: str
    interviewee: str
    org: str
    reason: str
    held_on: datetime.date


def _parse_interviews(ctx: ImportContext, rows, total) -> None:
    staged: dict[tuple, InterviewRow] = {}
    for line, (interviewer, interviewee, org, reason, held_on) in rows:
        interviewer = require_text(ctx, INTERVIEWS, line, "interviewer", interviewer, 120)
        interviewee = require_text(ctx, INTERVIEWS, line, "interviewee", interviewee, 120)
        org = require_text(ctx, INTERVIEWS, line, "org_code", org, 40)
        reason = require_text(ctx, INTERVIEWS, line, "reason", reason, 5000)
        held_on = _required_date(ctx, INTERVIEWS, line, "held_on", held_on)
        if INVALID in (interviewer, interviewee, org, reason, held_on):
            continue
        key = (org, interviewer, interviewee, held_on)
        if key in staged:
            _repeated(ctx, INTERVIEWS, line, "held_on", staged[key].line)
            continue
        staged[key] = InterviewRow(line, interviewer, interviewee, org, reason, held_on)
    ctx.staged[INTERVIEWS] = staged


def _body_or_error(ctx: ImportContext, file: str, line: int, org: str, bodies: dict) -> str | None:
    if org not in bodies:
        _unknown(ctx, file, line, "org_code", org)
        return None
    if not bodies[org]:
        message = _("找不到负责该党组织的巡视巡察机构：它既没有 supervising_body，也没有被巡视巡察的记录。")
        ctx.error(file, line, "org_code", message)
        return None
    return bodies[org] if _in_scope(ctx, file, line, "org_code", bodies[org]) else None


def _check_interviews(ctx: ImportContext) -> None:
    staged: dict[tuple, InterviewRow] = ctx.staged[INTERVIEWS]
    bodies = _bodies_of(ctx, {r.org for r in staged.values()})
    for row in staged.values():
        _body_or_error(ctx, INTERVIEWS, row.line, row.org, bodies)
    ctx.staged["interview_bodies"] = bodies


def _orgs_and_bodies(org_codes: set[str], body_codes: set[str]):
    orgs = {o.code: o for o in Organization.objects.filter(code__in=org_codes)}
    bodies = {
        b.code: b for b in InspectionBody.objects.filter(code__in=body_codes).select_related("owner_org")
    }
    return orgs, bodies


def _covers(ctx: ImportContext, file: str, line: int, org, body) -> bool:
    """The rule of ``services._check_org``, once the organisations of the bundle have their places."""
    if org.path.startswith(body.owner_org.path):
        return True
    ctx.error(file, line, "org_code", _("该党组织不在%(body)s的巡视巡察范围内。") % {"body": body.name})
    return False


def _apply_interviews(ctx: ImportContext) -> None:
    staged: dict[tuple, InterviewRow] = ctx.staged[INTERVIEWS]
    body_of = ctx.staged["interview_bodies"]
    orgs, bodies = _orgs_and_bodies({r.org for r in staged.values()}, set(body_of.values()) - {None})
    inspections = _inspections_by(orgs.values(), bodies.values())
    existing = {
        (i.organization_id, i.interviewer, i.interviewee, i.held_on): i
        for i in Interview.objects.filter(organization__in=list(orgs.values()))
    }
    for row in staged.values():
        org, body = orgs[row.org], bodies[body_of[row.org]]
        if not _covers(ctx, INTERVIEWS, row.line, org, body):
            continue
        inspection = _latest_inspection(inspections[org.pk, body.pk], row.held_on, fed_only=True)
        _upsert(
            ctx,
            INTERVIEWS,
            Interview,
            existing.get((org.pk, row.interviewer, row.interviewee, row.held_on)),
            {
                "organization": org,
                "interviewer": row.interviewer,
                "interviewee": row.interviewee,
                "held_on": row.held_on,
            },
            {"body": body, "reason": row.reason, "inspection": inspection},
        )


def _export_interviews(ctx: ExportContext):
    qs = (
        Interview.objects.filter(ctx.access.q(Perm.RECTIFICATION_VIEW, "body__owner_org__path"))
        .select_related("organization")
        .order_by("held_on", "pk")
    )
    for i in qs.iterator(chunk_size=5000):
        yield [i.interviewer, i.interviewee, i.organization.code, i.reason, iso(i.held_on)]


register(
    LedgerFile(
        name=INTERVIEWS,
        title=gettext_lazy("约谈"),
        order=96,
        columns=[
            Column("interviewer", "约谈人", required=True, text=True),
            Column("interviewee", "被约谈人", required=True, text=True),
            Column("org_code", "党组织代码", required=True),
            Column("reason", "约谈事由", required=True, text=True),
            Column("held_on", "约谈日期", required=True),
        ],
        parse=_parse_interviews,
        check=_check_interviews,
        apply=_apply_interviews,
        export=_export_interviews,
    )
)


# --- accountability.csv ---------------------------------------------------------------------------


@dataclass(slots=True)
class AccountabilityRow:
    line: int
    name: str
    post: str
    org: str
    action: str
    reason: str
    decided_on: datetime.date
    problem: str


def _parse_accountability(ctx: ImportContext, rows, total) -> None:
    staged: dict[tuple, AccountabilityRow] = {}
    f = ACCOUNTABILITY
    for line, (name, post, org, action, reason, decided_on, problem) in rows:
        name = require_text(ctx, f, line, "subject_name", name, 60)
        post = require_text(ctx, f, line, "subject_post", post, 120)
        org = require_text(ctx, f, line, "org_code", org, 40)
        action = _required_choice(ctx, f, line, "action", action, AccountabilityAction)
        reason = require_text(ctx, f, line, "reason", reason, 5000)
        decided_on = _required_date(ctx, f, line, "decided_on", decided_on)
        if len(problem) > 40:
            ctx.error(f, line, "problem_id", _("过长（最多 %(n)s 个字符）。") % {"n": 40})
            continue
        if INVALID in (name, post, org, action, reason, decided_on):
            continue
        key = (org, name, action, decided_on)
        if key in staged:
            _repeated(ctx, f, line, "subject_name", staged[key].line)
            continue
        staged[key] = AccountabilityRow(line, name, post, org, action, reason, decided_on, problem)
    ctx.staged[ACCOUNTABILITY] = staged


def _check_accountability(ctx: ImportContext) -> None:
    staged: dict[tuple, AccountabilityRow] = ctx.staged[ACCOUNTABILITY]
    f = ACCOUNTABILITY
    facts = _problem_facts(ctx, {r.problem for r in staged.values() if r.problem})
    bodies = _bodies_of(ctx, {r.org for r in staged.values() if not r.problem})
    chosen: dict[int, str] = {}  # line -> body code
    for row in staged.values():
        if row.problem:
            fact = facts.get(row.problem)
            if fact is None:
                _unknown(ctx, f, row.line, "problem_id", row.problem)
            elif fact.org != row.org:
                message = _("该问题属于党组织“%(problem_org)s”，不属于“%(org)s”。")
                ctx.error(f, row.line, "problem_id", message % {"problem_org": fact.org, "org": row.org})
            elif fact.placed and _in_scope(ctx, f, row.line, "problem_id", fact.body):
                chosen[row.line] = fact.body
            continue
        body = _body_or_error(ctx, f, row.line, row.org, bodies)
        if body is not None:
            chosen[row.line] = body
    unlinked = {(r.org, chosen[r.line]) for r in staged.values() if not r.problem and r.line in chosen}
    linked = _inspected_by(ctx, unlinked)
    for row in staged.values():
        if not row.problem and row.line in chosen and (row.org, chosen[row.line]) not in linked:
            message = _(
                "找不到机构“%(body)s”对该党组织的巡视巡察：问责须关联引起它的巡视巡察或问题，请填写问题编号。"
            )
            ctx.error(f, row.line, "problem_id", message % {"body": chosen[row.line]})
    ctx.staged["accountability_bodies"] = chosen


def _apply_accountability(ctx: ImportContext) -> None:
    staged: dict[tuple, AccountabilityRow] = ctx.staged[ACCOUNTABILITY]
    body_of: dict[int, str] = ctx.staged["accountability_bodies"]
    orgs, bodies = _orgs_and_bodies({r.org for r in staged.values()}, set(body_of.values()))
    problems = {
        p.ref: p
        for p in Problem.objects.filter(
            ref__in={r.problem for r in staged.values() if r.problem}
        ).select_related("inspection")
    }
    inspections = _inspections_by(orgs.values(), bodies.values())
    existing = {
        (a.organization_id, a.subject_name, a.action, a.decided_on): a
        for a in Accountability.objects.filter(organization__in=list(orgs.values()))
    }
    for row in staged.values():
        org, body = orgs[row.org], bodies[body_of[row.line]]
        if not _covers(ctx, ACCOUNTABILITY, row.line, org, body):
            continue
        problem = problems.get(row.problem)
        values = {
            "body": body,
            "subject_post": row.post,
            "reason": row.reason,
            "decided_by": body.owner_org.name,
            "problem": problem,
            "inspection": problem.inspection
            if problem
            else _latest_inspection(inspections[org.pk, body.pk], row.decided_on),
        }
        keys = {
            "organization": org,
            "subject_name": row.name,
            "action": row.action,
            "decided_on": row.decided_on,
        }
        item = existing.get((org.pk, row.name, row.action, row.decided_on))
        _upsert(ctx, ACCOUNTABILITY, Accountability, item, keys, values)


def _export_accountability(ctx: ExportContext):
    qs = (
        Accountability.objects.filter(ctx.access.q(Perm.RECTIFICATION_VIEW, "body__owner_org__path"))
        .select_related("organization", "problem", "task__problem")
        .order_by("decided_on", "pk")
    )
    for a in qs.iterator(chunk_size=5000):
        problem = a.problem or (a.task.problem if a.task else None)
        yield [
            a.subject_name,
            a.subject_post,
            a.organization.code,
            a.action,
            a.reason,
            iso(a.decided_on),
            problem.ref if problem else "",
        ]


register(
    LedgerFile(
        name=ACCOUNTABILITY,
        title=gettext_lazy("问责"),
        order=97,
        columns=[
            Column("subject_name", "问责对象", required=True, text=True),
            Column("subject_post", "职务", required=True, text=True),
            Column("org_code", "党组织代码", required=True),
            Column("action", "问责方式", required=True, choices=AccountabilityAction),
            Column("reason", "问责事由", required=True, text=True),
            Column("decided_on", "决定日期", required=True),
            Column("problem_id", "问题编号"),
        ],
        parse=_parse_accountability,
        check=_check_accountability,
        apply=_apply_accountability,
        export=_export_accountability,
    )
)
