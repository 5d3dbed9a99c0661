"""Who must be told, by role: the liaisons of an organisation and the office staff of a body.

The in-app messages (``core.messages``) are addressed to user ids; the apps that send them ask here
who holds the role over the record's organisation (an assignment at it or above it), in a few
queries however many records.
"""

from collections.abc import Iterable

from lijian.core.messages import CHUNK
from lijian.core.paths import path_prefixes

from .choices import Role
from .models import RoleAssignment


def liaisons_by_path(paths: Iterable[str]) -> dict[str, set[int]]:
    """For each organisation path, the active users holding the liaison role over it (an assignment
    at the organisation or above it), from one query per few hundred ancestors."""
    paths = set(paths)
    ancestors = sorted({p for path in paths for p in path_prefixes(path)})
    holders: dict[str, set[int]] = {}
    for start in range(0, len(ancestors), CHUNK):
        rows = RoleAssignment.objects.filter(
            role=Role.LIAISON,
            active=True,
            user__is_active=True,
            organization__path__in=ancestors[start : start + CHUNK],
        ).values_list("organization__path", "user_id")
        for path, user in rows:
            holders.setdefault(path, set()).add(user)
    return {path: set().union(*(holders.get(p, set()) for p in path_prefixes(path))) for path in paths}


def office_staff_by_body(bodies: Iterable) -> dict[int, set[int]]:
    """For each inspection body, the active users holding the office-staff role over its owner
    organisation — assigned at it or above it, for this body or for no body in particular (staff of
    the city's office are not told of every district office's work)."""
    bodies = list({b.pk: b for b in bodies}.values())
    ancestors = sorted({p for b in bodies for p in path_prefixes(b.owner_org.path)})
    rows: list[tuple[str, int | None, int]] = []
    for start in range(0, len(ancestors), CHUNK):
        rows += RoleAssignment.objects.filter(
            role=Role.OFFICE_STAFF,
            active=True,
            user__is_active=True,
            organization__path__in=ancestors[start : start + CHUNK],
        ).values_list("organization__path", "body_id", "user_id")
    found: dict[int, set[int]] = {}
    for body in bodies:
        line = set(path_prefixes(body.owner_org.path))
        found[body.pk] = {user for path, body_id, user in rows if path in line and body_id in (None, body.pk)}
    return found


def liaisons_of(organization) -> set[int]:
    """The liaisons of one organisation (assigned at it or above it)."""
    return liaisons_by_path([organization.path])[organization.path]
