"""A real lijian server for the trust tests: ``lijian serve`` (gunicorn + the import worker) on a free
127.0.0.1 port, with its own data folder and its own database, seeded with the test world, and HTTP
clients signed in as each role.

The database is a copy of the test run's migrated, empty database (SQLite: the online backup API;
PostgreSQL: ``CREATE DATABASE … TEMPLATE``), so no server pays for ``migrate``. The world is seeded by
``python -m tests.security.live seed`` run against the copy: the same builder as the unit tests,
through the product's services, and a signed-in session (second factor passed) per role.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
IDENTITY_KEY = "0123456789abcdef0123456789abcdef"  # a fixed SM4 key: the test data is throwaway
_names = itertools.count()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class LiveDatabase:
    """The server's database, and a read-only look into it for the test (the observer)."""

    url: str
    sqlite_path: Path | None = None
    admin_url: str | None = None  # PostgreSQL: where to drop it from
    name: str = ""

    @property
    def is_sqlite(self) -> bool:
        return self.sqlite_path is not None

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        """Rows of ``sql`` (``?`` placeholders on both databases), read in a connection of its own."""
        if self.is_sqlite:
            with contextlib.closing(sqlite3.connect(self.sqlite_path, timeout=30)) as conn:
                return conn.execute(sql, params).fetchall()
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            return conn.execute(sql.replace("?", "%s"), params).fetchall()

    def integrity_check(self) -> str:
        """SQLite's own check of every page and index (``ok`` when the file is sound)."""
        rows = self.query("PRAGMA integrity_check")
        return "\n".join(str(r[0]) for r in rows)

    def drop(self) -> None:
        if self.admin_url:
            import psycopg

            with psycopg.connect(self.admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def clone_test_database(folder: Path) -> LiveDatabase:
    """A copy of the test run's database (migrated, with what the migrations seed, nothing else) for
    a live server.

    Called inside the test's transaction (the ``db`` fixture), never a transactional test: flushing
    after one would wipe the data the migrations seeded for every later test of the worker. SQLite is
    copied as SQL (``iterdump``); PostgreSQL with ``pg_dump`` (a template copy would need the
    test's own connection closed).
    """
    from django.db import connection

    if connection.vendor == "sqlite":
        target = folder / "lijian.sqlite3"
        connection.ensure_connection()
        # Not the backup API: it waits for ever on the shared-cache lock the test's transaction holds.
        script = "\n".join(connection.connection.iterdump())
        with contextlib.closing(sqlite3.connect(target)) as copy:
            copy.executescript(script)
        return LiveDatabase(url=f"sqlite:///{target}", sqlite_path=target)
    import psycopg

    settings = connection.settings_dict
    template = settings["NAME"]
    name = f"{template}_live{os.getpid()}_{next(_names)}"[-63:]
    user, host, port = (
        settings["USER"] or "postgres",
        settings["HOST"] or "127.0.0.1",
        settings["PORT"] or 5432,
    )
    base = f"postgresql://{user}@{host}:{port}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    dump = subprocess.run(
        ["pg_dump", "--no-owner", "--no-privileges", f"{base}/{template}"], capture_output=True, check=True
    )
    subprocess.run(
        ["psql", "-q", "-v", "ON_ERROR_STOP=1", f"{base}/{name}"],
        input=dump.stdout,
        capture_output=True,
        check=True,
    )
    return LiveDatabase(url=f"{base}/{name}", admin_url=f"{base}/postgres", name=name)


