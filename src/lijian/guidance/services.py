"""Every write of the guidance records: material review (M16), self-inspection (M7) and the yearly
assessment with its naming candidates (M17, M18).

Each function runs in one transaction, checks the actor's permission (the office of the guiding body)
and the status transition, validates through ``validators`` (which the ledger parsers call too), and
writes its audit event."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lijian.accounts.scopes import is_office_of
from lijian.core.audit import audit_record, create_audited, move_audited, snapshot, update_audited
from lijian.core.permissions import Perm, permit
from lijian.documents.official import DOCUMENT_LANGUAGE

from . import scoring, selectors
from .choices import (
    ASSESSMENT_TRANSITIONS,
    CANDIDATE_TRANSITIONS,
    REVIEW_TRANSITIONS,
    SELF_INSPECTION_TRANSITIONS,
    AssessmentStatus,
    CandidateStatus,
    IndicatorKind,
    NamingWho,
    ReviewStatus,
    RoundOutcome,
    SelfInspectionStatus,
)
from .models import (
    Assessment,
    AssessmentScore,
    MaterialReview,
    NamingCandidate,
    ReviewRound,
    SelfInspection,
    SelfInspectionItem,
)
from .validators import (
    check_fix,
    check_material_dates,
    check_not_future,
    check_opinions,
    check_order,
    check_period,
    check_score,
    check_year,
)


def _require_office(actor, body) -> None:
    permit(is_office_of(actor, Perm.GOVERNANCE_MANAGE, body), _("只有本机构的巡视巡察办可以办理。"))


def _check_lower(body, organization) -> None:
    if organization.path == body.owner_org.path or not organization.path.startswith(body.owner_org.path):
        raise ValidationError({"organization": _("该党组织不是本机构所属党委的下级党组织。")})


# --- M16 material review -----------------------------------------------------------------------------


@transaction.atomic
def material_review_receive(
    *,
    actor,
    body,
    organization,
    secretary_name: str,
    meeting_on: datetime.date,
    meeting_title: str,
    received_on: datetime.date,
    secretary_post: str = "",
) -> MaterialReview:
    """Register the material of ``organization``'s special meeting (its secretary's report on patrol
    work) as received by ``body``'s office.

    Raises ``PermissionDenied`` unless the actor is in the body's office, and ``ValidationError`` for
    an organisation not below the body's committee, a future date, material received before the
    meeting, or a meeting already registered."""
    _require_office(actor, body)
    _check_lower(body, organization)
    check_material_dates(meeting_on, received_on)
    review = MaterialReview(
        body=body,
        organization=organization,
        secretary_name=secretary_name.strip(),
        secretary_post=secretary_post.strip(),
        meeting_on=meeting_on,
        meeting_title=meeting_title.strip(),
        received_on=received_on,
        recorded_by=actor,
    )
    return create_audited(
        actor=actor,
        instance=review,
        action="material_review.receive",
        fields=("body", "organization", "secretary_name", "meeting_on", "meeting_title", "received_on"),
        scope_path=organization.path,
    )


def _last_round(review: MaterialReview) -> ReviewRound | None:
    return review.rounds.order_by("-number").first()


def _last_day(review: MaterialReview) -> datetime.date:
    last = _last_round(review)
    days = [review.received_on] + ([last.started_on, last.decided_on] if last else [])
    return max(d for d in days if d)


def check_reviewer(reviewer, body) -> None:
    """Raise ``ValidationError`` (on ``reviewer``) unless ``reviewer`` is an account of ``body``'s
    office: only the reviewing office reviews a material."""
    if reviewer is None or not is_office_of(reviewer, Perm.GOVERNANCE_MANAGE, body):
        raise ValidationError({"reviewer": _("审阅人须是审阅机构巡视巡察办的人员。")})


@transaction.atomic
def material_review_start(*, actor, review: MaterialReview, reviewer, on: datetime.date) -> ReviewRound:
    """Begin a round of review of a received (or resubmitted) material by ``reviewer`` on ``on``.

    Raises ``PermissionDenied`` unless the actor is in the reviewing office, and ``ValidationError``
    for a material not waiting for review, a reviewer outside that office, or a day in the future or
    before the material's last step."""
    selectors.REVIEW_MANAGE.check(actor, review)
    check_reviewer(reviewer, review.body)
    check_not_future(on, "on")
    check_order(_last_day(review), on, "on", _("开始审阅日期不能早于材料的上一步办理日期。"))
    last = _last_round(review)
    move_audited(
        actor=actor,
        instance=review,
        table=REVIEW_TRANSITIONS,
        target=ReviewStatus.UNDER_REVIEW,
        action="material_review.start",
        scope_path=review.organization.path,
        reviewer=reviewer,
    )
    return ReviewRound.objects.create(
        review=review, number=(last.number + 1) if last else 1, reviewer=reviewer, started_on=on
    )


