"""List pages, one mechanism for all: a filter, keyset paging, sortable columns and export.

A list page is a queryset the app's selector has already restricted to the user, a FilterSet
(django-filter; its building blocks are in ``list_filters``) over it, an ordering whose last key is unique, and a table of ``Column``s. The page
never counts its rows: it reads one row more than it shows to know whether there is a next page, and
its links carry a *cursor* — the ordering values of the row at the page's edge — so page 1000 costs
what page 1 costs (DESIGN.md §8: no ``COUNT(*)`` over millions on every page).

The kernel knows no domain app, so it does not write spreadsheets itself: an app passes the exporter
(``lijian.documents.exports.export_response``, which writes every cell formula-safe) in its
``ListSpec``. Bad input in the URL — a cursor, a sort or an export format that is not one this list
can take — raises ``BadParameter`` (a 400 page with the message); a filter value that does not fit is
shown beside the filter and the page answers 400 listing the unfiltered rows, as before.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import functools
import json
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .params import ID_MAX, BadParameter, shown
from .registry import Registry

CURSOR = "cursor"  # query parameter: where the page starts (or ends, going back)
SORT = "sort"  # query parameter: a column name, ``-name`` for descending
EXPORT = "export"  # query parameter: ``csv`` or ``xlsx``
EXPORT_FORMATS = ("csv", "xlsx")
PAGE_SIZE = 50


@dataclass(frozen=True)
class Column:
    """One column of a list: its header, how an export reads its value from a row, and (when users
    sort by it) the ordering keys that sort it ascending, the list's unique key appended by the page.

    ``value`` is a dotted attribute path (``inspection.organization.name``; a method is called) or a
    function of the row."""

    name: str
    header: Any
    value: str | Callable[[Any], Any] = ""
    sort: tuple[str, ...] = ()

    def read(self, row) -> Any:
        """The column's value in ``row``: ``None`` when a step of the path is ``None``."""
        if callable(self.value):
            return self.value(row)
        value = row
        for step in (self.value or self.name).split("."):
            value = getattr(value, step)
            if value is None:
                return None
            if callable(value) and not isinstance(value, models.Manager):
                value = value()
        return value


@dataclass(frozen=True)
class ListSpec:
    """What a list page is: its template, default ordering (the last key unique, no key nullable),
    columns (those with ``sort`` are sortable), page size and export.

    ``exporter(fmt, columns, rows, filename)`` answers the export; without it the page offers none.
    ``prepare(row)`` (optional) completes each row read, for the page and the export alike, before its
    columns are read (it returns the row)."""

    template: str
    order: tuple[str, ...]
    columns: tuple[Column, ...] = ()
    page_size: int = PAGE_SIZE
    exporter: Callable[[str, Sequence[Column], Iterable, str], HttpResponse] | None = None
    filename: str = "list"
    table_id: str = ""  # the ids of the table and of the filter form, as tests and scripts find them
    filter_id: str = ""
    prepare: Callable[[Any], Any] | None = None
    sorts: Mapping[str, Column] = field(init=False, repr=False)

    def __post_init__(self):
        object.__setattr__(self, "sorts", {c.name: c for c in self.columns if c.sort})

    def ordering(self, sort: str) -> tuple[str, ...]:
        """The ordering of the page sorted by ``sort`` (``""``: the default). The list's unique key
        (the last of ``order``) always ends it, in the column's direction, so no two rows tie.
        Raises ``BadParameter`` for a column this list does not sort by."""
        if not sort:
            return self.order
        column = self.sorts.get(sort.removeprefix("-"))
        if column is None:
            raise BadParameter(
                _("链接中的排序“%(value)s”无效：本列表不能按此排序。") % {"value": shown(sort)}
            )
        flip = sort.startswith("-")
        keys = tuple(_flip(k) if flip else k for k in column.sort)
        unique = self.order[-1].removeprefix("-")
        return (*keys, "-" + unique if flip else unique)


def _flip(key: str) -> str:
    return key[1:] if key.startswith("-") else "-" + key


# --- keyset paging --------------------------------------------------------------------------------


