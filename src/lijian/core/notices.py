"""In-app notices (站内通知): writes, reads, and who should receive them.

A notice is addressed to one user and names the fact it is about with a ``key`` (``task-overdue:12``);
the database holds at most one notice per user and key, so whoever sends it — the daily job run twice,
two workers at once — each person hears of each fact once. Marking a notice read is not audited: it
changes nothing but the reader's own inbox; the facts behind notices are audited where they happen.

Two ways in: a hand-over (a problem awaiting approval, a clue transferred …) is sent at once, inside
the service's transaction, to the people who must act next (``notices_tell``); what the daily job
finds overdue is folded into one digest per person per day (``notices_digest``), whose items are the
facts (each still told once) and which alone reaches the inbox. Who those people are is worked out
here, once (the "recipients" section).
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from typing import NamedTuple

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, Max, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Notice, NoticeKind
from .paths import PATH_STEP
from .registry import Registry

TEXT_MAX = Notice._meta.get_field("text").max_length
URL_MAX = Notice._meta.get_field("url").max_length
RECORD_MAX = Notice._meta.get_field("record").max_length
LABEL_MAX = Notice._meta.get_field("record_label").max_length
CHUNK = 500  # keys per IN (...) query, well under every database's limit on parameters
# The kind of a notice sent without one, by the prefix of its key (``task-returned:12``); the daily
# job's overdue facts add theirs (``register_digest_part``).
KIND_BY_PREFIX = {
    "self-criticism-due": NoticeKind.SELF_CRITICISM,
    "supervision": NoticeKind.SUPERVISION,
    "evaluation-poor": NoticeKind.SUPERVISION,
    "task-returned": NoticeKind.TASK,
    "liaison-account": NoticeKind.ACCOUNT,
}
DIGEST_PREFIX = "overdue-digest"
# The kinds of hand-overs: a fact passed to the next person to act (sent at once, never digested).
HANDOVER_KINDS = (
    NoticeKind.PROBLEM,
    NoticeKind.CLUE,
    NoticeKind.FEEDBACK,
    NoticeKind.TASK,
    NoticeKind.INSTRUCTION,
    NoticeKind.ACCOUNT,
)


class NoticeDraft(NamedTuple):
    """A notice to be sent: to whom (a user id), about which fact, what it says, where it points;
    optionally its kind (else worked out from the key) and the record it is about (else the fact
    itself) with the record's label."""

    recipient_id: int
    key: str
    text: str
    url: str = ""
    kind: str = ""
    record: str = ""
    record_label: str = ""


# Punctuation that ends a sentence or clause: dropped from the end of a user's text before it is
# quoted inside a composed message, which supplies its own ("…已修订。，请审阅" reads wrong).
SENTENCE_END = "。．.，,、；;：:！!？? "


def quoted(text, limit: int | None = None) -> str:
    """``text`` (a user's words) ready to be set into a composed message: whitespace collapsed,
    trailing sentence punctuation removed, and — when longer than ``limit`` characters — shortened
    to ``limit`` characters ending in "…", so a reader sees that it was cut."""
    text = " ".join(str(text).split()).rstrip(SENTENCE_END)
    if limit and len(text) > limit:
        text = text[: limit - 1].rstrip(SENTENCE_END) + "…"
    return text