def _decide(actor, review, target, outcome, opinions, on, action, **fields) -> MaterialReview:
    selectors.REVIEW_MANAGE.check(actor, review)
    REVIEW_TRANSITIONS.check(review.status, target)
    check_not_future(on, "on")
    current = _last_round(review)
    if current is None:  # under review as an imported sheet recorded it: the round began on receipt
        current = ReviewRound(
            review=review, number=1, reviewer=review.reviewer or actor, started_on=review.received_on
        )
    check_order(current.started_on, on, "on", _("办理日期不能早于本轮开始审阅的日期。"))
    current.opinions, current.outcome, current.decided_on = opinions.strip(), outcome, on
    current.full_clean()
    current.save()
    return move_audited(
        actor=actor,
        instance=review,
        table=REVIEW_TRANSITIONS,
        target=target,
        action=action,
        scope_path=review.organization.path,
        opinions=opinions,
        **fields,
    )


@transaction.atomic
def material_review_return(
    *, actor, review: MaterialReview, opinions: str, on: datetime.date
) -> MaterialReview:
    """End the round under review by returning the material for revision with ``opinions``.

    Raises ``PermissionDenied`` unless the actor is in the reviewing office, and ``ValidationError``
    for a material not under review, empty opinions, or a day in the future or before the round began."""
    selectors.REVIEW_MANAGE.check(actor, review)
    check_opinions(opinions)
    return _decide(
        actor, review, ReviewStatus.RETURNED, RoundOutcome.RETURNED, opinions, on, "material_review.return"
    )


@transaction.atomic
def material_review_accept(
    *, actor, review: MaterialReview, on: datetime.date, opinions: str = ""
) -> MaterialReview:
    """End the round under review by accepting the material (with optional opinions); final.

    Raises as ``material_review_return``, opinions apart."""
    return _decide(
        actor,
        review,
        ReviewStatus.ACCEPTED,
        RoundOutcome.ACCEPTED,
        opinions,
        on,
        "material_review.accept",
        accepted_on=on,
    )


@transaction.atomic
def material_review_resubmit(*, actor, review: MaterialReview, on: datetime.date) -> MaterialReview:
    """Record that the revised material of a returned review came back on ``on``.

    Raises ``PermissionDenied`` unless the actor is in the reviewing office, and ``ValidationError``
    for a material not returned, or a day in the future or before it was returned."""
    selectors.REVIEW_MANAGE.check(actor, review)
    check_not_future(on, "on")
    check_order(_last_day(review), on, "on", _("重新报送日期不能早于退回日期。"))
    return move_audited(
        actor=actor,
        instance=review,
        table=REVIEW_TRANSITIONS,
        target=ReviewStatus.RESUBMITTED,
        action="material_review.resubmit",
        scope_path=review.organization.path,
    )


# --- M7 self-inspection ------------------------------------------------------------------------------


@transaction.atomic
def self_inspection_open(
    *,
    actor,
    body,
    title: str,
    scope: str,
    period_start: datetime.date,
    period_end: datetime.date,
) -> SelfInspection:
    """Open a self-inspection of ``body``'s own patrol work or its lower bodies' over a period.

    Raises ``PermissionDenied`` unless the actor is in the body's office, and ``ValidationError`` for
    a period that ends before it starts, an unknown scope or a title the body already used."""
    _require_office(actor, body)
    check_period(period_start, period_end)
    item = SelfInspection(
        body=body,
        title=title.strip(),
        scope=scope,
        period_start=period_start,
        period_end=period_end,
        recorded_by=actor,
    )
    return create_audited(
        actor=actor,
        instance=item,
        action="self_inspection.open",
        fields=("body", "title", "scope", "period_start", "period_end"),
        scope_path=body.owner_org.path,
    )


def _open_inspection(actor, inspection: SelfInspection) -> None:
    selectors.SELF_INSPECTION_MANAGE.check(actor, inspection)
    if inspection.status != SelfInspectionStatus.OPEN:
        raise ValidationError(_("自查已完成，不能再修改。"))


ITEM_FIELDS = ("item", "finding", "problem_found", "fix", "fixed_on")


