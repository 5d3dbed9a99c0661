"""Every numbered record carries the year of its own date: problems the day found, clues the day
recorded, hand-over sheets the day transferred, petitions the day received — never today's year."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from lijian.accounts.choices import Role
from lijian.documents.ledger.importer import ledger_import
from lijian.findings import services
from lijian.findings.forms import ClueForm
from lijian.findings.models import Clue, Department
from lijian.petitions import services as petition_services

from ..bundles import write_bundle
from ..world import build_findings, build_rounds

D = datetime.date


@pytest.fixture
def f(world):
    world.rounds = build_rounds(world)
    world.findings = build_findings(world, world.rounds)
    return world


def _clue(f, **extra):
    return services.clue_record(
        actor=f.users[Role.GROUP_MEMBER],
        inspection=f.rounds.inspection1,
        subject_name="王某",
        summary="虚报冒领补贴",
        department=f.findings.department1,
        **extra,
    )


def test_a_clue_of_2024_transferred_in_2024_is_numbered_2024_with_a_2024_sheet(f):
    clue = _clue(f, recorded_on=D(2024, 3, 28))
    assert clue.ref.startswith("X2024-")
    assert services.clue_recorded_on(clue) == D(2024, 3, 28)
    services.clue_transfer(actor=f.admin, clue=clue, transferred_on=D(2024, 4, 2))
    assert clue.sheet_no.split("-")[-2] == "2024"
    # The world's own clues, transferred in 2024, carry 2024 too.
    assert f.findings.clue1.ref.startswith("X2024-") and f.findings.clue2.ref.startswith("X2024-")


def test_a_clue_recorded_today_carries_this_year(f):
    clue = _clue(f)
    assert clue.ref.startswith(f"X{timezone.localdate().year}-")


def test_a_clue_cannot_be_transferred_before_it_was_recorded(f):
    """The way a 2022 transfer came to carry a 2026 number: recorded today, transferred 'in 2022'."""
    clue = _clue(f)
    with pytest.raises(ValidationError, match="不能早于线索的记录日期"):
        services.clue_transfer(actor=f.admin, clue=clue, transferred_on=D(2024, 4, 2))
    clue.refresh_from_db()
    assert clue.status == "recorded" and not clue.sheet_no


@pytest.mark.parametrize("day", [D(2024, 2, 29), timezone.localdate() + datetime.timedelta(days=1)])
def test_a_clue_dated_before_its_round_or_after_today_is_refused(f, day):
    with pytest.raises(ValidationError, match="记录日期"):
        _clue(f, recorded_on=day)
    assert not Clue.objects.filter(subject_name="王某").exists()


def test_the_clue_form_takes_the_recording_date(f):
    inspection = f.rounds.inspection1
    data = {
        "subject_name": "王某",
        "summary": "虚报冒领补贴",
        "department": f.findings.department1.pk,
        "recorded_on": "2024-03-28",
    }
    form = ClueForm(data, inspection=inspection, departments=Department.objects.all())
    assert form.is_valid(), form.errors
    clue = services.clue_record(actor=f.admin, inspection=inspection, **form.cleaned_data)
    assert clue.ref.startswith("X2024-")


def test_problems_and_petitions_follow_their_own_dates(f):
    assert f.findings.problem1.ref.startswith("P2024-")
    petition = petition_services.petition_receive(
        actor=f.admin,
        body=f.body1,
        channel="visit",
        received_on=D(2023, 12, 30),
        summary="反映街道工作人员违规收取办事费用。",
    )
    assert petition.ref.startswith("XF2023-")


def test_an_imported_clue_dates_from_its_problem_not_from_the_import(f, tmp_path):
    header = [
        "clue_id",
        "problem_id",
        "department",
        "transferred_on",
        "due_on",
        "status",
        "result",
        "fed_back_on",
    ]
    problem = f.findings.problem1  # found 2024-03-20
    folder = write_bundle(
        tmp_path / "clues",
        {
            "clues.csv": [
                header,
                ["X2024-900001", problem.ref, "JW-1", "2024-04-05", "", "transferred", "", ""],
            ]
        },
    )
    report = ledger_import(folder, actor=f.admin)
    assert report.ok, report.errors
    clue = Clue.objects.get(ref="X2024-900001")
    assert services.clue_recorded_on(clue) == problem.found_on <= clue.transferred_on