class KeysetPage:
    """One page of rows (model instances, or dicts of a grouped ``values()`` list), iterable like a
    Django ``Page``, with the query strings of its neighbours.

    ``has_next``/``has_previous`` are read, not guessed: one row more than the page holds is read to
    tell whether there are rows beyond it (going back, the next page is the one the user came from)."""

    def __init__(self, rows: list, *, has_next: bool, has_previous: bool, keys, request_query):
        self.object_list = rows
        # An empty page (a cursor past the rows some were deleted from) has no row to link from: it
        # offers no neighbours, the list's first page is one click on the menu away.
        self.has_next_page = has_next and bool(rows)
        self.has_previous_page = has_previous and bool(rows)
        self._keys = keys
        self._query = request_query

    def __iter__(self) -> Iterator:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def __bool__(self) -> bool:
        return bool(self.object_list)

    def has_next(self) -> bool:
        return self.has_next_page

    def has_previous(self) -> bool:
        return self.has_previous_page

    def has_other_pages(self) -> bool:
        return self.has_next_page or self.has_previous_page

    def _link(self, cursor: str | None) -> str:
        query = self._query.copy()
        query.pop(CURSOR, None)
        if cursor:
            query[CURSOR] = cursor
        return query.urlencode()

    @property
    def next_query(self) -> str:
        """The query string of the next page (the current filters and sort kept)."""
        return self._link(encode_cursor(self._keys, self.object_list[-1], forward=True))

    @property
    def previous_query(self) -> str:
        """The query string of the previous page (the current filters and sort kept)."""
        return self._link(encode_cursor(self._keys, self.object_list[0], forward=False))


def _parse_keys(order: Sequence[str]) -> list[tuple[str, bool]]:
    return [(k.removeprefix("-"), k.startswith("-")) for k in order]


def _key_value(row, name: str):
    if isinstance(row, dict):  # a row of ``values()`` (a grouped list)
        return row[name]
    value = row
    for step in name.split("__"):
        value = getattr(value, step)
    return value


def _plain(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()  # full precision: a truncated time would skip or repeat rows
    if isinstance(value, models.Model):
        return value.pk
    return value


def encode_cursor(keys: Sequence[str], row, *, forward: bool) -> str:
    """The cursor naming ``row``'s place in the ordering ``keys``: the page after it (``forward``) or
    before it. URL-safe text."""
    payload = {"d": "n" if forward else "p", "k": [_plain(_key_value(row, k)) for k, _d in _parse_keys(keys)]}
    raw = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _key_fields(queryset: QuerySet, keys: Sequence[tuple[str, bool]]) -> list[models.Field]:
    """The model field (or annotation output field) behind each ordering key; raises
    ``ImproperlyConfigured`` for a nullable key (NULLs sort differently on SQLite and PostgreSQL)."""
    found = []
    for name, _desc in keys:
        if name in queryset.query.annotations:
            found.append(queryset.query.annotations[name].output_field)
            continue
        model, target = queryset.model, None
        for step in name.split("__"):
            target = model._meta.pk if step == "pk" else model._meta.get_field(step)
            if target.is_relation:
                model = target.related_model
        if target.null:
            raise ImproperlyConfigured(f"keyset ordering key {name} is nullable")
        found.append(target)
    return found


def _bad_cursor(value: str) -> BadParameter:
    return BadParameter(
        _("链接中的翻页位置“%(value)s”无效，请回到列表第一页重新翻页。") % {"value": shown(value)}
    )


def decode_cursor(queryset: QuerySet, order: Sequence[str], cursor: str) -> tuple[bool, list]:
    """``(forward, values)`` read from ``cursor`` for the ordering ``order`` of ``queryset`` (the keys
    model fields or annotations, aggregates included).

    Raises ``BadParameter`` for anything a page link of this ordering cannot have produced: bad base64
    or JSON, the wrong number of values, a value its field cannot hold (a bad date, a number over
    ``ID_MAX``, a NUL)."""
    keys = _parse_keys(order)
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payload = json.loads(raw.decode())
        direction, values = payload["d"], payload["k"]
        if direction not in ("n", "p") or not isinstance(values, list) or len(values) != len(keys):
            raise ValueError(cursor)
        parsed = []
        for model_field, value in zip(_key_fields(queryset, keys), values, strict=True):
            if isinstance(value, bool) != isinstance(model_field, models.BooleanField):
                raise ValueError(value)
            if not isinstance(value, int | str | float):
                raise ValueError(value)
            if isinstance(value, str) and "\x00" in value:
                raise ValueError(value)
            value = model_field.to_python(value)
            if isinstance(value, int) and abs(value) > ID_MAX:  # the database would overflow
                raise ValueError(value)
            parsed.append(value)
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError, KeyError, ValidationError):
        raise _bad_cursor(cursor) from None
    return direction == "n", parsed


