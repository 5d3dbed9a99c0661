"""The rules behind importing the offices' own sheets, one by one: departments by code, name or kind
(an ambiguous one refused with the candidates), a post alone as responsible (exported alone too),
the final-state status sheet (a reopened problem refused, a problem given twice refused), and the
header of a worksheet found under its title rows."""

from openpyxl import Workbook

from lijian.accounts.choices import Role
from lijian.documents.ledger.importer import ledger_export, ledger_import
from lijian.findings.models import Clue, Department, Problem
from lijian.orgs.models import Organization
from lijian.rectification.models import ProblemEvent, RectificationTask

from ..bundles import TERM_BUNDLE, write_bundle
from ..world import make_user

TREE = ("organizations.csv", "bodies.csv", "terms.csv", "rounds.csv", "cadres.csv", "groups.csv")
TREE += ("inspections.csv", "problems.csv")


def _term(tmp_path, name: str, **files):
    """The term's tree and problems, with ``files`` (file name without .csv -> rows) in its place."""
    bundle = {name: TERM_BUNDLE[name] for name in TREE}
    bundle.update({f"{k}.csv": v for k, v in files.items()})
    return write_bundle(tmp_path / name, bundle)


def _errors(report):
    return [(e.file, e.line, e.column, e.reason) for e in report.errors]


DEPARTMENTS = ["code", "name", "kind", "committee"]
CLUES = TERM_BUNDLE["clues.csv"][0]


def test_a_clue_names_its_department_by_code_name_or_kind_and_an_ambiguous_one_is_refused(db, tmp_path):
    admin = make_user("dept-admin", Role.ADMINISTRATOR)
    departments = [
        DEPARTMENTS,
        ["JW-QX", "区纪委监委", "discipline", "QX"],
        ["ZZB-QX", "区委组织部", "organisation", "QX"],
        ["SJ-QX", "区审计局", "audit", "QX"],
        ["SJ-QX2", "区审计中心", "audit", "QX"],
    ]
    clue = ["P02", "2023-06-20", "2023-09-20", "fed_back", "case_opened", "2023-09-01"]
    clues = [
        CLUES,
        ["X1", clue[0], "区委组织部", *clue[1:]],  # by name
        ["X2", clue[0], "纪委监委", *clue[1:]],  # by kind (a label)
        ["X3", clue[0], "审计局", *clue[1:]],  # by kind (a synonym): two audit departments
        ["X4", clue[0], "宣传部", *clue[1:]],  # no such department
    ]
    report = ledger_import(_term(tmp_path, "a", departments=departments, clues=clues), actor=admin)
    assert _errors(report) == [
        ("clues.csv", 4, "department", "“审计局”可指：SJ-QX 区审计局、SJ-QX2 区审计中心，请写明部门代码。"),
        (
            "clues.csv",
            5,
            "department",
            "没有代码或名称为“宣传部”的协作部门（可用：JW-QX 区纪委监委、SJ-QX 区审计局、SJ-QX2 区审计中心、"
            "ZZB-QX 区委组织部）。",
        ),
    ]
    assert not Organization.objects.exists()  # all or nothing

    report = ledger_import(_term(tmp_path, "b", departments=departments, clues=clues[:3]), actor=admin)
    assert report.ok, report.errors
    assert dict(Clue.objects.values_list("ref", "department__code")) == {"X1": "ZZB-QX", "X2": "JW-QX"}
    assert Department.objects.get(code="SJ-QX").committee.code == "QX"


def test_departments_are_exported_and_a_responsible_post_alone_round_trips(db, tmp_path):
    admin = make_user("post-admin", Role.ADMINISTRATOR)
    header, *tasks = TERM_BUNDLE["tasks.csv"]
    tasks = [[*t[:3], "党委书记" if t[0] == "1" else "张某／", *t[4:]] for t in tasks]
    folder = _term(
        tmp_path,
        "post",
        tasks=[header, *tasks],
        departments=[DEPARTMENTS, ["JW-QX", "区纪委监委", "纪委", "QX"]],
    )
    report = ledger_import(folder, actor=admin)
    assert report.ok, report.errors
    assert set(RectificationTask.objects.values_list("responsible_leader", "responsible_department")) == {
        ("党委书记", ""),
        ("张某", ""),
    }
    written = ledger_export(tmp_path / "out", actor=admin)
    assert written["departments.csv"] == 1
    exported = (tmp_path / "out" / "tasks.csv").read_text(encoding="utf-8-sig")
    assert ",党委书记," in exported and "党委书记/" not in exported
    assert "JW-QX,区纪委监委,discipline,QX" in (tmp_path / "out" / "departments.csv").read_text("utf-8-sig")


STATUS = ["problem_id", "status", "closed_on", "as_of"]


