"""The ledger bundle: all-or-nothing import with every bad row reported, and an exact round trip."""

import csv
import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from lijian.accounts.choices import Role
from lijian.accounts.models import RoleAssignment
from lijian.core.models import AuditEvent
from lijian.documents.ledger.importer import ledger_export, ledger_import
from lijian.orgs.models import InspectionBody, Organization, Term
from lijian.orgs.selectors import organization_subtree_size

from ..bundles import write_bundle
from ..world import make_user

ORG_HEADER = [
    "code",
    "name",
    "kind",
    "parent_code",
    "division_code",
    "supervising_body",
    "active_from",
    "active_to",
]


def snapshot_ledger():
    orgs = {
        o.code: (
            o.name,
            o.kind,
            o.parent_path and Organization.objects.get(path=o.parent_path).code,
            o.division_code,
            o.supervising_body.code if o.supervising_body else "",
            o.active_from,
            o.active_to,
            o.depth,
        )
        for o in Organization.objects.select_related("supervising_body")
    }
    bodies = {
        b.code: (b.name, b.level, b.owner_org.code, b.authorized_posts) for b in InspectionBody.objects.all()
    }
    terms = {(t.body.code, t.name): (t.start, t.end) for t in Term.objects.select_related("body")}
    return orgs, bodies, terms


def empty_database():
    RoleAssignment.objects.all().delete()
    Organization.objects.update(supervising_body=None)
    Term.objects.all().delete()
    InspectionBody.objects.all().delete()
    Organization.objects.all().delete()


@pytest.mark.parametrize("target", ["folder", "bundle.zip", "bundle.xlsx"])
def test_export_then_import_into_an_empty_database_gives_the_same_organisations(world, tmp_path, target):
    before = snapshot_ledger()
    written = ledger_export(tmp_path / target, actor=world.admin)
    assert written == {
        "organizations.csv": 8,
        "bodies.csv": 3,
        "terms.csv": 3,
        "cadres.csv": 0,
        "supervision_lines.csv": 0,
        "conflicts.csv": 0,
        "org_risks.csv": 0,
        "rounds.csv": 0,
        "standing_groups.csv": 0,
        "groups.csv": 0,
        "inspections.csv": 0,
        "departments.csv": 0,
        "categories.csv": 46,  # the taxonomies every installation starts with (findings 0002)
        "problems.csv": 0,
        "tasks.csv": 0,
        "task_progress.csv": 0,
        "problem_status.csv": 0,
        "task_events.csv": 0,
        "feedbacks.csv": 0,
        "rectification_reports.csv": 0,
        "clues.csv": 0,
        "interviews.csv": 0,
        "accountability.csv": 0,
        "self_criticisms.csv": 0,
        "disclosures.csv": 0,
        "evaluations.csv": 0,
        "supervisions.csv": 0,
        "petitions.csv": 0,
        "instructions.csv": 0,
        "meetings.csv": 0,
        "meeting_instructions.csv": 0,
        "regulations.csv": 0,
        "exposures.csv": 0,
        "material_reviews.csv": 0,
        "review_rounds.csv": 0,
        "self_inspections.csv": 0,
        "assessment_indicators.csv": 5,  # the indicators every installation starts with (guidance 0002)
        "assessment_scores.csv": 0,
        "naming_candidates.csv": 0,
    }
    empty_database()
    assert Organization.objects.count() == 0
    report = ledger_import(tmp_path / target, actor=world.admin)
    assert report.ok, report.errors
    assert report.counts["organizations.csv"] == {"created": 8}
    assert snapshot_ledger() == before
    for org in Organization.objects.all():  # the tree is whole: numchild and subtree sizes hold
        assert (
            org.numchild
            == Organization.objects.filter(path__startswith=org.path, depth=org.depth + 1).count()
        )


def test_importing_the_same_bundle_twice_changes_nothing(world, tmp_path):
    ledger_export(tmp_path / "b.zip", actor=world.admin)
    events = AuditEvent.objects.count()
    report = ledger_import(tmp_path / "b.zip", actor=world.admin)
    assert report.ok and report.counts == {}
    assert AuditEvent.objects.count() == events


