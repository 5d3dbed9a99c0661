"""supervisions.csv, evaluations.csv and disclosures.csv: the office's 督办, 整改评估 and 双公开 survive an
export and an import, a second import changes nothing, a bad row is refused on its file, line and
column with nothing written, and another body's records are refused to an office that does not
manage that body."""

import datetime
import shutil

import pytest

from lijian.accounts.choices import Role
from lijian.documents.ledger.importer import ledger_export, ledger_import
from lijian.rectification import services
from lijian.rectification.models import Disclosure, Evaluation, Supervision
from lijian.rectification.supervision import evaluation_link_interview, evaluation_record, supervision_record

from ..bundles import write_bundle
from ..world import build_findings, build_rectification, build_rounds

D = datetime.date
MINE = ("supervisions.csv", "evaluations.csv", "disclosures.csv")
BODY1, TERM, STREET1 = "XCB-120101", "第十二届", "120101001"  # 和平区委巡察办 and its street
BODY2, STREET2 = "XCB-120103", "120103001"  # 河西区委巡察办 and its street
SUPERVISIONS = ["body_code", "org_code", "held_on", "method", "content", "result", "term", "round"]
SUPERVISIONS += ["problem_id", "measure"]
EVALUATIONS = ["body_code", "term", "org_code", "evaluated_on", "responsibility", "completion", "closing"]
EVALUATIONS += ["rules", "use", "notes", "interviewer", "interviewee", "interview_on"]
DISCLOSURES = ["body_code", "term", "round", "org_code", "audience", "title", "text", "show_rates"]
DISCLOSURES += ["published_on", "withdrawn_on", "problem_ids"]
POOR = {"responsibility": 10, "completion": 12, "closing": 8, "rules": 5, "use": 5}  # 40: 差


@pytest.fixture
def rect(world):
    """Each district's street fed back on 2024-05-10 with a task and a public disclosure; 和平's office
    has pressed its street by letter on the task, evaluated it poor and interviewed its secretary;
    河西's office has pressed its own street by phone."""
    rounds = build_rounds(world)
    made = build_rectification(world, rounds, build_findings(world, rounds))
    office = world.users[Role.OFFICE_STAFF]
    supervision_record(
        actor=office,
        body=world.body1,
        organization=world.t1,
        method="letter",
        held_on=D(2024, 8, 15),
        content="限期报送整改进展",
        result="已报送",
        inspection=made.inspection1,
        task=made.task1,
    )
    supervision_record(
        actor=world.outsider,
        body=world.body2,
        organization=world.t2,
        method="phone",
        held_on=D(2024, 8, 20),
        content="督促建立收费公示制度",
    )
    evaluation = evaluation_record(
        actor=office,
        body=world.body1,
        organization=world.t1,
        term=world.term1,
        evaluated_on=D(2024, 9, 5),
        scores=POOR,
        notes="整改推进缓慢",
    )
    interview = services.interview_record(
        actor=office,
        body=world.body1,
        organization=world.t1,
        interviewer="区委书记",
        interviewee="街道党工委书记王某",
        reason="整改评估为差",
        held_on=D(2024, 9, 10),
    )
    evaluation_link_interview(actor=office, evaluation=evaluation, interview=interview)
    return made


def _snapshot():
    return (
        sorted(
            Supervision.objects.values_list(
                "body__code",
                "organization__code",
                "held_on",
                "method",
                "content",
                "result",
                "inspection",
                "task",
            )
        ),
        sorted(
            Evaluation.objects.values_list(
                "body__code",
                "term__name",
                "organization__code",
                "evaluated_on",
                "scores",
                "total",
                "grade",
                "notes",
                "interview",
            )
        ),
        sorted(
            Disclosure.objects.values_list(
                "inspection",
                "audience",
                "title",
                "text",
                "show_rates",
                "published_on",
                "withdrawn_on",
                "problems__ref",
            )
        ),
    )