def test_a_final_state_status_sheet_dates_each_state_and_refuses_what_it_cannot_say(db, tmp_path):
    admin = make_user("state-admin", Role.ADMINISTRATOR)
    bad = [
        STATUS,
        ["P01", "closed", "2023-10-10", "2025-06-30"],
        ["P01", "closed", "2023-10-10", "2025-06-30"],  # the same problem twice
        ["P02", "reopened", "2024-08-01", "2025-06-30"],  # its closing day would be lost
        ["P05", "closed", "", "2025-06-30"],  # closed needs its 销号 day
    ]
    report = ledger_import(_term(tmp_path, "bad", problem_status=bad), actor=admin)
    assert [(e.line, e.column) for e in report.errors] == [(3, "problem_id"), (4, "status"), (5, "closed_on")]
    assert "重复" in report.errors[0].reason and "重新整改" in report.errors[1].reason

    good = [
        STATUS,
        ["P01", "已销号", "2023-10-10", "2025-06-30"],
        ["P03", "阶段目标已达成", "", "2025年6月30日"],  # dated by the sheet's day
        ["P07", "已报完成", "2024-02-01", "2025-06-30"],
        ["P11", "整改中", "", "2025-06-30"],
        ["P02", "closed", "2024-01-10", ""],  # the dated history, in the same file
        ["P02", "reopened", "2024-08-01", ""],
    ]
    report = ledger_import(_term(tmp_path, "good", problem_status=good), actor=admin)
    assert report.ok, report.errors

    def history(ref):
        return [
            (e.status, e.on.isoformat()) for e in ProblemEvent.objects.filter(problem__ref=ref).order_by("on")
        ]

    assert history("P01") == [("rectifying", "2023-06-15"), ("closed", "2023-10-10")]
    assert history("P03") == [("rectifying", "2023-06-15"), ("long_term_stage_met", "2025-06-30")]
    assert history("P07")[-1] == ("reported_done", "2024-02-01")
    assert history("P11") == [("rectifying", "2024-06-20")]
    assert history("P02")[-1] == ("reopened", "2024-08-01")
    assert Problem.objects.get(ref="P03").status == "long_term_stage_met"


def test_a_worksheet_header_is_found_under_its_title_rows_and_errors_name_the_sheets_lines(db, tmp_path):
    admin = make_user("sheet-admin", Role.ADMINISTRATOR)
    book = Workbook()
    ws = book.active
    ws.title = "党组织"  # the Chinese title of organizations.csv
    ws.append(["某区党组织名册"])
    ws.append(["（2025年9月）"])
    ws.append(["序号", "组织代码", "名称", "组织类别", "上级组织代码"])
    ws.append([1, "QX", "中共某区委员会", "区委", ""])
    ws.append([2, "S1", "某区甲街道党工委", "街道党工委", "QX"])
    ws.append([3, "S2", "某区乙街道党工委", "处级", "QX"])  # not a kind of organisation
    ws.append([None, None, None])
    book.save(tmp_path / "orgs.xlsx")
    report = ledger_import(tmp_path / "orgs.xlsx", actor=admin)
    assert [(e.file, e.line, e.column) for e in report.errors] == [("organizations.csv", 6, "kind")]
    ws.delete_rows(6)
    book.save(tmp_path / "orgs.xlsx")
    report = ledger_import(tmp_path / "orgs.xlsx", actor=admin)
    assert report.ok, report.errors
    assert dict(Organization.objects.values_list("code", "kind")) == {
        "QX": "district_committee",
        "S1": "street",
    }


CATEGORY_HEADER = ["framework", "framework_name", "level", "valid_from", "valid_to", "code", "name"]


def test_a_taxonomy_of_the_bundle_imports_with_the_problems_filed_under_it(db, tmp_path):
    admin = make_user("taxonomy-admin", Role.ADMINISTRATOR)
    own = ["QX-2023", "区委巡察问题分类", "patrol", "2023-01-01", "2024-12-31"]
    categories = [CATEGORY_HEADER, [*own, "1", "党的建设"], [*own, "1.1", "组织建设"], [*own, "2.9", "其他"]]
    header, *problems = TERM_BUNDLE["problems.csv"]
    problems = [[*p[:5], "组织建设", *p[6:]] for p in problems if p[7] < "2025"]
    report = ledger_import(
        _term(tmp_path, "bad", categories=categories, problems=[header, *problems]), actor=admin
    )
    assert _errors(report) == [("categories.csv", 4, "code", "找不到上级分类“2”。")]

    report = ledger_import(
        _term(tmp_path, "good", categories=categories[:3], problems=[header, *problems]), actor=admin
    )
    assert report.ok, report.errors
    assert report.counts["categories.csv"] == {"created": 3}  # the framework and its two categories
    assert set(Problem.objects.values_list("category__framework__code", "category__code")) == {
        ("QX-2023", "1.1")
    }
    assert Problem.objects.filter(category__parent__code="1").count() == len(problems)

    renamed = [CATEGORY_HEADER, [*own, "1", "党的建设"], [*own, "1.1", "基层组织建设"]]
    report = ledger_import(write_bundle(tmp_path / "frozen", {"categories.csv": renamed}), actor=admin)
    assert _errors(report) == [
        ("categories.csv", 3, "code", "“区委巡察问题分类”已有问题使用，不能再修改；请修订为新版本。")
    ]
    written = ledger_export(tmp_path / "out", actor=admin)
    assert written["categories.csv"] == 46 + 2
