"""The office's pressing on rectification: self-criticisms, supervision, evaluation, interviews,
accountability and disclosure (双公开), and the public disclosure page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lijian.core.errors import PublicNotFound
from lijian.core.forms import add_service_errors, form_page
from lijian.core.lists import list_page
from lijian.core.params import query_id
from lijian.core.permissions import Perm, requires
from lijian.findings.models import Problem
from lijian.orgs.models import Organization

from . import selectors, services, tables
from .choices import Audience, SelfCriticismStatus
from .disclosure import disclosable_problems, disclosed_rates, disclosure_publish, disclosure_withdraw
from .disclosure import public_disclosures as public_disclosures_of
from .filters import AccountabilityFilter, InterviewFilter
from .forms import (
    AccountabilityForm,
    DisclosureForm,
    EvaluationForm,
    InterviewForm,
    RatesFilterForm,
    ReasonForm,
    SelfCriticismForm,
    SupervisionForm,
)
from .models import Disclosure
from .supervision import (
    evaluation_link_interview,
    evaluation_record,
    evaluation_suggest,
    interviews_proposed,
    look_back_list,
    supervision_record,
)

FORM = "rectification/form.html"


# --- self-criticisms -------------------------------------------------------------------------------


@requires(Perm.RECTIFICATION_VIEW)
def self_criticisms(request):
    """Self-criticisms owed, submitted and accepted; the office assesses a body's organisations."""
    bodies = selectors.bodies_fed_back(request.user)
    if request.method != "POST":
        managed = list(selectors.bodies_managed(request.user))
    else:
        # who may assess is settled before the form is read; the form offers only their bodies
        managed = selectors.office_bodies(request.user, selectors.SELF_CRITICISM_DECIDE)
        form = RatesFilterForm(request.POST, bodies=bodies.filter(pk__in=[b.pk for b in managed]))
        if form.is_valid() and form.cleaned_data["body"] is not None:
            body = form.cleaned_data["body"]
            on = form.cleaned_data["on"] or timezone.localdate()
            term = body.terms.filter(start__lte=on).order_by("-start").first()
            if term is None:
                messages.error(request, _("该机构在参考日期没有届次。"))
                return redirect("rectification:self_criticisms")
            try:
                made = services.self_criticisms_assess(actor=request.user, body=body, term=term, on=on)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(
                    request,
                    _("已认定：%(n)s 个党组织整改落实到位率低于警戒线，须作深刻检查。") % {"n": len(made)},
                )
            return redirect("rectification:self_criticisms")
        messages.error(request, _("请选择本机构。"))
    urgency = Case(
        When(status=SelfCriticismStatus.SUBMITTED, then=0),  # awaiting the office
        When(status=SelfCriticismStatus.DUE, then=1),
        When(status=SelfCriticismStatus.RETURNED, then=2),
        default=3,
    )
    rows = selectors.self_criticisms_visible(request.user).annotate(urgency=urgency)
    return list_page(
        request,
        tables.SELF_CRITICISMS,
        rows,
        context={
            "assess_form": RatesFilterForm(bodies=bodies.filter(pk__in=[b.pk for b in managed]))
            if managed
            else None,
            "today": timezone.localdate(),
        },
    )


# action posted on a self-criticism: who may take it (checked before the form is read)
SELF_CRITICISM_ACTIONS = {
    "submit": selectors.SELF_CRITICISM_SUBMIT,
    "accept": selectors.SELF_CRITICISM_DECIDE,
    "return": selectors.SELF_CRITICISM_DECIDE,
}


@requires(Perm.RECTIFICATION_VIEW)
def self_criticism_detail(request, pk: int):
    item = selectors.self_criticism_get(request.user, pk)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in SELF_CRITICISM_ACTIONS:
            raise Http404
        SELF_CRITICISM_ACTIONS[action].check(request.user, item)
    can_submit = selectors.is_liaison_of(request.user, item.organization) and item.status in (
        SelfCriticismStatus.DUE,
        SelfCriticismStatus.RETURNED,
    )
    can_decide = (
        selectors.is_office_managing(request.user, item.body) and item.status == SelfCriticismStatus.SUBMITTED
    )
    form = SelfCriticismForm(request.POST or None) if can_submit else None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "submit" and form is not None and form.is_valid():
                services.self_criticism_submit(actor=request.user, item=item, text=form.cleaned_data["text"])
                messages.success(request, _("深刻检查已提交。"))
                return redirect("rectification:self_criticism", pk=item.pk)
            if action == "accept":
                services.self_criticism_accept(actor=request.user, item=item)
                messages.success(request, _("深刻检查已通过。"))
                return redirect("rectification:self_criticism", pk=item.pk)
            if action == "return":
                services.self_criticism_return(
                    actor=request.user, item=item, reason=request.POST.get("reason", "")
                )
                messages.success(request, _("深刻检查已退回重写。"))
                return redirect("rectification:self_criticism", pk=item.pk)
        except ValidationError as exc:
            if form is not None:
                add_service_errors(form, exc)
            else:
                messages.error(request, " ".join(exc.messages))
    return render(
        request,
        "rectification/self_criticism.html",
        {"item": item, "form": form, "can_decide": can_decide, "reason_form": ReasonForm()},
    )


