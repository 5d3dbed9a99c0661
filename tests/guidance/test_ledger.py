"""The five guidance files of the ledger bundle: a good import, every kind of bad row reported with
nothing written, and an exact round trip (export, empty, import, export again)."""

import datetime

from lijian.accounts.choices import Role
from lijian.documents.ledger.importer import ledger_export, ledger_import
from lijian.guidance.models import (
    Assessment,
    AssessmentIndicator,
    AssessmentScore,
    MaterialReview,
    NamingCandidate,
    SelfInspection,
    SelfInspectionItem,
)

from ..bundles import TERM_BUNDLE, write_bundle

REVIEWS = list(TERM_BUNDLE["material_reviews.csv"][0])  # the headers of tests/bundles.py
SELF = list(TERM_BUNDLE["self_inspections.csv"][0])  # the headers of tests/bundles.py
INDICATORS = list(TERM_BUNDLE["assessment_indicators.csv"][0])  # the headers of tests/bundles.py
SCORES = list(TERM_BUNDLE["assessment_scores.csv"][0])  # the headers of tests/bundles.py
NAMING = list(TERM_BUNDLE["naming_candidates.csv"][0])  # the headers of tests/bundles.py
CITY, HP, HX = "TJ-XSB", "XCB-120101", "XCB-120103"


def _good():
    return {
        "material_reviews.csv": [
            REVIEWS,
            [
                CITY,
                "120101",
                "张某某",
                "区委书记",
                "2026-03-02",
                "区委常委会专题听取巡察情况汇报",
                "2026-03-05",
                "returned",
                "对问题剖析不深，请补充",
                "",
            ],
            [
                CITY,
                "120103",
                "李某某",
                "区委书记",
                "2026-03-09",
                "区委专题会",
                "2026-03-10",
                "accepted",
                "同意",
                "2026-03-20",
            ],
        ],
        "self_inspections.csv": [
            SELF,
            [
                CITY,
                "2026年巡视巡察工作自查",
                "lower",
                "2026-01-01",
                "2026-06-30",
                "巡察底稿归档",
                "部分未归档",
                "1",
                "建立归档台账",
                "2026-07-01",
                "closed",
                "总体规范",
                "2026-07-10",
            ],
            [
                CITY,
                "2026年巡视巡察工作自查",
                "lower",
                "2026-01-01",
                "2026-06-30",
                "线索移交",
                "符合要求",
                "0",
                "",
                "",
                "closed",
                "总体规范",
                "2026-07-10",
            ],
        ],
        "assessment_indicators.csv": [
            INDICATORS,
            ["A1", "巡察全覆盖", "40", "figure", "term_coverage", "1"],
            ["B1", "巡察工作质量", "60", "judgement", "", "1"],
        ],
        "assessment_scores.csv": [
            SCORES,
            [CITY, "2025", "scored", HP, "A1", "0.8", "32", "1", ""],
            [CITY, "2025", "scored", HP, "B1", "", "50", "0", "工作扎实"],
            [CITY, "2025", "scored", HX, "A1", "0.5", "20", "1", ""],
            [CITY, "2025", "scored", HX, "B1", "", "30", "0", "巡察质量不高"],
        ],
        "naming_candidates.csv": [
            NAMING,
            [
                CITY,
                "2025",
                HX,
                "district_committee",
                "中共天津市河西区委员会",
                "考核排名末位",
                "confirmed",
                "2026-01-20",
            ],
            [
                CITY,
                "2025",
                HX,
                "district_secretary",
                "李某某",
                "履行第一责任人职责不力",
                "dropped",
                "2026-01-20",
            ],
        ],
    }


def _import(world, tmp_path, files, user=None, name="in"):
    return ledger_import(write_bundle(tmp_path / name, files), actor=user or world.admin)


