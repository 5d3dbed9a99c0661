"""org_risks.csv: the manual risk scores that order the term plan travel with the bundle (issue 14)."""

from lijian.accounts.choices import Role
from lijian.documents.ledger.importer import ledger_import
from lijian.inspections.models import OrgRisk
from lijian.inspections.services import risk_set

from ..bundles import assert_round_trip, write_bundle

HEADER = ["org_code", "score", "note"]


def _risks():
    return sorted(OrgRisk.objects.values_list("organization__code", "score", "note"))


def test_risk_scores_round_trip_and_a_second_import_changes_nothing(world, tmp_path):
    risk_set(actor=world.admin, organization=world.t1, score=85, note="信访举报集中")
    risk_set(actor=world.admin, organization=world.v2, score=20)
    files = ["org_risks.csv"]
    written = assert_round_trip(
        tmp_path / "out", world.admin, files, "org_risks.csv", OrgRisk.objects.all(), _risks
    )
    assert written == {"org_risks.csv": 2}


def test_a_score_out_of_bounds_or_an_unknown_organisation_is_refused_and_nothing_written(world, tmp_path):
    rows = [HEADER, [world.t1.code, "101", ""], ["NOPE", "30", ""], [world.v1.code, "-1", ""]]
    report = ledger_import(write_bundle(tmp_path / "bad", {"org_risks.csv": rows}), actor=world.admin)
    assert not report.ok
    found = {(e.file, e.line, e.column): e.reason for e in report.errors}
    assert found[("org_risks.csv", 2, "score")] == "确保该值小于或等于100。"
    assert "NOPE" in found[("org_risks.csv", 3, "org_code")]
    assert found[("org_risks.csv", 4, "score")] == "不能小于 0。"
    assert not OrgRisk.objects.exists()


def test_an_office_sets_the_risk_of_its_own_organisations_only(world, tmp_path):
    office = world.users[Role.OFFICE_STAFF]  # 和平区委巡察办
    rows = [HEADER, [world.t2.code, "70", "河西的街道"]]
    report = ledger_import(write_bundle(tmp_path / "other", {"org_risks.csv": rows}), actor=office)
    assert [(e.line, e.column) for e in report.errors] == [(2, "org_code")]
    assert not OrgRisk.objects.exists()
    rows = [HEADER, [world.t1.code, "70", "本区的街道"]]
    report = ledger_import(write_bundle(tmp_path / "own", {"org_risks.csv": rows}), actor=office)
    assert report.ok, report.errors
    assert _risks() == [(world.t1.code, 70, "本区的街道")]
