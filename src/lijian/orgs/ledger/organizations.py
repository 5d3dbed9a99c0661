"""organizations.csv of the ledger bundle (DESIGN.md §7).

New organisations are placed in the tree here (parents before children, whatever the file order) and
written in bulk (``core.bulk``), so a national tree of millions of rows imports at tens of thousands of
rows a second. Rows whose code already exists update that organisation, and move it (with its
subtree) when the parent changes. Every common row takes a fast path; any row with something to say
takes the slow path that names the line, the column and the reason.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from operator import attrgetter, itemgetter

from django.db.models import F, Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lijian.core.bulk import analyze, bulk_insert
from lijian.core.permissions import Perm, subtree_q
from lijian.documents import ledger

from ..choices import OrgKind
from ..models import PATH_STEP, InspectionBody, Organization
from ..validators import check_active_dates, check_division_code, check_not_under_itself, is_division_code

ORGS, BODIES = "organizations.csv", "bodies.csv"
ALPHABET = Organization.alphabet
BASE = len(ALPHABET)
CHUNK = 5000
has_space = re.compile(r"\s").search  # the rule of ``models.code_validator``
# The lengths the fast path checks, from the model (the slow path reads them from the columns).
CODE_LENGTH, NAME_LENGTH = (Organization._meta.get_field(name).max_length for name in ("code", "name"))


def path_step(n: int) -> str:
    """The 4-character step of the n-th child (1-based), e.g. 1 -> "0001", 36 -> "0010"."""
    if n < len(_STEPS):
        return _STEPS[n]
    return (
        ALPHABET[n // BASE**3]
        + ALPHABET[n // BASE**2 % BASE]
        + ALPHABET[n // BASE % BASE]
        + ALPHABET[n % BASE]
    )


_STEPS: list[str] = []
_STEPS.extend(path_step(n) for n in range(BASE**3))  # the first 46,656 children need no arithmetic


def step_number(step: str) -> int:
    return int(step, BASE)


@dataclass(slots=True)
class OrgRow:
    line: int
    code: str
    name: str
    kind: str
    parent_code: str
    division_code: str
    supervising_body: str
    # Dates as canonical ISO text (YYYY-MM-DD): they sort like dates and are written as they are,
    # sparing a conversion per row of a national import.
    active_from: str | None
    active_to: str | None


@dataclass
class OrgStage:
    rows: dict[str, OrgRow]
    columns: set[str]
    rejected: set[str] = field(default_factory=set)  # codes of rows refused while parsing
    existing: dict[str, dict] = field(
        default_factory=dict
    )  # code -> current values, for rows already in the DB
    known_paths: dict[str, str] = field(
        default_factory=dict
    )  # code -> path of every existing code referenced
    anchor: dict[str, str | None] = field(
        default_factory=dict
    )  # new code -> path of nearest existing ancestor


# --- reading --------------------------------------------------------------------------------------

COLUMNS = [
    # The code and the division have rules (and words) of their own, checked in the parser.
    ledger.Column("code", "组织代码", required=True),
    ledger.filled("name", "名称", text=True, field=Organization.name),
    ledger.filled("kind", "组织类别", choices=OrgKind),
    ledger.Column("parent_code", "上级组织代码"),
    ledger.Column("division_code", "行政区划代码"),
    ledger.Column("supervising_body", "巡视巡察机构代码"),
    ledger.Column("active_from", "设立日期", kind=ledger.DATE),
    ledger.Column("active_to", "撤销日期", kind=ledger.DATE),
]


def _parse_row_slowly(
    ctx: ledger.ImportContext, line: int, cells: tuple, staged: dict, read: list
) -> OrgRow | None:
    """Check one row field by field, reporting each problem; the row, or ``None`` if it is bad.
    ``read`` holds the row reader's converters of the name, kind and both dates."""
    code, name, kind, parent_code, division, body, first, last = cells
    bad = False
    if not code or len(code) > CODE_LENGTH or has_space(code):
        ctx.error(ORGS, line, "code", _("组织代码不能为空、不能含空格，最多 40 个字符。"))
        bad = True
    elif code in staged:
        ledger.report_duplicate(ctx, ORGS, line, "code", code, staged[code].line)
        bad = True
    name, kind, active_from, active_to = (
        read(ctx, ORGS, line, cell) for read, cell in zip(read, (name, kind, first, last), strict=True)
    )
    bad = bad or ledger.INVALID in (name, kind)
    if parent_code and parent_code == code:
        ctx.error(ORGS, line, "parent_code", _("上级组织不能是自己。"))
        bad = True
    # The organisation services' rules, in their words.
    if not ledger.validated(ctx, ORGS, line, "division_code", check_division_code, division):
        bad = True
    dates = (active_from, active_to)
    if ledger.INVALID in dates or not ledger.validated(
        ctx, ORGS, line, "active_to", check_active_dates, *dates
    ):
        bad = True
    if bad:
        return None
    return OrgRow(
        line,
        code,
        name,
        kind,
        parent_code,
        division,
        body,
        ledger.iso(active_from) or None,
        ledger.iso(active_to) or None,
    )


