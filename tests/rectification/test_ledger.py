"""tasks.csv, problem_status.csv, interviews.csv and accountability.csv: a good import and what it
means for the rates, every kind of bad row reported with nothing written, Chinese headers, unknown
columns refused, an exact round trip and a re-import that changes nothing."""

import datetime

import pytest

from lijian.accounts.choices import Role
from lijian.analytics.figures import body_figures
from lijian.documents.ledger.importer import ledger_export, ledger_import
from lijian.findings.models import Problem
from lijian.orgs.services import organization_create
from lijian.rectification import services
from lijian.rectification.models import Accountability, Interview, ProblemEvent, RectificationTask
from lijian.rectification.rates import rectification_rates

from ..bundles import write_bundle
from ..world import category, fed_back

D = datetime.date
TASKS = ["task_id", "problem_id", "measure", "responsible", "deadline", "status", "completed_on"]
STATUS = ["problem_id", "status", "closed_on"]
INTERVIEWS = ["interviewer", "interviewee", "org_code", "reason", "held_on"]
ACCOUNTABILITY = ["subject_name", "subject_post", "org_code", "action", "reason", "decided_on", "problem_id"]
STREET = "120101001"  # 和平区劝业场街道党工委, patrolled by 和平区委巡察办 (XCB-120101)


@pytest.fixture
def fed(world):
    """和平区's inspection of the street fed back on 2024-05-10 with four approved problems: the
    world's own (P2024-000001) and A1, A2 (立行立改), A3; no task yet."""
    return fed_back(world, (), referenced=(("A1", False), ("A2", True), ("A3", False)))


def _good(folder):
    return write_bundle(
        folder,
        {
            "tasks.csv": [
                TASKS,
                ["T1", "A1", "建立集体资产台账", "张明/街道党政办", "2024-06-30", "done", "2024-06-20"],
                ["T2", "A2", "立即退还违规收取的费用", "李华/财务科", "2024-05-31", "done", "2024-05-20"],
                ["T3", "A3", "长期坚持民主决策制度", "王强／组织办", "2025-12-31", "long_term", ""],
                ["T4", "A3", "修订议事规则", "王强/组织办", "2024-08-31", "in_progress", ""],
            ],
            "problem_status.csv": [
                STATUS,
                ["A1", "closed", "2024-06-25"],
                ["A2", "reopened", "2024-09-01"],  # rows of one problem are taken in date order
                ["A2", "closed", "2024-05-25"],
                ["A3", "long_term_stage_met", "2024-08-15"],
                ["P2024-000001", "rectifying", ""],
            ],
            "interviews.csv": [
                INTERVIEWS,
                ["区委书记", "街道党工委书记张某", STREET, "整改落实到位率低于70%", "2024-09-10"],
            ],
            "accountability.csv": [
                ACCOUNTABILITY,
                ["张某", "街道党工委书记", STREET, "admonishment", "立行立改问题反弹", "2024-09-20", "A2"],
                ["李某", "街道党工委副书记", STREET, "criticism_notice", "整改推进不力", "2024-09-20", ""],
            ],
        },
    )


def _snapshot():
    return (
        sorted(
            RectificationTask.objects.values_list(
                "problem__ref",
                "measure",
                "responsible_leader",
                "responsible_department",
                "deadline",
                "status",
                "completed_on",
                "kind",
            )
        ),
        sorted(ProblemEvent.objects.values_list("problem__ref", "status", "on")),
        sorted(Problem.objects.values_list("ref", "status")),
        sorted(
            Interview.objects.values_list(
                "body__code",
                "organization__code",
                "interviewer",
                "interviewee",
                "reason",
                "held_on",
                "inspection",
            )
        ),
        sorted(
            Accountability.objects.values_list(
                "body__code",
                "organization__code",
                "subject_name",
                "subject_post",
                "action",
                "reason",
                "decided_by",
                "decided_on",
                "problem__ref",
                "inspection",
            )
        ),
    )


