"""Staffing a round on the database, the optimiser (``planner.staffing``) at work: a round's problem
built from its targets, groups, pool and conflicts; runs in the background with their progress;
proposals reviewed, edited by hand (every edit re-checked) and confirmed into group memberships."""

from __future__ import annotations

import contextvars
import threading

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from lijian.core.audit import audit_record
from lijian.core.permissions import Perm, require
from lijian.people.choices import RANK_LEVEL, Rank
from lijian.people.models import Cadre
from lijian.people.selectors import conflicts_between, pool_for_body

from .availability import engagements
from .choices import PLAN_TRANSITIONS, MemberRole, PlanStatus, RoundKind, Stage
from .models import Inspection, PlanRun, Round, RoundMember
from .planner import staffing as st
from .selectors import required_skills, rules_for


def recent_service(round_: Round) -> tuple[dict[int, int], dict[int, set[int]]]:
    """For the body's last rounds before this one (as many as its rules look back): how many of them
    each cadre served in, and which organisations each inspected."""
    rules = rules_for(round_.body)
    earlier = list(
        Round.objects.filter(body=round_.body, start__lt=round_.start)
        .order_by("-start")
        .values_list("pk", flat=True)[: rules.lookback_rounds]
    )
    served: dict[int, int] = {}
    inspected: dict[int, set[int]] = {}
    rows = RoundMember.objects.filter(round__in=earlier).values_list("cadre_id", "round_id", "group_id")
    targets: dict[tuple[int, int], list[int]] = {}
    for round_id, group_id, org_id in Inspection.objects.filter(round__in=earlier).values_list(
        "round_id", "group_id", "organization_id"
    ):
        targets.setdefault((round_id, group_id), []).append(org_id)
    for cadre_id, round_id, group_id in rows:
        served[cadre_id] = served.get(cadre_id, 0) + 1
        inspected.setdefault(cadre_id, set()).update(targets.get((round_id, group_id), ()))
    return served, inspected


def problem_for_round(round_: Round, *, fixed_members=None, excluded=None) -> tuple[st.Problem, dict]:
    """The planner's input for ``round_`` and the names it needs to talk about it."""
    rules = rules_for(round_.body)
    skills = required_skills(rules)
    inspections = list(round_.inspections.exclude(stage=Stage.WITHDRAWN).select_related("organization"))
    groups = list(round_.groups.prefetch_related("core_staff").order_by("number"))
    core_ids = {c.pk for g in groups for c in g.core_staff.all()}
    pool = list(
        (pool_for_body(round_.body) | Cadre.objects.filter(pk__in=core_ids))
        .distinct()
        .select_related("home_org")
        .prefetch_related("skills")
    )
    served, inspected = recent_service(round_)
    conflicts = conflicts_between(
        pool,
        [i.organization for i in inspections],
        cross=round_.kind == RoundKind.CROSS,
        on=round_.start,
        former_post_years=rules.former_post_years,
        recent=inspected,
    )
    young_from = round_.start.year - rules.young_max_age
    # Nobody serves in two places at once: bookings in overlapping rounds of any body, absences.
    busy = engagements([c.pk for c in pool], round_.start, round_.end, exclude_round=round_.pk)
    problem = st.Problem(
        targets=[st.Target(i.organization_id, i.organization.name) for i in inspections],
        groups=[
            st.Group(g.pk, g.name, frozenset(c.pk for c in g.core_staff.all()), 1, rules.max_targets)
            for g in groups
        ],
        cadres=[
            st.Cadre(
                c.pk,
                c.name,
                c.home_org.code,
                c.home_org.name,
                RANK_LEVEL[c.rank],
                c.get_rank_display(),
                frozenset(s.code for s in c.skills.all()),
                c.birth_year,
                served.get(c.pk, 0),
            )
            for c in pool
        ],
        conflicts=conflicts,
        rules=st.Rules(
            size_min=rules.size_min,
            size_max=rules.size_max,
            leader_min_rank=RANK_LEVEL[rules.leader_min_rank],
            leader_rank_name=str(Rank(rules.leader_min_rank).label),
            skill_rules=(
                st.SkillRule(
                    frozenset(s.code for s in skills),
                    rules.required_skill_count,
                    "或".join(s.name for s in skills),
                    tuple((s.code, s.name) for s in skills),
                ),
            )
            if skills and rules.required_skill_count
            else (),
            min_units=rules.min_units,
            young_from_year=young_from,
            deputies=rules.deputy_count,
            deputy_min_rank=RANK_LEVEL[rules.deputy_min_rank],
            deputy_rank_name=str(Rank(rules.deputy_min_rank).label),
        ),
        fixed_members=fixed_members or {},
        excluded=excluded or set(),
        unavailable={cid: e.describe() for cid, e in busy.items()},
    )
    names = {
        "cadres": {c.pk: c.name for c in pool},
        "orgs": {i.organization_id: i.organization.name for i in inspections},
        "groups": {g.pk: g.name for g in groups},
    }
    return problem, names