def _parse_organizations(ctx: ledger.ImportContext, rows, total) -> None:
    kinds = frozenset(OrgKind.values)
    from_iso = datetime.date.fromisoformat
    staged: dict[str, OrgRow] = {}
    rejected: set[str] = set()
    read = None
    label = _("读取 %(file)s") % {"file": ORGS}
    for n, (line, cells) in enumerate(rows):
        if not n % 50_000:
            ctx.progress(label, n, total)
        code, name, kind, parent_code, division, body, first, last = cells
        try:
            active_from = from_iso(first) if first else None
            active_to = from_iso(last) if last else None
        except ValueError:
            active_from = active_to = ledger.INVALID
        if (  # the common, faultless row
            code
            and len(code) <= CODE_LENGTH
            and not has_space(code)
            and code not in staged
            and name
            and len(name) <= NAME_LENGTH
            and kind in kinds
            and parent_code != code
            and is_division_code(division)
            and active_from is not ledger.INVALID
            and not (active_from and active_to and active_to < active_from)
        ):
            staged[code] = OrgRow(
                line,
                code,
                name,
                kind,
                parent_code,
                division,
                body,
                (first if len(first) == 10 else active_from.isoformat()) if first else None,
                (last if len(last) == 10 else active_to.isoformat()) if last else None,
            )
            continue
        if read is None:  # the row reader's checks, for the rows that miss the fast path
            read = [ledger.converter(COLUMNS[i]) for i in (1, 2, 6, 7)]
        row = _parse_row_slowly(ctx, line, cells, staged, read)
        if row is not None:
            staged[row.code] = row
        elif code:
            rejected.add(code)
    ctx.progress(label, total or len(staged), total)
    ctx.staged[ORGS] = OrgStage(staged, ctx.columns[ORGS], rejected=rejected - set(staged))


# --- checking -------------------------------------------------------------------------------------

EXISTING_FIELDS = (
    "pk",
    "code",
    "path",
    "name",
    "kind",
    "division_code",
    "supervising_body__code",
    "active_from",
    "active_to",
)


def _existing_orgs(codes) -> dict[str, dict]:
    """Current values of the organisations with these codes (chunked: SQLite limits parameters)."""
    found: dict[str, dict] = {}
    if not Organization.objects.exists():
        return found
    codes = list(codes)
    for i in range(0, len(codes), CHUNK):
        for row in Organization.objects.filter(code__in=codes[i : i + CHUNK]).values(*EXISTING_FIELDS):
            found[row["code"]] = row
    return found


def _resolve_chain(ctx: ledger.ImportContext, stage: OrgStage, code: str, anchor: dict) -> None:
    """Walk up from ``code`` through rows of this file to an existing organisation or a root, reporting
    unknown parents and cycles; record the anchor of every row on the way."""
    rows, known = stage.rows, stage.known_paths
    chain: list[str] = []
    in_chain: set[str] = set()
    current, result = code, None
    while True:
        if current in anchor:
            result = anchor[current]
            break
        chain.append(current)
        in_chain.add(current)
        parent = rows[current].parent_code
        if not parent:
            result = ""
            break
        if parent in known:
            result = known[parent]
            break
        if parent not in rows:
            message = (
                _("上级组织“%(code)s”所在的行有错误，请先改正那一行。")
                if parent in stage.rejected
                else _("上级组织代码“%(code)s”既不在本台账中，也不在系统中。")
            )
            ctx.error(ORGS, rows[current].line, "parent_code", message % {"code": parent})
            break
        if parent in in_chain:
            ctx.error(
                ORGS,
                rows[current].line,
                "parent_code",
                _("上级关系形成了循环：%(chain)s。") % {"chain": " → ".join([*chain, parent])},
            )
            break
        current = parent
    for c in chain:
        anchor[c] = result


