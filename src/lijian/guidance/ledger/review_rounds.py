"""review_rounds.csv of the ledger bundle: the rounds of review of a special meeting's material (who
reviewed it from when, the opinions, how each round ended), one row per round. A row names its review
as material_reviews.csv does (body, organisation, meeting day) and is matched by the round's number.

A review's rows are its whole history: numbered 1, 2, …, every round but the last returned, each
begun no earlier than the material's previous step, the last one ending as the review stands (under
review: not ended; returned or resubmitted: returned; accepted: accepted); rounds the system holds
beyond the sheet's are removed. The services' rules hold on each row (no future day, a round decided
no earlier than it began, a return giving its opinions). The reviewer is an account, named by its
user name: one of another office is refused; one this system lacks (accounts are not in the bundle)
leaves the round without its reviewer, as the preview says.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lijian.documents import ledger
from lijian.orgs.models import InspectionBody, Organization

from ..choices import ReviewStatus, RoundOutcome
from ..models import MaterialReview, ReviewRound
from ..services import check_reviewer
from ..validators import check_opinions, check_order
from .common import VIEW, body_in_scope, not_future
from .reviews import REVIEWS

ROUNDS = "review_rounds.csv"
# How the last round of a review ended, by where the review stands.
LAST_OUTCOME = {
    ReviewStatus.UNDER_REVIEW: RoundOutcome.PENDING,
    ReviewStatus.RETURNED: RoundOutcome.RETURNED,
    ReviewStatus.RESUBMITTED: RoundOutcome.RETURNED,
    ReviewStatus.ACCEPTED: RoundOutcome.ACCEPTED,
}


@dataclass(slots=True)
class RoundRow:
    line: int
    review: tuple[str, str, datetime.date]
    number: int
    reviewer: str
    started_on: datetime.date
    opinions: str
    outcome: str
    decided_on: datetime.date | None


def _row_rules(ctx: ledger.ImportContext, row: RoundRow) -> bool:
    f, line = ROUNDS, row.line
    ok = not_future(ctx, f, line, "started_on", row.started_on)
    ok = not_future(ctx, f, line, "decided_on", row.decided_on) and ok
    if bool(row.outcome) != (row.decided_on is not None):
        ctx.error(f, line, "decided_on", _("退回或通过的一轮须写明办理日期，审阅中的不填。"))
        return False
    if row.decided_on is not None:
        message = _("办理日期不能早于本轮开始审阅的日期。")  # the decision services' words
        ok = (
            ledger.validated(
                ctx, f, line, "decided_on", check_order, row.started_on, row.decided_on, "decided_on", message
            )
            and ok
        )
    if row.outcome == RoundOutcome.RETURNED:
        ok = ledger.validated(ctx, f, line, "opinions", check_opinions, row.opinions) and ok
    return ok


def _parse(ctx: ledger.ImportContext, rows, total) -> None:
    staged: dict[tuple, RoundRow] = {}
    for line, (body, org, meeting_on, number, reviewer, started, opinions, outcome, decided), ok in rows:
        if not ok:
            continue
        row = RoundRow(line, (body, org, meeting_on), number, reviewer, started, opinions, outcome, decided)
        if _row_rules(ctx, row) and body_in_scope(ctx, ROUNDS, line, body):
            staged[row.review + (number,)] = row
    ctx.staged[ROUNDS] = staged


def _reviews_stand(ctx: ledger.ImportContext, keys: set[tuple]) -> dict[tuple, tuple[datetime.date, str]]:
    """(received on, status) of each review named, as material_reviews.csv or else the system has it."""
    found = {}
    for body, org, meeting_on in keys:
        row = ctx.staged.get(REVIEWS, {}).get((body, org, meeting_on))
        if row is not None:
            found[body, org, meeting_on] = (row.received_on, row.status)
    wanted = keys - set(found)
    if wanted:
        for body, org, meeting_on, received_on, status in MaterialReview.objects.filter(
            body__code__in={k[0] for k in wanted}, meeting_on__in={k[2] for k in wanted}
        ).values_list("body__code", "organization__code", "meeting_on", "received_on", "status"):
            if (body, org, meeting_on) in wanted:
                found[body, org, meeting_on] = (received_on, status)
    return found


def _check(ctx: ledger.ImportContext) -> None:
    staged: dict[tuple, RoundRow] = ctx.staged[ROUNDS]
    by_review: dict[tuple, list[RoundRow]] = {}
    for row in staged.values():
        by_review.setdefault(row.review, []).append(row)
    stands = _reviews_stand(ctx, set(by_review))
    for review, rows in by_review.items():
        rows.sort(key=lambda r: r.number)
        if review not in stands:
            key = f"{review[0]}:{review[1]}:{review[2].isoformat()}"
            for row in rows:
                ctx.error(
                    ROUNDS,
                    row.line,
                    "meeting_on",
                    _("找不到专题会材料审阅“%(key)s”：既不在 %(file)s 中，也不在系统中。")
                    % {"key": key, "file": REVIEWS},
                )
            continue
        _check_history(ctx, rows, *stands[review])
    _check_reviewers(ctx, staged)


def _check_history(ctx: ledger.ImportContext, rows: list[RoundRow], received_on, status: str) -> None:
    """The rounds of one review, in number order, as the review services make them."""
    previous = received_on
    for n, row in enumerate(rows, start=1):
        if row.number != n:
            ctx.error(
                ROUNDS,
                row.line,
                "number",
                _("同一材料的审阅轮次应从 1 起连续编号，这里应为 %(n)s。") % {"n": n},
            )
            return
        message = _("开始审阅日期不能早于材料的上一步办理日期。")  # material_review_start's words
        ledger.validated(
            ctx, ROUNDS, row.line, "started_on", check_order, previous, row.started_on, "started_on", message
        )
        previous = row.decided_on or row.started_on
        last = n == len(rows)
        expected = LAST_OUTCOME.get(status) if last else RoundOutcome.RETURNED
        if expected is None:
            ctx.error(ROUNDS, row.line, "number", _("该材料尚未开始审阅（状态为已收到），不应有审阅轮次。"))
        elif row.outcome != expected:
            ctx.error(
                ROUNDS,
                row.line,
                "outcome",
                (
                    _("材料当前状态为“%(status)s”，最后一轮的结果应为“%(outcome)s”。")
                    if last
                    else _("此后还有一轮审阅，本轮的结果应为“%(outcome)s”。")
                )
                % {"status": ReviewStatus(status).label, "outcome": RoundOutcome(expected).label},
            )


def _check_reviewers(ctx: ledger.ImportContext, staged: dict[tuple, RoundRow]) -> None:
    """A reviewer with an account here is of the reviewing office (``services.check_reviewer``); a user
    name no account has is recorded for the preview to say the round is kept without its reviewer."""
    names = {r.reviewer for r in staged.values() if r.reviewer}
    users = {u.username: u for u in get_user_model().objects.filter(username__in=names)}
    bodies = {
        b.code: b
        for b in InspectionBody.objects.filter(
            code__in={r.review[0] for r in staged.values()}
        ).select_related("owner_org")
    }
    for row in staged.values():
        if not row.reviewer:
            continue
        user = users.get(row.reviewer)
        if user is None:
            ctx.mapped(ROUNDS, "reviewer", row.reviewer, _("本系统没有这个账号，留空"))
        elif row.review[0] in bodies:  # a body new in bodies.csv has no office yet to belong to
            ledger.validated(ctx, ROUNDS, row.line, "reviewer", check_reviewer, user, bodies[row.review[0]])


def _apply(ctx: ledger.ImportContext) -> None:
    staged: dict[tuple, RoundRow] = ctx.staged[ROUNDS]
    reviews = {
        (r.body.code, r.organization.code, r.meeting_on): r
        for r in MaterialReview.objects.filter(
            body__code__in={k[0] for k in staged}, meeting_on__in={k[2] for k in staged}
        ).select_related("body", "organization")
    }
    users = dict(
        get_user_model()
        .objects.filter(username__in={r.reviewer for r in staged.values() if r.reviewer})
        .values_list("username", "pk")
    )
    named = [reviews[key] for key in {row.review for row in staged.values()}]
    held = {
        (r.review.body.code, r.review.organization.code, r.review.meeting_on, r.number): r
        for r in ReviewRound.objects.filter(review__in=named).select_related(
            "review__body", "review__organization"
        )
    }
    for key, row in staged.items():
        review = reviews[row.review]
        values = {
            "reviewer_id": users.get(row.reviewer),
            "started_on": row.started_on,
            "opinions": row.opinions,
            "outcome": row.outcome,
            "decided_on": row.decided_on,
        }
        create = {"review": review, "number": row.number}
        ledger.upsert(ctx, ROUNDS, ReviewRound, held.get(key), values, create=create)
    last = {}
    for row in staged.values():
        last[row.review] = max(last.get(row.review, 0), row.number)
    for review_key, number in last.items():
        removed, _kinds = ReviewRound.objects.filter(review=reviews[review_key], number__gt=number).delete()
        if removed:
            ctx.count(ROUNDS, "updated", removed)


def _export(ctx: ledger.ExportContext):
    rows = (
        ReviewRound.objects.filter(ctx.access.q(VIEW, "review__body__owner_org__path"))
        .select_related("review__body", "review__organization", "reviewer")
        .order_by("review__received_on", "review_id", "number")
    )
    for r in rows.iterator(chunk_size=5000):
        yield [
            r.review.body.code,
            r.review.organization.code,
            ledger.iso(r.review.meeting_on),
            r.number,
            r.reviewer.username if r.reviewer else "",
            ledger.iso(r.started_on),
            r.opinions,
            r.outcome,
            ledger.iso(r.decided_on),
        ]


ledger.register(
    ledger.LedgerFile(
        name=ROUNDS,
        title=gettext_lazy("审阅轮次"),
        order=120,
        columns=[
            ledger.filled("body_code", "审阅机构代码", field=InspectionBody.code),
            ledger.filled("org_code", "报送党委代码", field=Organization.code),
            ledger.filled("meeting_on", "专题会日期", kind=ledger.DATE),
            ledger.filled("number", "轮次", kind=ledger.INT, minimum=1),
            ledger.Column("reviewer", "审阅人账号", field=get_user_model().username),
            ledger.filled("started_on", "开始审阅日期", kind=ledger.DATE),
            ledger.Column("opinions", "审阅意见", text=True, field=ReviewRound.opinions),
            ledger.Column("outcome", "结果", choices=RoundOutcome),
            ledger.Column("decided_on", "办理日期", kind=ledger.DATE),
        ],
        unique=(ledger.Unique(("body_code", "org_code", "meeting_on", "number")),),
        parse=_parse,
        check=_check,
        apply=_apply,
        export=_export,
    )
)
