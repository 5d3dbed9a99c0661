"""groups.csv of the ledger bundle (DESIGN.md §7): a group row gives one round's composition of a
standing group (created when new). The standing groups themselves (name, 在编, own staff) are
standing_groups.csv's, which export writes for every group; a groups.csv row naming only the body and
the group number (no term, round or people), which earlier exports wrote for a group no round had
staffed yet, is still read as such a group.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lijian.core.permissions import Perm
from lijian.documents import ledger
from lijian.orgs.models import InspectionBody, Organization
from lijian.people.models import Cadre
from lijian.people.selectors import conflicts_between

from ..availability import Engagement, engagements, first_clash
from ..choices import MemberRole, Stage
from ..models import Group, Inspection, Round, RoundMember
from ..selectors import rules_for
from ..services import chinese_number
from .rounds import check_body, round_dates, round_exists

GROUPS = "groups.csv"
STANDING = "standing_groups"  # the staged groups of no round
INSPECTIONS = "inspections.csv"


@dataclass(slots=True)
class GroupRow:
    line: int
    round: tuple[str, str, int]
    group_no: int
    leader: str
    deputies: list[str]
    members: list[str]


def group_ids(text: str) -> list[str]:
    """The cadre numbers of a cell listing them separated by ``;`` (or a full-width ``；``)."""
    return [p.strip() for p in text.replace("；", ";").split(";") if p.strip()]


def _parse_groups(ctx: ledger.ImportContext, rows, total) -> None:
    staged: dict[tuple, GroupRow] = {}
    standing: dict[tuple[str, int], int] = {}  # (body, group number) -> line, of a group without a round
    for line, (body, term, number, group_no, leader, deputies, members), ok in rows:
        if ok and body and group_no is not None and not (term or number or leader or deputies or members):
            standing[body, group_no] = line
            continue
        if not body or not term or number is None or group_no is None:
            ctx.error(GROUPS, line, "", _("机构代码、届次、轮次和组号都不能为空。"))
            continue
        if not leader:
            ctx.error(GROUPS, line, "leader_id", _("不能为空。"))
            continue
        if not ok:
            continue
        people = [leader, *group_ids(deputies), *group_ids(members)]
        if len(set(people)) != len(people):
            ctx.error(GROUPS, line, "member_ids", _("同一人在本组中出现了两次。"))
            continue
        staged[body, term, number, group_no] = GroupRow(
            line, (body, term, number), group_no, leader, group_ids(deputies), group_ids(members)
        )
    ctx.staged[GROUPS] = staged
    ctx.staged[STANDING] = standing


def _check_groups(ctx: ledger.ImportContext) -> None:
    staged: dict[tuple, GroupRow] = ctx.staged[GROUPS]
    for (body, _number), line in ctx.staged[STANDING].items():
        check_body(ctx, GROUPS, line, body)
    in_file = set(ctx.staged.get("cadres.csv", {}))
    wanted = {c for r in staged.values() for c in (r.leader, *r.deputies, *r.members)}
    known = set(Cadre.objects.filter(cadre_id__in=wanted).values_list("cadre_id", flat=True)) | in_file
    used: dict[tuple, dict[str, int]] = {}
    for row in staged.values():
        if not check_body(ctx, GROUPS, row.line, row.round[0]):
            continue
        if not round_exists(ctx, row.round):
            ctx.error(
                GROUPS, row.line, "round", _("找不到轮次“%(key)s”。") % {"key": ":".join(map(str, row.round))}
            )
        for cadre in (row.leader, *row.deputies, *row.members):
            if cadre not in known:
                ctx.error(
                    GROUPS,
                    row.line,
                    "member_ids",
                    ctx.missing_reference("cadres.csv", cadre)
                    or _("人员编号“%(code)s”既不在 cadres.csv 中，也不在系统中。") % {"code": cadre},
                )
            seen = used.setdefault(row.round, {})
            if cadre in seen and seen[cadre] != row.group_no:
                ctx.error(GROUPS, row.line, "member_ids", _("“%(code)s”本轮同时在两个组。") % {"code": cadre})
            seen[cadre] = row.group_no
    _check_staffing_rules(ctx, staged)


def _check_staffing_rules(ctx: ledger.ImportContext, staged: dict[tuple, GroupRow]) -> None:
    """The rules a hand edit keeps, for the imported compositions: nobody booked in two rounds whose
    dates overlap (in the database or elsewhere in the file) or during a declared absence, and nobody
    in the group inspecting an organisation on their own unit's line or across a line of supervision
    (or a declared conflict)."""
    codes = {c for r in staged.values() for c in (r.leader, *r.deputies, *r.members)}
    cadres = {c.cadre_id: c for c in Cadre.objects.filter(cadre_id__in=codes).select_related("home_org")}
    dates = {row.round: round_dates(ctx, row.round) for row in staged.values()}
    in_file: dict[str, list[tuple[tuple, Engagement]]] = {}
    for row in staged.values():
        if dates[row.round] is None:
            continue
        _pk, start, end = dates[row.round]
        for code in (row.leader, *row.deputies, *row.members):
            label = f"{':'.join(map(str, row.round))} 第{row.group_no}组（第{row.line}行）"
            in_file.setdefault(code, []).append((row.round, Engagement(0, start, end, label)))
    targets = _targets_by_group(ctx, staged)
    for row in staged.values():
        if dates[row.round] is None:
            continue
        round_pk, start, end = dates[row.round]
        people = [cadres[c] for c in (row.leader, *row.deputies, *row.members) if c in cadres]
        busy = engagements([c.pk for c in people], start, end, exclude_round=round_pk)
        for code in (row.leader, *row.deputies, *row.members):
            elsewhere = [e for key, e in in_file.get(code, ()) if key != row.round]
            clash = busy.get(cadres[code].pk) if code in cadres else None
            clash = clash or first_clash(elsewhere, start, end)
            if clash is not None:
                ctx.error(
                    GROUPS,
                    row.line,
                    "member_ids",
                    _("“%(code)s”%(clash)s。") % {"code": code, "clash": clash.describe()},
                )
        orgs = targets.get((row.round, row.group_no), [])
        if not orgs or not people:
            continue
        body = InspectionBody.objects.filter(code=row.round[0]).first()
        years = rules_for(body).former_post_years if body else 5
        found = conflicts_between(people, orgs, cross=False, on=start, former_post_years=years)
        names = {o.pk: o.name for o in orgs}
        for cadre in people:
            for org in orgs:
                if (cadre.pk, org.pk) in found:
                    ctx.error(
                        GROUPS,
                        row.line,
                        "member_ids",
                        _("“%(code)s”与%(org)s有回避关系（%(why)s），不能在巡视巡察该单位的组。")
                        % {"code": cadre.cadre_id, "org": names[org.pk], "why": found[cadre.pk, org.pk]},
                    )


def _targets_by_group(
    ctx: ledger.ImportContext, staged: dict[tuple, GroupRow]
) -> dict[tuple, list[Organization]]:
    """The organisations each imported group inspects: its inspections in the database, as changed
    or added by inspections.csv of the same bundle."""
    wanted = {(row.round, row.group_no) for row in staged.values()}
    placed: dict[tuple, int | None] = {}  # (round key, org code) -> group number
    for round_key, group_no in wanted:
        for code, number in (
            Inspection.objects.filter(
                round__body__code=round_key[0],
                round__term__name=round_key[1],
                round__number=round_key[2],
                group__number=group_no,
            )
            .exclude(stage=Stage.WITHDRAWN)
            .values_list("organization__code", "group__number")
        ):
            placed[round_key, code] = number
    for row in ctx.staged.get(INSPECTIONS, {}).values():
        placed[row.round, row.org] = row.group_no
    orgs = {o.code: o for o in Organization.objects.filter(code__in={code for _k, code in placed})}
    targets: dict[tuple, list[Organization]] = {}
    for (round_key, code), number in placed.items():
        if (round_key, number) in wanted and code in orgs:
            targets.setdefault((round_key, number), []).append(orgs[code])
    return targets


def group_name(body: InspectionBody, number: int) -> str:
    """The name a new group gets: 第N巡视组 / 第N巡察组, as ``services.group_create`` names it."""
    return f"第{chinese_number(number)}{'巡视组' if body.level == 'inspection' else '巡察组'}"


def _apply_groups(ctx: ledger.ImportContext) -> None:
    staged: dict[tuple, GroupRow] = ctx.staged[GROUPS]
    standing = ctx.staged[STANDING]
    bodies = {b.code: b for b in InspectionBody.objects.filter(code__in={b for b, _n in standing})}
    for body, number in standing:
        _group, created = Group.objects.get_or_create(
            body=bodies[body], number=number, defaults={"name": group_name(bodies[body], number)}
        )
        if created:
            ctx.count(GROUPS, "created")
    cadres = dict(
        Cadre.objects.filter(
            cadre_id__in={c for r in staged.values() for c in (r.leader, *r.deputies, *r.members)}
        ).values_list("cadre_id", "pk")
    )
    for row in staged.values():
        round_ = Round.objects.select_related("body").get(
            body__code=row.round[0], term__name=row.round[1], number=row.round[2]
        )
        group, _created = Group.objects.get_or_create(
            body=round_.body, number=row.group_no, defaults={"name": group_name(round_.body, row.group_no)}
        )
        round_.groups.add(group)
        wanted = (
            [(row.leader, MemberRole.LEADER)]
            + [(c, MemberRole.DEPUTY) for c in row.deputies]
            + [(c, MemberRole.MEMBER) for c in row.members]
        )
        current = set(
            RoundMember.objects.filter(round=round_, group=group).values_list("cadre__cadre_id", "role")
        )
        if current == set(wanted):
            continue
        RoundMember.objects.filter(round=round_, group=group).delete()
        RoundMember.objects.filter(round=round_, cadre_id__in=[cadres[c] for c, _r in wanted]).delete()
        RoundMember.objects.bulk_create(
            [RoundMember(round=round_, group=group, cadre_id=cadres[c], role=role) for c, role in wanted]
        )
        if round_.staffed_at is None:
            Round.objects.filter(pk=round_.pk).update(staffed_at=timezone.now())
        ctx.count(GROUPS, "updated" if current else "created")


def _export_groups(ctx: ledger.ExportContext):
    members: dict[tuple[int, int], dict] = {}
    qs = (
        RoundMember.objects.filter(ctx.access.q(Perm.ROUND_VIEW, "round__body__owner_org__path"))
        .select_related("round__body", "round__term", "group", "cadre")
        .order_by(
            "round__body__code", "round__term__start", "round__number", "group__number", "cadre__cadre_id"
        )
    )
    for m in qs:
        entry = members.setdefault(
            (m.round_id, m.group_id),
            {"round": m.round, "group": m.group, "leader": "", "deputies": [], "members": []},
        )
        if m.role == MemberRole.LEADER:
            entry["leader"] = m.cadre.cadre_id
        else:
            entry["deputies" if m.role == MemberRole.DEPUTY else "members"].append(m.cadre.cadre_id)
    for e in members.values():
        r = e["round"]
        yield [
            r.body.code,
            r.term.name,
            r.number,
            e["group"].number,
            e["leader"],
            ";".join(e["deputies"]),
            ";".join(e["members"]),
        ]


ledger.register(
    ledger.LedgerFile(
        name=GROUPS,
        title=gettext_lazy("编组"),
        order=70,
        columns=[
            ledger.Column("body_code", "机构代码", required=True),
            ledger.Column("term", "届次", required=True),
            ledger.Column("round", "轮次", required=True, kind=ledger.INT, minimum=1),
            ledger.Column("group_no", "组号", required=True, kind=ledger.INT, minimum=1),
            ledger.Column("leader_id", "组长编号", required=True, field=Cadre.cadre_id),
            ledger.Column("deputy_ids", "副组长编号"),
            ledger.Column("member_ids", "组员编号"),
        ],
        unique=(ledger.Unique(("body_code", "term", "round", "group_no")),),
        parse=_parse_groups,
        check=_check_groups,
        apply=_apply_groups,
        export=_export_groups,
    )
)