# --- runs -----------------------------------------------------------------------------------------


def _check_round_ready(round_: Round) -> None:
    if round_.staffed_at:
        raise ValidationError(_("本轮编组已确认。"))
    if not round_.groups.exists():
        raise ValidationError(_("请先选定参加本轮的组。"))
    if not round_.inspections.exclude(stage=Stage.WITHDRAWN).exists():
        raise ValidationError(_("请先确定本轮的巡视巡察对象。"))


def plan_run_submit(*, actor, round_: Round, time_limit: int = 20, background: bool = True) -> PlanRun:
    """Queue the optimiser for ``round_``; the background worker runs it (see ``plan_run_execute``).
    ``background=False`` solves right here (commands, the demo) and returns the finished run."""
    require(actor, Perm.ROUND_MANAGE, round_.body.owner_org.path)
    _check_round_ready(round_)
    if not 1 <= time_limit <= 600:
        raise ValidationError(_("求解时限应在 1 至 600 秒之间。"))
    with transaction.atomic():
        run = PlanRun.objects.create(round=round_, created_by=actor, time_limit=time_limit)
        audit_record(
            actor=actor,
            action="plan.submit",
            obj=run,
            after={"time_limit": time_limit},
            scope_path=round_.body.owner_org.path,
        )
    if not background:
        return plan_run_execute(run.pk)
    run_plan.enqueue(run.pk)
    return run


def _set(run: PlanRun, status: str, **fields) -> None:
    PLAN_TRANSITIONS.check(run.status, status)
    run.status = status
    for name, value in fields.items():
        setattr(run, name, value)
    run.save(update_fields=["status", *fields])


def _proposal(plan: st.Plan) -> dict:
    return {
        "objective": plan.objective,
        "bound": plan.bound,
        "gap": plan.gap,
        "status": plan.status,
        "groups": [
            {
                "group": gp.group,
                "targets": gp.targets,
                "leader": gp.leader,
                "deputies": gp.deputies,
                "members": gp.members,
                "reasons": {str(c): plan.reasons.get((c, gp.group), []) for c in gp.members},
            }
            for gp in plan.groups.values()
        ],
        "avoided": {str(c): why for c, why in plan.avoided.items()},
    }


def _deputies(proposal: dict) -> dict[int, list[int]]:
    return {g["group"]: list(g.get("deputies", [])) for g in proposal.get("groups", [])}


def plan_from_proposal(proposal: dict) -> st.Plan:
    plan = st.Plan(
        proposal.get("status", "feasible"), objective=proposal.get("objective"), bound=proposal.get("bound")
    )
    for g in proposal["groups"]:
        plan.groups[g["group"]] = st.GroupPlan(
            g["group"], list(g["targets"]), g["leader"], list(g["members"]), list(g.get("deputies", []))
        )
    return plan