# --- interviews and accountability -----------------------------------------------------------------


@requires(Perm.RECTIFICATION_VIEW)
def interviews(request):
    asked = InterviewFilter(request.GET or None)
    managed = list(selectors.bodies_managed(request.user))
    proposed = [e for body in managed for term in body.terms.all() for e in interviews_proposed(body, term)]
    return list_page(
        request,
        tables.INTERVIEWS,
        selectors.interviews_visible(request.user),
        filterset=asked,
        context={"can_record": bool(managed), "proposed": proposed, "narrowed": narrowed(asked)},
    )


def narrowed(asked) -> bool:
    """Whether the bound, valid filter set ``asked`` narrows the list (a count's link set a filter)."""
    return asked.is_bound and asked.is_valid() and any(asked.form.cleaned_data.get(k) for k in asked.filters)


def _org_for(form, code: str):
    organization = Organization.objects.filter(code=code.strip()).first()
    if organization is None:
        form.add_error("organization", _("没有代码为“%(code)s”的党组织。") % {"code": code})
    return organization


@requires(Perm.ROUND_MANAGE)
def interview_new(request):
    bodies = selectors.office_bodies(request.user, selectors.INTERVIEW_RECORD)
    evaluation = None
    evaluation_id = query_id(request, "evaluation", label=_("整改评估"))
    if evaluation_id is not None:
        evaluation = get_object_or_404(
            selectors.evaluations_visible(request.user), pk=evaluation_id, interview__isnull=True
        )
    initial = (
        {"organization": evaluation.organization.code, "reason": _("整改评估等次为“差”")}
        if evaluation
        else {}
    )
    form = InterviewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organization = _org_for(form, data.pop("organization"))
        body = evaluation.body if evaluation else _body_of(bodies, organization)
        if organization is not None:
            try:
                with transaction.atomic():  # an interview that cannot answer its evaluation is not kept
                    item = services.interview_record(
                        actor=request.user, body=body, organization=organization, **data
                    )
                    if evaluation is not None:
                        evaluation_link_interview(actor=request.user, evaluation=evaluation, interview=item)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("约谈已登记。"))
                return redirect("rectification:interviews")
    return render(
        request,
        FORM,
        {"form": form, "title": _("登记约谈"), "back": reverse("rectification:interviews")},
    )


def _body_of(bodies, organization):
    """The managed body whose jurisdiction holds ``organization`` (the closest committee's)."""
    if organization is None:
        return bodies[0]
    fitting = [b for b in bodies if organization.path.startswith(b.owner_org.path)]
    return max(fitting, key=lambda b: len(b.owner_org.path)) if fitting else bodies[0]


@requires(Perm.RECTIFICATION_VIEW)
def accountability(request):
    asked = AccountabilityFilter(request.GET or None)
    return list_page(
        request,
        tables.ACCOUNTABILITY,
        selectors.accountability_visible(request.user).select_related(
            "inspection__round__body", "inspection__round__term"
        ),
        filterset=asked,
        context={"can_record": selectors.bodies_managed(request.user).exists(), "narrowed": narrowed(asked)},
    )


@requires(Perm.ROUND_MANAGE)
def accountability_new(request):
    bodies = selectors.office_bodies(request.user, selectors.ACCOUNTABILITY_RECORD)
    form = AccountabilityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organization = _org_for(form, data.pop("organization"))
        ref = data.pop("problem").strip()
        problem = Problem.objects.filter(ref=ref).first() if ref else None
        if ref and problem is None:
            form.add_error("problem", _("没有编号为“%(ref)s”的问题。") % {"ref": ref})
        if organization is not None and not form.errors:
            inspection = None
            if problem is None:
                inspection = (
                    organization.inspections.exclude(feedback_date=None).order_by("-feedback_date").first()
                )
            try:
                services.accountability_record(
                    actor=request.user,
                    body=_body_of(bodies, organization),
                    organization=organization,
                    problem=problem,
                    inspection=inspection,
                    **data,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("问责已登记。"))
                return redirect("rectification:accountability")
    return render(
        request,
        FORM,
        {"form": form, "title": _("登记问责"), "back": reverse("rectification:accountability")},
    )


# --- supervision and evaluation --------------------------------------------------------------------