@transaction.atomic
def self_inspection_item_add(
    *,
    actor,
    inspection: SelfInspection,
    item: str,
    finding: str = "",
    problem_found: bool = False,
    fix: str = "",
    fixed_on: datetime.date | None = None,
) -> SelfInspectionItem:
    """Add one item checked to an open self-inspection.

    Raises ``PermissionDenied`` unless the actor is in the body's office, and ``ValidationError``
    for a closed self-inspection, an item already checked, a fix without a problem, a fix date
    without a fix or in the future."""
    _open_inspection(actor, inspection)
    check_fix(problem_found, fix, fixed_on)
    entry = SelfInspectionItem(
        inspection=inspection,
        item=item.strip(),
        finding=finding.strip(),
        problem_found=problem_found,
        fix=fix.strip(),
        fixed_on=fixed_on,
    )
    return create_audited(
        actor=actor,
        instance=entry,
        action="self_inspection.item_add",
        fields=ITEM_FIELDS,
        scope_path=inspection.body.owner_org.path,
    )


@transaction.atomic
def self_inspection_item_fix(
    *, actor, entry: SelfInspectionItem, fix: str, fixed_on: datetime.date | None
) -> SelfInspectionItem:
    """Write (or change) the fix of an item with a problem, and the day it was fixed (if it is).

    Raises as ``self_inspection_item_add``."""
    _open_inspection(actor, entry.inspection)
    check_fix(entry.problem_found, fix, fixed_on)
    return update_audited(
        actor=actor,
        instance=entry,
        changes={"fix": fix, "fixed_on": fixed_on},
        editable=("fix", "fixed_on"),
        action="self_inspection.item_fix",
        scope_path=entry.inspection.body.owner_org.path,
    )


@transaction.atomic
def self_inspection_close(
    *, actor, inspection: SelfInspection, summary: str, on: datetime.date
) -> SelfInspection:
    """Close a self-inspection with its summary: its results can then be notified.

    Raises ``PermissionDenied`` unless the actor is in the body's office, and ``ValidationError`` for
    a closed one, no item checked, an empty summary, or a day in the future or before the period began."""
    selectors.SELF_INSPECTION_MANAGE.check(actor, inspection)
    if not inspection.items.exists():
        raise ValidationError(_("请先登记自查事项。"))
    if not summary.strip():
        raise ValidationError({"summary": _("请填写自查总结。")})
    check_not_future(on, "on")
    check_order(inspection.period_start, on, "on", _("完成日期不能早于自查期间的开始日期。"))
    return move_audited(
        actor=actor,
        instance=inspection,
        table=SELF_INSPECTION_TRANSITIONS,
        target=SelfInspectionStatus.CLOSED,
        action="self_inspection.close",
        scope_path=inspection.body.owner_org.path,
        summary=summary,
        closed_on=on,
    )


# --- M17 the yearly assessment, M18 naming candidates -----------------------------------------------


@transaction.atomic
def assessment_create(
    *, actor, body, year: int, naming_count: int = 3, committee_kind: str = ""
) -> Assessment:
    """Open ``body``'s assessment of its lower bodies' patrol work in ``year``.

    Raises ``PermissionDenied`` unless the actor is in the body's office, and ``ValidationError`` for
    a year not yet begun or already assessed."""
    _require_office(actor, body)
    check_year(year)
    item = Assessment(
        body=body, year=year, naming_count=naming_count, committee_kind=committee_kind, recorded_by=actor
    )
    return create_audited(
        actor=actor,
        instance=item,
        action="assessment.create",
        fields=("body", "year", "naming_count", "committee_kind"),
        scope_path=body.owner_org.path,
    )


def _draft(actor, assessment: Assessment) -> None:
    selectors.ASSESSMENT_MANAGE.check(actor, assessment)
    if assessment.status != AssessmentStatus.DRAFT:
        raise ValidationError(_("考核已排名，不能再改分；如需更正，请先退回评分。"))


def _check_assessed(assessment: Assessment, assessed_body) -> None:
    if not selectors.assessed_bodies(assessment).filter(pk=assessed_body.pk).exists():
        raise ValidationError({"assessed_body": _("该机构不是本次考核的被考核机构。")})


