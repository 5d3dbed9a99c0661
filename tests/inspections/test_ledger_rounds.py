"""rounds.csv, groups.csv, inspections.csv, cadres.csv and conflicts.csv: exact round trip, bad rows reported."""

import csv
import datetime

from lijian.documents.ledger.importer import ledger_export, ledger_import
from lijian.inspections.models import Group, Inspection, Round, RoundMember
from lijian.people.models import Cadre, Conflict

from ..bundles import write_bundle
from ..world import make_cadre

D = datetime.date


def _snapshot():
    return (
        sorted(
            Round.objects.values_list("body__code", "term__name", "number", "kind", "start", "end", "theme")
        ),
        sorted(RoundMember.objects.values_list("round__number", "group__number", "cadre__cadre_id", "role")),
        sorted(
            Inspection.objects.values_list(
                "round__number",
                "group__number",
                "organization__code",
                "stage",
                "onsite_start",
                "onsite_end",
                "feedback_date",
            )
        ),
        sorted(
            (c.cadre_id, c.name, c.home_org.code, c.rank, tuple(sorted(s.code for s in c.skills.all())))
            for c in Cadre.objects.prefetch_related("skills").select_related("home_org")
        ),
        sorted(Conflict.objects.values_list("cadre__cadre_id", "organization__code", "kind")),
    )


def test_a_term_of_rounds_round_trips_exactly(world, tmp_path):
    lead = make_cadre(world, "P1", world.d1, "division", ("audit",))
    member = make_cadre(world, "P2", world.soe, "section", ("law", "finance"))
    Conflict.objects.create(cadre=member, organization=world.v1, kind="relative")
    group = Group.objects.create(body=world.body1, number=1, name="第一巡察组")
    round_ = Round.objects.create(
        body=world.body1, term=world.term1, number=1, start=D(2024, 3, 1), end=D(2024, 5, 1), theme="巡镇带村"
    )
    RoundMember.objects.create(round=round_, group=group, cadre=lead, role="leader")
    RoundMember.objects.create(round=round_, group=group, cadre=member)
    Inspection.objects.create(
        round=round_,
        group=group,
        organization=world.t1,
        stage="feedback",
        onsite_start=D(2024, 3, 10),
        onsite_end=D(2024, 4, 20),
        feedback_date=D(2024, 6, 1),
    )
    Inspection.objects.create(
        round=round_, group=group, organization=world.v1, stage="onsite", onsite_start=D(2024, 3, 12)
    )
    before = _snapshot()
    ledger_export(tmp_path / "term.zip", actor=world.admin)
    Inspection.objects.all().delete()
    RoundMember.objects.all().delete()
    Round.objects.all().delete()
    Group.objects.all().delete()
    Conflict.objects.all().delete()
    Cadre.objects.all().delete()
    report = ledger_import(tmp_path / "term.zip", actor=world.admin)
    assert report.ok, report.errors
    assert _snapshot() == before


def test_bad_round_group_and_inspection_rows_are_each_reported(world, tmp_path):
    make_cadre(world, "P1", world.d1, "division")
    folder = write_bundle(
        tmp_path / "bad",
        {
            "rounds.csv": [
                [
                    "body_code",
                    "term",
                    "number",
                    "kind",
                    "linkage_mode",
                    "parent_round",
                    "start",
                    "end",
                    "theme",
                ],
                ["XCB-120101", "第十二届", "1", "regular", "", "", "2024-03-01", "2024-05-01", ""],
                ["XCB-120101", "第十二届", "2", "sideways", "", "", "2024-06-01", "2024-07-01", ""],
                ["XCB-120101", "第十二届", "3", "linked", "relay", "", "2024-06-01", "2024-07-01", ""],
                ["XCB-120101", "第九届", "4", "regular", "", "", "2024-06-01", "2024-07-01", ""],
            ],
            "groups.csv": [
                ["body_code", "term", "round", "group_no", "leader_id", "deputy_ids", "member_ids"],
                ["XCB-120101", "第十二届", "1", "1", "P1", "", "NOBODY"],
            ],
            "inspections.csv": [
                [
                    "body_code",
                    "term",
                    "round",
                    "group_no",
                    "org_code",
                    "onsite_start",
                    "onsite_end",
                    "feedback_date",
                ],
                ["XCB-120101", "第十二届", "1", "1", "120101001", "2024-04-01", "2024-03-01", ""],
            ],
        },
    )
    report = ledger_import(folder, actor=world.admin)
    found = {(e.file, e.line, e.column) for e in report.errors}
    assert {
        ("rounds.csv", 3, "kind"),
        ("rounds.csv", 4, "parent_round"),
        ("rounds.csv", 5, "term"),
        ("groups.csv", 2, "member_ids"),
        ("inspections.csv", 2, "onsite_end"),
    } <= found
    assert not Round.objects.exists()


