"""problem_status.csv of the ledger bundle (DESIGN.md §7): the dated status history of each problem after
feedback — what the rates read. Feedback puts a problem into rectification on its inspection's feedback
date; each row is a later change on ``closed_on`` (the day the problem reached the row's status: the 销号
day for ``closed``), required for every status but ``rectifying``. Most problems need one row
(``closed``, or a dateless ``rectifying``); one closed and then reopened has two (``closed``,
``reopened``); a dated ``rectifying`` first row moves the start of rectification later. Taken in date
order the rows must follow the allowed transitions (``findings.choices``), none before feedback or after
today; a problem not fed back may only be ``open``. When a problem's rows differ from its history in the
system they replace it (and set the problem's status). An imported ``closed`` row is not asked for
evidence (``services.has_evidence``), unlike 销号 in lijian: the sheet records closings the office already
decided on paper, whose evidence lives in the paper archive, and a CSV carries no files — refusing them
would make the past unimportable or push offices to invent uploads. The event says where it came from
(``台账导入``), so the two kinds of closing stay distinguishable.

**The final-state form.** Offices often keep one row per problem with its state on the day they made
the sheet. Such a file carries the ``as_of`` column (截至日期, that day) and names each problem once;
a row with ``as_of`` filled reads: ``closed`` on ``closed_on`` (the 销号 day, required), ``rectifying`` or ``open`` with no
date, ``reported_done`` and ``long_term_stage_met`` on ``closed_on`` when given, else on ``as_of``.
A ``reopened`` problem cannot be written that way (its closing day would be lost): it needs the dated
history. Rows without ``as_of`` (the export writes none) are the dated history above; one file
may mix the two forms, a problem given in one form only.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from itertools import groupby

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lijian.core.permissions import Perm
from lijian.documents import ledger
from lijian.findings.choices import PROBLEM_TRANSITIONS, ProblemStatus
from lijian.findings.models import Problem

from ..models import ProblemEvent
from .common import (
    BY_PROBLEM_BODY,
    in_scope,
    not_future,
    problem_facts,
    unknown,
)

STATUS = "problem_status.csv"


@dataclass(slots=True)
class StatusRow:
    line: int
    status: str
    on: datetime.date | None


def _parse_status(ctx: ledger.ImportContext, rows, total) -> None:
    staged: dict[str, list[StatusRow]] = {}
    final_state: set[str] = set()  # the problems given by a final-state row
    for line, (problem, status, on, as_of), ok in rows:
        if not ok or not not_future(ctx, STATUS, line, "closed_on", on):
            continue
        if as_of is not None or problem in final_state:
            if problem in staged:
                ledger.report_duplicate(ctx, STATUS, line, "problem_id", problem, staged[problem][0].line)
                continue
            final_state.add(problem)
            on = _final_state_day(ctx, line, status, on, as_of)
            if on is ledger.INVALID:
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


def _final_state_day(ctx: ledger.ImportContext, line: int, status: str, on, as_of):
    """The day a final-state row's problem reached ``status`` (see the module docstring), ``None``
    for a dateless one, or ``INVALID`` once the row is reported."""
    if not not_future(ctx, STATUS, line, "as_of", as_of):
        return ledger.INVALID
    if status == ProblemStatus.REOPENED:
        message = _("重新整改的问题须按日期写出销号和重新整改两行（不写截至日期的整改历史）。")
        ctx.error(STATUS, line, "status", message)
        return ledger.INVALID
    if status in (ProblemStatus.REPORTED_DONE, ProblemStatus.LONG_TERM_STAGE_MET) and on is None:
        return as_of
    return on


def _history(ctx: ledger.ImportContext, feedback: datetime.date, rows: list[StatusRow]):
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


def _check_status(ctx: ledger.ImportContext) -> None:
    staged: dict[str, list[StatusRow]] = ctx.staged[STATUS]
    facts = problem_facts(ctx, set(staged))
    histories: dict[str, list[tuple[str, datetime.date]]] = {}
    for ref, rows in staged.items():
        fact = facts.get(ref)
        if fact is None:
            unknown(ctx, STATUS, rows[0].line, "problem_id", ref)
            continue
        if not fact.placed or not in_scope(ctx, STATUS, rows[0].line, "problem_id", fact.body):
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


def _apply_status(ctx: ledger.ImportContext) -> None:
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


def _export_status(ctx: ledger.ExportContext):
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
                yield [ref, ProblemStatus.RECTIFYING, "", ""]
        for _ref, status, on, _feedback in events:
            yield [ref, status, ledger.iso(on), ""]


ledger.register(
    ledger.LedgerFile(
        name=STATUS,
        title=gettext_lazy("问题整改状态"),
        order=92,
        columns=[
            ledger.filled("problem_id", "问题编号", field=Problem.ref),
            ledger.filled("status", "整改状态", choices=ProblemStatus),
            ledger.Column("closed_on", "销号日期", kind=ledger.DATE),
            ledger.Column("as_of", "截至日期", kind=ledger.DATE),
        ],
        parse=_parse_status,
        check=_check_status,
        apply=_apply_status,
        export=_export_status,
    )
)
