"""Hand-overs: each step that passes work to someone tells the people who must act next — once, and
nobody else (not a member of another group, not an office of another body, not the one who acted).
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lijian.accounts.choices import Role
from lijian.core.models import Message, MessageKind
from lijian.findings import handovers as findings_handovers
from lijian.findings import services as findings
from lijian.inspections.models import Group, RoundMember
from lijian.rectification import handovers, services
from lijian.rectification.instructions import handovers as instruction_handovers
from lijian.rectification.instructions import services as instructions

from ..world import build_findings, build_rounds, category, fed_back, make_cadre, make_user

D = datetime.date
LATER = datetime.timedelta(days=30)


def _told(prefix: str) -> set[int]:
    """Who was told of a fact whose key starts with ``prefix``."""
    return set(Message.objects.filter(key__startswith=prefix).values_list("recipient", flat=True))


def _other_groups_deputy(world, round_):
    """A deputy with an account in a second group of the same body and round."""
    group = Group.objects.create(body=world.body1, number=2, name="第二巡察组")
    round_.groups.add(group)
    user = make_user("deputy-2", Role.GROUP_LEADER, world.d1)
    RoundMember.objects.create(
        round=round_, group=group, cadre=make_cadre(world, "G2", world.d1, user=user), role="deputy"
    )
    return user


@pytest.fixture
def f(world):
    world.rounds = build_rounds(world)
    world.findings = build_findings(world, world.rounds)
    return world


# --- findings -------------------------------------------------------------------------------------


def test_a_draft_problem_tells_its_groups_leader_and_deputies(f):
    deputy, member = f.users[Role.GROUP_LEADER], f.users[Role.GROUP_MEMBER]  # 和平's group, round 1
    elsewhere = _other_groups_deputy(f, f.rounds.round1)
    problem = findings.problem_record(
        actor=member,
        inspection=f.rounds.inspection1,
        category=category(),
        summary="账目不清",
        found_on=D(2024, 3, 25),
    )
    key = f"problem-draft:{problem.pk}"
    # The deputy; not the member who recorded it, another group's deputy, the office or the leader
    # cadre without an account.
    assert _told(key) == {deputy.pk}
    assert elsewhere.pk not in _told("problem-draft:")
    notice = Message.objects.get(key=key)
    assert notice.kind == MessageKind.PROBLEM and notice.url == reverse("findings:problem", args=[problem.pk])
    assert notice.record == f"findings.problem:{problem.pk}" and problem.ref in notice.record_label
    assert "账目不清" in notice.text and "审定" in notice.text
    # The same event again tells nobody twice.
    assert findings_handovers.problem_drafted(problem, actor=member) == 0
    assert Message.objects.filter(key=key).count() == 1
    # The deputy recording a draft is not told of their own act.
    own = findings.problem_record(
        actor=deputy,
        inspection=f.rounds.inspection1,
        category=category(),
        summary="自己记录",
        found_on=D(2024, 3, 25),
    )
    assert _told(f"problem-draft:{own.pk}") == set()


def test_a_transferred_clue_tells_its_departments_handlers_and_an_answer_tells_the_office(f):
    inspection, office = f.rounds.inspection1, f.users[Role.OFFICE_STAFF]
    handler = f.users[Role.DEPARTMENT]  # staff of department1
    other_handler = make_user("dept-2", Role.DEPARTMENT, f.d2)
    f.findings.department2.staff.add(other_handler)
    clue = findings.clue_record(
        actor=f.users[Role.GROUP_MEMBER],
        inspection=inspection,
        subject_name="某甲",
        summary="反映违规收受礼金",
        department=f.findings.department1,
    )
    assert _told(f"clue-transfer:{clue.pk}") == set()  # recorded, not yet handed over
    findings.clue_transfer(actor=office, clue=clue)
    assert _told(f"clue-transfer:{clue.pk}") == {handler.pk}
    notice = Message.objects.get(key=f"clue-transfer:{clue.pk}")
    assert notice.kind == MessageKind.CLUE and notice.url == clue.get_absolute_url()
    assert "某甲" in notice.text and clue.sheet_no in notice.text
    assert findings_handovers.clue_transferred(clue, actor=office) == 0  # once

    findings.clue_feed_back(actor=handler, clue=clue, result="inquiry", feedback="已函询")
    # The office of 和平区's body; not 河西区's office, not the administrator, not the department.
    assert _told("clue-answer:") == {office.pk}
    first = Message.objects.get(key__startswith="clue-answer:")
    assert "谈话函询" in first.text and first.url == clue.get_absolute_url()
    assert findings_handovers.clue_answered(clue, actor=handler) == 0  # the same answer: nobody twice
    # Returned as not yet sufficient and answered again: that second answer is news.
    findings.clue_return(actor=office, clue=clue, reason="请补充处理结果")
    findings.clue_feed_back(actor=handler, clue=clue, result="inquiry", feedback="已补充")
    assert Message.objects.filter(key__startswith="clue-answer:", recipient=office).count() == 2
    assert f.outsider.pk not in _told("clue-") and other_handler.pk not in _told("clue-")


def test_an_instruction_tells_its_addressee_and_its_follow_up_tells_the_leader(f):
    leader, member = f.users[Role.LEADER], f.users[Role.GROUP_MEMBER]
    problem = f.findings.problem1
    today = datetime.date.today()
    with pytest.raises(ValidationError) as refused:
        instructions.instruction_give(actor=leader, subject=problem, text="抓紧整改")
    assert set(refused.value.message_dict) == {"addressee", "deadline"}
    with pytest.raises(ValidationError, match="不能报送"):  # a liaison cannot report the follow-up
        instructions.instruction_give(
            actor=leader,
            subject=problem,
            text="抓紧整改",
            addressee=f.users[Role.LIAISON],
            deadline=today + LATER,
        )
    with pytest.raises(ValidationError, match="不能早于批示日期"):
        instructions.instruction_give(
            actor=leader, subject=problem, text="抓紧整改", addressee=member, deadline=today - LATER
        )
    assert not Message.objects.filter(key__startswith="instruction").exists()

    instruction = instructions.instruction_give(
        actor=leader, subject=problem, text="抓紧整改", addressee=member, deadline=today + LATER
    )
    assert (instruction.addressee, instruction.deadline) == (member, today + LATER)
    assert _told("instruction:") == {member.pk}
    notice = Message.objects.get(key__startswith="instruction:")
    assert notice.kind == MessageKind.INSTRUCTION and "抓紧整改" in notice.text
    assert notice.url == problem.get_absolute_url() + "#instructions"
    assert instruction_handovers.instruction_issued(instruction, actor=leader) == 0  # once

    instructions.instruction_answer(actor=member, instruction=instruction, follow_up_given="已督促整改")
    assert _told("instruction-answer:") == {leader.pk}
    assert "已督促整改" in Message.objects.get(key__startswith="instruction-answer:").text
    # Asked for more: the addressee is told again (a new fact), with the new deadline.
    instructions.instruction_reopen(
        actor=leader, instruction=instruction, follow_up_asked="请报送处理结果", deadline=today + 2 * LATER
    )
    assert Message.objects.filter(key__startswith="instruction:", recipient=member).count() == 2
    assert _told("instruction") == {member.pk, leader.pk}


def test_the_addressees_offered_are_those_who_may_report_the_follow_up(f):
    from lijian.rectification.instructions.selectors import instruction_addressees

    offered = set(instruction_addressees(f.findings.problem1))
    assert {f.users[Role.OFFICE_STAFF], f.users[Role.GROUP_LEADER], f.users[Role.GROUP_MEMBER]} <= offered
    assert f.users[Role.LIAISON] not in offered and f.outsider not in offered
    assert f.users[Role.DEPARTMENT] in set(instruction_addressees(f.findings.clue1))


# --- rectification --------------------------------------------------------------------------------


@pytest.fixture
def fed(world):
    return fed_back(world, (("a", D(2024, 6, 30), "concentrated"),))


def test_feedback_tells_the_organisations_liaisons(fed, world):
    other_liaison = make_user("liaison-t2", Role.LIAISON, world.t2)
    key = f"feedback:{fed.feedback.pk}"
    assert _told(key) == {fed.liaison.pk}
    assert other_liaison.pk not in _told("feedback:")
    notice = Message.objects.get(key=key)
    assert notice.kind == MessageKind.FEEDBACK
    assert notice.url == reverse("rectification:inspection", args=[fed.inspection.pk])
    assert "2024-07-10" in notice.text  # the report's deadline
    assert handovers.feedback_given(fed.feedback, actor=fed.office) == 0


def test_a_task_written_or_changed_tells_the_inspection_side_and_accepted_tells_the_liaison(fed, world):
    deputy, member = world.users[Role.GROUP_LEADER], world.users[Role.GROUP_MEMBER]
    elsewhere = _other_groups_deputy(world, fed.inspection.round)
    problem = fed.problems["a"]
    task = services.task_add(
        actor=fed.liaison,
        problem=problem,
        measure="建立台账",
        responsible_leader="书记",
        responsible_department="党政办",
        deadline=D(2024, 8, 31),
    )
    key = f"task-review:{task.pk}:0"
    # The body's office and the group's deputy; not a plain member, another group, another body.
    assert _told(key) == {fed.office.pk, deputy.pk}
    assert not {member.pk, elsewhere.pk, world.outsider.pk} & _told("task-review:")
    notice = Message.objects.get(key=key, recipient=fed.office)
    assert notice.kind == MessageKind.TASK and notice.url == reverse(
        "rectification:problem", args=[problem.pk]
    )
    assert notice.record == f"findings.problem:{problem.pk}"
    # Changed again before anyone reviewed it: the same fact, nobody told twice.
    services.task_change(actor=fed.liaison, task=task, measure="建立并公开台账")
    assert Message.objects.filter(key__startswith=f"task-review:{task.pk}:").count() == 2

    services.task_accept(actor=fed.office, task=task)
    assert _told(f"task-accepted:{task.pk}:") == {fed.liaison.pk}
    # Changed after acceptance: a new review, told again.
    services.task_change(actor=fed.liaison, task=task, deadline=D(2024, 9, 30))
    assert _told(f"task-review:{task.pk}:1") == {fed.office.pk, deputy.pk}
    assert "已修改" in Message.objects.get(key=f"task-review:{task.pk}:1", recipient=deputy).text


def test_a_problem_reported_done_tells_the_inspection_side(fed, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from lijian.documents.attachments import attachment_add

    problem = fed.problems["a"]
    services.task_complete(actor=fed.liaison, task=problem.task, on=D(2024, 6, 20))
    attachment_add(
        actor=fed.liaison, owner=problem.task, upload=SimpleUploadedFile("凭证.pdf", b"%PDF-1.4 x")
    )
    services.problem_report_done(actor=fed.liaison, problem=problem, on=D(2024, 6, 21), reason="已完成整改")
    assert _told(f"problem-done:{problem.pk}:") == {fed.office.pk, world.users[Role.GROUP_LEADER].pk}
    assert world.outsider.pk not in _told("problem-done:")
    assert handovers.problem_reported_done(problem, actor=fed.liaison) == 0


def test_a_returned_task_is_told_to_the_liaison_beside_the_problems_other_task_messages(fed, world):
    problem = fed.problems["a"]
    task = services.task_add(
        actor=fed.liaison,
        problem=problem,
        measure="建立台账",
        responsible_leader="书记",
        responsible_department="党政办",
        deadline=D(2024, 8, 31),
    )
    services.task_return(actor=fed.office, task=task, comment="请写明台账内容")
    returned = Message.objects.get(key__startswith=f"task-returned:{task.pk}:", recipient=fed.liaison)
    accepted = Message.objects.filter(key__startswith="task-accepted:", recipient=fed.liaison).first()
    assert (
        returned.kind == MessageKind.TASK
        and returned.record == accepted.record == f"findings.problem:{problem.pk}"
    )
    # Changed after the return: the inspection side hears of a new review.
    services.task_change(actor=fed.liaison, task=task, measure="建立并公开台账")
    assert _told(f"task-review:{task.pk}:1") == {fed.office.pk, world.users[Role.GROUP_LEADER].pk}


def test_the_leaders_form_charges_an_addressee_by_a_deadline_and_the_page_shows_both(f, client):
    leader, member = f.users[Role.LEADER], f.users[Role.GROUP_MEMBER]
    problem = f.findings.problem1
    client.force_login(leader)
    page = client.get(problem.get_absolute_url())
    form = page.context["instruction_form"]
    assert (
        member in form.fields["addressee"].queryset
        and f.users[Role.LIAISON] not in form.fields["addressee"].queryset
    )
    url = reverse("instructions:give", args=["problem", problem.pk])
    due = (datetime.date.today() + LATER).isoformat()
    # Without an addressee: refused with the reason, nothing written.
    refused = client.post(url, {"text": "抓紧整改", "deadline": due}, follow=True)
    assert "请选择承办人" in refused.content.decode() and not problem.instructions.exists()
    client.post(url, {"text": "抓紧整改", "addressee": member.pk, "deadline": due})
    instruction = problem.instructions.get()
    assert instruction.addressee == member and instruction.deadline.isoformat() == due
    html = client.get(problem.get_absolute_url()).content.decode()
    assert "承办人" in html and due in html
    assert _told("instruction:") == {member.pk}
    # A page the leader may not instruct on offers no form (and computes no addressees).
    client.force_login(member)
    assert client.get(problem.get_absolute_url()).context["instruction_form"] is None


def test_quoted_texts_end_cleanly_and_refs_stand_apart_in_instruction_messages(f):
    leader, member = f.users[Role.LEADER], f.users[Role.GROUP_MEMBER]
    clue = f.findings.clue1
    instruction = instructions.instruction_give(
        actor=leader,
        subject=clue,
        text="请核实后报告。",
        addressee=member,
        deadline=datetime.date.today() + LATER,
    )
    issued = Message.objects.get(key__startswith="instruction:").text
    assert f"对线索 {clue.ref} 批示“请核实后报告”，" in issued
    instructions.instruction_answer(actor=member, instruction=instruction, follow_up_given="相关制度已修订。")
    answered = Message.objects.get(key__startswith="instruction-answer:").text
    assert "相关制度已修订，请审阅后办结。" in answered and "。，" not in answered
