"""The tree reads that run on every organisation page, as plain SQL on the path indexes.

These are the hottest reads at national scale (millions of organisations): a subtree count is a range
count on the unique ``path`` index, a page of children a range on the ``(depth, path)`` index, the
path to the root an ``IN`` on ``path``. Building a Django queryset and model instances for them costs
several times the query itself, so they are written once here, portable between SQLite and
PostgreSQL, and return light rows. Permission checks stay in ``selectors``.
"""

from __future__ import annotations

import datetime
from functools import lru_cache
from typing import NamedTuple

from django.db import connection

from lijian.core.permissions import subtree_range

from .choices import OrgKind
from .models import PATH_STEP, InspectionBody, Organization

ORG = Organization._meta.db_table
BODY = InspectionBody._meta.db_table


def _date(value) -> datetime.date | None:
    # SQLite hands dates back as text through a plain cursor; PostgreSQL as dates.
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(value)


class OrgRow(NamedTuple):
    """What lists and breadcrumbs show of an organisation (the API's ``OrgOut`` fields among them)."""

    id: int
    code: str
    name: str
    kind: str
    depth: int
    path: str
    numchild: int
    division_code: str
    active_from: datetime.date | None
    active_to: datetime.date | None
    supervising_body_id: int | None
    body_name: str | None

    @property
    def pk(self) -> int:
        return self.id

    def get_kind_display(self) -> str:
        return str(OrgKind(self.kind).label)


_COLUMNS = (
    f"o.id, o.code, o.name, o.kind, o.depth, o.path, o.numchild, o.division_code, o.active_from, o.active_to, "
    f"o.supervising_body_id, b.name FROM {ORG} o LEFT JOIN {BODY} b ON b.id = o.supervising_body_id"
)


@lru_cache(maxsize=64)
def _qmark(sql: str) -> str:
    return sql.replace("%s", "?")


def _fetch(sql: str, params: list) -> list[tuple]:
    """Run ``sql`` (``%s`` placeholders) on the DB-API connection itself: Django's cursor wrapper
    costs more than these index lookups take (tens of microseconds on SQLite)."""
    connection.ensure_connection()
    raw = connection.connection
    if connection.vendor == "sqlite":
        return raw.execute(_qmark(sql), params).fetchall()
    with raw.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _rows(sql: str, params: list) -> list[OrgRow]:
    rows = _fetch(sql, params)
    if connection.vendor == "sqlite":
        return [OrgRow(*r[:8], _date(r[8]), _date(r[9]), *r[10:]) for r in rows]
    return [OrgRow._make(r) for r in rows]


def subtree_size(path: str) -> int:
    """Organisations in the subtree rooted at ``path``, the root included."""
    low, high = subtree_range(path)
    return _fetch(f"SELECT COUNT(*) FROM {ORG} WHERE path >= %s AND path < %s", [low, high])[0][0]


def children(path: str, *, after: str | None = None, limit: int = 50) -> list[OrgRow]:
    """Up to ``limit`` children of the node at ``path``, in tree order, after the path ``after``."""
    low, high = subtree_range(path)
    if after and after > low:
        low = after  # strictly after it: ``path > after``
        sql = f"SELECT {_COLUMNS} WHERE o.depth = %s AND o.path > %s AND o.path < %s ORDER BY o.path LIMIT %s"
    else:
        sql = (
            f"SELECT {_COLUMNS} WHERE o.depth = %s AND o.path >= %s AND o.path < %s ORDER BY o.path LIMIT %s"
        )
    return _rows(sql, [len(path) // PATH_STEP + 1, low, high, limit])


def roots() -> list[OrgRow]:
    return _rows(f"SELECT {_COLUMNS} WHERE o.depth = 1 ORDER BY o.path", [])


def by_paths(paths: list[str]) -> list[OrgRow]:
    """The organisations at these paths, shallowest first (e.g. the ancestors of a node)."""
    if not paths:
        return []
    marks = ", ".join(["%s"] * len(paths))
    return _rows(f"SELECT {_COLUMNS} WHERE o.path IN ({marks}) ORDER BY o.path", list(paths))
