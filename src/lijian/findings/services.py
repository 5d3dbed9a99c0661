"""Every write to problems, clues, departments and the taxonomy.

Each service checks the actor's right over the record (through ``selectors``), the transition
table, validates, writes and audits in one transaction; forbidden moves raise ``ValidationError``
with a Chinese message, missing rights ``PermissionDenied``.
"""

from __future__ import annotations

import datetime
import os
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from lijian.accounts.choices import Role
from lijian.accounts.models import RoleAssignment
from lijian.core.audit import audit_record, create_audited, move_audited, snapshot, update_audited
from lijian.core.paths import PATH_STEP
from lijian.core.permissions import Perm, require
from lijian.documents import attachments
from lijian.inspections.choices import Stage

from . import handovers, selectors
from .choices import (
    CLUE_TRANSITIONS,
    REVIEW_TRANSITIONS,
    ClueStatus,
    Review,
)
from .models import Category, Clue, Department, Framework, Problem
from .validators import (
    FINDING_STAGES,
    check_clue_due_on,
    check_clue_fed_back_on,
    check_clue_transferred_on,
    check_inspection_found_on,
    problem_stage_refusal,
)

PROBLEM_FIELDS = (
    "category",
    "summary",
    "description",
    "people",
    "matters",
    "causes",
    "systems",
    "close_attention",
    "rectify_at_once",
    "found_on",
)
CLUE_STAGES = frozenset({Stage.ONSITE, Stage.REPORT, Stage.FEEDBACK, Stage.TRANSFER})


def _scope(inspection) -> str:
    return inspection.organization.path


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, or the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def day_start(day: datetime.date) -> datetime.datetime:
    """The first moment of ``day`` in the local time zone (a record's time when only its day is known)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def clue_recorded_on(clue: Clue) -> datetime.date:
    """The clue's own date: the local day it was recorded, the year its number carries."""
    return timezone.localtime(clue.recorded_at).date()


def _next_ref(model, prefix: str) -> str:
    """``prefix`` + a number one past the highest used with that prefix (P2026-000123)."""
    last = model.objects.filter(ref__startswith=prefix).aggregate(m=Max("ref"))["m"]
    number = int(last[len(prefix) :]) + 1 if last and last[len(prefix) :].isdigit() else 1
    return f"{prefix}{number:06d}"


# --- problems -------------------------------------------------------------------------------------


def _check_category(inspection, category: Category, found_on: datetime.date) -> None:
    framework = category.framework
    if framework.level != inspection.round.body.level:
        raise ValidationError(
            {
                "category": _("“%(name)s”不适用于%(level)s。")
                % {"name": framework.name, "level": inspection.round.body.get_level_display()}
            }
        )
    if not framework.valid_on(found_on):
        raise ValidationError(
            {
                "category": _("分类体系“%(name)s”在 %(day)s 未启用。")
                % {"name": framework.name, "day": found_on}
            }
        )


@transaction.atomic
def problem_record(
    *,
    actor,
    inspection,
    category: Category,
    summary: str,
    found_on: datetime.date,
    ref: str = "",
    evidence=None,
    **details,
) -> Problem:
    """Record a problem the group found on ``inspection`` (a draft until the group approves it), with
    the uploaded ``evidence`` file, if any, stored in the same transaction.

    Raises ``PermissionDenied`` unless the actor is in the inspection's group or its office, and
    ``ValidationError`` (nothing written) for a file ``attachments.check_upload`` refuses (on
    ``evidence``, said first), outside preparation, on-site and report stages, for a category of
    another level or a framework not in force on ``found_on``, or a date outside the inspection's
    preparation to report period (``validators.check_found_on``)."""
    if evidence:
        attachments.evidence_check(evidence)
    selectors.PROBLEM_RECORD.check(actor, inspection)
    refusal = problem_stage_refusal(inspection)
    if refusal:
        raise ValidationError(refusal)
    unknown = set(details) - set(PROBLEM_FIELDS)
    if unknown:
        raise ValueError(f"not problem fields: {sorted(unknown)}")
    _check_category(inspection, category, found_on)
    check_inspection_found_on(inspection, found_on)
    problem = Problem(
        ref=ref.strip() or _next_ref(Problem, f"P{found_on.year}-"),
        inspection=inspection,
        category=category,
        summary=summary.strip(),
        found_on=found_on,
        recorded_by=actor,
        **{k: v.strip() if isinstance(v, str) else v for k, v in details.items()},
    )
    create_audited(
        actor=actor,
        instance=problem,
        action="problem.record",
        fields=("ref", "inspection", *PROBLEM_FIELDS),
        scope_path=_scope(inspection),
    )
    handovers.problem_drafted(problem, actor=actor)
    if evidence:
        attachments.evidence_add(actor=actor, owner=problem, upload=evidence)
    return problem


