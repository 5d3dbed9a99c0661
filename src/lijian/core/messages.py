"""In-app messages (消息): writes and reads.

A message is addressed to one user and names the fact it is about with a ``key`` (``task-overdue:12``);
the database holds at most one notice per user and key, so whoever sends it — the daily job run twice,
two workers at once — each person hears of each fact once. Marking a notice read is not audited: it
changes nothing but the reader's own inbox; the facts behind notices are audited where they happen.

Two ways in: a hand-over (a problem awaiting approval, a clue transferred …) is sent at once, inside
the service's transaction, to the people who must act next (``messages_tell``); what the daily job
finds overdue is folded into one digest per person per day (``messages_digest``), whose items are the
facts (each still told once) and which alone reaches the inbox. Who those people are is worked out
by the apps that hold the roles (``accounts.recipients``, ``inspections.recipients``,
``findings.recipients``).
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from typing import NamedTuple

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import BooleanField, Count, ExpressionWrapper, Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Message, MessageKind
from .registry import Registry

TEXT_MAX = Message._meta.get_field("text").max_length
URL_MAX = Message._meta.get_field("url").max_length
RECORD_MAX = Message._meta.get_field("record").max_length
LABEL_MAX = Message._meta.get_field("record_label").max_length
CHUNK = 500  # keys per IN (...) query, well under every database's limit on parameters
# The kind of a notice sent without one, by the prefix of its key (``task-returned:12``); the daily
# job's overdue facts add theirs (``register_digest_part``).
KIND_BY_PREFIX = {
    "self-criticism-due": MessageKind.SELF_CRITICISM,
    "supervision": MessageKind.SUPERVISION,
    "evaluation-poor": MessageKind.SUPERVISION,
    "task-returned": MessageKind.TASK,
    "liaison-account": MessageKind.ACCOUNT,
}
DIGEST_PREFIX = "overdue-digest"
# The kinds of hand-overs: a fact passed to the next person to act (sent at once, never digested).
HANDOVER_KINDS = (
    MessageKind.PROBLEM,
    MessageKind.CLUE,
    MessageKind.FEEDBACK,
    MessageKind.TASK,
    MessageKind.INSTRUCTION,
    MessageKind.ACCOUNT,
)


class MessageDraft(NamedTuple):
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
    return kind or KIND_BY_PREFIX.get(key.split(":", 1)[0], MessageKind.OTHER)


def record_of(obj) -> str:
    """The name of a record for grouping notices: ``app_label.model:pk``."""
    return f"{obj._meta.label_lower}:{obj.pk}"


def _row(d: MessageDraft, now, digest=None) -> Message:
    return Message(
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
def message_send(
    *, recipient, key: str, text: str, url: str = "", kind: str = "", record: str = "", record_label: str = ""
) -> Message | None:
    """Tell ``recipient`` about the fact ``key`` once: returns the new notice, or ``None`` when this
    person was already told (whether or not they have read it). Over-long text is shortened.
    ``kind`` defaults to what the key's prefix names, ``record`` to the key itself."""
    if Message.objects.filter(recipient=recipient, key=key).exists():
        return None
    row = _row(MessageDraft(recipient.pk, key, text, url, kind, record, record_label), timezone.now())
    try:
        with transaction.atomic():  # a savepoint: a concurrent sender may insert the same row first
            row.save()
            return row
    except IntegrityError:
        return None


def _fresh(drafts: Iterable[MessageDraft]) -> dict[tuple[int, str], MessageDraft]:
    """The drafts whose (recipient, key) is not yet told, in the database or earlier in ``drafts``."""
    fresh: dict[tuple[int, str], MessageDraft] = {}
    for draft in drafts:
        fresh.setdefault((draft.recipient_id, draft.key), draft)
    keys = sorted({key for _recipient, key in fresh})
    recipients = sorted({recipient for recipient, _key in fresh})
    # Filtering on the recipients too lets the (recipient, key) unique index answer, instead of a scan
    # of every notice for each hand-over; unordered, since only membership matters.
    for start in range(0, len(keys), CHUNK):
        for first in range(0, len(recipients), CHUNK):
            told = (
                Message.objects.filter(
                    recipient_id__in=recipients[first : first + CHUNK], key__in=keys[start : start + CHUNK]
                )
                .order_by()
                .values_list("recipient_id", "key")
            )
            for pair in told:
                fresh.pop(pair, None)
    return fresh


@transaction.atomic
def messages_send_many(drafts: Iterable[MessageDraft]) -> int:
    """Send many notices in a few queries, skipping every (recipient, key) already told — in the
    database or earlier in ``drafts``. Returns how many notices were created."""
    fresh = _fresh(drafts)
    now = timezone.now()
    rows = [_row(d, now) for d in fresh.values()]
    # ignore_conflicts: a sender racing this one may have told someone in between; still once each.
    Message.objects.bulk_create(rows, batch_size=CHUNK, ignore_conflicts=True)
    return len(rows)