def test_a_good_bundle_imports_every_file(world, tmp_path):
    report = _import(world, tmp_path, _good())
    assert report.ok, report.errors
    review = MaterialReview.objects.get(organization__code="120101")
    assert (review.status, review.opinions, review.body.code) == ("returned", "对问题剖析不深，请补充", CITY)
    inspection = SelfInspection.objects.get()
    assert inspection.status == "closed" and inspection.items.count() == 2
    assert SelfInspectionItem.objects.get(item="巡察底稿归档").fixed_on == datetime.date(2026, 7, 1)
    assessment = Assessment.objects.get()
    assert (assessment.year, assessment.status) == (2025, "scored")
    assert AssessmentScore.objects.filter(assessment=assessment).count() == 4
    assert set(NamingCandidate.objects.values_list("who", "status")) == {
        ("district_committee", "confirmed"),
        ("district_secretary", "dropped"),
    }
    again = _import(world, tmp_path, _good(), name="again")  # the same sheets change nothing
    assert again.ok and not any(again.counts.values()), again.counts


def test_bad_rows_are_reported_and_nothing_is_written(world, tmp_path):
    files = _good()
    files["material_reviews.csv"][1][8] = ""  # returned without opinions
    files["material_reviews.csv"][2][9] = ""  # accepted without the day
    files["self_inspections.csv"][2][2] = "own"  # the same self-inspection with another scope
    files["assessment_indicators.csv"][2][4] = "term_coverage"  # a judgement that names a figure
    files["assessment_scores.csv"][1][6] = "41"  # over the weight of 40
    files["assessment_scores.csv"][2][3] = "NOPE"  # no such body
    files["naming_candidates.csv"][1][7] = ""  # confirmed without the day
    report = _import(world, tmp_path, files)
    assert not report.ok
    found = {(e.file, e.line, e.column) for e in report.errors}
    assert found >= {
        ("material_reviews.csv", 2, "opinions"),
        ("material_reviews.csv", 3, "accepted_on"),
        ("self_inspections.csv", 3, "scope"),
        ("assessment_indicators.csv", 3, "figure_key"),
        ("assessment_scores.csv", 2, "score"),
        ("naming_candidates.csv", 2, "decided_on"),
    }, report.errors
    assert not MaterialReview.objects.exists() and not AssessmentIndicator.objects.filter(code="A1").exists()


def test_an_office_imports_only_its_own_guidance_and_only_for_lower_bodies(world, tmp_path):
    office = world.users[Role.OFFICE_STAFF]
    files = {"material_reviews.csv": _good()["material_reviews.csv"]}
    report = _import(world, tmp_path, files, user=office)
    assert not report.ok and {e.column for e in report.errors} == {"body_code"}
    own = [REVIEWS, [HP, "120101", "某某", "", "2026-03-02", "专题会", "2026-03-05", "received", "", ""]]
    report = _import(world, tmp_path, {"material_reviews.csv": own}, user=office, name="own")
    assert not report.ok and [e.column for e in report.errors] == ["org_code"]  # its own committee
    assert not MaterialReview.objects.exists()


def test_the_export_imports_back_to_the_same_sheets(world, tmp_path):
    assert _import(world, tmp_path, _good()).ok
    names = [
        "material_reviews.csv",
        "self_inspections.csv",
        "assessment_indicators.csv",
        "assessment_scores.csv",
        "naming_candidates.csv",
    ]
    ledger_export(tmp_path / "out", actor=world.admin, files=names)
    first = {n: (tmp_path / "out" / n).read_bytes() for n in names}
    for model in (
        NamingCandidate,
        AssessmentScore,
        Assessment,
        AssessmentIndicator,
        SelfInspection,
        MaterialReview,
    ):
        model.objects.all().delete()
    report = ledger_import(tmp_path / "out", actor=world.admin)
    assert report.ok, report.errors
    ledger_export(tmp_path / "again", actor=world.admin, files=names)
    assert {n: (tmp_path / "again" / n).read_bytes() for n in names} == first


def test_a_district_office_imports_the_review_of_a_street_below_it(world, tmp_path):
    rows = [REVIEWS, [HP, "120101001", "某某", "", "2026-03-02", "专题会", "2026-03-05", "received", "", ""]]
    report = _import(world, tmp_path, {"material_reviews.csv": rows}, user=world.users[Role.OFFICE_STAFF])
    assert report.ok, report.errors
