"""The guidance pages: material review (M16), self-inspection (M7) and the yearly assessment (M17)
with its naming candidates (M18). Thin: read the request, call a selector or a service, render.

Every action is a POST to ``<record>/do/<action>/``: the record is fetched with the action's check
first (404 unseen, 403 not the guiding office), then the form is read; a refusal of the service comes
back as a message on the record's page."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lijian.accounts.models import User
from lijian.accounts.recipients import office_staff_by_body
from lijian.core.forms import add_service_errors
from lijian.core.lists import filtered, list_page
from lijian.core.permissions import Perm, permit, requires
from lijian.documents import attachments
from lijian.documents.models import Attachment
from lijian.findings.forms import AttachmentForm
from lijian.findings.views import upload_from_form
from lijian.orgs.models import Organization

from . import selectors, services, tables
from .choices import AssessmentStatus, CandidateStatus, IndicatorKind, ReviewStatus, SelfInspectionStatus
from .filters import AssessmentFilter, CandidateFilter, ReviewFilter, SelfInspectionFilter
from .forms import (
    AssessmentForm,
    CandidateForm,
    CloseForm,
    DayForm,
    DecideForm,
    FixForm,
    ItemForm,
    ReviewForm,
    ScoreForm,
    SelfInspectionForm,
    StartForm,
)

FORM = "guidance/form.html"
VIEW, MANAGE = Perm.GOVERNANCE_VIEW, Perm.GOVERNANCE_MANAGE


def _refused(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def _invalid(request, form) -> None:
    errors = [
        _("%(field)s：%(errors)s")
        % {"field": form.fields[k].label if k in form.fields else "", "errors": " ".join(v)}
        for k, v in form.errors.items()
    ]
    messages.error(request, _("未办理：%(errors)s") % {"errors": _("；").join(errors)})


def _act(request, form, call, success: str, back: str):
    """Run ``call(**cleaned_data)`` (a service with its record bound) for a valid ``form`` and go back to ``back``; an
    invalid form or a refusal is said in a message on that page."""
    if not form.is_valid():
        _invalid(request, form)
        return redirect(back)
    try:
        call(**form.cleaned_data)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, success)
    return redirect(back)


def _create_page(request, form, save, *, success: str, title, back: str):
    if request.method == "POST" and form.is_valid():
        try:
            item = save(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect(item.get_absolute_url())
    return render(request, FORM, {"form": form, "title": title, "back": back})


@requires(VIEW)
def index(request):
    """The three parts of guidance, with how many records of each the user sees and waits on."""
    reviews = selectors.material_reviews_visible(request.user)
    return render(
        request,
        "guidance/index.html",
        {
            "review_counts": selectors.review_counts(reviews),
            "reviews_waiting": reviews.filter(
                status__in=(ReviewStatus.RECEIVED, ReviewStatus.RESUBMITTED, ReviewStatus.UNDER_REVIEW)
            ).count(),
            "self_inspections_open": selectors.self_inspections_visible(request.user)
            .filter(status=SelfInspectionStatus.OPEN)
            .count(),
            "assessments": selectors.assessments_visible(request.user)[:5],
        },
    )


# --- M16 material review -----------------------------------------------------------------------------


@requires(VIEW)
def reviews(request):
    return list_page(
        request,
        tables.REVIEWS,
        selectors.material_reviews_visible(request.user),
        filterset=ReviewFilter(request.GET or None),
        context={"can_record": selectors.bodies_managed(request.user).exists()},
    )


def _lower_committees(bodies):
    paths = [b.owner_org.path for b in bodies]
    owners = Organization.objects.filter(bodies__level="patrol").distinct().order_by("path")
    return owners.filter(
        pk__in=[o.pk for o in owners if any(o.path.startswith(p) and o.path != p for p in paths)]
    )


@requires(MANAGE)
def review_new(request):
    bodies = list(selectors.bodies_managed(request.user))
    permit(bool(bodies), _("只有巡视巡察办可以登记专题会材料。"))
    form = ReviewForm(
        request.POST or None,
        bodies=selectors.bodies_managed(request.user),
        organizations=_lower_committees(bodies),
    )
    return _create_page(
        request,
        form,
        lambda data: services.material_review_receive(actor=request.user, **data),
        success=_("专题会材料已登记。"),
        title=_("登记专题会材料"),
        back=reverse("guidance:reviews"),
    )


def _reviewers(body, user):
    """Whom a round may be given to: the office staff of the reviewing body, and the user."""
    staff = office_staff_by_body([body])[body.pk] | {user.pk}
    return User.objects.filter(pk__in=staff, is_active=True).order_by("username")


@requires(VIEW)
def review_detail(request, pk: int):
    review = selectors.review_get(request.user, pk)
    manage = selectors.can_manage(request.user, review)
    return render(
        request,
        "guidance/review.html",
        {
            "review": review,
            "rounds": review.rounds.select_related("reviewer"),
            "manage": manage,
            "start_form": StartForm(
                reviewers=_reviewers(review.body, request.user), initial={"reviewer": request.user.pk}
            )
            if manage
            else None,
            "decide_form": DecideForm(),
            "day_form": DayForm(),
            "files": attachments.attachments_of(review),
            "can_attach": manage,
            "attachment_form": AttachmentForm(),
        },
    )


@requires(MANAGE)
@require_POST
def review_action(request, pk: int, action: str):
    review = selectors.review_get(request.user, pk, selectors.REVIEW_MANAGE)
    back = reverse("guidance:review", args=[review.pk])
    bound = {"actor": request.user, "review": review}
    if action == "start":
        form = StartForm(request.POST, reviewers=_reviewers(review.body, request.user))
        return _act(request, form, partial(services.material_review_start, **bound), _("已开始审阅。"), back)
    if action == "return":
        call = partial(services.material_review_return, **bound)
        return _act(request, DecideForm(request.POST), call, _("已退回修改，审阅意见已记录。"), back)
    if action == "accept":
        call = partial(services.material_review_accept, **bound)
        return _act(request, DecideForm(request.POST), call, _("审阅通过。"), back)
    if action == "resubmit":
        call = partial(services.material_review_resubmit, **bound)
        return _act(request, DayForm(request.POST), call, _("已登记重新报送的材料。"), back)
    raise Http404


@requires(MANAGE)
@require_POST
def review_attach(request, pk: int):
    review = selectors.review_get(request.user, pk, selectors.REVIEW_MANAGE)
    upload_from_form(request, review, _("材料已上传。"))
    return redirect(reverse("guidance:review", args=[review.pk]) + "#files")


@requires(VIEW)
def review_file(request, pk: int):
    attachment = Attachment.objects.filter(pk=pk, owner_type="guidance.materialreview").first()
    if attachment is None:
        raise Http404
    return attachments.attachment_response(actor=request.user, attachment=attachment)  # 404 unless visible


# --- M7 self-inspection ------------------------------------------------------------------------------


@requires(VIEW)
def self_inspections(request):
    return list_page(
        request,
        tables.SELF_INSPECTIONS,
        selectors.self_inspections_visible(request.user),
        filterset=SelfInspectionFilter(request.GET or None),
        context={"can_record": selectors.bodies_managed(request.user).exists()},
    )


@requires(MANAGE)
def self_inspection_new(request):
    bodies = selectors.bodies_managed(request.user)
    permit(bodies.exists(), _("只有巡视巡察办可以开展自查。"))
    return _create_page(
        request,
        SelfInspectionForm(request.POST or None, bodies=bodies),
        lambda data: services.self_inspection_open(actor=request.user, **data),
        success=_("自查已开展，请登记自查事项。"),
        title=_("开展自查"),
        back=reverse("guidance:self_inspections"),
    )


@requires(VIEW)
def self_inspection_detail(request, pk: int):
    item = selectors.self_inspection_get(request.user, pk)
    editable = selectors.can_manage(request.user, item) and item.status == SelfInspectionStatus.OPEN
    problems = item.items.filter(problem_found=True)
    return render(
        request,
        "guidance/self_inspection.html",
        {
            "item": item,
            "items": item.items.all(),
            "notice": selectors.self_inspection_notice_content(item),
            "editable": editable,
            "item_form": ItemForm() if editable else None,
            "fix_form": FixForm(items=problems) if editable and problems.exists() else None,
            "close_form": CloseForm() if editable else None,
        },
    )


@requires(MANAGE)
@require_POST
def self_inspection_action(request, pk: int, action: str):
    item = selectors.self_inspection_get(request.user, pk, selectors.SELF_INSPECTION_MANAGE)
    back = reverse("guidance:self_inspection", args=[item.pk])
    if action == "item":
        call = partial(services.self_inspection_item_add, actor=request.user, inspection=item)
        return _act(request, ItemForm(request.POST), call, _("自查事项已登记。"), back)
    if action == "fix":
        form = FixForm(request.POST, items=item.items.all())
        call = partial(services.self_inspection_item_fix, actor=request.user)
        return _act(request, form, call, _("整改情况已记录。"), back)
    if action == "close":
        call = partial(services.self_inspection_close, actor=request.user, inspection=item)
        return _act(request, CloseForm(request.POST), call, _("自查已完成，可据此通报结果。"), back)
    raise Http404


# --- M17 assessment, M18 naming candidates ---------------------------------------------------------


@requires(VIEW)
def assessments(request):
    return list_page(
        request,
        tables.ASSESSMENTS,
        selectors.assessments_visible(request.user),
        filterset=AssessmentFilter(request.GET or None),
        context={"can_record": selectors.bodies_managed(request.user).exists()},
    )


@requires(MANAGE)
def assessment_new(request):
    bodies = selectors.bodies_managed(request.user)
    permit(bodies.exists(), _("只有巡视巡察办可以开展考核。"))
    return _create_page(
        request,
        AssessmentForm(request.POST or None, bodies=bodies),
        lambda data: services.assessment_create(actor=request.user, **data),
        success=_("考核已开展：请按数据计算得分，并对评议指标打分。"),
        title=_("开展年度考核"),
        back=reverse("guidance:assessments"),
    )


def _judgement_indicators():
    return selectors.indicators_active().filter(kind=IndicatorKind.JUDGEMENT)


@requires(VIEW)
def assessment_detail(request, pk: int):
    assessment = selectors.assessment_get(request.user, pk)
    manage = selectors.can_manage(request.user, assessment)
    indicators, rows = selectors.score_table(assessment)
    lower = selectors.assessed_bodies(assessment)
    draft = assessment.status == AssessmentStatus.DRAFT
    asked = CandidateFilter(request.GET or None)
    candidates, status = filtered(asked, assessment.candidates.select_related("assessed_body", "decided_by"))
    return render(
        request,
        "guidance/assessment.html",
        {
            "assessment": assessment,
            "indicators": indicators,
            "rows": rows,
            "candidates": selectors.candidates_in_order(assessment, candidates),
            "form": asked.form,
            "narrowed": asked.is_bound
            and status == 200
            and any(asked.form.cleaned_data.get(k) for k in asked.filters),
            "notice": selectors.naming_notice_content(assessment),
            "manage": manage,
            "draft": draft,
            "score_form": ScoreForm(bodies=lower, indicators=_judgement_indicators())
            if manage and draft
            else None,
            "candidate_form": CandidateForm(bodies=lower)
            if manage and assessment.status != AssessmentStatus.CONFIRMED
            else None,
            "can_confirm": manage
            and assessment.status == AssessmentStatus.SCORED
            and not assessment.candidates.filter(status=CandidateStatus.PROPOSED).exists(),
        },
        status=status,
    )


@requires(MANAGE)
@require_POST
def assessment_action(request, pk: int, action: str):
    assessment = selectors.assessment_get(request.user, pk, selectors.ASSESSMENT_MANAGE)
    back = reverse("guidance:assessment", args=[assessment.pk])
    bound = {"actor": request.user, "assessment": assessment}
    if action == "score":
        form = ScoreForm(
            request.POST, bodies=selectors.assessed_bodies(assessment), indicators=_judgement_indicators()
        )
        return _act(request, form, partial(services.assessment_score_set, **bound), _("得分已记录。"), back)
    if action == "candidate":
        form = CandidateForm(request.POST, bodies=selectors.assessed_bodies(assessment))
        call = partial(services.naming_candidate_propose, **bound)
        return _act(request, form, call, _("已列入拟通报名单。"), back)
    simple = {
        "compute": (services.assessment_compute, _("数据指标得分已按各机构的统计数字计算。")),
        "rank": (services.assessment_rank, _("已排名，排名靠后的机构已列入拟通报名单。")),
        "reopen": (services.assessment_reopen, _("已退回评分。")),
        "confirm": (services.assessment_confirm, _("考核结果已确定。")),
    }
    if action not in simple:
        raise Http404
    call, success = simple[action]
    try:
        call(**bound)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, success)
    return redirect(back)


@requires(MANAGE)
@require_POST
def candidate_action(request, pk: int, action: str):
    candidate = selectors.candidate_get(request.user, pk, selectors.ASSESSMENT_MANAGE)
    decide = {"confirm": services.naming_candidate_confirm, "drop": services.naming_candidate_drop}.get(
        action
    )
    if decide is None:
        raise Http404
    try:
        decide(actor=request.user, candidate=candidate)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("已确定通报。") if action == "confirm" else _("已决定不予通报。"))
    return redirect(reverse("guidance:assessment", args=[candidate.assessment_id]) + "#candidates")
