"""petitions.csv: an exact round trip that never carries an identity; bad rows reported."""

import datetime

from lijian.documents.ledger.importer import ledger_export, ledger_import
from lijian.petitions import services
from lijian.petitions.models import Petition

from ..bundles import write_bundle


def _snapshot():
    return sorted(
        Petition.objects.values_list(
            "ref", "channel", "received_on", "subject_org__code", "category", "summary", "anonymous", "status"
        )
    )


def test_petitions_round_trip_without_identities(world, tmp_path):
    services.petition_receive(
        actor=world.admin,
        body=world.body1,
        channel="visit",
        received_on=datetime.date(2024, 3, 12),
        summary="反映违规收费。",
        subject_org=world.t1,
        category="作风",
        identity={"name": "不该导出的名字"},
    )
    services.petition_receive(
        actor=world.admin,
        body=world.body2,
        channel="letter",
        received_on=datetime.date(2024, 4, 2),
        summary="反映公车私用。",
        subject_org=world.t2,
    )
    before = _snapshot()
    ledger_export(tmp_path / "out", actor=world.admin)
    text = (tmp_path / "out" / "petitions.csv").read_text(encoding="utf-8")
    assert "不该导出的名字" not in text and "identity" not in text
    Petition.objects.all().delete()
    report = ledger_import(tmp_path / "out", actor=world.admin)
    assert report.ok, report.errors
    assert _snapshot() == before
    assert not Petition.objects.filter(identity__isnull=False).exists()


def test_bad_petition_rows_are_reported_and_nothing_is_written(world, tmp_path):
    header = [
        "petition_id",
        "channel",
        "received_on",
        "subject_org_code",
        "category",
        "summary",
        "anonymous",
        "status",
    ]
    folder = write_bundle(
        tmp_path / "bad",
        {
            "petitions.csv": [
                header,
                ["XF-1", "letter", "2024-03-01", "120101001", "", "反映问题", "1", "received"],
                ["XF-2", "pigeon", "2024-03-01", "120101001", "", "反映问题", "1", ""],
                ["XF-3", "letter", "2024-03-01", "NOPE", "", "反映问题", "1", ""],
                ["XF-4", "letter", "2024-03-01", "120101001", "", "反映问题", "maybe", ""],
                ["XF-5", "joint_reception", "2024-03-01", "120101001", "", "反映问题", "1", ""],
            ]
        },
    )
    report = ledger_import(folder, actor=world.admin)
    assert {(e.line, e.column) for e in report.errors} == {
        (3, "channel"),
        (4, "subject_org_code"),
        (5, "anonymous"),
        (6, "joint_body_code"),  # received jointly, but with which other body the row does not say
    }
    assert not Petition.objects.exists()