@requires(Perm.ROUND_MANAGE)
def supervise(request, pk: int):
    inspection = selectors.inspection_get(request.user, pk, selectors.SUPERVISE)
    form = SupervisionForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda data: supervision_record(
            actor=request.user,
            body=inspection.round.body,
            organization=inspection.organization,
            inspection=inspection,
            **data,
        ),
        success=_("督办已登记，已通知被巡视巡察党组织的联络员。"),
        done=lambda item: reverse("rectification:inspection", args=[inspection.pk]) + "#supervision",
        template=FORM,
        context={
            "title": _("督办：%(org)s") % {"org": inspection.organization.name},
            "inspection": inspection,
            "back": reverse("rectification:inspection", args=[inspection.pk]),
        },
    )


@requires(Perm.ROUND_MANAGE)
def evaluate(request, pk: int):
    inspection = selectors.inspection_get(request.user, pk, selectors.EVALUATE)
    body, term = inspection.round.body, inspection.round.term
    suggested = evaluation_suggest(inspection.organization, body, term, timezone.localdate())
    form = EvaluationForm(request.POST or None, initial={f"score_{k}": v for k, v in suggested.items()})
    if request.method == "POST" and form.is_valid():
        try:
            item = evaluation_record(
                actor=request.user,
                body=body,
                organization=inspection.organization,
                term=term,
                evaluated_on=form.cleaned_data["evaluated_on"],
                scores=form.scores(),
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("评估已登记：%(total)s 分，等次“%(grade)s”。")
                % {"total": item.total, "grade": item.get_grade_display()},
            )
            if item.on_look_back_list:
                messages.warning(request, _("等次为“差”：已列入回头看名单，并建议约谈其主要负责人。"))
            return redirect(reverse("rectification:inspection", args=[inspection.pk]) + "#evaluation")
    return render(
        request,
        FORM,
        {
            "form": form,
            "title": _("整改评估：%(org)s") % {"org": inspection.organization.name},
            "inspection": inspection,
            "back": reverse("rectification:inspection", args=[inspection.pk]),
            "help": _("完成情况和销号质量两项已按整改率预填，可调整。"),
        },
    )


@requires(Perm.RECTIFICATION_VIEW)
def evaluations(request):
    rows = selectors.evaluations_visible(request.user)
    look_back = []
    for body in selectors.bodies_fed_back(request.user):
        for term in body.terms.all():
            # only organisations whose evaluations the user may see (a liaison: their own)
            listed = look_back_list(body, term).filter(pk__in=rows.values("organization"))
            look_back += [(body, org) for org in listed]
    return list_page(request, tables.EVALUATIONS, rows, context={"look_back": look_back})


# --- disclosure (双公开) ---------------------------------------------------------------------------


@requires(Perm.ROUND_MANAGE)
def disclose(request, pk: int):
    inspection = selectors.inspection_get(request.user, pk, selectors.DISCLOSE)
    form = DisclosureForm(
        request.POST or None,
        problems=disclosable_problems(inspection),
        initial={"title": _("%(org)s巡视巡察整改情况") % {"org": inspection.organization.name}},
    )
    return form_page(
        request,
        form,
        lambda data: disclosure_publish(actor=request.user, inspection=inspection, **data),
        success=_("已发布。"),
        done=lambda item: reverse("rectification:inspection", args=[inspection.pk]) + "#disclosure",
        template=FORM,
        context={
            "title": _("整改公开：%(org)s") % {"org": inspection.organization.name},
            "inspection": inspection,
            "back": reverse("rectification:inspection", args=[inspection.pk]),
            "help": _("向社会公开的内容任何人无需登录即可查看：请勿写入线索、信访件和未经决定公开的人名。"),
        },
    )


@requires(Perm.ROUND_MANAGE)
@require_POST
def disclosure_take_down(request, pk: int):
    item = selectors.disclosure_get(request.user, pk, selectors.DISCLOSE)
    try:
        disclosure_withdraw(actor=request.user, disclosure=item)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已撤回。"))
    return redirect(reverse("rectification:inspection", args=[item.inspection_id]) + "#disclosure")


@requires(Perm.RECTIFICATION_VIEW)
def disclosures(request):
    rows = selectors.disclosures_visible(request.user)
    return render(
        request,
        "rectification/disclosures.html",
        {"items": [(d, disclosed_rates(d)) for d in rows[:100]], "public": False},
    )


@requires(Perm.PUBLIC)
def public_disclosures(request, code: str):
    """Login-free: what the committee chose to disclose of one organisation's rectification."""
    organization = Organization.objects.filter(code=code).first()
    # only organisations the committee ever disclosed to the public have a page (the page stays,
    # empty, after a withdrawal)
    if (
        organization is None
        or not Disclosure.objects.filter(
            inspection__organization=organization, audience=Audience.PUBLIC
        ).exists()
    ):
        raise PublicNotFound(_("没有查到该单位公开的巡视巡察整改情况，请核对链接。"))
    items = [(d, disclosed_rates(d)) for d in public_disclosures_of(organization)]
    return render(
        request,
        "rectification/public.html",
        {"organization": organization, "items": items, "public": True},
    )
