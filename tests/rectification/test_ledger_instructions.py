"""instructions.csv: leaders' instructions (批示) on problems, clues and petitions survive an export and
an import with whom they charged and how far their follow-up got, a second import changes nothing, a
bad row is refused on its file, line and column with nothing written, another body's records are
refused, and an instruction whose leader has no account here is left out and said so."""

import datetime
import shutil

import pytest

from lijian.accounts.choices import Role
from lijian.documents.ledger.importer import ledger_export, ledger_import
from lijian.rectification.instructions import services as instructions
from lijian.rectification.models import Instruction

from ..bundles import write_bundle
from ..world import build_findings, build_rounds

D = datetime.date
FILE = "instructions.csv"
HEADER = ["subject_kind", "subject_ref", "leader", "given_on", "text", "addressee", "deadline"]
HEADER += ["follow_up_asked", "status", "follow_up_given", "answered_by", "answered_on", "escalated_on"]


@pytest.fixture
def findings(world):
    """和平's and 河西's problems and clues, each clue with the administrator's instruction; 和平's
    leader has instructed on its problem, its office has answered and the leader closed it."""
    rounds = build_rounds(world)
    made = build_findings(world, rounds)
    leader, office = world.users[Role.LEADER], world.users[Role.OFFICE_STAFF]
    instruction = instructions.instruction_give(
        actor=leader,
        subject=made.problem1,
        text="限期整改到位",
        addressee=office,
        deadline=D(2024, 6, 30),
        follow_up_asked="报送整改结果",
        given_on=D(2024, 4, 1),
    )
    instructions.instruction_answer(actor=office, instruction=instruction, follow_up_given="已整改到位")
    instructions.instruction_close(actor=leader, instruction=instruction)
    return made


def _snapshot():
    return sorted(
        Instruction.objects.values_list(
            "problem__ref",
            "clue__ref",
            "petition__ref",
            "leader__username",
            "given_on",
            "text",
            "addressee__username",
            "deadline",
            "follow_up_asked",
            "status",
            "follow_up_given",
            "answered_by__username",
            "answered_on",
            "escalated_on",
        ),
        key=repr,
    )


def _import(folder, rows, actor):
    return ledger_import(write_bundle(folder, {FILE: [HEADER, *rows]}), actor=actor)


def test_export_then_import_brings_back_every_instruction_and_a_second_import_changes_nothing(
    world, findings, tmp_path
):
    before = _snapshot()
    written = ledger_export(tmp_path / "out", actor=world.admin)
    assert written[FILE] == 3  # the two clues' and the problem's
    (tmp_path / "mine").mkdir()
    shutil.copy(tmp_path / "out" / FILE, tmp_path / "mine" / FILE)
    Instruction.objects.all().delete()

    report = ledger_import(tmp_path / "mine", actor=world.admin)
    assert report.ok, report.errors
    assert report.counts[FILE] == {"created": 3}
    assert _snapshot() == before

    again = ledger_import(tmp_path / "mine", actor=world.admin)
    assert again.ok, again.errors
    assert not again.counts.get(FILE)
    assert _snapshot() == before


def test_an_office_exports_only_the_instructions_on_its_records(world, findings, tmp_path):
    written = ledger_export(tmp_path / "out", actor=world.outsider)  # 河西's office: its clue's only
    assert written[FILE] == 1


def test_an_instruction_whose_leader_has_no_account_here_is_left_out_and_said_so(world, findings, tmp_path):
    before = _snapshot()
    row = [
        "problem",
        findings.problem1.ref,
        "former-secretary",
        "2024-04-02",
        "抓紧整改",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ]
    report = _import(tmp_path / "b", [row], world.users[Role.OFFICE_STAFF])
    assert report.ok, report.errors
    assert not report.counts.get(FILE)
    assert [(m["column"], m["text"], m["meaning"]) for m in report.mappings] == [
        ("leader", "former-secretary", "本系统没有这个账号，该批示未导入")
    ]
    assert _snapshot() == before


def test_bad_rows_are_each_reported_on_their_cell_and_nothing_is_written(world, findings, tmp_path):
    before = _snapshot()
    ref = findings.problem1.ref
    rows = [
        [
            "problem",
            ref,
            "u-leader",
            "2024-04-02",
            "好的一行",
            "u-office_staff",
            "2024-06-30",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
        ["problem", "P-NONE", "u-leader", "2024-04-02", "没有的问题", "", "", "", "", "", "", "", ""],
        ["problem", ref, "u-leader", "2099-01-01", "未来的批示", "", "", "", "", "", "", "", ""],
        [
            "problem",
            ref,
            "u-leader",
            "2024-04-03",
            "没写落实情况",
            "",
            "",
            "",
            "answered",
            "",
            "",
            "2024-05-01",
            "",
        ],
        ["problem", ref, "u-leader", "2024-04-04", "没写报送日期", "", "", "", "closed", "已办", "", "", ""],
        ["report", ref, "u-leader", "2024-04-05", "没有这种对象", "", "", "", "", "", "", "", ""],
    ]
    report = _import(tmp_path / "bad", rows, world.users[Role.OFFICE_STAFF])
    assert not report.ok
    found = {(e.file, e.line, e.column): e.reason for e in report.errors}
    assert set(found) == {
        (FILE, 3, "subject_ref"),
        (FILE, 4, "given_on"),
        (FILE, 5, "follow_up_given"),
        (FILE, 6, "answered_on"),
        (FILE, 7, "subject_kind"),
    }
    assert found[FILE, 3, "subject_ref"] == "编号“P-NONE”既不在 problems.csv 中，也不在系统中。"
    assert found[FILE, 5, "follow_up_given"] == "请填写落实情况。"
    assert _snapshot() == before


@pytest.mark.parametrize(
    "row, error",
    [
        (  # the service's rule: a deadline not before the instruction
            [
                "problem",
                "{p1}",
                "u-leader",
                "2024-04-02",
                "期限倒置",
                "u-office_staff",
                "2024-04-01",
                "",
                "",
                "",
                "",
                "",
                "",
            ],
            ("deadline", "落实期限不能早于批示日期（2024-04-02）。"),
        ),
        (  # the service's rule: the addressee must be able to report the follow-up
            [
                "problem",
                "{p1}",
                "u-leader",
                "2024-04-02",
                "交错了人",
                "u-auditor",
                "2024-06-30",
                "",
                "",
                "",
                "",
                "",
                "",
            ],
            ("addressee", "“u-auditor”不能报送这条批示的落实情况，请选择本组、巡视巡察办或承办部门的人员。"),
        ),
        (  # the selectors' rule: the leader may instruct on the record
            ["problem", "{p1}", "u-liaison", "2024-04-02", "联络员批示", "", "", "", "", "", "", "", ""],
            ("leader", "“u-liaison”无权对该记录作出批示。"),
        ),
        (  # another body's record: 河西's problem, to 和平's office
            ["problem", "{p2}", "u-leader", "2024-04-02", "河西的问题", "", "", "", "", "", "", "", ""],
            ("subject_ref", "所属的巡视巡察机构（XCB-120103）不在您的管理范围内。"),
        ),
    ],
)
def test_a_row_the_services_would_refuse_is_refused_with_their_words(world, findings, tmp_path, row, error):
    before = _snapshot()
    row = [cell.format(p1=findings.problem1.ref, p2=findings.problem2.ref) for cell in row]
    report = _import(tmp_path / "refused", [row], world.users[Role.OFFICE_STAFF])
    assert [(e.file, e.line, e.column, e.reason) for e in report.errors] == [(FILE, 2, *error)]
    assert _snapshot() == before
