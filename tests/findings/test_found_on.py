"""A problem's found date lies in its inspection's preparation-to-report period: one rule
(``findings.validators``) for the service, the form and problems.csv."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from lijian.documents.ledger.importer import ledger_import
from lijian.findings import services
from lijian.findings.forms import ProblemForm
from lijian.findings.models import Problem
from lijian.inspections import services as inspection_services

from ..bundles import write_bundle
from ..world import build_findings, build_rounds, category

D = datetime.date
HEADER = ["problem_id", "body_code", "term", "round", "org_code", "category", "description", "found_on"]
KEY = ["XCB-120101", "第十二届", "1", "120101001"]


@pytest.fixture
def f(world):
    world.rounds = build_rounds(world)
    world.findings = build_findings(world, world.rounds)
    return world


def _record(f, day):
    return services.problem_record(
        actor=f.admin, inspection=f.rounds.inspection1, category=category(), summary="x", found_on=day
    )


def test_the_group_records_on_the_day_it_arrives_and_the_rounds_first_day(f):
    inspection = f.rounds.inspection1  # round 1 starts 2024-03-01, on site 2024-03-10 (the world's)
    assert _record(f, inspection.onsite_start).pk
    assert _record(f, f.rounds.round1.start).pk


def test_a_found_date_after_the_report_is_refused(f):
    inspection = f.rounds.inspection1
    inspection.stage, inspection.report_date = "report", D(2024, 4, 20)
    inspection.save()
    assert _record(f, D(2024, 4, 20)).pk
    with pytest.raises(ValidationError, match="准备至报告期间"):
        _record(f, D(2024, 4, 21))
    # Before, a round's dates were the bound: any day up to today after the round's end passed.
    assert not Problem.objects.filter(found_on=D(2024, 4, 21)).exists()


def test_a_draft_cannot_be_moved_out_of_the_period(f):
    inspection = f.rounds.inspection1
    problem = f.findings.problem1
    inspection.report_date = D(2024, 4, 20)
    inspection.save()
    with pytest.raises(ValidationError, match="准备至报告期间"):
        services.problem_update(actor=f.admin, problem=problem, found_on=D(2024, 5, 2))
    problem.refresh_from_db()
    assert problem.found_on == D(2024, 3, 20)


def test_the_form_states_the_rule_and_applies_it(f):
    inspection = f.rounds.inspection1
    inspection.report_date = D(2024, 4, 20)
    inspection.save()
    form = ProblemForm(inspection=inspection)
    assert "2024-03-01 至 2024-04-20" in str(form.fields["found_on"].help_text)
    data = {"category": category().pk, "summary": "x", "found_on": "2024-04-21"}
    form = ProblemForm(data, inspection=inspection)
    assert not form.is_valid() and "准备至报告期间" in form.errors["found_on"][0]
    form = ProblemForm({**data, "found_on": "2024-03-01"}, inspection=inspection)
    assert form.is_valid(), form.errors


def test_problems_csv_applies_the_same_rule(f, tmp_path):
    inspection = f.rounds.inspection1
    inspection.report_date = D(2024, 4, 20)
    inspection.save()
    folder = write_bundle(
        tmp_path / "dates",
        {
            "problems.csv": [
                HEADER,
                ["N1", *KEY, "2.1", "首日发现", "2024-03-01"],
                ["N2", *KEY, "2.1", "轮次开始之前", "2024-02-29"],
                ["N3", *KEY, "2.1", "报告之后", "2024-04-21"],
            ]
        },
    )
    report = ledger_import(folder, actor=f.admin)
    assert {(e.line, e.column) for e in report.errors} == {(3, "found_on"), (4, "found_on")}
    assert all("准备至报告期间" in e.reason for e in report.errors)
    assert not Problem.objects.filter(ref__in=["N1", "N2", "N3"]).exists()


def test_problems_csv_takes_the_dates_from_the_bundles_own_rows(f, tmp_path):
    rounds = ["body_code", "term", "number", "kind", "linkage_mode", "parent_round", "start", "end", "theme"]
    inspections = ["body_code", "term", "round", "group_no", "org_code", "onsite_start", "onsite_end"]
    folder = write_bundle(
        tmp_path / "bundle",
        {
            "rounds.csv": [
                rounds,
                ["XCB-120101", "第十二届", "2", "regular", "", "", "2025-03-01", "2025-05-01", ""],
            ],
            "inspections.csv": [
                [*inspections, "feedback_date"],
                ["XCB-120101", "第十二届", "2", "1", "120101001", "2025-03-05", "2025-04-10", "2025-04-30"],
            ],
            "problems.csv": [
                HEADER,
                ["M1", "XCB-120101", "第十二届", "2", "120101001", "2.1", "反馈当天", "2025-04-30"],
                ["M2", "XCB-120101", "第十二届", "2", "120101001", "2.1", "反馈之后", "2025-05-01"],
            ],
        },
    )
    report = ledger_import(folder, actor=f.admin)
    assert {(e.file, e.line, e.column) for e in report.errors} == {("problems.csv", 3, "found_on")}


def test_going_on_site_before_the_round_starts_is_refused(f):
    inspection = f.rounds.spare1
    inspection.group = f.rounds.inspection1.group
    inspection.stage = "preparation"
    inspection.save()
    round_ = f.rounds.round1
    with pytest.raises(ValidationError, match="不能早于本轮开始日期"):
        inspection_services.inspection_enter_site(
            actor=f.admin, inspection=inspection, on=round_.start - datetime.timedelta(days=1)
        )
    inspection.refresh_from_db()
    assert inspection.stage == "preparation" and inspection.onsite_start is None
    inspection_services.inspection_enter_site(actor=f.admin, inspection=inspection, on=round_.start)
    assert inspection.stage == "onsite" and inspection.onsite_start == round_.start
