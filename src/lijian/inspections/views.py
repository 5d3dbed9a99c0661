import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lijian.core.forms import form_page
from lijian.core.lists import list_page
from lijian.core.params import parse_id
from lijian.core.permissions import Perm, requires
from lijian.core.registry import panels_render
from lijian.orgs.models import Organization
from lijian.orgs.selectors import body_get, term_current
from lijian.people.models import Cadre
from lijian.people.selectors import pool_for_body

from . import round_staffing, selectors, services, tables, term_coverage
from .choices import member_role_rank, next_stage_actions
from .filters import RoundFilter
from .forms import (
    ActivityForm,
    CoreStaffForm,
    DateForm,
    MemberForm,
    PlanForm,
    ReasonForm,
    RiskForm,
    RoundEditForm,
    RoundForm,
    RulesForm,
    TargetsForm,
)
from .models import PlanRun

FORM = "orgs/form.html"
MEMBER_ACTIONS = (
    ("leader", gettext_lazy("设为组长")),
    ("deputy", gettext_lazy("设为副组长")),
    ("remove", gettext_lazy("移出")),
)


@requires(Perm.ROUND_VIEW)
def rounds(request):
    asked = RoundFilter(request.GET or None)
    narrowed = (
        asked.is_bound and asked.is_valid() and any(asked.form.cleaned_data.get(k) for k in asked.filters)
    )
    return list_page(
        request,
        tables.ROUNDS,
        selectors.rounds_visible(request.user),
        filterset=asked,
        context={"mine": selectors.my_group_inspections(request.user)[:50], "narrowed": narrowed},
    )


@requires(Perm.ROUND_VIEW)
def my_group(request):
    return render(
        request, "inspections/my_group.html", {"inspections": selectors.my_group_inspections(request.user)}
    )


@requires(Perm.ROUND_MANAGE)
def round_create(request, pk: int):
    body = body_get(request.user, pk=pk, perm=Perm.ROUND_MANAGE)
    term = term_current(body)
    number = (
        body.rounds.filter(term=term).order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    dates = term_coverage.next_round_dates(body, term, timezone.localdate()) if term else None
    start, end = dates or (None, None)
    form = RoundForm(
        request.POST or None,
        body=body,
        initial={
            "term": term,
            "number": number,
            "start": start,
            "end": end,
            "groups": list(body.groups.filter(active=True)),
        },
    )
    return form_page(
        request,
        form,
        lambda data: _said_if_started(request, services.round_create(actor=request.user, body=body, **data)),
        success=_("轮次已建立，请确定巡视巡察对象。"),
        done=lambda r: r.get_absolute_url(),
        template=FORM,
        context={"owner": body.owner_org, "title": _("新建轮次：%(body)s") % {"body": body.name}},
    )


def _said_if_started(request, round_):
    """A round starting today or before is legal (recording work already begun) but never silent."""
    if round_.start <= timezone.localdate() and not services.round_on_site(round_):
        messages.warning(
            request,
            _("本轮开始日期 %(start)s 不晚于今天：如是新安排的轮次，请把开始日期改到明天以后。")
            % {"start": round_.start.isoformat()},
        )
    return round_


@requires(Perm.ROUND_MANAGE)
def round_edit(request, pk: int):
    """Correct a round: everything until a group goes on site, then the end date and theme only."""
    round_ = selectors.round_get(request.user, pk, perm=Perm.ROUND_MANAGE)
    editable = services.round_editable_fields(round_)
    form = RoundEditForm(request.POST or None, round_=round_, editable=editable)
    if services.round_on_site(round_):
        note = _("本轮已有对象进驻：只能修改结束日期和主题。")
    elif round_.staffed_at:
        note = _(
            "本轮编组已确认：日期改动须不与成员的其他安排冲突；要调整参加的组和对象，须先在轮次页面撤销编组确认。"
        )
    else:
        note = _("对象在轮次页面增加或移除。")
    return form_page(
        request,
        form,
        lambda data: _said_if_started(
            request,
            services.round_update(
                actor=request.user, round_=round_, **{k: v for k, v in data.items() if k in editable}
            ),
        ),
        success=_("轮次已修改。"),
        done=lambda r: r.get_absolute_url(),
        template=FORM,
        context={
            "owner": round_.body.owner_org,
            "title": _("修改轮次：%(round)s") % {"round": round_},
            "intro": note,
        },
    )


@requires(Perm.ROUND_MANAGE)
@require_POST
def round_reopen_staffing(request, pk: int):
    """Withdraw the confirmed staffing (before any group is on site) to change targets or groups."""
    round_ = selectors.round_get(request.user, pk, perm=Perm.ROUND_MANAGE)
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("请说明撤销编组确认的理由。"))
        services.round_reopen_staffing(actor=request.user, round_=round_, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("编组确认已撤销：可调整对象和参加的组，再重新求解。"))
    return redirect(round_.get_absolute_url())


