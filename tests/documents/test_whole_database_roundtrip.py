"""Issue 14: the whole database exported as a ledger bundle and imported into an empty database gives
the same ``lijian figures --json`` for every body and every term, on every day looked at.

The world is the whole patrol term of tests/bundles.py (TERM_BUNDLE: a clue answered with its
results, a self-criticism returned once and accepted), with what offices then did in the system: a
third group set up that no round has staffed yet, a petition received jointly with the lower body's
office, and a term of the lower body with nothing in it yet. bench/roundtrip.py does the same on the
demo world.
"""

import datetime
import io
import json

import pytest
from django.core.management import call_command

from lijian.accounts.choices import Role
from lijian.documents.ledger.importer import ledger_export
from lijian.findings.models import Clue
from lijian.inspections.services import group_create
from lijian.orgs.models import InspectionBody, Organization
from lijian.orgs.services import term_create
from lijian.people.models import SupervisionLine
from lijian.petitions.choices import Channel
from lijian.petitions.models import Petition
from lijian.petitions.services import petition_receive
from lijian.rectification.models import Feedback, RectificationReport, TaskProgress

from ..bundles import BODY, LOWER, TERM, TERM_BUNDLE, database_empty, term_bundle_import, write_bundle
from ..world import make_user

D = datetime.date
DAYS = ("2023-06-30", "2024-12-31", "2025-06-30", "2025-12-31")
# What a clue's page shows beyond the figures: whom it is about, its hand-over sheet, its dates.
LINE_RECORD = ("supervisor__code", "supervised__code", "description", "active")
# What a petition's page shows of where it went: the inspection and group, the route, the answer.
PETITION_RECORD = (
    "ref",
    "body__code",
    "joint_body__code",
    "inspection__round__number",
    "inspection__organization__code",
    "group__number",
    "route",
    "routed_inspection__round__number",
    "routed_on",
    "answer",
    "answered_on",
    "close_reason",
)
FEEDBACK_RECORD = ("inspection__organization__code", "held_on", "given_by", "received_by", "report_due")
REPORT_RECORD = ("inspection__organization__code", "kind", "submitted_on", "signed_by", "text")
PROGRESS_RECORD = ("task__problem__ref", "task__measure", "on", "text")
CLUE_RECORD = ("ref", "subject_name", "subject_post", "summary", "sheet_no", "accepted_on", "escalated_on")


def _figures(body: str, term: str, day: str) -> dict:
    out = io.StringIO()
    call_command("figures", "--body", body, "--term", term, "--date", day, "--json", stdout=out)
    return json.loads(out.getvalue())


def _every_figure() -> dict:
    """Every body's figures for each of its terms on each of ``DAYS`` within the term."""
    found = {}
    for body in InspectionBody.objects.order_by("code"):
        for term in body.terms.order_by("start"):
            for day in DAYS:
                if term.start <= D.fromisoformat(day) <= term.end:
                    found[body.code, term.name, day] = _figures(body.code, term.name, day)
    return found


@pytest.mark.parametrize("target", ["folder", "bundle.zip", "bundle.xlsx"])
def test_the_whole_database_exported_and_imported_into_an_empty_one_gives_the_same_figures(
    db, tmp_path, target
):
    admin = make_user("roundtrip-admin", Role.ADMINISTRATOR)
    term_bundle_import(admin, write_bundle(tmp_path / "term", TERM_BUNDLE))
    body, lower = InspectionBody.objects.get(code=BODY), InspectionBody.objects.get(code=LOWER)
    group_create(actor=admin, body=body, number=3)
    term_create(actor=admin, body=lower, name="第一届", start=D(2024, 1, 1), end=D(2028, 12, 31))
    petition_receive(
        actor=admin,
        body=body,
        channel=Channel.JOINT_RECEPTION,
        joint_body=lower,
        received_on=D(2024, 5, 6),
        subject_org=Organization.objects.get(code="QX-JY"),
        summary="联合接待时反映教育系统违规收费。",
        ref="X-2024-009",
    )
    before = _every_figure()
    clues = list(Clue.objects.order_by("ref").values_list(*CLUE_RECORD))
    assert clues[0][1:] == (
        "王某",
        "甲街道党工委书记",
        "违规出租集体门面房，租金未入账。",
        "XCB-QX-2023-001",
        D(2023, 6, 25),
        None,
    )
    assert clues[1][-2:] == (None, D(2024, 10, 9))
    petitions = list(Petition.objects.order_by("ref").values_list(*PETITION_RECORD))
    handled = (1, "S1", 1, "group", 1, D(2023, 4, 21), "已责令收回门面房。", D(2023, 5, 20), "已答复反映人。")
    assert petitions[0][3:] == handled  # received in round 1's inspection of S1, its group answered
    feedbacks = list(Feedback.objects.values_list(*FEEDBACK_RECORD))
    assert feedbacks == [("S1", D(2023, 6, 15), "区委第一巡察组组长", "甲街道党工委书记王某", D(2023, 8, 15))]
    reports = list(RectificationReport.objects.values_list(*REPORT_RECORD))
    assert [r[:3] for r in reports] == [("S1", "rectification", D(2023, 8, 10))]
    progress = list(TaskProgress.objects.values_list(*PROGRESS_RECORD))
    assert [p[:3] for p in progress] == [("P04", "追缴欠缴租金", D(2024, 5, 10))]
    lines = list(SupervisionLine.objects.values_list(*LINE_RECORD))
    assert lines == [("QX-JY", "V1", "教育工作党委指导村级学校党建", True)]  # staffing's avoidance rules
    assert len(before) == 4 + 3  # the district's term on four days, the lower body's (from 2024) on three
    later = before[BODY, TERM, "2025-12-31"]
    # What the figures count from records the term's sheet of old did not carry:
    assert (later["people_disciplined"], later["people_organisational_handling"]) == (2, 1)
    assert later["losses_recovered"] == 35.5
    assert (later["self_criticisms_due"], later["self_criticisms_accepted"]) == (1, 1)
    assert later["staffing"]["groups"] == 3  # the third group, which no round has staffed

    ledger_export(tmp_path / target, actor=admin)
    database_empty()
    assert not InspectionBody.objects.exists()
    term_bundle_import(admin, tmp_path / target)

    assert _every_figure() == before
    assert list(Clue.objects.order_by("ref").values_list(*CLUE_RECORD)) == clues
    assert list(SupervisionLine.objects.values_list(*LINE_RECORD)) == lines
    assert list(Feedback.objects.values_list(*FEEDBACK_RECORD)) == feedbacks
    assert list(TaskProgress.objects.values_list(*PROGRESS_RECORD)) == progress
    assert list(RectificationReport.objects.values_list(*REPORT_RECORD)) == reports
    assert list(Petition.objects.order_by("ref").values_list(*PETITION_RECORD)) == petitions
    joint = Petition.objects.get(ref="X-2024-009")
    assert (joint.body.code, joint.joint_body.code, joint.channel) == (BODY, LOWER, Channel.JOINT_RECEPTION)
