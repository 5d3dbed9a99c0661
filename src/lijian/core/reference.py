"""Reference data administrators edit: small tables the apps register (the linkage modes, fieldwork
methods, professional skills, the lines of supervision that count as conflicts when groups are staffed …).

One registry of the tables, one service that saves an entry (validated, audited), one pair of pages.
Entries are never deleted: rounds, activities and cadres refer to them; a method can be switched off.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.apps import apps
from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from .audit import audit_record, snapshot
from .permissions import Perm, require
from .registry import Registry


@dataclass(frozen=True)
class Table:
    key: str
    label: str
    model_path: str  # "app_label.Model"
    fields: tuple[str, ...]
    form: str = ""  # "module.FormClass" when the table needs its own form (e.g. units given by code)

    @property
    def model(self):
        return apps.get_model(self.model_path)

    def form_class(self):
        if self.form:
            return import_string(self.form)
        return forms.modelform_factory(self.model, fields=self.fields)

    def cells(self, entry) -> list:
        """What the table page shows for ``entry``, column by column: yes/no in words for booleans
        (never ``True``/``False``), the label of a choice, blank for a missing value."""
        values = []
        for name in self.fields:
            field = self.model._meta.get_field(name)
            value = getattr(entry, name)
            if isinstance(value, bool):
                value = _("是") if value else _("否")
            elif value is None:
                value = ""
            elif field.choices:
                value = getattr(entry, f"get_{name}_display")()
            values.append(value)
        return values


# The tables, registered by the apps that own them (``register_reference``), in their order.
TABLES: Registry[Table] = Registry("reference")


def register_reference(table: Table, *, order: int) -> Table:
    """Offer ``table`` on the reference-data pages at position ``order`` (keyed by ``table.key``)."""
    return TABLES.register(table.key, table, order=order)


@transaction.atomic
def reference_save(*, actor, table: Table, form: forms.ModelForm):
    """Save a new or changed entry of ``table`` from a valid ``form``; audited with before and after."""
    require(actor, Perm.REFERENCE_MANAGE)
    instance = form.instance
    before = snapshot(type(instance).objects.get(pk=instance.pk), table.fields) if instance.pk else None
    entry = form.save()
    audit_record(
        actor=actor, action="reference.save", obj=entry, before=before, after=snapshot(entry, table.fields)
    )
    return entry