def messages_tell(
    people: Iterable[int], *, about, key: str, text: str, kind: str, label: str, url: str = "", actor=None
) -> int:
    """A hand-over: tell each of ``people`` (user ids, the ``actor`` left out: they know) of the fact
    ``key`` about the record ``about`` (linked to ``url``, by default the record's own page), once
    each. Call it inside the service's transaction, after the change. Returns how many were told."""
    actor_id = getattr(actor, "pk", None)
    url = url or about.get_absolute_url()
    record = record_of(about)
    return messages_send_many(
        MessageDraft(user, key, text, url, kind, record, label)
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
    KIND_BY_PREFIX[prefix] = MessageKind.OVERDUE


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
def messages_digest(drafts: Iterable[MessageDraft], *, on: datetime.date) -> tuple[int, int]:
    """Fold the day's overdue facts into one digest notice per person for ``on``: each fact not yet
    told to that person becomes an item of their digest (so it is told once, today or never again),
    and the digest — created, or brought up to date and unread again when a second run the same day
    finds more — says how many there are and links to the list. A person with nothing new gets
    nothing. Returns (facts told, digests created or updated)."""
    fresh = _fresh(drafts)
    if not fresh:
        return 0, 0
    by_person: dict[int, list[MessageDraft]] = {}
    for draft in fresh.values():
        by_person.setdefault(draft.recipient_id, []).append(draft)
    key = f"{DIGEST_PREFIX}:{on.isoformat()}"
    now = timezone.now()
    people = sorted(by_person)
    Message.objects.bulk_create(
        [
            Message(recipient_id=p, key=key, text="…", kind=MessageKind.OVERDUE, record=key, created_at=now)
            for p in people
        ],
        batch_size=CHUNK,
        ignore_conflicts=True,  # today's digest of a person may exist already (a second run)
    )
    digests: dict[int, Message] = {}
    for start in range(0, len(people), CHUNK):
        for digest in Message.objects.filter(key=key, recipient_id__in=people[start : start + CHUNK]):
            digests[digest.recipient_id] = digest
    rows = [_row(d, now, digests[d.recipient_id]) for d in fresh.values()]
    Message.objects.bulk_create(rows, batch_size=CHUNK, ignore_conflicts=True)
    counts: dict[int, Counter] = {}
    ids = [d.pk for d in digests.values()]
    for start in range(0, len(ids), CHUNK):
        for digest_id, fact in Message.objects.filter(digest_id__in=ids[start : start + CHUNK]).values_list(
            "digest_id", "key"
        ):
            counts.setdefault(digest_id, Counter())[fact.split(":", 1)[0]] += 1
    label = _("%(day)s 超期督办") % {"day": on.isoformat()}
    for digest in digests.values():
        digest.text = _fit(_digest_text(on, counts.get(digest.pk, Counter())), TEXT_MAX)
        digest.url = reverse("core:message", kwargs={"pk": digest.pk})
        digest.record_label = label
        digest.read_at = None
        digest.created_at = now  # a digest brought up to date is news again
    Message.objects.bulk_update(
        list(digests.values()), ["text", "url", "record_label", "read_at", "created_at"]
    )
    return len(rows), len(digests)


def messages_for(user) -> QuerySet[Message]:
    """The user's own inbox (nobody else's, whatever their roles; a digest's items are inside the
    digest, not beside it), unread first, newest first."""
    if user is None or not user.is_authenticated:
        return Message.objects.none()
    is_read = ExpressionWrapper(Q(read_at__isnull=False), output_field=BooleanField())
    return Message.objects.filter(recipient=user, digest__isnull=True).order_by(is_read, "-created_at", "-pk")


def messages_unread_count(user) -> int:
    """How many of the user's inbox notices are unread (one COUNT query; 0 when signed out)."""
    if user is None or not user.is_authenticated:
        return 0
    return Message.objects.filter(recipient=user, digest__isnull=True, read_at__isnull=True).count()


def message_kinds(user) -> list[dict]:
    """The kinds of the user's inbox with how many notices and how many unread, in the kinds' order."""
    rows = {
        r["kind"]: r
        for r in messages_for(user)
        .order_by()
        .values("kind")
        .annotate(n=Count("pk"), unread=Count("pk", filter=Q(read_at__isnull=True)))
    }
    return [
        {"kind": k.value, "label": k.label, "n": rows[k.value]["n"], "unread": rows[k.value]["unread"]}
        for k in MessageKind
        if k.value in rows
    ]


# The inbox's order: groups with unread messages first, then the most recent; (kind, record) is unique.
GROUP_ORDER = ("-has_unread", "-latest", "kind", "record")


def message_groups(user, *, kind: str = "", unread: bool = False) -> QuerySet:
    """The user's inbox grouped by kind and record: one row per (``kind``, ``record``) with its
    ``label``, ``n``, ``unread`` and ``latest`` time, groups with unread notices first, then the
    most recent. ``kind`` and ``unread`` restrict it (the caller has checked ``kind``)."""
    rows = messages_for(user).order_by()
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
    return groups.annotate(has_unread=has_unread).order_by(*GROUP_ORDER)


def messages_in_groups(user, groups: Iterable[dict], *, unread: bool = False) -> list[dict]:
    """Each group of ``groups`` (rows of ``message_groups``) with its ``notices``, newest first."""
    groups = [dict(g) for g in groups]
    if not groups:
        return []
    q = Q()
    for g in groups:
        q |= Q(kind=g["kind"], record=g["record"])
    rows = messages_for(user).filter(q).order_by("-created_at", "-pk")
    if unread:
        rows = rows.filter(read_at__isnull=True)
    found: dict[tuple[str, str], list[Message]] = {}
    for notice in rows:
        found.setdefault((notice.kind, notice.record), []).append(notice)
    for g in groups:
        g["notices"] = found.get((g["kind"], g["record"]), [])
        g["kind_label"] = MessageKind(g["kind"]).label if g["kind"] in MessageKind.values else g["kind"]
        g["url"] = next((n.url for n in g["notices"] if n.url), "")
    return groups


@transaction.atomic
def message_mark_read(*, actor, notice: Message | None = None, kind: str = "") -> int:
    """Mark one of the actor's notices read (a digest with its items), or all of them (of ``kind``
    when given) when ``notice`` is ``None``; returns how many inbox notices changed (already-read
    notices keep their first reading time).

    Raises ``PermissionDenied`` for a notice addressed to someone else."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("请先登录。"))
    rows = Message.objects.filter(recipient=actor, read_at__isnull=True)
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
