"""Each term rule written once (``orgs.validators``) holds alike through the ways a term comes in: the
body's term page, the API and the office's terms.csv. For every case the three accept or refuse
together, on the same field and in the same words, and a refusal writes nothing."""

import datetime
import json
from dataclasses import dataclass

import pytest
from django.urls import reverse

from lijian.core.models import AuditEvent
from lijian.documents.ledger.importer import ledger_import
from lijian.orgs.models import Organization, Term

from ..bundles import write_bundle
from ..rules import api_refusal, ledger_refusal, page_refusal

D = datetime.date
TERMS = ["body_code", "name", "start", "end"]
NOT_AFTER = ("end", "结束日期应晚于开始日期。")
OVERLAP = "与同一机构的届次“第十二届”时间重叠。"  # the world's term: 2022-06-23 to 2027-06-22


@dataclass(frozen=True)
class Case:
    name: str
    start: D
    end: D
    refusal: tuple[str, str] | None  # (field, message) or None when accepted


CASES = {
    "the next term": Case("第十三届", D(2027, 6, 23), D(2032, 6, 22), None),
    "the term before": Case("第十一届", D(2017, 6, 23), D(2022, 6, 22), None),
    "an end before the start": Case("第十三届", D(2027, 7, 1), D(2027, 6, 30), NOT_AFTER),
    "an end on the start": Case("第十三届", D(2027, 7, 1), D(2027, 7, 1), NOT_AFTER),
    "starting inside the term": Case("第十三届", D(2027, 6, 22), D(2032, 6, 21), ("start", OVERLAP)),
    "ending inside the term": Case("第十一届", D(2017, 6, 23), D(2022, 6, 23), ("end", OVERLAP)),
}


def _written(body):
    return sorted(
        Term.objects.filter(body=body).values_list("name", "start", "end")
    ), AuditEvent.objects.count()


def _by_page(client, world, case: Case):
    client.force_login(world.admin)
    answer = client.post(
        reverse("orgs:term_create", kwargs={"pk": world.body1.pk}),
        {"name": case.name, "start": case.start.isoformat(), "end": case.end.isoformat()},
    )
    return page_refusal(answer)


def _by_api(client, world, case: Case):
    client.force_login(world.admin)
    answer = client.post(
        "/api/terms/",
        json.dumps(
            {
                "body_id": world.body1.pk,
                "name": case.name,
                "start": case.start.isoformat(),
                "end": case.end.isoformat(),
            }
        ),
        content_type="application/json",
    )
    return api_refusal(answer, 201)


def _by_ledger(tmp_path, world, rows):
    report = ledger_import(
        write_bundle(tmp_path / "bundle", {"terms.csv": [TERMS, *rows]}), actor=world.admin
    )
    return ledger_refusal(report, "terms.csv", len(rows) + 1)


def _row(case: Case) -> list[str]:
    return ["XCB-120101", case.name, case.start.isoformat(), case.end.isoformat()]


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("way", ["page", "api", "terms.csv"])
def test_a_term_rule_holds_alike_through_the_page_the_api_and_terms_csv(client, world, tmp_path, name, way):
    case = CASES[name]
    before = _written(world.body1)
    if way == "page":
        outcome = _by_page(client, world, case)
    elif way == "api":
        outcome = _by_api(client, world, case)
    else:
        outcome = _by_ledger(tmp_path, world, [_row(case)])
    assert outcome == case.refusal
    if case.refusal:
        assert _written(world.body1) == before  # nothing written, not even an event
    else:
        assert (case.name, case.start, case.end) in _written(world.body1)[0]


def test_two_rows_of_terms_csv_that_overlap_are_refused_once_on_the_later_in_the_services_words(
    world, tmp_path
):
    rows = [
        ["XCB-120101", "第十三届", "2027-06-23", "2032-06-22"],
        ["XCB-120101", "第十四届", "2032-06-01", "2037-06-22"],
    ]
    before = _written(world.body1)
    assert _by_ledger(tmp_path, world, rows) == ("start", "与同一机构的届次“第十三届”时间重叠。")
    assert _written(world.body1) == before


