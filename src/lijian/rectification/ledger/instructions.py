"""instructions.csv of the ledger bundle: a leader's written instruction (批示) on a problem, a clue or
a petition, whom it charged and by when, and how far its follow-up got, so the instruction lists, the
overdue escalations and a record's history read the same after the whole database is exported and
imported again. (The instructions arising from a committee meeting are meeting_instructions.csv.)

A row names its record by kind and number (in problems.csv, clues.csv, petitions.csv or the system)
and is one instruction: record, leader, day and text; importing it again updates its follow-up. The
leader, the addressee and whoever reported the follow-up are accounts, named by their user name.
Accounts are not in the bundle: an instruction whose leader has no account here is not imported and
the preview says so; an addressee or a reporter without one is left empty, as the preview says. The
rules are the services': the leader may instruct on the record (``selectors.can_instruct``), an open
instruction is charged to someone who may answer it by a day not before it
(``services._check_instruction_charge``), an answered or closed one says how it was carried out
(``services.answer_text``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lijian.documents import ledger
from lijian.findings.models import Clue, Problem
from lijian.petitions.models import Petition

from ..choices import InstructionStatus
from ..instructions.selectors import can_instruct, instructions_visible
from ..instructions.services import _check_instruction_charge, answer_text
from ..models import Instruction
from .common import in_scope, not_future
from .rules import validated_on

INSTRUCTIONS = "instructions.csv"
# The files that may bring the record an instruction is on, by kind.
SUBJECT_FILES = {"problem": "problems.csv", "clue": "clues.csv", "petition": "petitions.csv"}
COLUMN_OF = {"addressee": "addressee", "deadline": "deadline", "follow_up_given": "follow_up_given"}


class SubjectKind(models.TextChoices):
    """What an instruction is on: the model it names, by its field on ``Instruction``."""

    PROBLEM = "problem", gettext_lazy("问题")
    CLUE = "clue", gettext_lazy("线索")
    PETITION = "petition", gettext_lazy("信访件")


SUBJECT_MODELS = {SubjectKind.PROBLEM: Problem, SubjectKind.CLUE: Clue, SubjectKind.PETITION: Petition}


@dataclass(slots=True)
class InstructionRow:
    line: int
    kind: str
    ref: str
    leader: str
    given_on: datetime.date
    text: str
    addressee: str
    deadline: datetime.date | None
    follow_up_asked: str
    status: str
    follow_up_given: str
    answered_by: str
    answered_on: datetime.date | None
    escalated_on: datetime.date | None


def _parse(ctx: ledger.ImportContext, rows, total) -> None:
    staged: dict[tuple, InstructionRow] = {}
    for line, cells, ok in rows:
        row = InstructionRow(line, *cells)
        if not ok:
            continue
        days = (
            ("given_on", row.given_on),
            ("answered_on", row.answered_on),
            ("escalated_on", row.escalated_on),
        )
        if not all([not_future(ctx, INSTRUCTIONS, line, column, day) for column, day in days]):
            continue
        if row.status != InstructionStatus.OPEN:
            rule = (ctx, INSTRUCTIONS, line, COLUMN_OF, "follow_up_given", answer_text)
            if not validated_on(*rule, row.follow_up_given, "follow_up_given"):
                continue
            if row.answered_on is None:
                ctx.error(INSTRUCTIONS, line, "answered_on", _("已报落实情况的批示须写明报送日期。"))
                continue
        staged[row.kind, row.ref, row.leader, row.given_on, row.text] = row
    ctx.staged[INSTRUCTIONS] = staged


def _check(ctx: ledger.ImportContext) -> None:
    """Each record named is in its file of the bundle or in the system; whether the importer manages
    its body is known once the bundle's records are written (``_apply``)."""
    staged: dict[tuple, InstructionRow] = ctx.staged[INSTRUCTIONS]
    for kind, model in SUBJECT_MODELS.items():
        refs = {row.ref for row in staged.values() if row.kind == kind}
        if not refs:
            continue
        known = set(model.objects.filter(ref__in=refs).values_list("ref", flat=True))
        known |= refs & set(ctx.staged.get(SUBJECT_FILES[kind], {}))
        for row in staged.values():
            if row.kind == kind and row.ref not in known:
                message = _("编号“%(code)s”既不在 %(file)s 中，也不在系统中。")
                ctx.error(
                    INSTRUCTIONS,
                    row.line,
                    "subject_ref",
                    message % {"code": row.ref, "file": SUBJECT_FILES[kind]},
                )
    _check_accounts(ctx, staged)


def _check_accounts(ctx: ledger.ImportContext, staged: dict[tuple, InstructionRow]) -> None:
    """Record for the preview each user name no account has here: the instruction it leads is left
    out, the addressee or reporter it names left empty."""
    names = {name for row in staged.values() for name in (row.leader, row.addressee, row.answered_by) if name}
    held = set(get_user_model().objects.filter(username__in=names).values_list("username", flat=True))
    for row in staged.values():
        if row.leader not in held:
            ctx.mapped(INSTRUCTIONS, "leader", row.leader, _("本系统没有这个账号，该批示未导入"))
        for column, name in (("addressee", row.addressee), ("answered_by", row.answered_by)):
            if name and name not in held:
                ctx.mapped(INSTRUCTIONS, column, name, _("本系统没有这个账号，留空"))