def _beyond(keys: Sequence[tuple[str, bool]], values: Sequence, *, forward: bool) -> Q:
    """The rows after (``forward``) or before the row whose ordering values are ``values``."""
    # built from the keys alone: a reference to another column would join a grouped list's GROUP BY
    parts = []
    equal = Q()
    for (name, desc), value in zip(keys, values, strict=True):
        op = "lt" if desc == forward else "gt"
        parts.append(equal & Q(**{f"{name}__{op}": value}))
        equal &= Q(**{name: value})
    after = functools.reduce(operator.or_, parts)
    # the first key bounded on its own too, so an index on it is used as a range
    first, desc = keys[0]
    bound = Q(**{f"{first}__{'lte' if desc == forward else 'gte'}": values[0]})
    return bound & after


def keyset_page(queryset: QuerySet, order: Sequence[str], cursor: str | None, size: int, query) -> KeysetPage:
    """The page of ``queryset`` ordered by ``order`` that ``cursor`` names (the first page without
    one). Runs one query of at most ``size + 1`` rows and no count. ``query`` (a ``QueryDict``, the
    request's) is kept in the neighbours' links. Raises ``BadParameter`` for a malformed cursor."""
    keys = _parse_keys(order)
    if not cursor:
        rows = list(queryset.order_by(*order)[: size + 1])
        return KeysetPage(
            rows[:size], has_next=len(rows) > size, has_previous=False, keys=order, request_query=query
        )
    forward, values = decode_cursor(queryset, order, cursor)
    rows_q = queryset.filter(_beyond(keys, values, forward=forward))
    if forward:
        rows = list(rows_q.order_by(*order)[: size + 1])
        return KeysetPage(
            rows[:size], has_next=len(rows) > size, has_previous=True, keys=order, request_query=query
        )
    rows = list(rows_q.order_by(*(_flip(k) for k in order))[: size + 1])
    more = len(rows) > size
    return KeysetPage(rows[:size][::-1], has_next=True, has_previous=more, keys=order, request_query=query)


# --- the page ----------------------------------------------------------------------------------------


def paged(request, rows: QuerySet, order: Sequence[str], size: int = PAGE_SIZE) -> KeysetPage:
    """The page of ``rows`` ordered by ``order`` (the last key unique) that the request's ``?cursor=``
    names: for a page that lists rows with its own layout (``_pagination.html`` renders the links).
    Raises ``BadParameter`` for a malformed cursor."""
    return keyset_page(rows, order, request.GET.get(CURSOR, ""), size, request.GET)


def filtered(filterset, rows: QuerySet) -> tuple[QuerySet, int]:
    """``(rows, status)``: the rows the bound FilterSet selects and 200; when a filter value was refused,
    the unfiltered rows and 400 (the page shows the error beside the filter). ``filterset`` ``None``:
    the rows as they are."""
    if filterset is None or not filterset.is_bound:
        return rows, 200
    if filterset.is_valid():
        return filterset.filter_queryset(rows), 200
    return rows, 400


