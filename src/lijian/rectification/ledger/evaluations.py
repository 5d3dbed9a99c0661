"""evaluations.csv of the ledger bundle: the office's 整改评估 of an organisation in a body's term, one
score per indicator of ``EVALUATION_INDICATORS`` (the total and the grade follow from them, as in
lijian), with the interview that answered a poor grade, so the look-back list and the interviews
proposed read the same after the whole database is exported and imported again.

A row is one evaluation: body, term, organisation and day; importing it again updates its scores,
notes and interview. The interview (optional) is named as interviews.csv names one: interviewer,
interviewee and day, of the row's organisation. The rules are the service's
(``supervision.check_evaluable``, ``check_scores``, ``check_interview_answers``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lijian.core.permissions import Perm
from lijian.documents import ledger
from lijian.orgs.models import InspectionBody, Organization, Term

from ..choices import EVALUATION_INDICATORS
from ..models import Evaluation, Interview
from ..supervision import check_evaluable, check_interview_answers, check_scores, grade_for
from .common import in_scope, not_future, orgs_and_bodies
from .rules import both_or_neither, known_bodies, known_orgs, validated_on

EVALUATIONS = "evaluations.csv"
TERMS = "terms.csv"
INDICATORS = [key for key, _label, _full in EVALUATION_INDICATORS]
with translation.override(None):  # a header's Chinese label is the indicator's msgid, whatever the language
    INDICATOR_LABELS = {key: str(label) for key, label, _full in EVALUATION_INDICATORS}
COLUMN_OF = {
    "organization": "org_code",
    "evaluated_on": "evaluated_on",
    "term": "term",
    "interview": "interview_on",
}


@dataclass(slots=True)
class EvaluationRow:
    line: int
    body: str
    term: str
    org: str
    evaluated_on: datetime.date
    scores: dict[str, int]
    notes: str
    interview: tuple | None  # (interviewer, interviewee, day), as interviews.csv keys it with the org


def _scores_valid(ctx: ledger.ImportContext, line: int, scores: dict[str, int]) -> bool:
    """Whether every score passes the service's ``check_scores``, each bad one reported on its own
    column: each score is checked among zeros for the others, so the rule itself locates the cell."""
    zeros = dict.fromkeys(INDICATORS, 0)
    valid = [
        validated_on(ctx, EVALUATIONS, line, {}, key, check_scores, {**zeros, key: scores[key]})
        for key in INDICATORS
    ]
    return all(valid)


def _parse(ctx: ledger.ImportContext, rows, total) -> None:
    staged: dict[tuple, EvaluationRow] = {}
    n = len(INDICATORS)
    for line, cells, ok in rows:
        body, term, org, evaluated_on = cells[:4]
        scores = dict(zip(INDICATORS, cells[4 : 4 + n], strict=True))
        notes, interviewer, interviewee, interview_on = cells[4 + n :]
        if not ok or not not_future(ctx, EVALUATIONS, line, "evaluated_on", evaluated_on):
            continue
        interview = {"interviewer": interviewer, "interviewee": interviewee, "interview_on": interview_on}
        if not both_or_neither(ctx, EVALUATIONS, line, interview):
            continue
        if not _scores_valid(ctx, line, scores):
            continue
        staged[body, term, org, evaluated_on] = EvaluationRow(
            line,
            body,
            term,
            org,
            evaluated_on,
            scores,
            notes,
            (interviewer, interviewee, interview_on) if interviewer else None,
        )
    ctx.staged[EVALUATIONS] = staged


def _check(ctx: ledger.ImportContext) -> None:
    rows = list(ctx.staged[EVALUATIONS].values())
    bodies = known_bodies(ctx, {r.body for r in rows})
    orgs = known_orgs(ctx, {r.org for r in rows})
    terms = set(Term.objects.filter(body__code__in={r.body for r in rows}).values_list("body__code", "name"))
    terms |= set(ctx.staged.get(TERMS, {}))  # (body code, term name) of terms.csv
    for row in rows:
        if row.body not in bodies:
            ctx.error(EVALUATIONS, row.line, "body_code", _("找不到机构“%(code)s”。") % {"code": row.body})
            continue
        if not in_scope(ctx, EVALUATIONS, row.line, "body_code", row.body):
            continue
        if (row.body, row.term) not in terms:
            ctx.error(EVALUATIONS, row.line, "term", _("找不到届次“%(name)s”。") % {"name": row.term})
        if row.org not in orgs:
            message = _("“%(code)s”既不在 organizations.csv 中，也不在系统中。")
            ctx.error(EVALUATIONS, row.line, "org_code", message % {"code": row.org})


def _apply(ctx: ledger.ImportContext) -> None:
    rows = list(ctx.staged[EVALUATIONS].values())
    orgs, bodies = orgs_and_bodies({r.org for r in rows}, {r.body for r in rows})
    terms = {
        (t.body.code, t.name): t
        for t in Term.objects.filter(body__in=list(bodies.values())).select_related("body")
    }
    interviews = {
        (i.organization_id, i.interviewer, i.interviewee, i.held_on): i
        for i in Interview.objects.filter(organization__in=list(orgs.values()))
    }
    existing = {
        (e.body_id, e.term_id, e.organization_id, e.evaluated_on): e
        for e in Evaluation.objects.filter(organization__in=list(orgs.values()))
    }
    for row in rows:
        body, term, org = bodies[row.body], terms[row.body, row.term], orgs[row.org]
        rule = (ctx, EVALUATIONS, row.line, COLUMN_OF, "org_code")
        if not validated_on(*rule, check_evaluable, body, org, term, row.evaluated_on):
            continue
        interview = None
        if row.interview:
            interview = interviews.get((org.pk, *row.interview))
            if interview is None:
                message = _("找不到该党组织的这次约谈（既不在 interviews.csv 中，也不在系统中）。")
                ctx.error(EVALUATIONS, row.line, "interview_on", message)
                continue
            evaluation = Evaluation(organization=org, evaluated_on=row.evaluated_on)
            if not validated_on(*rule, check_interview_answers, evaluation, interview):
                continue
        total = sum(row.scores.values())
        ledger.upsert(
            ctx,
            EVALUATIONS,
            Evaluation,
            existing.get((body.pk, term.pk, org.pk, row.evaluated_on)),
            {
                "scores": row.scores,
                "total": total,
                "grade": grade_for(total),
                "notes": row.notes,
                "interview_id": interview.pk if interview else None,
            },
            create={
                "body": body,
                "term": term,
                "organization": org,
                "evaluated_on": row.evaluated_on,
                "recorded_by": ctx.actor,
            },
        )


def _export(ctx: ledger.ExportContext):
    qs = (
        Evaluation.objects.filter(ctx.access.q(Perm.RECTIFICATION_VIEW, "body__owner_org__path"))
        .select_related("body", "term", "organization", "interview")
        .order_by("body__code", "term__start", "evaluated_on", "organization__code", "pk")
    )
    for e in qs.iterator(chunk_size=5000):
        interview = e.interview
        yield [
            e.body.code,
            e.term.name,
            e.organization.code,
            ledger.iso(e.evaluated_on),
            *(e.scores.get(key, "") for key in INDICATORS),
            e.notes,
            interview.interviewer if interview else "",
            interview.interviewee if interview else "",
            ledger.iso(interview.held_on) if interview else "",
        ]


ledger.register(
    ledger.LedgerFile(
        name=EVALUATIONS,
        title=gettext_lazy("整改评估"),
        order=99,  # after interviews.csv (96), whose interviews it names
        columns=[
            ledger.filled("body_code", "机构代码", field=InspectionBody.code),
            ledger.filled("term", "届次", field=Term.name),
            ledger.filled("org_code", "党组织代码", field=Organization.code),
            ledger.filled("evaluated_on", "评估日期", kind=ledger.DATE),
            *(ledger.filled(key, INDICATOR_LABELS[key], kind=ledger.INT) for key in INDICATORS),
            ledger.Column("notes", "评估意见", text=True, field=Evaluation.notes, max_length=20000),
            ledger.Column("interviewer", "约谈人", text=True, field=Interview.interviewer),
            ledger.Column("interviewee", "被约谈人", text=True, field=Interview.interviewee),
            ledger.Column("interview_on", "约谈日期", kind=ledger.DATE),
        ],
        unique=(ledger.Unique(("body_code", "term", "org_code", "evaluated_on")),),
        parse=_parse,
        check=_check,
        apply=_apply,
        export=_export,
    )
)
