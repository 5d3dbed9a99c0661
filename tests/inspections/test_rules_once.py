"""Each round and stage date rule written once (``inspections.validators``) holds alike through the
ways a round and its inspections' dates come in: the new-round page, the round service and rounds.csv;
the stage services and inspections.csv. For every case they accept or refuse together, in the same
words and on the same field (the stage services name their one date ``on``; the sheet its column),
and a refusal writes nothing."""

import datetime
from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lijian.core.models import AuditEvent
from lijian.documents.ledger.importer import ledger_import
from lijian.inspections import services
from lijian.inspections.models import Inspection, Round

from ..bundles import write_bundle
from ..rules import ledger_refusal, page_refusal
from ..world import build_rounds

D = datetime.date
ROUNDS = ["body_code", "term", "number", "kind", "linkage_mode", "parent_round", "start", "end", "theme"]
INSPECTIONS = [
    "body_code",
    "term",
    "round",
    "group_no",
    "org_code",
    "onsite_start",
    "onsite_end",
    "feedback_date",
]
OUTSIDE_TERM = ("start", "开始日期应在本届（2022-06-23 至 2027-06-22）之内。")  # the world's term


@dataclass(frozen=True)
class Case:
    start: D
    end: D
    refusal: tuple[str, str] | None  # (field, message) or None when accepted


CASES = {
    "a round inside the term": Case(D(2024, 6, 1), D(2024, 7, 1), None),
    "a round of one day": Case(D(2024, 6, 1), D(2024, 6, 1), None),
    "a round on the term's first day": Case(D(2022, 6, 23), D(2022, 8, 1), None),
    "an end before the start": Case(D(2024, 7, 1), D(2024, 6, 30), ("end", "结束日期不能早于开始日期。")),
    "a start before the term": Case(D(2022, 6, 22), D(2022, 8, 1), OUTSIDE_TERM),
    "a start after the term": Case(D(2027, 6, 23), D(2027, 8, 1), OUTSIDE_TERM),
}


def _written():
    return sorted(Round.objects.values_list("number", "start", "end")), AuditEvent.objects.count()


def _refusal(exc: ValidationError):
    assert len(exc.message_dict) == 1, exc.message_dict
    ((field, messages),) = exc.message_dict.items()
    return field, " ".join(messages)


def _by_service(world, case: Case):
    try:
        services.round_create(
            actor=world.admin,
            body=world.body1,
            term=world.term1,
            number=9,
            kind="regular",
            start=case.start,
            end=case.end,
        )
    except ValidationError as exc:
        return _refusal(exc)
    return None


def _by_page(client, world, case: Case):
    client.force_login(world.admin)
    answer = client.post(
        reverse("inspections:round_create", kwargs={"pk": world.body1.pk}),
        {
            "term": world.term1.pk,
            "number": 9,
            "kind": "regular",
            "start": case.start.isoformat(),
            "end": case.end.isoformat(),
            "clue_feedback_months": 3,
            "rectification_report_months": 2,
        },
    )
    return page_refusal(answer)


def _by_ledger(tmp_path, world, file, rows):
    report = ledger_import(write_bundle(tmp_path / "bundle", {file: rows}), actor=world.admin)
    return ledger_refusal(report, file, len(rows))


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("way", ["service", "page", "rounds.csv"])
def test_a_round_date_rule_holds_alike_through_the_service_the_page_and_rounds_csv(
    client, world, tmp_path, name, way
):
    case = CASES[name]
    before = _written()
    if way == "service":
        outcome = _by_service(world, case)
    elif way == "page":
        outcome = _by_page(client, world, case)
    else:
        row = [
            "XCB-120101",
            "第十二届",
            "9",
            "regular",
            "",
            "",
            case.start.isoformat(),
            case.end.isoformat(),
            "",
        ]
        outcome = _by_ledger(tmp_path, world, "rounds.csv", [ROUNDS, row])
    assert outcome == case.refusal
    if case.refusal:
        assert _written() == before  # nothing written, not even an event
    else:
        assert (9, case.start, case.end) in _written()[0]


