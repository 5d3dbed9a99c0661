"""bodies.csv of the ledger bundle: the inspection and patrol bodies and the committee owning each."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lijian.core.permissions import Perm
from lijian.documents import ledger

from ..choices import BodyLevel
from ..models import InspectionBody, Organization, code_validator
from .organizations import CHUNK, ORGS, OrgStage

BODIES = "bodies.csv"
# The model's rule on a code (``code_validator``): its own regex tried first, sparing every good row
# the cost of a validator call.
_code_ok = code_validator.regex.search
_POSTS = InspectionBody._meta.get_field("authorized_posts")


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


def _parse_bodies(ctx: ledger.ImportContext, rows, total) -> None:
    staged: dict[str, BodyRow] = {}
    for line, (code, name, level, owner, posts), ok in rows:
        if code and code is not ledger.INVALID and not _code_ok(code):
            ledger.validated(ctx, BODIES, line, "code", code_validator, code)
            continue
        # The model field's own validators (what the body services, the form and the API apply).
        if posts not in (None, ledger.INVALID) and not ledger.validated(
            ctx, BODIES, line, "authorized_posts", _POSTS.run_validators, posts
        ):
            continue
        if ok:
            staged[code] = BodyRow(line, code, name, level, owner, posts or 0)
    ctx.staged[BODIES] = BodyStage(staged, ctx.columns[BODIES])


def org_path_for_import(ctx: ledger.ImportContext, code: str) -> str | None:
    """The path an organisation has now, or the path of the existing ancestor a new one goes under."""
    stage: OrgStage | None = ctx.staged.get(ORGS)
    if stage is not None and code in stage.anchor:
        return stage.anchor[code]
    return Organization.objects.filter(code=code).values_list("path", flat=True).first()


def _check_bodies(ctx: ledger.ImportContext) -> None:
    stage: BodyStage = ctx.staged[BODIES]
    existing = dict(
        InspectionBody.objects.filter(code__in=list(stage.rows)).values_list("code", "owner_org__path")
    )
    for row in stage.rows.values():
        owner_path = org_path_for_import(ctx, row.owner_org_code)
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


def _apply_bodies(ctx: ledger.ImportContext) -> None:
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
        ledger.upsert(ctx, BODIES, InspectionBody, current.get(row.code), values, create={"code": row.code})
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


def _export_bodies(ctx: ledger.ExportContext):
    qs = InspectionBody.objects.filter(ctx.access.q(Perm.ORG_VIEW, "owner_org__path")).order_by("code")
    for code, name, level, owner, posts in qs.values_list(
        "code", "name", "level", "owner_org__code", "authorized_posts"
    ):
        yield [code, name, level, owner, posts]


ledger.register(
    ledger.LedgerFile(
        name=BODIES,
        title=gettext_lazy("巡视巡察机构"),
        columns=[
            ledger.filled("code", "机构代码", field=InspectionBody.code),
            ledger.filled("name", "名称", text=True, field=InspectionBody.name),
            ledger.filled("level", "类别", choices=BodyLevel),
            ledger.filled("owner_org_code", "所属党委代码", field=Organization.code),
            ledger.Column("authorized_posts", "编制数", kind=ledger.INT),
        ],
        unique=(ledger.Unique(("code",)),),
        order=20,
        parse=_parse_bodies,
        check=_check_bodies,
        apply=_apply_bodies,
        export=_export_bodies,
    )
)
