"""A whole patrol term kept in spreadsheets — organisations to accountability — imports into an empty
database, and ``lijian figures`` gives exactly what the sheets imply under DESIGN.md §3; exported
and imported into an empty database again, it gives the same figures.

The term: 某区委巡察办 (XCB-QX) patrols the streets S1, S2, S5, the towns S3, S4, the community C1
(under S1) and the village V1 (under S3) of 某区委 (QX) in its 第三届 (2021-06-01 – 2026-05-31).
Round 1 (2023) inspects S1 and S2, fed back 2023-06-15; round 2 (2024) inspects S3 and S4, fed back
2024-06-20, and C1, fed back only on 2025-08-01. Sixteen problems, P01–P16.

Departments ("1+3+N") are no file of the bundle (DESIGN.md §7): like an administrator would, the test
creates the district's discipline department once the organisation tree and its body are in, then
imports the whole bundle in one go.
"""

import datetime
import io
import json

from django.core.management import call_command

from lijian.accounts.choices import Role
from lijian.documents.ledger.importer import ledger_export, ledger_import
from lijian.findings.models import Clue, Department, Problem
from lijian.findings.services import department_create
from lijian.inspections.models import Group, Inspection, Round, RoundMember
from lijian.orgs.models import InspectionBody, Organization, Term
from lijian.people.models import Cadre, Conflict
from lijian.petitions.models import Petition
from lijian.rectification.models import (
    Accountability,
    Interview,
    ProblemEvent,
    RectificationTask,
    SelfCriticism,
)
from lijian.rectification.services import self_criticisms_assess

from ..documents.test_ledger import write_bundle
from ..world import make_user

D = datetime.date
R = "2025-06-30"  # the reference date of the figures
LATER = "2025-12-31"
BODY, TERM = "XCB-QX", "第三届"


def _problems():
    found = [("S1", 1, ["P01", "P02", "P03", "P04"]), ("S2", 1, ["P05", "P06", "P07"])]
    found += [
        ("S3", 2, ["P08", "P09", "P10", "P11"]),
        ("S4", 2, ["P12", "P13", "P14"]),
        ("C1", 2, ["P15", "P16"]),
    ]
    return [
        [
            ref,
            BODY,
            TERM,
            str(number),
            org,
            "2.1",
            f"{org}集体“三资”管理不规范（{ref}）。",
            f"202{2 + number}-04-15",
        ]
        for org, number, refs in found
        for ref in refs
    ]


