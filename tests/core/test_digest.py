"""The daily job's overdue escalations reach each person as one digest a day — "N items became
overdue", listing and linking each — not one message per task; each fact is still told once."""

import datetime

import pytest
from django.urls import reverse

from lijian.accounts.choices import Role
from lijian.core.daily import daily_run
from lijian.core.messages import messages_for, messages_unread_count
from lijian.core.models import Message, MessageKind
from lijian.rectification import services
from lijian.rectification.instructions import services as instructions

from ..world import fed_back

D = datetime.date
PLAN = tuple((f"t{i}", D(2024, 6, 30), "concentrated") for i in range(3))


@pytest.fixture
def fed(world):
    """Three accepted tasks due 2024-06-30, not done; 和平区's and 河西区's clues due 2024-07-01."""
    fed = fed_back(world, PLAN)
    Message.objects.all().delete()  # the hand-overs of building it (tests/core/test_handovers.py)
    return fed


def _inbox(user) -> list[Message]:
    return list(messages_for(user))


def test_many_overdue_tasks_make_one_message_per_person_per_day(fed, world):
    counts = daily_run(D(2024, 7, 1))
    assert counts["tasks"] == 3 and counts["clues"] == 0
    assert counts["notices"] == 3 * 2 and counts["digests"] == 2  # three facts, two people, two messages
    for person in (fed.office, fed.liaison):
        (digest,) = _inbox(person)
        assert digest.kind == MessageKind.OVERDUE and digest.read_at is None
        assert "2024-07-01 超期督办 3 项" in digest.text and "整改任务 3 项" in digest.text
        assert digest.url == reverse("core:message", args=[digest.pk])
        assert messages_unread_count(person) == 1
        items = list(digest.items.all())
        assert {i.key for i in items} == {
            f"task-overdue:{fed.problems[k].task.pk}" for k in ("t0", "t1", "t2")
        }
        assert {i.url for i in items} == {
            reverse("rectification:problem", args=[fed.problems[k].pk]) for k in ("t0", "t1", "t2")
        }
    assert _inbox(world.users[Role.DEPARTMENT]) == [] and _inbox(world.outsider) == []

    # The same day again: nothing new, nobody gets a second message.
    assert daily_run(D(2024, 7, 1))["digests"] == 0
    assert len(_inbox(fed.office)) == 1


def test_the_next_day_brings_a_new_digest_of_only_what_is_new(fed, world):
    daily_run(D(2024, 7, 1))
    first = _inbox(fed.office)[0]
    Message.objects.filter(pk=first.pk).update(read_at=first.created_at)
    counts = daily_run(D(2024, 7, 2))  # the clues' deadline (07-01) has passed; the tasks are old news
    assert (counts["tasks"], counts["clues"], counts["digests"]) == (0, 2, 3)
    newest, older = _inbox(fed.office)
    assert older.pk == first.pk and newest.key == "overdue-digest:2024-07-02"
    assert "超期督办 1 项" in newest.text and "移交线索 1 项" in newest.text
    assert [i.key for i in newest.items.all()] == [f"clue-overdue:{fed.inspection.clues.get().pk}"]
    assert messages_unread_count(fed.office) == 1
    (clue_digest,) = _inbox(world.outsider)  # 河西区's office hears of its own clue only
    assert clue_digest.items.count() == 1

    # A second run the same day that finds more adds to that day's digest, unread again.
    Message.objects.filter(pk=newest.pk).update(read_at=newest.created_at)
    problem = fed.problems["t0"]
    task = services.task_add(
        actor=fed.liaison,
        problem=problem,
        measure="补充措施",
        responsible_leader="书记",
        responsible_department="党政办",
        deadline=D(2024, 7, 1),
    )
    services.task_accept(actor=fed.office, task=task)
    Message.objects.exclude(kind=MessageKind.OVERDUE).delete()
    daily_run(D(2024, 7, 2))
    newest.refresh_from_db()
    assert len(_inbox(fed.office)) == 2 and newest.read_at is None
    assert "超期督办 2 项" in newest.text and newest.items.count() == 2


def test_an_overdue_instruction_tells_its_addressee_and_the_leader_in_their_digest(fed, world):
    leader, member = world.users[Role.LEADER], world.users[Role.GROUP_MEMBER]
    problem = fed.problems["t0"]
    instruction = instructions.instruction_give(
        actor=leader,
        subject=problem,
        text="限期整改",
        addressee=member,
        deadline=datetime.date.today() + datetime.timedelta(days=10),
    )
    Message.objects.all().delete()
    later = datetime.date.today() + datetime.timedelta(days=11)
    assert daily_run(later)["instructions"] == 1
    for person in (leader, member):
        (digest,) = _inbox(person)
        assert "领导批示 1 项" in digest.text
        (item,) = digest.items.all()
        assert item.key == f"instruction-overdue:{instruction.pk}" and "限期整改" in item.text
        assert item.url == problem.get_absolute_url() + "#instructions"
    instruction.refresh_from_db()
    assert instruction.escalated_on == later
    assert daily_run(later + datetime.timedelta(days=1))["instructions"] == 0  # escalated once
