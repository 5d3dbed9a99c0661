"""Backing the database up to one file and restoring it, on SQLite and PostgreSQL.

SQLite: the online backup API copies a consistent snapshot while the server keeps running; the copy
is a plain SQLite file (rollback journal, so it is complete on its own). PostgreSQL: ``pg_dump`` in
its custom format, restored with ``pg_restore`` in one transaction. The uploaded files (attachments)
live in ``$LIJIAN_DATA_DIR/files`` and are copied with the data folder, not by these commands; the
identity and ledger keys are kept apart on purpose (see ``docs/security.md``).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"


class BackupError(Exception):
    """The backup or restore could not be done; the message says why, in words for the operator."""


def default_name() -> str:
    suffix = "sqlite3" if connection.vendor == "sqlite" else "dump"
    return f"lijian-{timezone.localtime():%Y%m%d-%H%M%S}.{suffix}"


# --- PostgreSQL tools ---------------------------------------------------------------------------


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            _(
                "找不到 PostgreSQL 的 %(tool)s 命令：请安装与数据库服务器同版本的 PostgreSQL 客户端（postgresql-client）。"
            )
            % {"tool": name}
        )
    return path


def _pg_environment(settings_dict: dict) -> dict:
    """Connection settings for the PostgreSQL tools, passed in the environment (a password never
    shows on the process list)."""
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    env["PGDATABASE"] = settings_dict["NAME"]
    return env


def _run(command: list[str], env: dict) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(done.stderr.strip() or _("%(tool)s 失败。") % {"tool": Path(command[0]).name})


# --- Backup --------------------------------------------------------------------------------------


def backup(out: Path) -> Path:
    """Write a consistent copy of the whole database to ``out`` (never over an existing file).

    Raises ``BackupError`` when ``out`` exists or the PostgreSQL tools are missing or fail."""
    out = Path(out)
    if out.exists():
        raise BackupError(_("文件 %(path)s 已存在，不会覆盖。") % {"path": out})
    out.parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(out)
        try:
            connection.connection.backup(target)
            target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        finally:
            target.close()
    elif connection.vendor == "postgresql":
        env = _pg_environment(connection.settings_dict)
        _run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={out}"], env)
    else:  # pragma: no cover - only the two supported databases
        raise BackupError(connection.vendor)
    return out


# --- Restore -------------------------------------------------------------------------------------


def database_is_empty() -> bool:
    """True when the database holds no accounts and no audit events (a new or freshly migrated one)."""
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table in ("accounts_user", "core_auditevent"):
            if table in tables:
                cursor.execute(f'SELECT 1 FROM "{table}" LIMIT 1')
                if cursor.fetchone():
                    return False
    return True


def _check_sqlite_file(path: Path) -> None:
    try:
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            ok = source.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            migrated = source.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'django_migrations'"
            ).fetchone()
        finally:
            source.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(_("备份文件 %(path)s 已损坏：%(error)s") % {"path": path, "error": exc}) from exc
    if not ok:
        raise BackupError(_("备份文件 %(path)s 未通过完整性检查。") % {"path": path})
    if not migrated:
        raise BackupError(_("%(path)s 不是利剑的数据库备份。") % {"path": path})


def restore(source: Path, *, force: bool = False) -> None:
    """Replace the whole database with the backup ``source``.

    Refuses (``BackupError``) a file that is missing, of the other database's kind, damaged or not a
    lijian database, and a database that already holds data unless ``force``. The server should be
    stopped while restoring."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(_("找不到备份文件 %(path)s。") % {"path": source})
    with source.open("rb") as handle:
        head = handle.read(16)
    if not force and not database_is_empty():
        raise BackupError(_("数据库中已有数据：恢复会覆盖现有的全部数据。确认要覆盖时请加 --force。"))
    if connection.vendor == "sqlite":
        if head != SQLITE_MAGIC:
            raise BackupError(
                _("%(path)s 不是 SQLite 数据库备份（当前数据库是 SQLite）。") % {"path": source}
            )
        _check_sqlite_file(source)
        connection.ensure_connection()
        backup_file = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            backup_file.backup(connection.connection)
        finally:
            backup_file.close()
        connection.close()  # the next use reconnects and sets WAL mode again
    elif connection.vendor == "postgresql":
        if not head.startswith(PG_MAGIC):
            raise BackupError(
                _("%(path)s 不是 pg_dump 自定义格式的备份（当前数据库是 PostgreSQL）。") % {"path": source}
            )
        env = _pg_environment(connection.settings_dict)
        tool = _pg_tool("pg_restore")
        connection.close()  # hold no lock on the tables pg_restore drops
        _run([tool, "--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error",
              f"--dbname={connection.settings_dict['NAME']}", str(source)], env)  # fmt: skip
    else:  # pragma: no cover
        raise BackupError(connection.vendor)
