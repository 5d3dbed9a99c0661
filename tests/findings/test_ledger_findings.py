"""problems.csv and clues.csv: an exact round trip, and bad rows reported with nothing written."""

from lijian.documents.ledger.importer import ledger_export, ledger_import
from lijian.findings.models import Clue, Problem

from ..bundles import write_bundle
from ..world import build_findings, build_rounds


def _snapshot():
    return (
        sorted(
            Problem.objects.values_list(
                "ref",
                "inspection__round__body__code",
                "inspection__organization__code",
                "category__framework__code",
                "category__code",
                "found_on",
            )
        ),
        sorted(
            Clue.objects.values_list(
                "ref",
                "problem__ref",
                "department__code",
                "transferred_on",
                "due_on",
                "status",
                "result",
                "fed_back_on",
            )
        ),
    )


def test_problems_and_clues_round_trip(world, tmp_path):
    rounds = build_rounds(world)
    build_findings(world, rounds)
    before = _snapshot()
    written = ledger_export(tmp_path / "term.zip", actor=world.admin)
    assert (written["problems.csv"], written["clues.csv"]) == (2, 2)
    Clue.objects.all().delete()
    Problem.objects.all().delete()
    report = ledger_import(tmp_path / "term.zip", actor=world.admin)
    assert report.ok, report.errors
    assert _snapshot() == before
    assert set(Problem.objects.values_list("review", flat=True)) == {"approved"}


def test_bad_problem_and_clue_rows_are_reported_and_nothing_is_written(world, tmp_path):
    rounds = build_rounds(world)
    build_findings(world, rounds)
    key = ["XCB-120101", "第十二届", "1", "120101001"]
    folder = write_bundle(
        tmp_path / "bad",
        {
            "problems.csv": [
                [
                    "problem_id",
                    "body_code",
                    "term",
                    "round",
                    "org_code",
                    "category",
                    "description",
                    "found_on",
                ],
                ["N1", *key, "2.1", "集体资产管理混乱。出租未经民主决策", "2024-03-21"],
                ["N2", *key, "9.9", "没有这个类别", "2024-03-21"],
                [
                    "N3",
                    "XCB-120101",
                    "第十二届",
                    "1",
                    "120101",
                    "2.1",
                    "这次巡察没安排区委本身",
                    "2024-03-21",
                ],
                ["N1", *key, "2.1", "重复编号", "2024-03-22"],
                ["N4", *key, "2.1", "日期不对", "2024-13-01"],
            ],
            "clues.csv": [
                [
                    "clue_id",
                    "problem_id",
                    "department",
                    "transferred_on",
                    "due_on",
                    "status",
                    "result",
                    "fed_back_on",
                ],
                ["K1", "N1", "JW-1", "2024-04-01", "", "transferred", "", ""],
                ["K2", "N9", "JW-1", "2024-04-01", "", "", "", ""],
                ["K3", "N1", "NOPE", "2024-04-01", "", "", "", ""],
                ["K4", "N1", "JW-1", "2024-04-01", "2024-03-01", "", "", ""],
                ["K5", "N1", "JW-1", "2024-04-01", "", "fed_back", "", ""],
            ],
        },
    )
    before = _snapshot()
    report = ledger_import(folder, actor=world.admin)
    found = {(e.file, e.line, e.column) for e in report.errors}
    assert found == {
        ("problems.csv", 3, "category"),
        ("problems.csv", 4, "org_code"),
        ("problems.csv", 5, "problem_id"),
        ("problems.csv", 6, "found_on"),
        ("clues.csv", 3, "problem_id"),
        ("clues.csv", 4, "department"),
        ("clues.csv", 5, "due_on"),
        ("clues.csv", 6, "fed_back_on"),
    }
    assert _snapshot() == before
