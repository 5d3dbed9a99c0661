"""The petition date rule written once (``petitions.validators.check_received_on``) holds alike through
the office's petition page and petitions.csv: a petition received after today (the day the rule is
applied, for an import as for the page) is refused on ``received_on`` in the same words, and nothing
is written; today itself is accepted."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from lijian.core.models import AuditEvent
from lijian.documents.ledger.importer import ledger_import
from lijian.petitions.models import Petition

from ..bundles import write_bundle

TODAY = timezone.localdate()
HEADER = [
    "petition_id",
    "channel",
    "received_on",
    "subject_org_code",
    "category",
    "summary",
    "anonymous",
    "status",
]
CASES = {
    "received today": (TODAY, None),
    "received tomorrow": (TODAY + datetime.timedelta(days=1), ("received_on", "受理日期不能晚于今天。")),
}


def _written():
    return sorted(Petition.objects.values_list("received_on", "summary")), AuditEvent.objects.count()


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("way", ["page", "petitions.csv"])
def test_a_petition_received_after_today_is_refused_alike_by_the_page_and_petitions_csv(
    client, world, tmp_path, name, way
):
    day, refusal = CASES[name]
    before = _written()
    if way == "page":
        client.force_login(world.admin)
        answer = client.post(
            reverse("petitions:create"),
            {
                "body": world.body1.pk,
                "channel": "visit",
                "received_on": day.isoformat(),
                "org_code": world.t1.code,
                "summary": "反映违规收取办事费用。",
            },
        )
        if answer.status_code == 302:
            outcome = None
        else:
            assert answer.status_code == 200
            errors = answer.context["form"].errors
            assert len(errors) == 1, errors
            ((field, messages),) = errors.items()
            outcome = field, " ".join(messages)
    else:
        row = ["X1", "visit", day.isoformat(), world.t1.code, "", "反映违规收取办事费用。", "1", "received"]
        report = ledger_import(
            write_bundle(tmp_path / "b", {"petitions.csv": [HEADER, row]}), actor=world.admin
        )
        outcome = None if report.ok else [(e.file, e.line, e.column, e.reason) for e in report.errors]
        if refusal:
            assert len(outcome) == 1 and outcome[0][:2] == ("petitions.csv", 2), outcome
            outcome = outcome[0][2:]
    assert outcome == refusal
    if refusal:
        assert _written() == before
    else:
        assert (day, "反映违规收取办事费用。") in _written()[0]
