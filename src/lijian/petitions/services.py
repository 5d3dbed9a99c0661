"""Every write to petitions: receiving, public filing with a receipt code, routing, answering,
closing, linking related reports and revealing an identity (each reveal audited with its reason)."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from lijian.core.audit import audit_record, create_audited, move_audited
from lijian.core.models import AuditOutcome
from lijian.core.permissions import Perm, require
from lijian.findings.services import clue_record
from lijian.inspections.choices import Stage

from . import identity as sealed
from . import selectors
from .choices import PETITION_TRANSITIONS, Channel, PetitionStatus, Route
from .models import Petition
from .validators import check_answered_on, check_received_on

# Receipt codes avoid letters and digits people confuse (0/O, 1/I/L); 16 of 31 symbols ≈ 79 bits.
RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def receipt_hash(code: str) -> str:
    """What is stored of a receipt code: SHA-256 of its normalised form (case, spaces and dashes ignored)."""
    clean = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(clean.encode()).hexdigest()


def new_receipt_code() -> str:
    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def _next_ref(year: int) -> str:
    prefix = f"XF{year}-"
    last = Petition.objects.filter(ref__startswith=prefix).aggregate(m=Max("ref"))["m"]
    number = int(last[len(prefix) :]) + 1 if last and last[len(prefix) :].isdigit() else 1
    return f"{prefix}{number:06d}"


def _scope(petition: Petition) -> str:
    return petition.body.owner_org.path


def _seal_identity(petition: Petition, identity: dict | None) -> None:
    values = {k: v for k, v in (identity or {}).items() if str(v or "").strip()}
    petition.anonymous = not values
    petition.identity = sealed.seal(values, petition.ref) if values else None


def _check(petition: Petition) -> None:
    check_received_on(petition.received_on)
    owner = petition.body.owner_org.path
    if petition.subject_org_id and not petition.subject_org.path.startswith(owner):
        raise ValidationError({"subject_org": _("反映的党组织不在本机构的巡视巡察范围内。")})
    if petition.inspection_id and petition.inspection.round.body_id not in (
        petition.body_id,
        petition.joint_body_id,
    ):
        raise ValidationError({"inspection": _("所涉巡视巡察不属于受理机构。")})
    if petition.channel == Channel.JOINT_RECEPTION and not petition.joint_body_id:
        raise ValidationError({"joint_body": _("联合接待须写明一同接待的巡察机构。")})
    if petition.joint_body_id and petition.joint_body_id == petition.body_id:
        raise ValidationError({"joint_body": _("联合接待的机构不能是受理机构自己。")})
    if petition.group_id and petition.group.body_id != petition.body_id:
        raise ValidationError({"group": _("受理的组不属于受理机构。")})


@transaction.atomic
def petition_receive(
    *,
    actor,
    body,
    channel: str,
    received_on: datetime.date,
    summary: str,
    subject_org=None,
    inspection=None,
    category: str = "",
    identity: dict | None = None,
    joint_body=None,
    group=None,
    ref: str = "",
) -> Petition:
    """Register a petition the office or a group received (anonymous when no identity is given).

    Joint reception (联合接待) records both the receiving body (and its group) and the patrol office
    that received it together. Raises ``PermissionDenied`` without the office's right over the body
    and ``ValidationError`` for an organisation or inspection outside it."""
    require(actor, Perm.PETITION_MANAGE, body.owner_org.path)
    if not summary.strip():
        raise ValidationError({"summary": _("请填写反映内容。")})
    petition = Petition(
        ref=ref.strip() or _next_ref(received_on.year),
        channel=channel,
        received_on=received_on,
        body=body,
        group=group,
        joint_body=joint_body,
        inspection=inspection,
        subject_org=subject_org or (inspection.organization if inspection else None),
        category=category.strip(),
        summary=summary.strip(),
        recorded_by=actor,
    )
    _seal_identity(petition, identity)
    return create_audited(
        actor=actor,
        instance=petition,
        action="petition.receive",
        fields=("ref", "channel", "received_on", "body", "joint_body", "inspection", "subject_org"),
        extra={"anonymous": petition.anonymous},
        check=_check,
        scope_path=_scope(petition),
    )


# --- the public form (码上巡察) --------------------------------------------------------------------


@transaction.atomic
def petition_file_public(
    *, inspection, summary: str, category: str = "", identity: dict | None = None
) -> tuple[Petition, str]:
    """A member of the public files a petition from the QR code of an inspection's announcement.

    Returns the petition and its receipt code, shown once: only its hash is kept, so the code cannot
    be recovered, only checked. Raises ``ValidationError`` once the inspection has left the site."""
    if inspection.stage not in (Stage.PREPARATION, Stage.ONSITE):
        raise ValidationError(_("本次巡视巡察已结束受理，请通过其他渠道反映。"))
    summary = summary.strip()
    if len(summary) < 10:
        raise ValidationError({"summary": _("请把反映的问题写清楚（至少 10 个字）。")})
    code = new_receipt_code()
    today = timezone.localdate()
    petition = Petition(
        ref=_next_ref(today.year),
        channel=Channel.QR,
        received_on=today,
        body=inspection.round.body,
        group=inspection.group,
        inspection=inspection,
        subject_org=inspection.organization,
        category=category.strip()[:60],
        summary=summary,
        receipt_hash=receipt_hash(code),
    )
    _seal_identity(petition, identity)
    create_audited(
        actor=None,
        instance=petition,
        action="petition.file_public",
        fields=("ref", "inspection"),
        extra={"anonymous": petition.anonymous},
        scope_path=_scope(petition),
    )
    return petition, code


def petition_by_receipt(code: str) -> Petition | None:
    """The petition a receipt code was given for, or ``None``; what a petitioner may read of it is
    decided by the public page (status and answer only)."""
    if not code or len(code) > 40:
        return None
    return Petition.objects.filter(receipt_hash=receipt_hash(code)).first()


# --- routing and answering ------------------------------------------------------------------------


def _move(actor, petition: Petition, target: str, action: str, **fields) -> Petition:
    return move_audited(
        actor=actor,
        instance=petition,
        table=PETITION_TRANSITIONS,
        target=target,
        action=action,
        scope_path=_scope(petition),
        **fields,
    )


@transaction.atomic
def petition_route_to_group(*, actor, petition: Petition, inspection) -> Petition:
    """Hand the petition to the group inspecting its organisation, which answers it."""
    selectors.PETITION_MANAGE.check(actor, petition)
    if inspection.round.body_id not in (petition.body_id, petition.joint_body_id):
        raise ValidationError({"inspection": _("只能转给本机构（或联合接待机构）的巡视巡察组。")})
    if inspection.group_id is None:
        raise ValidationError({"inspection": _("这次巡视巡察尚未编组。")})
    return _move(
        actor,
        petition,
        PetitionStatus.ROUTED,
        "petition.route_group",
        route=Route.GROUP,
        routed_inspection=inspection,
        routed_on=timezone.localdate(),
    )


@transaction.atomic
def petition_route_to_department(
    *, actor, petition: Petition, department, subject_name: str, subject_post: str = ""
) -> Petition:
    """Turn the petition into a clue about a person for a "1+3+N" department (transferred by the
    office as any clue); the petition is answered when the office reports the result."""
    selectors.PETITION_MANAGE.check(actor, petition)
    inspection = petition.inspection or petition.routed_inspection
    if inspection is None:
        raise ValidationError(_("请先确定所涉的巡视巡察，线索须挂在一次巡视巡察上。"))
    clue = clue_record(
        actor=actor,
        inspection=inspection,
        subject_name=subject_name,
        subject_post=subject_post,
        summary=petition.summary,
        department=department,
    )
    return _move(
        actor,
        petition,
        PetitionStatus.ROUTED,
        "petition.route_department",
        route=Route.DEPARTMENT,
        clue=clue,
        routed_inspection=inspection,
        routed_on=timezone.localdate(),
    )


@transaction.atomic
def petition_answer(
    *, actor, petition: Petition, answer: str, answered_on: datetime.date | None = None
) -> Petition:
    """Record how the routed petition was handled (what the petitioner reads with the receipt code)."""
    selectors.PETITION_ANSWER.check(actor, petition)
    if not answer.strip():
        raise ValidationError({"answer": _("请填写办理结果。")})
    answered_on = answered_on or timezone.localdate()
    check_answered_on(answered_on, petition.received_on)
    return _move(
        actor, petition, PetitionStatus.ANSWERED, "petition.answer", answer=answer, answered_on=answered_on
    )


@transaction.atomic
def petition_close(*, actor, petition: Petition, reason: str) -> Petition:
    """Close a petition: not routed (with the reason it needs no handling) or answered."""
    selectors.PETITION_MANAGE.check(actor, petition)
    if not reason.strip():
        raise ValidationError({"reason": _("请说明办结理由。")})
    fields = {"close_reason": reason}
    if petition.status == PetitionStatus.RECEIVED:
        fields["route"] = Route.CLOSED
    return _move(actor, petition, PetitionStatus.CLOSED, "petition.close", **fields)


@transaction.atomic
def petition_send_back(*, actor, petition: Petition, reason: str) -> Petition:
    """The office finds an answer short and sends it back to the group or department."""
    selectors.PETITION_MANAGE.check(actor, petition)
    if not reason.strip():
        raise ValidationError({"reason": _("请说明退回理由。")})
    petition = _move(actor, petition, PetitionStatus.ROUTED, "petition.send_back")
    audit_record(
        actor=actor,
        action="petition.send_back_reason",
        obj=petition,
        after={"reason": reason.strip()},
        scope_path=_scope(petition),
    )
    return petition


@transaction.atomic
def petition_link(*, actor, petition: Petition, other: Petition) -> Petition:
    """Mark two petitions as the same or related matter (both directions)."""
    selectors.PETITION_LINK.check(actor, petition)
    if other.pk == petition.pk:
        raise ValidationError(_("不能与自己关联。"))
    if not selectors.petitions_visible(actor).filter(pk=other.pk).exists():
        raise PermissionDenied(_("您看不到要关联的信访件。"))
    petition.related.add(other)
    audit_record(
        actor=actor,
        action="petition.link",
        obj=petition,
        after={"related": other.ref},
        scope_path=_scope(petition),
    )
    return petition


def petition_reveal_refused(*, actor, petition_id: int, reason: str = "") -> None:
    """Record a refused attempt to reveal the identity of petition ``petition_id`` (which may not
    exist, or be hidden from ``actor``): a ``petition.reveal`` event with outcome ``denied``, the
    actor, the request id and the stated reason — never anything of the petition itself.

    Committed at once: call it outside (or after) any transaction the refusal rolls back, as the
    view's ``reveal_refusals_audited`` and ``petition_reveal`` do. An anonymous visitor (sent to the
    login page) leaves no event: there is nobody to name."""
    if not getattr(actor, "is_authenticated", False):
        return
    # The receiving office's auditors see the attempt (an unknown id: only the whole-system auditors).
    scope = Petition.objects.filter(pk=petition_id).values_list("body__owner_org__path", flat=True).first()
    audit_record(
        actor=actor,
        action="petition.reveal",
        obj=Petition(pk=petition_id),
        object_repr="",
        after={"reason": reason.strip()[:200]} if reason.strip() else None,
        scope_path=scope or "",
        outcome=AuditOutcome.DENIED,
    )


def petition_reveal(*, actor, petition: Petition, reason: str) -> dict:
    """Decrypt the petitioner's identity for an office user who states why; the reveal is an audit
    event whatever the outcome. Raises ``PermissionDenied`` for anyone else, after recording the
    refusal (``petition_reveal_refused``; the exception carries ``lijian_audited`` so the view does
    not record it twice) — so do not call it inside a transaction rolled back on that exception.
    Raises ``ValidationError`` without any event when the reason is missing."""
    if not selectors.can_reveal(actor, petition):
        petition_reveal_refused(actor=actor, petition_id=petition.pk, reason=reason)
        refusal = PermissionDenied(_("您无权查看信访人身份。"))
        refusal.lijian_audited = True
        raise refusal
    if len(reason.strip()) < 4:
        raise ValidationError({"reason": _("请写明查看信访人身份的理由。")})
    audit_record(
        actor=actor,
        action="petition.reveal",
        obj=petition,
        after={"reason": reason.strip()},
        scope_path=_scope(petition),
    )
    if petition.identity is None:
        return {}
    return sealed.unseal(petition.identity, petition.ref)
