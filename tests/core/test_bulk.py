"""Large loads: rows written in bulk, plain indexes dropped and rebuilt, unusual text kept exactly."""

import contextlib
import csv

from django.db import connection

from lijian.core import bulk
from lijian.documents.ledger.importer import ledger_import
from lijian.orgs.models import Organization


def _index_names(table: str) -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.get_constraints(cursor, table))


def test_a_large_import_rebuilds_the_plain_indexes_and_keeps_text_exact(world, tmp_path, monkeypatch):
    monkeypatch.setattr(bulk, "REBUILD_THRESHOLD", 5)  # make a small load count as a large one
    table = Organization._meta.db_table
    before = _index_names(table)
    names = ["制表\t符", "反斜杠\\号", '引号"与,逗号', "换行\n之后", "普通名称", "空格 在中间"]
    with open(tmp_path / "organizations.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["code", "name", "kind", "parent_code", "active_from"])
        for i, name in enumerate(names):
            writer.writerow([f"BULK{i}", name, "branch", "120101001001", f"2024-01-0{i + 1}"])
    report = ledger_import(tmp_path / "organizations.csv", actor=world.admin)
    assert report.ok, report.errors
    assert _index_names(table) == before  # every index is back
    stored = dict(Organization.objects.filter(code__startswith="BULK").values_list("code", "name"))
    assert [stored[f"BULK{i}"] for i in range(len(names))] == names
    assert str(Organization.objects.get(code="BULK5").active_from) == "2024-01-06"
    assert Organization.objects.get(pk=world.v1.pk).numchild == len(names)


def test_a_failed_large_import_leaves_the_indexes_in_place(world, tmp_path, monkeypatch):
    monkeypatch.setattr(bulk, "REBUILD_THRESHOLD", 1)
    table = Organization._meta.db_table
    before = _index_names(table)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    from lijian.orgs.ledger import organizations

    monkeypatch.setattr(organizations, "_update_existing_rows", broken)
    (tmp_path / "organizations.csv").write_text("code,name,kind,parent_code\nF1,失败,branch,120101001001\n")
    with contextlib.suppress(RuntimeError):
        ledger_import(tmp_path / "organizations.csv", actor=world.admin)
    assert _index_names(table) == before
    assert not Organization.objects.filter(code="F1").exists()
