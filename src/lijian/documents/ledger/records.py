"""The write the apply step of most ledger files makes for each row: create the record the row names,
or bring the one found in line with the sheet.
"""

from __future__ import annotations

from collections.abc import Collection

from .registry import ImportContext


def upsert(
    ctx: ImportContext,
    file: str,
    model,
    item,
    values: dict,
    *,
    create: dict | None = None,
    unchecked: Collection[str] = (),
) -> None:
    """Create a ``model`` record of ``create`` and ``values`` when ``item`` (the record the row names,
    found by the caller) is ``None``, counted "created" on ``file``; else write ``values`` onto ``item``
    (one UPDATE, no ``save``) when any of them differs from it, counted "updated". A field named in
    ``unchecked`` is written with the others but its difference alone does not count as a change."""
    if item is None:
        model.objects.create(**(create or {}), **values)
        ctx.count(file, "created")
    elif any(getattr(item, k) != v for k, v in values.items() if k not in unchecked):
        model.objects.filter(pk=item.pk).update(**values)
        ctx.count(file, "updated")
