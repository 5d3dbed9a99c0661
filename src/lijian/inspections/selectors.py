"""Reads of rounds and inspections, restricted to the user.

Office roles (staff, leaders, auditors, administrators) see the rounds of the bodies whose
committees lie in their subtrees. Group leaders and members see the inspections of the groups they
serve in (through the talent-pool record linked to their account), and nothing else of the rounds:
on a round they serve in, only their own groups, those groups' targets and members — never another
group's people, nor why anyone was chosen or kept away (the reasons name birth years and recusals),
which only the office reads (``round_sees_all``).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from lijian.accounts.scopes import is_office_of, office_q
from lijian.core.permissions import Action, Perm, access_for, q_any, visible_get
from lijian.orgs.models import Organization
from lijian.people.choices import Rank
from lijian.people.models import Cadre, Skill

from .choices import member_role_rank
from .models import Group, Inspection, PlanRun, Round, RoundMember, StaffingRules
from .scopes import cadre_id, group_q, serves_in_groups


def rounds_visible(user) -> QuerySet[Round]:
    """The rounds of the bodies whose office the user is in, and the rounds the user serves in."""
    q = office_q(user, Perm.ROUND_VIEW, "body")
    if serves_in_groups(user):
        q = q_any(q, Q(Exists(RoundMember.objects.filter(round=OuterRef("pk"), cadre_id=cadre_id(user)))))
    return Round.objects.filter(q).select_related("body", "term", "linkage_mode")


def round_get(user, pk: int, perm: Perm = Perm.ROUND_VIEW) -> Round:
    """A round the user may see (``Http404`` otherwise); managing needs an office grant over the body."""
    try:
        round_ = Round.objects.select_related("body__owner_org", "term", "linkage_mode", "upper_round").get(
            pk=pk
        )
    except (Round.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    if is_office_of(user, perm, round_.body):
        return round_
    if perm == Perm.ROUND_VIEW and rounds_visible(user).filter(pk=pk).exists():
        return round_
    raise Http404


def inspections_visible(user) -> QuerySet[Inspection]:
    """The inspections of the bodies whose office the user is in, and those of the user's groups."""
    q = q_any(office_q(user, Perm.ROUND_VIEW, "round__body"), group_q(user, Perm.ROUND_VIEW, ""))
    return Inspection.objects.filter(q).select_related("round__body", "round__term", "group", "organization")


def inspection_get(user, pk: int, action: Action | None = None) -> Inspection:
    """The inspection if the user may see it (``Http404`` otherwise) and, given an ``action``
    (``FIELDWORK_RECORD``, ``MANAGE``, another app's action on an inspection), may do it
    (``PermissionDenied`` otherwise)."""
    return visible_get(inspections_visible(user), pk, user=user, action=action)


def group_get(user, pk: int, action: Action | None = None) -> Group:
    """A standing group, for the office of its body only (``Http404`` otherwise): group members see
    their rounds through the round pages. Given an ``action`` (``GROUP_MANAGE``), raises
    ``PermissionDenied`` with its message unless the user may do it."""
    group = Group.objects.select_related("body__owner_org").filter(pk=pk).first()
    if group is None or not is_office_of(user, Perm.ROUND_VIEW, group.body):
        raise Http404
    if action is not None:
        action.check(user, group)
    return group


def can_manage_group(user, group: Group) -> bool:
    return is_office_of(user, Perm.ROUND_MANAGE, group.body)


def can_manage_round(user, round_: Round) -> bool:
    return is_office_of(user, Perm.ROUND_MANAGE, round_.body)


def can_record_fieldwork(user, inspection: Inspection) -> bool:
    """The office of the body, or a member of the inspection's group in that round."""
    if is_office_of(user, Perm.FIELDWORK_RECORD, inspection.round.body):
        return True
    return (
        access_for(user).has(Perm.FIELDWORK_RECORD)
        and cadre_id(user) is not None
        and RoundMember.objects.filter(
            round=inspection.round_id, group=inspection.group_id, cadre_id=cadre_id(user)
        ).exists()
    )


# What a user may do to a body's rounds, groups and inspections, and what anyone else is told: the
# services check these, and the views ask for them (``inspection_get``, ``group_get``) before a form.
_PLANNING_REFUSAL = _("只有巡视巡察办可以规划轮次、编组和推进阶段。")
BODY_MANAGE = Action(lambda user, body: is_office_of(user, Perm.ROUND_MANAGE, body), _PLANNING_REFUSAL)
ROUND_MANAGE = Action(can_manage_round, _PLANNING_REFUSAL)
GROUP_MANAGE = Action(can_manage_group, _PLANNING_REFUSAL)
FIELDWORK_RECORD = Action(can_record_fieldwork, _("只有本组成员或巡视巡察办可以记录了解情况。"))
MANAGE = Action(lambda user, inspection: can_manage_round(user, inspection.round), _PLANNING_REFUSAL)


def my_group_inspections(user) -> QuerySet[Inspection]:
    """The inspections of the groups the user serves in, latest round first."""
    cadre = cadre_id(user)
    if cadre is None:
        return Inspection.objects.none()
    return (
        Inspection.objects.filter(
            Exists(
                RoundMember.objects.filter(round=OuterRef("round"), group=OuterRef("group"), cadre_id=cadre)
            )
        )
        .select_related("round__body", "round__term", "group", "organization")
        .order_by("-round__start", "group__number")
    )


