"""Concurrent clients of mixed roles against a live server: reads of everything each role may see, and
writes (organisations, renames, inspection bodies) by office staff and administrators. Used by
``test_load.py`` (a short run in CI) and ``bench/load.py`` (minutes, figures to ``results.json``).

An error is any answer other than the one expected (a read the role was shown to be allowed answers
200; a write answers 200/201), a 5xx, a dropped connection or a timeout.
"""

from __future__ import annotations

import random
import statistics
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from .live import Client, LiveServer

WRITER_ROLES = ["office_staff", "office_staff", "outsider", "admin", "admin"]


@dataclass
class LoadResult:
    clients: int
    seconds: float = 0.0
    requests: int = 0
    reads: int = 0
    writes: int = 0
    errors: list[str] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)
    by_role: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, role: str, kind: str, ms: float, error: str | None) -> None:
        with self.lock:
            self.requests += 1
            self.by_role[role] += 1
            if kind == "read":
                self.reads += 1
            else:
                self.writes += 1
            self.latencies_ms.append(ms)
            if error:
                self.errors.append(error)

    def figures(self) -> dict:
        cuts = (
            statistics.quantiles(self.latencies_ms, n=100, method="inclusive")
            if len(self.latencies_ms) > 1
            else [0] * 99
        )
        return {
            "clients": self.clients,
            "seconds": round(self.seconds, 1),
            "requests": self.requests,
            "reads": self.reads,
            "writes": self.writes,
            "errors": len(self.errors),
            "requests_per_second": round(self.requests / self.seconds, 1) if self.seconds else 0,
            "p50_ms": round(cuts[49], 1),
            "p95_ms": round(cuts[94], 1),
            "max_ms": round(max(self.latencies_ms, default=0), 1),
            "by_role": dict(self.by_role),
        }


def _candidate_reads(role: str, world: dict) -> list[str]:
    """GET operations of the API that ``role`` holds the permission for, with ids from the world."""
    from lijian.accounts.choices import ROLE_PERMISSIONS
    from lijian.core.permissions import Perm
    from lijian.core.routes import iter_api_operations

    ids = world["ids"]
    fill = {
        "org_id": world["orgs"]["t1"],
        "body_id": world["bodies"]["body1"],
        "clue_id": ids.get("clue_id"),
        "petition_id": ids.get("petition_id"),
        "inspection_id": ids.get("inspection_id"),
    }
    held = (
        None
        if role in ("admin",)
        else set(ROLE_PERMISSIONS.get("office_staff" if role == "outsider" else role, ()))
    )
    paths = ["/", "/api/orgs/?limit=20"]
    for op in iter_api_operations():
        if op.method != "GET" or op.path in ("/orgs/",):
            continue
        if (
            held is not None
            and op.permission not in (Perm.PUBLIC, Perm.SIGNED_IN)
            and op.permission not in held
        ):
            continue
        values = dict(fill)
        values["problem_id"] = ids.get(
            "rect_problem_id" if op.path.startswith("/rectification/") else "problem_id"
        )
        try:
            paths.append("/api" + op.path.format(**values))
        except KeyError:
            continue
    return [p for p in paths if "None" not in p]


def calibrate(server: LiveServer, world: dict, roles: list[str]) -> dict[str, list[str]]:
    """Each role's reads that answer 200 on a quiet server: under load each must answer the same."""
    plan = {}
    for role in set(roles):
        client = Client(server, world["sessions"][role], role)
        plan[role] = [p for p in _candidate_reads(role, world) if client.request("GET", p).status_code == 200]
        client.close()
    return plan


def _write(client: Client, world: dict, tag: str, n: int, mine: list[int]):
    parent = {"outsider": "t2", "admin": "soe"}.get(client.role, "t1")
    owner = {"outsider": "d2", "admin": "root"}.get(client.role, "d1")
    if mine and n % 3 == 1:
        return "PATCH", f"/api/orgs/{random.choice(mine[-5:])}", {"name": f"更名{tag}-{n}"}, (200,)
    if n % 5 == 4:
        body = {
            "code": f"B{tag}-{n}",
            "name": f"巡察办{tag}-{n}",
            "level": "patrol",
            "owner_org_id": world["orgs"][owner],
        }
        return "POST", "/api/bodies/", body, (201,)
    body = {
        "parent_id": world["orgs"][parent],
        "code": f"{tag}-{n}",
        "name": f"支部{tag}-{n}",
        "kind": "branch",
    }
    return "POST", "/api/orgs/", body, (201,)


def _client_loop(server, world, role, reads, writer, tag, deadline, result: LoadResult):
    client = Client(server, world["sessions"][role], role)
    mine: list[int] = []
    n = 0
    while time.monotonic() < deadline:
        n += 1
        if writer and n % 2 == 0:
            method, path, body, expected = _write(client, world, tag, n, mine)
            kind = "write"
        else:
            method, path, body, expected, kind = "GET", random.choice(reads), None, (200,), "read"
        started = time.perf_counter()
        error = None
        try:
            response = client.request(method, path, json=body, timeout=60)
            if response.status_code not in expected:
                error = f"{role} {method} {path} → {response.status_code} {response.text[:160]}"
            elif method == "POST" and path == "/api/orgs/":
                mine.append(response.json()["id"])
        except Exception as exc:  # a dropped line or a timeout is an error of the server under load
            error = f"{role} {method} {path} → {type(exc).__name__}: {exc}"
        result.record(role, kind, (time.perf_counter() - started) * 1000, error)
    client.close()


def run_load(server: LiveServer, world: dict, *, clients: int = 20, seconds: float = 25) -> LoadResult:
    """``clients`` threads, each one person, for ``seconds``: five write and read, the rest read."""
    from lijian.accounts.choices import Role

    readers = [*Role.values, "admin", "outsider"]
    roles = [WRITER_ROLES[i] if i < len(WRITER_ROLES) else readers[i % len(readers)] for i in range(clients)]
    plan = calibrate(server, world, roles)
    result = LoadResult(clients=clients)
    deadline = time.monotonic() + seconds
    threads = [
        threading.Thread(
            target=_client_loop,
            args=(server, world, role, plan[role], i < len(WRITER_ROLES), f"LD{i}", deadline, result),
        )
        for i, role in enumerate(roles)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 120)
    result.seconds = time.monotonic() - started
    return result