def list_page(
    request,
    spec: ListSpec,
    rows: QuerySet,
    *,
    filterset=None,
    context: Mapping[str, Any] | None = None,
) -> HttpResponse:
    """The list page of ``rows`` (already restricted to the user) filtered by ``filterset``, sorted as
    ``?sort=`` asks, paged by ``?cursor=``, or exported whole (filtered and sorted) as ``?export=``.

    The template (one extending ``_list.html``) gets ``page`` (a ``KeysetPage``), ``form`` (the filter
    form), ``headers`` (``(column, sort query string or "")`` per column), ``sort`` (the current sort),
    ``sort_links`` (column name → query string sorting by it, toggling direction), ``export_links``
    (format → query string), ``table_id`` and ``filter_id``, besides ``context``. Raises
    ``BadParameter`` (400) for a malformed cursor, sort or export format."""
    rows, status = filtered(filterset, rows)
    sort = request.GET.get(SORT, "").strip()
    order = spec.ordering(sort)
    fmt = request.GET.get(EXPORT, "")
    if fmt:
        if fmt not in EXPORT_FORMATS or spec.exporter is None:
            raise BadParameter(_("链接中的导出格式“%(value)s”无效。") % {"value": shown(fmt)})
        if status == 200:
            read = rows.order_by(*order).iterator(chunk_size=2000)
            if spec.prepare is not None:
                read = map(spec.prepare, read)
            return spec.exporter(fmt, spec.columns, read, spec.filename)
    page = keyset_page(rows, order, request.GET.get(CURSOR, ""), spec.page_size, request.GET)
    if spec.prepare is not None:
        page.object_list = [spec.prepare(row) for row in page.object_list]
    base = {k: v for k, v in request.GET.items() if k not in (CURSOR, SORT, EXPORT)}
    sort_links = {
        name: urlencode({**base, SORT: name if sort != name else "-" + name}) for name in spec.sorts
    }
    export_links = (
        {f: urlencode({**base, **({SORT: sort} if sort else {}), EXPORT: f}) for f in EXPORT_FORMATS}
        if spec.exporter and status == 200
        else {}
    )
    values = {
        "page": page,
        "headers": [(c, sort_links.get(c.name, "")) for c in spec.columns],
        "table_id": spec.table_id,
        "filter_id": spec.filter_id,
        "form": filterset.form if filterset is not None else None,
        "sort": sort,
        "sort_links": sort_links,
        "export_links": export_links,
        **(context or {}),
    }
    return render(request, spec.template, values, status=status)


# --- export of the kernel's own lists --------------------------------------------------------------

# The kernel writes no spreadsheet: the app that does registers its writer under "spreadsheet" (in its
# AppConfig.ready()), and a list of the kernel names ``export_registered`` as its exporter.
EXPORTERS: Registry[Callable[..., HttpResponse]] = Registry("list exporters")


def export_registered(fmt: str, columns: Sequence[Column], rows: Iterable, filename: str) -> HttpResponse:
    """The export answered by the registered spreadsheet writer (see ``ListSpec.exporter``). Raises
    ``ImproperlyConfigured`` when no app registered one."""
    writer = EXPORTERS.get("spreadsheet")
    if writer is None:
        raise ImproperlyConfigured("no list exporter registered (lijian.documents registers it)")
    return writer(fmt, columns, rows, filename)


# --- API lists ---------------------------------------------------------------------------------------


def api_filtered(filterset_class, rows: QuerySet, **values) -> QuerySet:
    """``rows`` filtered by the list's FilterSet with an API operation's query values (``None``: not
    given), so the page and the API filter alike. The operation's schema has already refused what the
    FilterSet would; a value it still refuses raises ``BadParameter`` (400 with the message)."""
    data = {name: str(value) for name, value in values.items() if value is not None}
    filters = filterset_class(data, rows)
    if not filters.is_valid():
        raise BadParameter(" ".join(e for errors in filters.errors.values() for e in errors))
    return filters.filter_queryset(rows)


def api_page(rows: QuerySet, after: int | None, limit: int) -> dict:
    """The API's keyset page: up to ``limit`` rows with an id above ``after``, in id order, and
    ``next_after`` (the id to ask after for the next page; ``None`` on the last). No count."""
    items = list(rows.filter(pk__gt=after or 0).order_by("pk")[: limit + 1])
    return {"items": items[:limit], "next_after": items[limit - 1].pk if len(items) > limit else None}
