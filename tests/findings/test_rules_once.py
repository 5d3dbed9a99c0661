"""Each clue date rule written once (``findings.validators``) holds alike through the ways a clue's
transfer and answer come in: the clue page's forms, the API and the office's clues.csv. For every case
they accept or refuse together, on the same field and in the same words, and a refusal writes nothing.
"Today" is the day the rule is applied, for an import as for a form."""

import datetime
import json
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from lijian.accounts.choices import Role
from lijian.core.models import AuditEvent
from lijian.documents.ledger.importer import ledger_import
from lijian.findings import services
from lijian.findings.models import Clue

from ..bundles import write_bundle
from ..rules import api_refusal, ledger_refusal, page_refusal
from ..world import build_findings, build_rounds

D = datetime.date
DAY = datetime.timedelta(days=1)
CLUES = ["clue_id", "problem_id", "department", "transferred_on", "due_on", "status", "result", "fed_back_on"]
TRANSFERRED = D(2024, 4, 1)  # the transfer of the world's clues (build_findings)
TODAY = timezone.localdate()
FED_BACK_OUTSIDE = ("fed_back_on", "反馈日期应在移交日期和今天之间。")


@dataclass(frozen=True)
class Case:
    day: D
    refusal: tuple[str, str] | None  # (field, message) or None when accepted


FEEDBACK_CASES = {
    "an answer on the transfer day": Case(TRANSFERRED, None),
    "an answer today": Case(TODAY, None),
    "an answer before the transfer": Case(TRANSFERRED - DAY, FED_BACK_OUTSIDE),
    "an answer tomorrow": Case(TODAY + DAY, FED_BACK_OUTSIDE),
}


@pytest.fixture
def found(world):
    return build_findings(world, build_rounds(world))


def _state(clue):
    clue = Clue.objects.get(pk=clue.pk)
    return (clue.status, clue.transferred_on, clue.due_on, clue.fed_back_on, AuditEvent.objects.count())


def _ledger_refusal(tmp_path, actor, row):
    report = ledger_import(write_bundle(tmp_path / "bundle", {"clues.csv": [CLUES, row]}), actor=actor)
    return ledger_refusal(report, "clues.csv", 2)


def _feed_back(client, world, found, tmp_path, way, day):
    clue = found.clue1
    if way == "form":
        client.force_login(world.users[Role.DEPARTMENT])
        answer = client.post(
            reverse("findings:clue_action", kwargs={"pk": clue.pk, "action": "feed_back"}),
            {
                "result": "case_opened",
                "feedback": "已立案",
                "fed_back_on": day.isoformat(),
                "party_discipline": 1,
                "organisational_handling": 0,
                "judicial_transfers": 0,
                "losses_recovered": 0,
            },
        )
        return page_refusal(answer, "feedback_form")
    if way == "api":
        client.force_login(world.users[Role.DEPARTMENT])
        answer = client.post(
            f"/api/clues/{clue.pk}/feedback",
            json.dumps({"result": "case_opened", "feedback": "已立案", "fed_back_on": day.isoformat()}),
            content_type="application/json",
        )
        return api_refusal(answer, 200)
    row = [clue.ref, found.problem1.ref, "JW-1", TRANSFERRED.isoformat(), "", "fed_back", "case_opened"]
    return _ledger_refusal(tmp_path, world.admin, [*row, day.isoformat()])


@pytest.mark.parametrize("name", list(FEEDBACK_CASES))
@pytest.mark.parametrize("way", ["form", "api", "clues.csv"])
def test_the_answer_date_rule_holds_alike_through_the_form_the_api_and_clues_csv(
    client, world, found, tmp_path, name, way
):
    case = FEEDBACK_CASES[name]
    before = _state(found.clue1)
    outcome = _feed_back(client, world, found, tmp_path, way, case.day)
    assert outcome == case.refusal
    if case.refusal:
        assert _state(found.clue1) == before  # nothing written, not even an event
    else:
        assert _state(found.clue1)[::3] == ("fed_back", case.day)


@dataclass(frozen=True)
class TransferCase:
    transferred_on: D
    due_on: D | None
    refusal: tuple[str, str] | None


TRANSFER_CASES = {
    "a transfer today, due in a month": TransferCase(TODAY, TODAY + 30 * DAY, None),
    "a transfer tomorrow": TransferCase(TODAY + DAY, None, ("transferred_on", "移交日期不能晚于今天。")),
    "due before the transfer": TransferCase(
        D(2024, 5, 1), D(2024, 4, 30), ("due_on", "反馈期限不能早于移交日期。")
    ),
}


@pytest.mark.parametrize("name", list(TRANSFER_CASES))
@pytest.mark.parametrize("way", ["form", "clues.csv"])
def test_the_transfer_date_rules_hold_alike_through_the_form_and_clues_csv(
    client, world, found, tmp_path, name, way
):
    """The API has no transfer; the office's page and its sheet refuse the same dates alike."""
    case = TRANSFER_CASES[name]
    clue = services.clue_record(
        actor=world.admin,
        inspection=found.problem1.inspection,
        subject_name="某某",
        summary="反映违规吃喝",
        department=found.department1,
        problem=found.problem1,
        recorded_on=D(2024, 3, 26),
    )
    before = _state(clue)
    due = case.due_on.isoformat() if case.due_on else ""
    if way == "form":
        client.force_login(world.admin)
        answer = client.post(
            reverse("findings:clue_action", kwargs={"pk": clue.pk, "action": "transfer"}),
            {"transferred_on": case.transferred_on.isoformat(), "due_on": due},
        )
        outcome = page_refusal(answer, "transfer_form")
    else:
        row = [
            clue.ref,
            found.problem1.ref,
            "JW-1",
            case.transferred_on.isoformat(),
            due,
            "transferred",
            "",
            "",
        ]
        outcome = _ledger_refusal(tmp_path, world.admin, row)
    assert outcome == case.refusal
    if case.refusal:
        assert _state(clue) == before
    else:
        assert _state(clue)[:3] == ("transferred", case.transferred_on, case.due_on)
