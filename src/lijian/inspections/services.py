"""Every write to groups, rounds, inspections and fieldwork records (the optimiser's writes are in
``round_staffing``). Each checks the permission, validates, writes and audits in one transaction."""

import datetime
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lijian.core.audit import audit_record, create_audited, snapshot, update_audited
from lijian.core.permissions import Perm, require
from lijian.orgs.choices import GRASSROOTS_KINDS

from .availability import member_clashes
from .choices import ONSITE_OR_LATER, STAGE_TRANSITIONS, Stage
from .models import Activity, Group, Inspection, OrgRisk, Round, RoundMember, StaffingRules
from .selectors import BODY_MANAGE, FIELDWORK_RECORD, GROUP_MANAGE, MANAGE, ROUND_MANAGE, rules_for
from .validators import (
    check_feedback_date,
    check_onsite_end,
    check_onsite_start,
    check_round_dates,
    check_round_in_term,
)

CHINESE_NUMERALS = "零一二三四五六七八九十"
ROUND_FIELDS = (
    "number",
    "kind",
    "linkage_mode",
    "upper_round",
    "start",
    "end",
    "theme",
    "clue_feedback_months",
    "rectification_report_months",
)


def chinese_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 21 -> 二十一 (enough for group and round numbers below 100)."""
    if n < 10:
        return CHINESE_NUMERALS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CHINESE_NUMERALS[tens]) + "十" + (CHINESE_NUMERALS[ones] if ones else "")


@transaction.atomic
def group_create(*, actor, body, number: int, name: str = "") -> Group:
    """Create standing group ``number`` of ``body``, named 第N巡视组 / 第N巡察组 unless ``name`` is given."""
    require(actor, Perm.ORG_MANAGE, body.owner_org.path)
    suffix = "巡视组" if body.level == "inspection" else "巡察组"
    group = Group(body=body, number=number, name=name or f"第{chinese_number(number)}{suffix}")
    create_audited(
        actor=actor,
        instance=group,
        action="group.create",
        fields=("body", "number", "name"),
        scope_path=body.owner_org.path,
    )
    return group


@transaction.atomic
def group_set_core_staff(*, actor, group: Group, cadres) -> Group:
    """The standing group's own staff, who the optimiser keeps in the group where it can."""
    GROUP_MANAGE.check(actor, group)
    before = sorted(group.core_staff.values_list("cadre_id", flat=True))
    group.core_staff.set(cadres)
    audit_record(
        actor=actor,
        action="group.core_staff",
        obj=group,
        before={"core_staff": before},
        after={"core_staff": sorted(c.cadre_id for c in cadres)},
        scope_path=group.body.owner_org.path,
    )
    return group


@transaction.atomic
def staffing_rules_update(*, actor, body, required_skills=None, **changes) -> StaffingRules:
    """Change the body's staffing rules (saving the defaults of its level first if it has none yet)."""
    BODY_MANAGE.check(actor, body)
    rules = rules_for(body)
    if rules.pk is None:
        rules.save()
    fields = [f.name for f in StaffingRules._meta.concrete_fields if f.name not in ("id", "body")]
    update_audited(
        actor=actor,
        instance=rules,
        changes=changes,
        editable=fields,
        action="rules.update",
        scope_path=rules.body.owner_org.path,
        related={"required_skills": required_skills},
    )
    return rules


@transaction.atomic
def round_create(
    *,
    actor,
    body,
    term,
    number: int,
    kind: str,
    start: datetime.date,
    end: datetime.date,
    theme: str = "",
    linkage_mode=None,
    upper_round=None,
    groups=(),
    clue_feedback_months: int = 3,
    rectification_report_months: int = 2,
) -> Round:
    """Open round ``number`` of ``body`` in ``term`` with the standing groups that take part.

    Raises ``ValidationError`` for an end before the start (``validators.check_round_dates``), a
    start outside the term (``validators.check_round_in_term``), and a group of another body."""
    BODY_MANAGE.check(actor, body)
    # Before the model's own checks: its constraint says the same without naming the field.
    check_round_dates(start, end)
    round_ = Round(
        body=body,
        term=term,
        number=number,
        kind=kind,
        start=start,
        end=end,
        theme=theme.strip(),
        linkage_mode=linkage_mode,
        upper_round=upper_round,
        clue_feedback_months=clue_feedback_months,
        rectification_report_months=rectification_report_months,
    )

    def check(round_: Round) -> None:
        _check_in_term(round_)
        _check_groups(round_, groups)

    create_audited(
        actor=actor,
        instance=round_,
        action="round.create",
        fields=ROUND_FIELDS,
        extra={"groups": [g.number for g in groups]},
        check=check,
        scope_path=body.owner_org.path,
    )
    round_.groups.set(groups)
    return round_