def test_export_then_import_brings_back_every_record_and_a_second_import_changes_nothing(
    world, rect, tmp_path
):
    Disclosure.objects.filter(pk=rect.disclosure2.pk).update(show_rates=False, withdrawn_on=D(2024, 9, 1))
    before = _snapshot()
    written = ledger_export(tmp_path / "out", actor=world.admin)
    assert {name: written[name] for name in MINE} == {
        "supervisions.csv": 2,
        "evaluations.csv": 1,
        "disclosures.csv": 2,
    }
    # These three files alone: they name the inspections, tasks, problems and interviews held.
    (tmp_path / "mine").mkdir()
    for name in MINE:
        shutil.copy(tmp_path / "out" / name, tmp_path / "mine" / name)
    Supervision.objects.all().delete()
    Evaluation.objects.all().delete()
    Disclosure.objects.all().delete()

    report = ledger_import(tmp_path / "mine", actor=world.admin)
    assert report.ok, report.errors
    assert {name: report.counts.get(name) for name in MINE} == {
        name: {"created": written[name]} for name in MINE
    }
    assert _snapshot() == before
    assert Evaluation.objects.get().grade == "poor"  # on the look-back list again, its interview linked

    again = ledger_import(tmp_path / "mine", actor=world.admin)
    assert again.ok, again.errors
    assert not any(again.counts.get(name) for name in MINE)
    assert _snapshot() == before


def test_an_edited_row_updates_its_record_rather_than_adding_one(world, rect, tmp_path):
    office = world.users[Role.OFFICE_STAFF]
    folder = write_bundle(
        tmp_path / "edit",
        {
            "supervisions.csv": [
                SUPERVISIONS,
                [
                    BODY1,
                    STREET1,
                    "2024-08-15",
                    "letter",
                    "限期报送整改进展",
                    "已报送，仍需跟进",
                    "",
                    "",
                    "",
                    "",
                ],
            ],
            "evaluations.csv": [
                EVALUATIONS,
                [BODY1, TERM, STREET1, "2024-09-05", 18, 27, 18, 13, 14, "", "", "", ""],
            ],
        },
    )
    report = ledger_import(folder, actor=office)
    assert report.ok, report.errors
    assert report.counts == {"supervisions.csv": {"updated": 1}, "evaluations.csv": {"updated": 1}}
    supervision = Supervision.objects.get(body=world.body1)
    assert (supervision.result, supervision.inspection, supervision.task) == ("已报送，仍需跟进", None, None)
    evaluation = Evaluation.objects.get()
    assert (evaluation.total, evaluation.grade, evaluation.interview) == (90, "good", None)


def test_bad_rows_are_each_reported_on_their_cell_and_nothing_is_written(world, rect, tmp_path):
    office = world.users[Role.OFFICE_STAFF]
    before = _snapshot()
    ref = rect.problem1.ref
    folder = write_bundle(
        tmp_path / "bad",
        {
            "supervisions.csv": [
                SUPERVISIONS,
                [
                    BODY1,
                    STREET1,
                    "2024-10-01",
                    "meeting",
                    "召开督办会",
                    "",
                    TERM,
                    "2",
                    ref,
                    rect.task1.measure,
                ],
                [BODY1, STREET1, "2099-01-01", "letter", "未来的督办", "", "", "", "", ""],
                [BODY1, STREET1, "2024-10-02", "fax", "传真督办", "", "", "", "", ""],
                [BODY1, STREET1, "2024-10-03", "letter", "只写了届次", "", TERM, "", "", ""],
                [BODY1, STREET1, "2024-10-04", "letter", "没有的措施", "", "", "", ref, "不存在的措施"],
                [BODY2, STREET2, "2024-10-05", "letter", "河西的督办", "", "", "", "", ""],
            ],
            "evaluations.csv": [
                EVALUATIONS,
                [BODY1, TERM, STREET1, "2024-10-01", 20, 31, 20, 15, 15, "", "", "", ""],
                [BODY1, "第九届", STREET1, "2024-10-02", 20, 30, 20, 15, 15, "", "", "", ""],
                [BODY1, TERM, STREET1, "2024-10-03", 20, 30, 20, 15, 15, "", "区委书记", "", ""],
            ],
            "disclosures.csv": [
                DISCLOSURES,
                [
                    BODY1,
                    TERM,
                    "2",
                    STREET1,
                    "public",
                    "再次公开",
                    "正文",
                    "1",
                    "2024-10-01",
                    "2024-09-01",
                    "",
                ],
                [BODY1, TERM, "7", STREET1, "party", "没有的轮次", "正文", "", "2024-10-01", "", ""],
                [BODY2, TERM, "2", STREET2, "party", "河西的公开", "正文", "", "2024-10-01", "", ""],
            ],
        },
    )
    report = ledger_import(folder, actor=office)
    assert not report.ok
    found = {(e.file, e.line, e.column): e.reason for e in report.errors}
    assert set(found) == {
        ("supervisions.csv", 3, "held_on"),
        ("supervisions.csv", 4, "method"),
        ("supervisions.csv", 5, "round"),
        ("supervisions.csv", 6, "measure"),
        ("supervisions.csv", 7, "body_code"),
        ("evaluations.csv", 2, "completion"),
        ("evaluations.csv", 3, "term"),
        ("evaluations.csv", 4, "interviewee"),
        ("disclosures.csv", 2, "withdrawn_on"),
        ("disclosures.csv", 3, "org_code"),
        ("disclosures.csv", 4, "body_code"),
    }
    assert found["supervisions.csv", 3, "held_on"] == "日期不能晚于今天。"
    assert found["supervisions.csv", 5, "round"] == "term、round须同时填写或同时留空。"
    assert found["supervisions.csv", 7, "body_code"] == "所属的巡视巡察机构（XCB-120103）不在您的管理范围内。"
    assert found["evaluations.csv", 2, "completion"] == "“问题整改完成情况”的得分应为 0 到 30 之间的整数。"
    assert found["disclosures.csv", 2, "withdrawn_on"] == "撤回日期不能早于公开日期。"
    assert _snapshot() == before


