"""rounds.csv, groups.csv and inspections.csv of the ledger bundle (DESIGN.md §7).

A round is named ``body_code:term:number``. A group row gives one round's composition of a standing
group (created when new); an inspection row places an organisation in a round with its group and the
dates that decide its stage.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lijian.core.permissions import Perm
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
from lijian.orgs.models import InspectionBody, Organization, Term
from lijian.people.models import Cadre

from .choices import MemberRole, RoundKind, Stage
from .models import Group, Inspection, LinkageMode, Round, RoundMember
from .services import check_onsite_start, chinese_number

ROUNDS, GROUPS, INSPECTIONS = "rounds.csv", "groups.csv", "inspections.csv"


def _check_body(ctx: ImportContext, file: str, line: int, code: str) -> bool:
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


def _term_known(ctx: ImportContext, body: str, term: str) -> bool:
    staged = ctx.staged.get("terms.csv") or {}
    return (body, term) in staged or Term.objects.filter(body__code=body, name=term).exists()


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


def _parse_rounds(ctx: ImportContext, rows, total) -> None:
    modes = set(LinkageMode.objects.values_list("code", flat=True))
    staged: dict[tuple, RoundRow] = {}
    for line, (body, term, number, kind, linkage, parent, start, end, theme) in rows:
        body = require_text(ctx, ROUNDS, line, "body_code", body, 40)
        term = require_text(ctx, ROUNDS, line, "term", term, 60)
        number = parse_int(ctx, ROUNDS, line, "number", number, minimum=1)
        if number is None:
            ctx.error(ROUNDS, line, "number", _("不能为空。"))
            number = INVALID
        kind = parse_choice(ctx, ROUNDS, line, "kind", kind or RoundKind.REGULAR, RoundKind)
        if linkage and linkage not in modes:
            ctx.error(
                ROUNDS,
                line,
                "linkage_mode",
                _("“%(value)s”不是有效的联动方式（可用：%(allowed)s）。")
                % {"value": linkage, "allowed": "、".join(sorted(modes))},
            )
            linkage = INVALID
        key = None
        if parent:
            key = _round_key(parent)
            if key is None:
                ctx.error(
                    ROUNDS, line, "parent_round", _("应写作 机构代码:届次:轮次，如 TJ-XSB:第十二届:3。")
                )
                key = INVALID
        start = parse_date(ctx, ROUNDS, line, "start", start)
        end = parse_date(ctx, ROUNDS, line, "end", end)
        for column, value in (("start", start), ("end", end)):
            if value is None:
                ctx.error(ROUNDS, line, column, _("不能为空。"))
        if INVALID in (body, term, number, kind, linkage, key, start, end) or start is None or end is None:
            continue
        if end < start:
            ctx.error(ROUNDS, line, "end", _("结束日期不能早于开始日期。"))
            continue
        if (body, term, number) in staged:
            ctx.error(
                ROUNDS,
                line,
                "number",
                _("这一轮重复（第 %(line)s 行已出现）。") % {"line": staged[body, term, number].line},
            )
            continue
        staged[body, term, number] = RoundRow(line, body, term, number, kind, linkage, key, start, end, theme)
    ctx.staged[ROUNDS] = staged


def _round_exists(ctx: ImportContext, key: tuple[str, str, int]) -> bool:
    if key in ctx.staged.get(ROUNDS, {}):
        return True
    return Round.objects.filter(body__code=key[0], term__name=key[1], number=key[2]).exists()


def _check_rounds(ctx: ImportContext) -> None:
    for row in ctx.staged[ROUNDS].values():
        if not _check_body(ctx, ROUNDS, row.line, row.body):
            continue
        if not _term_known(ctx, row.body, row.term):
            ctx.error(
                ROUNDS,
                row.line,
                "term",
                _("机构“%(body)s”没有届次“%(term)s”。") % {"body": row.body, "term": row.term},
            )
        if row.parent == (row.body, row.term, row.number):
            ctx.error(ROUNDS, row.line, "parent_round", _("上级轮次不能是本轮自己。"))
        elif row.parent and not _round_exists(ctx, row.parent):
            ctx.error(
                ROUNDS,
                row.line,
                "parent_round",
                _("找不到上级轮次“%(key)s”。") % {"key": ":".join(map(str, row.parent))},
            )
        if row.linkage == "relay" and not row.parent:
            ctx.error(ROUNDS, row.line, "parent_round", _("接力巡须指明接续的上级轮次。"))


def _apply_rounds(ctx: ImportContext) -> None:
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


def _export_rounds(ctx: ExportContext):
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
            iso(r.start),
            iso(r.end),
            r.theme,
        ]


register(
    LedgerFile(
        name=ROUNDS,
        title=gettext_lazy("轮次"),
        order=60,
        columns=[
            Column("body_code", "机构代码", required=True),
            Column("term", "届次", required=True),
            Column("number", "轮次", required=True),
            Column("kind", "类型", choices=RoundKind),
            Column("linkage_mode", "联动方式"),
            Column("parent_round", "上级轮次"),
            Column("start", "开始日期", required=True),
            Column("end", "结束日期", required=True),
            Column("theme", "主题", text=True),
        ],
        parse=_parse_rounds,
        check=_check_rounds,
        apply=_apply_rounds,
        export=_export_rounds,
    )
)


# --- groups.csv -----------------------------------------------------------------------------------


@dataclass(slots=True)
class GroupRow:
    line: int
    round: tuple[str, str, int]
    group_no: int
    leader: str
    deputies: list[str]
    members: list[str]


def _ids(text: str) -> list[str]:
    return [p.strip() for p in text.replace("；", ";").split(";") if p.strip()]


def _parse_groups(ctx: ImportContext, rows, total) -> None:
    staged: dict[tuple, GroupRow] = {}
    for line, (body, term, number, group_no, leader, deputies, members) in rows:
        number = parse_int(ctx, GROUPS, line, "round", number, minimum=1)
        group_no = parse_int(ctx, GROUPS, line, "group_no", group_no, minimum=1)
        leader = require_text(ctx, GROUPS, line, "leader_id", leader, 40)
        if (
            not body
            or not term
            or number in (None, INVALID)
            or group_no in (None, INVALID)
            or leader is INVALID
        ):
            if not body or not term or number is None or group_no is None:
                ctx.error(GROUPS, line, "", _("机构代码、届次、轮次和组号都不能为空。"))
            continue
        people = [leader, *_ids(deputies), *_ids(members)]
        if len(set(people)) != len(people):
            ctx.error(GROUPS, line, "member_ids", _("同一人在本组中出现了两次。"))
            continue
        key = (body, term, number, group_no)
        if key in staged:
            ctx.error(
                GROUPS,
                line,
                "group_no",
                _("本轮这个组重复（第 %(line)s 行已出现）。") % {"line": staged[key].line},
            )
            continue
        staged[key] = GroupRow(line, (body, term, number), group_no, leader, _ids(deputies), _ids(members))
    ctx.staged[GROUPS] = staged


def _check_groups(ctx: ImportContext) -> None:
    staged: dict[tuple, GroupRow] = ctx.staged[GROUPS]
    in_file = set(ctx.staged.get("cadres.csv", {}))
    wanted = {c for r in staged.values() for c in (r.leader, *r.deputies, *r.members)}
    known = set(Cadre.objects.filter(cadre_id__in=wanted).values_list("cadre_id", flat=True)) | in_file
    used: dict[tuple, dict[str, int]] = {}
    for row in staged.values():
        if not _check_body(ctx, GROUPS, row.line, row.round[0]):
            continue
        if not _round_exists(ctx, row.round):
            ctx.error(
                GROUPS, row.line, "round", _("找不到轮次“%(key)s”。") % {"key": ":".join(map(str, row.round))}
            )
        for cadre in (row.leader, *row.deputies, *row.members):
            if cadre not in known:
                ctx.error(
                    GROUPS,
                    row.line,
                    "member_ids",
                    _("人员编号“%(code)s”既不在 cadres.csv 中，也不在系统中。") % {"code": cadre},
                )
            seen = used.setdefault(row.round, {})
            if cadre in seen and seen[cadre] != row.group_no:
                ctx.error(GROUPS, row.line, "member_ids", _("“%(code)s”本轮同时在两个组。") % {"code": cadre})
            seen[cadre] = row.group_no
    _check_staffing_rules(ctx, staged)


def _round_dates(ctx: ImportContext, key: tuple[str, str, int]):
    """(round pk or None, start, end) of a round named in the bundle or in the database, or None."""
    row = ctx.staged.get(ROUNDS, {}).get(key)
    found = Round.objects.filter(body__code=key[0], term__name=key[1], number=key[2]).first()
    if row is not None:
        return (found.pk if found else None), row.start, row.end
    return (found.pk, found.start, found.end) if found else None


def _check_staffing_rules(ctx: ImportContext, staged: dict[tuple, GroupRow]) -> None:
    """The rules a hand edit keeps, for the imported compositions: nobody booked in two rounds whose
    dates overlap (in the database or elsewhere in the file) or during a declared absence, and nobody
    in the group inspecting an organisation on their own unit's line or across a line of supervision
    (or a declared conflict)."""
    from lijian.people.selectors import conflicts_between

    from .availability import Engagement, engagements, first_clash
    from .selectors import rules_for

    codes = {c for r in staged.values() for c in (r.leader, *r.deputies, *r.members)}
    cadres = {c.cadre_id: c for c in Cadre.objects.filter(cadre_id__in=codes).select_related("home_org")}
    dates = {row.round: _round_dates(ctx, row.round) for row in staged.values()}
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


def _targets_by_group(ctx: ImportContext, staged: dict[tuple, GroupRow]) -> dict[tuple, list[Organization]]:
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


def _apply_groups(ctx: ImportContext) -> None:
    staged: dict[tuple, GroupRow] = ctx.staged[GROUPS]
    cadres = dict(
        Cadre.objects.filter(
            cadre_id__in={c for r in staged.values() for c in (r.leader, *r.deputies, *r.members)}
        ).values_list("cadre_id", "pk")
    )
    for row in staged.values():
        round_ = Round.objects.select_related("body").get(
            body__code=row.round[0], term__name=row.round[1], number=row.round[2]
        )
        suffix = "巡视组" if round_.body.level == "inspection" else "巡察组"
        group, _created = Group.objects.get_or_create(
            body=round_.body,
            number=row.group_no,
            defaults={"name": f"第{chinese_number(row.group_no)}{suffix}"},
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


def _export_groups(ctx: ExportContext):
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


register(
    LedgerFile(
        name=GROUPS,
        title=gettext_lazy("编组"),
        order=70,
        columns=[
            Column("body_code", "机构代码", required=True),
            Column("term", "届次", required=True),
            Column("round", "轮次", required=True),
            Column("group_no", "组号", required=True),
            Column("leader_id", "组长编号", required=True),
            Column("deputy_ids", "副组长编号"),
            Column("member_ids", "组员编号"),
        ],
        parse=_parse_groups,
        check=_check_groups,
        apply=_apply_groups,
        export=_export_groups,
    )
)


# --- inspections.csv ------------------------------------------------------------------------------


@dataclass(slots=True)
class InspectionRow:
    line: int
    round: tuple[str, str, int]
    group_no: int | None
    org: str
    onsite_start: datetime.date | None
    onsite_end: datetime.date | None
    feedback: datetime.date | None


def stage_from_dates(group, onsite_start, onsite_end, feedback) -> str:
    if feedback:
        return Stage.FEEDBACK
    if onsite_end:
        return Stage.REPORT
    if onsite_start:
        return Stage.ONSITE
    return Stage.PREPARATION if group else Stage.PLANNED


def _parse_inspections(ctx: ImportContext, rows, total) -> None:
    staged: dict[tuple, InspectionRow] = {}
    for line, (body, term, number, group_no, org, start, end, feedback) in rows:
        number = parse_int(ctx, INSPECTIONS, line, "round", number, minimum=1)
        group_no = parse_int(ctx, INSPECTIONS, line, "group_no", group_no, minimum=1)
        org = require_text(ctx, INSPECTIONS, line, "org_code", org, 40)
        dates = [
            parse_date(ctx, INSPECTIONS, line, c, v)
            for c, v in (("onsite_start", start), ("onsite_end", end), ("feedback_date", feedback))
        ]
        if not body or not term or number is None:
            ctx.error(INSPECTIONS, line, "", _("机构代码、届次和轮次都不能为空。"))
            continue
        if INVALID in (number, group_no, org, *dates):
            continue
        start, end, feedback = dates
        order = [d for d in (start, end, feedback) if d]
        if order != sorted(order) or (end and not start) or (feedback and not end):
            ctx.error(INSPECTIONS, line, "onsite_end", _("日期应依次为进驻、撤离、反馈，且前一个不能为空。"))
            continue
        key = (body, term, number, org)
        if key in staged:
            ctx.error(
                INSPECTIONS,
                line,
                "org_code",
                _("本轮已安排该组织（第 %(line)s 行）。") % {"line": staged[key].line},
            )
            continue
        staged[key] = InspectionRow(line, (body, term, number), group_no, org, start, end, feedback)
    ctx.staged[INSPECTIONS] = staged


def _check_inspections(ctx: ImportContext) -> None:
    from lijian.orgs.ledger.bodies import org_path_for_import

    for row in ctx.staged[INSPECTIONS].values():
        if not _check_body(ctx, INSPECTIONS, row.line, row.round[0]):
            continue
        if not _round_exists(ctx, row.round):
            ctx.error(
                INSPECTIONS,
                row.line,
                "round",
                _("找不到轮次“%(key)s”。") % {"key": ":".join(map(str, row.round))},
            )
        if org_path_for_import(ctx, row.org) is None:
            ctx.error(
                INSPECTIONS,
                row.line,
                "org_code",
                _("组织代码“%(code)s”既不在 organizations.csv 中，也不在系统中。") % {"code": row.org},
            )
        if row.onsite_start and row.group_no is None:
            ctx.error(INSPECTIONS, row.line, "group_no", _("已进驻的巡视巡察须写明组号。"))
        dates = _round_dates(ctx, row.round) if row.onsite_start else None
        if dates:
            try:
                check_onsite_start(dates[1], row.onsite_start)
            except ValidationError as exc:
                ctx.error(INSPECTIONS, row.line, "onsite_start", " ".join(exc.messages))


def _apply_inspections(ctx: ImportContext) -> None:
    staged: dict[tuple, InspectionRow] = ctx.staged[INSPECTIONS]
    orgs = dict(
        Organization.objects.filter(code__in={r.org for r in staged.values()}).values_list("code", "pk")
    )
    rounds = {}
    for row in staged.values():
        if row.round not in rounds:
            rounds[row.round] = Round.objects.select_related("body").get(
                body__code=row.round[0], term__name=row.round[1], number=row.round[2]
            )
        round_ = rounds[row.round]
        group = None
        if row.group_no:
            suffix = "巡视组" if round_.body.level == "inspection" else "巡察组"
            group, _created = Group.objects.get_or_create(
                body=round_.body,
                number=row.group_no,
                defaults={"name": f"第{chinese_number(row.group_no)}{suffix}"},
            )
            round_.groups.add(group)
        values = {
            "group": group,
            "onsite_start": row.onsite_start,
            "onsite_end": row.onsite_end,
            "feedback_date": row.feedback,
            "report_date": row.feedback,
            "stage": stage_from_dates(group, row.onsite_start, row.onsite_end, row.feedback),
        }
        inspection, created = Inspection.objects.get_or_create(
            round=round_, organization_id=orgs[row.org], defaults=values
        )
        if created:
            ctx.count(INSPECTIONS, "created")
        elif any(getattr(inspection, k) != v for k, v in values.items() if k != "stage") or (
            Stage.values.index(values["stage"]) > Stage.values.index(inspection.stage)
        ):
            # A later stage reached in the ledger moves the record on; an earlier one never moves it back.
            if Stage.values.index(values["stage"]) < Stage.values.index(inspection.stage):
                values.pop("stage")
            Inspection.objects.filter(pk=inspection.pk).update(**values)
            ctx.count(INSPECTIONS, "updated")


def _export_inspections(ctx: ExportContext):
    qs = (
        Inspection.objects.filter(ctx.access.q(Perm.ROUND_VIEW, "round__body__owner_org__path"))
        .exclude(stage=Stage.WITHDRAWN)
        .select_related("round__body", "round__term", "group", "organization")
        .order_by(
            "round__body__code", "round__term__start", "round__number", "group__number", "organization__path"
        )
    )
    for i in qs.iterator(chunk_size=5000):
        yield [
            i.round.body.code,
            i.round.term.name,
            i.round.number,
            i.group.number if i.group else "",
            i.organization.code,
            iso(i.onsite_start),
            iso(i.onsite_end),
            iso(i.feedback_date),
        ]


register(
    LedgerFile(
        name=INSPECTIONS,
        title=gettext_lazy("巡视巡察"),
        order=80,
        columns=[
            Column("body_code", "机构代码", required=True),
            Column("term", "届次", required=True),
            Column("round", "轮次", required=True),
            Column("group_no", "组号"),
            Column("org_code", "被巡视巡察党组织代码", required=True),
            Column("onsite_start", "进驻日期"),
            Column("onsite_end", "撤离日期"),
            Column("feedback_date", "反馈日期"),
        ],
        parse=_parse_inspections,
        check=_check_inspections,
        apply=_apply_inspections,
        export=_export_inspections,
    )
)
