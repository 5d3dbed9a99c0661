"""Pages of the common problems (统计 › 共性问题): the groups, proposing one, a proposal. Thin: parse,
call a selector or a service, render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lijian.accounts.scopes import office_q
from lijian.core.forms import add_service_errors
from lijian.core.params import BadParameter, parse_id, query_date, query_id
from lijian.core.permissions import Perm, requires
from lijian.findings.selectors import bodies_with_problems
from lijian.inspections.selectors import round_get
from lijian.orgs.selectors import body_get

from .common import (
    PROPOSE,
    CommonFilter,
    bodies_proposing,
    body_found_most,
    common_group_get,
    common_groups,
    group_problems,
    parse_group_key,
    problem_counts,
    proposal_get,
    proposals_visible,
    read_proposals,
)
from .common_forms import ProposalForm
from .common_services import proposal_create, round_targets_from_proposals

MAX_ORGANIZATIONS = 10_000
RECENT_PROPOSALS = 10


def common_filter(request) -> CommonFilter:
    """The filter in the query: ``body`` (one the user sees figures of; 404 otherwise), ``since`` and
    ``until`` (dates found), ``min`` (organisations a group spans, default 2). ``BadParameter``
    (400, in Chinese) for a value that cannot be one."""
    body_id = query_id(request, "body", label=_("机构"))
    body = body_get(request.user, pk=body_id, perm=Perm.FIGURES_VIEW) if body_id else None
    minimum = parse_id(request.GET.get("min"), label=_("至少涉及单位数")) or 2
    if minimum > MAX_ORGANIZATIONS:
        raise BadParameter(_("至少涉及单位数不能超过 %(n)s。") % {"n": MAX_ORGANIZATIONS})
    since = query_date(request, "since", label=_("发现日期起"))
    until = query_date(request, "until", label=_("发现日期止"))
    if since and until and until < since:
        raise BadParameter(_("发现日期止不能早于发现日期起。"))
    return CommonFilter(body, since, until, minimum)


@requires(Perm.FIGURES_VIEW)
def common_problems(request):
    flt = common_filter(request)
    user = request.user
    proposals = list(proposals_visible(user)[:RECENT_PROPOSALS])
    counts = problem_counts(proposals)
    for proposal in proposals:
        proposal.problem_count = counts.get(proposal.pk, 0)
    groups = common_groups(user, flt)
    read_proposals(user, groups)
    return render(
        request,
        "analytics/common.html",
        {
            "filter": flt,
            "query": flt.query(),
            "groups": groups,
            "bodies": bodies_with_problems(user).filter(office_q(user, Perm.FIGURES_VIEW, "")),
            "can_propose": bodies_proposing(user).exists(),
            "proposals": proposals,
        },
    )


@requires(Perm.FIGURES_VIEW)
def common_group(request, key: str):
    """One group (recomputed under the query's filter): all its problems, its organisations and the
    proposals already drawn from it."""
    key = parse_group_key(key)
    flt = common_filter(request)
    group = common_group_get(request.user, flt, key)
    if group is None:
        raise Http404(_("这组问题已有变化（问题新增、修改或不在您的范围内），请回到共性问题页重新选择。"))
    read_proposals(request.user, [group])
    return render(
        request,
        "analytics/common_group.html",
        {
            "group": group,
            "query": flt.query(),
            "problems": group_problems(request.user, group.problem_ids),
            "can_propose": bodies_proposing(request.user).exists(),
        },
    )


@requires(Perm.ROUND_MANAGE)
def common_propose(request, key: str):
    """Propose the group ``key`` (recomputed under the query's filter) as a special round or a
    system-level item; the posted ``problems`` are the ones the office kept ticked."""
    key = parse_group_key(key)
    user = request.user
    bodies = bodies_proposing(user)
    if not bodies.exists():
        raise PermissionDenied(PROPOSE.refusal)
    flt = common_filter(request)
    group = common_group_get(user, flt, key)
    context = {"group": group, "filter": flt, "query": flt.query(), "key": key}
    if group is None:
        context["refusal"] = _(
            "这组问题已有变化（问题新增、修改或不在您的范围内），请回到共性问题页重新选择。"
        )
        return render(request, "analytics/common_propose.html", context, status=404)
    read_proposals(user, [group])
    if request.method == "POST":
        ids = [parse_id(value, label=_("问题编号")) for value in request.POST.getlist("problems")]
        chosen = group_problems(user, ids)
        if len(chosen) != len(set(ids)):
            raise Http404
        ticked = {p.pk for p in chosen}
    else:
        chosen, ticked = [], set(group.problem_ids)
    initial = {"title": group.typical, "body": body_found_most(group, bodies)}
    form = ProposalForm(request.POST or None, bodies=bodies, initial=initial)
    if request.method == "POST" and form.is_valid() and not form.cleaned_data["again"]:
        # the same body proposing the same problems again is most likely a second click
        body = form.cleaned_data["body"]
        if any(p.body_id == body.pk for p in group.proposals):
            form.add_error(
                "again", _("本机构已就这组问题提出过建议（见上方），如确需再次提出，请勾选“仍要再次提出”。")
            )
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "again"}
        try:
            proposal = proposal_create(actor=user, problems=chosen, **values)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if proposal.round_id:
                messages.success(request, _("已按这组共性问题开设专项巡视巡察轮次。"))
                return redirect(proposal.round.get_absolute_url())
            messages.success(request, _("已提出制度建设建议。"))
            return redirect(proposal.get_absolute_url())
    context.update({"form": form, "problems": group_problems(user, group.problem_ids), "ticked": ticked})
    return render(request, "analytics/common_propose.html", context)


@requires(Perm.FIGURES_VIEW)
def common_proposal(request, pk: int):
    proposal = proposal_get(request.user, pk)
    problems = group_problems(request.user, proposal.problems.values_list("pk", flat=True))
    return render(
        request,
        "analytics/common_proposal.html",
        {"proposal": proposal, "problems": problems, "hidden": proposal.problems.count() - len(problems)},
    )


@require_POST
@requires(Perm.ROUND_MANAGE)
def common_round_targets(request, pk: int):
    """Add the organisations of a special round's common problems as its targets, then back to the
    round with what was done (or why not) as a message."""
    round_ = round_get(request.user, pk, Perm.ROUND_MANAGE)
    try:
        created = round_targets_from_proposals(actor=request.user, round_=round_)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已增加 %(n)s 个对象。") % {"n": len(created)})
    return redirect(round_.get_absolute_url())
