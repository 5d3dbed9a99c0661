"""No group goes on site before its round starts: one rule (``check_onsite_start``) for the stage
service and inspections.csv."""

from lijian.documents.ledger.importer import ledger_import
from lijian.inspections.models import Inspection

from ..bundles import write_bundle

ROUNDS = ["body_code", "term", "number", "kind", "linkage_mode", "parent_round", "start", "end", "theme"]
INSPECTIONS = [
    "body_code",
    "term",
    "round",
    "group_no",
    "org_code",
    "onsite_start",
    "onsite_end",
    "feedback_date",
]


def test_inspections_csv_refuses_an_on_site_date_before_the_round(world, tmp_path):
    folder = write_bundle(
        tmp_path / "bundle",
        {
            "rounds.csv": [
                ROUNDS,
                ["XCB-120101", "第十二届", "1", "regular", "", "", "2025-03-01", "2025-05-01", ""],
            ],
            "inspections.csv": [
                INSPECTIONS,
                ["XCB-120101", "第十二届", "1", "1", "120101001", "2025-02-20", "2025-04-10", "2025-04-30"],
                [
                    "XCB-120101",
                    "第十二届",
                    "1",
                    "1",
                    "120101001001",
                    "2025-03-01",
                    "2025-04-10",
                    "2025-04-30",
                ],
            ],
        },
    )
    report = ledger_import(folder, actor=world.admin)
    assert {(e.file, e.line, e.column) for e in report.errors} == {("inspections.csv", 2, "onsite_start")}
    assert "不能早于本轮开始日期" in report.errors[0].reason
    assert not Inspection.objects.exists()