def test_bad_rows_change_nothing_and_each_is_reported(world, tmp_path):
    before = snapshot_ledger()
    folder = write_bundle(
        tmp_path / "bad",
        {
            "organizations.csv": [
                ORG_HEADER,
                ["N1", "好支部", "branch", "120101001", "", "", "", ""],  # fine on its own
                ["N2", "", "branch", "120101001", "", "", "", ""],  # no name
                ["N3", "坏类别", "castle", "120101001", "", "", "", ""],  # unknown kind
                ["N1", "重复", "branch", "120101001", "", "", "", ""],  # duplicate code
                ["N4", "无上级", "branch", "NOPE", "", "", "", ""],  # unknown parent
                ["N5", "坏日期", "branch", "120101001", "", "", "2024-13-01", ""],  # bad date
                [
                    "N6",
                    "倒序",
                    "branch",
                    "120101001",
                    "",
                    "",
                    "2024-05-01",
                    "2024-01-01",
                ],  # ends before it starts
                ["N7", "坏区划", "branch", "120101001", "12AB", "", "", ""],  # division code not digits
                ["N8", "无机构", "branch", "120101001", "", "NOBODY", "", ""],  # unknown body
            ],
            "terms.csv": [
                ["body_code", "name", "start", "end"],
                ["XCB-120101", "重叠届", "2023-01-01", "2024-01-01"],
            ],
        },
    )
    report = ledger_import(folder, actor=world.admin)
    assert not report.ok
    found = {(e.file, e.line, e.column) for e in report.errors}
    assert found >= {
        ("organizations.csv", 3, "name"),
        ("organizations.csv", 4, "kind"),
        ("organizations.csv", 5, "code"),
        ("organizations.csv", 7, "active_from"),
        ("organizations.csv", 8, "active_to"),
        ("organizations.csv", 9, "division_code"),
    }
    assert all(e.reason for e in report.errors)
    assert snapshot_ledger() == before  # nothing written
    # Cross-row checks run once every row parses: fix the row errors and the rest are reported.
    rows = [
        ORG_HEADER,
        ["N4", "无上级", "branch", "NOPE", "", "", "", ""],
        ["N8", "无机构", "branch", "120101001", "", "NOBODY", "", ""],
        ["C1", "环一", "branch", "C2", "", "", "", ""],
        ["C2", "环二", "branch", "C1", "", "", "", ""],
    ]
    folder = write_bundle(
        tmp_path / "bad2",
        {
            "organizations.csv": rows,
            "terms.csv": [
                ["body_code", "name", "start", "end"],
                ["XCB-120101", "重叠届", "2023-01-01", "2024-01-01"],
            ],
        },
    )
    report = ledger_import(folder, actor=world.admin)
    reasons = {(e.line, e.column): e.reason for e in report.errors if e.file == "organizations.csv"}
    assert "NOPE" in reasons[(2, "parent_code")]
    assert "NOBODY" in reasons[(3, "supervising_body")]
    assert "循环" in (reasons.get((4, "parent_code")) or reasons.get((5, "parent_code")))
    assert any(e.file == "terms.csv" and e.line == 2 and "重叠" in e.reason for e in report.errors)
    assert snapshot_ledger() == before


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {"organizations.csv": [["code", "name", "kind", "colour"], ["X", "x", "branch", "red"]]},
            ("organizations.csv", 1, "colour"),
        ),
        ({"organizations.csv": [["code", "name"], ["X", "x"]]}, ("organizations.csv", 1, "kind")),
        ({"problems_v9.csv": [["a"], ["b"]]}, ("problems_v9.csv", 0, "")),
        (
            {"organizations.csv": [["code", "name", "kind", "kind"], ["X", "x", "branch", "branch"]]},
            ("organizations.csv", 1, "kind"),
        ),
        (
            {"organizations.csv": [["code", "name", "kind"], ["X", "x", "branch", "extra"]]},
            ("organizations.csv", 2, ""),
        ),
    ],
    ids=["unknown-column", "missing-column", "unknown-file", "duplicate-column", "extra-cell"],
)
def test_malformed_files_are_reported(world, tmp_path, files, expected):
    report = ledger_import(write_bundle(tmp_path / "b", files), actor=world.admin)
    assert not report.ok
    assert expected in {(e.file, e.line, e.column) for e in report.errors}


def test_chinese_headers_and_labels_are_accepted(world, tmp_path):
    folder = write_bundle(
        tmp_path / "zh",
        {
            "organizations.csv": [
                ["组织代码", "名称", "组织类别", "上级组织代码", "设立日期"],
                ["ZH1", "中文表头支部", "党支部", "120101001001", "2024-03-01"],
            ]
        },
    )
    report = ledger_import(folder, actor=world.admin)
    assert report.ok, report.errors
    org = Organization.objects.get(code="ZH1")
    assert (org.kind, org.parent_path, str(org.active_from)) == ("branch", world.v1.path, "2024-03-01")
    assert Organization.objects.get(pk=world.v1.pk).numchild == 1


