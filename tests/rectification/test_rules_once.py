"""Each task rule written once (``rectification.validators``) holds alike through the three ways a task
comes in: the liaison's form, the API and the office's tasks.csv. For every case the three accept or
refuse together, on the same field and in the same words, and a refusal writes nothing."""

import csv
import datetime
import json
from dataclasses import dataclass

import pytest
from django.urls import reverse

from lijian.accounts.choices import Role
from lijian.core.models import AuditEvent
from lijian.documents.ledger.importer import ledger_import
from lijian.rectification import api, forms
from lijian.rectification.models import ProblemEvent, RectificationTask, TaskEvent
from lijian.rectification.validators import MEASURE_MAX_LENGTH

from ..rules import api_refusal, ledger_refusal, page_refusal
from ..world import build_findings, build_rectification, build_rounds

D = datetime.date
TASKS = ["task_id", "problem_id", "measure", "responsible", "deadline", "status", "completed_on"]
FED_ON = D(2024, 5, 10)  # the feedback of the world's fed-back inspections (build_rectification)
TOO_LONG = "过长（最多 5000 个字符）。"
TOO_EARLY = "完成时限不能早于反馈日期（2024-05-10）。"


@dataclass(frozen=True)
class Case:
    measure: str
    deadline: D
    refusal: tuple[str, str] | None  # (field, message) or None when accepted


CASES = {
    "a deadline on the feedback day": Case("公开收费标准", FED_ON, None),
    "a deadline before the feedback": Case(
        "公开收费标准", FED_ON - datetime.timedelta(days=1), ("deadline", TOO_EARLY)
    ),
    "a measure at the limit": Case("措" * MEASURE_MAX_LENGTH, D(2024, 10, 31), None),
    "a measure over the limit": Case("措" * (MEASURE_MAX_LENGTH + 1), D(2024, 10, 31), ("measure", TOO_LONG)),
}


@pytest.fixture
def rect(world):
    rounds = build_rounds(world)
    return build_rectification(world, rounds, build_findings(world, rounds))


def _written(problem):
    return (
        sorted(RectificationTask.objects.filter(problem=problem).values_list("measure", "deadline")),
        AuditEvent.objects.filter(action="task.add").count(),
    )


def _by_form(client, world, problem, case: Case):
    """The refusal the form page shows, or ``None`` when the task was added."""
    client.force_login(world.users[Role.LIAISON])
    answer = client.post(
        reverse("rectification:task_add", args=[problem.pk]),
        {
            "new-measure": case.measure,
            "new-responsible_leader": "街道办主任",
            "new-responsible_department": "街道党政办",
            "new-deadline": case.deadline.isoformat(),
            "new-kind": "concentrated",
        },
    )
    return page_refusal(answer)


def _by_api(client, world, problem, case: Case):
    client.force_login(world.users[Role.LIAISON])
    answer = client.post(
        f"/api/rectification/problems/{problem.pk}/tasks",
        json.dumps(
            {
                "measure": case.measure,
                "responsible_leader": "街道办主任",
                "responsible_department": "街道党政办",
                "deadline": case.deadline.isoformat(),
            }
        ),
        content_type="application/json",
    )
    return api_refusal(answer, 201)


def _by_ledger(tmp_path, world, problem, rows: list[list[str]]):
    folder = tmp_path / "bundle"
    folder.mkdir(parents=True)
    with open(folder / "tasks.csv", "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([TASKS, *rows])
    report = ledger_import(folder, actor=world.users[Role.OFFICE_STAFF])
    return ledger_refusal(report, "tasks.csv", len(rows) + 1)


def _row(task_id: str, problem, case: Case) -> list[str]:
    return [
        task_id,
        problem.ref,
        case.measure,
        "街道办主任/街道党政办",
        case.deadline.isoformat(),
        "planned",
        "",
    ]


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("way", ["form", "api", "tasks.csv"])
def test_a_task_rule_holds_alike_through_the_form_the_api_and_tasks_csv(
    client, world, rect, tmp_path, name, way
):
    case, problem = CASES[name], rect.problem1
    before = _written(problem)
    if way == "form":
        outcome = _by_form(client, world, problem, case)
    elif way == "api":
        outcome = _by_api(client, world, problem, case)
    else:
        outcome = _by_ledger(tmp_path, world, problem, [_row("T1", problem, case)])
    assert outcome == case.refusal
    measures = _written(problem)[0]
    if case.refusal:
        assert RectificationTask.objects.filter(problem=problem).count() == len(before[0])
        assert _written(problem) == before  # nothing written, not even an event
    else:
        assert (case.measure, case.deadline) in measures and len(measures) == len(before[0]) + 1


DUPLICATE = "该问题已有这项整改措施。"


@pytest.mark.parametrize("way", ["form", "api"])
def test_one_problem_takes_a_measure_once_by_form_and_api(client, world, rect, way):
    """The measure a problem's task already has is refused, in the same words both ways."""
    problem = rect.problem1
    case = Case(rect.task1.measure, D(2024, 10, 31), None)
    before = _written(problem)
    outcome = (_by_form if way == "form" else _by_api)(client, world, problem, case)
    assert outcome == ("measure", DUPLICATE)
    assert _written(problem) == before


def test_one_problem_takes_a_measure_once_in_tasks_csv(world, rect, tmp_path):
    """In a sheet the same measure twice for one problem, or one task id twice, is refused on the later
    row; a row naming a task already in the system is that task (matched by problem and measure)."""
    problem = rect.problem1
    first = Case("公开收费标准", D(2024, 10, 31), None)
    before = _written(problem)
    twice = _by_ledger(
        tmp_path / "a", world, problem, [_row("T1", problem, first), _row("T2", problem, first)]
    )
    assert twice is not None and twice[0] == "measure"
    again = _by_ledger(
        tmp_path / "b",
        world,
        problem,
        [_row("T1", problem, first), _row("T1", problem, CASES["a measure at the limit"])],
    )
    assert again is not None and again[0] == "task_id"
    assert _written(problem) == before


def test_the_form_and_the_api_schema_take_their_limits_from_the_model():
    def model_limit(model, name):
        return model._meta.get_field(name).max_length

    def schema_limit(schema, name):
        return schema.model_json_schema()["properties"][name]["maxLength"]

    for name in ("measure", "responsible_leader", "responsible_department"):
        limit = model_limit(RectificationTask, name)
        assert schema_limit(api.TaskIn, name) == limit
        field = forms.TaskForm.base_fields[name]
        assert (field.max_length or int(field.widget.attrs["maxlength"])) == limit
    assert forms.TaskChangeForm.base_fields["measure"].widget.attrs["maxlength"] == MEASURE_MAX_LENGTH
    assert forms.ReturnForm.base_fields["comment"].max_length == model_limit(TaskEvent, "comment")
    assert schema_limit(api.ReturnIn, "comment") == model_limit(TaskEvent, "comment")
    assert forms.MoveForm.base_fields["reason"].max_length == model_limit(ProblemEvent, "reason")
    assert schema_limit(api.MoveIn, "reason") == model_limit(ProblemEvent, "reason")