def test_a_good_import_gives_accepted_tasks_a_dated_history_and_linked_consequences(fed, tmp_path):
    world = fed.world
    report = ledger_import(_good(tmp_path / "good"), actor=fed.office)
    assert report.ok, report.errors
    tasks = {t.measure: t for t in RectificationTask.objects.all()}
    assert all(t.accepted_at and t.accepted_by == fed.office for t in tasks.values())
    assert {m: t.kind for m, t in tasks.items()} == {
        "建立集体资产台账": "concentrated",
        "立即退还违规收取的费用": "immediate",  # its problem is 立行立改
        "长期坚持民主决策制度": "long_term",
        "修订议事规则": "concentrated",
    }
    assert (
        tasks["长期坚持民主决策制度"].responsible_leader,
        tasks["长期坚持民主决策制度"].responsible_department,
    ) == (
        "王强",
        "组织办",
    )
    a2 = Problem.objects.get(ref="A2")
    assert a2.status == "reopened"
    assert list(a2.events.values_list("status", "on")) == [
        ("rectifying", D(2024, 5, 10)),
        ("closed", D(2024, 5, 25)),
        ("reopened", D(2024, 9, 1)),
    ]
    # Imported closings are history decided on paper: no evidence asked for, and marked as imported.
    from lijian.rectification.services import has_evidence

    a1 = Problem.objects.get(ref="A1")
    assert a1.status == "closed" and not has_evidence(a1)
    assert a1.events.get(status="closed").reason == "台账导入"

    def rates(on):
        found = rectification_rates(world.t1, world.body1, world.term1, on)
        return [
            (r.numerator, r.denominator) for r in (found["completion_rate"], found["implementation_rate"])
        ]

    # 7-01: A1 and A2 closed, both due; 4 fed back. 9-15: A2 reopened, A3's stage met (its latest
    # deadline is 2025), P2024-000001 has no task: never due.
    assert rates(D(2024, 7, 1)) == [(2, 2), (2, 4)]
    assert rates(D(2024, 9, 15)) == [(1, 2), (2, 4)]

    interview = Interview.objects.get()
    assert (interview.body, interview.organization, interview.inspection) == (
        world.body1,
        world.t1,
        fed.inspection,
    )
    warned, noticed = (Accountability.objects.get(subject_name=n) for n in ("张某", "李某"))
    assert (warned.problem.ref, warned.inspection) == ("A2", fed.inspection)
    assert (noticed.problem, noticed.inspection) == (None, fed.inspection)  # linked to what caused it
    assert noticed.decided_by == world.d1.name
    figures = body_figures(world.body1, world.term1, D(2024, 12, 31))
    assert [
        figures[k].value for k in ("interviews", "accountability_actions", "people_held_accountable")
    ] == [1, 2, 2]
    assert figures["accountability_admonishment"].value == 1
    assert list(figures["accountability_criticism_notice"].records) == [noticed]
    assert body_figures(world.body1, world.term1, D(2024, 9, 15))["accountability_actions"].value == 0