def test_moving_a_rounds_dates_keeps_the_same_rules(world):
    """The round page's correction: an end before the start is refused on ``end`` in the same words."""
    round_ = services.round_create(
        actor=world.admin, body=world.body1, term=world.term1, number=9, kind="regular",
        start=D(2024, 6, 1), end=D(2024, 7, 1),
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        services.round_update(actor=world.admin, round_=round_, end=D(2024, 5, 31))
    assert _refusal(refused.value) == CASES["an end before the start"].refusal
    with pytest.raises(ValidationError) as refused:
        services.round_update(actor=world.admin, round_=round_, start=D(2027, 6, 23), end=D(2027, 8, 1))
    assert _refusal(refused.value) == OUTSIDE_TERM


STAGE_CASES = {
    # (on site, left, fed back) -> the ledger column and the words; the service names ``on``
    "leaving before going on site": (
        (D(2024, 3, 10), D(2024, 3, 9), None),
        ("onsite_end", "撤离日期不能早于进驻日期。"),
    ),
    "feedback before leaving": (
        (D(2024, 3, 10), D(2024, 4, 10), D(2024, 4, 9)),
        ("feedback_date", "反馈日期不能早于撤离日期。"),
    ),
}


def _dates(inspection):
    return Inspection.objects.values_list("stage", "onsite_end", "feedback_date").get(pk=inspection.pk)


@pytest.mark.parametrize("name", list(STAGE_CASES))
def test_a_stage_date_rule_holds_alike_through_the_stage_services_and_inspections_csv(world, tmp_path, name):
    (onsite, left, fed), (column, words) = STAGE_CASES[name]
    rounds = build_rounds(world)
    inspection = rounds.inspection1
    services.inspection_prepare(actor=world.admin, inspection=inspection)
    services.inspection_enter_site(actor=world.admin, inspection=inspection, on=onsite)
    if fed is not None:
        services.inspection_leave_site(actor=world.admin, inspection=inspection, on=left)
    before = _dates(inspection)
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        if fed is None:
            services.inspection_leave_site(actor=world.admin, inspection=inspection, on=left)
        else:
            services.inspection_feed_back(actor=world.admin, inspection=inspection, on=fed)
    assert _refusal(refused.value) == ("on", words)
    assert _dates(inspection) == before
    assert AuditEvent.objects.count() == events
    dates = [d.isoformat() if d else "" for d in (onsite, left, fed)]
    row = ["XCB-120101", "第十二届", "1", "1", inspection.organization.code, *dates]
    assert _by_ledger(tmp_path, world, "inspections.csv", [INSPECTIONS, row]) == (column, words)


def test_a_round_linked_to_a_round_of_its_own_body_is_refused_alike_by_the_service_and_rounds_csv(
    world, tmp_path
):
    """The model's rule (``check_upper_round_body``), on the service's ``upper_round`` and the sheet's
    ``parent_round``; a row naming itself as its upper round is refused the same way."""
    rounds = build_rounds(world)
    before = _written()
    with pytest.raises(ValidationError) as refused:
        services.round_create(
            actor=world.admin, body=world.body1, term=world.term1, number=9, kind="regular",
            start=D(2024, 6, 1), end=D(2024, 7, 1), upper_round=rounds.round1,
        )  # fmt: skip
    words = "联动的上级轮次应属于上级机构。"
    assert _refusal(refused.value) == ("upper_round", words)
    for n, parent in enumerate((rounds.round1.ledger_key, "XCB-120101:第十二届:9")):
        row = ["XCB-120101", "第十二届", "9", "regular", "", parent, "2024-06-01", "2024-07-01", ""]
        assert _by_ledger(tmp_path / str(n), world, "rounds.csv", [ROUNDS, row]) == ("parent_round", words)
    assert _written() == before
