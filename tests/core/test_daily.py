"""The daily job: overdue clues, tasks, rectification reports and self-criticisms are escalated once,
each with an audit event, and the right people are told once; a second run sends nothing."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lijian.accounts.choices import Role
from lijian.core.daily import daily_run, daily_run_if_due, has_run
from lijian.core.models import AuditEvent, Message
from lijian.findings.models import Clue
from lijian.rectification import services

from ..world import fed_back, make_user

D = datetime.date
ON = D(2024, 8, 1)
PLAN = (
    ("late", D(2024, 6, 30), "concentrated"),  # accepted, not done: overdue on ON
    ("done", D(2024, 6, 30), "concentrated"),  # done in time
    ("long", D(2024, 6, 30), "long_term"),  # long-term, its stage reached: continues, not overdue
    ("later", D(2024, 9, 30), "concentrated"),  # not yet due
)


@pytest.fixture
def fed(world):
    """和平区's street fed back on 2024-05-10 (report due 07-10, none submitted), its clue and 河西区's
    transferred on 04-01 (due 07-01, unanswered), a self-criticism due 07-31 not submitted, and one
    more overdue task the office has not accepted (it is not a commitment yet)."""
    fed = fed_back(world, PLAN)
    for key, on in (("done", D(2024, 6, 20)), ("long", D(2024, 6, 20))):
        services.task_complete(actor=fed.liaison, task=fed.problems[key].task, on=on)
    fed.unaccepted = services.task_add(
        actor=fed.liaison,
        problem=fed.problems["later"],
        measure="未审核的措施",
        responsible_leader="书记",
        responsible_department="党政办",
        deadline=D(2024, 6, 1),
    )
    # assessed the day after the rectification report was due (never inside the period), its
    # 30 days shortened so that it is overdue on ON like everything else here
    (fed.self_criticism,) = services.self_criticisms_assess(
        actor=fed.office, body=world.body1, term=world.term1, on=D(2024, 7, 11)
    )
    fed.self_criticism.due_on = D(2024, 7, 31)
    fed.self_criticism.save(update_fields=["due_on"])
    # the liaison was told when it became due, and of each hand-over (tests/rectification,
    # tests/core/test_handovers.py); here only the daily job speaks
    Message.objects.all().delete()
    fed.department = world.users[Role.DEPARTMENT]  # staff of 和平区's discipline department
    return fed


def _keys(user) -> set[str]:
    """The facts the user was told of (the items of their digests)."""
    return set(Message.objects.filter(recipient=user, digest__isnull=False).values_list("key", flat=True))


def _escalations() -> list[tuple[str, str]]:
    actions = ("clue.overdue", "task.overdue", "rectification_report.overdue", "self_criticism.overdue")
    return sorted(AuditEvent.objects.filter(action__in=actions).values_list("action", "object_id"))


def test_overdue_items_are_escalated_once_to_the_right_people(fed, world):
    task = fed.problems["late"].task
    inspection, item = fed.inspection, fed.self_criticism
    clue1, clue2 = Clue.objects.get(inspection=inspection), Clue.objects.exclude(inspection=inspection).get()

    counts = daily_run(ON)
    assert counts == {
        "clues": 2,
        "tasks": 1,
        "reports": 1,
        "self_criticisms": 1,
        "instructions": 0,
        "meeting_instructions": 0,
        "notices": counts["notices"],
        "digests": 4,  # the liaison, the two offices, the department: one digest each
    }
    rectification = {
        f"task-overdue:{task.pk}",
        f"report-overdue:{inspection.feedback.pk}",
        f"self-criticism-overdue:{item.pk}",
    }
    # The liaison hears of the organisation's rectification, never of clues.
    assert _keys(fed.liaison) == rectification
    # 和平区's office: its own clue and its rectification; 河西区's office: only its clue.
    assert _keys(fed.office) == rectification | {f"clue-overdue:{clue1.pk}"}
    assert _keys(world.outsider) == {f"clue-overdue:{clue2.pk}"}
    assert _keys(fed.department) == {f"clue-overdue:{clue1.pk}"}
    assert _keys(world.users[Role.LEADER]) == set() and _keys(world.users[Role.GROUP_LEADER]) == set()
    assert counts["notices"] == Message.objects.filter(digest__isnull=False).count() == 3 + 4 + 1 + 1
    assert Message.objects.filter(digest__isnull=True).count() == 4
    notice = Message.objects.get(recipient=fed.office, key=f"task-overdue:{task.pk}")
    assert "整改措施late" in notice.text and "2024-06-30" in notice.text
    assert notice.url == reverse("rectification:problem", args=[task.problem_id])
    assert Message.objects.get(recipient=fed.liaison, key=f"task-overdue:{task.pk}").url == notice.url
    assert Message.objects.get(
        recipient=fed.liaison, key=f"report-overdue:{inspection.feedback.pk}"
    ).url == reverse("rectification:inspection", args=[inspection.pk])
    assert _escalations() == sorted(
        [
            ("clue.overdue", str(clue1.pk)),
            ("clue.overdue", str(clue2.pk)),
            ("task.overdue", str(task.pk)),
            ("rectification_report.overdue", str(fed.feedback.pk)),
            ("self_criticism.overdue", str(item.pk)),
        ]
    )
    event = AuditEvent.objects.get(action="task.overdue")
    assert (
        event.scope_path == world.t1.path and event.actor is None and event.after["deadline"] == "2024-06-30"
    )

    # The same day again, or the next: nothing new is escalated, nobody is told twice.
    before = (Message.objects.count(), AuditEvent.objects.filter(action__endswith=".overdue").count())
    assert daily_run(ON) == dict.fromkeys(counts, 0)
    assert daily_run(ON + datetime.timedelta(days=1)) == dict.fromkeys(counts, 0)
    assert (Message.objects.count(), AuditEvent.objects.filter(action__endswith=".overdue").count()) == before


def test_what_is_done_or_not_yet_due_is_not_escalated(fed):
    counts = daily_run(D(2024, 7, 1))  # the report is due 07-10, the self-criticism 07-31
    assert (counts["tasks"], counts["reports"], counts["self_criticisms"]) == (1, 0, 0)
    services.task_complete(actor=fed.liaison, task=fed.problems["late"].task, on=D(2024, 7, 20))
    services.self_criticism_submit(
        actor=fed.liaison, item=fed.self_criticism, text="深刻检查：整改主体责任落实不力……" * 3
    )
    from lijian.rectification.models import RectificationReport

    RectificationReport.objects.create(
        inspection=fed.inspection,
        kind="rectification",
        text="整改情况",
        signed_by="书记",
        submitted_on=D(2024, 7, 9),
    )
    counts = daily_run(ON)
    assert (counts["tasks"], counts["reports"], counts["self_criticisms"]) == (0, 0, 0)
    assert f"task-overdue:{fed.unaccepted.pk}" not in _keys(fed.office)


def test_a_person_given_the_role_later_is_told_of_what_is_still_overdue(fed, world):
    daily_run(ON)
    newcomer = make_user("liaison-new", Role.LIAISON, world.t1)
    counts = daily_run(ON + datetime.timedelta(days=1))
    assert counts["tasks"] == 0 and counts["notices"] == 3  # no new escalation, one new person
    assert _keys(newcomer) == _keys(fed.liaison)


def test_the_scheduled_run_happens_once_a_day(fed):
    assert not has_run(ON)
    assert daily_run_if_due(ON)["tasks"] == 1
    assert has_run(ON)
    assert daily_run_if_due(ON) is None  # a restart, or a second scheduler, the same day
    assert daily_run_if_due(ON + datetime.timedelta(days=1)) == dict.fromkeys(
        ("clues", "tasks", "reports", "self_criticisms", "instructions", "meeting_instructions", "notices", "digests"), 0
    )
    assert AuditEvent.objects.filter(action="daily.run").count() == 2


def test_a_day_with_nothing_new_takes_a_few_queries_whatever_the_number_of_tasks(world):
    plan = tuple((f"t{i}", D(2024, 6, 30), "concentrated") for i in range(12))
    fed_back(world, plan)
    first = daily_run(ON)
    assert first["tasks"] == 12 and first["notices"] == 12 * 2 + 2 * 1 + 3  # tasks, report; clues
    with CaptureQueriesContext(connection) as queries:
        assert daily_run(ON)["notices"] == 0
    assert len(queries) < 30  # one query per task would be 12 more


def test_the_escalate_command_runs_the_daily_job_and_says_what_it_did_in_chinese(fed):
    out = io.StringIO()
    call_command("escalate", "--date", "2024-08-01", stdout=out)
    assert "移交线索 2 条，整改任务 1 项，整改报告 1 份，深刻检查 1 份" in out.getvalue()
    assert has_run(ON)


def test_serve_starts_the_daily_job_beside_the_worker(monkeypatch):
    from lijian.core.management.commands import serve

    started = []
    monkeypatch.setattr(serve, "_check_free", lambda bind: None)
    monkeypatch.setattr(serve, "call_command", lambda *a, **k: None)
    monkeypatch.setattr(serve, "_start_child", lambda *command: started.append(command))
    monkeypatch.setattr(serve._Gunicorn, "run", lambda self: None)
    call_command("serve", stdout=io.StringIO())
    assert [c[0] for c in started] == ["db_worker", "escalate"] and started[1] == ("escalate", "--daily")
    started.clear()
    call_command("serve", "--no-daily", "--no-worker", stdout=io.StringIO())
    assert started == []


def test_a_long_measure_is_shortened_with_an_ellipsis_in_the_overdue_message(fed):
    from lijian.rectification.models import RectificationTask

    task = fed.problems["late"].task
    measure = "建立健全财务管理制度并逐项清理" * 8 + "。"
    RectificationTask.objects.filter(pk=task.pk).update(measure=measure)
    daily_run(ON)
    text = Message.objects.filter(key=f"task-overdue:{task.pk}").first().text
    shown = text.split("“", 1)[1].split("”", 1)[0]
    assert shown.endswith("…") and len(shown) == 60 and measure.startswith(shown[:-1])
