"""cadres.csv of the ledger bundle (DESIGN.md §7): the cadres of the talent pool."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lijian.core.permissions import Perm
from lijian.documents import ledger
from lijian.orgs.ledger.bodies import org_path_for_import
from lijian.orgs.models import Organization

from ..choices import Gender, Rank
from ..models import Cadre, Skill

CADRES = "cadres.csv"


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


def _parse_cadres(ctx: ledger.ImportContext, rows, total) -> None:
    skills = {}
    for code, name in Skill.objects.values_list("code", "name"):
        skills[code] = code
        skills[name] = code
    staged: dict[str, CadreRow] = {}
    for line, (cadre_id, name, gender, year, home, rank, skill_text, in_pool), ok in rows:
        if year not in (None, ledger.INVALID) and year > 2010:
            ctx.error(CADRES, line, "birth_year", _("出生年份不合理。"))
            ok = False
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
                ok = False
                break
            codes.append(skills[part])
        if ok:
            staged[cadre_id] = CadreRow(line, cadre_id, name, gender, year, home, rank, codes, in_pool)
    ctx.staged[CADRES] = staged


def _check_cadres(ctx: ledger.ImportContext) -> None:
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


def _apply_cadres(ctx: ledger.ImportContext) -> None:
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


def _export_cadres(ctx: ledger.ExportContext):
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


ledger.register(
    ledger.LedgerFile(
        name=CADRES,
        title=gettext_lazy("人才库人员"),
        columns=[
            ledger.filled("cadre_id", "人员编号", field=Cadre.cadre_id),
            ledger.filled("name", "姓名", text=True, field=Cadre.name),
            ledger.filled("gender", "性别", choices=Gender),
            ledger.filled("birth_year", "出生年份", kind=ledger.INT, minimum=1940),
            ledger.filled("home_org_code", "所在单位代码", field=Organization.code),
            ledger.filled("rank", "职级", choices=Rank),
            ledger.Column("skills", "专长"),
            ledger.Column("in_pool", "在库", kind=ledger.BOOL, default="1"),
        ],
        unique=(ledger.Unique(("cadre_id",)),),
        order=40,
        parse=_parse_cadres,
        check=_check_cadres,
        apply=_apply_cadres,
        export=_export_cadres,
    )
)