def _subjects(staged: dict[tuple, InstructionRow]) -> dict[tuple[str, str], object]:
    """The records the rows name, by (kind, number), with the body that decides who manages them."""
    related = {
        SubjectKind.PROBLEM: ("inspection__round__body__owner_org", "inspection__organization"),
        SubjectKind.CLUE: ("inspection__round__body__owner_org", "inspection__organization", "department"),
        SubjectKind.PETITION: ("body__owner_org",),
    }
    found = {}
    for kind, model in SUBJECT_MODELS.items():
        refs = {row.ref for row in staged.values() if row.kind == kind}
        if refs:
            for item in model.objects.filter(ref__in=refs).select_related(*related[kind]):
                found[kind, item.ref] = item
    return found


def _body_code(subject) -> str:
    return subject.body.code if isinstance(subject, Petition) else subject.inspection.round.body.code


def _apply(ctx: ledger.ImportContext) -> None:
    staged: dict[tuple, InstructionRow] = ctx.staged[INSTRUCTIONS]
    subjects = _subjects(staged)
    names = {name for row in staged.values() for name in (row.leader, row.addressee, row.answered_by) if name}
    users = {u.username: u for u in get_user_model().objects.filter(username__in=names)}
    existing = {
        (kind, i.subject.ref, i.leader.username, i.given_on, i.text): i
        for kind in SUBJECT_MODELS
        for i in Instruction.objects.filter(
            **{f"{kind}__in": [s for (k, _ref), s in subjects.items() if k == kind]}
        ).select_related(kind, "leader")
    }
    for key, row in staged.items():
        subject = subjects[row.kind, row.ref]
        if not in_scope(ctx, INSTRUCTIONS, row.line, "subject_ref", _body_code(subject)):
            continue
        leader = users.get(row.leader)
        if leader is None:  # said by the preview (``_check_accounts``); not a change, so not counted
            continue
        if leader.is_active and not can_instruct(leader, subject):  # one who has left gave it when able
            message = _("“%(name)s”无权对该记录作出批示。") % {"name": leader.display_name}
            ctx.error(INSTRUCTIONS, row.line, "leader", message)
            continue
        addressee, answered_by = users.get(row.addressee), users.get(row.answered_by)
        values = {
            "addressee_id": addressee.pk if addressee else None,
            "deadline": row.deadline,
            "follow_up_asked": row.follow_up_asked,
            "status": row.status,
            "follow_up_given": row.follow_up_given,
            "answered_by_id": answered_by.pk if answered_by else None,
            "answered_on": row.answered_on,
            "escalated_on": row.escalated_on,
        }
        probe = Instruction(
            leader=leader, given_on=row.given_on, text=row.text, **{row.kind: subject}, **values
        )
        if not _charge_valid(ctx, row, probe, addressee):
            continue
        create = {"leader": leader, "given_on": row.given_on, "text": row.text, row.kind: subject}
        ledger.upsert(ctx, INSTRUCTIONS, Instruction, existing.get(key), values, create=create)


def _charge_valid(ctx: ledger.ImportContext, row: InstructionRow, probe: Instruction, addressee) -> bool:
    """An open instruction charged to an account here follows the service's rule of its charge; any
    instruction keeps the model's rule of its deadline."""
    rule = (ctx, INSTRUCTIONS, row.line, COLUMN_OF, "deadline")
    if row.status == InstructionStatus.OPEN and addressee is not None:
        return validated_on(*rule, _check_instruction_charge, probe, addressee, row.deadline)
    return validated_on(*rule, probe.validate_constraints)


def _export(ctx: ledger.ExportContext):
    qs = instructions_visible(ctx.actor).select_related("answered_by").order_by("given_on", "pk")
    for i in qs.iterator(chunk_size=5000):
        kind = next(k for k in SUBJECT_MODELS if getattr(i, f"{k}_id"))
        yield [
            kind,
            getattr(i, kind).ref,
            i.leader.username,
            ledger.iso(i.given_on),
            i.text,
            i.addressee.username if i.addressee else "",
            ledger.iso(i.deadline),
            i.follow_up_asked,
            i.status,
            i.follow_up_given,
            i.answered_by.username if i.answered_by else "",
            ledger.iso(i.answered_on),
            ledger.iso(i.escalated_on),
        ]


USERNAME = get_user_model().username  # the descriptor, as every column names its field

ledger.register(
    ledger.LedgerFile(
        name=INSTRUCTIONS,
        title=gettext_lazy("领导批示"),
        order=101,  # after petitions.csv (100) and clues.csv (95), whose records it names
        columns=[
            ledger.filled("subject_kind", "批示对象", choices=SubjectKind),
            ledger.filled("subject_ref", "对象编号", field=Problem.ref),
            ledger.filled("leader", "批示领导", field=USERNAME),
            ledger.filled("given_on", "批示日期", kind=ledger.DATE),
            ledger.filled("text", "批示内容", text=True, field=Instruction.text, max_length=20000),
            ledger.Column("addressee", "承办人", field=USERNAME),
            ledger.Column("deadline", "落实期限", kind=ledger.DATE),
            ledger.Column(
                "follow_up_asked", "落实要求", text=True, field=Instruction.follow_up_asked, max_length=20000
            ),
            ledger.Column("status", "状态", choices=InstructionStatus, default=InstructionStatus.OPEN),
            ledger.Column(
                "follow_up_given", "落实情况", text=True, field=Instruction.follow_up_given, max_length=20000
            ),
            ledger.Column("answered_by", "报送人", field=USERNAME),
            ledger.Column("answered_on", "报送日期", kind=ledger.DATE),
            ledger.Column("escalated_on", "超期督办日期", kind=ledger.DATE),
        ],
        unique=(ledger.Unique(("subject_kind", "subject_ref", "leader", "given_on", "text")),),
        parse=_parse,
        check=_check,
        apply=_apply,
        export=_export,
    )
)