def test_office_staff_import_rounds_of_their_own_body_only(world, tmp_path):
    from lijian.accounts.choices import Role

    folder = write_bundle(
        tmp_path / "other",
        {
            "rounds.csv": [
                [
                    "body_code",
                    "term",
                    "number",
                    "kind",
                    "linkage_mode",
                    "parent_round",
                    "start",
                    "end",
                    "theme",
                ],
                ["XCB-120103", "第十二届", "1", "regular", "", "", "2024-03-01", "2024-05-01", ""],
            ]
        },
    )
    report = ledger_import(folder, actor=world.users[Role.OFFICE_STAFF])
    assert [(e.line, e.column) for e in report.errors] == [(2, "body_code")]


def test_cadres_need_known_skills_and_a_birth_year(world, tmp_path):
    folder = write_bundle(
        tmp_path / "cadres",
        {
            "cadres.csv": [
                ["cadre_id", "name", "gender", "birth_year", "home_org_code", "rank", "skills", "in_pool"],
                ["Q1", "张三", "男", "1985", "120101", "正处级", "审计;法律", "是"],
                ["Q2", "李四", "F", "", "120101", "section", "", ""],
                ["Q3", "王五", "M", "1990", "120101", "section", "烹饪", "1"],
            ]
        },
    )
    report = ledger_import(folder, actor=world.admin)
    assert {(e.line, e.column) for e in report.errors} == {(3, "birth_year"), (4, "skills")}
    with open(folder / "cadres.csv", "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(
            [
                ["cadre_id", "name", "gender", "birth_year", "home_org_code", "rank", "skills"],
                ["Q1", "张三", "男", "1985", "120101", "正处级", "审计;法律"],
            ]
        )
    assert ledger_import(folder, actor=world.admin).ok
    q1 = Cadre.objects.get(cadre_id="Q1")
    assert (q1.rank, q1.in_pool, sorted(s.code for s in q1.skills.all())) == (
        "division",
        True,
        ["audit", "law"],
    )


def test_conflicts_of_cadres_outside_the_importers_scope_are_refused(world, tmp_path):
    from lijian.accounts.choices import Role

    make_cadre(world, "HX-1", world.d2)  # 河西, outside the 和平 office's scope
    folder = write_bundle(
        tmp_path / "b",
        {"conflicts.csv": [["cadre_id", "org_code", "reason"], ["HX-1", world.v1.code, "relative"]]},
    )
    report = ledger_import(folder, actor=world.users[Role.OFFICE_STAFF])
    assert [(e.line, e.column) for e in report.errors] == [(2, "cadre_id")]
    assert not Conflict.objects.exists()


def test_a_relay_chain_imports_in_any_row_order_and_a_round_cannot_follow_itself(world, tmp_path):
    """The district rounds relay the city's round, whatever the row order; a round following a round
    of its own body (itself included) is refused, as the round model refuses it."""
    header = ["body_code", "term", "number", "kind", "linkage_mode", "parent_round", "start", "end", "theme"]

    def row(body, n, parent):
        return [
            body,
            "第十二届",
            str(n),
            "linked",
            "relay" if parent else "",
            parent,
            "2024-03-01",
            "2024-05-01",
            "",
        ]

    city = "TJ-XSB:第十二届:1"
    chain = [row("XCB-120101", 2, city), row("XCB-120103", 2, city), row("TJ-XSB", 1, "")]
    report = ledger_import(
        write_bundle(tmp_path / "chain", {"rounds.csv": [header, *chain]}), actor=world.admin
    )
    assert report.ok, report.errors
    uppers = set(
        Round.objects.values_list("body__code", "number", "upper_round__body__code", "upper_round__number")
    )
    assert uppers == {
        ("TJ-XSB", 1, None, None),
        ("XCB-120101", 2, "TJ-XSB", 1),
        ("XCB-120103", 2, "TJ-XSB", 1),
    }
    again = ledger_import(
        write_bundle(tmp_path / "again", {"rounds.csv": [header, *chain]}), actor=world.admin
    )
    assert again.ok and not again.counts.get("rounds.csv", {}).get("updated")

    itself = [
        header,
        row("XCB-120101", 4, "XCB-120101:第十二届:4"),
        row("XCB-120101", 5, "XCB-120101:第十二届:2"),
    ]
    report = ledger_import(write_bundle(tmp_path / "self", {"rounds.csv": itself}), actor=world.admin)
    assert [(e.line, e.column, e.reason) for e in report.errors] == [
        (2, "parent_round", "联动的上级轮次应属于上级机构。"),
        (3, "parent_round", "联动的上级轮次应属于上级机构。"),
    ]
    assert not Round.objects.filter(number__in=(4, 5)).exists()
