"""Who answers for an inspection: its group's leader and deputies, and with its body's office staff
the inspection side (who may accept tasks and close problems)."""

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q

from lijian.accounts.models import RoleAssignment
from lijian.accounts.recipients import office_staff_by_body
from lijian.accounts.scopes import GROUP_ROLES

from .choices import MemberRole
from .models import RoundMember


def group_leaders(inspections: Iterable) -> dict[int, set[int]]:
    """For each inspection, the active accounts of its group's leader and deputies in its round
    (holding a group role: a cadre without an account, or with the role withdrawn, is not told)."""
    inspections = [i for i in inspections if i.group_id]
    if not inspections:
        return {}
    pairs = Q()
    for i in inspections:
        pairs |= Q(round_id=i.round_id, group_id=i.group_id)
    # A correlated EXISTS uses the assignments' user index; ``IN (SELECT …)`` scanned them all each call.
    holds_role = RoleAssignment.objects.filter(
        user_id=OuterRef("cadre__user_id"), role__in=GROUP_ROLES, active=True
    )
    rows = (
        RoundMember.objects.filter(
            pairs,
            Exists(holds_role),
            role__in=[MemberRole.LEADER, MemberRole.DEPUTY],
            cadre__user__is_active=True,
        )
        .order_by()
        .values_list("round_id", "group_id", "cadre__user_id")
    )
    found: dict[tuple[int, int], set[int]] = {}
    for round_id, group_id, user in rows:
        found.setdefault((round_id, group_id), set()).add(user)
    return {i.pk: found.get((i.round_id, i.group_id), set()) for i in inspections}


def inspection_side(inspection) -> set[int]:
    """Who answers for the inspection side of one inspection: its body's office staff and its group's
    leader and deputies (those who may accept tasks and close problems)."""
    body = inspection.round.body
    return office_staff_by_body([body]).get(body.pk, set()) | group_leaders([inspection]).get(
        inspection.pk, set()
    )