def _check_in_term(round_: Round) -> None:
    check_round_in_term(round_.start, round_.term.start, round_.term.end)


def _check_groups(round_: Round, groups) -> None:
    foreign = [g for g in groups if g.body_id != round_.body_id]
    if foreign:
        raise ValidationError(_("“%(group)s”不是本机构的组。") % {"group": foreign[0].name})


# What a round's office may change: everything until a group goes on site, then only what no record
# of the fieldwork depends on (the end may move, not before the work already done; the theme).
ROUND_EDITABLE = tuple(f for f in ROUND_FIELDS if f != "number")  # a round keeps its number
ROUND_EDITABLE_ON_SITE = ("end", "theme")


def round_on_site(round_: Round) -> bool:
    """Whether any inspection of the round has gone on site (or further)."""
    return (
        round_.inspections.filter(Q(onsite_start__isnull=False) | Q(stage__in=ONSITE_OR_LATER))
        .exclude(stage=Stage.WITHDRAWN)
        .exists()
    )


def round_editable_fields(round_: Round) -> tuple[str, ...]:
    """The fields ``round_update`` accepts changes of now (``groups`` included while they may change)."""
    if round_on_site(round_):
        return ROUND_EDITABLE_ON_SITE
    return (*ROUND_EDITABLE, *(() if round_.staffed_at else ("groups",)))


# The records other apps date inside a round (findings: its problems and clues), registered from their
# ``AppConfig.ready()`` since they build on this app: ``before(round_)`` answers the day of the first
# one dated before the round's start, or ``None``.
ROUND_RECORDS_BEFORE: dict[str, Callable[[Round], datetime.date | None]] = {}


def register_round_records(key: str, before: Callable[[Round], datetime.date | None]) -> None:
    ROUND_RECORDS_BEFORE[key] = before


def _check_round_dates(round_: Round, staffed: bool) -> None:
    """The round's new dates keep every record of it legal: inside the term, not ending before its
    fieldwork, not starting after a problem or clue was already found, and its staff free throughout."""
    _check_in_term(round_)
    done = [
        d
        for row in round_.inspections.values_list("onsite_start", "onsite_end")
        for d in row
        if d is not None
    ]
    if done and round_.end < max(done):
        raise ValidationError(
            {
                "end": _("结束日期不能早于本轮已有的进驻或撤离日期（%(day)s）。")
                % {"day": max(done).isoformat()}
            }
        )
    early = next((day for day in (f(round_) for f in ROUND_RECORDS_BEFORE.values()) if day), None)
    if early is not None:
        raise ValidationError(
            {
                "start": _("本轮已有 %(day)s 发现的问题或线索，开始日期不能晚于这一天。")
                % {"day": early.isoformat()}
            }
        )
    if staffed:
        clashes = member_clashes(round_, round_.start, round_.end)
        if clashes:
            raise ValidationError(
                {"start": _("编组成员在新的日期内另有安排：%(what)s。") % {"what": "；".join(clashes)}}
            )


