"""organizations.csv, bodies.csv and terms.csv of the ledger bundle (DESIGN.md §7).

New organisations are written in bulk (the tree paths are computed here, parents before children, and
the rows sent with one ``executemany`` on SQLite or ``COPY`` on PostgreSQL), so a national tree of
millions of rows imports at tens of thousands of rows per second. Existing organisations (same code)
are updated in place, and moved when their parent changes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import F, Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lijian.core.permissions import Perm, subtree_q
from lijian.documents.ledger.registry import (
    INVALID,
    Column,
    ExportContext,
    ImportContext,
    LedgerFile,
    iso,
    parse_choice,
    parse_date,
    parse_int,
    register,
    require_text,
)

from .choices import BodyLevel, OrgKind
from .models import PATH_STEP, InspectionBody, Organization, Term

ORGS, BODIES, TERMS = "organizations.csv", "bodies.csv", "terms.csv"
ALPHABET = Organization.alphabet
BASE = len(ALPHABET)
CHUNK = 5000


def path_step(n: int) -> str:
    """The 4-character step of the n-th child (1-based), e.g. 1 -> "0001", 36 -> "0010"."""
    return (
        ALPHABET[n // BASE**3]
        + ALPHABET[n // BASE**2 % BASE]
        + ALPHABET[n // BASE % BASE]
        + ALPHABET[n % BASE]
    )


def step_number(step: str) -> int:
    return int(step, BASE)


# --- organizations.csv ----------------------------------------------------------------------------


@dataclass(slots=True)
class OrgRow:
    line: int
    code: str
    name: str
    kind: str
    parent_code: str
    division_code: str
    supervising_body: str
    active_from: object
    active_to: object


@dataclass
class OrgStage:
    rows: dict[str, OrgRow]
    columns: set[str]
    existing: dict[str, dict] = field(
        default_factory=dict
    )  # code -> current values of rows already in the DB
    known_paths: dict[str, str] = field(
        default_factory=dict
    )  # code -> path, for every existing code referenced
    anchor: dict[str, str] = field(default_factory=dict)  # new code -> path of its nearest existing ancestor
    rejected: set[str] = field(default_factory=set)  # codes of rows refused while parsing


def _parse_organizations(ctx: ImportContext, rows, total) -> None:
    kinds = set(OrgKind.values)
    staged: dict[str, OrgRow] = {}
    rejected: set[str] = set()
    columns: set[str] = set()
    for n, (line, r) in enumerate(rows):
        if not columns:
            columns = set(r)
        if n % 50_000 == 0:
            ctx.progress(_("读取 %(file)s") % {"file": ORGS}, n, total)
        code, name, kind = r["code"], r["name"], r["kind"]
        bad = False
        if not code or len(code) > 40 or " " in code:
            ctx.error(ORGS, line, "code", _("组织代码不能为空、不能含空格，最多 40 个字符。"))
            bad = True
        elif code in staged:
            ctx.error(
                ORGS,
                line,
                "code",
                _("组织代码“%(code)s”重复（第 %(line)s 行已出现）。")
                % {"code": code, "line": staged[code].line},
            )
            bad = True
        if not name or len(name) > 200:
            require_text(ctx, ORGS, line, "name", name, 200)
            bad = True
        if kind not in kinds:
            kind = parse_choice(ctx, ORGS, line, "kind", kind, OrgKind)
            bad = bad or kind is INVALID
        parent_code = r.get("parent_code", "")
        if parent_code and parent_code == code:
            ctx.error(ORGS, line, "parent_code", _("上级组织不能是自己。"))
            bad = True
        division = r.get("division_code", "")
        if division and (not division.isdigit() or len(division) > 12):
            ctx.error(ORGS, line, "division_code", _("行政区划代码应为不超过 12 位的数字。"))
            bad = True
        active_from = parse_date(ctx, ORGS, line, "active_from", r.get("active_from", ""))
        active_to = parse_date(ctx, ORGS, line, "active_to", r.get("active_to", ""))
        if active_from is INVALID or active_to is INVALID:
            bad = True
        elif active_from and active_to and active_to < active_from:
            ctx.error(ORGS, line, "active_to", _("撤销日期不能早于设立日期。"))
            bad = True
        if not bad:
            staged[code] = OrgRow(
                line,
                code,
                name,
                kind,
                parent_code,
                division,
                r.get("supervising_body", ""),
                active_from,
                active_to,
            )
        elif code:
            rejected.add(code)
    ctx.progress(_("读取 %(file)s") % {"file": ORGS}, total or len(staged), total)
    ctx.staged[ORGS] = OrgStage(staged, columns, rejected=rejected - set(staged))


EXISTING_FIELDS = (
    "pk",
    "code",
    "path",
    "depth",
    "numchild",
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


def _body_codes_available(ctx: ImportContext) -> set[str]:
    staged = ctx.staged.get(BODIES)
    in_file = set(staged.rows) if staged else set()
    return in_file


def _check_organizations(ctx: ImportContext) -> None:
    stage: OrgStage = ctx.staged[ORGS]
    rows = stage.rows
    wanted = set(rows) | {r.parent_code for r in rows.values() if r.parent_code and r.parent_code not in rows}
    existing = _existing_orgs(wanted)
    stage.existing = {code: values for code, values in existing.items() if code in rows}
    stage.known_paths = {code: values["path"] for code, values in existing.items()}
    manage_roots = ctx.access.paths(Perm.ORG_MANAGE)
    is_global = "" in manage_roots

    def manages(path: str) -> bool:
        return is_global or any(path.startswith(root) for root in manage_roots)

    bodies_in_file = _body_codes_available(ctx)
    body_codes = {r.supervising_body for r in rows.values() if r.supervising_body} - bodies_in_file
    known_bodies = (
        set(InspectionBody.objects.filter(code__in=body_codes).values_list("code", flat=True))
        if body_codes
        else set()
    )

    # Resolve every row's chain of parents up to an organisation already in the database (or a root):
    # this finds unknown parents and cycles, and the existing ancestor whose manager may import it.
    has_parent_column = "parent_code" in stage.columns
    anchor: dict[str, str | None] = {}  # code -> path of nearest existing ancestor ("" = root), None = bad
    for code in rows:
        chain: list[str] = []
        in_chain: set[str] = set()
        current, result = code, None
        while True:
            if current in anchor:
                result = anchor[current]
                break
            chain.append(current)
            in_chain.add(current)
            if current in existing and not has_parent_column:
                result = existing[current]["path"][:-PATH_STEP]
                break
            parent = rows[current].parent_code if has_parent_column else ""
            if not parent:
                result = ""
                break
            if parent in existing:
                result = existing[parent]["path"]
                break
            if parent not in rows:
                if parent in stage.rejected:
                    message = _("上级组织“%(code)s”所在的行有错误，请先改正那一行。")
                else:
                    message = _("上级组织代码“%(code)s”既不在本台账中，也不在系统中。")
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

    for code, row in rows.items():
        where = anchor.get(code)
        if where is None:
            continue
        old = existing.get(code)
        if old is not None:
            if not manages(old["path"]):
                ctx.error(ORGS, row.line, "code", _("组织“%(code)s”不在您的管理范围内。") % {"code": code})
                continue
            if "parent_code" in stage.columns:
                old_parent_path = old["path"][:-PATH_STEP]
                if not row.parent_code and old_parent_path:
                    ctx.error(ORGS, row.line, "parent_code", _("已有组织不能改为顶级组织。"))
                    continue
                if where.startswith(old["path"]) and row.parent_code:
                    ctx.error(ORGS, row.line, "parent_code", _("不能把组织移到它自己的下级组织之下。"))
                    continue
                if where != old_parent_path and not manages(where):
                    ctx.error(ORGS, row.line, "parent_code", _("新的上级组织不在您的管理范围内。"))
                    continue
        elif where == "" and not row.parent_code:
            if not is_global:
                ctx.error(ORGS, row.line, "parent_code", _("只有系统管理员可以新建顶级组织。"))
        elif not manages(where):
            ctx.error(ORGS, row.line, "parent_code", _("上级组织不在您的管理范围内。"))
        if (
            row.supervising_body
            and row.supervising_body not in known_bodies
            and row.supervising_body not in bodies_in_file
        ):
            ctx.error(
                ORGS,
                row.line,
                "supervising_body",
                _("机构代码“%(code)s”既不在 bodies.csv 中，也不在系统中。") % {"code": row.supervising_body},
            )
    stage.anchor = {code: path for code, path in anchor.items() if path is not None and code not in existing}


def _next_child_numbers(parent_paths: set[str]) -> dict[str, int]:
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


def _bulk_insert(ctx: ImportContext, records: list[tuple]) -> None:
    table = Organization._meta.db_table
    columns = ", ".join(INSERT_COLUMNS)
    total = len(records)
    label = _("写入组织")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # psycopg 3: COPY is several times faster than INSERT
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for i, record in enumerate(records):
                    copy.write_row(record)
                    if i % 50_000 == 0:
                        ctx.progress(label, i, total)
        else:
            sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(INSERT_COLUMNS))})"
            for i in range(0, total, 50_000):
                cursor.executemany(sql, records[i : i + 50_000])
                ctx.progress(label, i, total)
    ctx.progress(label, total, total)


def _apply_organizations(ctx: ImportContext) -> None:
    stage: OrgStage = ctx.staged[ORGS]
    rows, existing = stage.rows, stage.existing
    body_ids = dict(InspectionBody.objects.values_list("code", "pk"))

    # New rows, placed depth-first so parents precede children and rows arrive in path order.
    new_codes = [code for code in rows if code not in existing]
    children: dict[str, list[str]] = defaultdict(list)  # parent code ("" for roots) -> new child codes
    under_existing: dict[str, list[str]] = defaultdict(list)  # existing parent path -> new child codes
    for code in new_codes:
        parent = rows[code].parent_code
        if parent and parent in rows and parent not in existing:
            children[parent].append(code)
        else:
            under_existing[existing[parent]["path"] if parent in existing else stage.anchor[code]].append(
                code
            )
    numbers = _next_child_numbers(set(under_existing))
    records: list[tuple] = []

    def place(code: str, path: str) -> None:
        stack = [(code, path)]
        while stack:
            code, path = stack.pop()
            row = rows[code]
            kids = children.get(code, ())
            records.append(
                (
                    path,
                    len(path) // PATH_STEP,
                    len(kids),
                    code,
                    row.name,
                    row.kind,
                    row.division_code,
                    row.active_from,
                    row.active_to,
                    body_ids.get(row.supervising_body),
                )
            )
            stack.extend((kid, path + path_step(n)) for n, kid in reversed(list(enumerate(kids, start=1))))

    for parent_path in sorted(under_existing):
        first = numbers[parent_path]
        for offset, code in enumerate(under_existing[parent_path]):
            place(code, parent_path + path_step(first + offset))
    if records:
        _bulk_insert(ctx, records)
        ctx.count(ORGS, "created", len(records))
    for parent_path, codes in under_existing.items():
        if parent_path:
            Organization.objects.filter(path=parent_path).update(numchild=F("numchild") + len(codes))

    # Rows already in the database: update what changed, move what has a new parent.
    updated = moved = 0
    for code, old in existing.items():
        row = rows[code]
        changes = {}
        for name in ("name", "kind", "division_code", "active_from", "active_to"):
            if name in stage.columns:
                value = getattr(row, name)
                if value != old[name]:
                    changes[name] = value
        if "supervising_body" in stage.columns and row.supervising_body != (
            old["supervising_body__code"] or ""
        ):
            changes["supervising_body_id"] = body_ids.get(row.supervising_body)
        if changes:
            Organization.objects.filter(pk=old["pk"]).update(**changes)
            updated += 1
        # A parent new in this import holds no existing row yet, so a row naming it must move.
        if (
            "parent_code" in stage.columns
            and row.parent_code
            and stage.known_paths.get(row.parent_code) != old["path"][:-PATH_STEP]
        ):
            target = Organization.objects.get(code=row.parent_code)
            node = Organization.objects.get(pk=old["pk"])
            Organization.objects.move(node, target, "last-child")
            moved += 1
    if updated:
        ctx.count(ORGS, "updated", updated)
    if moved:
        ctx.count(ORGS, "moved", moved)
    if connection.vendor == "postgresql" and len(records) > 100_000:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Organization._meta.db_table}")


def _export_organizations(ctx: ExportContext):
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
        if n % 50_000 == 0:
            ctx.progress(_("导出组织"), n, None)
        yield [
            code,
            name,
            kind,
            parent_code,
            division,
            body_codes.get(body_id, ""),
            iso(active_from),
            iso(active_to),
        ]


register(
    LedgerFile(
        name=ORGS,
        title=gettext_lazy("党组织"),
        columns=[
            Column("code", "组织代码", required=True),
            Column("name", "名称", required=True),
            Column("kind", "组织类别", required=True),
            Column("parent_code", "上级组织代码"),
            Column("division_code", "行政区划代码"),
            Column("supervising_body", "巡视巡察机构代码"),
            Column("active_from", "设立日期"),
            Column("active_to", "撤销日期"),
        ],
        order=10,
        parse=_parse_organizations,
        check=_check_organizations,
        apply=_apply_organizations,
        export=_export_organizations,
    )
)


# --- bodies.csv -----------------------------------------------------------------------------------


@dataclass(slots=True)
class BodyRow:
    line: int
    code: str
    name: str
    level: str
    owner_org_code: str
    authorized_posts: int


@dataclass
class BodyStage:
    rows: dict[str, BodyRow]
    columns: set[str]


def _parse_bodies(ctx: ImportContext, rows, total) -> None:
    staged: dict[str, BodyRow] = {}
    columns: set[str] = set()
    for line, r in rows:
        columns = columns or set(r)
        code = require_text(ctx, BODIES, line, "code", r["code"], 40)
        name = require_text(ctx, BODIES, line, "name", r["name"], 200)
        level = parse_choice(ctx, BODIES, line, "level", r["level"], BodyLevel)
        owner = require_text(ctx, BODIES, line, "owner_org_code", r["owner_org_code"], 40)
        posts = parse_int(ctx, BODIES, line, "authorized_posts", r.get("authorized_posts", ""))
        if code is not INVALID and code in staged:
            ctx.error(
                BODIES,
                line,
                "code",
                _("机构代码“%(code)s”重复（第 %(line)s 行已出现）。")
                % {"code": code, "line": staged[code].line},
            )
            continue
        if INVALID in (code, name, level, owner, posts):
            continue
        staged[code] = BodyRow(line, code, name, level, owner, posts or 0)
    ctx.staged[BODIES] = BodyStage(staged, columns)


def _org_path_for_import(ctx: ImportContext, code: str) -> str | None:
    """The path an organisation has now, or the path of the existing ancestor a new one goes under."""
    stage: OrgStage | None = ctx.staged.get(ORGS)
    if stage is not None and code in stage.anchor:
        return stage.anchor[code]
    return Organization.objects.filter(code=code).values_list("path", flat=True).first()


def _check_bodies(ctx: ImportContext) -> None:
    stage: BodyStage = ctx.staged[BODIES]
    existing = dict(
        InspectionBody.objects.filter(code__in=list(stage.rows)).values_list("code", "owner_org__path")
    )
    for row in stage.rows.values():
        owner_path = _org_path_for_import(ctx, row.owner_org_code)
        if owner_path is None:
            ctx.error(
                BODIES,
                row.line,
                "owner_org_code",
                _("组织代码“%(code)s”既不在 organizations.csv 中，也不在系统中。")
                % {"code": row.owner_org_code},
            )
            continue
        for path in {owner_path, existing.get(row.code, owner_path)}:
            if not ctx.access.covers(Perm.ORG_MANAGE, path) and not (
                path == "" and ctx.access.is_global(Perm.ORG_MANAGE)
            ):
                ctx.error(BODIES, row.line, "owner_org_code", _("该机构不在您的管理范围内。"))
                break


def _apply_bodies(ctx: ImportContext) -> None:
    stage: BodyStage = ctx.staged[BODIES]
    org_ids = dict(
        Organization.objects.filter(code__in={r.owner_org_code for r in stage.rows.values()}).values_list(
            "code", "pk"
        )
    )
    current = {b.code: b for b in InspectionBody.objects.filter(code__in=list(stage.rows))}
    for row in stage.rows.values():
        values = {"name": row.name, "level": row.level, "owner_org_id": org_ids[row.owner_org_code]}
        if "authorized_posts" in stage.columns:
            values["authorized_posts"] = row.authorized_posts
        body = current.get(row.code)
        if body is None:
            InspectionBody.objects.create(code=row.code, **values)
            ctx.count(BODIES, "created")
        elif any(getattr(body, k) != v for k, v in values.items()):
            InspectionBody.objects.filter(pk=body.pk).update(**values)
            ctx.count(BODIES, "updated")
    # Organisations naming a body that did not exist when they were written get it now.
    orgs: OrgStage | None = ctx.staged.get(ORGS)
    if orgs is not None:
        pending = defaultdict(list)
        for code, row in orgs.rows.items():
            if row.supervising_body in stage.rows and row.supervising_body not in current:
                pending[row.supervising_body].append(code)
        body_ids = dict(InspectionBody.objects.filter(code__in=list(pending)).values_list("code", "pk"))
        for body_code, codes in pending.items():
            for i in range(0, len(codes), CHUNK):
                Organization.objects.filter(code__in=codes[i : i + CHUNK]).update(
                    supervising_body_id=body_ids[body_code]
                )


def _export_bodies(ctx: ExportContext):
    qs = InspectionBody.objects.filter(ctx.access.q(Perm.ORG_VIEW, "owner_org__path")).order_by("code")
    for code, name, level, owner, posts in qs.values_list(
        "code", "name", "level", "owner_org__code", "authorized_posts"
    ):
        yield [code, name, level, owner, posts]


register(
    LedgerFile(
        name=BODIES,
        title=gettext_lazy("巡视巡察机构"),
        columns=[
            Column("code", "机构代码", required=True),
            Column("name", "名称", required=True),
            Column("level", "类别", required=True),
            Column("owner_org_code", "所属党委代码", required=True),
            Column("authorized_posts", "编制数"),
        ],
        order=20,
        parse=_parse_bodies,
        check=_check_bodies,
        apply=_apply_bodies,
        export=_export_bodies,
    )
)


# --- terms.csv ------------------------------------------------------------------------------------


@dataclass(slots=True)
class TermRow:
    line: int
    body_code: str
    name: str
    start: object
    end: object


def _parse_terms(ctx: ImportContext, rows, total) -> None:
    staged: dict[tuple[str, str], TermRow] = {}
    for line, r in rows:
        body = require_text(ctx, TERMS, line, "body_code", r["body_code"], 40)
        name = require_text(ctx, TERMS, line, "name", r["name"], 60)
        start = parse_date(ctx, TERMS, line, "start", r["start"])
        end = parse_date(ctx, TERMS, line, "end", r["end"])
        if start is None:
            ctx.error(TERMS, line, "start", _("不能为空。"))
        if end is None:
            ctx.error(TERMS, line, "end", _("不能为空。"))
        if INVALID in (body, name, start, end) or start is None or end is None:
            continue
        if end <= start:
            ctx.error(TERMS, line, "end", _("结束日期应晚于开始日期。"))
            continue
        if (body, name) in staged:
            ctx.error(
                TERMS,
                line,
                "name",
                _("同一机构的届次“%(name)s”重复（第 %(line)s 行已出现）。")
                % {"name": name, "line": staged[(body, name)].line},
            )
            continue
        staged[(body, name)] = TermRow(line, body, name, start, end)
    ctx.staged[TERMS] = staged


def _check_terms(ctx: ImportContext) -> None:
    staged: dict[tuple[str, str], TermRow] = ctx.staged[TERMS]
    body_codes = {row.body_code for row in staged.values()}
    bodies_in_file: BodyStage | None = ctx.staged.get(BODIES)
    db_bodies = dict(
        InspectionBody.objects.filter(code__in=body_codes).values_list("code", "owner_org__path")
    )
    spans: dict[str, list[tuple]] = defaultdict(list)  # body -> (start, end, name, line)
    for body, name, start, end in Term.objects.filter(body__code__in=body_codes).values_list(
        "body__code", "name", "start", "end"
    ):
        if (body, name) not in staged:
            spans[body].append((start, end, name, 0))
    for row in staged.values():
        if row.body_code in db_bodies:
            owner_path = db_bodies[row.body_code]
        elif bodies_in_file and row.body_code in bodies_in_file.rows:
            owner_path = _org_path_for_import(ctx, bodies_in_file.rows[row.body_code].owner_org_code)
        else:
            ctx.error(
                TERMS,
                row.line,
                "body_code",
                _("机构代码“%(code)s”既不在 bodies.csv 中，也不在系统中。") % {"code": row.body_code},
            )
            continue
        if owner_path is not None and not ctx.access.covers(Perm.ORG_MANAGE, owner_path):
            ctx.error(TERMS, row.line, "body_code", _("该机构不在您的管理范围内。"))
            continue
        spans[row.body_code].append((row.start, row.end, row.name, row.line))
    for items in spans.values():
        items.sort()
        latest = items[0]  # the term reaching furthest so far
        for item in items[1:]:
            start, end, name, line = item
            if start <= latest[1]:
                ctx.error(
                    TERMS,
                    line or latest[3],
                    "start",
                    _("届次“%(a)s”与“%(b)s”时间重叠。") % {"a": name, "b": latest[2]},
                )
            if end > latest[1]:
                latest = item


def _apply_terms(ctx: ImportContext) -> None:
    staged: dict[tuple[str, str], TermRow] = ctx.staged[TERMS]
    body_ids = dict(
        InspectionBody.objects.filter(code__in={r.body_code for r in staged.values()}).values_list(
            "code", "pk"
        )
    )
    current = {
        (t.body.code, t.name): t
        for t in Term.objects.filter(body_id__in=body_ids.values()).select_related("body")
    }
    for key, row in staged.items():
        term = current.get(key)
        if term is None:
            Term.objects.create(body_id=body_ids[row.body_code], name=row.name, start=row.start, end=row.end)
            ctx.count(TERMS, "created")
        elif (term.start, term.end) != (row.start, row.end):
            Term.objects.filter(pk=term.pk).update(start=row.start, end=row.end)
            ctx.count(TERMS, "updated")


def _export_terms(ctx: ExportContext):
    qs = Term.objects.filter(ctx.access.q(Perm.ORG_VIEW, "body__owner_org__path")).order_by(
        "body__code", "start"
    )
    for body, name, start, end in qs.values_list("body__code", "name", "start", "end"):
        yield [body, name, iso(start), iso(end)]


register(
    LedgerFile(
        name=TERMS,
        title=gettext_lazy("届次"),
        columns=[
            Column("body_code", "机构代码", required=True),
            Column("name", "届次", required=True),
            Column("start", "开始日期", required=True),
            Column("end", "结束日期", required=True),
        ],
        order=30,
        parse=_parse_terms,
        check=_check_terms,
        apply=_apply_terms,
        export=_export_terms,
    )
)
