"""``lijian backup`` and ``lijian restore``: a round trip gives back the same figures and an intact
ledger, a non-empty database is not overwritten without ``--force``, and a bad file changes nothing.
The restore runs as its own ``lijian`` process against a scratch database, as an operator would."""

import io
import os
import subprocess
import sys
import uuid

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from lijian.core.backup import BackupError, restore
from lijian.core.models import AuditEvent

from ..world import build_world

POSTGRESQL = connection.vendor == "postgresql"


def lijian(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "lijian", *args], env=env, capture_output=True, text=True, check=False
    )


@pytest.fixture
def scratch(tmp_path):
    """The environment of a ``lijian`` process working on an empty scratch database."""
    env = dict(os.environ, LIJIAN_DATA_DIR=str(tmp_path / "data"), LIJIAN_DEBUG="0")
    env.pop("PYTEST_XDIST_WORKER", None)
    if POSTGRESQL:
        name = f"lijian_scratch_{uuid.uuid4().hex[:8]}"
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        params = connection.settings_dict
        env["LIJIAN_DATABASE_URL"] = (
            f"postgresql://{params['USER']}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{name}"
        )
        yield env
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        env["LIJIAN_DATABASE_URL"] = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        yield env


def figures() -> str:
    out = io.StringIO()
    call_command("figures", "--body", "TJ-XSB", "--json", stdout=out)
    return out.getvalue()


def test_a_backup_restores_to_the_same_figures_and_an_intact_ledger(
    transactional_db, django_db_serialized_rollback, tmp_path, scratch
):
    build_world()
    copy = tmp_path / ("lijian.dump" if POSTGRESQL else "lijian.sqlite3")
    call_command("backup", "--out", str(copy), stdout=io.StringIO())
    with pytest.raises(CommandError, match="已存在"):
        call_command("backup", "--out", str(copy))

    restored = lijian(scratch, "restore", str(copy))
    assert restored.returncode == 0, restored.stderr
    assert f"链尾第 {AuditEvent.objects.order_by('-seq').first().seq} 号" in restored.stdout
    assert lijian(scratch, "ledger", "verify").returncode == 0
    shown = lijian(scratch, "figures", "--body", "TJ-XSB", "--json")
    assert shown.returncode == 0 and shown.stdout == figures()

    again = lijian(scratch, "restore", str(copy))
    assert again.returncode == 1 and "--force" in again.stderr
    assert lijian(scratch, "restore", "--force", str(copy)).returncode == 0


def test_restore_refuses_a_wrong_file_and_a_database_with_data(world, tmp_path):
    with pytest.raises(BackupError, match="找不到"):
        restore(tmp_path / "missing")
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all")
    with pytest.raises(BackupError, match="--force"):
        restore(junk)
    with pytest.raises(BackupError, match="不是"):
        restore(junk, force=True)
    assert AuditEvent.objects.exists()