def _check_existing_row(ctx, stage: OrgStage, row: OrgRow, old: dict, where: str, manages) -> None:
    if not manages(old["path"]):
        ctx.error(ORGS, row.line, "code", _("组织“%(code)s”不在您的管理范围内。") % {"code": row.code})
        return
    if "parent_code" not in stage.columns:
        return
    old_parent_path = old["path"][:-PATH_STEP]
    if not row.parent_code:
        if old_parent_path:
            ctx.error(ORGS, row.line, "parent_code", _("已有组织不能改为顶级组织。"))
        return
    # The rule of ``services.organization_move``, in its words.
    if not ledger.validated(ctx, ORGS, row.line, "parent_code", check_not_under_itself, old["path"], where):
        return
    if where != old_parent_path and not manages(where):
        ctx.error(ORGS, row.line, "parent_code", _("新的上级组织不在您的管理范围内。"))


def _check_organizations(ctx: ledger.ImportContext) -> None:
    stage: OrgStage = ctx.staged[ORGS]
    rows = stage.rows
    has_parents = "parent_code" in stage.columns
    existing = _existing_orgs(set(rows) | {r.parent_code for r in rows.values() if r.parent_code})
    stage.existing = {code: values for code, values in existing.items() if code in rows}
    stage.known_paths = known = {code: values["path"] for code, values in existing.items()}
    manage_roots = ctx.access.paths(Perm.ORG_MANAGE)
    is_global = "" in manage_roots

    def manages(path: str) -> bool:
        return is_global or any(path.startswith(root) for root in manage_roots)

    # Anchor: the path of the nearest existing ancestor ("" for a new root). Most rows name a parent
    # that is already known or already anchored; the rest walk their chain.
    anchor: dict[str, str | None] = {}
    for code, row in rows.items():
        if code in anchor:
            continue
        parent = row.parent_code if has_parents else ""
        if code in existing and not has_parents:
            anchor[code] = existing[code]["path"][:-PATH_STEP]
        elif not parent:
            anchor[code] = ""
        elif parent in known:
            anchor[code] = known[parent]
        elif parent in anchor:
            anchor[code] = anchor[parent]
        else:
            _resolve_chain(ctx, stage, code, anchor)

    staged_bodies = ctx.staged.get(BODIES)
    bodies_in_file = set(staged_bodies.rows) if staged_bodies else set()
    wanted_bodies = {r.supervising_body for r in rows.values() if r.supervising_body} - bodies_in_file
    known_bodies = set(InspectionBody.objects.filter(code__in=wanted_bodies).values_list("code", flat=True))
    for code, row in rows.items():
        where = anchor.get(code)
        if where is None:
            continue
        old = existing.get(code)
        if old is not None:
            _check_existing_row(ctx, stage, row, old, where, manages)
        elif not is_global:
            if not row.parent_code:
                ctx.error(ORGS, row.line, "parent_code", _("只有系统管理员可以新建顶级组织。"))
            elif not manages(where):
                ctx.error(ORGS, row.line, "parent_code", _("上级组织不在您的管理范围内。"))
        body = row.supervising_body
        if body and body not in known_bodies and body not in bodies_in_file:
            ctx.error(
                ORGS,
                row.line,
                "supervising_body",
                _("机构代码“%(code)s”既不在 bodies.csv 中，也不在系统中。") % {"code": body},
            )
    for code in stage.existing:
        anchor.pop(code, None)
    stage.anchor = anchor


# --- writing --------------------------------------------------------------------------------------


