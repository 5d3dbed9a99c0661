"""A whole patrol term kept in spreadsheets — organisations to accountability — imports into an empty
database, and ``lijian figures`` gives exactly what the sheets imply under DESIGN.md §3; exported
and imported into an empty database again, it gives the same figures.

The term: 某区委巡察办 (XCB-QX) patrols the streets S1, S2, S5, the towns S3, S4, the community C1
(under S1) and the village V1 (under S3) of 某区委 (QX) in its 第三届 (2021-06-01 – 2026-05-31).
Round 1 (2023) inspects S1 and S2, fed back 2023-06-15; round 2 (2024) inspects S3 and S4, fed back
2024-06-20, and C1, fed back only on 2025-08-01. Sixteen problems, P01–P16.

The district's discipline department ("1+3+N") is a row of departments.csv, so the whole bundle
imports in one go.
"""

import datetime
import io
import json

from django.core.management import call_command

from lijian.accounts.choices import Role
from lijian.documents.ledger.importer import ledger_export, ledger_import
from lijian.findings.models import Problem
from lijian.orgs.models import InspectionBody, Organization, Term
from lijian.petitions.models import Petition
from lijian.rectification.services import self_criticisms_assess

from ..bundles import BODY, TERM, TERM_BUNDLE, database_empty, term_bundle_import, write_bundle
from ..world import make_user

D = datetime.date
R = "2025-06-30"  # the reference date of the figures
LATER = "2025-12-31"


def _rate(numerator, denominator):
    return {"value": round(numerator / denominator, 4), "numerator": numerator, "denominator": denominator}


def _figures(date: str) -> dict:
    out = io.StringIO()
    call_command("figures", "--body", BODY, "--term", TERM, "--date", date, "--json", stdout=out)
    return json.loads(out.getvalue())


def _without_definitions(data):
    if isinstance(data, dict):
        return {k: _without_definitions(v) for k, v in data.items() if k != "definition"}
    return data


