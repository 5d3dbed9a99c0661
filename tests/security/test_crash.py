"""Crash safety: ``kill -9`` the real server again and again in the middle of API writes and ledger
imports, then prove that nothing it acknowledged was lost, that no import is half there, that no
import is left "running" for ever, that the database file is sound and the audit ledger verifies.

Each life of the server: start ``lijian serve``; writers create and rename organisations and bodies
through the API as three people in different scopes, recording every answer; web workers are killed
one after another (gunicorn starts new ones at once); two ledger bundles are uploaded from the web
page, the first is awaited (an acknowledged import), and the whole server — master, workers and the
import worker — is killed at a random moment of the second one. After the last life the server is
started once more and the queue drained, then the checks run on what it left.

Sized for CI (≥ 50 kills in well under two minutes on SQLite); on PostgreSQL a few lives only (the
file check is SQLite's; the rest is the same).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import random
import signal
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

import pytest
import requests

from lijian.accounts.choices import Role

from .live import Client, LiveServer

IMPORT_ROWS = 800  # organisations per bundle: the import takes about a second, long enough to land in


@dataclass
class Attempt:
    kind: str  # org / rename / body
    key: str  # the code written (org, body) or the name given (rename)
    object_id: int | None = None
    acked: bool = False
    status: int | None = None


@dataclass
class Ledger:
    """What the clients asked for and what the server acknowledged (a 2xx answer with the id it gave)."""

    attempts: list[Attempt] = field(default_factory=list)
    renames: dict[int, list[Attempt]] = field(default_factory=lambda: defaultdict(list))
    refused: list[str] = field(default_factory=list)  # answers that are neither 2xx nor a dropped line
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, attempt: Attempt) -> None:
        with self.lock:
            self.attempts.append(attempt)
            if attempt.kind == "rename":
                self.renames[attempt.object_id].append(attempt)

    @property
    def acked(self) -> list[Attempt]:
        return [a for a in self.attempts if a.acked]


def _writer(
    client: Client, parent_id: int, owner_org_id: int, tag: str, ledger: Ledger, stop: threading.Event
):
    """Write until told to stop: new organisations, renames of the last one made, now and then a body."""
    mine: list[int] = []
    for n in range(1_000_000):
        if stop.is_set():
            return
        if mine and n % 3 == 1:
            target = random.choice(mine[-5:])
            attempt = Attempt("rename", f"{tag}-r{n}", object_id=target)
            method, path, body = "PATCH", f"/api/orgs/{target}", {"name": attempt.key}
        elif n % 7 == 6:
            attempt = Attempt("body", f"B{tag}-{n}")
            body = {
                "code": attempt.key,
                "name": f"巡察办{tag}-{n}",
                "level": "patrol",
                "owner_org_id": owner_org_id,
            }
            method, path = "POST", "/api/bodies/"
        else:
            attempt = Attempt("org", f"{tag}-{n}")
            body = {"parent_id": parent_id, "code": attempt.key, "name": f"支部{tag}-{n}", "kind": "branch"}
            method, path = "POST", "/api/orgs/"
        ledger.add(attempt)  # recorded before it is sent: an unanswered write may or may not exist
        try:
            response = client.request(method, path, json=body, timeout=60)
        except requests.RequestException:
            time.sleep(0.05)  # the worker died under us, or the whole server is gone
            continue
        attempt.status = response.status_code
        if 200 <= response.status_code < 300:
            attempt.object_id = response.json()["id"]
            attempt.acked = True
            if attempt.kind == "org":
                mine.append(attempt.object_id)
        else:
            ledger.refused.append(f"{method} {path} → {response.status_code} {response.text[:200]}")


def _bundle(prefix: str, parent_code: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["code", "name", "kind", "parent_code"])
    writer.writerow([f"{prefix}-0", f"导入单位{prefix}", "other", parent_code])
    for i in range(1, IMPORT_ROWS):
        writer.writerow([f"{prefix}-{i}", f"导入支部{prefix}-{i}", "branch", f"{prefix}-0"])
    return out.getvalue().encode("utf-8")


def _upload(client: Client, data: bytes) -> int:
    response = client.request(
        "POST", "/documents/ledger/import/", files={"bundle": ("organizations.csv", data)}
    )
    assert response.status_code == 302, (response.status_code, response.text[:300])
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def _job(server: LiveServer, job_id: int) -> tuple[str, str | None, str | None]:
    rows = server.database.query(
        "SELECT status, started_at, finished_at FROM documents_ledgerimportjob WHERE id = ?", (job_id,)
    )
    return rows[0] if rows else ("missing", None, None)


def _wait_job(server: LiveServer, job_id: int, states: set[str], timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = _job(server, job_id)[0]
        if status in states:
            return status
        time.sleep(0.02)
    raise AssertionError(f"import job {job_id} stayed {status} for {timeout} s:\n{server.tail()}")


def _kill_web_workers(server: LiveServer, count: int) -> int:
    """Kill ``count`` gunicorn workers one at a time, each while the writers are busy on it."""
    killed = 0
    while killed < count:
        time.sleep(random.uniform(0.15, 0.45))
        workers = server.web_workers()
        if not workers:
            continue
        try:
            os.kill(random.choice(workers), signal.SIGKILL)
        except ProcessLookupError:
            continue
        killed += 1
    return killed


@pytest.mark.long  # a minute or more: started first, beside the rest of the suite
def test_kill_9_loses_no_acknowledged_write_and_leaves_no_partial_import(live_server_factory):
    server = live_server_factory("crash")
    sqlite = server.database.is_sqlite
    lives, worker_kills_per_life = (3, 16) if sqlite else (2, 4)
    world = server.seed()
    sessions = world["sessions"]
    ledger = Ledger()
    imports: dict[int, dict] = {}  # job id -> prefix, sha256, acknowledged
    kills = {"web_worker": 0, "whole_server": 0}
    started = time.monotonic()
    for life in range(lives):
        server.start()
        stop = threading.Event()
        writers = [
            threading.Thread(
                target=_writer,
                args=(Client(server, sessions[Role.OFFICE_STAFF]), world["orgs"]["t1"], world["orgs"]["d1"])
                + (f"L{life}s{i}", ledger, stop),
            )
            for i in range(2)
        ] + [
            threading.Thread(
                target=_writer,
                args=(Client(server, sessions["outsider"]), world["orgs"]["t2"], world["orgs"]["d2"])
                + (f"L{life}o", ledger, stop),
            ),
            threading.Thread(
                target=_writer,
                args=(Client(server, sessions["admin"]), world["orgs"]["soe"], world["orgs"]["root"])
                + (f"L{life}a", ledger, stop),
            ),
        ]
        for thread in writers:
            thread.start()
        uploader = Client(server, sessions[Role.OFFICE_STAFF])

        def upload(prefix: str, uploader=uploader) -> int:
            data = _bundle(prefix, world["codes"]["v1"])
            job_id = _upload(uploader, data)
            imports[job_id] = {"prefix": prefix, "sha256": hashlib.sha256(data).hexdigest(), "acked": False}
            return job_id

        first = upload(f"IMP{life}a")
        kills["web_worker"] += _kill_web_workers(server, worker_kills_per_life)
        if _wait_job(server, first, {"succeeded", "failed"}) == "succeeded":
            imports[first]["acked"] = True
        second = upload(f"IMP{life}b")  # only now, so that the kill below meets it under way
        _wait_job(server, second, {"running", "succeeded", "failed"})
        _, begun, ended = _job(server, first)
        took = _seconds(ended) - _seconds(begun) if begun and ended else 1.0
        time.sleep(random.uniform(0, took * 0.9))  # most kills land inside the import, some after it
        server.kill()
        kills["whole_server"] += 1
        stop.set()
        for thread in writers:
            thread.join(timeout=90)
        assert not any(t.is_alive() for t in writers)
    loop_seconds = time.monotonic() - started

    # The server comes back, finishes what was queued, and has kept everything it acknowledged.
    server.start()
    deadline = time.monotonic() + 120
    while server.database.query(
        "SELECT count(*) FROM documents_ledgerimportjob WHERE status IN ('queued', 'running')"
    )[0][0]:
        assert time.monotonic() < deadline, "jobs left queued or running after the restart:\n" + server.tail()
        time.sleep(0.2)
    server.stop()

    db = server.database
    orgs = dict(db.query("SELECT id, code FROM orgs_organization"))
    names = dict(db.query("SELECT id, name FROM orgs_organization"))
    bodies = dict(db.query("SELECT id, code FROM orgs_inspectionbody"))
    lost = [
        a
        for a in ledger.acked
        if (a.kind == "org" and orgs.get(a.object_id) != a.key)
        or (a.kind == "body" and bodies.get(a.object_id) != a.key)
    ]
    assert not lost, f"{len(lost)} acknowledged writes lost, e.g. {lost[:5]}"
    for org_id, renames in ledger.renames.items():
        last_acked = max((i for i, a in enumerate(renames) if a.acked), default=None)
        if last_acked is None:
            continue
        allowed = {a.key for a in renames[last_acked:]}  # the last acknowledged name, or one sent after it
        assert names.get(org_id) in allowed, (org_id, names.get(org_id), allowed)
    assert not ledger.refused, "answers other than 2xx:\n" + "\n".join(ledger.refused[:10])

    # Every acknowledged write left its audit event.
    audited = set(db.query("SELECT object_type, object_id FROM core_auditevent"))
    unaudited = [
        a
        for a in ledger.acked
        if (("orgs.organization" if a.kind != "body" else "orgs.inspectionbody"), str(a.object_id))
        not in audited
    ]
    assert not unaudited, f"{len(unaudited)} acknowledged writes without an audit event, e.g. {unaudited[:3]}"

    # Imports: all of a bundle or none of it, as its job says (a job cut off is settled at the restart).
    import_events = [
        json.loads(after) if isinstance(after, str) else after
        for (after,) in db.query("SELECT after FROM core_auditevent WHERE action = 'ledger.import'")
    ]
    audited_bundles = {event.get("sha256") for event in import_events if event}
    outcome = {"complete": 0, "absent": 0}
    for job_id, bundle in imports.items():
        status = _job(server, job_id)[0]
        present = db.query(
            "SELECT count(*) FROM orgs_organization WHERE code LIKE ?", (bundle["prefix"] + "-%",)
        )[0][0]
        assert present in (0, IMPORT_ROWS), (
            f"partial import {bundle['prefix']}: {present} of {IMPORT_ROWS} rows"
        )
        assert (present == IMPORT_ROWS) == (status == "succeeded"), (bundle, status, present)
        assert (bundle["sha256"] in audited_bundles) == (status == "succeeded"), (bundle, status)
        if bundle["acked"]:
            assert present == IMPORT_ROWS, f"acknowledged import {bundle['prefix']} lost"
        outcome["complete" if present else "absent"] += 1

    if sqlite:
        assert db.integrity_check() == "ok"
    verify = server.command("ledger", "verify", check=False)
    assert verify.returncode == 0, f"ledger verify failed:\n{verify.stdout}\n{verify.stderr}"

    total_kills = kills["web_worker"] + kills["whole_server"]
    print(
        f"\ncrash ({'SQLite' if sqlite else 'PostgreSQL'}): {total_kills} kills "
        f"({kills['web_worker']} web workers, {kills['whole_server']} whole server during an import) "
        f"in {loop_seconds:.0f} s; {len(ledger.attempts)} writes sent, {len(ledger.acked)} acknowledged, "
        f"all kept; imports {outcome['complete']} complete, {outcome['absent']} absent, none partial"
    )
    if sqlite:
        assert total_kills >= 50


def _seconds(value) -> float:
    import datetime

    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    return value.timestamp()


pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


def _running_job(world, tmp_path, data: bytes):
    from lijian.documents.jobs import upload_dir
    from lijian.documents.models import LedgerImportJob

    folder = upload_dir() / f"crash-{tmp_path.name}"
    folder.mkdir(parents=True)
    (folder / "organizations.csv").write_bytes(data)
    job = LedgerImportJob.objects.create(
        created_by=world.users[Role.OFFICE_STAFF],
        original_name="和平区台账.csv",
        stored_name=f"{folder.name}/organizations.csv",
        status="running",
    )
    LedgerImportJob.objects.filter(pk=job.pk).update(started_at=job.created_at)
    return job, folder


def test_an_import_cut_off_before_its_commit_is_settled_as_failed_with_nothing_imported(world, tmp_path):
    from lijian.documents.services import ledger_jobs_settle_interrupted
    from lijian.orgs.models import Organization

    job, folder = _running_job(world, tmp_path, _bundle("CUT", world.v1.code))
    assert ledger_jobs_settle_interrupted() == 1
    job.refresh_from_db()
    assert job.status == "failed" and "服务器停止" in job.report["errors"][0]["reason"]
    assert not folder.exists() and not Organization.objects.filter(code__startswith="CUT-").exists()
    assert ledger_jobs_settle_interrupted() == 0


def test_an_import_cut_off_after_its_commit_is_settled_as_done(world, tmp_path):
    from lijian.documents.ledger.importer import ledger_import
    from lijian.documents.services import ledger_jobs_settle_interrupted

    job, folder = _running_job(world, tmp_path, _bundle("DONE", world.v1.code))
    assert ledger_import(folder / "organizations.csv", actor=job.created_by).ok  # then the power went
    assert ledger_jobs_settle_interrupted() == 1
    job.refresh_from_db()
    assert job.status == "succeeded" and job.report["counts"]["organizations.csv"]["created"] == IMPORT_ROWS