def _next_child_numbers(parent_paths) -> dict[str, int]:
    """For each existing parent path (or "" for the roots), the number its next new child gets."""
    numbers = {}
    for parent_path in parent_paths:
        qs = Organization.objects.filter(depth=len(parent_path) // PATH_STEP + 1)
        if parent_path:
            qs = qs.filter(subtree_q(parent_path))
        last = qs.aggregate(m=Max("path"))["m"]
        numbers[parent_path] = step_number(last[-PATH_STEP:]) + 1 if last else 1
    return numbers


INSERT_COLUMNS = (
    "path",
    "depth",
    "numchild",
    "code",
    "name",
    "kind",
    "division_code",
    "active_from",
    "active_to",
    "supervising_body_id",
)


def _place_new_rows(stage: OrgStage, body_ids: dict[str, int]) -> tuple[list[tuple], dict[str, int], dict]:
    """Give every new row its path, numbering each parent's new children after its existing ones.

    Returns the records to insert, in path order, how many new children each existing parent (by
    path) receives, and the path given to each new code.
    """
    rows, known = stage.rows, stage.known_paths
    new_rows = (
        [row for code, row in rows.items() if code not in stage.existing]
        if stage.existing
        else list(rows.values())
    )
    children = Counter(map(attrgetter("parent_code"), new_rows))  # "" counts the new roots
    added_under = {known[p]: n for p, n in children.items() if p in known}
    # Next child number per existing parent path ("" for the roots) and per new parent code.
    next_by_path = _next_child_numbers([*added_under, *([""] if "" in children else [])])
    next_by_code: dict[str, int] = {}
    path_of: dict[str, str] = {}
    waiting: dict[str, list[OrgRow]] = defaultdict(list)
    records: list[tuple] = []
    append = records.append
    body_id = body_ids.get
    child_count = children.get
    step = _STEPS
    big = len(_STEPS)

    def place(row: OrgRow, parent_path: str, counters: dict, key: str) -> str:
        number = counters.get(key, 1)
        counters[key] = number + 1
        path = parent_path + (step[number] if number < big else path_step(number))
        path_of[row.code] = path
        append(
            (
                path,
                len(path) // PATH_STEP,
                child_count(row.code, 0),
                row.code,
                row.name,
                row.kind,
                row.division_code,
                row.active_from,
                row.active_to,
                body_id(row.supervising_body),
            )
        )
        return path

    for row in new_rows:
        parent = row.parent_code
        if not parent:
            path = place(row, "", next_by_path, "")
        elif parent in path_of:
            path = place(row, path_of[parent], next_by_code, parent)
        elif parent in known:
            path = place(row, known[parent], next_by_path, known[parent])
        else:
            waiting[parent].append(row)  # placed right after its parent, below
            continue
        if waiting and row.code in waiting:
            pending = [(row.code, path)]
            while pending:  # rows that came before their parent in the file follow it now
                code, parent_path = pending.pop()
                for child in waiting.pop(code, ()):
                    pending.append((child.code, place(child, parent_path, next_by_code, code)))
    records.sort(key=itemgetter(0))  # indexes grow fastest in key order (linear when already sorted)
    return records, added_under, path_of


def _check_supervising_bodies(ctx: ledger.ImportContext, stage: OrgStage, path_of: dict[str, str]) -> None:
    """A body covers only organisations below the committee that owns it (see
    ``services.check_supervising_body``); checked once every new row has its place."""
    has_bodies = "supervising_body" in stage.columns
    rows = []  # (row, the body that will supervise it)
    for row in stage.rows.values():
        old = stage.existing.get(row.code)
        body = row.supervising_body if has_bodies or old is None else old["supervising_body__code"] or ""
        if body:
            rows.append((row, body))
    if not rows:
        return
    known = stage.known_paths
    owners = dict(
        InspectionBody.objects.filter(code__in={body for _row, body in rows}).values_list(
            "code", "owner_org__path"
        )
    )
    staged_bodies = ctx.staged.get(BODIES)
    if staged_bodies is not None:  # the file's owner wins over the database's
        missing = {b.owner_org_code for b in staged_bodies.rows.values()} - set(path_of) - set(known)
        db_paths = dict(Organization.objects.filter(code__in=missing).values_list("code", "path"))
        for code, body in staged_bodies.rows.items():
            owner = body.owner_org_code
            owners[code] = path_of.get(owner) or known.get(owner) or db_paths.get(owner)
    for row, body in rows:
        if "parent_code" in stage.columns or row.code not in stage.existing:
            parent = row.parent_code
            parent_path = (path_of.get(parent) or known.get(parent, "")) if parent else ""
        else:
            parent_path = stage.existing[row.code]["path"][:-PATH_STEP]
        owner_path = owners.get(body)
        if owner_path is None or not parent_path.startswith(owner_path):
            ctx.error(
                ORGS,
                row.line,
                "supervising_body",
                _("机构“%(body)s”只能负责其所属党委（党组）的下属组织。") % {"body": body},
            )


def _update_existing_rows(ctx: ledger.ImportContext, stage: OrgStage, body_ids: dict[str, int]) -> None:
    updated = moved = 0
    for code, old in stage.existing.items():
        row = stage.rows[code]
        changes = {}
        for name in ("name", "kind", "division_code", "active_from", "active_to"):
            current = old[name].isoformat() if isinstance(old[name], datetime.date) else old[name]
            if name in stage.columns and getattr(row, name) != current:
                changes[name] = getattr(row, name)
        if "supervising_body" in stage.columns and row.supervising_body != (
            old["supervising_body__code"] or ""
        ):
            changes["supervising_body_id"] = body_ids.get(row.supervising_body)
        if changes:
            Organization.objects.filter(pk=old["pk"]).update(**changes)
            updated += 1
        # Paths are compared as they were before the import, so earlier moves do not confuse this one.
        if (
            "parent_code" in stage.columns
            and row.parent_code
            and stage.known_paths.get(row.parent_code) != old["path"][:-PATH_STEP]
        ):
            target = Organization.objects.get(code=row.parent_code)
            Organization.objects.move(Organization.objects.get(pk=old["pk"]), target, "last-child")
            moved += 1
    if updated:
        ctx.count(ORGS, "updated", updated)
    if moved:
        ctx.count(ORGS, "moved", moved)


def _apply_organizations(ctx: ledger.ImportContext) -> None:
    stage: OrgStage = ctx.staged[ORGS]
    body_ids = dict(InspectionBody.objects.values_list("code", "pk"))
    records, added_under, path_of = _place_new_rows(stage, body_ids)
    _check_supervising_bodies(ctx, stage, path_of)
    if ctx.error_count:
        return
    if records:
        bulk_insert(
            Organization._meta.db_table, INSERT_COLUMNS, records, progress=ctx.progress, label=_("写入组织")
        )
        ctx.count(ORGS, "created", len(records))
    for parent_path, n in added_under.items():
        Organization.objects.filter(path=parent_path).update(numchild=F("numchild") + n)
    _update_existing_rows(ctx, stage, body_ids)
    if len(records) > 100_000:
        analyze(Organization._meta.db_table)


# --- exporting ------------------------------------------------------------------------------------


def _export_organizations(ctx: ledger.ExportContext):
    body_codes = dict(InspectionBody.objects.values_list("pk", "code"))
    qs = (
        Organization.objects.filter(ctx.access.q(Perm.ORG_VIEW, "path"))
        .order_by("path")
        .values_list(
            "path", "code", "name", "kind", "division_code", "supervising_body_id", "active_from", "active_to"
        )
    )
    # Rows arrive depth-first, so the parent of a row is the last row seen one level up, unless the
    # row is the root of the exporter's scope (its parent is then looked up once).
    chain: list[tuple[str, str]] = []  # (path, code) of the current row's ancestors
    for n, (path, code, name, kind, division, body_id, active_from, active_to) in enumerate(
        qs.iterator(chunk_size=20_000)
    ):
        parent_path = path[:-PATH_STEP]
        while chain and not path.startswith(chain[-1][0]):
            chain.pop()
        if not parent_path:
            parent_code = ""
        elif chain and chain[-1][0] == parent_path:
            parent_code = chain[-1][1]
        else:
            parent_code = (
                Organization.objects.filter(path=parent_path).values_list("code", flat=True).first() or ""
            )
        chain.append((path, code))
        if not n % 50_000:
            ctx.progress(_("导出组织"), n, None)
        yield [
            code,
            name,
            kind,
            parent_code,
            division,
            body_codes.get(body_id, ""),
            ledger.iso(active_from),
            ledger.iso(active_to),
        ]


ledger.register(
    ledger.LedgerFile(
        name=ORGS,
        title=gettext_lazy("党组织"),
        columns=COLUMNS,
        order=10,
        raw=True,  # its parser reads the common row on a fast path of its own (a national import)
        parse=_parse_organizations,
        check=_check_organizations,
        apply=_apply_organizations,
        export=_export_organizations,
    )
)
