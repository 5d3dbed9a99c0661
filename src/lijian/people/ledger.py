"""cadres.csv and conflicts.csv of the ledger bundle (DESIGN.md §7)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lijian.core.permissions import Perm
from lijian.documents.ledger.registry import (
    INVALID,
    Column,
    ExportContext,
    ImportContext,
    LedgerFile,
    parse_choice,
    parse_int,
    register,
    require_text,
)
from lijian.orgs.ledger.bodies import org_path_for_import
from lijian.orgs.models import Organization

from .choices import ConflictKind, Gender, Rank
from .models import Cadre, Conflict, Skill

CADRES, CONFLICTS = "cadres.csv", "conflicts.csv"
TRUE = {"1", "true", "yes", "y", "是", "在库", "t"}
FALSE = {"0", "false", "no", "n", "否", "不在库", "f"}


@dataclass(slots=True)
class CadreRow:
    line: int
    cadre_id: str
    name: str
    gender: str
    birth_year: int
    home_org_code: str
    rank: str
    skills: list[str]
    in_pool: bool


def _parse_cadres(ctx: ImportContext, rows, total) -> None:
    skills = {}
    for code, name in Skill.objects.values_list("code", "name"):
        skills[code] = code
        skills[name] = code
    staged: dict[str, CadreRow] = {}
    for line, (cadre_id, name, gender, birth_year, home, rank, skill_text, in_pool) in rows:
        cadre_id = require_text(ctx, CADRES, line, "cadre_id", cadre_id, 40)
        name = require_text(ctx, CADRES, line, "name", name, 60)
        gender = parse_choice(ctx, CADRES, line, "gender", gender, Gender)
        year = parse_int(ctx, CADRES, line, "birth_year", birth_year, minimum=1940)
        if year is None:
            ctx.error(CADRES, line, "birth_year", _("不能为空。"))
            year = INVALID
        elif year is not INVALID and year > 2010:
            ctx.error(CADRES, line, "birth_year", _("出生年份不合理。"))
            year = INVALID
        home = require_text(ctx, CADRES, line, "home_org_code", home, 40)
        rank = parse_choice(ctx, CADRES, line, "rank", rank, Rank)
        codes = []
        for part in (p.strip() for p in skill_text.replace("；", ";").split(";")):
            if not part:
                continue
            if part not in skills:
                ctx.error(
                    CADRES,
                    line,
                    "skills",
                    _("不认识的专长“%(skill)s”（可用：%(known)s）。")
                    % {"skill": part, "known": "、".join(sorted(set(skills.values())))},
                )
                codes = INVALID
                break
            codes.append(skills[part])
        flag = in_pool.strip().lower()
        if flag and flag not in TRUE | FALSE:
            ctx.error(CADRES, line, "in_pool", _("应为 1/0 或 是/否。"))
            flag = INVALID
        if cadre_id is not INVALID and cadre_id in staged:
            ctx.error(
                CADRES,
                line,
                "cadre_id",
                _("人员编号“%(code)s”重复（第 %(line)s 行已出现）。")
                % {"code": cadre_id, "line": staged[cadre_id].line},
            )
            continue
        if INVALID in (cadre_id, name, gender, year, home, rank, codes, flag):
            continue
        staged[cadre_id] = CadreRow(line, cadre_id, name, gender, year, home, rank, codes, flag not in FALSE)
    ctx.staged[CADRES] = staged


def _check_cadres(ctx: ImportContext) -> None:
    staged: dict[str, CadreRow] = ctx.staged[CADRES]
    for row in staged.values():
        path = org_path_for_import(ctx, row.home_org_code)
        if path is None:
            ctx.error(
                CADRES,
                row.line,
                "home_org_code",
                _("组织代码“%(code)s”既不在 organizations.csv 中，也不在系统中。")
                % {"code": row.home_org_code},
            )
        elif not ctx.access.covers(Perm.POOL_MANAGE, path):
            ctx.error(CADRES, row.line, "home_org_code", _("该人员的单位不在您的管理范围内。"))


def _apply_cadres(ctx: ImportContext) -> None:
    staged: dict[str, CadreRow] = ctx.staged[CADRES]
    orgs = dict(
        Organization.objects.filter(code__in={r.home_org_code for r in staged.values()}).values_list(
            "code", "pk"
        )
    )
    skill_ids = dict(Skill.objects.values_list("code", "pk"))
    current = {
        c.cadre_id: c for c in Cadre.objects.filter(cadre_id__in=list(staged)).prefetch_related("skills")
    }
    links = []
    for row in staged.values():
        values = {
            "name": row.name,
            "gender": row.gender,
            "birth_year": row.birth_year,
            "home_org_id": orgs[row.home_org_code],
            "rank": row.rank,
            "in_pool": row.in_pool,
        }
        cadre = current.get(row.cadre_id)
        if cadre is None:
            cadre = Cadre.objects.create(cadre_id=row.cadre_id, **values)
            ctx.count(CADRES, "created")
        else:
            old_skills = sorted(s.code for s in cadre.skills.all())
            if any(getattr(cadre, k) != v for k, v in values.items()) or old_skills != sorted(row.skills):
                Cadre.objects.filter(pk=cadre.pk).update(**values)
                cadre.skills.clear()
                ctx.count(CADRES, "updated")
            else:
                continue
        links += [Cadre.skills.through(cadre_id=cadre.pk, skill_id=skill_ids[s]) for s in row.skills]
    Cadre.skills.through.objects.bulk_create(links, ignore_conflicts=True)


def _export_cadres(ctx: ExportContext):
    qs = (
        Cadre.objects.filter(ctx.access.q(Perm.POOL_VIEW, "home_org__path"))
        .select_related("home_org")
        .prefetch_related("skills")
        .order_by("cadre_id")
    )
    for c in qs.iterator(chunk_size=2000):
        yield [
            c.cadre_id,
            c.name,
            c.gender,
            c.birth_year,
            c.home_org.code,
            c.rank,
            ";".join(sorted(s.code for s in c.skills.all())),
            1 if c.in_pool else 0,
        ]


register(
    LedgerFile(
        name=CADRES,
        title=gettext_lazy("人才库人员"),
        columns=[
            Column("cadre_id", "人员编号", required=True),
            Column("name", "姓名", required=True, text=True),
            Column("gender", "性别", required=True, choices=Gender),
            Column("birth_year", "出生年份", required=True),
            Column("home_org_code", "所在单位代码", required=True),
            Column("rank", "职级", required=True, choices=Rank),
            Column("skills", "专长"),
            Column("in_pool", "在库"),
        ],
        order=40,
        parse=_parse_cadres,
        check=_check_cadres,
        apply=_apply_cadres,
        export=_export_cadres,
    )
)


# --- conflicts.csv --------------------------------------------------------------------------------


@dataclass(slots=True)
class ConflictRow:
    line: int
    cadre_id: str
    org_code: str
    kind: str


def _parse_conflicts(ctx: ImportContext, rows, total) -> None:
    staged: dict[tuple[str, str, str], ConflictRow] = {}
    for line, (cadre_id, org_code, reason) in rows:
        cadre_id = require_text(ctx, CONFLICTS, line, "cadre_id", cadre_id, 40)
        org_code = require_text(ctx, CONFLICTS, line, "org_code", org_code, 40)
        kind = parse_choice(ctx, CONFLICTS, line, "reason", reason, ConflictKind)
        if INVALID in (cadre_id, org_code, kind):
            continue
        staged.setdefault((cadre_id, org_code, kind), ConflictRow(line, cadre_id, org_code, kind))
    ctx.staged[CONFLICTS] = staged


def _check_conflicts(ctx: ImportContext) -> None:
    staged: dict[tuple, ConflictRow] = ctx.staged[CONFLICTS]
    in_file = set(ctx.staged.get(CADRES, {}))
    known = dict(
        Cadre.objects.filter(cadre_id__in={r.cadre_id for r in staged.values()}).values_list(
            "cadre_id", "home_org__path"
        )
    )
    for row in staged.values():
        if row.cadre_id not in in_file and row.cadre_id not in known:
            ctx.error(
                CONFLICTS,
                row.line,
                "cadre_id",
                _("人员编号“%(code)s”既不在 cadres.csv 中，也不在系统中。") % {"code": row.cadre_id},
            )
        elif row.cadre_id not in in_file and not ctx.access.covers(Perm.POOL_MANAGE, known[row.cadre_id]):
            # Rows of cadres.csv are checked there; a cadre already stored must be in the importer's scope.
            ctx.error(CONFLICTS, row.line, "cadre_id", _("该人员的单位不在您的管理范围内。"))
        if org_path_for_import(ctx, row.org_code) is None:
            ctx.error(
                CONFLICTS,
                row.line,
                "org_code",
                _("组织代码“%(code)s”既不在 organizations.csv 中，也不在系统中。") % {"code": row.org_code},
            )


def _apply_conflicts(ctx: ImportContext) -> None:
    staged: dict[tuple, ConflictRow] = ctx.staged[CONFLICTS]
    cadres = dict(
        Cadre.objects.filter(cadre_id__in={r.cadre_id for r in staged.values()}).values_list("cadre_id", "pk")
    )
    orgs = dict(
        Organization.objects.filter(code__in={r.org_code for r in staged.values()}).values_list("code", "pk")
    )
    existing = set(
        Conflict.objects.filter(cadre_id__in=cadres.values(), active=True).values_list(
            "cadre_id", "organization_id", "kind"
        )
    )
    new = [
        Conflict(cadre_id=cadres[r.cadre_id], organization_id=orgs[r.org_code], kind=r.kind)
        for r in staged.values()
        if (cadres[r.cadre_id], orgs[r.org_code], r.kind) not in existing
    ]
    Conflict.objects.bulk_create(new)
    if new:
        ctx.count(CONFLICTS, "created", len(new))


def _export_conflicts(ctx: ExportContext):
    qs = (
        Conflict.objects.filter(ctx.access.q(Perm.POOL_VIEW, "cadre__home_org__path"), active=True)
        .order_by("cadre__cadre_id", "organization__code")
        .values_list("cadre__cadre_id", "organization__code", "kind")
    )
    for row in qs.iterator(chunk_size=5000):
        yield list(row)


register(
    LedgerFile(
        name=CONFLICTS,
        title=gettext_lazy("回避事项"),
        columns=[
            Column("cadre_id", "人员编号", required=True),
            Column("org_code", "回避单位代码", required=True),
            Column("reason", "回避事由", required=True, choices=ConflictKind),
        ],
        order=50,
        parse=_parse_conflicts,
        check=_check_conflicts,
        apply=_apply_conflicts,
        export=_export_conflicts,
    )
)