def _fit(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def kind_of(key: str, kind: str = "") -> str:
    """``kind`` if given, else the kind the key's prefix names, else "other"."""
    return kind or KIND_BY_PREFIX.get(key.split(":", 1)[0], NoticeKind.OTHER)


def record_of(obj) -> str:
    """The name of a record for grouping notices: ``app_label.model:pk``."""
    return f"{obj._meta.label_lower}:{obj.pk}"


def _row(d: NoticeDraft, now, digest=None) -> Notice:
    return Notice(
        recipient_id=d.recipient_id,
        key=d.key,
        text=_fit(d.text, TEXT_MAX),
        url=d.url[:URL_MAX],
        created_at=now,
        kind=kind_of(d.key, d.kind),
        record=(d.record or d.key)[:RECORD_MAX],
        record_label=_fit(d.record_label, LABEL_MAX) if d.record_label else "",
        digest=digest,
    )


@transaction.atomic
def notice_send(
    *, recipient, key: str, text: str, url: str = "", kind: str = "", record: str = "", record_label: str = ""
) -> Notice | None:
    """Tell ``recipient`` about the fact ``key`` once: returns the new notice, or ``None`` when this
    person was already told (whether or not they have read it). Over-long text is shortened.
    ``kind`` defaults to what the key's prefix names, ``record`` to the key itself."""
    if Notice.objects.filter(recipient=recipient, key=key).exists():
        return None
    row = _row(NoticeDraft(recipient.pk, key, text, url, kind, record, record_label), timezone.now())
    try:
        with transaction.atomic():  # a savepoint: a concurrent sender may insert the same row first
            row.save()
            return row
    except IntegrityError:
        return None


def _fresh(drafts: Iterable[NoticeDraft]) -> dict[tuple[int, str], NoticeDraft]:
    """The drafts whose (recipient, key) is not yet told, in the database or earlier in ``drafts``."""
    fresh: dict[tuple[int, str], NoticeDraft] = {}
    for draft in drafts:
        fresh.setdefault((draft.recipient_id, draft.key), draft)
    keys = sorted({key for _recipient, key in fresh})
    recipients = sorted({recipient for recipient, _key in fresh})
    # Filtering on the recipients too lets the (recipient, key) unique index answer, instead of a scan
    # of every notice for each hand-over; unordered, since only membership matters.
    for start in range(0, len(keys), CHUNK):
        for first in range(0, len(recipients), CHUNK):
            told = (
                Notice.objects.filter(
                    recipient_id__in=recipients[first : first + CHUNK], key__in=keys[start : start + CHUNK]
                )
                .order_by()
                .values_list("recipient_id", "key")
            )
            for pair in told:
                fresh.pop(pair, None)
    return fresh


@transaction.atomic
def notices_send_many(drafts: Iterable[NoticeDraft]) -> int:
    """Send many notices in a few queries, skipping every (recipient, key) already told — in the
    database or earlier in ``drafts``. Returns how many notices were created."""
    fresh = _fresh(drafts)
    now = timezone.now()
    rows = [_row(d, now) for d in fresh.values()]
    # ignore_conflicts: a sender racing this one may have told someone in between; still once each.
    Notice.objects.bulk_create(rows, batch_size=CHUNK, ignore_conflicts=True)
    return len(rows)


def notices_tell(
    people: Iterable[int], *, about, key: str, text: str, kind: str, label: str, url: str = "", actor=None
) -> int:
    """A hand-over: tell each of ``people`` (user ids, the ``actor`` left out: they know) of the fact
    ``key`` about the record ``about`` (linked to ``url``, by default the record's own page), once
    each. Call it inside the service's transaction, after the change. Returns how many were told."""
    actor_id = getattr(actor, "pk", None)
    url = url or about.get_absolute_url()
    record = record_of(about)
    return notices_send_many(
        NoticeDraft(user, key, text, url, kind, record, label)
        for user in sorted(set(people))
        if user != actor_id
    )


# Labels of the facts a digest counts, by the prefix of their key, in order (the daily job's steps
# register theirs: ``core.daily.register_daily_step``).
DIGEST_PARTS: Registry = Registry("digest parts")


def register_digest_part(prefix: str, label, *, order: int) -> None:
    """Count the facts whose key starts with ``prefix:`` in a digest, as ``label``, at ``order``;
    they are overdue facts (their kind when sent without one)."""
    DIGEST_PARTS.register(prefix, label, order=order)
    KIND_BY_PREFIX[prefix] = NoticeKind.OVERDUE


def _digest_text(day: datetime.date, prefixes: Counter) -> str:
    parts = "、".join(
        _("%(what)s %(n)s 项") % {"what": str(label), "n": prefixes[prefix]}
        for prefix, label in DIGEST_PARTS.items()
        if prefixes[prefix]
    )
    return _("%(day)s 超期督办 %(n)s 项：%(parts)s。") % {
        "day": day.isoformat(),
        "n": sum(prefixes.values()),
        "parts": parts,
    }


@transaction.atomic
def notices_digest(drafts: Iterable[NoticeDraft], *, on: datetime.date) -> tuple[int, int]:
    """Fold the day's overdue facts into one digest notice per person for ``on``: each fact not yet
    told to that person becomes an item of their digest (so it is told once, today or never again),
    and the digest — created, or brought up to date and unread again when a second run the same day
    finds more — says how many there are and links to the list. A person with nothing new gets
    nothing. Returns (facts told, digests created or updated)."""
    fresh = _fresh(drafts)
    if not fresh:
        return 0, 0
    by_person: dict[int, list[NoticeDraft]] = {}
    for draft in fresh.values():
        by_person.setdefault(draft.recipient_id, []).append(draft)
    key = f"{DIGEST_PREFIX}:{on.isoformat()}"
    now = timezone.now()
    people = sorted(by_person)
    Notice.objects.bulk_create(
        [
            Notice(recipient_id=p, key=key, text="…", kind=NoticeKind.OVERDUE, record=key, created_at=now)
            for p in people
        ],
        batch_size=CHUNK,
        ignore_conflicts=True,  # today's digest of a person may exist already (a second run)
    )
    digests: dict[int, Notice] = {}
    for start in range(0, len(people), CHUNK):
        for digest in Notice.objects.filter(key=key, recipient_id__in=people[start : start + CHUNK]):
            digests[digest.recipient_id] = digest
    rows = [_row(d, now, digests[d.recipient_id]) for d in fresh.values()]
    Notice.objects.bulk_create(rows, batch_size=CHUNK, ignore_conflicts=True)
    counts: dict[int, Counter] = {}
    ids = [d.pk for d in digests.values()]
    for start in range(0, len(ids), CHUNK):
        for digest_id, fact in Notice.objects.filter(digest_id__in=ids[start : start + CHUNK]).values_list(
            "digest_id", "key"
        ):
            counts.setdefault(digest_id, Counter())[fact.split(":", 1)[0]] += 1
    label = _("%(day)s 超期督办") % {"day": on.isoformat()}
    for digest in digests.values():
        digest.text = _fit(_digest_text(on, counts.get(digest.pk, Counter())), TEXT_MAX)
        digest.url = reverse("core:notice", kwargs={"pk": digest.pk})
        digest.record_label = label
        digest.read_at = None
        digest.created_at = now  # a digest brought up to date is news again
    Notice.objects.bulk_update(
        list(digests.values()), ["text", "url", "record_label", "read_at", "created_at"]
    )
    return len(rows), len(digests)


def notices_for(user) -> QuerySet[Notice]:
    """The user's own inbox (nobody else's, whatever their roles; a digest's items are inside the
    digest, not beside it), unread first, newest first."""
    if user is None or not user.is_authenticated:
        return Notice.objects.none()
    is_read = ExpressionWrapper(Q(read_at__isnull=False), output_field=BooleanField())
    return Notice.objects.filter(recipient=user, digest__isnull=True).order_by(is_read, "-created_at", "-pk")


def notices_unread_count(user) -> int:
    """How many of the user's inbox notices are unread (one COUNT query; 0 when signed out)."""
    if user is None or not user.is_authenticated:
        return 0
    return Notice.objects.filter(recipient=user, digest__isnull=True, read_at__isnull=True).count()


def notice_kinds(user) -> list[dict]:
    """The kinds of the user's inbox with how many notices and how many unread, in the kinds' order."""
    rows = {
        r["kind"]: r
        for r in notices_for(user)
        .order_by()
        .values("kind")
        .annotate(n=Count("pk"), unread=Count("pk", filter=Q(read_at__isnull=True)))
    }
    return [
        {"kind": k.value, "label": k.label, "n": rows[k.value]["n"], "unread": rows[k.value]["unread"]}
        for k in NoticeKind
        if k.value in rows
    ]


def notice_groups(user, *, kind: str = "", unread: bool = False) -> QuerySet:
    """The user's inbox grouped by kind and record: one row per (``kind``, ``record``) with its
    ``label``, ``n``, ``unread`` and ``latest`` time, groups with unread notices first, then the
    most recent. ``kind`` and ``unread`` restrict it (the caller has checked ``kind``)."""
    rows = notices_for(user).order_by()
    if kind:
        rows = rows.filter(kind=kind)
    if unread:
        rows = rows.filter(read_at__isnull=True)
    groups = rows.values("kind", "record").annotate(
        label=Max("record_label"),
        n=Count("pk"),
        unread=Count("pk", filter=Q(read_at__isnull=True)),
        latest=Max("created_at"),
    )
    has_unread = ExpressionWrapper(Q(unread__gt=0), output_field=BooleanField())
    return groups.order_by(has_unread.desc(), "-latest", "kind", "record")


def notices_in_groups(user, groups: Iterable[dict], *, unread: bool = False) -> list[dict]:
    """Each group of ``groups`` (rows of ``notice_groups``) with its ``notices``, newest first."""
    groups = [dict(g) for g in groups]
    if not groups:
        return []
    q = Q()
    for g in groups:
        q |= Q(kind=g["kind"], record=g["record"])
    rows = notices_for(user).filter(q).order_by("-created_at", "-pk")
    if unread:
        rows = rows.filter(read_at__isnull=True)
    found: dict[tuple[str, str], list[Notice]] = {}
    for notice in rows:
        found.setdefault((notice.kind, notice.record), []).append(notice)
    for g in groups:
        g["notices"] = found.get((g["kind"], g["record"]), [])
        g["kind_label"] = NoticeKind(g["kind"]).label if g["kind"] in NoticeKind.values else g["kind"]
        g["url"] = next((n.url for n in g["notices"] if n.url), "")
    return groups


@transaction.atomic
def notice_mark_read(*, actor, notice: Notice | None = None, kind: str = "") -> int:
    """Mark one of the actor's notices read (a digest with its items), or all of them (of ``kind``
    when given) when ``notice`` is ``None``; returns how many inbox notices changed (already-read
    notices keep their first reading time).

    Raises ``PermissionDenied`` for a notice addressed to someone else."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("请先登录。"))
    rows = Notice.objects.filter(recipient=actor, read_at__isnull=True)
    if notice is not None:
        if notice.recipient_id != actor.pk:
            raise PermissionDenied(_("只能标记自己的通知。"))
        now = timezone.now()
        rows.filter(digest=notice).update(read_at=now)  # a digest read is read with its items
        return rows.filter(pk=notice.pk).update(read_at=now)
    if kind:
        rows.filter(digest__kind=kind).update(read_at=timezone.now())
        rows = rows.filter(kind=kind, digest__isnull=True)
    else:
        rows.filter(digest__isnull=False).update(read_at=timezone.now())
        rows = rows.filter(digest__isnull=True)
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


def group_leaders(inspections: Iterable) -> dict[int, set[int]]:
    """For each inspection, the active accounts of its group's leader and deputies in its round
    (holding a group role: a cadre without an account, or with the role withdrawn, is not told)."""
    from lijian.accounts.models import RoleAssignment
    from lijian.accounts.scopes import GROUP_ROLES
    from lijian.inspections.choices import MemberRole
    from lijian.inspections.models import RoundMember

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


def department_staff_by_id(departments: Iterable[int]) -> dict[int, set[int]]:
    """For each receiving department (by id), the active accounts handling its transfers."""
    from lijian.findings.models import Department

    staff: dict[int, set[int]] = {}
    through = Department.staff.through.objects.filter(department__in=set(departments), user__is_active=True)
    for department, user in through.values_list("department_id", "user_id"):
        staff.setdefault(department, set()).add(user)
    return staff


def department_staff(department) -> set[int]:
    """The active accounts handling a receiving department's transfers."""
    return department_staff_by_id([department.pk]).get(department.pk, set())


def liaisons_of(organization) -> set[int]:
    """The liaisons of one organisation (assigned at it or above it)."""
    return liaisons_by_path([organization.path])[organization.path]