def plan_run_execute(run_id: int) -> PlanRun:
    """Solve (in the worker): progress saved at most twice a second, then the proposal or the reasons."""
    run = PlanRun.objects.select_related("round__body__owner_org", "round__term").get(pk=run_id)
    if run.status != PlanStatus.QUEUED:
        return run
    _set(run, PlanStatus.RUNNING)
    solutions: list = []
    outcome: dict = {}

    def solve() -> None:
        try:
            outcome["plan"] = st.solve_round(
                problem,
                time_limit=run.time_limit,
                progress=lambda objective, bound, seconds: solutions.append(
                    [objective, bound, round(seconds, 2)]
                ),
            )
        except Exception as exc:  # noqa: BLE001  reported on the page below
            outcome["error"] = exc

    try:
        problem, _names = problem_for_round(run.round)
    except Exception as exc:  # the page must show an outcome, whatever happened
        _set(run, PlanStatus.FAILED, finished_at=timezone.now(), problems=[str(exc)])
        return run
    # The solver reports from its own threads; progress is written from this one, on its connection.
    # The solving thread runs in a copy of this one's context, so a caller's ``deterministic_search``
    # (the demo's) reaches the solver: a new thread would otherwise start with an empty context.
    worker = threading.Thread(target=contextvars.copy_context().run, args=(solve,), name=f"plan-{run.pk}")
    worker.start()
    while worker.is_alive():
        worker.join(0.5)
        PlanRun.objects.filter(pk=run.pk).update(solutions=list(solutions))
    if "error" in outcome:
        _set(run, PlanStatus.FAILED, finished_at=timezone.now(), problems=[str(outcome["error"])])
        return run
    plan = outcome["plan"]
    fields = {"finished_at": timezone.now(), "seconds": plan.seconds, "solutions": solutions}
    if plan.ok:
        _set(run, PlanStatus.DONE, proposal=_proposal(plan), **fields)
    else:
        _set(run, PlanStatus.INFEASIBLE, problems=plan.problems, **fields)
    return run


@task()
def run_plan(run_id: int) -> None:
    """The background worker's task: ``plan_run_execute`` (queued by ``plan_run_submit``)."""
    plan_run_execute(run_id)


# --- editing and confirming a proposal ------------------------------------------------------------


@transaction.atomic
def plan_member_change(
    *,
    actor,
    run: PlanRun,
    group_id: int,
    remove: int | None = None,
    add: int | None = None,
    leader: int | None = None,
    deputy: int | None = None,
) -> PlanRun:
    """Change one group of a proposal by hand: take a cadre out, put one in (moving them from another
    group if needed), make a member the leader, or a deputy leader (again to undo). The edited plan is
    re-checked against every rule; a change that breaks one — a conflict above all — is refused with
    the reasons, changing nothing."""
    require(actor, Perm.ROUND_MANAGE, run.round.body.owner_org.path)
    if run.status != PlanStatus.DONE or run.round.staffed_at:
        raise ValidationError(_("只能修改尚未确认的方案。"))
    problem, names = problem_for_round(run.round)
    plan = plan_from_proposal(run.proposal)
    if group_id not in plan.groups:
        raise ValidationError(_("方案中没有这个组。"))
    gp = plan.groups[group_id]
    if remove is not None:
        if remove not in gp.members:
            raise ValidationError(_("该人员不在本组。"))
        gp.members.remove(remove)
        if gp.leader == remove:
            gp.leader = None
    if add is not None:
        if add not in names["cadres"]:
            raise ValidationError(_("该人员不在本机构的人才库中。"))
        for other in plan.groups.values():
            if add in other.members:
                other.members.remove(add)
                if other.leader == add:
                    other.leader = None
        gp.members.append(add)
    if leader is not None:
        if leader not in gp.members:
            raise ValidationError(_("组长须是本组成员。"))
        gp.leader = leader
    deputies = _deputies(run.proposal)
    if deputy is not None:
        if deputy not in gp.members or deputy == gp.leader:
            raise ValidationError(_("副组长须是本组组长以外的成员。"))
        mine = deputies.setdefault(group_id, [])
        if deputy in mine:
            mine.remove(deputy)
        else:
            mine.append(deputy)
    for gid, group_plan in plan.groups.items():  # nobody stays deputy of a group they left or now lead
        deputies[gid] = [
            d for d in deputies.get(gid, []) if d in group_plan.members and d != group_plan.leader
        ]
        group_plan.deputies = deputies[gid]
    broken = st.check_plan(problem, plan)
    if broken:
        raise ValidationError(broken)
    plan.reasons, plan.avoided = st.explain_plan(problem, plan)
    before = run.proposal
    run.proposal = {
        **_proposal(plan),
        "objective": before.get("objective"),
        "bound": before.get("bound"),
        "gap": before.get("gap"),
        "edited": True,
    }
    for g in run.proposal["groups"]:
        g["deputies"] = deputies.get(g["group"], [])
    run.save(update_fields=["proposal"])
    audit_record(
        actor=actor,
        action="plan.edit",
        obj=run,
        after={"group": group_id, "remove": remove, "add": add, "leader": leader, "deputy": deputy},
        scope_path=run.round.body.owner_org.path,
    )
    return run


