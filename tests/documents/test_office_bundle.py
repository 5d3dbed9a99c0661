"""A whole term written the way offices write it — Chinese headers and labels, synonyms, full-width
digits and codes, days as 2023年10月10日 or 2023.10.10, departments by name, a post alone as responsible, one
final status per problem, in one .xlsx with a title row above each header (merged across), a two-row
header, a 序号 column, sheets named by their Chinese titles and trailing empty rows — imports into an
empty database in one step and gives the same ``lijian figures`` as the same term in codes."""

import copy
import io
import json

from django.core.management import call_command
from openpyxl import Workbook

from lijian.accounts.choices import Role
from lijian.documents.ledger.importer import ledger_import
from lijian.documents.ledger.registry import REGISTRY
from lijian.orgs.models import Organization

from ..bundles import BODY, TERM, TERM_BUNDLE, database_empty, write_bundle
from ..world import make_user

AS_OF = "2025-09-01"  # the day the office made its status sheet
WIDE = str.maketrans("0123456789", "０１２３４５６７８９")
WIDE_CODE = {c: c + 0xFEE0 for c in range(0x21, 0x7F)}  # Ｓ１ for S1


def _codes_bundle() -> dict:
    """TERM_BUNDLE with the status history the final-state sheet implies: P07's reported_done step is
    not kept (its final state is closed), P03's stage met on the sheet's day."""
    bundle = copy.deepcopy(TERM_BUNDLE)
    header, *rows = bundle["problem_status.csv"]
    rows = [r for r in rows if r[:2] != ["P07", "reported_done"]]
    rows = [[*r[:2], AS_OF] if r[0] == "P03" else r for r in rows]
    bundle["problem_status.csv"] = [header, *rows]
    return bundle


# The words the office writes instead of the codes, column by column.
WORDS = {
    ("organizations.csv", "kind"): {
        "district_committee": "区委",
        "street": "街道",
        "town": "乡镇党委",
        "community": "社区",
        "village": "村",
        "department": "部门党组",
    },
    ("bodies.csv", "level"): {"patrol": "巡察"},
    ("cadres.csv", "gender"): {"M": "男", "F": "女性"},
    ("cadres.csv", "rank"): {"division": "正处", "section": "正科级"},
    ("cadres.csv", "in_pool"): {"1": "是"},
    ("rounds.csv", "kind"): {"regular": "常规"},
    ("departments.csv", "kind"): {"discipline": "纪委"},
    ("tasks.csv", "status"): {
        "done": "已完成",
        "in_progress": "推进中",
        "planned": "未启动",
        "long_term": "长期坚持",
    },
    ("clues.csv", "status"): {"fed_back": "已反馈", "transferred": "已移交"},
    ("clues.csv", "result"): {"case_opened": "立案"},
    ("clues.csv", "department"): {"JW-QX": "纪委监委"},  # the department's kind, its name being 区纪委监委
    ("accountability.csv", "action"): {
        "admonishment": "诫勉谈话",
        "criticism_notice": "通报批评",
        "removal": "免职",
        "ordered_review": "Ordered review",  # the English label
    },
    ("petitions.csv", "channel"): {"letter": "来信", "qr": "码上巡察"},
    ("petitions.csv", "status"): {"closed": "已办结", "received": "已受理"},
}


def _office_day(day: str, n: int) -> str:
    """A day written one of the ways offices write it, in turn."""
    year, month, date = day.split("-")
    forms = [
        f"{year}年{int(month)}月{int(date)}日",
        f"{year}.{int(month)}.{int(date)}",
        day.translate(WIDE),
        f"{year}/{int(month)}/{int(date)}",
    ]
    return forms[n % len(forms)]