def _round_context(request, round_, run=None, **extra):
    """The round page as the user may see it: the office sees everything; a group's people see
    their own groups, targets and members (the selectors restrict each list), not the plan."""
    user = request.user
    sees_all = selectors.round_sees_all(user, round_)
    if sees_all and run is None:
        run = round_.plan_runs.order_by("-created_at").first()
    context = {
        "round": round_,
        "sees_all": sees_all,
        "inspections": selectors.round_inspections(user, round_),
        "groups": selectors.round_groups(user, round_),
        "composition": selectors.round_composition(user, round_),
        "run": run,
        "proposal": selectors.plan_proposal(user, run) if run and run.proposal else None,
        "can_manage": selectors.can_manage_round(user, round_),
        "can_reopen": round_.staffed_at is not None and not services.round_on_site(round_),
        "targets_form": TargetsForm(body=round_.body),
        "plan_form": PlanForm(),
        "linked": round_.linked_rounds.select_related("body", "term") if sees_all else [],
        "upper": selectors.round_upper_inspections(user, round_),
        "member_actions": MEMBER_ACTIONS,
        # a group's people may serve in a round of a body whose page they cannot open: no link then
        "may_open_body": _may_open_body(user, round_.body),
        **extra,
    }
    # Cards of the apps that build on rounds (the upper round's open problems, the look-back list …).
    context["panels"] = panels_render("inspections.round", request, round_, context)
    return context


def _may_open_body(user, body) -> bool:
    """Whether the body's page (``orgs:body_detail``) answers the user rather than 404: asked of the
    ``body_get`` that page calls, so breadcrumbs link to it only then."""
    try:
        body_get(user, pk=body.pk)
    except Http404:
        return False
    return True


@requires(Perm.ROUND_VIEW)
def round_detail(request, pk: int):
    round_ = selectors.round_get(request.user, pk)
    return render(request, "inspections/round.html", _round_context(request, round_))


@requires(Perm.ROUND_MANAGE)
@require_POST
def round_add_targets(request, pk: int):
    round_ = selectors.round_get(request.user, pk, perm=Perm.ROUND_MANAGE)
    form = TargetsForm(request.POST, body=round_.body)
    if form.is_valid():
        codes = form.cleaned_data["codes"].replace(",", " ").replace("，", " ").split()
        found = {o.code: o for o in Organization.objects.filter(code__in=codes)}
        missing = [c for c in codes if c not in found]
        if missing:
            form.add_error("codes", _("没有这些代码的组织：%(codes)s") % {"codes": "、".join(missing)})
        else:
            try:
                services.round_add_targets(
                    actor=request.user, round_=round_, organizations=[found[c] for c in codes]
                )
            except ValidationError as exc:
                form.add_error("codes", exc)
            else:
                messages.success(request, _("已增加 %(n)s 个对象。") % {"n": len(codes)})
                return redirect(round_.get_absolute_url())
    return render(request, "inspections/round.html", _round_context(request, round_, targets_form=form))


