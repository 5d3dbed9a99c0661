"""In-app notices (站内通知): writes, reads, and who should receive them.

A notice is addressed to one user and names the fact it is about with a ``key`` (``task-overdue:12``);
the database holds at most one notice per user and key, so whoever sends it — the daily job run twice,
two workers at once — each person hears of each fact once. Marking a notice read is not audited: it
changes nothing but the reader's own inbox; the facts behind notices are audited where they happen.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lijian.orgs.models import PATH_STEP

from .models import Notice

TEXT_MAX = Notice._meta.get_field("text").max_length
URL_MAX = Notice._meta.get_field("url").max_length
CHUNK = 500  # keys per IN (...) query, well under every database's limit on parameters


class NoticeDraft(NamedTuple):
    """A notice to be sent: to whom (a user id), about which fact, what it says, where it points."""

    recipient_id: int
    key: str
    text: str
    url: str = ""


def _fit(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@transaction.atomic
def notice_send(*, recipient, key: str, text: str, url: str = "") -> Notice | None:
    """Tell ``recipient`` about the fact ``key`` once: returns the new notice, or ``None`` when this
    person was already told (whether or not they have read it). Over-long text is shortened."""
    if Notice.objects.filter(recipient=recipient, key=key).exists():
        return None
    try:
        with transaction.atomic():  # a savepoint: a concurrent sender may insert the same row first
            return Notice.objects.create(
                recipient=recipient, key=key, text=_fit(text, TEXT_MAX), url=url[:URL_MAX]
            )
    except IntegrityError:
        return None


@transaction.atomic
def notices_send_many(drafts: Iterable[NoticeDraft]) -> int:
    """Send many notices in a few queries, skipping every (recipient, key) already told — in the
    database or earlier in ``drafts``. Returns how many notices were created."""
    fresh: dict[tuple[int, str], NoticeDraft] = {}
    for draft in drafts:
        fresh.setdefault((draft.recipient_id, draft.key), draft)
    keys = sorted({key for _recipient, key in fresh})
    for start in range(0, len(keys), CHUNK):
        told = Notice.objects.filter(key__in=keys[start : start + CHUNK]).values_list("recipient_id", "key")
        for pair in told:
            fresh.pop(pair, None)
    now = timezone.now()
    rows = [
        Notice(
            recipient_id=d.recipient_id,
            key=d.key,
            text=_fit(d.text, TEXT_MAX),
            url=d.url[:URL_MAX],
            created_at=now,
        )
        for d in fresh.values()
    ]
    # ignore_conflicts: a sender racing this one may have told someone in between; still once each.
    Notice.objects.bulk_create(rows, batch_size=CHUNK, ignore_conflicts=True)
    return len(rows)


def notices_for(user) -> QuerySet[Notice]:
    """The user's own notices (nobody else's, whatever their roles), unread first, newest first."""
    if user is None or not user.is_authenticated:
        return Notice.objects.none()
    is_read = ExpressionWrapper(Q(read_at__isnull=False), output_field=BooleanField())
    return Notice.objects.filter(recipient=user).order_by(is_read, "-created_at", "-pk")


def notices_unread_count(user) -> int:
    """How many of the user's notices are unread (one COUNT query; 0 when signed out)."""
    if user is None or not user.is_authenticated:
        return 0
    return Notice.objects.filter(recipient=user, read_at__isnull=True).count()


@transaction.atomic
def notice_mark_read(*, actor, notice: Notice | None = None) -> int:
    """Mark one of the actor's notices read, or all of them when ``notice`` is ``None``; returns how
    many changed (already-read notices keep their first reading time).

    Raises ``PermissionDenied`` for a notice addressed to someone else."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("请先登录。"))
    rows = Notice.objects.filter(recipient=actor, read_at__isnull=True)
    if notice is not None:
        if notice.recipient_id != actor.pk:
            raise PermissionDenied(_("只能标记自己的通知。"))
        rows = rows.filter(pk=notice.pk)
    return rows.update(read_at=timezone.now())


# --- recipients -----------------------------------------------------------------------------------


def _prefixes(path: str) -> list[str]:
    return [path[:i] for i in range(PATH_STEP, len(path) + 1, PATH_STEP)]


def liaisons_by_path(paths: Iterable[str]) -> dict[str, set[int]]:
    """For each organisation path, the active users holding the liaison role over it (an assignment
    at the organisation or above it), from one query per few hundred ancestors."""
    from lijian.accounts.choices import Role
    from lijian.accounts.models import RoleAssignment

    paths = set(paths)
    ancestors = sorted({p for path in paths for p in _prefixes(path)})
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
    return {path: set().union(*(holders.get(p, set()) for p in _prefixes(path))) for path in paths}


def office_staff_by_body(bodies: Iterable) -> dict[int, set[int]]:
    """For each inspection body, the active users holding the office-staff role over its owner
    organisation — assigned at it or above it, for this body or for no body in particular (staff of
    the city's office are not told of every district office's work)."""
    from lijian.accounts.choices import Role
    from lijian.accounts.models import RoleAssignment

    bodies = list({b.pk: b for b in bodies}.values())
    ancestors = sorted({p for b in bodies for p in _prefixes(b.owner_org.path)})
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
        line = set(_prefixes(body.owner_org.path))
        found[body.pk] = {user for path, body_id, user in rows if path in line and body_id in (None, body.pk)}
    return found