BUNDLE = {
    "organizations.csv": [
        [
            "code",
            "name",
            "kind",
            "parent_code",
            "division_code",
            "supervising_body",
            "active_from",
            "active_to",
        ],
        ["QX", "中共某区委员会", "district_committee", "", "", "", "", ""],
        ["S1", "某区甲街道党工委", "street", "QX", "", BODY, "", ""],
        ["S2", "某区乙街道党工委", "street", "QX", "", BODY, "", ""],
        ["S5", "某区丙街道党工委", "street", "QX", "", BODY, "", ""],
        ["S3", "某区甲镇党委", "town", "QX", "", BODY, "", ""],
        ["S4", "某区乙镇党委", "town", "QX", "", BODY, "", ""],
        ["C1", "甲街道某社区党委", "community", "S1", "", BODY, "", ""],
        ["V1", "甲镇某村党支部", "village", "S3", "", BODY, "", ""],
    ],
    "bodies.csv": [
        ["code", "name", "level", "owner_org_code", "authorized_posts"],
        [BODY, "某区委巡察办", "patrol", "QX", "10"],
    ],
    "terms.csv": [["body_code", "name", "start", "end"], [BODY, TERM, "2021-06-01", "2026-05-31"]],
    "cadres.csv": [
        ["cadre_id", "name", "gender", "birth_year", "home_org_code", "rank", "skills", "in_pool"],
        ["K1", "干部一", "M", "1970", "QX", "division", "audit", "1"],
        ["K2", "干部二", "F", "1988", "QX", "section", "", "1"],
        ["K3", "干部三", "M", "1975", "QX", "section", "finance", "1"],
        ["K4", "干部四", "F", "1972", "QX", "division", "", "1"],
        ["K5", "干部五", "M", "1990", "QX", "section", "", "1"],
        ["K6", "干部六", "F", "1980", "QX", "section", "law", "1"],
    ],
    "rounds.csv": [
        ["body_code", "term", "number", "kind", "linkage_mode", "parent_round", "start", "end", "theme"],
        [BODY, TERM, "1", "regular", "", "", "2023-03-01", "2023-06-30", ""],
        [BODY, TERM, "2", "regular", "", "", "2024-03-01", "2024-06-30", ""],
    ],
    "groups.csv": [
        ["body_code", "term", "round", "group_no", "leader_id", "deputy_ids", "member_ids"],
        [BODY, TERM, "1", "1", "K1", "", "K2;K3"],
        [BODY, TERM, "1", "2", "K4", "", "K5;K6"],
        [BODY, TERM, "2", "1", "K4", "", "K2;K3"],
        [BODY, TERM, "2", "2", "K1", "", "K5;K6"],
    ],
    "inspections.csv": [
        ["body_code", "term", "round", "group_no", "org_code", "onsite_start", "onsite_end", "feedback_date"],
        [BODY, TERM, "1", "1", "S1", "2023-03-10", "2023-04-30", "2023-06-15"],
        [BODY, TERM, "1", "2", "S2", "2023-03-10", "2023-04-30", "2023-06-15"],
        [BODY, TERM, "2", "1", "S3", "2024-03-10", "2024-04-30", "2024-06-20"],
        [BODY, TERM, "2", "1", "S4", "2024-03-10", "2024-04-30", "2024-06-20"],
        [BODY, TERM, "2", "2", "C1", "2024-03-10", "2024-04-30", "2025-08-01"],
    ],
    "problems.csv": [
        ["problem_id", "body_code", "term", "round", "org_code", "category", "description", "found_on"],
        *_problems(),
    ],
    "tasks.csv": [
        ["task_id", "problem_id", "measure", "responsible", "deadline", "status", "completed_on"],
        ["1", "P01", "清理集体资产", "王某/党政办", "2023-09-30", "done", "2023-09-20"],
        ["2", "P02", "收回违规出租的房屋", "王某/党政办", "2023-12-31", "done", "2023-12-15"],
        ["3", "P03", "修订“三资”管理办法", "王某/党政办", "2024-03-31", "done", "2024-03-25"],
        ["4", "P03", "长期坚持民主决策", "王某/党政办", "2026-12-31", "long_term", ""],
        ["5", "P04", "追缴欠缴租金", "王某/财务科", "2024-06-30", "in_progress", ""],
        ["6", "P05", "整改措施", "李某/党政办", "2023-08-31", "done", "2023-08-20"],
        ["7", "P06", "整改措施", "李某/党政办", "2023-10-31", "done", "2023-10-20"],
        ["8", "P07", "整改措施", "李某/党政办", "2024-01-31", "done", "2024-01-20"],
        ["9", "P08", "整改措施", "张某/党政办", "2024-08-31", "done", "2024-08-20"],
        ["10", "P09", "整改措施", "张某/党政办", "2024-09-30", "done", "2024-09-20"],
        ["11", "P10", "整改措施", "张某/党政办", "2024-12-31", "done", "2024-12-20"],
        ["12", "P12", "整改措施", "陈某/党政办", "2024-07-31", "done", "2024-07-20"],
        ["13", "P13", "整改措施", "陈某/党政办", "2024-10-31", "in_progress", ""],
        ["14", "P14", "整改措施", "陈某/党政办", "2025-12-31", "planned", ""],
        ["15", "P15", "整改措施", "赵某/社区办", "2025-10-31", "planned", ""],
    ],
    "problem_status.csv": [
        ["problem_id", "status", "closed_on"],
        ["P01", "closed", "2023-10-10"],
        ["P02", "closed", "2024-01-10"],
        ["P02", "reopened", "2024-08-01"],  # the look-back found it again
        ["P03", "long_term_stage_met", "2024-05-01"],
        ["P04", "closed", "2025-09-01"],  # after the reference date
        ["P05", "closed", "2023-09-05"],
        ["P06", "closed", "2023-11-05"],
        ["P07", "reported_done", "2024-02-01"],
        ["P07", "closed", "2024-02-20"],
        ["P08", "closed", "2024-09-10"],
        ["P09", "closed", "2024-10-15"],
        ["P10", "closed", "2025-01-10"],
        ["P11", "rectifying", ""],
        ["P12", "closed", "2024-08-05"],
        ["P13", "reported_done", "2024-11-20"],
        ["P14", "rectifying", ""],
        ["P15", "rectifying", ""],
    ],
    "clues.csv": [
        [
            "clue_id",
            "problem_id",
            "department",
            "transferred_on",
            "due_on",
            "status",
            "result",
            "fed_back_on",
        ],
        ["X1", "P02", "JW-QX", "2023-06-20", "2023-09-20", "fed_back", "case_opened", "2023-09-01"],
        ["X2", "P09", "JW-QX", "2024-06-25", "", "transferred", "", ""],  # due 3 months later: 2024-09-25
    ],
    "interviews.csv": [
        ["interviewer", "interviewee", "org_code", "reason", "held_on"],
        ["区委书记", "甲街道党工委书记王某", "S1", "整改落实到位率低于70%", "2024-09-10"],
        ["区委书记", "乙镇党委书记陈某", "S4", "整改落实到位率低于70%", "2025-03-01"],
        ["区委副书记", "某社区党委书记赵某", "C1", "整改推进缓慢", "2025-09-01"],
    ],
    "petitions.csv": [
        [
            "petition_id",
            "channel",
            "received_on",
            "subject_org_code",
            "category",
            "summary",
            "anonymous",
            "status",
        ],
        ["X-2023-001", "letter", "2023-04-20", "S1", "", "反映街道违规出租门面房。", "1", "closed"],
        ["X-2023-002", "qr", "2023-04-22", "C1", "", "反映社区办事收费。", "0", "received"],
    ],
    "accountability.csv": [
        ["subject_name", "subject_post", "org_code", "action", "reason", "decided_on", "problem_id"],
        ["王某", "甲街道党工委书记", "S1", "admonishment", "违规出租问题整改后反弹", "2024-09-20", "P02"],
        ["王某", "甲街道党工委书记", "S1", "criticism_notice", "整改落实到位率低于70%", "2024-09-20", ""],
        ["陈某", "乙镇党委书记", "S4", "removal", "整改弄虚作假", "2025-04-01", "P13"],
        ["刘某", "乙镇党委副书记", "S4", "ordered_review", "整改推进不力", "2025-05-01", ""],
        ["赵某", "某社区党委书记", "C1", "removal", "整改推进不力", "2025-10-01", ""],
    ],
}


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


