"""Supervision of rectification (督办), its evaluation (整改评估), the look-back list and the interviews
a poor evaluation proposes. (Who may read supervision records and evaluations: ``selectors``.)

The office of the body that fed the problems back records both. A supervision record tells the
organisation's liaisons in-app; an evaluation scores the indicators of ``EVALUATION_INDICATORS`` (100
in all) into a grade, and a poor grade (差) puts the organisation on the body's look-back list and
proposes an interview of its top leader — the office's staff are told, and the proposal stays open
until an interview is linked to the evaluation.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lijian.accounts.recipients import liaisons_by_path, office_staff_by_body
from lijian.core.audit import audit_record, create_audited
from lijian.core.messages import MessageDraft, messages_send_many
from lijian.inspections.models import Inspection
from lijian.orgs.models import Organization

from . import selectors
from .choices import EVALUATION_INDICATORS, GRADE_FLOORS, Grade
from .models import Evaluation, Interview, RectificationTask, Supervision
from .rates import organizations_in_period, rectification_rates
from .services import _check_org

# Labels of the audit actions written here (registered by the app's ``ready``).
AUDIT_ACTIONS = {
    "supervision.record": gettext_lazy("登记督办"),
    "evaluation.record": gettext_lazy("登记整改评估"),
    "evaluation.link_interview": gettext_lazy("整改评估关联约谈"),
}


# --- supervision (督办) ---------------------------------------------------------------------------


def check_supervision(body, organization, held_on: datetime.date, inspection=None, task=None) -> None:
    """Raise ``ValidationError`` for an organisation outside the body's scope, a future date, or an
    inspection or task that is not the body's work on that organisation (the task within the
    inspection, when both are named): the rules of ``supervision_record`` and supervisions.csv."""
    _check_org(body, organization, held_on, "held_on")
    if inspection is not None and (
        inspection.organization_id != organization.pk or inspection.round.body_id != body.pk
    ):
        raise ValidationError({"inspection": _("该巡视巡察不是本机构对该党组织的巡视巡察。")})
    if task is not None:
        of = task.problem.inspection
        if of.organization_id != organization.pk or of.round.body_id != body.pk:
            raise ValidationError({"task": _("该整改任务不属于本机构对该党组织反馈的问题。")})
        if inspection is not None and of.pk != inspection.pk:
            raise ValidationError({"task": _("该整改任务不属于所选的巡视巡察。")})


@transaction.atomic
def supervision_record(
    *,
    actor,
    body,
    organization,
    method: str,
    held_on: datetime.date,
    content: str,
    result: str = "",
    inspection=None,
    task: RectificationTask | None = None,
) -> Supervision:
    """督办: the office of ``body`` presses ``organization`` (optionally on one inspection or one task)
    on its rectification; the organisation's liaisons are told in-app.

    Raises ``PermissionDenied`` unless the actor manages the body's rounds, and ``ValidationError``
    for an organisation outside the body's scope, a future date, an unknown method, empty content,
    or an inspection or task that is not the body's work on that organisation."""
    selectors.SUPERVISE.check(actor, body)
    check_supervision(body, organization, held_on, inspection, task)
    item = Supervision(
        body=body,
        organization=organization,
        inspection=inspection,
        task=task,
        method=method,
        held_on=held_on,
        content=content.strip(),
        result=result.strip(),
        recorded_by=actor,
    )
    create_audited(
        actor=actor,
        instance=item,
        action="supervision.record",
        fields=("organization", "method", "held_on", "inspection", "task"),
        scope_path=organization.path,
    )
    text = _("%(body)s对本单位整改工作%(method)s（%(day)s）：%(content)s") % {
        "body": body.name,
        "method": item.get_method_display(),
        "day": held_on.isoformat(),
        "content": item.content,
    }
    url = (
        reverse("rectification:inspection", kwargs={"pk": inspection.pk})
        if inspection is not None
        else reverse("rectification:index")
    )
    messages_send_many(
        MessageDraft(user, f"supervision:{item.pk}", text, url)
        for user in liaisons_by_path([organization.path])[organization.path]
    )
    return item


# --- evaluation (整改评估) ------------------------------------------------------------------------


def grade_for(total: int) -> str:
    """The grade of a total out of 100: 好 from 90, 较好 from 75, 一般 from 60, 差 below."""
    for grade, floor in GRADE_FLOORS:
        if total >= floor:
            return grade
    return Grade.POOR


def check_evaluable(body, organization, term, evaluated_on: datetime.date) -> None:
    """Raise ``ValidationError`` for an organisation outside the body's scope, a future date, a term
    of another body, or an organisation the body had not fed problems back to in the term by
    ``evaluated_on``: the rules of ``evaluation_record`` and evaluations.csv."""
    _check_org(body, organization, evaluated_on, "evaluated_on")
    if term.body_id != body.pk:
        raise ValidationError({"term": _("该届次不属于本机构。")})
    fed_back = Inspection.objects.filter(
        round__body=body, round__term=term, organization=organization, feedback_date__lte=evaluated_on
    )
    if not fed_back.exists():
        raise ValidationError(_("本机构本届尚未向该党组织反馈问题，不能评估整改。"))


def check_scores(scores: dict) -> dict[str, int]:
    """The scores of every indicator of ``EVALUATION_INDICATORS``, checked: ``ValidationError`` for an
    unknown indicator, a missing score or one that is no integer from 0 to the indicator's full marks."""
    known = {key: (label, full) for key, label, full in EVALUATION_INDICATORS}
    unknown = sorted(set(scores) - set(known))
    if unknown:
        raise ValidationError({"scores": _("没有这些评估指标：%(keys)s。") % {"keys": "、".join(unknown)}})
    errors = []
    clean = {}
    for key, (label, full) in known.items():
        value = scores.get(key)
        if value is None or value == "":
            errors.append(_("请给“%(label)s”打分。") % {"label": label})
        elif isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= full:
            errors.append(
                _("“%(label)s”的得分应为 0 到 %(full)s 之间的整数。") % {"label": label, "full": full}
            )
        else:
            clean[key] = value
    if errors:
        raise ValidationError({"scores": errors})
    return clean


