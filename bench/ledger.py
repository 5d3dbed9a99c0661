"""The audit ledger's cost: appending chained events one per transaction (as the services do) against
the same insert without the chain, chaining in bulk, and ``ledger verify`` — events per second.

Each database is measured in its own process (settings read ``LIJIAN_DATABASE_URL`` at import):
``run`` starts ``python -m bench.ledger --events …`` on a fresh database of each kind and collects
the figures it prints as JSON (``bench.isolated.measure_each``).
"""

from __future__ import annotations

import json
import time

from bench.common import WORK, code_version, machine, now_iso, save_results, table
from bench.isolated import django_ready, measure_each

KEY = "ledger"
DEFAULT_EVENTS = 100_000


def run(events: int, dbs: list[str], *, save: bool = True) -> dict:
    entry = {"measured_at": now_iso(), "machine": machine(), "code": code_version(), "events": events}
    entry.update(
        measure_each(
            KEY,
            dbs,
            "bench.ledger",
            ["--events", str(events)],
            env={"LIJIAN_LEDGER_KEY_FILE": str(WORK / KEY / "ledger_key")},
        )
    )
    print(_table(entry, dbs))
    if save:
        save_results(KEY, entry)
    return entry


def _table(entry: dict, dbs: list[str]) -> str:
    rows = []
    keys = [
        ("append_unchained_per_s", "逐条写入（无链）条/秒"),
        ("append_chained_per_s", "逐条写入（SM3 链）条/秒"),
        ("chain_overhead_us", "每条链的额外开销 µs"),
        ("bulk_chained_per_s", "批量写入（SM3 链）条/秒"),
        ("verify_per_s", "ledger verify 条/秒"),
        ("verify_per_cpu_s", "ledger verify 条/CPU 秒"),
    ]
    for key, label in keys:
        rows.append([label, *[str(entry.get(db, {}).get(key, "—")) for db in dbs]])
    return table(["审计账本", *dbs], rows)


# --- The measuring process -------------------------------------------------------------------------


def _measure(events: int) -> dict:
    django_ready()
    from django.db import models, transaction

    from lijian.core.audit import audit_record
    from lijian.core.ledger import verify
    from lijian.core.models import AuditEvent

    per_transaction = max(events // 10, 1000)
    after = {"title": "一个有代表性的标题", "status": "approved", "n": 3, "list": ["a", "b"]}

    def unchained(i):
        # The same row through Django's plain save: what an insert cost before the chain.
        event = AuditEvent(
            actor_name="bench",
            action="bench.plain",
            object_repr=f"对象 {i}",
            after=after,
            seq=10**12 + i,
            hash="",
        )
        models.Model.save(event)

    started = time.perf_counter()
    for i in range(per_transaction):
        with transaction.atomic():
            audit_record(actor=None, action="bench.chained", object_repr=f"对象 {i}", after=after)
    chained_seconds = time.perf_counter() - started

    started = time.perf_counter()
    remaining, batch = events - per_transaction, 5000
    while remaining > 0:
        size = min(batch, remaining)
        with transaction.atomic():
            AuditEvent.objects.bulk_create(
                [
                    AuditEvent(actor_name="bench", action="bench.bulk", object_repr=str(i), after=after)
                    for i in range(size)
                ]
            )
        remaining -= size
    bulk_seconds = time.perf_counter() - started

    started, cpu = time.perf_counter(), time.process_time()
    result = verify()
    verify_seconds, verify_cpu = time.perf_counter() - started, time.process_time() - cpu
    assert result.ok, result.problems

    # Last, so its rows (numbered far past the chain) do not disturb the verification above.
    started = time.perf_counter()
    for i in range(per_transaction):
        with transaction.atomic():
            unchained(i)
    plain_seconds = time.perf_counter() - started
    return {
        "append_unchained_per_s": round(per_transaction / plain_seconds),
        "append_chained_per_s": round(per_transaction / chained_seconds),
        "chain_overhead_us": round((chained_seconds - plain_seconds) / per_transaction * 1e6, 1),
        "bulk_chained_per_s": round((events - per_transaction) / bulk_seconds) if bulk_seconds else None,
        "verified": result.checked,
        "verify_seconds": round(verify_seconds, 2),
        "verify_per_s": round(result.checked / verify_seconds),
        # This process's CPU only: on a shared machine the wall-clock rate says more about the neighbours.
        "verify_per_cpu_s": round(result.checked / verify_cpu) if verify_cpu else None,
    }


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=DEFAULT_EVENTS)
    print(json.dumps(_measure(parser.parse_args().events)))