def _import_into_empty_database(admin, folder):
    """The tree and its body first, then the discipline department of the district (not a bundle
    file), then the whole bundle at once."""
    tree = folder.parent / f"{folder.name}-tree"
    tree.mkdir()
    for name in ("organizations.csv", "bodies.csv"):
        (tree / name).write_bytes((folder / name).read_bytes())
    first = ledger_import(tree, actor=admin)
    assert first.ok, first.errors
    department_create(
        actor=admin,
        code="JW-QX",
        name="区纪委监委",
        kind="discipline",
        committee=Organization.objects.get(code="QX"),
    )
    report = ledger_import(folder, actor=admin)
    assert report.ok, report.errors
    return report


def _empty_the_database():
    for model in (
        Accountability,
        Interview,
        SelfCriticism,
        ProblemEvent,
        RectificationTask,
        Clue,
        Problem,
        Petition,
    ):
        model.objects.all().delete()
    for model in (Inspection, RoundMember, Round, Group, Conflict, Cadre, Department, Term):
        model.objects.all().delete()
    Organization.objects.update(supervising_body=None)
    InspectionBody.objects.all().delete()
    Organization.objects.all().delete()


def test_a_whole_term_imports_into_an_empty_database_and_gives_the_figures_it_implies(db, tmp_path):
    admin = make_user("term-admin", Role.ADMINISTRATOR)
    assert not Organization.objects.exists()
    _import_into_empty_database(admin, write_bundle(tmp_path / "term", BUNDLE))
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
    _empty_the_database()
    assert not Problem.objects.exists()
    _import_into_empty_database(admin, tmp_path / "out")
    assert _figures(R) == data
    assert _figures(LATER) == later

    # Below the threshold a self-criticism is due: S1 and S4 on the reference date.
    body, term = InspectionBody.objects.get(code=BODY), Term.objects.get(name=TERM)
    made = self_criticisms_assess(actor=admin, body=body, term=term, on=D(2025, 6, 30))
    assert sorted(m.organization.code for m in made) == ["S1", "S4"]
    assert _figures(R)["self_criticisms_due"] == 2


def test_petitions_about_organisations_of_the_same_bundle_import_into_an_empty_database(db, tmp_path):
    admin = make_user("term-admin", Role.ADMINISTRATOR)
    files = {name: BUNDLE[name] for name in ("organizations.csv", "bodies.csv", "petitions.csv")}
    report = ledger_import(write_bundle(tmp_path / "p", files), actor=admin)
    assert report.ok, report.errors
    assert Petition.objects.get(ref="X-2023-002").body.code == BODY
    bad = {
        **files,
        "petitions.csv": [*BUNDLE["petitions.csv"][:1], ["X-9", "qr", "2023-04-22", "QX", "", "x", "0", ""]],
    }
    Petition.objects.all().delete()
    report = ledger_import(write_bundle(tmp_path / "q", bad), actor=admin)
    assert not report.ok and "没有负责巡视巡察它的机构" in str(report.errors)