@pytest.mark.parametrize(
    "files, error",
    [
        (  # the service's rule: the organisation is not in the body's patrol scope
            {
                "supervisions.csv": [
                    SUPERVISIONS,
                    [BODY1, STREET2, "2024-10-01", "letter", "越界督办", "", "", "", "", ""],
                ]
            },
            ("supervisions.csv", 2, "org_code", "该党组织不在本机构的巡视巡察范围内。"),
        ),
        (  # the service's rule: the organisation was not fed back by the body in the term by that day
            {
                "evaluations.csv": [
                    EVALUATIONS,
                    [BODY1, TERM, STREET1, "2024-05-01", 20, 30, 20, 15, 15, "", "", "", ""],
                ]
            },
            ("evaluations.csv", 2, "org_code", "本机构本届尚未向该党组织反馈问题，不能评估整改。"),
        ),
        (  # the service's rule: no disclosure before the feedback
            {
                "disclosures.csv": [
                    DISCLOSURES,
                    [BODY1, TERM, "2", STREET1, "party", "提前公开", "正文", "", "2024-05-01", "", ""],
                ]
            },
            ("disclosures.csv", 2, "published_on", "公开日期不能早于反馈日期。"),
        ),
        (  # the service's rule: only problems this inspection fed back may be disclosed
            {
                "disclosures.csv": [
                    DISCLOSURES,
                    [
                        BODY1,
                        TERM,
                        "2",
                        STREET1,
                        "party",
                        "公开别处的问题",
                        "正文",
                        "",
                        "2024-10-01",
                        "",
                        "P-NONE",
                    ],
                ]
            },
            ("disclosures.csv", 2, "problem_ids", "问题编号“P-NONE”既不在 problems.csv 中，也不在系统中。"),
        ),
    ],
)
def test_a_row_the_services_would_refuse_is_refused_with_their_words(world, rect, tmp_path, files, error):
    before = _snapshot()
    report = ledger_import(write_bundle(tmp_path / "refused", files), actor=world.users[Role.OFFICE_STAFF])
    assert [(e.file, e.line, e.column, e.reason) for e in report.errors] == [error]
    assert _snapshot() == before


def test_a_problem_of_another_inspection_is_not_disclosed(world, rect, tmp_path):
    row = [BODY1, TERM, "2", STREET1, "party", "公开", "正文", "", "2024-10-01", "", rect.problem2.ref]
    report = ledger_import(
        write_bundle(tmp_path / "other", {"disclosures.csv": [DISCLOSURES, row]}), actor=world.admin
    )
    assert [(e.line, e.column, e.reason) for e in report.errors] == [
        (2, "problem_ids", "只能公开本次巡视巡察已反馈的问题。")
    ]


def test_an_office_exports_only_its_own_bodys_records(world, rect, tmp_path):
    written = ledger_export(tmp_path / "mine", actor=world.users[Role.OFFICE_STAFF])
    assert {name: written[name] for name in MINE} == {
        "supervisions.csv": 1,
        "evaluations.csv": 1,
        "disclosures.csv": 1,
    }
