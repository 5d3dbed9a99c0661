"""Progress reports on tasks and the two reports of an inspection: who may submit them, what is
refused (and then nothing is written), and which reports the daily job finds overdue."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from lijian.accounts.choices import Role
from lijian.core.models import AuditEvent
from lijian.rectification import services
from lijian.rectification.models import RectificationReport, TaskProgress
from lijian.rectification.reporting import (
    REPORT_MIN_CHARS,
    report_submit,
    reports_overdue,
    task_progress_report,
)

from ..world import FOUR_TASKS, REPORT_TEXT, Fed, fed_back, make_user

D = datetime.date


@pytest.fixture
def fed(world):
    """Six approved problems: the world's own, a–d (``FOUR_TASKS``) with an accepted task each, e
    in category 3.1 without a task."""
    return fed_back(world, FOUR_TASKS, untasked=("e",))


def _others(fed: Fed) -> list:
    """Everyone who is not the street's liaison: the office, the group, another district's office,
    the liaison of another street and the liaison of a community under the street."""
    world = fed.world
    return [
        fed.office,
        world.users[Role.GROUP_LEADER],
        world.users[Role.GROUP_MEMBER],
        world.outsider,
        make_user("u-liaison-t2", Role.LIAISON, world.t2),
        make_user("u-liaison-v1", Role.LIAISON, world.v1),
    ]


# --- progress on tasks ----------------------------------------------------------------------------


def test_the_liaison_reports_progress_and_a_planned_task_gets_under_way(fed):
    task = fed.problems["a"].task
    assert task.status == "planned"
    first = task_progress_report(actor=fed.liaison, task=task, on=D(2024, 5, 20), text="  已清查台账三本  ")
    task.refresh_from_db()
    assert (first.text, first.on, first.actor, task.status) == (
        "已清查台账三本",
        D(2024, 5, 20),
        fed.liaison,
        "in_progress",
    )
    task_progress_report(actor=fed.liaison, task=task, on=D(2024, 6, 1), text="完成资产登记")
    task.refresh_from_db()
    assert task.status == "in_progress"
    assert list(task.progress.values_list("on", flat=True)) == [D(2024, 5, 20), D(2024, 6, 1)]
    event = AuditEvent.objects.filter(action="task.progress", object_id=str(first.pk)).get()
    assert event.actor == fed.liaison and event.after["status"] == "in_progress"
    assert event.before == {"status": "planned"}


def test_a_long_term_task_keeps_taking_progress_after_it_is_marked_long_term(fed):
    task = fed.problems["c"].task
    services.task_complete(actor=fed.liaison, task=task, on=D(2024, 7, 20))
    task.refresh_from_db()
    assert task.status == "long_term"
    task_progress_report(actor=fed.liaison, task=task, on=D(2024, 10, 1), text="第二阶段制度执行情况良好")
    task.refresh_from_db()
    assert task.status == "long_term" and task.progress.count() == 1


def test_only_the_organisations_liaison_reports_progress(fed):
    task = fed.problems["a"].task
    for actor in _others(fed):
        with pytest.raises(PermissionDenied):
            task_progress_report(actor=actor, task=task, on=D(2024, 5, 20), text="代为报送进展")
    assert not TaskProgress.objects.exists()
    task.refresh_from_db()
    assert task.status == "planned"


@pytest.mark.parametrize(
    ("on", "text", "match"),
    [
        (D(2024, 5, 20), "   ", "请填写"),
        (None, "明天的进展", "晚于今天"),
        (D(2024, 5, 9), "反馈前的进展", "早于巡视巡察反馈日期"),
    ],
)
def test_bad_progress_is_refused_and_nothing_is_written(fed, on, text, match):
    task = fed.problems["a"].task
    on = on or timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match=match):
        task_progress_report(actor=fed.liaison, task=task, on=on, text=text)
    task.refresh_from_db()
    assert task.status == "planned" and not TaskProgress.objects.exists()
    assert not AuditEvent.objects.filter(action="task.progress").exists()


def test_no_progress_on_a_task_awaiting_acceptance_or_already_done(fed):
    b, d = fed.problems["b"].task, fed.problems["d"].task
    services.task_change(actor=fed.liaison, task=b, deadline=D(2024, 9, 30))  # needs acceptance again
    with pytest.raises(ValidationError, match="尚未审核通过"):
        task_progress_report(actor=fed.liaison, task=b, on=D(2024, 6, 1), text="进展")
    services.task_accept(actor=fed.office, task=b)
    task_progress_report(actor=fed.liaison, task=b, on=D(2024, 6, 1), text="进展")
    services.task_complete(actor=fed.liaison, task=d, on=D(2024, 6, 10))
    with pytest.raises(ValidationError, match="已完成"):
        task_progress_report(actor=fed.liaison, task=d, on=D(2024, 6, 11), text="进展")
    assert TaskProgress.objects.count() == 1


# --- the two reports -------------------------------------------------------------------------------


def test_the_liaison_submits_one_report_of_each_kind(fed):
    report = report_submit(
        actor=fed.liaison,
        inspection=fed.inspection,
        kind="rectification",
        text=f"  {REPORT_TEXT}  ",
        signed_by=" 中共天津市和平区劝业场街道工作委员会 ",
        on=D(2024, 7, 5),
    )
    assert (report.text, report.signed_by, report.submitted_on, report.submitted_by) == (
        REPORT_TEXT,
        "中共天津市和平区劝业场街道工作委员会",
        D(2024, 7, 5),
        fed.liaison,
    )
    leader = report_submit(
        actor=fed.liaison, inspection=fed.inspection, kind="top_leader", text=REPORT_TEXT, signed_by="王某"
    )
    assert leader.submitted_on == timezone.localdate()  # today by default
    event = AuditEvent.objects.get(action="report.submit", object_id=str(report.pk))
    assert event.after["kind"] == "rectification" and event.after["submitted_on"] == "2024-07-05"
    with pytest.raises(ValidationError, match="已于2024-07-05报送，不能重复报送"):
        report_submit(
            actor=fed.liaison,
            inspection=fed.inspection,
            kind="rectification",
            text=REPORT_TEXT + "（修改稿）",
            signed_by="街道党工委",
            on=D(2024, 7, 6),
        )
    report.refresh_from_db()
    assert report.text == REPORT_TEXT and RectificationReport.objects.count() == 2  # the first stands


def test_only_the_organisations_liaison_submits_a_report(fed):
    for actor in _others(fed):
        with pytest.raises(PermissionDenied):
            report_submit(
                actor=actor,
                inspection=fed.inspection,
                kind="rectification",
                text=REPORT_TEXT,
                signed_by="代报",
                on=D(2024, 7, 5),
            )
    assert not RectificationReport.objects.exists()


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"text": "整改已完成。"}, f"至少 {REPORT_MIN_CHARS} 个字"),
        ({"text": " " * 80}, f"至少 {REPORT_MIN_CHARS} 个字"),
        ({"signed_by": "  "}, "请填写署名"),
        ({"on": "tomorrow"}, "晚于今天"),
        ({"on": D(2024, 5, 1)}, "早于巡视巡察反馈日期"),
        ({"kind": "self_criticism"}, "未知的报告类型"),
    ],
)
def test_a_bad_report_is_refused_and_nothing_is_written(fed, changes, match):
    values = {"kind": "rectification", "text": REPORT_TEXT, "signed_by": "街道党工委", "on": D(2024, 7, 5)}
    values.update(changes)
    if values["on"] == "tomorrow":
        values["on"] = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match=match):
        report_submit(actor=fed.liaison, inspection=fed.inspection, **values)
    assert not RectificationReport.objects.exists()
    assert not AuditEvent.objects.filter(action="report.submit").exists()


def test_no_report_before_the_feedback(fed):
    pending = fed.rounds.spare1  # the community's inspection of the same round, not fed back
    with pytest.raises(ValidationError, match="尚未反馈"):
        report_submit(
            actor=fed.liaison,
            inspection=pending,
            kind="rectification",
            text=REPORT_TEXT,
            signed_by="社区党委",
            on=D(2024, 7, 5),
        )
    assert not RectificationReport.objects.exists()


def test_the_report_is_overdue_after_its_deadline_until_it_is_submitted(fed):
    assert fed.feedback.report_due == D(2024, 7, 10)
    assert list(reports_overdue(D(2024, 7, 10))) == []  # due that day: not yet late
    assert list(reports_overdue(D(2024, 7, 11))) == [fed.inspection]
    assert list(reports_overdue(D(2024, 7, 11), body=fed.world.body2)) == []
    report_submit(
        actor=fed.liaison, inspection=fed.inspection, kind="top_leader", text=REPORT_TEXT, signed_by="王某"
    )
    assert list(reports_overdue(D(2024, 7, 11))) == [fed.inspection]  # the other kind does not count
    report_submit(
        actor=fed.liaison,
        inspection=fed.inspection,
        kind="rectification",
        text=REPORT_TEXT,
        signed_by="街道党工委",
        on=D(2024, 7, 15),
    )
    assert [i.feedback.report_due for i in reports_overdue(D(2024, 7, 14))] == [D(2024, 7, 10)]  # late then
    assert list(reports_overdue(D(2024, 7, 15))) == []
    assert list(reports_overdue(D(2025, 1, 1))) == []