def _office_rows(name: str, rows: list[list[str]]) -> list[list[str]]:
    header, *body = rows
    columns = {c.key: c for c in REGISTRY[name].columns}
    out = []
    for n, row in enumerate(body):
        cells = []
        for key, cell in zip(header, row, strict=True):
            words = WORDS.get((name, key), {})
            if cell in words:
                cell = words[cell]
            elif key == "org_code" and n % 3 == 0:
                cell = cell.translate(WIDE_CODE)  # an organisation's code in full-width letters
            elif columns[key].kind == "date" and cell:
                cell = _office_day(cell, n)
            elif columns[key].kind == "int" and cell and n % 2:
                cell = cell.translate(WIDE)
            cells.append(cell)
        out.append(cells)
    if name == "tasks.csv":  # a post alone as responsible, for the tasks of one street
        at = header.index("responsible")
        for cells in out:
            if cells[at].startswith("李某/"):
                cells[at] = "街道党工委书记"
    return [[columns[k].label for k in header], *out]


def _office_status() -> list[list[str]]:
    """problem_status.csv as one final state per problem on AS_OF, except P02, reopened, which only
    the dated history can say."""
    header, *rows = TERM_BUNDLE["problem_status.csv"]
    final = {}
    for ref, status, on in rows:
        final[ref] = (status, on)
    labels = {"closed": "已销号", "rectifying": "整改中", "reported_done": "已报完成"}
    out = [["问题编号", "整改状态", "销号日期", "截至日期"]]
    for n, (ref, (status, on)) in enumerate(sorted(final.items())):
        if ref == "P02":
            out += [["P02", "已销号", "2024-01-10", ""], ["P02", "重新整改", "2024年8月1日", ""]]
        elif ref == "P03":  # the stage met: dated by the sheet's day
            out.append([ref, "阶段目标已达成", "", _office_day(AS_OF, 0)])
        else:
            out.append([ref, labels[status], _office_day(on, n) if on else "", _office_day(AS_OF, n)])
    return out


def _office_workbook(path) -> None:
    """Every file as a worksheet named by its Chinese title, a merged title row above the header,
    blank formatted rows below the data; problems.csv with a 序号 column; problem_status.csv with a
    two-row header (整改情况 over its three columns)."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in TERM_BUNDLE.items():
        ledger_file = REGISTRY[name]
        rows = _office_status() if name == "problem_status.csv" else _office_rows(name, rows)
        ws = book.create_sheet(str(ledger_file.title))
        ws.append([f"某区委巡察办{ledger_file.title}台账（截至2025年9月）"])
        width = len(rows[0]) + (1 if name == "problems.csv" else 0)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
        if name == "problem_status.csv":
            ws.append(["问题编号", "整改情况", None, None])
            ws.merge_cells("B2:D2")
            ws.merge_cells("A2:A3")
            ws.append([None, *rows[0][1:]])
        elif name == "problems.csv":
            ws.append(["序号", *rows[0]])
        else:
            ws.append(rows[0])
        for n, row in enumerate(rows[1:], start=1):
            ws.append([n, *row] if name == "problems.csv" else row)
        for _blank in range(3):
            ws.append(["", None, " "])
    book.save(path)


def _figures(date: str) -> dict:
    out = io.StringIO()
    call_command("figures", "--body", BODY, "--term", TERM, "--date", date, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_a_term_in_office_words_imports_in_one_step_and_gives_the_figures_of_the_term_in_codes(db, tmp_path):
    admin = make_user("office-admin", Role.ADMINISTRATOR)
    assert not Organization.objects.exists()
    _office_workbook(tmp_path / "某区巡察台账.xlsx")
    office = ledger_import(tmp_path / "某区巡察台账.xlsx", actor=admin)
    assert office.ok, office.errors[:20]
    assert office.counts["departments.csv"] == {"created": 1}
    assert office.counts["problems.csv"] == {"created": 16}
    by_office = [_figures("2025-06-30"), _figures("2025-12-31")]
    assert by_office[0]["problems_found"] == 16 and by_office[0]["clues_transferred"] == 2
    assert by_office[0]["organizations_below_threshold"] == 2

    database_empty()
    codes = ledger_import(write_bundle(tmp_path / "codes", _codes_bundle()), actor=admin)
    assert codes.ok, codes.errors[:20]
    assert [_figures("2025-06-30"), _figures("2025-12-31")] == by_office