@transaction.atomic
def plan_confirm(*, actor, run: PlanRun) -> Round:
    """Make the proposal the round's composition: memberships with their reasons, each target's group."""
    require(actor, Perm.ROUND_MANAGE, run.round.body.owner_org.path)
    round_ = Round.objects.select_for_update().select_related("body__owner_org").get(pk=run.round_id)
    if run.status != PlanStatus.DONE:
        raise ValidationError(_("只能确认已求解完成、尚未确认的方案。"))
    if round_.staffed_at:
        raise ValidationError(_("本轮编组已经确认，不能再用另一个方案替换。"))
    problem, _names = problem_for_round(round_)
    plan = plan_from_proposal(run.proposal or {"groups": []})
    broken = st.check_plan(problem, plan)
    if broken:  # the pool, conflicts or targets changed since the run
        raise ValidationError([_("方案已不再满足规则，请重新求解："), *broken])
    _set(run, PlanStatus.CONFIRMED)
    reasons = {(int(c), g["group"]): why for g in run.proposal["groups"] for c, why in g["reasons"].items()}
    # A group the targets did not need stays out of the round: nobody is confirmed into an empty group.
    staffed = {gid for gid, gp in plan.groups.items() if gp.members and gp.targets}
    unused = list(round_.groups.exclude(pk__in=staffed))
    round_.groups.remove(*unused)

    def role(cadre: int, gp: st.GroupPlan) -> str:
        if cadre == gp.leader:
            return MemberRole.LEADER
        return MemberRole.DEPUTY if cadre in gp.deputies else MemberRole.MEMBER

    RoundMember.objects.filter(round=round_).delete()
    RoundMember.objects.bulk_create(
        [
            RoundMember(
                round=round_,
                group_id=gp.group,
                cadre_id=c,
                role=role(c, gp),
                reasons=reasons.get((c, gp.group), []),
            )
            for gp in plan.groups.values()
            if gp.group in staffed
            for c in gp.members
        ]
    )
    for gp in plan.groups.values():
        Inspection.objects.filter(round=round_, organization_id__in=gp.targets).exclude(
            stage=Stage.WITHDRAWN
        ).update(group_id=gp.group)
    round_.staffed_at = timezone.now()
    round_.save(update_fields=["staffed_at"])
    audit_record(
        actor=actor,
        action="plan.confirm",
        obj=round_,
        after={
            "groups": {gid: len(gp.members) for gid, gp in plan.groups.items() if gid in staffed},
            "groups_left_out": [g.pk for g in unused],
            "run": run.pk,
        },
        scope_path=round_.body.owner_org.path,
    )
    return round_
