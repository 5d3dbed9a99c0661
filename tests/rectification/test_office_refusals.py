"""The office's moves on rectification (feedback, supervision, evaluation, disclosure, interviews,
accountability, self-criticisms) are refused once, in one message: the service checks the move's
``Action`` and the page asks for the same ``Action`` before it reads a form, so both tell the same
words, and a record the user may not see stays 404."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from lijian.accounts.choices import Role
from lijian.rectification import disclosure, selectors, services, supervision
from lijian.rectification.instructions import selectors as instruction_selectors
from lijian.rectification.instructions import services as instructions

from ..world import build_findings, build_rectification, build_rounds

D = datetime.date


@pytest.fixture
def rect(world):
    rounds = build_rounds(world)
    return build_rectification(world, rounds, build_findings(world, rounds))


def _refused(call) -> str:
    with pytest.raises(PermissionDenied) as refused:
        call()
    return str(refused.value)


def test_each_office_service_refuses_in_its_actions_words(world, rect):
    leader = world.users[Role.LEADER]  # sees the body's rectification, manages none of it
    body, organization, inspection = world.body1, world.t1, rect.inspection1
    calls = {
        selectors.FEEDBACK_GIVE: lambda: services.feedback_give(
            actor=leader, inspection=inspection, held_on=D(2024, 5, 10), given_by="甲", received_by="乙"
        ),
        selectors.SUPERVISE: lambda: supervision.supervision_record(
            actor=leader,
            body=body,
            organization=organization,
            method="letter",
            held_on=D(2024, 7, 1),
            content="x",
        ),
        selectors.EVALUATE: lambda: supervision.evaluation_record(
            actor=leader,
            body=body,
            organization=organization,
            term=world.term1,
            evaluated_on=D(2024, 9, 1),
            scores={},
        ),
        selectors.DISCLOSE: lambda: disclosure.disclosure_withdraw(actor=leader, disclosure=rect.disclosure1),
        selectors.INTERVIEW_RECORD: lambda: services.interview_record(
            actor=leader,
            body=body,
            organization=organization,
            interviewer="甲",
            interviewee="乙",
            reason="整改不力",
            held_on=D(2024, 9, 1),
        ),
        selectors.ACCOUNTABILITY_RECORD: lambda: services.accountability_record(
            actor=leader,
            body=body,
            organization=organization,
            subject_name="乙",
            subject_post="书记",
            action="criticism",
            reason="整改不力",
            decided_by="区纪委",
            decided_on=D(2024, 9, 1),
            inspection=inspection,
        ),
        selectors.SELF_CRITICISM_DECIDE: lambda: services.self_criticism_accept(
            actor=leader, item=rect.self_criticism1
        ),
        selectors.SELF_CRITICISM_SUBMIT: lambda: services.self_criticism_submit(
            actor=leader, item=rect.self_criticism1, text="深刻检查" * 10
        ),
    }
    for action, call in calls.items():
        assert _refused(call) == str(action.refusal)
        assert str(action.refusal).startswith("只有")  # says who may, never the generic refusal


def test_the_entity_getters_answer_404_for_the_hidden_and_403_for_a_refused_move(world, rect):
    staff, liaison = world.users[Role.OFFICE_STAFF], world.users[Role.LIAISON]
    assert selectors.inspection_get(staff, rect.inspection1.pk, selectors.SUPERVISE) == rect.inspection1
    assert selectors.disclosure_get(staff, rect.disclosure1.pk, selectors.DISCLOSE) == rect.disclosure1
    # the liaison sees their organisation's rectification but presses none of it
    refusal = _refused(lambda: selectors.inspection_get(liaison, rect.inspection1.pk, selectors.EVALUATE))
    assert refusal == "只有巡视巡察办可以评估整改。"
    assert selectors.self_criticism_get(liaison, rect.self_criticism1.pk, selectors.SELF_CRITICISM_SUBMIT)
    for getter, pk in (
        (selectors.inspection_get, rect.inspection2.pk),
        (selectors.disclosure_get, rect.disclosure2.pk),
        (selectors.self_criticism_get, rect.self_criticism2.pk),
    ):
        with pytest.raises(Http404):
            getter(staff, pk, selectors.DISCLOSE)


def test_a_page_refuses_an_office_move_with_the_services_message(world, rect, login):
    client = login(world.users[Role.LIAISON])
    url = reverse("rectification:self_criticism", args=[rect.self_criticism1.pk])
    answer = client.post(url, {"action": "accept"})
    assert answer.status_code == 403
    assert "只有巡视巡察办可以认定、通过或退回深刻检查。" in answer.content.decode()
    rect.self_criticism1.refresh_from_db()
    assert rect.self_criticism1.status == "due"
    # an unknown move is not found, whoever asks
    assert client.post(url, {"action": "burn"}).status_code == 404
    client = login(world.users[Role.LEADER])
    answer = client.post(url, {"action": "submit", "text": "深刻检查" * 10})
    assert answer.status_code == 403
    assert "只有该党组织的联络员可以提交深刻检查。" in answer.content.decode()
    answer = client.post(reverse("rectification:self_criticisms"), {"body": world.body1.pk})
    assert answer.status_code == 403
    assert "只有巡视巡察办可以认定、通过或退回深刻检查。" in answer.content.decode()


def test_an_office_without_a_fed_back_body_is_refused_the_record_pages_in_their_words(world, login):
    client = login(world.users[Role.OFFICE_STAFF])  # nothing fed back yet: no body to record for
    for name, words in (
        ("rectification:interview_new", "只有巡视巡察办可以登记约谈。"),
        ("rectification:accountability_new", "只有巡视巡察办可以登记问责。"),
    ):
        answer = client.post(reverse(name), {})
        assert answer.status_code == 403
        assert words in answer.content.decode()


def test_the_office_still_records_through_the_pages(world, rect, login):
    client = login(world.users[Role.OFFICE_STAFF])
    for name in ("rectification:supervise", "rectification:evaluate", "rectification:disclose"):
        assert client.get(reverse(name, args=[rect.inspection1.pk])).status_code == 200
    for name in ("rectification:interview_new", "rectification:accountability_new"):
        assert client.get(reverse(name)).status_code == 200
    url = reverse("rectification:self_criticisms")
    assert client.post(url, {"body": world.body1.pk, "on": "2024-09-01"}).status_code == 302
    assert "请选择本机构。" in client.post(url, {}, follow=True).content.decode()
    answer = client.post(reverse("rectification:disclosure_withdraw", args=[rect.disclosure1.pk]))
    assert answer.status_code == 302
    rect.disclosure1.refresh_from_db()
    assert rect.disclosure1.withdrawn_on is not None


def test_an_instruction_page_refuses_in_the_services_words(world, login):
    rounds = build_rounds(world)
    instruction = build_findings(world, rounds).instruction1  # given by the administrator
    leader = world.users[Role.LEADER]
    words = "只有作出批示的领导可以办结或要求继续落实。"
    assert _refused(lambda: instructions.instruction_close(actor=leader, instruction=instruction)) == words
    assert str(instruction_selectors.INSTRUCTION_LEAD.refusal) == words
    client = login(leader)
    answer = client.post(reverse("instructions:action", args=[instruction.pk, "close"]))
    assert answer.status_code == 403 and words in answer.content.decode()
    instruction.refresh_from_db()
    assert instruction.status != "closed"
    with pytest.raises(Http404):  # another district's office does not see it
        instruction_selectors.instruction_get(world.outsider, instruction.pk)
