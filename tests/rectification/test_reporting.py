"""Progress reports on tasks and the two reports of an inspection: who may submit them, what is
refused (and then nothing is written), and which reports the daily job finds overdue."""

import datetime
from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lijian.accounts.choices import Role
from lijian.core.models import AuditEvent
from lijian.documents.attachments import attachment_add
from lijian.findings import services as findings
from lijian.rectification import services
from lijian.rectification.models import RectificationReport, TaskProgress
from lijian.rectification.reporting import (
    REPORT_MIN_CHARS,
    report_submit,
    reports_overdue,
    task_progress_report,
)

from ..world import build_findings, build_rounds, category, make_user

D = datetime.date
REPORT_TEXT = (
    "街道党工委认真落实巡察整改主体责任，成立整改工作领导小组，逐项制定整改措施，明确责任领导和完成时限。" * 2
)


@dataclass
class Fed:
    world: object
    rounds: object
    inspection: object
    feedback: object
    problems: dict  # a–d with an accepted task each (``.task``); e in another category, no task
    office: object
    liaison: object


def build_fed(world) -> Fed:
    """和平区's inspection of the street, fed back on 2024-05-10 with six approved problems: the
    world's own (category 2.1, no task), a (due 6-30), b (due 7-31), c (long-term, due 2025),
    d (immediate, due 6-15), all in 2.1 with an accepted task each, and e (3.1, no task)."""
    rounds = build_rounds(world)
    build_findings(world, rounds)
    inspection = rounds.inspection1
    office, liaison = world.users[Role.OFFICE_STAFF], world.users[Role.LIAISON]
    plan = (
        ("a", D(2024, 6, 30), "concentrated"),
        ("b", D(2024, 7, 31), "concentrated"),
        ("c", D(2025, 12, 31), "long_term"),
        ("d", D(2024, 6, 15), "immediate"),
    )
    problems = {}
    for key, code in (("a", "2.1"), ("b", "2.1"), ("c", "2.1"), ("d", "2.1"), ("e", "3.1")):
        problems[key] = findings.problem_record(
            actor=office,
            inspection=inspection,
            category=category(code),
            summary=f"问题{key}：集体资产台账不全" if code == "2.1" else f"问题{key}：党支部组织生活不规范",
            found_on=D(2024, 3, 25),
        )
    for problem in inspection.problems.all():
        findings.problem_approve(actor=office, problem=problem)
    inspection.stage = "report"
    inspection.onsite_start, inspection.onsite_end = D(2024, 3, 10), D(2024, 4, 20)
    inspection.save()
    feedback = services.feedback_give(
        actor=office,
        inspection=inspection,
        held_on=D(2024, 5, 10),
        given_by="第一巡察组组长李某",
        received_by="街道党工委书记王某",
        requirements="要把巡察整改作为重大政治任务。\n要建立整改台账，逐项对账销号。",
    )
    for key, deadline, kind in plan:
        problems[key].refresh_from_db()
        task = services.task_add(
            actor=liaison,
            problem=problems[key],
            measure=f"整改措施{key}：清查台账",
            responsible_leader=f"副书记{key}",
            responsible_department="党政办",
            deadline=deadline,
            kind=kind,
        )
        services.task_accept(actor=office, task=task)
        problems[key].task = task
    return Fed(world, rounds, inspection, feedback, problems, office, liaison)


def close(fed: Fed, problem, on: datetime.date) -> None:
    """Complete the problem's task, attach evidence and close it on ``on``."""
    services.task_complete(actor=fed.liaison, task=problem.task, on=on)
    attachment_add(
        actor=fed.liaison, owner=problem.task, upload=SimpleUploadedFile("佐证.pdf", b"%PDF-1.4 proof")
    )
    services.problem_close(actor=fed.office, problem=problem, on=on, reason="对账销号：佐证材料齐全")


@pytest.fixture
def fed(world):
    return build_fed(world)


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
