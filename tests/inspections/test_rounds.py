"""Rounds from opening to confirmed groups, and inspections through their stages."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lijian.accounts.choices import Role
from lijian.core.models import AuditEvent
from lijian.inspections import round_staffing, services
from lijian.inspections.choices import STAGE_TRANSITIONS, PlanStatus, Stage
from lijian.inspections.models import Inspection, RoundMember
from lijian.inspections.planner.gap import deterministic_search, is_deterministic
from lijian.orgs import services as org_services
from lijian.people.services import conflict_declare

from ..world import make_patrol_setup

D = datetime.date


@pytest.fixture
def patrol(world):
    """A 和平区 round targeting two new party branches under the community, staffed from the pool."""
    g1, g2, pool = make_patrol_setup(world)
    b1 = org_services.organization_create(
        actor=world.admin,
        parent=world.v1,
        code="B1",
        name="第一支部",
        kind="branch",
        supervising_body=world.body1,
    )
    b2 = org_services.organization_create(
        actor=world.admin,
        parent=world.v1,
        code="B2",
        name="第二支部",
        kind="branch",
        supervising_body=world.body1,
    )
    staff = world.users[Role.OFFICE_STAFF]
    round_ = services.round_create(
        actor=staff,
        body=world.body1,
        term=world.term1,
        number=1,
        kind="regular",
        start=D(2024, 3, 1),
        end=D(2024, 5, 1),
        groups=[g1, g2],
    )
    services.round_add_targets(actor=staff, round_=round_, organizations=[b1, b2])
    return {"round": round_, "groups": (g1, g2), "pool": pool, "targets": (b1, b2), "staff": staff}


def test_the_optimiser_staffs_a_round_and_confirming_makes_the_groups(patrol, world):
    staff, round_ = patrol["staff"], patrol["round"]
    conflict_declare(
        actor=world.admin,
        cadre=patrol["pool"][4],
        organization=patrol["targets"][0],
        kind="relative",
        detail="配偶在该支部",
    )
    run = round_staffing.plan_run_submit(
        actor=staff, round_=round_, time_limit=5
    )  # the test backend runs it at once
    run.refresh_from_db()
    assert run.status == PlanStatus.DONE, run.problems
    groups = run.proposal["groups"]
    # Two targets fit in one group: only one of the two ticked groups is staffed.
    assert [len(g["targets"]) for g in groups] == [2]
    holder = next(g for g in groups if patrol["targets"][0].pk in g["targets"])
    assert patrol["pool"][4].pk not in holder["members"]
    assert any("配偶" in why for why in run.proposal["avoided"][str(patrol["pool"][4].pk)])
    # Each group's auditor is told so by the skill's name, not its code.
    auditors = {str(c.pk) for c in patrol["pool"][2:4]}
    for g in groups:
        why = [w for c, ws in g["reasons"].items() if c in auditors for w in ws]
        assert any(w.startswith("具备审计专长") for w in why), why
        assert not any("audit" in w for w in why)
    round_staffing.plan_confirm(actor=staff, run=run)
    round_.refresh_from_db()
    assert round_.staffed_at is not None
    assert RoundMember.objects.filter(round=round_, role="leader").count() == 1
    assert RoundMember.objects.filter(round=round_, role="deputy").count() == 1
    assert set(Inspection.objects.filter(round=round_).values_list("group_id", flat=True)) == {
        holder["group"]
    }
    assert list(round_.groups.values_list("pk", flat=True)) == [holder["group"]]  # the other left out
    assert AuditEvent.objects.filter(action="plan.confirm").exists()


def test_a_hand_edit_into_a_conflict_is_refused_with_its_reason_and_changes_nothing(patrol, world):
    staff, round_ = patrol["staff"], patrol["round"]
    run = round_staffing.plan_run_submit(actor=staff, round_=round_, time_limit=5)
    run.refresh_from_db()
    group = next(g for g in run.proposal["groups"] if patrol["targets"][0].pk in g["targets"])
    outsider = next(
        c for c in patrol["pool"] if not any(c.pk in g["members"] for g in run.proposal["groups"])
    )
    conflict_declare(actor=world.admin, cadre=outsider, organization=patrol["targets"][0], kind="former_post")
    before = run.proposal
    with pytest.raises(ValidationError) as info:
        round_staffing.plan_member_change(actor=staff, run=run, group_id=group["group"], add=outsider.pk)
    assert "回避关系" in " ".join(info.value.messages) and "曾在该单位任职" in " ".join(info.value.messages)
    run.refresh_from_db()
    assert run.proposal == before


def test_an_impossible_round_says_why(patrol, world):
    from lijian.people.models import Cadre

    Cadre.objects.filter(skills__code="audit").update(in_pool=False)  # no auditor left
    run = round_staffing.plan_run_submit(actor=patrol["staff"], round_=patrol["round"], time_limit=5)
    run.refresh_from_db()
    assert run.status == PlanStatus.INFEASIBLE
    assert any("审计或财务" in p for p in run.problems)


def test_others_cannot_plan_this_bodys_rounds(patrol, world):
    with pytest.raises(PermissionDenied):
        round_staffing.plan_run_submit(actor=world.outsider, round_=patrol["round"])
    with pytest.raises(PermissionDenied):
        services.round_add_targets(
            actor=world.users[Role.LEADER], round_=patrol["round"], organizations=[world.v1]
        )


def test_targets_must_lie_in_the_bodys_jurisdiction(patrol, world):
    with pytest.raises(ValidationError):
        services.round_add_targets(actor=patrol["staff"], round_=patrol["round"], organizations=[world.v2])
    with pytest.raises(ValidationError):
        services.round_add_targets(
            actor=patrol["staff"], round_=patrol["round"], organizations=[patrol["targets"][0]]
        )


ALLOWED = STAGE_TRANSITIONS.pairs()
SERVICES = {
    Stage.PREPARATION: lambda actor, i: services.inspection_prepare(actor=actor, inspection=i),
    Stage.ONSITE: lambda actor, i: services.inspection_enter_site(
        actor=actor, inspection=i, on=D(2024, 3, 10)
    ),
    Stage.REPORT: lambda actor, i: services.inspection_leave_site(
        actor=actor, inspection=i, on=D(2024, 4, 10)
    ),
    Stage.FEEDBACK: lambda actor, i: services.inspection_feed_back(
        actor=actor, inspection=i, on=D(2024, 6, 1)
    ),
    Stage.TRANSFER: lambda actor, i: services.inspection_transfer(actor=actor, inspection=i),
    Stage.RECTIFICATION: lambda actor, i: services.inspection_start_rectification(actor=actor, inspection=i),
    Stage.ARCHIVED: lambda actor, i: services.inspection_archive(actor=actor, inspection=i),
    Stage.WITHDRAWN: lambda actor, i: services.inspection_withdraw(
        actor=actor, inspection=i, reason="调整计划"
    ),
}


@pytest.mark.parametrize("source", [s for s in Stage.values if s != Stage.WITHDRAWN])
@pytest.mark.parametrize("target", [s for s in Stage.values if s != Stage.PLANNED])
def test_each_stage_transition_is_allowed_or_refused_as_the_table_says(patrol, world, source, target):
    inspection = Inspection.objects.filter(round=patrol["round"]).first()
    Inspection.objects.filter(pk=inspection.pk).update(stage=source, group=patrol["groups"][0])
    inspection.refresh_from_db()
    if (source, target) in ALLOWED:
        SERVICES[target](patrol["staff"], inspection)
        inspection.refresh_from_db()
        assert inspection.stage == target
    else:
        with pytest.raises(ValidationError):
            SERVICES[target](patrol["staff"], inspection)
        inspection.refresh_from_db()
        assert inspection.stage == source


def test_only_the_groups_members_and_the_office_record_fieldwork(patrol, world):
    from lijian.inspections.models import FieldworkMethod
    from lijian.inspections.services import activity_record, staffing_rules_update

    # One target per group and no deputy: both groups are staffed from the two division-level cadres.
    staffing_rules_update(actor=world.admin, body=world.body1, max_targets=1, deputy_count=0)
    run = round_staffing.plan_run_submit(actor=patrol["staff"], round_=patrol["round"], time_limit=5)
    run.refresh_from_db()
    round_staffing.plan_confirm(actor=patrol["staff"], run=run)
    inspection = Inspection.objects.filter(round=patrol["round"]).first()
    services.inspection_prepare(actor=patrol["staff"], inspection=inspection)
    member = RoundMember.objects.filter(round=patrol["round"], group=inspection.group).first().cadre
    member.user = world.users[Role.GROUP_MEMBER]
    member.save()
    talks = FieldworkMethod.objects.get(code="individual_talks")
    activity = activity_record(
        actor=world.users[Role.GROUP_MEMBER],
        inspection=inspection,
        method=talks,
        on=D(2024, 3, 12),
        count=15,
        notes="与班子成员逐一谈话",
    )
    assert activity.count == 15
    other = RoundMember.objects.filter(round=patrol["round"]).exclude(group=inspection.group).first().cadre
    other.user = world.users[Role.GROUP_LEADER]
    other.save()
    with pytest.raises(PermissionDenied):
        activity_record(
            actor=world.users[Role.GROUP_LEADER], inspection=inspection, method=talks, on=D(2024, 3, 12)
        )


def test_a_deputy_chosen_by_hand_is_confirmed_as_deputy(patrol, world):
    from lijian.inspections.services import staffing_rules_update

    # Section-level cadres may be deputies here, so a second one can be chosen by hand.
    staffing_rules_update(actor=world.admin, body=world.body1, deputy_min_rank="section")
    run = round_staffing.plan_run_submit(actor=patrol["staff"], round_=patrol["round"], time_limit=5)
    run.refresh_from_db()
    group = run.proposal["groups"][0]
    deputy = next(c for c in group["members"] if c != group["leader"] and c not in group["deputies"])
    round_staffing.plan_member_change(actor=patrol["staff"], run=run, group_id=group["group"], deputy=deputy)
    round_staffing.plan_confirm(actor=patrol["staff"], run=run)
    assert RoundMember.objects.get(round=patrol["round"], cadre_id=deputy).role == "deputy"
    with pytest.raises(ValidationError):  # a confirmed plan is not edited any more
        round_staffing.plan_member_change(actor=patrol["staff"], run=run, group_id=group["group"], deputy=deputy)


def test_a_plan_is_confirmed_once_and_a_stale_plan_is_refused_by_name(patrol, world):
    staff, round_ = patrol["staff"], patrol["round"]
    first = round_staffing.plan_run_submit(actor=staff, round_=round_, time_limit=5)
    second = round_staffing.plan_run_submit(actor=staff, round_=round_, time_limit=5)
    first.refresh_from_db()
    second.refresh_from_db()
    # A member leaves the pool after the run: confirming names the change instead of failing.
    member = second.proposal["groups"][0]["members"][0]
    patrol["pool"][0].__class__.objects.filter(pk=member).update(in_pool=False)
    with pytest.raises(ValidationError) as refused:
        round_staffing.plan_confirm(actor=staff, run=second)
    assert any("已不在人才库中" in m for m in refused.value.messages)
    patrol["pool"][0].__class__.objects.filter(pk=member).update(in_pool=True)
    round_staffing.plan_confirm(actor=staff, run=first)
    kept = sorted(RoundMember.objects.filter(round=round_).values_list("cadre_id", flat=True))
    with pytest.raises(ValidationError, match="已经确认"):  # the other plan cannot replace it
        round_staffing.plan_confirm(actor=staff, run=second)
    assert sorted(RoundMember.objects.filter(round=round_).values_list("cadre_id", flat=True)) == kept


def test_the_rules_page_saves_and_audits_what_changed(patrol, world, client):
    from lijian.inspections.models import StaffingRules
    from lijian.people.models import Skill

    client.force_login(patrol["staff"])
    url = f"/inspections/bodies/{world.body1.pk}/rules/"
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields if name != "required_skills"}
    data = {k: v for k, v in data.items() if v is not None}
    data.update(size_max=8, required_skills=[Skill.objects.get(code="audit").pk])
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    assert StaffingRules.objects.get(body=world.body1).size_max == 8
    event = AuditEvent.objects.get(action="rules.update")
    assert event.before["size_max"] == 7 and event.after["size_max"] == 8


def test_the_deputy_button_makes_and_unmakes_a_deputy(patrol, world, client):
    from lijian.inspections.services import staffing_rules_update

    # Section-level cadres may be deputies here, so a second one can be chosen by hand.
    staffing_rules_update(actor=world.admin, body=world.body1, deputy_min_rank="section")
    run = round_staffing.plan_run_submit(actor=patrol["staff"], round_=patrol["round"], time_limit=5)
    run.refresh_from_db()
    group = run.proposal["groups"][0]
    named = group["deputies"]  # the optimiser names the one deputy the rules ask for
    assert len(named) == 1
    deputy = next(c for c in group["members"] if c != group["leader"] and c not in named)
    client.force_login(patrol["staff"])
    url = f"/inspections/plans/{run.pk}/member/"
    client.post(url, {"group": group["group"], "deputy": deputy})
    run.refresh_from_db()
    assert run.proposal["groups"][0]["deputies"] == [*named, deputy]
    client.post(url, {"group": group["group"], "deputy": deputy})
    run.refresh_from_db()
    assert run.proposal["groups"][0]["deputies"] == named
    # Taking away the only deputy the rules ask for is refused.
    client.post(url, {"group": group["group"], "deputy": named[0]})
    run.refresh_from_db()
    assert run.proposal["groups"][0]["deputies"] == named


def test_a_standing_groups_page_is_the_offices_and_takes_staff_from_its_pool(patrol, world, client):
    from ..world import make_cadre

    group = patrol["groups"][0]
    client.force_login(world.users[Role.GROUP_LEADER])
    assert client.get(f"/inspections/groups/{group.pk}/").status_code == 404
    stranger = make_cadre(world, "X-1", world.d2)  # 河西: not in 和平's pool
    client.force_login(patrol["staff"])
    response = client.post(f"/inspections/groups/{group.pk}/", {"codes": f"C00 {stranger.cadre_id}"})
    assert "本机构人才库中没有这些编号：X-1" in response.content.decode()
    assert not group.core_staff.exists()


def test_former_posts_count_back_from_29_february():
    from lijian.people.selectors import years_before

    assert years_before(D(2028, 2, 29), 5) == D(2023, 2, 28)
    assert years_before(D(2028, 3, 1), 5) == D(2023, 3, 1)


def test_members_are_listed_leader_then_deputies_then_members(client, world):
    from django.urls import reverse
    from django.utils import timezone

    from ..world import build_rounds

    rounds = build_rounds(world)
    rounds.round1.staffed_at = timezone.now()  # the round page lists a confirmed composition
    rounds.round1.save(update_fields=["staffed_at"])
    client.force_login(world.users[Role.OFFICE_STAFF])
    for url, card in (
        (reverse("inspections:round", args=[rounds.round1.pk]), 'id="composition"'),
        (reverse("inspections:inspection", args=[rounds.inspection1.pk]), "本组成员"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        page = page[page.index(card) :]
        assert page.index(" · 组长 · ") < page.index(" · 副组长 · ") < page.index(" · 组员 · "), url


def test_a_staffing_run_solved_here_searches_deterministically_when_asked(patrol, monkeypatch):
    # The solver runs in its own thread: the demo's deterministic_search must reach it all the same.
    seen = []
    solve = round_staffing.st.solve_round

    def spy(*args, **kwargs):
        seen.append(is_deterministic())
        return solve(*args, **kwargs)

    monkeypatch.setattr(round_staffing.st, "solve_round", spy)
    with deterministic_search():
        run = round_staffing.plan_run_submit(
            actor=patrol["staff"], round_=patrol["round"], time_limit=5, background=False
        )
    round_staffing.plan_run_submit(
        actor=patrol["staff"], round_=patrol["round"], time_limit=5, background=False
    )
    assert run.status == PlanStatus.DONE and seen == [True, False]