def test_bad_rows_are_each_reported_and_nothing_is_written(fed, tmp_path):
    world = fed.world
    Problem.objects.create(  # on a planned inspection: never fed back
        ref="B1", inspection=fed.rounds.spare1, category=category(), summary="未反馈", found_on=D(2024, 3, 25)
    )
    organization_create(
        actor=world.admin,
        parent=world.d1,
        code="D1-X",
        name="和平区某局党组",
        kind="department",
        supervising_body=world.body1,
    )
    folder = write_bundle(
        tmp_path / "bad",
        {
            "tasks.csv": [
                TASKS,
                ["T1", "A1", "措施一", "张明/党政办", "2024-06-30", "done", "2024-06-20"],
                ["T2", "A9", "措施二", "张明/党政办", "2024-06-30", "", ""],
                ["T3", "A1", "措施三", "/党政办", "2024-06-30", "", ""],
                ["T1", "A1", "措施四", "张明/党政办", "2024-06-30", "", ""],
                ["T5", "A1", "措施五", "张明/党政办", "2024-13-01", "", ""],
                ["T6", "A1", "措施六", "张明/党政办", "2024-06-30", "done", ""],
                ["T7", "B1", "措施七", "张明/党政办", "2024-06-30", "", ""],
                ["T8", "P2024-000002", "措施八", "张明/党政办", "2024-06-30", "", ""],  # 河西: not theirs
                ["T9", "A1", "措施九", "张明/党政办", "2024-06-30", "finished", ""],
                ["T10", "A1", "措施一", "张明/党政办", "2024-06-30", "", ""],
            ],
            "problem_status.csv": [
                STATUS,
                ["A1", "closed", "2024-06-25"],
                ["A2", "closed", ""],
                ["A3", "reopened", "2024-06-01"],
                ["P2024-000001", "closed", "2024-05-01"],
                ["A9", "closed", "2024-06-01"],
                ["B1", "closed", "2024-06-01"],
                ["A1", "reopened", "2999-01-01"],
                ["A2", "done", "2024-06-01"],
            ],
            "interviews.csv": [
                INTERVIEWS,
                ["区委书记", "张某", STREET, "约谈", "2024-09-10"],
                ["区委书记", "张某", "999", "约谈", "2024-09-10"],
                ["区委书记", "王某", STREET, "约谈", "2999-09-10"],
                ["", "赵某", STREET, "约谈", "2024-09-10"],
                ["区委书记", "钱某", "120103001", "约谈", "2024-09-10"],
                ["市委书记", "孙某", "TJ", "约谈", "2024-09-10"],
            ],
            "accountability.csv": [
                ACCOUNTABILITY,
                ["张某", "书记", STREET, "admonishment", "整改不力", "2024-09-20", "A2"],
                ["周某", "书记", "120101001001", "admonishment", "整改不力", "2024-09-20", "A1"],
                ["吴某", "书记", STREET, "kill", "整改不力", "2024-09-20", ""],
                ["郑某", "局长", "D1-X", "removal", "整改不力", "2024-09-20", ""],
                ["冯某", "书记", STREET, "removal", "整改不力", "", ""],
            ],
        },
    )
    before = _snapshot()
    report = ledger_import(folder, actor=fed.office)
    assert not report.ok
    assert {(e.file, e.line, e.column) for e in report.errors} == {
        ("tasks.csv", 3, "problem_id"),  # unknown problem
        ("tasks.csv", 4, "responsible"),  # a department without its leader
        ("tasks.csv", 5, "task_id"),  # the same id twice
        ("tasks.csv", 6, "deadline"),  # not a date
        ("tasks.csv", 7, "completed_on"),  # done without a day
        ("tasks.csv", 8, "problem_id"),  # not fed back
        ("tasks.csv", 9, "problem_id"),  # another district's problem
        ("tasks.csv", 10, "status"),  # not a status
        ("tasks.csv", 11, "measure"),  # the same measure twice for one problem
        ("problem_status.csv", 3, "closed_on"),  # closed without a day
        ("problem_status.csv", 4, "status"),  # reopened before ever closed
        ("problem_status.csv", 5, "closed_on"),  # before feedback
        ("problem_status.csv", 6, "problem_id"),
        ("problem_status.csv", 7, "status"),  # not fed back
        ("problem_status.csv", 8, "closed_on"),  # in the future
        ("problem_status.csv", 9, "status"),
        ("interviews.csv", 3, "org_code"),  # unknown organisation
        ("interviews.csv", 4, "held_on"),  # in the future
        ("interviews.csv", 5, "interviewer"),
        ("interviews.csv", 6, "org_code"),  # another district
        ("interviews.csv", 7, "org_code"),  # no body covers the city committee
        ("accountability.csv", 3, "problem_id"),  # a problem of another organisation
        ("accountability.csv", 4, "action"),
        ("accountability.csv", 5, "problem_id"),  # nothing of the body to link it to
        ("accountability.csv", 6, "decided_on"),
    }
    assert all(e.reason for e in report.errors)
    assert _snapshot() == before


