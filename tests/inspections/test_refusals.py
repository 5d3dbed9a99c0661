"""The office's planning moves (a body's rounds and rules, a standing group's staff, an inspection's
stages) are refused once, in one message: the services check the planning ``Action`` of the record
and the group page asks ``group_get(user, pk, GROUP_MANAGE)`` before it reads the form, so both say
the same words and nothing is written; a group the user may not see stays 404."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from lijian.accounts.choices import Role
from lijian.inspections import selectors, services

from ..world import build_rounds

WORDS = "只有巡视巡察办可以规划轮次、编组和推进阶段。"


def _refused(call) -> str:
    with pytest.raises(PermissionDenied) as refused:
        call()
    return str(refused.value)


def test_each_planning_service_refuses_in_the_actions_words(world):
    rounds = build_rounds(world)
    leader = world.users[Role.LEADER]  # sees the body's rounds, plans none of them
    round_, inspection = rounds.round1, rounds.inspection1
    calls = {
        selectors.BODY_MANAGE: lambda: services.staffing_rules_update(actor=leader, body=world.body1),
        selectors.GROUP_MANAGE: lambda: services.group_set_core_staff(
            actor=leader, group=inspection.group, cadres=[]
        ),
        selectors.ROUND_MANAGE: lambda: services.round_update(actor=leader, round_=round_, theme="改"),
        selectors.MANAGE: lambda: services.inspection_prepare(actor=leader, inspection=inspection),
    }
    for action, call in calls.items():
        assert str(action.refusal) == WORDS
        assert _refused(call) == WORDS
    round_.refresh_from_db()
    assert round_.theme != "改"
    with pytest.raises(PermissionDenied):
        services.round_create(
            actor=leader,
            body=world.body1,
            term=world.term1,
            number=9,
            kind=round_.kind,
            start=datetime.date(2024, 6, 1),
            end=datetime.date(2024, 7, 1),
        )


def test_the_group_getter_answers_404_for_the_hidden_and_403_for_a_refused_move(world):
    rounds = build_rounds(world)
    group = rounds.inspection1.group
    staff = world.users[Role.OFFICE_STAFF]
    assert selectors.group_get(staff, group.pk, selectors.GROUP_MANAGE) == group
    assert (
        _refused(lambda: selectors.group_get(world.users[Role.LEADER], group.pk, selectors.GROUP_MANAGE))
        == WORDS
    )
    with pytest.raises(Http404):
        selectors.group_get(staff, rounds.inspection2.group.pk, selectors.GROUP_MANAGE)


def test_the_group_page_refuses_a_staff_change_in_the_services_words(world, login):
    rounds = build_rounds(world)
    group = rounds.inspection1.group
    url = reverse("inspections:group", args=[group.pk])
    client = login(world.users[Role.LEADER])
    assert client.get(url).status_code == 200  # the leader reads the group
    for data in ({"codes": rounds.cadre1.cadre_id}, {}):  # a valid form or not: 403 first
        answer = client.post(url, data)
        assert answer.status_code == 403
        assert WORDS in answer.content.decode()
    assert not group.core_staff.exists()
    answer = login(world.users[Role.OFFICE_STAFF]).post(url, {"codes": rounds.cadre1.cadre_id})
    assert answer.status_code == 302
