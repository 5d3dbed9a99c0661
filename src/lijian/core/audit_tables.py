"""The columns of the audit ledger's list: the page's, and what its CSV and .xlsx exports hold (the
hash too, so an exported event can be checked against the ledger)."""

from django.utils.translation import gettext_lazy as _

from .lists import Column, ListSpec, export_registered
from .selectors import describe


def _shown(value) -> str:
    return "—" if value is None else str(value)


def _changes(event) -> str:
    """The event's changes one per line, as the page shows them: ``field：before → after``, or the
    one side the event has (a creation its values, a deletion what was deleted)."""
    lines = []
    for change in event.changes:
        if event.before is not None and event.after is not None:
            text = f"{_shown(change.before)} → {_shown(change.after)}"
        elif event.after is not None:
            text = _shown(change.after)
        else:
            text = _shown(change.before)
        lines.append(f"{change.field}：{text}")
    return "\n".join(lines)


AUDIT_EVENTS = ListSpec(
    template="core/audit_list.html",
    order=("-seq",),
    columns=(
        Column("seq", _("序号")),
        Column("at", _("时间")),
        Column("actor", _("操作人"), "actor_label"),
        Column("action", _("操作"), "label"),
        Column("object", _("对象"), "object_repr"),
        Column("outcome", _("结果"), "get_outcome_display"),
        Column("changes", _("变更"), _changes),
        Column("hash", _("哈希")),
    ),
    exporter=export_registered,
    filename="audit",
    table_id="audit-events",
    prepare=describe,
)
