"""standing_groups.csv: a body's standing groups (name, 在编, own staff) travel with the bundle, the
compositions of each round staying groups.csv's (issue 14)."""

from lijian.accounts.choices import Role
from lijian.documents.ledger.importer import ledger_import
from lijian.inspections.models import Group
from lijian.inspections.services import group_create, group_set_core_staff

from ..bundles import assert_round_trip, write_bundle
from ..world import make_cadre, make_patrol_setup

HEADER = ["body_code", "group_no", "name", "active", "core_staff_ids"]
FILES = ["cadres.csv", "standing_groups.csv", "groups.csv"]


def _groups():
    return sorted(
        (g.body.code, g.number, g.name, g.active, tuple(sorted(c.cadre_id for c in g.core_staff.all())))
        for g in Group.objects.select_related("body").prefetch_related("core_staff")
    )


def test_groups_keep_their_names_establishment_and_own_staff_through_export_and_import(world, tmp_path):
    g1, g2, pool = make_patrol_setup(world)
    Group.objects.filter(pk=g1.pk).update(name="第一巡察组（专项）")
    Group.objects.filter(pk=g2.pk).update(active=False)
    group_set_core_staff(actor=world.admin, group=g1, cadres=pool[:2])
    group_create(actor=world.admin, body=world.body2, number=3, name="河西第三组")
    written = assert_round_trip(
        tmp_path / "out", world.admin, FILES, "standing_groups.csv", Group.objects.all(), _groups
    )
    assert written["standing_groups.csv"] == 3 and written["groups.csv"] == 0  # no round staffed yet


def test_a_group_row_changes_only_the_columns_its_header_names(world, tmp_path):
    g1, _g2, pool = make_patrol_setup(world)
    group_set_core_staff(actor=world.admin, group=g1, cadres=pool[:1])
    rows = [["body_code", "group_no", "name"], [world.body1.code, "1", "第一巡察组（改）"]]
    report = ledger_import(write_bundle(tmp_path / "name", {"standing_groups.csv": rows}), actor=world.admin)
    assert report.ok and report.counts["standing_groups.csv"] == {"updated": 1}, report.errors
    g1.refresh_from_db()
    assert (g1.name, g1.active, [c.cadre_id for c in g1.core_staff.all()]) == (
        "第一巡察组（改）",
        True,
        ["C00"],
    )


def test_bad_group_rows_are_refused_with_the_group_pages_words_and_nothing_written(world, tmp_path):
    make_patrol_setup(world)
    make_cadre(world, "HX-1", world.d2)  # 河西's, not in 和平's talent pool
    rows = [
        HEADER,
        [world.body1.code, "5", "第五巡察组", "1", "C00;HX-1"],
        [world.body1.code, "6", "第六巡察组", "1", "C01;NOBODY"],
        [world.body1.code, "7", "", "maybe", ""],
        [world.body1.code, "5", "重复", "1", ""],
        [world.body1.code, "8", "", "1", "C02;C02"],
    ]
    report = ledger_import(write_bundle(tmp_path / "bad", {"standing_groups.csv": rows}), actor=world.admin)
    found = {(e.file, e.line, e.column): e.reason for e in report.errors}
    assert found == {
        ("standing_groups.csv", 2, "core_staff_ids"): "本机构人才库中没有这些编号：HX-1",
        ("standing_groups.csv", 3, "core_staff_ids"): "人员编号“NOBODY”既不在 cadres.csv 中，也不在系统中。",
        ("standing_groups.csv", 4, "active"): "应为 1/0 或 是/否。",
        ("standing_groups.csv", 5, "group_no"): "“XCB-120101:5”重复（第 2 行已出现）。",
        ("standing_groups.csv", 6, "core_staff_ids"): "同一人在本组中出现了两次。",
    }
    assert not Group.objects.filter(number__gt=2).exists()


def test_an_office_imports_the_groups_of_its_own_body_only(world, tmp_path):
    office = world.users[Role.OFFICE_STAFF]  # 和平区委巡察办
    rows = [HEADER, [world.body2.code, "1", "河西第一组", "1", ""]]
    report = ledger_import(write_bundle(tmp_path / "other", {"standing_groups.csv": rows}), actor=office)
    assert [(e.line, e.column) for e in report.errors] == [(2, "body_code")]
    assert not Group.objects.exists()
    rows = [HEADER, [world.body1.code, "1", "", "1", ""]]
    report = ledger_import(write_bundle(tmp_path / "own", {"standing_groups.csv": rows}), actor=office)
    assert report.ok, report.errors
    assert _groups() == [(world.body1.code, 1, "第一巡察组", True, ())]  # named as group_create names it
