"""Reads of petitions, restricted to the user.

The office sees the petitions its body received (or received jointly); a group sees those routed
to its inspections; leaders and auditors read those of the bodies in their subtree. Liaisons and
departments see none. The identity is never part of a read: only ``services.petition_reveal``.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from lijian.accounts.scopes import bodies_of_office, is_office_of, office_q
from lijian.core.permissions import Action, Perm, access_for, q_any, visible_get
from lijian.findings import selectors as findings_selectors
from lijian.inspections.scopes import group_q

from .models import Petition
from .similarity import most_similar


def petitions_visible(user) -> QuerySet[Petition]:
    if not access_for(user).has(Perm.PETITION_VIEW):
        return Petition.objects.none()
    q = q_any(
        office_q(user, Perm.PETITION_VIEW, "body"),
        office_q(user, Perm.PETITION_VIEW, "joint_body"),
        group_q(user, Perm.PETITION_VIEW, "routed_inspection"),
    )
    return Petition.objects.filter(q).select_related(
        "body",
        "joint_body",
        "group",
        "subject_org",
        "inspection__organization",
        "routed_inspection__organization",
    )


def petition_get(user, pk, action: Action | None = None) -> Petition:
    """The petition if the user may see it (``Http404`` otherwise) and, given an ``action``
    (``PETITION_MANAGE`` …), may do it (``PermissionDenied`` with the service's message otherwise)."""
    return visible_get(petitions_visible(user), pk, user=user, action=action)


def petition_get_for_files(user, pk) -> Petition:
    """The petition whose files ``user`` may download: as ``petition_get``, except that an account
    administrator never may (``Http404``). A scanned letter or a note among them can name the
    petitioner, and whoever administers accounts must not read who petitioned by any road."""
    if access_for(user).has(Perm.ACCOUNTS_MANAGE):
        raise Http404
    return petition_get(user, pk)


def bodies_receiving(user) -> QuerySet:
    """The bodies whose office the user is in to receive, route and close petitions, by code."""
    return bodies_of_office(user, Perm.PETITION_MANAGE).order_by("code")


def receiving_bodies(petition: Petition) -> list:
    """The body that received the petition, and the body that received it jointly (if any)."""
    return [petition.body, petition.joint_body] if petition.joint_body_id else [petition.body]


def can_manage(user, petition: Petition) -> bool:
    """The office of the receiving body, or of the body that received it jointly."""
    return any(is_office_of(user, Perm.PETITION_MANAGE, body) for body in receiving_bodies(petition))


def can_reveal(user, petition: Petition) -> bool:
    return any(
        access_for(user).covers(Perm.IDENTITY_REVEAL, body.owner_org.path)
        for body in receiving_bodies(petition)
    )


def can_answer(user, petition: Petition) -> bool:
    """The office, or the group the petition was routed to."""
    if can_manage(user, petition):
        return True
    inspection = petition.routed_inspection
    return inspection is not None and findings_selectors.can_record_findings(user, inspection)


# What a user may do to a petition, and what anyone else is told: the services check these, and the
# views ask for them with ``petition_get`` (or ``check``) before reading a form.
PETITION_MANAGE = Action(can_manage, _("只有受理机构的巡视巡察办可以转办或办结信访件。"))
PETITION_LINK = Action(can_manage, _("只有受理机构的巡视巡察办可以关联信访件。"))
PETITION_ANSWER = Action(can_answer, _("只有承办的组和巡视巡察办可以填写办理结果。"))
PETITION_REVEAL = Action(can_reveal, _("您无权查看信访人身份。"))


def similar_petitions(user, petition: Petition, limit: int = 5) -> list[tuple[float, Petition]]:
    """Petitions the user may see that read like this one (same body or same organisation, last two
    years), most similar first, for linking as duplicates or related reports."""
    import datetime

    since = petition.received_on - datetime.timedelta(days=730)
    candidates = (
        petitions_visible(user)
        .filter(Q(body=petition.body_id) | Q(subject_org=petition.subject_org_id), received_on__gte=since)
        .exclude(pk=petition.pk)
        .exclude(pk__in=petition.related.values("pk"))
        .select_related(None)
        .only("pk", "ref", "summary", "received_on", "status", "channel")[:2000]
    )
    by_pk = {p.pk: p for p in candidates}
    return [
        (score, by_pk[pk])
        for score, pk in most_similar(
            petition.summary, [(p.pk, p.summary) for p in by_pk.values()], limit=limit
        )
    ]