@transaction.atomic
def round_update(*, actor, round_: Round, groups=None, **changes) -> Round:
    """Correct the round: its kind, linkage, dates, theme and deadlines, and (``groups``, a list, or
    ``None`` to leave them) its standing groups, with one audit event of the values before and after.

    Until any inspection goes on site everything may change (the groups until the staffing is
    confirmed); after that only the end date and the theme. Raises ``ValidationError`` naming what
    may no longer change, for dates that would leave a record of the round outside them (see
    ``_check_round_dates``), and ``PermissionDenied`` unless the actor manages the body's rounds."""
    ROUND_MANAGE.check(actor, round_)
    unknown = set(changes) - set(ROUND_EDITABLE)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    changes = {
        k: v for k, v in changes.items() if getattr(round_, k) != (v.strip() if isinstance(v, str) else v)
    }
    if groups is not None and {g.pk for g in groups} == set(round_.groups.values_list("pk", flat=True)):
        groups = None
    allowed = round_editable_fields(round_)
    locked = [k for k in (*changes, *(("groups",) if groups is not None else ())) if k not in allowed]
    if locked:
        names = "、".join(str(Round._meta.get_field(k).verbose_name) for k in locked)
        if round_on_site(round_):
            raise ValidationError(
                _("本轮已有对象进驻，只能修改结束日期和主题，不能再改：%(fields)s。") % {"fields": names}
            )
        raise ValidationError(_("本轮编组已确认，不能再改：%(fields)s。") % {"fields": names})
    if not changes and groups is None:
        return round_
    if groups is not None:
        _check_groups(round_, groups)
    dates_moved = bool({"start", "end"} & set(changes))
    if dates_moved:
        check_round_dates(changes.get("start", round_.start), changes.get("end", round_.end))
    return update_audited(
        actor=actor,
        instance=round_,
        changes=changes,
        editable=ROUND_EDITABLE,
        action="round.update",
        scope_path=round_.body.owner_org.path,
        check=(lambda r: _check_round_dates(r, bool(r.staffed_at))) if dates_moved else None,
        related={"groups": groups},
    )


@transaction.atomic
def round_reopen_staffing(*, actor, round_: Round, reason: str) -> Round:
    """Withdraw the confirmation of the round's staffing before any group goes on site, so that its
    targets and groups can change and the optimiser staff it again: the memberships (and the leaders'
    authorisation with them) end, each target leaves its group and goes back to planned. Moving back
    is its own transition, with a reason, audited with the memberships it ended.

    Raises ``ValidationError`` without a reason, for a round not staffed, or once a group is on site."""
    ROUND_MANAGE.check(actor, round_)
    if not reason.strip():
        raise ValidationError({"reason": _("请说明撤销编组确认的理由。")})
    if round_on_site(round_):
        raise ValidationError(_("本轮已有对象进驻，编组不能再撤销。"))
    if not round_.staffed_at:
        raise ValidationError(_("本轮编组尚未确认。"))
    members = RoundMember.objects.filter(round=round_).select_related("cadre", "group")
    before = {
        "staffed_at": round_.staffed_at.isoformat(),
        "members": [
            [m.group.number, m.cadre.cadre_id, m.role] for m in members.order_by("group__number", "pk")
        ],
    }
    members.delete()
    round_.inspections.exclude(stage=Stage.WITHDRAWN).update(
        group=None, stage=Stage.PLANNED, stage_changed_at=timezone.now()
    )
    round_.staffed_at = None
    round_.save(update_fields=["staffed_at"])
    audit_record(
        actor=actor,
        action="round.reopen_staffing",
        obj=round_,
        before=before,
        after={"staffed_at": None, "reason": reason.strip()},
        scope_path=round_.body.owner_org.path,
    )
    return round_


@transaction.atomic
def round_add_targets(*, actor, round_: Round, organizations) -> list[Inspection]:
    """Put organisations on the round's list of targets (each becomes a planned inspection).

    Raises ``ValidationError`` for an organisation outside the body's jurisdiction subtree, one
    already in the round, once a group of the round has gone on site, or when the round's staffing
    is already confirmed.
    """
    ROUND_MANAGE.check(actor, round_)
    if round_on_site(round_):
        raise ValidationError(_("本轮已有对象进驻，不能再增加对象。"))
    if round_.staffed_at:
        raise ValidationError(_("本轮编组已确认，不能再增加对象。"))
    owner = round_.body.owner_org.path
    taken = set(round_.inspections.values_list("organization_id", flat=True))
    created = []
    for org in organizations:
        if not org.path.startswith(owner) or org.path == owner:
            raise ValidationError(_("“%(org)s”不在本机构的巡视巡察范围内。") % {"org": org.name})
        if org.pk in taken:
            raise ValidationError(_("“%(org)s”已在本轮对象中。") % {"org": org.name})
        created.append(Inspection.objects.create(round=round_, organization=org))
        taken.add(org.pk)
    if created:
        audit_record(
            actor=actor,
            action="round.add_targets",
            obj=round_,
            after={"organizations": [i.organization.code for i in created]},
            scope_path=owner,
        )
    return created


