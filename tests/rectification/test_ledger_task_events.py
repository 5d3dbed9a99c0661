"""task_events.csv: a task's review history (written, returned with the comment, changed with what
changed, accepted — by whom and when) survives an export and an import, only ever grows, a second
import changes nothing, a bad row is refused on its file, line and column with nothing written, and
another body's tasks are refused."""

import datetime
import shutil

import pytest

from lijian.documents.ledger.importer import ledger_export, ledger_import
from lijian.rectification import services
from lijian.rectification.models import TaskEvent

from ..bundles import write_bundle
from ..world import fed_back

D = datetime.date
FILE = "task_events.csv"
HEADER = ["problem_id", "measure", "action", "at", "comment", "changes", "actor"]


@pytest.fixture
def fed(world):
    """和平's street fed back with two accepted tasks; a third, returned once and then changed, awaits
    acceptance again."""
    fed = fed_back(world)
    problem = next(iter(fed.problems.values()))
    task = services.task_add(
        actor=fed.liaison,
        problem=problem,
        measure="完善集体资产台账",
        responsible_leader="副书记",
        responsible_department="党政办",
        deadline=D(2024, 8, 31),
    )
    services.task_return(actor=fed.office, task=task, comment="请细化完成时限")
    services.task_change(actor=fed.liaison, task=task, deadline=D(2024, 7, 31))
    fed.returned = task
    return fed


def _snapshot():
    return sorted(
        TaskEvent.objects.values_list(
            "task__problem__ref", "task__measure", "action", "at", "comment", "changes", "actor__username"
        ),
        key=repr,
    )


def _import(folder, rows, actor):
    return ledger_import(write_bundle(folder, {FILE: [HEADER, *rows]}), actor=actor)


def test_export_then_import_brings_back_every_event_and_a_second_import_changes_nothing(fed, tmp_path):
    before = _snapshot()
    assert [a for *_, a, _at, _c, _ch, _u in before].count("returned") == 1
    written = ledger_export(tmp_path / "out", actor=fed.world.admin)
    assert written[FILE] == len(before) == 7  # two tasks written and accepted; one written, returned, changed
    (tmp_path / "mine").mkdir()
    shutil.copy(tmp_path / "out" / FILE, tmp_path / "mine" / FILE)
    TaskEvent.objects.all().delete()

    report = ledger_import(tmp_path / "mine", actor=fed.world.admin)
    assert report.ok, report.errors
    assert report.counts[FILE] == {"created": 7}
    assert _snapshot() == before

    again = ledger_import(tmp_path / "mine", actor=fed.world.admin)
    assert again.ok, again.errors
    assert not again.counts.get(FILE)
    assert _snapshot() == before


def test_the_history_only_grows(fed, tmp_path):
    before = _snapshot()
    task = fed.returned
    row = [task.problem.ref, task.measure, "accepted", "2024-09-01T10:00:00+08:00", "", "", "u-office_staff"]
    report = _import(tmp_path / "grow", [row], fed.office)
    assert report.ok, report.errors
    assert report.counts[FILE] == {"created": 1}
    after = _snapshot()
    assert len(after) == len(before) + 1
    assert all(event in after for event in before)  # nothing held was removed or changed


def test_bad_rows_are_each_reported_on_their_cell_and_nothing_is_written(fed, tmp_path):
    before = _snapshot()
    task = fed.returned
    ref, measure = task.problem.ref, task.measure
    rows = [
        [ref, measure, "accepted", "2024-09-01T10:00:00+08:00", "", "", ""],
        [ref, measure, "accepted", "2024年9月1日上午", "", "", ""],
        [ref, measure, "accepted", "2099-01-01T10:00:00+08:00", "", "", ""],
        [ref, measure, "returned", "2024-09-02T10:00:00+08:00", "", "", ""],
        [ref, measure, "changed", "2024-09-03T10:00:00+08:00", "", '{"status": ["a", "b"]}', ""],
        [ref, "没有的措施", "accepted", "2024-09-04T10:00:00+08:00", "", "", ""],
        ["P2024-000002", "措施", "accepted", "2024-09-05T10:00:00+08:00", "", "", ""],  # 河西's
    ]
    report = _import(tmp_path / "bad", rows, fed.office)
    assert not report.ok
    found = {(e.file, e.line, e.column): e.reason for e in report.errors}
    assert set(found) == {
        (FILE, 3, "at"),
        (FILE, 4, "at"),
        (FILE, 5, "comment"),
        (FILE, 6, "changes"),
        (FILE, 7, "measure"),
        (FILE, 8, "problem_id"),
    }
    assert found[FILE, 4, "at"] == "日期不能晚于今天。"
    assert found[FILE, 5, "comment"] == "请写明退回意见：哪里需要修改。"
    assert found[FILE, 8, "problem_id"] == "所属的巡视巡察机构（XCB-120103）不在您的管理范围内。"
    assert _snapshot() == before


def test_an_actor_without_an_account_here_is_left_empty_and_said_so(fed, tmp_path):
    task = fed.returned
    row = [task.problem.ref, task.measure, "accepted", "2024-09-01T10:00:00+08:00", "", "", "someone-else"]
    report = _import(tmp_path / "who", [row], fed.office)
    assert report.ok, report.errors
    assert [(m["column"], m["text"]) for m in report.mappings] == [("actor", "someone-else")]
    assert TaskEvent.objects.get(action="accepted", task=task).actor is None