@transaction.atomic
def evaluation_record(
    *,
    actor,
    body,
    organization,
    term,
    evaluated_on: datetime.date,
    scores: dict[str, int],
    notes: str = "",
) -> Evaluation:
    """整改评估 of an organisation the body fed problems back to in ``term``: every indicator scored
    (integers from 0 to its full marks), the total their sum, the grade from ``GRADE_FLOORS``. A
    poor grade puts the organisation on the look-back list and proposes an interview of its top
    leader; the body's office staff are told.

    Raises ``PermissionDenied`` unless the actor manages the body's rounds, and ``ValidationError``
    for a missing, unknown or out-of-range score, a term of another body, a future date, or an
    organisation not fed back by the body in the term by that date."""
    selectors.EVALUATE.check(actor, body)
    check_evaluable(body, organization, term, evaluated_on)
    clean = check_scores(scores)
    total = sum(clean.values())
    item = Evaluation(
        body=body,
        organization=organization,
        term=term,
        evaluated_on=evaluated_on,
        scores=clean,
        total=total,
        grade=grade_for(total),
        notes=notes.strip(),
        recorded_by=actor,
    )
    create_audited(
        actor=actor,
        instance=item,
        action="evaluation.record",
        fields=("organization", "term", "evaluated_on", "scores", "total", "grade"),
        scope_path=organization.path,
    )
    if item.grade == Grade.POOR:
        text = _("%(org)s整改评估为“差”（%(total)s 分），已列入“回头看”名单，建议约谈其主要负责人。") % {
            "org": organization.name,
            "total": total,
        }
        messages_send_many(
            MessageDraft(user, f"evaluation-poor:{item.pk}", text, reverse("rectification:evaluations"))
            for user in office_staff_by_body([body])[body.pk]
        )
    return item


def evaluation_suggest(organization, body, term, on: datetime.date) -> dict[str, int]:
    """Starting scores the data supports, for the office to confirm or change: 问题整改完成情况 from
    the completion rate (rate × 30) and 对账销号质量 from the implementation rate (rate × 20), rounded,
    each left out while its rate has nothing to count, and both left out inside the organisation's
    rectification period (a low rate there is work not yet due, not a poor result). The other
    indicators are the office's call."""
    if organizations_in_period(body, term, on, organization):
        return {}
    full = {key: marks for key, _label, marks in EVALUATION_INDICATORS}
    rates = rectification_rates(organization, body, term, on)
    suggested = {}
    for key, rate in (("completion", rates["completion_rate"]), ("closing", rates["implementation_rate"])):
        if rate.denominator:
            suggested[key] = round(rate.numerator * full[key] / rate.denominator)
    return suggested


def look_back_list(body, term) -> QuerySet[Organization]:
    """回头看名单: the organisations whose latest evaluation by ``body`` in ``term`` is poor (a later,
    better evaluation takes an organisation off the list), by tree order. The caller has checked
    that the user may see the body's rectification."""
    latest = (
        Evaluation.objects.filter(body=body, term=term, organization=OuterRef("pk"))
        .order_by("-evaluated_on", "-pk")
        .values("grade")[:1]
    )
    evaluated = Evaluation.objects.filter(body=body, term=term).values("organization")
    return (
        Organization.objects.filter(pk__in=evaluated)
        .annotate(latest_grade=Subquery(latest))
        .filter(latest_grade=Grade.POOR)
        .order_by("path")
    )


def interviews_proposed(body, term) -> QuerySet[Evaluation]:
    """Poor evaluations by ``body`` in ``term`` with no interview linked yet: each proposes an
    interview of the organisation's top leader. Oldest first (the longest waiting)."""
    return (
        Evaluation.objects.filter(body=body, term=term, grade=Grade.POOR, interview__isnull=True)
        .select_related("organization")
        .order_by("evaluated_on", "pk")
    )


def check_interview_answers(evaluation: Evaluation, interview: Interview) -> None:
    """Raise ``ValidationError`` (on ``interview``) for an interview of another organisation or held
    before the evaluation: the rules of ``evaluation_link_interview`` and evaluations.csv."""
    if interview.organization_id != evaluation.organization_id:
        raise ValidationError({"interview": _("该约谈不是对被评估党组织的约谈。")})
    if interview.held_on < evaluation.evaluated_on:
        raise ValidationError({"interview": _("约谈日期早于评估日期，不能作为本次评估的约谈。")})


@transaction.atomic
def evaluation_link_interview(*, actor, evaluation: Evaluation, interview: Interview) -> Evaluation:
    """Record that ``interview`` answers the evaluation (closing its proposal).

    Raises ``PermissionDenied`` unless the actor manages the evaluating body's rounds, and
    ``ValidationError`` for an interview of another organisation or held before the evaluation."""
    selectors.EVALUATE.check(actor, evaluation)
    check_interview_answers(evaluation, interview)
    before = {"interview": evaluation.interview_id}
    evaluation.interview = interview
    evaluation.save(update_fields=["interview"])
    audit_record(
        actor=actor,
        action="evaluation.link_interview",
        obj=evaluation,
        before=before,
        after={"interview": interview.pk},
        scope_path=evaluation.organization.path,
    )
    return evaluation