@dataclass
class LiveServer:
    """``lijian serve`` in a process group of its own, so that ``kill()`` is a power cut of all of it
    (gunicorn's master and workers and the import worker) at once."""

    folder: Path
    database: LiveDatabase
    workers: int = 2
    threads: int = 4
    process: subprocess.Popen | None = None
    port: int = 0
    starts: int = 0
    log: Path = field(init=False)

    def __post_init__(self):
        self.folder.mkdir(parents=True, exist_ok=True)
        self.log = self.folder / "server.log"

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "DJANGO_"))}
        env.update(
            LIJIAN_DATA_DIR=str(self.folder),
            LIJIAN_DATABASE_URL=self.database.url,
            LIJIAN_HTTPS="0",
            LIJIAN_DEBUG="0",
            LIJIAN_IDENTITY_KEY=IDENTITY_KEY,
            PYTHONUNBUFFERED="1",
        )
        return env

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self, *args: str, check: bool = True, timeout: float = 300) -> subprocess.CompletedProcess:
        """Run ``lijian <args>`` against this server's data (as an operator would on the host)."""
        result = subprocess.run(
            [sys.executable, "-m", "lijian", *args],
            cwd=PROJECT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"lijian {' '.join(args)} → {result.returncode}\n{result.stdout}\n{result.stderr}"
            )
        return result

    def seed(self, full: bool = False) -> dict:
        """Build the test world in this server's database (``full``: with rounds, findings, petitions
        and rectification); the ids and signed-in sessions it made."""
        result = subprocess.run(
            [sys.executable, "-m", "tests.security.live", "seed", *(["--full"] if full else [])],
            cwd=PROJECT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if result.returncode != 0:
            raise AssertionError(f"seeding the live database failed:\n{result.stderr}")
        return json.loads(result.stdout.strip().splitlines()[-1])

    def start(self, timeout: float = 90) -> None:
        self.port = free_port()
        with open(self.log, "a") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "lijian", "serve", "--bind", f"127.0.0.1:{self.port}", "--no-daily"]
                + ["--workers", str(self.workers), "--threads", str(self.threads)],
                cwd=PROJECT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.starts += 1
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"the server exited ({self.process.returncode}):\n{self.tail()}")
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn,
            ):
                conn.sendall(b"GET /accounts/login/ HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
                if conn.recv(16)[8:13] == b" 200 ":  # "HTTP/1.x 200 "
                    return
            time.sleep(0.05)
        self.kill()
        raise AssertionError(f"the server did not answer within {timeout} s:\n{self.tail()}")

    def children(self) -> list[tuple[int, str]]:
        """(pid, command line) of the server's direct children: web workers and the import worker."""
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
                ppid = int(stat.rsplit(")", 1)[1].split()[1])
                if ppid == self.process.pid:
                    found.append(
                        (int(entry.name), (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode())
                    )
            except (OSError, ValueError, IndexError):
                continue
        return found

    def web_workers(self) -> list[int]:
        return [pid for pid, cmd in self.children() if " serve " in f"{cmd} "]

    def import_worker(self) -> int | None:
        return next((pid for pid, cmd in self.children() if "db_worker" in cmd), None)

    def kill(self) -> None:
        """``kill -9`` the whole server at once."""
        if self.process and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)
        self._reap_group()

    def stop(self) -> None:
        """Stop as an operator would (SIGTERM, then kill if it does not go)."""
        if self.process and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
        self._reap_group()

    def _reap_group(self) -> None:
        # Children that outlived their master (the import worker) are ended with the group.
        if self.process:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGKILL)

    def tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


class Client:
    """One signed-in person talking to the live server over HTTP (its own connection pool)."""

    def __init__(self, server: LiveServer, session_key: str, role: str = ""):
        import requests

        self.server = server
        self.role = role
        self.http = requests.Session()
        self.csrf = secrets.token_hex(16)  # a 32-character secret the CSRF check accepts as is
        self.http.cookies.set("sessionid", session_key)
        self.http.cookies.set("csrftoken", self.csrf)
        self.http.headers.update({"X-CSRFToken": self.csrf, "Accept-Language": "zh-hans"})

    def request(self, method: str, path: str, timeout: float = 60, **kwargs):
        return self.http.request(
            method, self.server.base + path, timeout=timeout, allow_redirects=False, **kwargs
        )

    def close(self) -> None:
        self.http.close()


def _signed_in_session(user) -> str:
    """A session of ``user`` as after a full login, the second factor included."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="live-test", confirmed=True)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    store.set_expiry(24 * 3600)
    store.save()
    return store.session_key


def _seed(full: bool) -> dict:
    from tests.world import build_findings, build_petitions, build_rectification, build_rounds, build_world

    world = build_world()
    ids = {}
    if full:  # rounds, findings, petitions and rectification, for readers to find something
        rounds = build_rounds(world)
        findings = build_findings(world, rounds)
        petitions = build_petitions(world, rounds)
        rect = build_rectification(world, rounds, findings)
        ids = {
            "problem_id": findings.problem1.pk,
            "clue_id": findings.clue1.pk,
            "petition_id": petitions.petition1.pk,
            "inspection_id": rect.inspection1.pk,
            "rect_problem_id": rect.problem1.pk,
        }
    sessions = {role: _signed_in_session(user) for role, user in world.users.items()}
    sessions["admin"] = _signed_in_session(world.admin)
    sessions["outsider"] = _signed_in_session(world.outsider)
    return {
        "sessions": sessions,
        "orgs": {
            name: getattr(world, name).pk for name in ("root", "d1", "d2", "t1", "t2", "v1", "v2", "soe")
        },
        "codes": {name: getattr(world, name).code for name in ("root", "d1", "d2", "t1", "t2", "v1", "v2")},
        "bodies": {"body1": world.body1.pk, "body2": world.body2.pk, "city": world.city_body.pk},
        "terms": {"term1": world.term1.pk, "term2": world.term2.pk},
        "ids": ids,
    }


if __name__ == "__main__" and sys.argv[1:2] == ["seed"]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lijian.settings")
    import django

    django.setup()
    print(json.dumps(_seed(full="--full" in sys.argv)))