def test_a_whole_term_imports_into_an_empty_database_and_gives_the_figures_it_implies(db, tmp_path):
    admin = make_user("term-admin", Role.ADMINISTRATOR)
    assert not Organization.objects.exists()
    term_bundle_import(admin, write_bundle(tmp_path / "term", TERM_BUNDLE))
    data = _figures(R)
    # petitions about organisations the same bundle creates
    assert sorted(Petition.objects.values_list("ref", "subject_org__code")) == [
        ("X-2023-001", "S1"),
        ("X-2023-002", "C1"),
    ]

    # Coverage: S1–S4 and C1 were on site by the date; the body covers those and S5 and V1.
    assert data["rounds"] == 2
    assert data["inspected_organizations"] == 5
    assert data["jurisdiction_organizations"] == 7
    assert _without_definitions(data["term_coverage"]) == _rate(5, 7)
    assert _without_definitions(data["grassroots_coverage"]) == _rate(1, 2)  # C1 of C1 and V1
    assert data["problems_found"] == 16

    # Clues: X1 answered 2023-09-01 within its deadline (a case opened); X2 due 2024-09-25, unanswered.
    assert data["clues_transferred"] == 2
    assert _without_definitions(data["clues_fed_back_on_time"]) == _rate(1, 2)
    assert (data["clues_overdue"], data["cases_opened"]) == (1, 1)

    # The rates on 2025-06-30, over the problems fed back by then (C1's feedback comes later):
    #   S1: closed {P01} (P02 reopened 2024-08-01, P04 closed only 2025-09-01); stage met {P03};
    #       due {P01, P02, P04} (P03's latest deadline is 2026-12-31)
    #       completion = 1 ÷ |{P01, P02, P04}| = 1/3; implementation = |{P01, P03}| ÷ 4 = 2/4 < 70%
    #   S2: closed {P05, P06, P07}, all due: completion 3/3, implementation 3/3
    #   S3: closed {P08, P09, P10}, all due; P11 has no task, never due: completion 3/3,
    #       implementation 3/4 = 75% ≥ 70%
    #   S4: closed {P12}; P13 only reported done; P14 due only 2025-12-31:
    #       completion = 1 ÷ |{P12, P13}| = 1/2; implementation = 1/3 < 70%
    rates = _without_definitions(data["rectification_rates"])
    assert rates == {
        "S1": {"completion_rate": _rate(1, 3), "implementation_rate": _rate(2, 4)},
        "S2": {"completion_rate": _rate(3, 3), "implementation_rate": _rate(3, 3)},
        "S3": {"completion_rate": _rate(3, 3), "implementation_rate": _rate(3, 4)},
        "S4": {"completion_rate": _rate(1, 2), "implementation_rate": _rate(1, 3)},
    }
    assert data["organizations_fed_back"] == 4
    assert data["organizations_below_threshold"] == 2  # S1 and S4
    assert data["problems_closed"] == 1 + 3 + 3 + 1  # S1, S2, S3, S4

    # Interviews and accountability of the term decided by the date (C1's come after it):
    # 王某 twice (诫勉 and 通报批评: one person), 陈某 removed, 刘某 ordered to review.
    assert data["interviews"] == 2
    assert (data["accountability_actions"], data["people_held_accountable"]) == (4, 3)
    assert {
        k: v for k, v in data.items() if k.startswith("accountability_") and k != "accountability_actions"
    } == {
        "accountability_admonishment": 1,
        "accountability_criticism_notice": 1,
        "accountability_ordered_review": 1,
        "accountability_removal": 1,
    }
    assert data["self_criticisms_due"] == 0  # none assessed yet

    # Half a year later: P04 closed lifts S1 to 3/4 = 75%; C1 is fed back (P15 due 2025-10-31,
    # open; P16 without task): 0/1 and 0/2; P14 now due: S4 1/3 and 1/3.
    later = _figures(LATER)
    assert _without_definitions(later["rectification_rates"]["S1"]) == {
        "completion_rate": _rate(2, 3),
        "implementation_rate": _rate(3, 4),
    }
    assert _without_definitions(later["rectification_rates"]["C1"]) == {
        "completion_rate": _rate(0, 1),
        "implementation_rate": _rate(0, 2),
    }
    assert _without_definitions(later["rectification_rates"]["S4"])["completion_rate"] == _rate(1, 3)
    assert (later["organizations_below_threshold"], later["problems_closed"]) == (2, 9)  # S4, C1
    assert (later["interviews"], later["accountability_actions"], later["people_held_accountable"]) == (
        3,
        5,
        4,
    )
    assert later["accountability_removal"] == 2

    # Exported and imported into an empty database again: the same figures on both dates.
    ledger_export(tmp_path / "out", actor=admin)
    database_empty()
    assert not Problem.objects.exists()
    term_bundle_import(admin, tmp_path / "out")
    assert _figures(R) == data
    assert _figures(LATER) == later

    # Below the threshold a self-criticism is due: S1 and S4 on the reference date.
    body, term = InspectionBody.objects.get(code=BODY), Term.objects.get(name=TERM)
    made = self_criticisms_assess(actor=admin, body=body, term=term, on=D(2025, 6, 30))
    assert sorted(m.organization.code for m in made) == ["S1", "S4"]
    assert _figures(R)["self_criticisms_due"] == 2


def test_petitions_about_organisations_of_the_same_bundle_import_into_an_empty_database(db, tmp_path):
    admin = make_user("term-admin", Role.ADMINISTRATOR)
    files = {name: TERM_BUNDLE[name] for name in ("organizations.csv", "bodies.csv")}
    # the petitions as received, without the inspection they concern (no rounds in this bundle)
    files["petitions.csv"] = [row[:8] for row in TERM_BUNDLE["petitions.csv"]]
    report = ledger_import(write_bundle(tmp_path / "p", files), actor=admin)
    assert report.ok, report.errors
    assert Petition.objects.get(ref="X-2023-002").body.code == BODY
    bad = {
        **files,
        "petitions.csv": [
            *TERM_BUNDLE["petitions.csv"][:1],
            ["X-9", "qr", "2023-04-22", "QX", "", "x", "0", ""],
        ],
    }
    Petition.objects.all().delete()
    report = ledger_import(write_bundle(tmp_path / "q", bad), actor=admin)
    assert not report.ok and "没有负责巡视巡察它的机构" in str(report.errors)
