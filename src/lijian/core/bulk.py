"""Writing many rows fast, the same way on SQLite and PostgreSQL.

``bulk_insert`` sends rows with ``COPY`` on PostgreSQL and one ``executemany`` on SQLite. When a load is
large compared with the table, the table's indexes are dropped first and rebuilt after, inside the
same transaction: building an index once from sorted data is several times faster than growing it
row by row. Unique indexes are rebuilt too, so duplicates are still refused by the database.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from contextlib import contextmanager

from django.db import connection
from django.utils.translation import gettext as _

Progress = Callable[[str, int, int | None], None]

# Below this many rows the indexes are kept: dropping and rebuilding them would cost more than it saves.
REBUILD_THRESHOLD = 100_000
BATCH = 50_000


def _droppable_indexes(table: str) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the table's indexes that stand on their own: not the primary key
    and not part of a constraint written into the table (those cannot be dropped)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                """SELECT i.indexname, i.indexdef FROM pg_indexes i
                   JOIN pg_class c ON c.relname = i.indexname AND c.relnamespace = (
                       SELECT oid FROM pg_namespace WHERE nspname = i.schemaname)
                   WHERE i.tablename = %s
                     AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid)""",
                [table],
            )
        else:  # automatic indexes of inline constraints have no SQL of their own
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
                [table],
            )
        return cursor.fetchall()


@contextmanager
def indexes_suspended(table: str, progress: Progress | None = None):
    """Drop the table's own indexes for the duration of the block and rebuild them after; a unique
    index rebuilt over duplicates raises ``IntegrityError``.

    Call inside a transaction: if the block fails, the rollback restores the indexes.
    """
    indexes = _droppable_indexes(table)
    with connection.cursor() as cursor:
        for name, _sql in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    yield
    if progress:
        progress(_("重建索引"), 0, None)
    with connection.cursor() as cursor:
        for _name, sql in indexes:
            cursor.execute(sql)


def _row_count(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
        return cursor.fetchone()[0]


def bulk_insert(
    table: str,
    columns: Sequence[str],
    records: Sequence[tuple],
    *,
    progress: Progress | None = None,
    label: str = "",
) -> None:
    """Insert ``records`` (tuples in ``columns`` order) into ``table`` within the current transaction."""
    progress = progress or (lambda *args: None)
    total = len(records)
    rebuild = total >= REBUILD_THRESHOLD and total >= _row_count(table)
    column_list = ", ".join(f'"{c}"' for c in columns)
    suspended = indexes_suspended(table, progress) if rebuild else _nothing()
    with suspended, connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Foreign keys are checked row by row as they arrive: deferred checks would queue millions
            # of trigger events, and PostgreSQL refuses CREATE INDEX while any are pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            with cursor.cursor.copy(f'COPY "{table}" ({column_list}) FROM STDIN') as copy:
                for i in range(0, total, BATCH):
                    copy.write("".join(map(_copy_line, records[i : i + BATCH])))
                    progress(label, i, total)
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            sql = f'INSERT INTO "{table}" ({column_list}) VALUES ({", ".join(["%s"] * len(columns))})'
            # A bigger page cache for the load keeps the unique indexes' pages in memory.
            cursor.execute("PRAGMA cache_size")
            cache = cursor.fetchone()[0]
            cursor.execute("PRAGMA cache_size = -1048576")
            try:
                for i in range(0, total, BATCH):
                    cursor.executemany(sql, records[i : i + BATCH])
                    progress(label, i, total)
            finally:
                cursor.execute(f"PRAGMA cache_size = {int(cache)}")
        progress(label, total, total)


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_value(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return (
            value.translate(_COPY_ESCAPES)
            if ("\\" in value or "\t" in value or "\n" in value or "\r" in value)
            else value
        )
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return str(value)


def _copy_line(record: tuple) -> str:
    """One row in PostgreSQL's COPY text format (formatting it here is several times faster than
    psycopg's per-value ``write_row``)."""
    return "\t".join(map(_copy_value, record)) + "\n"


@contextmanager
def _nothing():
    yield


def analyze(table: str) -> None:
    """Refresh the planner's statistics after a large load (on SQLite from a sample of each index:
    a full ANALYZE would read millions of rows again)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit = 1000")
        cursor.execute(f'ANALYZE "{table}"')