def _score_save(assessment, assessed_body, indicator, *, score, value, computed, note) -> AssessmentScore:
    found = AssessmentScore.objects.filter(
        assessment=assessment, assessed_body=assessed_body, indicator=indicator
    ).first()
    item = found or AssessmentScore(assessment=assessment, assessed_body=assessed_body, indicator=indicator)
    item.score, item.value, item.computed, item.note = score, value, computed, note.strip()
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def assessment_compute(*, actor, assessment: Assessment, today: datetime.date | None = None) -> int:
    """Fill the score of every active figure indicator for every lower body from its figures at the
    end of the year (or today, while the year runs): weight × figure. Returns how many scores were
    written; scores given by hand are not touched.

    Raises ``PermissionDenied`` unless the actor is in the assessing office, and ``ValidationError``
    once the assessment is ranked, or with no figure indicator."""
    _draft(actor, assessment)
    indicators = list(selectors.indicators_active().filter(kind=IndicatorKind.FIGURE))
    if not indicators:
        raise ValidationError(_("没有启用的数据指标。"))
    on = scoring.reference_day(assessment.year, today)
    written = 0
    for body in selectors.assessed_bodies(assessment):
        values = scoring.figure_values(body, on)
        for indicator in indicators:
            value = values[indicator.figure_key]
            note = "" if value is not None else _("截至 %(day)s 无可统计的数据，计 0 分。") % {"day": on}
            _score_save(
                assessment,
                body,
                indicator,
                score=scoring.weighted(value, indicator.weight),
                value=value,
                computed=True,
                note=note,
            )
            written += 1
    audit_record(
        actor=actor,
        action="assessment.compute",
        obj=assessment,
        after={"reference_day": on.isoformat(), "figure_scores": written},
        scope_path=assessment.body.owner_org.path,
    )
    return written


@transaction.atomic
def assessment_score_set(
    *, actor, assessment: Assessment, assessed_body, indicator, score: Decimal, note: str = ""
) -> AssessmentScore:
    """Give (or change) by hand the score of a lower body on a judgement indicator.

    Raises ``PermissionDenied`` unless the actor is in the assessing office, and ``ValidationError``
    once ranked, for a body that is not a lower body, a figure indicator (computed, never typed), or
    a score outside 0 to the indicator's weight."""
    _draft(actor, assessment)
    _check_assessed(assessment, assessed_body)
    if indicator.kind != IndicatorKind.JUDGEMENT:
        raise ValidationError({"indicator": _("数据指标按数据计算，不能人工打分。")})
    check_score(score, indicator.weight)
    found = AssessmentScore.objects.filter(
        assessment=assessment, assessed_body=assessed_body, indicator=indicator
    ).first()
    before = snapshot(found, ("score", "note")) if found else None
    item = _score_save(
        assessment, assessed_body, indicator, score=score, value=None, computed=False, note=note
    )
    audit_record(
        actor=actor,
        action="assessment.score",
        obj=item,
        before=before,
        after=snapshot(item, ("assessed_body", "indicator", "score", "note")),
        scope_path=assessed_body.owner_org.path,
    )
    return item


@transaction.atomic
def assessment_rank(
    *, actor, assessment: Assessment, today: datetime.date | None = None
) -> list[NamingCandidate]:
    """Close the scoring and rank: the lowest ``naming_count`` bodies by weighted total become
    proposed candidates (district committees, named by their committee) for the naming notice,
    unless their committee is on the list already. Returns the candidates proposed.

    Raises ``PermissionDenied`` unless the actor is in the assessing office, and ``ValidationError``
    once ranked, or while a lower body lacks the score of an active indicator."""
    _draft(actor, assessment)
    bodies = list(selectors.assessed_bodies(assessment))
    indicators = list(selectors.indicators_active())
    have = set(
        AssessmentScore.objects.filter(assessment=assessment).values_list("assessed_body", "indicator")
    )
    missing = [(b, i) for b in bodies for i in indicators if (b.pk, i.pk) not in have]
    if missing or not bodies:
        # The separators are translated too: an English sentence lists "body · indicator, …".
        shown = _("、").join(
            _("%(body)s·%(indicator)s") % {"body": b.name, "indicator": i.name} for b, i in missing[:5]
        )
        raise ValidationError(_("还有得分未评定：%(list)s。") % {"list": shown or _("没有被考核机构")})
    move_audited(
        actor=actor,
        instance=assessment,
        table=ASSESSMENT_TRANSITIONS,
        target=AssessmentStatus.SCORED,
        action="assessment.rank",
        scope_path=assessment.body.owner_org.path,
    )
    rows = selectors.ranking(assessment)
    lowest = rows[-assessment.naming_count :] if assessment.naming_count else []
    made = []
    named = set(
        assessment.candidates.filter(who=NamingWho.DISTRICT_COMMITTEE).values_list("assessed_body", flat=True)
    )
    for row in lowest:
        body = row["body"]
        if body.pk in named:  # proposed by hand already
            continue
        # The reason is quoted in the naming notice, a Chinese document whoever ranks.
        with translation.override(DOCUMENT_LANGUAGE):
            reason = _("%(year)s年度巡察工作考核排名第 %(rank)s 位（共 %(n)s 个），得分 %(total)s。") % {
                "year": assessment.year,
                "rank": row["rank"],
                "n": len(rows),
                "total": row["total"],
            }
        made.append(
            naming_candidate_propose(
                actor=actor,
                assessment=assessment,
                assessed_body=body,
                who=NamingWho.DISTRICT_COMMITTEE,
                person_name=body.owner_org.name,
                reason=reason,
            )
        )
    return made


