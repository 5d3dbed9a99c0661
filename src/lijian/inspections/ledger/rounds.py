"""rounds.csv of the ledger bundle (DESIGN.md §7): a round is named ``body_code:term:number``; the round
service's rules (``inspections.validators``) hold: it ends no earlier than it starts, starts within its
term, and a relay round names its upper round."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lijian.core.permissions import Perm
from lijian.documents import ledger
from lijian.orgs.models import InspectionBody, Term

from ..choices import RoundKind
from ..models import LinkageMode, Round
from ..validators import check_relay_upper, check_round_dates, check_round_in_term, check_upper_round_body

ROUNDS = "rounds.csv"


def check_body(ctx: ledger.ImportContext, file: str, line: int, code: str) -> bool:
    staged = ctx.staged.get("bodies.csv")
    if staged and code in staged.rows:
        return True
    body = InspectionBody.objects.filter(code=code).select_related("owner_org").first()
    if body is None:
        ctx.error(
            file,
            line,
            "body_code",
            _("机构代码“%(code)s”既不在 bodies.csv 中，也不在系统中。") % {"code": code},
        )
        return False
    if not ctx.access.covers(Perm.ROUND_MANAGE, body.owner_org.path):
        ctx.error(file, line, "body_code", _("该机构不在您的管理范围内。"))
        return False
    return True


def _term_dates(ctx: ledger.ImportContext, body: str, term: str) -> tuple | None:
    """(start, end) of the term as terms.csv of the bundle, else the system, has it; ``None`` when
    neither knows it."""
    row = (ctx.staged.get("terms.csv") or {}).get((body, term))
    if row is not None:
        return row.start, row.end
    return Term.objects.filter(body__code=body, name=term).values_list("start", "end").first()


# --- rounds.csv -----------------------------------------------------------------------------------


@dataclass(slots=True)
class RoundRow:
    line: int
    body: str
    term: str
    number: int
    kind: str
    linkage: str
    parent: tuple[str, str, int] | None
    start: datetime.date
    end: datetime.date
    theme: str


def _round_key(text: str) -> tuple[str, str, int] | None:
    parts = text.split(":")
    if len(parts) != 3 or not parts[2].isdecimal():
        return None
    return parts[0], parts[1], int(parts[2])


def _parse_rounds(ctx: ledger.ImportContext, rows, total) -> None:
    modes = set(LinkageMode.objects.values_list("code", flat=True))
    staged: dict[tuple, RoundRow] = {}
    for line, (body, term, number, kind, linkage, parent, start, end, theme), ok in rows:
        if linkage and linkage not in modes:
            ctx.error(
                ROUNDS,
                line,
                "linkage_mode",
                _("“%(value)s”不是有效的联动方式（可用：%(allowed)s）。")
                % {"value": linkage, "allowed": "、".join(sorted(modes))},
            )
            ok = False
        key = None
        if parent:
            key = _round_key(parent)
            if key is None:
                ctx.error(
                    ROUNDS, line, "parent_round", _("应写作 机构代码:届次:轮次，如 TJ-XSB:第十二届:3。")
                )
                ok = False
        if not ok:
            continue
        if not ledger.validated(ctx, ROUNDS, line, "end", check_round_dates, start, end):
            continue
        staged[body, term, number] = RoundRow(line, body, term, number, kind, linkage, key, start, end, theme)
    ctx.staged[ROUNDS] = staged


def round_exists(ctx: ledger.ImportContext, key: tuple[str, str, int]) -> bool:
    if key in ctx.staged.get(ROUNDS, {}):
        return True
    return Round.objects.filter(body__code=key[0], term__name=key[1], number=key[2]).exists()


def round_dates(ctx: ledger.ImportContext, key: tuple[str, str, int]):
    """(round pk or None, start, end) of a round named in the bundle or in the database, or None."""
    row = ctx.staged.get(ROUNDS, {}).get(key)
    found = Round.objects.filter(body__code=key[0], term__name=key[1], number=key[2]).first()
    if row is not None:
        return (found.pk if found else None), row.start, row.end
    return (found.pk, found.start, found.end) if found else None


def _check_rounds(ctx: ledger.ImportContext) -> None:
    for row in ctx.staged[ROUNDS].values():
        if not check_body(ctx, ROUNDS, row.line, row.body):
            continue
        term = _term_dates(ctx, row.body, row.term)
        if term is None:
            ctx.error(
                ROUNDS,
                row.line,
                "term",
                _("机构“%(body)s”没有届次“%(term)s”。") % {"body": row.body, "term": row.term},
            )
        else:  # the round service's rule
            ledger.validated(ctx, ROUNDS, row.line, "start", check_round_in_term, row.start, *term)
        # The round model's rules, in its words (a round naming itself names one of its own body).
        upper_ok = row.parent and ledger.validated(
            ctx, ROUNDS, row.line, "parent_round", check_upper_round_body, row.body, row.parent[0]
        )
        if upper_ok and not round_exists(ctx, row.parent):
            ctx.error(
                ROUNDS,
                row.line,
                "parent_round",
                _("找不到上级轮次“%(key)s”。") % {"key": ":".join(map(str, row.parent))},
            )
        ledger.validated(
            ctx, ROUNDS, row.line, "parent_round", check_relay_upper, row.linkage, bool(row.parent)
        )


def _apply_rounds(ctx: ledger.ImportContext) -> None:
    staged: dict[tuple, RoundRow] = ctx.staged[ROUNDS]
    modes = dict(LinkageMode.objects.values_list("code", "pk"))
    # Two passes: every round exists before any points at its upper round, whatever the row order
    # and however many levels the relay chain has.
    rounds = []
    for row in staged.values():
        term = Term.objects.get(body__code=row.body, name=row.term)
        values = {
            "kind": row.kind,
            "linkage_mode_id": modes.get(row.linkage),
            "start": row.start,
            "end": row.end,
            "theme": row.theme,
        }
        round_, created = Round.objects.get_or_create(
            body=term.body, term=term, number=row.number, defaults=values
        )
        changed = not created and any(getattr(round_, k) != v for k, v in values.items())
        if changed:
            Round.objects.filter(pk=round_.pk).update(**values)
        rounds.append((row, round_, created, changed))
    for row, round_, created, changed in rounds:
        parent_id = (
            Round.objects.values_list("pk", flat=True).get(
                body__code=row.parent[0], term__name=row.parent[1], number=row.parent[2]
            )
            if row.parent
            else None
        )
        if round_.upper_round_id != parent_id:
            Round.objects.filter(pk=round_.pk).update(upper_round_id=parent_id)
            changed = changed or not created
        if created or changed:
            ctx.count(ROUNDS, "created" if created else "updated")


def _export_rounds(ctx: ledger.ExportContext):
    qs = (
        Round.objects.filter(ctx.access.q(Perm.ROUND_VIEW, "body__owner_org__path"))
        .select_related("body", "term", "linkage_mode", "upper_round__body", "upper_round__term")
        .order_by("body__code", "term__start", "number")
    )
    for r in qs:
        yield [
            r.body.code,
            r.term.name,
            r.number,
            r.kind,
            r.linkage_mode.code if r.linkage_mode else "",
            r.upper_round.ledger_key if r.upper_round else "",
            ledger.iso(r.start),
            ledger.iso(r.end),
            r.theme,
        ]


ledger.register(
    ledger.LedgerFile(
        name=ROUNDS,
        title=gettext_lazy("轮次"),
        order=60,
        columns=[
            ledger.filled("body_code", "机构代码", field=InspectionBody.code),
            ledger.filled("term", "届次", field=Term.name),
            ledger.filled("number", "轮次", kind=ledger.INT, minimum=1),
            ledger.Column("kind", "类型", choices=RoundKind, default=RoundKind.REGULAR),
            ledger.Column("linkage_mode", "联动方式"),
            ledger.Column("parent_round", "上级轮次"),
            ledger.filled("start", "开始日期", kind=ledger.DATE),
            ledger.filled("end", "结束日期", kind=ledger.DATE),
            ledger.Column("theme", "主题", text=True),
        ],
        unique=(ledger.Unique(("body_code", "term", "number")),),
        parse=_parse_rounds,
        check=_check_rounds,
        apply=_apply_rounds,
        export=_export_rounds,
    )
)