def rules_for(body) -> StaffingRules:
    """The body's staffing rules, or unsaved defaults: patrol groups of 5–7 led by a division-level
    cadre with a deputy of at least deputy-division rank; inspection groups of 6–9 led by a
    bureau-level cadre with a division-level deputy; one auditor or finance cadre each."""
    rules = StaffingRules.objects.filter(body=body).first()
    if rules is not None:
        return rules

    if body.level == "inspection":
        return StaffingRules(
            body=body,
            size_min=6,
            size_max=9,
            leader_min_rank=Rank.DEPUTY_BUREAU,
            deputy_min_rank=Rank.DIVISION,
        )
    return StaffingRules(body=body)


def required_skills(rules: StaffingRules) -> list:
    if rules.pk:
        return list(rules.required_skills.all())
    return list(Skill.objects.filter(code__in=["audit", "finance"]))


def round_sees_all(user, round_: Round) -> bool:
    """Whether ``user`` sees the whole of ``round_`` — every group, target and member, and the
    reasons for each choice and each recusal: the office of the round's body only."""
    return is_office_of(user, Perm.ROUND_VIEW, round_.body)


def round_my_group_ids(user, round_: Round) -> set[int]:
    """The groups of ``round_`` that ``user`` serves in (empty for anyone else)."""
    cadre = cadre_id(user)
    if cadre is None:
        return set()
    return set(round_.members.filter(cadre_id=cadre).values_list("group_id", flat=True))


def round_groups(user, round_: Round) -> QuerySet[Group]:
    """The round's groups ``user`` may see: all for the office, else the user's own."""
    groups = round_.groups.order_by("number")
    return groups if round_sees_all(user, round_) else groups.filter(pk__in=round_my_group_ids(user, round_))


def round_inspections(user, round_: Round) -> QuerySet[Inspection]:
    """The round's targets ``user`` may see: all for the office, else those of the user's groups."""
    rows = round_.inspections.select_related("organization", "group").order_by(
        "group__number", "organization__path"
    )
    return rows if round_sees_all(user, round_) else rows.filter(group__in=round_my_group_ids(user, round_))


def round_composition(user, round_: Round) -> dict[int, list[RoundMember]]:
    """The round's members by group, as ``user`` may see them: the office sees every group with each
    member's reasons (which name birth years and the recusals checked); a group's people see their
    own groups only, and no reasons (cleared on the rows returned, never saved)."""
    sees_all = round_sees_all(user, round_)
    rows = round_.members.select_related("cadre__home_org", "group").order_by(
        "group__number", member_role_rank(), "cadre__name", "pk"
    )
    if not sees_all:
        rows = rows.filter(group__in=round_my_group_ids(user, round_))
    members: dict[int, list[RoundMember]] = {}
    for m in rows:
        if not sees_all:
            m.reasons = []
        members.setdefault(m.group_id, []).append(m)
    return members


def plan_run_get(user, pk: int, perm: Perm = Perm.ROUND_VIEW):
    """A plan run of a round the user may see (``Http404`` otherwise; see ``round_get``)."""
    run = PlanRun.objects.select_related("round").filter(pk=pk).first()
    if run is None:
        raise Http404
    round_get(user, run.round_id, perm=perm)
    return run


def plan_proposal(user, run) -> list[dict]:
    """The run's proposal with names, for the review table: for the office every group, each member
    with the reasons they were chosen and the recusals that kept them from other groups; for a
    group's people only their own groups, without reasons or recusals."""
    if not run.proposal:
        return []
    round_ = run.round
    sees_all = round_sees_all(user, round_)
    mine = None if sees_all else round_my_group_ids(user, round_)
    proposed = [g for g in run.proposal["groups"] if mine is None or g["group"] in mine]
    avoided = run.proposal.get("avoided", {}) if sees_all else {}
    ids = {int(c) for g in proposed for c in g["members"]} | {int(c) for c in avoided}
    cadres = {c.pk: c for c in Cadre.objects.filter(pk__in=ids).select_related("home_org")}
    orgs = dict(
        Organization.objects.filter(pk__in=[t for g in proposed for t in g["targets"]]).values_list(
            "pk", "name"
        )
    )
    groups = {g.pk: g for g in round_.groups.all()}
    return [
        {
            "group": groups.get(g["group"]),
            "targets": [orgs.get(t, t) for t in g["targets"]],
            "members": [
                {
                    "cadre": cadres[c],
                    "leader": c == g["leader"],
                    "deputy": c in g.get("deputies", []),
                    "reasons": g["reasons"].get(str(c), []) if sees_all else [],
                    "avoided": avoided.get(str(c), []),
                }
                for c in g["members"]
                if c in cadres
            ],
        }
        for g in proposed
    ]


def round_upper_inspections(user, round_: Round) -> QuerySet[Inspection]:
    """``upper_round_inspections`` for the targets of ``round_`` that ``user`` sees."""
    return upper_round_inspections(round_, targets=round_inspections(user, round_))


def upper_round_inspections(round_: Round, *, targets=None) -> QuerySet[Inspection]:
    """For a linked round (接力巡 above all): what the upper round found at this round's organisations
    (or those of ``targets``, some of its inspections) and the units above them — the inspections to
    carry on from."""
    if round_.upper_round_id is None:
        return Inspection.objects.none()
    paths = (round_.inspections if targets is None else targets).values_list("organization__path", flat=True)
    prefixes = {p[:i] for p in paths for i in range(4, len(p) + 1, 4)}
    return (
        Inspection.objects.filter(round=round_.upper_round, organization__path__in=prefixes)
        .select_related("organization", "group", "round__body", "round__term")
        .order_by("organization__path")
    )
