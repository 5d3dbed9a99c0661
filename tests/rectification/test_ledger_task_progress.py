"""task_progress.csv: a report names its task by problem and measure, found in tasks.csv of the same
bundle or in the system; a row naming an unknown problem, another body's problem or a measure its
problem lacks is refused on its cell with nothing written."""

from lijian.documents.ledger.importer import ledger_import
from lijian.rectification.models import TaskProgress

from ..bundles import write_bundle
from ..world import fed_back

FILE = "task_progress.csv"
HEADER = ["problem_id", "measure", "on", "text"]
TASKS_HEADER = ["task_id", "problem_id", "measure", "responsible", "deadline", "status", "completed_on"]


def test_a_report_on_a_task_of_the_same_bundle_is_imported(world, tmp_path):
    fed = fed_back(world)
    ref = next(iter(fed.problems.values())).ref
    files = {
        "tasks.csv": [
            TASKS_HEADER,
            ["1", ref, "建立台账月度核对制度", "王某/党政办", "2024-08-31", "planned", ""],
        ],
        FILE: [HEADER, [ref, "建立台账月度核对制度", "2024-06-01", "已起草核对制度。"]],
    }
    report = ledger_import(write_bundle(tmp_path / "new", files), actor=fed.office)
    assert report.ok, report.errors
    assert list(TaskProgress.objects.values_list("task__measure", "text")) == [
        ("建立台账月度核对制度", "已起草核对制度。")
    ]


def test_a_report_naming_no_task_of_this_body_is_refused_on_its_cell(world, tmp_path):
    fed = fed_back(world)
    task = next(iter(fed.problems.values())).tasks.get()
    rows = [
        [task.problem.ref, task.measure, "2024-06-01", "已完成一半。"],
        [task.problem.ref, "没有的措施", "2024-06-02", "已完成。"],
        ["P-NONE", "措施", "2024-06-03", "已完成。"],
        ["P2024-000002", "措施", "2024-06-04", "已完成。"],  # 河西's
    ]
    report = ledger_import(write_bundle(tmp_path / "bad", {FILE: [HEADER, *rows]}), actor=fed.office)
    found = {(e.file, e.line, e.column): e.reason for e in report.errors}
    assert found == {
        (FILE, 3, "measure"): "该问题没有这项整改措施（见 tasks.csv）。",
        (FILE, 4, "problem_id"): "问题编号“P-NONE”既不在 problems.csv 中，也不在系统中。",
        (FILE, 5, "problem_id"): "所属的巡视巡察机构（XCB-120103）不在您的管理范围内。",
    }
    assert not TaskProgress.objects.exists()