@transaction.atomic
def problem_update(*, actor, problem: Problem, **changes) -> Problem:
    """Correct a draft problem. An approved one must be withdrawn from approval first."""
    selectors.PROBLEM_EDIT.check(actor, problem)
    if problem.review != Review.DRAFT:
        raise ValidationError(_("问题已审定，须先撤回审定才能修改。"))

    def check(p):
        _check_category(p.inspection, p.category, p.found_on)
        check_inspection_found_on(p.inspection, p.found_on)

    return update_audited(
        actor=actor,
        instance=problem,
        changes=changes,
        editable=PROBLEM_FIELDS,
        action="problem.update",
        scope_path=_scope(problem.inspection),
        check=check,
    )


def _review(actor, problem: Problem, target: str, action: str, reason: str = "") -> Problem:
    selectors.PROBLEM_REVIEW.check(actor, problem)
    REVIEW_TRANSITIONS.check(problem.review, target)
    if problem.inspection.stage not in FINDING_STAGES:
        raise ValidationError(_("已反馈的问题不能再改变审定状态。"))
    before = snapshot(problem, ("review",))
    problem.review = target
    approved = target == Review.APPROVED
    problem.approved_by = actor if approved else None
    problem.approved_at = timezone.now() if approved else None
    problem.save(update_fields=["review", "approved_by", "approved_at"])
    audit_record(
        actor=actor,
        action=action,
        obj=problem,
        before=before,
        after={"review": target, **({"reason": reason} if reason else {})},
        scope_path=_scope(problem.inspection),
    )
    return problem


@transaction.atomic
def problem_approve(*, actor, problem: Problem) -> Problem:
    """The group approves a problem for its report."""
    return _review(actor, problem, Review.APPROVED, "problem.approve")


@transaction.atomic
def problem_unapprove(*, actor, problem: Problem, reason: str) -> Problem:
    """Take an approved problem back to draft for correction; a reason is required."""
    if not reason.strip():
        raise ValidationError({"reason": _("请说明撤回审定的理由。")})
    return _review(actor, problem, Review.DRAFT, "problem.unapprove", reason.strip())


# --- clues ----------------------------------------------------------------------------------------


@transaction.atomic
def clue_record(
    *,
    actor,
    inspection,
    subject_name: str,
    summary: str,
    department: Department,
    subject_post: str = "",
    problem: Problem | None = None,
    ref: str = "",
    recorded_on: datetime.date | None = None,
) -> Clue:
    """Record a clue about a person for transfer to ``department`` (transferred by the office).

    The clue is dated ``recorded_on`` (today unless given: a clue written up from the group's notes
    keeps the day it was found) and numbered by that day's year (X2024-000001), as problems are by
    the day they were found. Raises ``ValidationError`` for a day before the round or after today."""
    selectors.CLUE_RECORD.check(actor, inspection)
    if inspection.stage not in CLUE_STAGES:
        raise ValidationError(_("“%(stage)s”阶段不能记录线索。") % {"stage": inspection.get_stage_display()})
    if problem is not None and problem.inspection_id != inspection.pk:
        raise ValidationError({"problem": _("相关问题不属于这次巡视巡察。")})
    _check_department(inspection, department)
    today = timezone.localdate()
    recorded_on = recorded_on or today
    if not (inspection.round.start <= recorded_on <= today):
        raise ValidationError(
            {
                "recorded_on": _("记录日期应在本轮开始（%(start)s）至今天之间。")
                % {"start": inspection.round.start.isoformat()}
            }
        )
    clue = Clue(
        ref=ref.strip() or _next_ref(Clue, f"X{recorded_on.year}-"),
        recorded_at=timezone.now() if recorded_on == today else day_start(recorded_on),
        inspection=inspection,
        problem=problem,
        subject_name=subject_name.strip(),
        subject_post=subject_post.strip(),
        summary=summary.strip(),
        department=department,
        recorded_by=actor,
    )
    create_audited(
        actor=actor,
        instance=clue,
        action="clue.record",
        fields=("ref", "inspection", "problem", "department", "subject_name"),
        scope_path=_scope(inspection),
    )
    return clue