@requires(Perm.ROUND_MANAGE)
@require_POST
def round_remove_target(request, pk: int, inspection: int):
    round_ = selectors.round_get(request.user, pk, perm=Perm.ROUND_MANAGE)
    target = get_object_or_404(round_.inspections, pk=inspection)
    try:
        services.round_remove_target(actor=request.user, inspection=target)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(round_.get_absolute_url())


@requires(Perm.ROUND_MANAGE)
@require_POST
def plan_submit(request, pk: int):
    round_ = selectors.round_get(request.user, pk, perm=Perm.ROUND_MANAGE)
    form = PlanForm(request.POST)
    if form.is_valid():
        try:
            round_staffing.plan_run_submit(
                actor=request.user, round_=round_, time_limit=form.cleaned_data["time_limit"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return redirect(round_.get_absolute_url() + "#plan")


def _run_for(request, pk: int, perm=Perm.ROUND_VIEW) -> PlanRun:
    return selectors.plan_run_get(request.user, pk, perm=perm)


@requires(Perm.ROUND_VIEW)
def plan_status(request, pk: int):
    """The run's progress (polled by htmx while it runs), then its proposal or why there is none:
    in full for the office; a group's people see only their own groups in it, without reasons."""
    run = _run_for(request, pk)
    return render(request, "inspections/_plan.html", _round_context(request, run.round, run=run))


@requires(Perm.ROUND_MANAGE)
@require_POST
def plan_member(request, pk: int):
    run = _run_for(request, pk, perm=Perm.ROUND_MANAGE)
    form = MemberForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请求不完整。"))
        return redirect(run.round.get_absolute_url() + "#plan")
    data = form.cleaned_data
    add = None
    if data["add_code"]:
        add = Cadre.objects.filter(cadre_id=data["add_code"].strip()).values_list("pk", flat=True).first()
        if add is None:
            messages.error(request, _("人才库中没有编号为“%(code)s”的人员。") % {"code": data["add_code"]})
            return redirect(run.round.get_absolute_url() + "#plan")
    try:
        round_staffing.plan_member_change(
            actor=request.user,
            run=run,
            group_id=data["group"],
            remove=data["remove"],
            add=add,
            leader=data["leader"],
            deputy=data["deputy"],
        )
    except ValidationError as exc:
        messages.error(request, _("未作调整：") + " ".join(exc.messages))
    else:
        messages.success(request, _("已调整，方案仍满足全部规则。"))
    return redirect(run.round.get_absolute_url() + "#plan")


@requires(Perm.ROUND_MANAGE)
@require_POST
def plan_confirm(request, pk: int):
    run = _run_for(request, pk, perm=Perm.ROUND_MANAGE)
    try:
        round_staffing.plan_confirm(actor=request.user, run=run)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("编组已确认，各组组长获本轮授权。"))
    return redirect(run.round.get_absolute_url())


# --- inspections ----------------------------------------------------------------------------------

STAGE_ACTIONS = {
    "prepare": (services.inspection_prepare, None),
    "enter_site": (services.inspection_enter_site, DateForm),
    "leave_site": (services.inspection_leave_site, DateForm),
    "transfer": (services.inspection_transfer, None),
    "rectify": (services.inspection_start_rectification, None),
    "archive": (services.inspection_archive, None),
    "withdraw": (services.inspection_withdraw, ReasonForm),
}


@requires(Perm.ROUND_VIEW)
def inspection_detail(request, pk: int):
    return _inspection_page(request, selectors.inspection_get(request.user, pk))


def _inspection_page(request, inspection, activity_form=None):
    actions = [(a, label, STAGE_ACTIONS[a][1]) for a, label in next_stage_actions(inspection.stage)]
    context = {
        "inspection": inspection,
        "members": inspection.round.members.filter(group=inspection.group_id)
        .select_related("cadre__home_org")
        .order_by(member_role_rank(), "cadre__name", "pk"),
        "activities": inspection.activities.select_related("method", "recorded_by"),
        "activity_form": activity_form or ActivityForm(),
        "can_record": selectors.can_record_fieldwork(request.user, inspection),
        "can_manage": selectors.can_manage_round(request.user, inspection.round),
        "actions": [(a, label, form() if form else None) for a, label, form in actions],
    }
    # Cards of the apps that build on inspections (its petitions, problems and clues, rectification).
    context["panels"] = panels_render("inspections.inspection", request, inspection, context)
    return render(request, "inspections/inspection.html", context)


@requires(Perm.ROUND_MANAGE)
@require_POST
def inspection_stage(request, pk: int, action: str):
    inspection = selectors.inspection_get(request.user, pk, selectors.MANAGE)
    if action not in STAGE_ACTIONS:
        messages.error(request, _("未知的操作。"))
        return redirect(inspection.get_absolute_url())
    service, form_class = STAGE_ACTIONS[action]
    kwargs = {}
    if form_class:
        form = form_class(request.POST)
        if not form.is_valid():
            messages.error(request, _("请填写日期或理由。"))
            return redirect(inspection.get_absolute_url())
        kwargs = form.cleaned_data
    try:
        service(actor=request.user, inspection=inspection, **kwargs)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已更新为“%(stage)s”。") % {"stage": inspection.get_stage_display()})
    return redirect(inspection.get_absolute_url())


@requires(Perm.FIELDWORK_RECORD)
@require_POST
def activity_record(request, pk: int):
    inspection = selectors.inspection_get(request.user, pk, selectors.FIELDWORK_RECORD)
    form = ActivityForm(request.POST)
    if form.is_valid():
        try:
            services.activity_record(actor=request.user, inspection=inspection, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已记录。"))
            return redirect(inspection.get_absolute_url() + "#activities")
    return _inspection_page(request, inspection, activity_form=form)


# --- planning the term, rules, risk ---------------------------------------------------------------


def _chosen_term(body, term_id: str | None):
    """The term asked for, else the one running today, else the latest. A term asked for that is
    no id (``BadParameter``, 400) or not the body's (404) is refused, never swapped for another."""
    terms = list(body.terms.order_by("-start"))
    wanted = parse_id(term_id, label=_("届次"))
    if wanted is not None:
        return next((t for t in terms if t.pk == wanted), None) or _no_such_term()
    return next((t for t in terms if t.contains(timezone.localdate())), terms[0] if terms else None)


def _no_such_term():
    raise Http404(_("该机构没有这一届次。"))


def _term_plan_url(body, term) -> str:
    url = reverse("inspections:term_plan", kwargs={"pk": body.pk})
    return f"{url}?term={term.pk}" if term else url


@requires(Perm.ROUND_MANAGE)
def term_plan(request, pk: int):
    body = body_get(request.user, pk=pk, perm=Perm.ROUND_MANAGE)
    terms = list(body.terms.order_by("-start"))
    term = _chosen_term(body, request.GET.get("term"))
    view = term_coverage.term_coverage_for(body, term, timezone.localdate()) if term else None
    return render(
        request,
        "inspections/term_plan.html",
        {
            "body": body,
            "term": term,
            "terms": terms,
            "view": view,
            "risk_form": RiskForm(body=body),
        },
    )


@requires(Perm.ROUND_MANAGE)
@require_POST
def term_plan_create_round(request, pk: int):
    """Create the next proposed round of the term plan, with the organisations the plan put in it."""
    body = body_get(request.user, pk=pk, perm=Perm.ROUND_MANAGE)
    term = _chosen_term(body, request.POST.get("term"))
    if term is None:
        messages.error(request, _("该机构还没有届次。"))
        return redirect(body.get_absolute_url())
    view = term_coverage.term_coverage_for(body, term, timezone.localdate())
    proposal = next((p for p in view.proposed if p.organizations), None)
    if proposal is None:
        messages.info(request, _("没有需要新安排的对象。"))
        return redirect(_term_plan_url(body, term))
    try:
        round_ = proposal.round or services.round_create(
            actor=request.user,
            body=body,
            term=term,
            number=proposal.number,
            kind="regular",
            start=proposal.start,
            end=proposal.end,
            # Beside a round under way, only the groups free in these dates (the plan's capacity).
            groups=list(
                body.groups.filter(active=True)
                if proposal.groups is None
                else body.groups.filter(pk__in=proposal.groups)
            ),
        )
        services.round_add_targets(actor=request.user, round_=round_, organizations=proposal.organizations)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_term_plan_url(body, term))
    messages.success(
        request,
        _("第%(n)s轮已按全覆盖规划安排 %(count)s 个对象。")
        % {"n": round_.number, "count": len(proposal.organizations)},
    )
    return redirect(round_.get_absolute_url())


@requires(Perm.ROUND_MANAGE)
@require_POST
def risk_set(request, pk: int):
    body = body_get(request.user, pk=pk, perm=Perm.ROUND_MANAGE)
    form = RiskForm(request.POST)
    if form.is_valid():
        org = form.cleaned_data["organization"]
        if org.supervising_body_id != body.pk:
            messages.error(request, _("“%(org)s”不是本机构的巡视巡察对象。") % {"org": org.name})
        else:
            services.risk_set(
                actor=request.user,
                organization=org,
                score=form.cleaned_data["score"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("风险分已更新，规划按新的分数排序。"))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(_term_plan_url(body, None))


@requires(Perm.ROUND_MANAGE)
def rules_edit(request, pk: int):
    body = body_get(request.user, pk=pk, perm=Perm.ROUND_MANAGE)
    rules = selectors.rules_for(body)
    initial_skills = selectors.required_skills(rules)
    # The form validates a copy: the service compares the stored rules with the new values for the audit.
    form = RulesForm(
        request.POST or None, instance=copy.copy(rules), initial={"required_skills": initial_skills}
    )

    def save(data):
        changes = {k: v for k, v in data.items() if k != "required_skills"}
        return services.staffing_rules_update(
            actor=request.user, body=body, required_skills=data["required_skills"], **changes
        )

    return form_page(
        request,
        form,
        save,
        success=_("编组规则已保存。"),
        done=lambda r: r.body.get_absolute_url(),
        template=FORM,
        context={"body": body, "title": _("编组规则")},
    )


@requires(Perm.ROUND_VIEW)
def group_detail(request, pk: int):
    """A standing group: its own staff (kept together by the optimiser) and the rounds it served in."""
    # A change of the group's staff is the office's: asked before the form is read, in the service's words.
    group = selectors.group_get(
        request.user, pk, selectors.GROUP_MANAGE if request.method == "POST" else None
    )
    can_manage = selectors.can_manage_group(request.user, group)
    form = CoreStaffForm(
        request.POST or None,
        initial={"codes": " ".join(group.core_staff.values_list("cadre_id", flat=True))},
        body=group.body,
    )
    if request.method == "POST" and form.is_valid():
        codes = form.cleaned_data["codes"].split()
        cadres = list(pool_for_body(group.body).filter(cadre_id__in=codes))
        missing = sorted(set(codes) - {c.cadre_id for c in cadres})
        if missing:
            form.add_error(
                "codes", _("本机构人才库中没有这些编号：%(codes)s") % {"codes": "、".join(missing)}
            )
        else:
            services.group_set_core_staff(actor=request.user, group=group, cadres=cadres)
            messages.success(request, _("在编人员已更新。"))
            return redirect(reverse("inspections:group", kwargs={"pk": group.pk}))
    return render(
        request,
        "inspections/group.html",
        {
            "group": group,
            "form": form,
            "can_manage": can_manage,
            "may_open_body": _may_open_body(request.user, group.body),
            "core": group.core_staff.select_related("home_org"),
            "served": group.members.select_related("round__term", "cadre").order_by("-round__start", "role")[
                :100
            ],
        },
    )