def test_existing_codes_are_updated_and_moved(world, tmp_path):
    folder = write_bundle(
        tmp_path / "upd",
        {
            "organizations.csv": [
                ORG_HEADER,
                ["120101001", "劝业场街道党工委（改）", "street", "120103", "", "XCB-120103", "", ""],
            ]
        },
    )
    report = ledger_import(folder, actor=world.admin)
    assert report.ok, report.errors
    assert report.counts["organizations.csv"] == {"updated": 1, "moved": 1}
    street = Organization.objects.get(code="120101001")
    community = Organization.objects.get(code="120101001001")
    assert street.name.endswith("（改）") and street.parent_path == world.d2.path
    assert community.parent_path == street.path  # the subtree moved with it
    assert organization_subtree_size(Organization.objects.get(code="120103")) == 4


def test_new_rows_may_come_before_their_parents_and_under_existing_nodes(world, tmp_path):
    folder = write_bundle(
        tmp_path / "order",
        {
            "organizations.csv": [
                ORG_HEADER,
                ["K2", "孙", "branch", "K1", "", "", "", ""],
                ["K1", "子", "other", "120101001001", "", "", "", ""],
                ["K3", "另一子", "other", "120101001001", "", "", "", ""],
            ]
        },
    )
    assert ledger_import(folder, actor=world.admin).ok
    k1, k2, k3 = (Organization.objects.get(code=c) for c in ("K1", "K2", "K3"))
    assert k2.parent_path == k1.path and k1.parent_path == k3.parent_path == world.v1.path
    assert (k1.numchild, Organization.objects.get(pk=world.v1.pk).numchild) == (1, 2)


def test_office_staff_import_only_inside_their_subtree(world, tmp_path):
    staff = world.users[Role.OFFICE_STAFF]  # 和平区 (D1)
    folder = write_bundle(
        tmp_path / "scope",
        {
            "organizations.csv": [
                ORG_HEADER,
                ["IN1", "区内支部", "branch", "120101001001", "", "", "", ""],
                ["OUT1", "区外支部", "branch", "120103001001", "", "", "", ""],
                ["120103001", "改别人的街道", "street", "", "", "", "", ""],
                ["ROOT2", "新的顶级组织", "other", "", "", "", "", ""],
            ]
        },
    )
    report = ledger_import(folder, actor=staff)
    lines = {e.line for e in report.errors}
    assert lines == {3, 4, 5}
    assert not Organization.objects.filter(code__in=["IN1", "OUT1", "ROOT2"]).exists()


def test_roles_without_the_import_permission_cannot_import(world, tmp_path):
    with pytest.raises(PermissionDenied):
        ledger_import(tmp_path, actor=world.users[Role.LEADER])


def test_files_that_are_not_utf8_or_not_archives_are_refused_clearly(world, tmp_path):
    gbk = tmp_path / "gbk"
    gbk.mkdir()
    (gbk / "organizations.csv").write_bytes("code,name,kind\nG1,国标编码,branch\n".encode("gbk"))
    report = ledger_import(gbk, actor=world.admin)
    assert not report.ok and "UTF-8" in report.errors[0].reason
    fake = tmp_path / "fake.zip"
    fake.write_bytes(b"this is not a zip")
    report = ledger_import(fake, actor=world.admin)
    assert not report.ok and "zip" in report.errors[0].reason
    fake_xlsx = tmp_path / "fake.xlsx"
    fake_xlsx.write_bytes(b"PK\x03\x04 broken")
    assert not ledger_import(fake_xlsx, actor=world.admin).ok


def test_a_zip_bomb_is_refused_before_it_is_inflated(world, tmp_path, monkeypatch):
    from lijian.documents.ledger import bundle

    monkeypatch.setattr(bundle, "MAX_UNCOMPRESSED_BYTES", 1_000_000)
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("organizations.csv", "code,name,kind\n" + "0" * 5_000_000)
    assert bomb.stat().st_size < 20_000
    report = ledger_import(bomb, actor=world.admin)
    assert not report.ok and "过大" in report.errors[0].reason