def _check_department(inspection, department: Department) -> None:
    if not department.active:
        raise ValidationError({"department": _("“%(name)s”已停用。") % {"name": department.name}})
    if department.committee_id != inspection.round.body.owner_org_id:
        raise ValidationError(
            {
                "department": _("“%(name)s”不是%(committee)s的协作部门。")
                % {"name": department.name, "committee": inspection.round.body.owner_org.name}
            }
        )


def _move_clue(actor, clue: Clue, target: str, action: str, **fields) -> Clue:
    return move_audited(
        actor=actor,
        instance=clue,
        table=CLUE_TRANSITIONS,
        target=target,
        action=action,
        scope_path=_scope(clue.inspection),
        **fields,
    )


@transaction.atomic
def clue_transfer(
    *, actor, clue: Clue, transferred_on: datetime.date | None = None, due_on: datetime.date | None = None
) -> Clue:
    """The office hands the clue to its department with a hand-over sheet (交接单); the deadline for
    feedback is the round's (3 months by default) unless ``due_on`` is given.

    Raises ``ValidationError`` for a transfer after today (``validators.check_clue_transferred_on``)
    or before the clue was recorded, and for a deadline before the transfer
    (``validators.check_clue_due_on``)."""
    selectors.CLUE_TRANSFER.check(actor, clue)
    _check_department(clue.inspection, clue.department)
    transferred_on = transferred_on or timezone.localdate()
    check_clue_transferred_on(transferred_on)
    # A clue is transferred after it is recorded: its number's year is never later than the sheet's.
    if transferred_on < clue_recorded_on(clue):
        raise ValidationError(
            {
                "transferred_on": _("移交日期不能早于线索的记录日期（%(day)s）。")
                % {"day": clue_recorded_on(clue).isoformat()}
            }
        )
    due_on = due_on or add_months(transferred_on, clue.inspection.round.clue_feedback_months)
    check_clue_due_on(due_on, transferred_on)
    year = transferred_on.year
    sheet_no = _next_sheet_no(clue, year)
    clue = _move_clue(
        actor,
        clue,
        ClueStatus.TRANSFERRED,
        "clue.transfer",
        transferred_on=transferred_on,
        due_on=due_on,
        sheet_no=sheet_no,
    )
    handovers.clue_transferred(clue, actor=actor)
    return clue


@transaction.atomic
def clues_exported(*, actor, source: str, query: dict, fmt: str, clues) -> None:
    """Record that ``actor`` downloads ``clues`` (a queryset already restricted to the actor) as ``fmt``
    (csv or xlsx) from ``source`` (the clue list, or the figure whose drill-down lists them) filtered by
    ``query`` (the page's query values): a clue names a person, so every download of clues is an audit
    event (who, when, which filter, how many rows), as the ledger's export is. The event is scoped to
    the smallest subtree holding every exported clue's organisation, so the auditors of that part of
    the tree see it."""
    paths = list(clues.values_list("inspection__organization__path", flat=True).distinct())
    common = os.path.commonprefix(paths) if paths else ""
    audit_record(
        actor=actor,
        action="clue.export",
        object_repr=source,
        after={"format": fmt, "filter": query, "rows": clues.count()},
        scope_path=common[: len(common) - len(common) % PATH_STEP],
    )


