"""The permission vocabulary: each named scope is defined once, its filter and its object check
agree, each holds for the people in it and for nobody else, and ``<entity>_get`` answers 404 for a
record the user may not see and 403 for one they see but may not act on."""

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404
from django.urls import reverse

from lijian.accounts.choices import Role
from lijian.accounts.scopes import OFFICE, ORGANIZATION
from lijian.core.permissions import SCOPES, Action, Perm, register_scope, visible_get
from lijian.findings import selectors as findings_selectors
from lijian.findings.models import Clue
from lijian.inspections import selectors as inspection_selectors
from lijian.inspections.choices import ACTION_INTO_STAGE, STAGE_TRANSITIONS, Stage, next_stage_actions
from lijian.inspections.models import Inspection
from lijian.inspections.scopes import GROUP
from lijian.inspections.views import STAGE_ACTIONS
from lijian.orgs.models import InspectionBody, Organization

from ..world import build_findings, build_rounds


@pytest.fixture
def rounds(world):
    return build_rounds(world)


def test_the_four_scopes_are_registered_once_each():
    assert {OFFICE, ORGANIZATION, GROUP, findings_selectors.DEPARTMENT} <= set(SCOPES.values())
    with pytest.raises(ImproperlyConfigured):
        register_scope(OFFICE.name, q=OFFICE.q, holds=OFFICE.holds)


def _both(scope, user, perm, model, anchors, field=""):
    """The anchors the scope's filter keeps, checked against its object check one by one."""
    q = scope.q(user, perm, field)
    kept = set() if q is None else set(model.objects.filter(q).filter(pk__in=[a.pk for a in anchors]))
    assert kept == {a for a in anchors if scope.holds(user, perm, a)}, scope.name
    return kept


def test_the_office_of_a_body_is_its_staff_and_the_leaders_over_it_never_a_group_or_a_liaison(world):
    bodies = [world.body1, world.body2, world.city_body]
    staff = world.users[Role.OFFICE_STAFF]
    assert _both(OFFICE, staff, Perm.ROUND_MANAGE, InspectionBody, bodies) == {world.body1}
    assert _both(OFFICE, world.outsider, Perm.ROUND_MANAGE, InspectionBody, bodies) == {world.body2}
    # A leader over 和平 reads its body's record as the office does, but does not manage it.
    leader = world.users[Role.LEADER]
    assert _both(OFFICE, leader, Perm.ROUND_VIEW, InspectionBody, bodies) == {world.body1}
    assert _both(OFFICE, leader, Perm.ROUND_MANAGE, InspectionBody, bodies) == set()
    # Grants of a group or a liaison over 和平 reach part of the record: never the office's.
    for role in (Role.GROUP_LEADER, Role.GROUP_MEMBER, Role.LIAISON):
        assert _both(OFFICE, world.users[role], Perm.ROUND_VIEW, InspectionBody, bodies) == set(), role
    assert _both(OFFICE, world.admin, Perm.ROUND_MANAGE, InspectionBody, bodies) == set(bodies)


def test_the_group_of_an_inspection_is_the_people_serving_in_it_that_round(world, rounds):
    inspections = [rounds.inspection1, rounds.inspection2, rounds.spare1]
    for role in (Role.GROUP_LEADER, Role.GROUP_MEMBER):
        user = world.users[role]
        assert _both(GROUP, user, Perm.FINDINGS_VIEW, Inspection, inspections) == {rounds.inspection1}, role
    # The office reaches inspections as the office, not as a group; a liaison not at all.
    for user in (world.users[Role.OFFICE_STAFF], world.users[Role.LIAISON], world.admin):
        assert GROUP.q(user, Perm.FINDINGS_VIEW, "") is None
        assert _both(GROUP, user, Perm.FINDINGS_VIEW, Inspection, inspections) == set()


def test_over_the_organisation_is_a_grant_over_its_subtree(world):
    orgs = [world.d1, world.t1, world.v1, world.t2, world.root]
    liaison = world.users[Role.LIAISON]
    assert _both(ORGANIZATION, liaison, Perm.RECTIFICATION_EDIT, Organization, orgs) == {
        world.d1,
        world.t1,
        world.v1,
    }
    # The office holds no right to write an organisation's rectification: that is its liaison's.
    assert ORGANIZATION.q(world.users[Role.OFFICE_STAFF], Perm.RECTIFICATION_EDIT, "") is None
    leader = world.users[Role.LEADER]
    assert _both(ORGANIZATION, leader, Perm.INSTRUCTION_GIVE, Organization, orgs) == {
        world.d1,
        world.t1,
        world.v1,
    }


def test_the_department_of_a_transfer_sees_its_clues_after_the_transfer_only(world, rounds):
    f = build_findings(world, rounds)
    clues = [f.clue1, f.clue2]
    department = world.users[Role.DEPARTMENT]
    assert _both(findings_selectors.DEPARTMENT, department, Perm.CLUE_ANSWER, Clue, clues) == {f.clue1}
    Clue.objects.filter(pk=f.clue1.pk).update(status="recorded")  # as if never handed over
    f.clue1.refresh_from_db()
    assert _both(findings_selectors.DEPARTMENT, department, Perm.CLUE_ANSWER, Clue, clues) == set()
    assert findings_selectors.DEPARTMENT.q(world.users[Role.OFFICE_STAFF], Perm.CLUE_ANSWER, "") is None


