"""review_rounds.csv: the rounds of review of a special meeting's material (reviewer, opinions, how
each ended) travel with the bundle beside material_reviews.csv (issue 14)."""

import datetime

from lijian.accounts.choices import Role
from lijian.documents.ledger.importer import ledger_import
from lijian.guidance import services
from lijian.guidance.models import MaterialReview, ReviewRound

from ..bundles import TERM_BUNDLE, assert_round_trip, write_bundle
from ..world_guidance import build_guidance

D = datetime.date
FILES = ["material_reviews.csv", "review_rounds.csv"]
HEADER = list(TERM_BUNDLE["review_rounds.csv"][0])  # the header of tests/bundles.py


def _rounds():
    return sorted(
        ReviewRound.objects.values_list(
            "review__body__code",
            "review__organization__code",
            "review__meeting_on",
            "number",
            "reviewer__username",
            "started_on",
            "opinions",
            "outcome",
            "decided_on",
        )
    )


def _accepted_after_a_return(world):
    """The world's returned material (round 1 returned), resubmitted and accepted in round 2."""
    review = build_guidance(world).returned1
    services.material_review_resubmit(actor=world.admin, review=review, on=D(2025, 9, 15))
    services.material_review_start(actor=world.admin, review=review, reviewer=world.admin, on=D(2025, 9, 16))
    services.material_review_accept(actor=world.admin, review=review, on=D(2025, 9, 20), opinions="同意")
    return review


def test_the_rounds_of_a_review_round_trip_and_a_second_import_changes_nothing(world, tmp_path):
    _accepted_after_a_return(world)
    assert len(_rounds()) == 3  # 和平: returned then accepted; 河西: returned
    written = assert_round_trip(
        tmp_path / "out", world.admin, FILES, "review_rounds.csv", ReviewRound.objects.all(), _rounds
    )
    assert written["review_rounds.csv"] == 3


def test_a_reviewer_without_an_account_here_leaves_the_round_without_one(world, tmp_path):
    review = build_guidance(world).returned1
    rows = [
        HEADER,
        [
            world.body1.code,
            review.organization.code,
            "2025-09-01",
            "1",
            "zhang.san",
            "2025-09-04",
            "剖析不深",
            "returned",
            "2025-09-08",
        ],
    ]
    report = ledger_import(write_bundle(tmp_path / "in", {"review_rounds.csv": rows}), actor=world.admin)
    assert report.ok, report.errors
    assert [(m["column"], m["text"]) for m in report.mappings] == [("reviewer", "zhang.san")]
    assert ReviewRound.objects.get(review=review).reviewer is None


def test_bad_round_rows_are_refused_with_the_services_words_and_nothing_written(world, tmp_path):
    guidance = build_guidance(world)
    org1 = guidance.returned1.organization.code
    outsider = world.outsider.username  # 河西's office: no reviewer of 和平's material
    rows = [
        HEADER,
        # the returned material's history: round 1 returned without opinions
        [world.body1.code, org1, "2025-09-01", "1", outsider, "2025-09-04", "", "returned", "2025-09-08"],
        # a round 2 decided before it began, and accepted although the material stands returned
        [world.body1.code, org1, "2025-09-01", "2", "", "2025-09-10", "同意", "accepted", "2025-09-09"],
        # the received material (under no review yet) with a round 1 begun before it arrived
        [world.body1.code, org1, "2026-03-02", "1", "", "2026-03-01", "", "", ""],
        # no such meeting
        [world.body1.code, org1, "2026-01-01", "1", "", "2026-01-02", "", "", ""],
        # a round in the future
        [
            world.body2.code,
            guidance.returned2.organization.code,
            "2025-09-01",
            "1",
            "",
            "2999-01-01",
            "x",
            "returned",
            "2999-01-02",
        ],
    ]
    report = ledger_import(write_bundle(tmp_path / "bad", {"review_rounds.csv": rows}), actor=world.admin)
    found = {(e.line, e.column): e.reason for e in report.errors}
    assert found[2, "opinions"] == "退回修改须填写审阅意见。"
    assert found[3, "decided_on"] == "办理日期不能早于本轮开始审阅的日期。"
    assert found[4, "number"] == "该材料尚未开始审阅（状态为已收到），不应有审阅轮次。"
    assert "找不到专题会材料审阅" in found[5, "meeting_on"]
    assert found[6, "started_on"] == "日期不能晚于今天。"
    assert {e.file for e in report.errors} == {"review_rounds.csv"}
    assert ReviewRound.objects.count() == 2  # the two returned rounds the world made, untouched


def test_round_history_follows_the_material_and_the_reviewer_its_office(world, tmp_path):
    guidance = build_guidance(world)
    org1 = guidance.returned1.organization.code
    rows = [
        HEADER,
        [
            world.body1.code,
            org1,
            "2025-09-01",
            "1",
            world.outsider.username,
            "2025-09-02",
            "剖析不深",
            "returned",
            "2025-09-08",
        ],
        [world.body1.code, org1, "2025-09-01", "2", "", "2025-09-09", "同意", "accepted", "2025-09-10"],
    ]
    report = ledger_import(write_bundle(tmp_path / "bad", {"review_rounds.csv": rows}), actor=world.admin)
    found = {(e.line, e.column): e.reason for e in report.errors}
    assert found == {
        (
            2,
            "started_on",
        ): "开始审阅日期不能早于材料的上一步办理日期。",  # before the material arrived (09-03)
        (2, "reviewer"): "审阅人须是审阅机构巡视巡察办的人员。",
        (3, "outcome"): "材料当前状态为“退回修改”，最后一轮的结果应为“退回修改”。",
    }
    assert ReviewRound.objects.get(review=guidance.returned1).number == 1


def test_an_office_imports_the_rounds_of_its_own_bodys_reviews_only(world, tmp_path):
    guidance = build_guidance(world)
    office = world.users[Role.OFFICE_STAFF]  # 和平区委巡察办
    rows = [
        HEADER,
        [
            world.body2.code,
            guidance.returned2.organization.code,
            "2025-09-01",
            "1",
            "",
            "2025-09-04",
            "剖析不深",
            "returned",
            "2025-09-08",
        ],
    ]
    report = ledger_import(write_bundle(tmp_path / "other", {"review_rounds.csv": rows}), actor=office)
    assert [(e.line, e.column) for e in report.errors] == [(2, "body_code")]
    assert MaterialReview.objects.get(pk=guidance.returned2.pk).rounds.get().reviewer == world.admin
