"""tasks.csv keeps the task rules of the service, with its words: no deadline before the feedback,
a measure no longer than the model allows; and a repeated task id or measure is reported once, in the
words every ledger file uses."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from lijian.documents.ledger.importer import ledger_import
from lijian.rectification.models import RectificationTask
from lijian.rectification.validators import MEASURE_MAX_LENGTH, check_measure, check_task_deadline

from ..bundles import write_bundle
from ..world import fed_back

TASKS = ["task_id", "problem_id", "measure", "responsible", "deadline", "status", "completed_on"]
FEEDBACK = datetime.date(2024, 5, 10)  # of the street's inspection, see ``fed_back``


@pytest.fixture
def fed(world):
    return fed_back(world, (), referenced=(("A1", False), ("A2", False)))


def _message(rule, *args) -> str:
    with pytest.raises(ValidationError) as caught:
        rule(*args)
    return " ".join(caught.value.messages)


def _import(fed, tmp_path, *rows):
    folder = write_bundle(tmp_path / "bundle", {"tasks.csv": [TASKS, *rows]})
    return ledger_import(folder, actor=fed.office)


def test_a_deadline_before_the_feedback_is_refused_as_the_service_refuses_it(fed, tmp_path):
    report = _import(
        fed,
        tmp_path,
        ["T1", "A1", "措施一", "张明/党政办", "2024-05-09", "", ""],
        ["T2", "A2", "措施二", "张明/党政办", "2024-05-10", "", ""],  # the feedback day itself is fine
    )
    assert not report.ok
    assert [(e.line, e.column, e.reason) for e in report.errors] == [
        (2, "deadline", _message(check_task_deadline, datetime.date(2024, 5, 9), FEEDBACK))
    ]
    assert not RectificationTask.objects.exists()
    assert _import(fed, tmp_path, ["T2", "A2", "措施二", "张明/党政办", "2024-05-10", "", ""]).ok


def test_a_measure_is_bounded_by_the_model(fed, tmp_path):
    long = "措" * (MEASURE_MAX_LENGTH + 1)
    report = _import(fed, tmp_path, ["T1", "A1", long, "张明/党政办", "2024-06-30", "", ""])
    assert [(e.line, e.column, e.reason) for e in report.errors] == [
        (2, "measure", _message(check_measure, long))
    ]
    longest = "措" * MEASURE_MAX_LENGTH
    assert _import(fed, tmp_path, ["T1", "A1", longest, "张明/党政办", "2024-06-30", "", ""]).ok
    assert RectificationTask.objects.get().measure == longest


def test_a_repeated_task_id_or_measure_is_reported_in_the_words_of_every_file(fed, tmp_path):
    report = _import(
        fed,
        tmp_path,
        ["T1", "A1", "措施一", "张明/党政办", "2024-06-30", "", ""],
        ["T1", "A2", "措施二", "张明/党政办", "2024-06-30", "", ""],
        ["T3", "A1", "措施一", "张明/党政办", "2024-06-30", "", ""],
    )
    assert [(e.line, e.column, e.reason) for e in report.errors] == [
        (3, "task_id", "“T1”重复（第 2 行已出现）。"),
        (4, "measure", "“A1:措施一”重复（第 2 行已出现）。"),
    ]