def test_the_command_reports_bad_rows_and_exits_non_zero(world, tmp_path, capsys):
    folder = write_bundle(
        tmp_path / "cli", {"organizations.csv": [ORG_HEADER, ["Z", "", "branch", "", "", "", "", ""]]}
    )
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_ledger", str(folder), "--user", world.admin.username)
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert "organizations.csv:2 [name]" in err and "没有导入任何数据" in err


def test_the_command_imports_and_reports_counts(world, tmp_path):
    folder = write_bundle(
        tmp_path / "cli-ok",
        {"organizations.csv": [ORG_HEADER, ["Z1", "命令行支部", "branch", "120101001001", "", "", "", ""]]},
    )
    out = io.StringIO()
    call_command("import_ledger", str(folder), "--user", world.admin.username, stdout=out)
    assert "organizations.csv: 新增 1" in out.getvalue()
    call_command("export_ledger", str(tmp_path / "out.zip"), "--user", world.admin.username, stdout=out)
    with zipfile.ZipFile(tmp_path / "out.zip") as archive:
        assert "Z1,命令行支部,branch,120101001001" in archive.read("organizations.csv").decode()


def test_an_export_holds_only_what_the_exporter_may_see(world, tmp_path):
    leader = make_user("d2-leader", Role.LEADER, world.d2)
    ledger_export(tmp_path / "d2", actor=leader)
    with open(tmp_path / "d2" / "organizations.csv", encoding="utf-8") as handle:
        codes = [row[0] for row in csv.reader(handle)][1:]
    assert codes == ["120103", "120103001", "120103001001"]
    assert "TJ" not in codes


def test_a_single_csv_uploaded_from_the_web_is_imported_and_reported_by_its_own_name(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.users[Role.OFFICE_STAFF])
    good = SimpleUploadedFile(
        "Organizations.csv",
        "code,name,kind,parent_code\nW1,网页支部,branch,120101001001\n".encode("utf-8-sig"),
    )
    response = client.post("/documents/ledger/import/", {"bundle": good}, follow=True)
    assert "导入成功" in response.content.decode()
    assert Organization.objects.filter(code="W1").exists()
    bad = SimpleUploadedFile("和平区台账.csv", b"code,name,kind\nW2,,branch\n")
    response = client.post("/documents/ledger/import/", {"bundle": bad}, follow=True)
    assert "和平区台账.csv" in response.content.decode()


def test_the_report_speaks_the_language_of_whoever_uploaded(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.users[Role.OFFICE_STAFF])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    bad = SimpleUploadedFile("organizations.csv", b"code,name,kind\nW3,,branch\n")
    page = client.post("/documents/ledger/import/", {"bundle": bad}, follow=True).content.decode()
    assert "must not be empty" in page.lower() or "cannot be empty" in page.lower() or "empty" in page.lower()
    assert "不能为空" not in page


def test_exported_csv_files_carry_a_byte_order_mark_for_excel(world, tmp_path):
    ledger_export(tmp_path / "out", actor=world.admin)
    assert (tmp_path / "out" / "organizations.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_an_imported_body_may_cover_only_organisations_below_its_committee(world, tmp_path):
    folder = write_bundle(
        tmp_path / "sup",
        {
            "organizations.csv": [
                ORG_HEADER,
                [
                    "S1",
                    "越界支部",
                    "branch",
                    "120101001001",
                    "",
                    "XCB-120103",
                    "",
                    "",
                ],  # 和平 branch, 河西 office
                ["S2", "本区支部", "branch", "120101001001", "", "XCB-120101", "", ""],
            ]
        },
    )
    report = ledger_import(folder, actor=world.admin)
    assert [(e.line, e.column) for e in report.errors] == [(2, "supervising_body")]
    assert not Organization.objects.filter(code__in=["S1", "S2"]).exists()


def test_dates_of_existing_organisations_update_once(world, tmp_path):
    rows = [
        ORG_HEADER,
        ["120101001", "和平区劝业场街道党工委", "street", "120101", "", "XCB-120101", "2001-06-01", ""],
    ]
    folder = write_bundle(tmp_path / "dates", {"organizations.csv": rows})
    assert ledger_import(folder, actor=world.admin).counts == {"organizations.csv": {"updated": 1}}
    assert str(Organization.objects.get(code="120101001").active_from) == "2001-06-01"
    assert ledger_import(folder, actor=world.admin).counts == {}  # the same dates again: nothing to do