def test_moving_a_term_onto_another_is_refused_by_the_service_and_terms_csv_alike(client, world, tmp_path):
    """A term already kept, given dates that reach into the body's next term."""
    nxt = Case("第十三届", D(2027, 6, 23), D(2032, 6, 22), None)
    assert _by_api(client, world, nxt) is None
    before = _written(world.body1)
    client.force_login(world.admin)
    answer = client.patch(
        f"/api/terms/{world.term1.pk}",
        json.dumps({"end": "2027-07-01"}),
        content_type="application/json",
    )
    assert answer.status_code == 422
    refusal = ("end", "与同一机构的届次“第十三届”时间重叠。")
    assert {k: " ".join(v) for k, v in answer.json()["detail"].items()} == dict([refusal])
    moved = Case("第十二届", D(2022, 6, 23), D(2027, 7, 1), None)
    assert _by_ledger(tmp_path, world, [_row(moved)]) == refusal
    assert _written(world.body1) == before


# --- organisations: the division code and the dates of a new organisation --------------------------

ORGS = ["code", "name", "kind", "parent_code", "division_code", "active_from", "active_to"]
ORG_CASES = {
    "a plain organisation": ("120101777", "", None, None, None),
    "a twelve-digit division code": ("120101777", "120101001001", None, None, None),
    "letters in the division code": (
        "120101777",
        "12A",
        None,
        None,
        ("division_code", "行政区划代码应为不超过 12 位的数字。"),
    ),
    "a thirteen-digit division code": (
        "120101777",
        "1201010010011",
        None,
        None,
        ("division_code", "行政区划代码应为不超过 12 位的数字。"),
    ),
    "dissolved before it was set up": (
        "120101777",
        "",
        D(2024, 5, 1),
        D(2024, 1, 1),
        ("active_to", "撤销日期不能早于设立日期。"),
    ),
}


def _orgs_written():
    return sorted(Organization.objects.values_list("code", "division_code")), AuditEvent.objects.count()


@pytest.mark.parametrize("name", list(ORG_CASES))
@pytest.mark.parametrize("way", ["api", "organizations.csv"])
def test_an_organisation_rule_holds_alike_through_the_api_and_organizations_csv(
    client, world, tmp_path, name, way
):
    code, division, first, last, refusal = ORG_CASES[name]
    iso = [d.isoformat() if d else "" for d in (first, last)]
    before = _orgs_written()
    if way == "api":
        client.force_login(world.admin)
        body = {"parent_id": world.d1.pk, "code": code, "name": "新设社区", "kind": "community"}
        body |= {"division_code": division, "active_from": iso[0] or None, "active_to": iso[1] or None}
        answer = client.post("/api/orgs/", json.dumps(body), content_type="application/json")
        if answer.status_code == 201:
            outcome = None
        else:
            assert answer.status_code == 422, answer.content
            ((field, messages),) = answer.json()["detail"].items()
            outcome = field, " ".join(messages)
    else:
        row = [code, "新设社区", "community", world.d1.code, division, *iso]
        report = ledger_import(
            write_bundle(tmp_path / "bundle", {"organizations.csv": [ORGS, row]}), actor=world.admin
        )
        outcome = None if report.ok else [(e.column, e.reason) for e in report.errors]
        if outcome:
            assert len(outcome) == 1, outcome
            (outcome,) = outcome
    assert outcome == refusal
    if refusal:
        assert _orgs_written() == before
    else:
        assert (code, division) in _orgs_written()[0]


@pytest.mark.parametrize("posts", [10_000, 10_001])
def test_a_bodys_posts_are_bounded_alike_by_the_api_and_bodies_csv(client, world, tmp_path, posts):
    """The model field's limit, in Django's words for it, whichever way the body comes in."""
    refusal = None if posts <= 10_000 else ("authorized_posts", "确保该值小于或等于10000。")
    client.force_login(world.admin)
    body = {"code": "XCB-NEW", "name": "新巡察办", "level": "patrol", "owner_org_id": world.t1.pk}
    answer = client.post(
        "/api/bodies/", json.dumps(body | {"authorized_posts": posts}), content_type="application/json"
    )
    by_api = (
        None if answer.status_code == 201 else {k: " ".join(v) for k, v in answer.json()["detail"].items()}
    )
    header = ["code", "name", "level", "owner_org_code", "authorized_posts"]
    row = ["XCB-NEW2", "新巡察办2", "patrol", world.t1.code, str(posts)]
    report = ledger_import(write_bundle(tmp_path / "b", {"bodies.csv": [header, row]}), actor=world.admin)
    by_ledger = None if report.ok else {e.column: e.reason for e in report.errors}
    assert by_api == by_ledger == (dict([refusal]) if refusal else None)