def test_chinese_headers_and_labels_are_accepted(fed, tmp_path):
    folder = write_bundle(
        tmp_path / "zh",
        {
            "tasks.csv": [
                ["任务编号", "问题编号", "整改措施", "责任领导/责任部门", "完成时限", "状态", "完成日期"],
                ["1", "A1", "建立台账", "张明/党政办", "2024-06-30", "已完成", "2024-06-20"],
            ],
            "problem_status.csv": [["问题编号", "整改状态", "销号日期"], ["A1", "已销号", "2024-06-25"]],
            "interviews.csv": [
                ["约谈人", "被约谈人", "党组织代码", "约谈事由", "约谈日期"],
                ["区委书记", "张某", STREET, "整改不力", "2024-09-10"],
            ],
            "accountability.csv": [
                ["问责对象", "职务", "党组织代码", "问责方式", "问责事由", "决定日期", "问题编号"],
                ["张某", "书记", STREET, "诫勉", "整改不力", "2024-09-20", "A1"],
            ],
        },
    )
    report = ledger_import(folder, actor=fed.office)
    assert report.ok, report.errors
    assert RectificationTask.objects.get().status == "done"
    assert Problem.objects.get(ref="A1").status == "closed"
    assert Accountability.objects.get().action == "admonishment"
    assert report.counts["interviews.csv"] == {"created": 1}


def test_an_unknown_column_is_refused(fed, tmp_path):
    folder = write_bundle(
        tmp_path / "extra",
        {"tasks.csv": [[*TASKS, "备注"], ["T1", "A1", "建立台账", "张明/党政办", "2024-06-30", "", "", "x"]]},
    )
    report = ledger_import(folder, actor=fed.office)
    assert [(e.file, e.line, e.column) for e in report.errors] == [("tasks.csv", 1, "备注")]
    assert not RectificationTask.objects.exists()


def test_export_then_import_round_trips_and_a_second_import_changes_nothing(fed, tmp_path):
    world, liaison = fed.world, fed.world.users[Role.LIAISON]
    assert ledger_import(_good(tmp_path / "good"), actor=fed.office).ok
    # A task made through the services, changed and so not accepted, exports and comes back accepted.
    services.task_add(
        actor=liaison,
        problem=Problem.objects.get(ref="P2024-000001"),
        measure="规范收费公示",
        responsible_leader="赵六",
        responsible_department="社区办",
        deadline=D(2024, 10, 31),
    )
    before = _snapshot()
    figures_before = {k: f.value for k, f in body_figures(world.body1, world.term1, D(2024, 12, 31)).items()}
    written = ledger_export(tmp_path / "out.zip", actor=world.admin)
    assert {
        k: written[k] for k in ("tasks.csv", "problem_status.csv", "interviews.csv", "accountability.csv")
    } == {
        "tasks.csv": 5,
        "problem_status.csv": 5,  # A2 closed and reopened; the rest one row each (P2024-000001 rectifying)
        "interviews.csv": 1,
        "accountability.csv": 2,
    }
    Accountability.objects.all().delete()
    Interview.objects.all().delete()
    RectificationTask.objects.all().delete()
    ProblemEvent.objects.all().delete()
    Problem.objects.update(status="open")
    report = ledger_import(tmp_path / "out.zip", actor=world.admin)
    assert report.ok, report.errors
    assert _snapshot() == before
    after = {k: f.value for k, f in body_figures(world.body1, world.term1, D(2024, 12, 31)).items()}
    assert after == figures_before
    again = ledger_import(tmp_path / "out.zip", actor=world.admin)
    assert again.ok, again.errors
    assert not any(
        again.counts.get(f)
        for f in ("tasks.csv", "problem_status.csv", "interviews.csv", "accountability.csv")
    )
    assert _snapshot() == before
