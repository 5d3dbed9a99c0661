import datetime
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .audit import ACTION_LABELS, action_label
from .models import AuditEvent
from .permissions import Perm, access_for
from .registry import MODEL_ALIASES, model_label_current


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
            | Q(object_type__in=_labels_of_moved_models(object_text))
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


def _labels_of_moved_models(text: str) -> list[str]:
    """Every label, former and current, of each moved model one of whose labels contains ``text``
    (any case): its events are found by either name, whenever they were written."""
    text = text.lower()
    return sorted(
        {label for pair in MODEL_ALIASES.items() if any(text in label for label in pair) for label in pair}
    )


@dataclass
class Change:
    field: str
    before: object
    after: object


# Keys that services write into an event's before/after without being a field of its object (the
# day of a status change, the daily run's counts, an import's file...): labelled here so the audit
# page never shows a bare English key.
AUDIT_KEY_LABELS = {
    "on": _("日期"),
    "reason": _("理由"),
    "status": _("状态"),
    "name": _("名称"),
    "owner": _("所属记录"),
    "organizations": _("单位"),
    "subject": _("对象"),
    "file": _("文件"),
    "sha256": "SHA-256",
    "counts": _("数量"),
    "groups_left_out": _("未用上的巡视巡察组"),
    "run": _("编组方案"),
    "rate": _("比例"),
    "demo": _("演示账号"),
    "clues": _("超期线索"),
    "tasks": _("超期整改任务"),
    "reports": _("超期整改报告"),
    "self_criticisms": _("超期深刻检查"),
    "instructions": _("超期批示"),
    "notices": _("新提醒"),
    "digests": _("每日汇总消息"),
    "requested_by": _("提交人"),
    "one_time_password": _("已发放初始密码"),
    "second_factor_removed": _("已解除身份验证器"),
    "format": _("格式"),
    "error": _("错误"),
    "related": _("关联的信访件"),
    "staff": _("经办人员"),
    "from": _("原分类体系"),
    "group": _("巡视巡察组"),
    "add": _("加入"),
    "remove": _("移出"),
    "leader": _("组长"),
    "deputy": _("副组长"),
    "comment": _("意见"),
}


def _model(object_type: str):
    """The model an event's ``object_type`` names, under its current label if it has moved since
    (``LookupError``/``ValueError`` when there is none)."""
    return apps.get_model(model_label_current(object_type))


def _field(object_type: str, name: str):
    try:
        return _model(object_type)._meta.get_field(name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return None


def _related_choice_field(object_type: str, name: str):
    """A key that is not a field of the object but names a choice field of a record it points to
    (a task's progress records the task's ``status``)."""
    try:
        model = _model(object_type)
    except (LookupError, ValueError):
        return None
    for relation in model._meta.get_fields():
        if relation.many_to_one and relation.related_model is not None:
            field = _field(relation.related_model._meta.label_lower, name)
            if field is not None and field.choices:
                return field
    return None


def _shown(field, value):
    """A recorded value as the page shows it: a choice field's code becomes its label (a stage, a
    status), in a list too; yes or no in words; anything else is shown as recorded."""
    if isinstance(value, bool):
        return _("是") if value else _("否")
    labels = dict(field.flatchoices) if field is not None and field.choices else None
    if not labels:
        return value
    if isinstance(value, list):
        return [labels.get(item, item) for item in value]
    return labels.get(value, value) if isinstance(value, str | int) else value


def audit_changes(event: AuditEvent) -> list[Change]:
    """What an event changed, field by field, with the fields' own labels and a choice's label in
    place of its code (unchanged fields left out)."""
    before, after = event.before or {}, event.after or {}
    changes = []
    for name in dict.fromkeys([*before, *after]):
        old, new = before.get(name), after.get(name)
        if event.before is not None and event.after is not None and old == new:
            continue
        field = _field(event.object_type, name)
        label = field.verbose_name if field is not None else AUDIT_KEY_LABELS.get(name, name)
        choices = field if field is not None else _related_choice_field(event.object_type, name)
        changes.append(Change(str(label), _shown(choices, old), _shown(choices, new)))
    return changes


def audit_action_choices() -> list[tuple[str, str]]:
    return sorted(((code, str(label)) for code, label in ACTION_LABELS.items()), key=lambda c: c[0])


def describe(event: AuditEvent) -> AuditEvent:
    """The event with its action's ``label``, its ``changes`` and ``actor_label``: the account name,
    or 系统 for work the system did on its own (stored as ``system`` in the ledger)."""
    event.label = action_label(event.action)
    event.actor_label = (
        _("系统") if event.actor_id is None and event.actor_name == "system" else event.actor_name
    )
    event.changes = audit_changes(event)
    return event
