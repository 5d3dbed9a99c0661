"""The services of the committee's records: who may write, every allowed and refused transition of
instructions and rules, the rules written once (dates, replacements, subtrees), the daily escalation
and the counts the work report reads."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from lijian.accounts.choices import Role
from lijian.core.daily import daily_run
from lijian.core.models import AuditEvent, Message
from lijian.governance import selectors, services
from lijian.governance.choices import (
    INSTRUCTION_TRANSITIONS,
    REGULATION_TRANSITIONS,
    InstructionStatus,
    RegulationStatus,
)
from lijian.governance.models import MeetingInstruction, Regulation
from lijian.rectification import choices as rectification_choices

from ..world import build_governance

D = datetime.date
TODAY = timezone.localdate()


@pytest.fixture
def gov(world):
    return build_governance(world)


def _office(world):
    return world.users[Role.OFFICE_STAFF]


def _leader(world):
    return world.users[Role.LEADER]


def test_instructions_reuse_the_rectification_workflow():
    assert InstructionStatus is rectification_choices.InstructionStatus
    assert INSTRUCTION_TRANSITIONS is rectification_choices.INSTRUCTION_TRANSITIONS


# --- meetings -------------------------------------------------------------------------------------


def test_the_office_records_a_meeting_audited_and_others_may_not(world):
    meeting = services.meeting_record(
        actor=_office(world),
        body=world.body1,
        held_on=D(2024, 1, 5),
        kind="leading_group",
        title="  巡察工作领导小组会议  ",
        topics="研究第三轮巡察安排",
    )
    assert meeting.title == "巡察工作领导小组会议"
    event = AuditEvent.objects.get(action="meeting.record", object_id=str(meeting.pk))
    assert event.scope_path == world.d1.path
    for actor, body in ((_leader(world), world.body1), (world.users[Role.AUDITOR], world.body1)):
        with pytest.raises(PermissionDenied):
            services.meeting_record(
                actor=actor, body=body, held_on=D(2024, 1, 6), kind="other", title="x", topics="y"
            )
    with pytest.raises(PermissionDenied):  # another district's office
        services.meeting_record(
            actor=world.outsider, body=world.body1, held_on=D(2024, 1, 6), kind="other", title="x", topics="y"
        )


def test_a_meeting_in_the_future_or_twice_the_same_day_is_refused(world, gov):
    with pytest.raises(ValidationError) as caught:
        services.meeting_record(
            actor=_office(world),
            body=world.body1,
            held_on=TODAY + datetime.timedelta(days=1),
            kind="other",
            title="未来的会议",
            topics="议题",
        )
    assert caught.value.message_dict["held_on"] == ["日期不能晚于今天。"]
    with pytest.raises(ValidationError) as caught:
        services.meeting_record(
            actor=_office(world),
            body=world.body1,
            held_on=gov.meeting1.held_on,
            kind="other",
            title=gov.meeting1.title,
            topics="议题",
        )
    assert caught.value.messages == ["该机构在同一天已有同名会议。"]
    with pytest.raises(ValidationError):
        services.meeting_update(
            actor=_office(world), meeting=gov.meeting1, held_on=TODAY + datetime.timedelta(1)
        )


def test_the_office_edits_a_meeting_of_its_body_only(world, gov):
    services.meeting_update(actor=_office(world), meeting=gov.meeting1, decisions="限期整改")
    gov.meeting1.refresh_from_db()
    assert gov.meeting1.decisions == "限期整改"
    with pytest.raises(PermissionDenied):
        services.meeting_update(actor=_office(world), meeting=gov.meeting2, decisions="x")


# --- instructions ---------------------------------------------------------------------------------


def _give(world, meeting, **extra):
    values = {
        "text": "抓紧整改",
        "due_on": TODAY + datetime.timedelta(days=30),
        "assignee_name": "区委巡察办",
    }
    values.update(extra)
    return services.meeting_instruction_give(
        actor=extra.pop("actor", _leader(world)), meeting=meeting, **values
    )


def test_a_leader_gives_an_instruction_and_the_assignee_is_told(world, gov):
    office = _office(world)
    instruction = services.meeting_instruction_give(
        actor=_leader(world),
        meeting=gov.meeting1,
        text="抓紧整改",
        due_on=TODAY + datetime.timedelta(days=30),
        assignee=office,
    )
    assert instruction.given_by == _leader(world)
    assert instruction.given_by_name == _leader(world).display_name
    assert instruction.assignee_name == office.display_name
    assert instruction.given_on == gov.meeting1.held_on
    assert Message.objects.filter(recipient=office, key=f"meeting-instruction:{instruction.pk}:0").exists()


def test_who_may_give_an_instruction(world, gov):
    for actor in (world.users[Role.AUDITOR], world.users[Role.GROUP_LEADER], world.outsider):
        with pytest.raises(PermissionDenied):
            services.meeting_instruction_give(
                actor=actor, meeting=gov.meeting1, text="x", due_on=TODAY, assignee_name="办"
            )
    # the office records one given by a leader without an account
    instruction = services.meeting_instruction_give(
        actor=_office(world),
        meeting=gov.meeting1,
        given_by_name="区委书记",
        text="x",
        due_on=TODAY,
        assignee_name="办",
    )
    assert instruction.given_by is None and instruction.given_by_name == "区委书记"


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"text": "  "}, "text"),
        ({"assignee_name": ""}, "assignee_name"),
        ({"due_on": None}, "due_on"),
        ({"due_on": D(2024, 2, 1)}, "due_on"),  # before the meeting's day
        ({"given_on": D(2024, 2, 1)}, "given_on"),  # before the meeting
        ({"given_on": TODAY + datetime.timedelta(days=1)}, "given_on"),
    ],
)
def test_bad_instructions_are_refused_with_a_message(world, gov, values, field):
    before = MeetingInstruction.objects.count()
    with pytest.raises(ValidationError) as caught:
        _give(world, gov.meeting1, **values)
    assert field in caught.value.message_dict
    assert MeetingInstruction.objects.count() == before


def test_every_instruction_transition_allowed_and_refused(world, gov):
    office, leader = _office(world), _leader(world)
    instruction = gov.instruction1  # open, given by the leader, charged to the office staff
    # open: closing or reopening is refused (not answered yet)
    with pytest.raises(ValidationError):
        services.meeting_instruction_close(actor=leader, instruction=instruction)
    with pytest.raises(ValidationError):
        services.meeting_instruction_reopen(actor=leader, instruction=instruction, follow_up_asked="再查")
    # open → answered, by the assignee; the leader is told
    with pytest.raises(ValidationError):
        services.meeting_instruction_answer(actor=office, instruction=instruction, answer=" ")
    services.meeting_instruction_answer(actor=office, instruction=instruction, answer="已督促整改")
    assert instruction.status == InstructionStatus.ANSWERED and instruction.answered_on == TODAY
    assert Message.objects.filter(recipient=leader, key__startswith="meeting-instruction-answer:").exists()
    # answered → answered is refused
    with pytest.raises(ValidationError):
        services.meeting_instruction_answer(actor=office, instruction=instruction, answer="又一次")
    # answered → open (reopen), only by the leader who gave it
    with pytest.raises(PermissionDenied):
        services.meeting_instruction_reopen(actor=office, instruction=instruction, follow_up_asked="再查")
    with pytest.raises(ValidationError):
        services.meeting_instruction_reopen(
            actor=leader,
            instruction=instruction,
            follow_up_asked="再查",
            due_on=TODAY - datetime.timedelta(1),
        )
    services.meeting_instruction_reopen(
        actor=leader, instruction=instruction, follow_up_asked="再查", due_on=TODAY + datetime.timedelta(9)
    )
    assert instruction.status == InstructionStatus.OPEN and instruction.escalated_on is None
    assert Message.objects.filter(key=f"meeting-instruction:{instruction.pk}:1").exists()
    # answered → closed, only by the leader who gave it
    services.meeting_instruction_answer(actor=office, instruction=instruction, answer="已整改到位")
    with pytest.raises(PermissionDenied):
        services.meeting_instruction_close(actor=office, instruction=instruction)
    services.meeting_instruction_close(actor=leader, instruction=instruction)
    assert instruction.status == InstructionStatus.CLOSED and instruction.closed_on == TODAY
    # closed is final
    for service, extra in (
        (services.meeting_instruction_answer, {"answer": "x"}),
        (services.meeting_instruction_close, {}),
        (services.meeting_instruction_reopen, {"follow_up_asked": "x"}),
    ):
        actor = office if service is services.meeting_instruction_answer else leader
        with pytest.raises(ValidationError):
            service(actor=actor, instruction=instruction, **extra)
    actions = list(
        AuditEvent.objects.filter(object_type="governance.meetinginstruction", object_id=str(instruction.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "meeting_instruction.give",
        "meeting_instruction.answer",
        "meeting_instruction.reopen",
        "meeting_instruction.answer",
        "meeting_instruction.close",
    ]


def test_the_table_has_exactly_the_moves_the_services_use():
    assert INSTRUCTION_TRANSITIONS.pairs() == {
        ("open", "answered"),
        ("answered", "closed"),
        ("answered", "open"),
    }


def test_an_instruction_of_a_leader_without_account_is_closed_by_the_office(world, gov):
    office = world.outsider  # 河西's office, which the instruction of 河西 is charged to
    instruction = gov.instruction2
    services.meeting_instruction_answer(actor=office, instruction=instruction, answer="已落实")
    with pytest.raises(PermissionDenied):
        services.meeting_instruction_close(actor=_leader(world), instruction=instruction)
    services.meeting_instruction_close(actor=office, instruction=instruction)
    assert instruction.status == InstructionStatus.CLOSED


def test_a_follow_up_recorded_late_keeps_its_day_and_no_day_out_of_order(world, gov):
    """The office may record an answer given weeks ago, and the leader a closing, on their own days
    (the work report counts instructions closed by its date); not before the step they follow, not
    in the future."""
    office, instruction = world.outsider, gov.instruction2
    given = instruction.given_on
    for on in (given - datetime.timedelta(1), TODAY + datetime.timedelta(1)):
        with pytest.raises(ValidationError) as refused:
            services.meeting_instruction_answer(actor=office, instruction=instruction, answer="已落实", on=on)
        assert "answered_on" in refused.value.message_dict
    services.meeting_instruction_answer(
        actor=office, instruction=instruction, answer="已落实", on=given + datetime.timedelta(10)
    )
    with pytest.raises(ValidationError):
        services.meeting_instruction_close(
            actor=office, instruction=instruction, on=given + datetime.timedelta(9)
        )
    services.meeting_instruction_close(
        actor=office, instruction=instruction, on=given + datetime.timedelta(12)
    )
    instruction.refresh_from_db()
    assert (instruction.answered_on, instruction.closed_on) == (
        given + datetime.timedelta(10),
        given + datetime.timedelta(12),
    )


def test_others_may_not_answer(world, gov):
    for actor in (_leader(world), world.users[Role.AUDITOR], world.outsider):
        with pytest.raises(PermissionDenied):
            services.meeting_instruction_answer(actor=actor, instruction=gov.instruction1, answer="x")


def test_overdue_instructions_are_escalated_once_in_the_daily_job(world, gov):
    office, leader = _office(world), _leader(world)
    on = D(2024, 5, 2)  # both instructions were due 2024-04-30
    counts = daily_run(on)
    assert counts["meeting_instructions"] == 2
    gov.instruction1.refresh_from_db()
    assert gov.instruction1.escalated_on == on
    assert AuditEvent.objects.filter(action="meeting_instruction.overdue").count() == 2
    fact = f"meeting-instruction-overdue:{gov.instruction1.pk}"
    assert set(Message.objects.filter(key=fact).values_list("recipient", flat=True)) == {office.pk, leader.pk}
    assert daily_run(on + datetime.timedelta(days=1))["meeting_instructions"] == 0


# --- rules ----------------------------------------------------------------------------------------


def _rule(world, name, issued_on, body=None, actor=None):
    return services.regulation_register(
        actor=actor or _office(world), body=body or world.body1, name=name, issuer="区委", issued_on=issued_on
    )


def test_every_rule_transition_allowed_and_refused(world, gov):
    office = _office(world)
    old = gov.regulation1
    newer = _rule(world, "巡察工作实施办法（修订）", D(2024, 1, 1))
    assert REGULATION_TRANSITIONS.pairs() == {
        ("in_force", "revised"),
        ("in_force", "repealed"),
        ("revised", "in_force"),
    }
    with pytest.raises(ValidationError):  # in force → in force
        services.regulation_move(actor=office, regulation=old, action="restore")
    with pytest.raises(ValidationError) as caught:  # a revision names the newer text
        services.regulation_move(actor=office, regulation=old, action="revise")
    assert "replaced_by" in caught.value.message_dict
    with pytest.raises(ValidationError):  # not itself
        services.regulation_move(actor=office, regulation=old, action="revise", replaced_by=old)
    with pytest.raises(ValidationError):  # not an older text
        services.regulation_move(actor=office, regulation=newer, action="revise", replaced_by=old)
    with pytest.raises(ValidationError):  # not another body's
        services.regulation_move(actor=office, regulation=old, action="revise", replaced_by=gov.regulation2)
    with pytest.raises(ValidationError):  # not in the future
        services.regulation_move(
            actor=office, regulation=old, action="revise", replaced_by=newer, on=TODAY + datetime.timedelta(1)
        )
    with pytest.raises(ValidationError):
        services.regulation_move(actor=office, regulation=old, action="abolish")
    services.regulation_move(
        actor=office, regulation=old, action="revise", replaced_by=newer, on=D(2024, 1, 1)
    )
    assert (old.status, old.replaced_by, old.status_on) == (RegulationStatus.REVISED, newer, D(2024, 1, 1))
    with pytest.raises(ValidationError):  # revised → repealed
        services.regulation_move(actor=office, regulation=old, action="repeal")
    services.regulation_move(actor=office, regulation=old, action="restore")  # revised → in force
    assert (old.status, old.replaced_by, old.status_on) == (RegulationStatus.IN_FORCE, None, None)
    services.regulation_move(actor=office, regulation=old, action="repeal", on=D(2024, 6, 1))
    assert old.status == RegulationStatus.REPEALED
    for action in ("restore", "revise", "repeal"):  # repealed is final
        with pytest.raises(ValidationError):
            services.regulation_move(actor=office, regulation=old, action=action, replaced_by=newer)
    with pytest.raises(PermissionDenied):
        services.regulation_move(actor=_leader(world), regulation=newer, action="repeal")
    with pytest.raises(PermissionDenied):
        services.regulation_move(actor=world.outsider, regulation=newer, action="repeal")


def test_a_rule_issued_in_the_future_or_twice_is_refused(world, gov):
    with pytest.raises(ValidationError):
        _rule(world, "明天的制度", TODAY + datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        _rule(world, gov.regulation1.name, gov.regulation1.issued_on)
    with pytest.raises(PermissionDenied):
        _rule(world, "别区的制度", D(2024, 1, 1), actor=world.outsider)


def test_editing_a_revised_rule_keeps_it_no_later_than_its_replacement(world, gov):
    office = _office(world)
    newer = _rule(world, "修订版", D(2024, 1, 1))
    services.regulation_move(actor=office, regulation=gov.regulation1, action="revise", replaced_by=newer)
    with pytest.raises(ValidationError):
        services.regulation_update(actor=office, regulation=gov.regulation1, issued_on=D(2024, 2, 1))
    gov.regulation1.refresh_from_db()  # the refused change was never saved
    assert gov.regulation1.issued_on == D(2023, 5, 1)
    services.regulation_update(actor=office, regulation=gov.regulation1, number="区委发〔2023〕9号")
    assert Regulation.objects.get(pk=gov.regulation1.pk).number == "区委发〔2023〕9号"


# --- exposed cases --------------------------------------------------------------------------------


def test_an_exposure_names_only_what_lies_in_the_body_subtree(world, gov):
    office = _office(world)
    base = {
        "title": "典型案例",
        "summary": "基本情况",
        "channel": "internal",
        "outlet": "全区干部大会",
        "published_on": D(2024, 7, 1),
    }
    with pytest.raises(ValidationError) as caught:
        services.exposure_record(actor=office, body=world.body1, organization=world.t2, **base)
    assert "organization" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.exposure_record(
            actor=office, body=world.body1, **{**base, "published_on": TODAY + datetime.timedelta(1)}
        )
    with pytest.raises(PermissionDenied):
        services.exposure_record(actor=_leader(world), body=world.body1, **base)
    exposure = services.exposure_record(actor=office, body=world.body1, organization=world.v1, **base)
    services.exposure_update(actor=office, exposure=exposure, outlet="区纪委监委网站")
    with pytest.raises(ValidationError):
        services.exposure_update(actor=office, exposure=exposure, organization=world.v2)
    with pytest.raises(PermissionDenied):
        services.exposure_update(actor=world.outsider, exposure=exposure, outlet="x")


# --- reads and counts -----------------------------------------------------------------------------


def test_each_user_sees_the_records_of_the_bodies_in_scope(world, gov):
    for role in (Role.OFFICE_STAFF, Role.LEADER, Role.AUDITOR):
        user = world.users[role]
        assert list(selectors.meetings_visible(user)) == [gov.meeting1]
        assert list(selectors.regulations_visible(user)) == [gov.regulation1]
        assert list(selectors.exposures_visible(user)) == [gov.exposure1]
        assert list(selectors.instructions_visible(user)) == [gov.instruction1]
    for role in (Role.GROUP_LEADER, Role.GROUP_MEMBER, Role.LIAISON, Role.DEPARTMENT):
        user = world.users[role]
        assert not selectors.meetings_visible(user).exists()
        assert not selectors.instructions_visible(user).exists()
    assert selectors.meetings_visible(world.admin).count() == 2


def test_the_counts_of_the_work_report(world, gov):
    office = _office(world)
    services.meeting_record(
        actor=office,
        body=world.body1,
        held_on=D(2023, 1, 5),
        kind="standing_committee",
        title="前一年",
        topics="x",
    )
    counts = selectors.meetings_by_kind(office, world.body1)
    assert counts == {"leading_group": 0, "standing_committee": 2, "secretary": 0, "other": 0}
    assert selectors.meetings_by_kind(office, world.body1, D(2024, 1, 1))["standing_committee"] == 1
    assert selectors.meetings_by_kind(office, world.body2)["standing_committee"] == 0  # out of scope
    newer = _rule(world, "修订版", D(2024, 1, 1))
    services.regulation_move(
        actor=office, regulation=gov.regulation1, action="revise", replaced_by=newer, on=D(2024, 1, 1)
    )
    assert selectors.regulations_in_force(office, world.body1) == 1
    assert selectors.regulations_in_force(office, world.body1, on=D(2023, 12, 31)) == 1  # the old one
    assert selectors.regulations_in_force(office, world.body1, on=D(2023, 1, 1)) == 0
    assert selectors.regulations_issued(office, world.body1) == 2
    assert selectors.exposures_by_channel(office, world.body1)["website"] == 1
    assert selectors.exposures_by_channel(office, world.body1, end=D(2024, 5, 1))["website"] == 0
    status = selectors.instructions_by_status(office, world.body1, today=D(2024, 5, 1))
    assert status == {"open": 1, "answered": 0, "closed": 0, "overdue": 1}