@transaction.atomic
def round_remove_target(*, actor, inspection: Inspection) -> None:
    """Take a planned target off the round. Raises ``ValidationError`` once a group of the round
    has gone on site, once the staffing is confirmed, or for a target no longer planned."""
    MANAGE.check(actor, inspection)
    if round_on_site(inspection.round):
        raise ValidationError(_("本轮已有对象进驻，不能再移除对象。"))
    if inspection.stage != Stage.PLANNED or inspection.round.staffed_at:
        raise ValidationError(_("只能移除尚未确认编组、尚未开始的对象。"))
    audit_record(
        actor=actor,
        action="round.remove_target",
        obj=inspection.round,
        before={"organization": inspection.organization.code},
        scope_path=inspection.round.body.owner_org.path,
    )
    inspection.delete()


# --- stages: one service per transition -----------------------------------------------------------


def _move(actor, inspection: Inspection, target: str, action: str, **dates) -> Inspection:
    MANAGE.check(actor, inspection)
    STAGE_TRANSITIONS.check(inspection.stage, target)
    before = snapshot(inspection, ("stage", *dates))
    inspection.stage = target
    inspection.stage_changed_at = timezone.now()
    for name, value in dates.items():
        setattr(inspection, name, value)
    inspection.full_clean()
    inspection.save()
    audit_record(
        actor=actor,
        action=action,
        obj=inspection,
        before=before,
        after=snapshot(inspection, ("stage", *dates)),
        scope_path=inspection.organization.path,
    )
    return inspection


@transaction.atomic
def inspection_prepare(*, actor, inspection: Inspection) -> Inspection:
    """准备: the group is staffed and starts collecting information from partner departments."""
    if inspection.group_id is None:
        raise ValidationError(_("尚未编组，不能进入准备阶段。"))
    return _move(actor, inspection, Stage.PREPARATION, "inspection.prepare")


@transaction.atomic
def inspection_enter_site(*, actor, inspection: Inspection, on: datetime.date) -> Inspection:
    """进驻: on-site work starts on ``on`` (from this date the organisation counts as inspected).

    Raises ``ValidationError`` for a day before the round starts (``check_onsite_start``)."""
    check_onsite_start(inspection.round.start, on)
    return _move(actor, inspection, Stage.ONSITE, "inspection.enter_site", onsite_start=on)


@transaction.atomic
def inspection_leave_site(*, actor, inspection: Inspection, on: datetime.date) -> Inspection:
    """撤离, and the report is drafted. Raises ``ValidationError`` (on ``on``) for a day before the
    group went on site (``validators.check_onsite_end``)."""
    check_onsite_end(inspection.onsite_start, on, field="on")
    return _move(actor, inspection, Stage.REPORT, "inspection.leave_site", onsite_end=on)


@transaction.atomic
def inspection_feed_back(*, actor, inspection: Inspection, on: datetime.date) -> Inspection:
    """反馈: problems are pointed out to the inspected organisation on ``on``. Raises
    ``ValidationError`` (on ``on``) for a day before the group left the site
    (``validators.check_feedback_date``)."""
    check_feedback_date(inspection.onsite_end, on, field="on")
    return _move(
        actor,
        inspection,
        Stage.FEEDBACK,
        "inspection.feed_back",
        report_date=inspection.report_date or on,
        feedback_date=on,
    )


@transaction.atomic
def inspection_transfer(*, actor, inspection: Inspection) -> Inspection:
    """移交: problems and leads handed to the partner departments."""
    return _move(actor, inspection, Stage.TRANSFER, "inspection.transfer")