@transaction.atomic
def assessment_reopen(*, actor, assessment: Assessment) -> Assessment:
    """Send a ranked assessment back to scoring (a score to correct); candidates still proposed are
    dropped from the list, decided ones stay.

    Raises ``PermissionDenied`` unless the actor is in the assessing office, and ``ValidationError``
    for an assessment not ranked."""
    selectors.ASSESSMENT_MANAGE.check(actor, assessment)
    ASSESSMENT_TRANSITIONS.check(assessment.status, AssessmentStatus.DRAFT)
    assessment.candidates.filter(status=CandidateStatus.PROPOSED).delete()
    return move_audited(
        actor=actor,
        instance=assessment,
        table=ASSESSMENT_TRANSITIONS,
        target=AssessmentStatus.DRAFT,
        action="assessment.reopen",
        scope_path=assessment.body.owner_org.path,
    )


@transaction.atomic
def naming_candidate_propose(
    *, actor, assessment: Assessment, assessed_body, who: str, person_name: str, reason: str
) -> NamingCandidate:
    """Propose a body's committee, or a person answerable for its patrol work (its secretary, the
    discipline secretary, the organisation-department head), for naming.

    Raises ``PermissionDenied`` unless the actor is in the assessing office, and ``ValidationError``
    for an assessment already confirmed, a body that is not a lower body, or one proposed already."""
    selectors.ASSESSMENT_MANAGE.check(actor, assessment)
    if assessment.status == AssessmentStatus.CONFIRMED:
        raise ValidationError(_("考核结果已确定，不能再增加拟通报对象。"))
    _check_assessed(assessment, assessed_body)
    item = NamingCandidate(
        assessment=assessment,
        assessed_body=assessed_body,
        who=who,
        person_name=person_name.strip(),
        reason=reason.strip(),
    )
    return create_audited(
        actor=actor,
        instance=item,
        action="naming.propose",
        fields=("assessment", "assessed_body", "who", "person_name", "reason"),
        scope_path=assessed_body.owner_org.path,
    )


def _candidate_decide(actor, candidate, target, action, on) -> NamingCandidate:
    selectors.ASSESSMENT_MANAGE.check(actor, candidate)
    if candidate.assessment.status != AssessmentStatus.SCORED:
        raise ValidationError(_("考核排名后、结果确定前，才能决定是否通报。"))
    on = on or timezone.localdate()
    check_not_future(on, "on")
    return move_audited(
        actor=actor,
        instance=candidate,
        table=CANDIDATE_TRANSITIONS,
        target=target,
        action=action,
        scope_path=candidate.assessed_body.owner_org.path,
        decided_by=actor,
        decided_on=on,
    )


@transaction.atomic
def naming_candidate_confirm(
    *, actor, candidate: NamingCandidate, on: datetime.date | None = None
) -> NamingCandidate:
    """The office confirms a proposed candidate for the naming notice.

    Raises ``PermissionDenied`` unless the actor is in the assessing office, and ``ValidationError``
    for a candidate already decided, an assessment not ranked or confirmed, or a future day."""
    return _candidate_decide(actor, candidate, CandidateStatus.CONFIRMED, "naming.confirm", on)


@transaction.atomic
def naming_candidate_drop(
    *, actor, candidate: NamingCandidate, on: datetime.date | None = None
) -> NamingCandidate:
    """The office decides not to name a proposed candidate. Raises as ``naming_candidate_confirm``."""
    return _candidate_decide(actor, candidate, CandidateStatus.DROPPED, "naming.drop", on)


@transaction.atomic
def assessment_confirm(*, actor, assessment: Assessment) -> Assessment:
    """Confirm the result once every candidate is decided: its naming notice can then be made.

    Raises ``PermissionDenied`` unless the actor is in the assessing office, and ``ValidationError``
    for an assessment not ranked, or while a candidate is still proposed."""
    selectors.ASSESSMENT_MANAGE.check(actor, assessment)
    if assessment.candidates.filter(status=CandidateStatus.PROPOSED).exists():
        raise ValidationError(_("还有拟通报对象未决定。"))
    return move_audited(
        actor=actor,
        instance=assessment,
        table=ASSESSMENT_TRANSITIONS,
        target=AssessmentStatus.CONFIRMED,
        action="assessment.confirm",
        scope_path=assessment.body.owner_org.path,
    )