def _next_sheet_no(clue: Clue, year: int) -> str:
    prefix = f"{clue.inspection.round.body.code}-{year}-"
    used = Clue.objects.filter(sheet_no__startswith=prefix).values_list("sheet_no", flat=True)
    numbers = [int(s[len(prefix) :]) for s in used if s[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


@transaction.atomic
def clue_withdraw(*, actor, clue: Clue, reason: str) -> Clue:
    """Withdraw a clue not yet transferred (recorded in error, or merged into another)."""
    selectors.CLUE_WITHDRAW.check(actor, clue)
    if not reason.strip():
        raise ValidationError({"reason": _("请说明撤回理由。")})
    return _move_clue(actor, clue, ClueStatus.WITHDRAWN, "clue.withdraw", withdraw_reason=reason)


@transaction.atomic
def clue_accept(*, actor, clue: Clue, accepted_on: datetime.date | None = None) -> Clue:
    """The receiving department confirms it has the clue and is handling it."""
    selectors.CLUE_HANDLE.check(actor, clue)
    accepted_on = accepted_on or timezone.localdate()
    if accepted_on < clue.transferred_on:
        raise ValidationError({"accepted_on": _("接收日期不能早于移交日期。")})
    return _move_clue(actor, clue, ClueStatus.HANDLING, "clue.accept", accepted_on=accepted_on)


@transaction.atomic
def clue_feed_back(
    *,
    actor,
    clue: Clue,
    result: str,
    feedback: str,
    fed_back_on: datetime.date | None = None,
    party_discipline: int = 0,
    organisational_handling: int = 0,
    judicial_transfers: int = 0,
    losses_recovered=0,
) -> Clue:
    """The department's answer: how it handled the clue and with what outcome.

    Raises ``ValidationError`` without the account of the handling, and for an answer dated before
    the transfer or after today (``validators.check_clue_fed_back_on``)."""
    selectors.CLUE_HANDLE.check(actor, clue)
    fed_back_on = fed_back_on or timezone.localdate()
    if not feedback.strip():
        raise ValidationError({"feedback": _("请填写办理情况。")})
    check_clue_fed_back_on(fed_back_on, clue.transferred_on)
    try:  # floats from callers become the decimal they print as (12.5, not 12.4999…)
        losses_recovered = Decimal(str(losses_recovered))
    except InvalidOperation as exc:
        raise ValidationError({"losses_recovered": _("请填写金额（万元）。")}) from exc
    clue = _move_clue(
        actor,
        clue,
        ClueStatus.FED_BACK,
        "clue.feed_back",
        result=result,
        feedback=feedback,
        fed_back_on=fed_back_on,
        party_discipline=party_discipline,
        organisational_handling=organisational_handling,
        judicial_transfers=judicial_transfers,
        losses_recovered=losses_recovered,
    )
    handovers.clue_answered(clue, actor=actor)
    return clue


@transaction.atomic
def clue_return(*, actor, clue: Clue, reason: str) -> Clue:
    """The office sends an answer back to the department as not yet sufficient."""
    selectors.CLUE_TRANSFER.check(actor, clue)
    if not reason.strip():
        raise ValidationError({"reason": _("请说明退回理由。")})
    clue = _move_clue(actor, clue, ClueStatus.HANDLING, "clue.return", fed_back_on=None)
    audit_record(
        actor=actor,
        action="clue.return_reason",
        obj=clue,
        after={"reason": reason.strip()},
        scope_path=_scope(clue.inspection),
    )
    return clue


@transaction.atomic
def clues_escalate_overdue(*, today: datetime.date | None = None) -> list[Clue]:
    """Mark every clue past its feedback deadline without an answer as escalated (once each), with an
    audit event the office's supervision list shows, and return those escalated now (with their
    inspection's organisation and body, and their department, loaded for the daily job's notices).
    Run daily (``lijian.core.daily``); running twice changes nothing."""
    today = today or timezone.localdate()
    overdue = list(
        # Lock the clues only: the joined rows are read for the notices, not changed.
        Clue.objects.select_for_update(of=("self",))
        .filter(
            status__in=[ClueStatus.TRANSFERRED, ClueStatus.HANDLING],
            due_on__lt=today,
            escalated_on__isnull=True,
        )
        .select_related("inspection__organization", "inspection__round__body__owner_org", "department")
    )
    for clue in overdue:
        clue.escalated_on = today
        clue.save(update_fields=["escalated_on"])
        audit_record(
            actor=None,
            action="clue.overdue",
            obj=clue,
            after={"due_on": clue.due_on.isoformat(), "department": clue.department.code},
            scope_path=_scope(clue.inspection),
        )
    return overdue


# --- reference data: departments and the taxonomy -------------------------------------------------


@transaction.atomic
def department_create(*, actor, code: str, name: str, kind: str, committee) -> Department:
    """A receiving department of ``committee`` (the committee's office or an administrator)."""
    require(actor, Perm.ORG_MANAGE, committee.path)
    department = Department(
        code=code.strip(),
        name=name.strip(),
        kind=kind,
        committee=committee,
        order=Department.objects.filter(committee=committee).count(),
    )
    create_audited(
        actor=actor,
        instance=department,
        action="department.create",
        fields=("code", "name", "kind", "committee"),
        scope_path=committee.path,
    )
    return department


@transaction.atomic
def department_set_staff(*, actor, department: Department, users) -> Department:
    """Who handles the department's transfers: accounts holding the department role.

    Raises ``ValidationError`` naming any account without that role."""
    require(actor, Perm.ORG_MANAGE, department.committee.path)
    holders = set(
        RoleAssignment.objects.filter(user__in=users, role=Role.DEPARTMENT, active=True).values_list(
            "user", flat=True
        )
    )
    lacking = [u.username for u in users if u.pk not in holders]
    open_clues = department.clues.filter(status__in=[ClueStatus.TRANSFERRED, ClueStatus.HANDLING]).count()
    if not users and open_clues:
        raise ValidationError(
            {"usernames": _("该部门还有 %(n)s 条线索未反馈，至少保留一名经办人员。") % {"n": open_clues}}
        )
    if lacking:
        raise ValidationError(
            {"usernames": _("这些账号没有“协作部门”角色：%(names)s。") % {"names": "、".join(lacking)}}
        )
    before = sorted(department.staff.values_list("username", flat=True))
    department.staff.set(users)
    audit_record(
        actor=actor,
        action="department.staff",
        obj=department,
        before={"staff": before},
        after={"staff": sorted(u.username for u in users)},
        scope_path=department.committee.path,
    )
    return department


@transaction.atomic
def framework_new_version(
    *, actor, framework: Framework, code: str, name: str, valid_from: datetime.date
) -> Framework:
    """Copy ``framework`` with all its categories as a new version valid from ``valid_from``; the old
    one ends the day before, so problems filed under it keep their categories."""
    require(actor, Perm.REFERENCE_MANAGE)
    if valid_from <= framework.valid_from:
        raise ValidationError({"valid_from": _("新版本的启用日期应晚于原版本的启用日期。")})
    new = Framework(
        code=code.strip(),
        name=name.strip(),
        level=framework.level,
        valid_from=valid_from,
        valid_to=framework.valid_to,
        note=_("由“%(name)s”修订") % {"name": framework.name},
    )
    new.full_clean()
    new.save()
    copies: dict[int, Category] = {}
    for category in framework.categories.order_by("code"):
        copies[category.pk] = Category.objects.create(
            framework=new,
            code=category.code,
            name=category.name,
            parent=copies.get(category.parent_id),
        )
    framework.valid_to = valid_from - datetime.timedelta(days=1)
    framework.save(update_fields=["valid_to"])
    audit_record(
        actor=actor,
        action="framework.version",
        obj=new,
        after={"from": framework.code, "valid_from": valid_from.isoformat()},
    )
    return new


@transaction.atomic
def category_save(
    *, actor, framework: Framework, code: str, name: str, category: Category | None = None
) -> Category:
    """Add or rename a category of a framework no problem uses yet (a framework in use is frozen:
    make a new version instead). The parent is implied by the code: "2.3" sits under "2"."""
    require(actor, Perm.REFERENCE_MANAGE)
    if Problem.objects.filter(category__framework=framework).exists():
        raise ValidationError(
            _("“%(name)s”已有问题使用，不能再修改；请修订为新版本。") % {"name": framework.name}
        )
    code = code.strip()
    parent = None
    if "." in code:
        parent = framework.categories.filter(code=code.rsplit(".", 1)[0]).first()
        if parent is None:
            raise ValidationError(
                {"code": _("找不到上级分类“%(code)s”。") % {"code": code.rsplit(".", 1)[0]}}
            )
    before = snapshot(category, ("code", "name")) if category else None
    category = category or Category(framework=framework)
    category.code, category.name, category.parent = code, name.strip(), parent
    category.full_clean()
    category.save()
    audit_record(
        actor=actor,
        action="category.save",
        obj=category,
        before=before,
        after=snapshot(category, ("code", "name")),
    )
    return category