@transaction.atomic
def inspection_start_rectification(*, actor, inspection: Inspection) -> Inspection:
    """整改: the inspected organisation works on the problems fed back."""
    return _move(actor, inspection, Stage.RECTIFICATION, "inspection.rectify")


@transaction.atomic
def inspection_archive(*, actor, inspection: Inspection) -> Inspection:
    return _move(actor, inspection, Stage.ARCHIVED, "inspection.archive")


@transaction.atomic
def inspection_withdraw(*, actor, inspection: Inspection, reason: str) -> Inspection:
    """Take an inspection off the round before the group goes on site."""
    if not reason.strip():
        raise ValidationError(_("请说明撤销的理由。"))
    inspection = _move(actor, inspection, Stage.WITHDRAWN, "inspection.withdraw")
    audit_record(
        actor=actor,
        action="inspection.withdraw_reason",
        obj=inspection,
        after={"reason": reason.strip()},
        scope_path=inspection.organization.path,
    )
    return inspection


@transaction.atomic
def inspection_extend_to_grassroots(*, actor, inspection: Inspection, organizations) -> list[Inspection]:
    """巡镇带村、巡街带社区: the group patrolling a town or street takes its villages or communities
    along, each as an inspection of the same round and group, at the same stage and dates."""
    MANAGE.check(actor, inspection)
    if inspection.stage in (Stage.PLANNED, Stage.WITHDRAWN) or inspection.group_id is None:
        raise ValidationError(_("编组确认并进入准备阶段后，才能带上下属村（社区）。"))
    taken = set(inspection.round.inspections.values_list("organization_id", flat=True))
    rows = []
    for org in organizations:
        if org.kind not in GRASSROOTS_KINDS or not org.path.startswith(inspection.organization.path):
            raise ValidationError(_("“%(org)s”不是本对象下属的村（社区）。") % {"org": org.name})
        if org.pk not in taken:
            rows.append(
                Inspection(
                    round=inspection.round,
                    group=inspection.group,
                    organization=org,
                    stage=inspection.stage,
                    onsite_start=inspection.onsite_start,
                    onsite_end=inspection.onsite_end,
                    report_date=inspection.report_date,
                    feedback_date=inspection.feedback_date,
                )
            )
    created = Inspection.objects.bulk_create(rows)
    if created:
        audit_record(
            actor=actor,
            action="inspection.extend",
            obj=inspection,
            after={"organizations": [r.organization.code for r in rows]},
            scope_path=inspection.organization.path,
        )
    return created


# --- fieldwork and risk ---------------------------------------------------------------------------


@transaction.atomic
def activity_record(
    *, actor, inspection: Inspection, method, on: datetime.date, count: int = 1, notes: str = ""
) -> Activity:
    """Record fieldwork of the inspection (its group's members, or the office)."""
    FIELDWORK_RECORD.check(actor, inspection)
    if inspection.stage not in (Stage.PREPARATION, Stage.ONSITE, Stage.REPORT):
        raise ValidationError(_("只有准备、进驻和报告阶段可以记录了解情况。"))
    activity = Activity(
        inspection=inspection, method=method, date=on, count=count, notes=notes.strip(), recorded_by=actor
    )
    create_audited(
        actor=actor,
        instance=activity,
        action="activity.record",
        fields=("inspection", "method", "date", "count"),
        scope_path=inspection.organization.path,
    )
    return activity


def risk_scope(path: str) -> str:
    """The path on which ``Perm.ROUND_MANAGE`` sets the risk of the organisation at ``path``: its
    parent's (the body above plans it), the root's own for the root."""
    return path[:-4] or path


@transaction.atomic
def risk_set(*, actor, organization, score: int, note: str = "") -> OrgRisk:
    require(actor, Perm.ROUND_MANAGE, risk_scope(organization.path))
    risk, _created = OrgRisk.objects.get_or_create(organization=organization)
    before = snapshot(risk, ("score", "note"))
    risk.score, risk.note, risk.updated_at = score, note.strip(), timezone.now()
    risk.full_clean()
    risk.save()
    audit_record(
        actor=actor,
        action="risk.set",
        obj=risk,
        before=before,
        after=snapshot(risk, ("score", "note")),
        scope_path=organization.path,
    )
    return risk