def test_entity_get_answers_404_for_the_hidden_and_403_for_a_refused_action(world, rounds):
    staff, member = world.users[Role.OFFICE_STAFF], world.users[Role.GROUP_MEMBER]
    # Out of scope, unknown or malformed: 404 whatever the action.
    for pk in (rounds.inspection2.pk, 10**9, "x", None):
        with pytest.raises(Http404):
            inspection_selectors.inspection_get(staff, pk, inspection_selectors.MANAGE)
    # Seen, and allowed: the inspection itself.
    assert inspection_selectors.inspection_get(staff, rounds.inspection1.pk, inspection_selectors.MANAGE) == (
        rounds.inspection1
    )
    # A group member sees their inspection and records fieldwork there, but does not manage it.
    assert inspection_selectors.inspection_get(
        member, rounds.inspection1.pk, inspection_selectors.FIELDWORK_RECORD
    )
    with pytest.raises(PermissionDenied):
        inspection_selectors.inspection_get(member, rounds.inspection1.pk, inspection_selectors.MANAGE)
    # The refusal says what the service says.
    world_liaison = world.users[Role.LIAISON]
    with pytest.raises(Http404):
        inspection_selectors.inspection_get(world_liaison, rounds.inspection1.pk)


def test_a_refused_action_tells_the_services_message(world, rounds):
    f = build_findings(world, rounds)
    member = world.users[Role.GROUP_MEMBER]
    with pytest.raises(PermissionDenied) as refused:
        findings_selectors.problem_get(member, f.problem1.pk, findings_selectors.PROBLEM_REVIEW)
    assert str(refused.value) == "只有本组组长、副组长和巡视巡察办可以审定问题。"
    with pytest.raises(Http404):
        findings_selectors.problem_get(member, f.problem2.pk, findings_selectors.PROBLEM_REVIEW)
    assert (
        findings_selectors.problem_get(member, f.problem1.pk, findings_selectors.PROBLEM_EDIT) == f.problem1
    )


def test_visible_get_checks_the_action_only_on_a_visible_record(world):
    calls = []
    action = Action(lambda user, obj: calls.append(obj) or False, "不行")
    with pytest.raises(Http404):
        visible_get(InspectionBody.objects.none(), world.body1.pk, user=world.admin, action=action)
    assert calls == []
    with pytest.raises(PermissionDenied, match="不行"):
        visible_get(InspectionBody.objects.all(), world.body1.pk, user=world.admin, action=action)
    assert calls == [world.body1]


def test_the_stage_buttons_follow_the_transition_table():
    assert [a for a, _ in next_stage_actions(Stage.PLANNED)] == ["prepare", "withdraw"]
    assert [a for a, _ in next_stage_actions(Stage.PREPARATION)] == ["enter_site", "withdraw"]
    assert next_stage_actions(Stage.REPORT) == []  # feedback has its own form
    assert next_stage_actions(Stage.ARCHIVED) == []
    for stage in Stage:
        for action, _label in next_stage_actions(stage):
            target = next(t for t, (a, _) in ACTION_INTO_STAGE.items() if a == action)
            assert STAGE_TRANSITIONS.can(stage, target)
    # Every button has a service behind it, and every service a button.
    assert {a for a, _ in ACTION_INTO_STAGE.values()} == set(STAGE_ACTIONS)


def test_petition_get_hides_from_outsiders_and_refuses_a_group_what_only_the_office_does(world, rounds):
    from lijian.petitions import selectors as petition_selectors

    from ..world import build_petitions

    build_findings(world, rounds)
    p = build_petitions(world, rounds)
    member, staff = world.users[Role.GROUP_MEMBER], world.users[Role.OFFICE_STAFF]
    # Routed to the member's group: they answer it, but do not route, close or reveal it.
    assert petition_selectors.petition_get(member, p.petition1.pk, petition_selectors.PETITION_ANSWER)
    with pytest.raises(PermissionDenied) as refused:
        petition_selectors.petition_get(member, p.petition1.pk, petition_selectors.PETITION_MANAGE)
    assert str(refused.value) == "只有受理机构的巡视巡察办可以转办或办结信访件。"
    assert petition_selectors.petition_get(staff, p.petition1.pk, petition_selectors.PETITION_MANAGE)
    # Another district's petition: not found, whatever the action.
    for user in (member, staff):
        with pytest.raises(Http404):
            petition_selectors.petition_get(user, p.petition2.pk, petition_selectors.PETITION_ANSWER)


def test_a_page_refuses_with_the_services_message(world, rounds, login):
    f = build_findings(world, rounds)
    client = login(world.users[Role.GROUP_MEMBER])
    answer = client.post(reverse("findings:problem_review", args=[f.problem1.pk, "approve"]))
    assert answer.status_code == 403
    assert "只有本组组长、副组长和巡视巡察办可以审定问题。" in answer.content.decode()


def test_a_conflict_outside_the_users_pool_scope_is_not_found(world, rounds):
    from lijian.people import selectors as people_selectors

    staff, leader = world.users[Role.OFFICE_STAFF], world.users[Role.LEADER]
    assert (
        people_selectors.conflict_get(staff, rounds.conflict1.pk, perm=Perm.POOL_MANAGE) == rounds.conflict1
    )
    assert people_selectors.conflict_get(leader, rounds.conflict1.pk) == rounds.conflict1
    for user, pk, perm in (
        (staff, rounds.conflict2.pk, Perm.POOL_MANAGE),  # another district's cadre
        (leader, rounds.conflict1.pk, Perm.POOL_MANAGE),  # a leader reads the pool, does not keep it
        (staff, "x", Perm.POOL_VIEW),
    ):
        with pytest.raises(Http404):
            people_selectors.conflict_get(user, pk, perm=perm)
