import datetime
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.utils import timezone

from .audit import ACTION_LABELS, action_label
from .models import AuditEvent
from .permissions import Perm, access_for


def audit_events_visible(
    user,
    *,
    action: str = "",
    actor: str = "",
    object_text: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    outcome: str = "",
):
    """Events within the user's audit scope, newest first, narrowed by the filters given: ``action``
    (a code or its prefix), ``actor`` (account name contains), ``object_text`` (the object's name,
    number or type contains), ``since``/``until`` (local dates, inclusive), ``outcome``. Events
    with no organisation (log-ins, imports, accounts) are shown to system-wide auditors only."""
    access = access_for(user)
    qs = (
        AuditEvent.objects.all()
        if access.is_global(Perm.AUDIT_VIEW)
        else AuditEvent.objects.filter(access.q(Perm.AUDIT_VIEW, "scope_path")).exclude(scope_path="")
    )
    if action:
        qs = qs.filter(action__startswith=action)
    if actor:
        qs = qs.filter(actor_name__icontains=actor)
    if object_text:
        qs = qs.filter(
            Q(object_repr__icontains=object_text)
            | Q(object_id=object_text)
            | Q(object_type__icontains=object_text)
        )
    zone = timezone.get_current_timezone()
    if since:
        qs = qs.filter(at__gte=datetime.datetime.combine(since, datetime.time.min, tzinfo=zone))
    if until:
        qs = qs.filter(
            at__lt=datetime.datetime.combine(
                until + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
            )
        )
    if outcome:
        qs = qs.filter(outcome=outcome)
    return qs.order_by("-seq")


@dataclass
class Change:
    field: str
    before: object
    after: object


def _field_label(object_type: str, name: str) -> str:
    try:
        return str(apps.get_model(object_type)._meta.get_field(name).verbose_name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return name


def audit_changes(event: AuditEvent) -> list[Change]:
    """What an event changed, field by field, with the fields' own labels (unchanged fields left out)."""
    before, after = event.before or {}, event.after or {}
    changes = []
    for name in dict.fromkeys([*before, *after]):
        old, new = before.get(name), after.get(name)
        if event.before is not None and event.after is not None and old == new:
            continue
        changes.append(Change(_field_label(event.object_type, name) if event.object_type else name, old, new))
    return changes


def audit_action_choices() -> list[tuple[str, str]]:
    return sorted(((code, str(label)) for code, label in ACTION_LABELS.items()), key=lambda c: c[0])


def describe(event: AuditEvent) -> AuditEvent:
    event.label = action_label(event.action)
    event.changes = audit_changes(event)
    return event
