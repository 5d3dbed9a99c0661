"""Writing audit events. Every service calls ``audit_record`` inside its transaction."""

import datetime
import decimal
import uuid
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models

from .models import AuditEvent, AuditOutcome
from .request_id import current_request_id

# Human words for the actions, filled by each app in ``AppConfig.ready`` (``register_actions``).
ACTION_LABELS: dict[str, str] = {}


def register_actions(labels: dict[str, str]) -> None:
    ACTION_LABELS.update(labels)


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def _json_value(value):
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict:
    """The JSON-safe values of ``fields`` on ``instance`` (foreign keys as their primary key)."""
    data = {}
    for name in fields:
        field = instance._meta.get_field(name)
        attname = getattr(field, "attname", name)
        data[name] = _json_value(getattr(instance, attname))
    return data


def _storable(value):
    """``value`` with every NUL in its texts shown as U+FFFD: PostgreSQL's text and jsonb cannot hold
    NUL, and a refused request may carry one in what it typed (the event must still be written)."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, dict):
        return {_storable(k): _storable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_storable(v) for v in value]
    return value


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    before: dict | None = None,
    after: dict | None = None,
    scope_path: str = "",
    object_repr: str | None = None,
    outcome: str = AuditOutcome.SUCCESS,
) -> AuditEvent:
    """Append one event, chained to the ledger's head in the caller's transaction (see
    ``core.ledger``), carrying the current request's id. ``actor`` may be ``None`` for work the
    system does on its own; ``outcome`` records a refused or failed attempt."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        request_id=current_request_id(),
        outcome=outcome,
        actor=user,
        actor_name=user.get_username() if user else "system",
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=_storable(
            object_repr if object_repr is not None else str(obj) if obj is not None else ""
        )[:255],
        scope_path=scope_path,
        before=_storable(before),
        after=_storable(after),
    )


def _related_codes(manager) -> list[str]:
    return sorted(str(getattr(o, "code", o.pk)) for o in manager.all())


def create_audited(
    *,
    actor,
    instance: models.Model,
    action: str,
    scope_path: str = "",
    fields: Iterable[str] = (),
    extra: dict | None = None,
    after: dict | None = None,
    check=None,
    related: dict | None = None,
):
    """Validate the new ``instance`` (``full_clean`` then ``check``), save it, set the many-to-many
    sets in ``related`` and audit its creation. The event's after-values are ``after`` when given,
    else the snapshot of ``fields``, then each ``related`` set by its codes, then ``extra``.

    The caller built ``instance`` (strings stripped as it means them), has checked the permission
    and runs inside a transaction. Raises ``ValidationError`` for bad values, nothing saved."""
    instance.full_clean()
    if check is not None:
        check(instance)
    instance.save()
    related = related or {}
    for name, value in related.items():
        getattr(instance, name).set(value)
    if after is None:
        after = snapshot(instance, fields)
        for name in related:
            after[name] = _related_codes(getattr(instance, name))
        after.update(extra or {})
    audit_record(actor=actor, action=action, obj=instance, after=after, scope_path=scope_path)
    return instance


def update_audited(
    *,
    actor,
    instance: models.Model,
    changes: dict,
    editable: Iterable[str],
    action: str,
    scope_path: str,
    check=None,
    related: dict | None = None,
):
    """Set ``changes`` on ``instance`` (strings stripped), validate (``full_clean`` then ``check``),
    save the changed fields, replace the many-to-many sets given in ``related`` (``None`` leaves one
    as it is) and audit the values before and after (related objects by their codes).

    The caller has checked the permission and runs inside a transaction. Raises ``ValueError`` for a
    field that is not ``editable`` (a programming error) and ``ValidationError`` for bad values;
    ``instance`` then keeps the values it had (the refused ones are not left on it)."""
    editable = list(editable)
    unknown = set(changes) - set(editable)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    related = {name: value for name, value in (related or {}).items() if value is not None}

    def state() -> dict:
        data = snapshot(instance, editable)
        for name in related:
            data[name] = _related_codes(getattr(instance, name))
        return data

    before = state()
    stored = {name: getattr(instance, name) for name in changes}
    for name, value in changes.items():
        setattr(instance, name, value.strip() if isinstance(value, str) else value)
    try:
        instance.full_clean()
        if check is not None:
            check(instance)
    except ValidationError:
        # A caller that shows the record again (a form re-rendered with the refusal) shows what is
        # stored, not the refused values.
        for name, value in stored.items():
            setattr(instance, name, value)
        raise
    instance.save(update_fields=list(changes))
    for name, value in related.items():
        getattr(instance, name).set(value)
    audit_record(
        actor=actor, action=action, obj=instance, before=before, after=state(), scope_path=scope_path
    )
    return instance


def move_audited(
    *, actor, instance: models.Model, table, target: str, action: str, scope_path: str, **fields
):
    """Move ``instance.status`` to ``target`` if the transition ``table`` allows it (``ValidationError``
    naming both statuses otherwise), set ``fields`` (strings stripped), validate, save, and audit the
    status and those fields before and after. The caller has checked the permission and runs inside
    a transaction."""
    table.check(instance.status, target)
    names = ("status", *fields)
    before = snapshot(instance, names)
    instance.status = target
    for name, value in fields.items():
        setattr(instance, name, value.strip() if isinstance(value, str) else value)
    instance.full_clean()
    instance.save()
    audit_record(
        actor=actor,
        action=action,
        obj=instance,
        before=before,
        after=snapshot(instance, names),
        scope_path=scope_path,
    )
    return instance
