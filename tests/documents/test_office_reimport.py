"""An office imports its own ledger export back unchanged (guide §3: "可以原样再导入"): the reference
data the export always carries (indicators, categories, departments, supervision lines) needs no
right while it is as stored, nothing counts as created or updated and nothing is written; a row that
would change reference data is refused, saying so."""

import csv
import datetime
import zipfile

import pytest

from lijian.accounts.choices import Role
from lijian.core.models import AuditEvent
from lijian.documents.ledger.importer import ledger_export, ledger_import
from lijian.findings.models import Problem
from lijian.guidance.models import AssessmentIndicator
from lijian.inspections.models import RoundMember
from lijian.people.models import SupervisionLine
from lijian.rectification import services as rectification
from lijian.rectification.models import Accountability

from ..world import build_findings, build_rectification, build_rounds
from ..world_guidance import build_guidance

# Files that must carry rows in the office's export, or the round trip below proves nothing about them.
CARRIED = (
    "assessment_indicators.csv",
    "categories.csv",
    "departments.csv",
    "supervision_lines.csv",
    "problems.csv",
    "accountability.csv",
)


@pytest.fixture
def office_world(world):
    """The world with its rounds, findings, rectification and guidance, a supervision line, and two
    actions of accountability as offices record them: one linked to a task only, one to a problem
    without its inspection, both decided by an organ other than the office's committee."""
    rounds = build_rounds(world)
    findings = build_findings(world, rounds)
    fixed = build_rectification(world, rounds, findings)
    # The world books the same people into both rounds at once, which groups.csv (rightly) refuses.
    RoundMember.objects.filter(round__in=[fixed.inspection1.round, fixed.inspection2.round]).delete()
    build_guidance(world)
    SupervisionLine.objects.create(supervisor=world.d1, supervised=world.soe, description="组织部管理的单位")
    for name, links in (("张某", {"task": fixed.task1}), ("李某", {"problem": fixed.problem1})):
        rectification.accountability_record(
            actor=world.admin,
            body=world.body1,
            organization=fixed.inspection1.organization,
            subject_name=name,
            subject_post="街道办事处副主任",
            action="admonishment",
            reason="违规收取办事费用",
            decided_by="区纪委监委",
            decided_on=datetime.date(2024, 8, 1),
            **links,
        )
    return world


def _snapshot():
    """What an import could change in the records the test world's export carries."""
    return (
        list(AssessmentIndicator.objects.order_by("code").values()),
        list(SupervisionLine.objects.order_by("pk").values()),
        list(Problem.objects.order_by("pk").values()),
        list(Accountability.objects.order_by("pk").values()),
    )


def _rows(folder, name):
    with open(folder / name, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def _write(folder, name, rows):
    with open(folder / name, "w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)


@pytest.mark.parametrize("name", ["ledger.zip", "ledger.xlsx"])
def test_an_office_imports_its_own_export_back_as_unchanged(office_world, tmp_path, name):
    office = office_world.users[Role.OFFICE_STAFF]
    path = tmp_path / name
    written = ledger_export(path, actor=office)
    assert {file: written[file] > 0 for file in CARRIED} == dict.fromkeys(CARRIED, True)
    before = _snapshot()
    imports = AuditEvent.objects.filter(action="ledger.import").count()

    for dry_run in (True, False):
        report = ledger_import(path, actor=office, dry_run=dry_run)
        assert report.ok, report.errors
        assert set(CARRIED) <= set(report.files)
        changed = {file: counts for file, counts in report.counts.items() if any(counts.values())}
        assert changed == {}

    assert _snapshot() == before
    assert AuditEvent.objects.filter(action="ledger.import").count() == imports  # nothing to audit


def test_a_row_that_would_change_an_indicator_is_refused_to_an_office_saying_so(office_world, tmp_path):
    office = office_world.users[Role.OFFICE_STAFF]
    ledger_export(tmp_path / "out", actor=office, files=["assessment_indicators.csv"])
    header, first, *rest = _rows(tmp_path / "out", "assessment_indicators.csv")
    weight = header.index("weight")
    changed = [*first[:weight], str(int(first[weight]) + 5), *first[weight + 1 :]]
    added = ["new-indicator", "新指标", "5", "judgement", "", "1"]
    _write(tmp_path / "out", "assessment_indicators.csv", [header, changed, *rest, added])

    report = ledger_import(tmp_path / "out", actor=office)

    assert not report.ok
    refused = {(e.line, e.column): e.reason for e in report.errors}
    assert set(refused) == {(2, "weight"), (len(rest) + 3, "code")}
    assert f"“{first[0]}”" in refused[2, "weight"] and "修改参考数据" in refused[2, "weight"]
    assert "新增参考数据" in refused[len(rest) + 3, "code"]
    assert AssessmentIndicator.objects.get(code=first[0]).weight == int(first[weight])
    assert not AssessmentIndicator.objects.filter(code="new-indicator").exists()

    report = ledger_import(tmp_path / "out", actor=office_world.admin)  # the right to manage it
    assert report.ok, report.errors
    assert report.counts["assessment_indicators.csv"] == {"updated": 1, "created": 1}


def test_a_changed_supervision_line_is_refused_to_an_office(office_world, tmp_path):
    office = office_world.users[Role.OFFICE_STAFF]
    ledger_export(tmp_path / "out", actor=office, files=["supervision_lines.csv"])
    header, row = _rows(tmp_path / "out", "supervision_lines.csv")
    row[header.index("description")] = "改过的说明"
    _write(tmp_path / "out", "supervision_lines.csv", [header, row])

    report = ledger_import(tmp_path / "out", actor=office)

    assert not report.ok and [(e.line, e.column) for e in report.errors] == [(2, "supervisor_code")]
    assert SupervisionLine.objects.get().description == "组织部管理的单位"


def test_the_export_carries_what_the_office_recorded_not_what_an_import_would_derive(office_world, tmp_path):
    """The two actions keep their deciding organ and links after the round trip, and the problems
    recorded with a summary only keep an empty description."""
    office = office_world.users[Role.OFFICE_STAFF]
    ledger_export(tmp_path / "bundle.zip", actor=office)
    with zipfile.ZipFile(tmp_path / "bundle.zip") as bundle:
        assert "accountability.csv" in bundle.namelist()
    assert ledger_import(tmp_path / "bundle.zip", actor=office).ok
    actions = {a.subject_name: a for a in Accountability.objects.all()}
    assert {a.decided_by for a in actions.values()} == {"区纪委监委"}
    assert (actions["张某"].problem, actions["李某"].inspection) == (None, None)
    assert Problem.objects.filter(description="").count() == Problem.objects.count()
