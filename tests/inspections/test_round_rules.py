"""A round rule written once (``inspections.validators``) refuses alike, in the same words, through
the round service and rounds.csv, and the refusal writes nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from lijian.documents.ledger.importer import ledger_import
from lijian.inspections import services
from lijian.inspections.models import LinkageMode, Round

from ..bundles import write_bundle

D = datetime.date
ROUNDS = ["body_code", "term", "number", "kind", "linkage_mode", "parent_round", "start", "end", "theme"]


def test_a_relay_round_needs_its_upper_round_by_service_and_by_rounds_csv(world, tmp_path):
    with pytest.raises(ValidationError) as refused:
        services.round_create(
            actor=world.admin,
            body=world.body1,
            term=world.term1,
            number=9,
            kind="regular",
            start=D(2024, 6, 1),
            end=D(2024, 7, 1),
            linkage_mode=LinkageMode.objects.get(code="relay"),
        )
    words = " ".join(refused.value.message_dict["upper_round"])
    assert words == "接力巡须指明接续的上级轮次。"
    row = ["XCB-120101", "第十二届", "9", "regular", "relay", "", "2024-06-01", "2024-07-01", ""]
    report = ledger_import(write_bundle(tmp_path / "b", {"rounds.csv": [ROUNDS, row]}), actor=world.admin)
    assert [(e.file, e.line, e.column, e.reason) for e in report.errors] == [
        ("rounds.csv", 2, "parent_round", words)
    ]
    assert not Round.objects.filter(number=9).exists()
