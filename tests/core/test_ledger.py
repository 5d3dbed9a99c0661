"""The audit ledger is tamper-evident: an attacker with write access to the database who edits,
deletes, inserts or reorders events, or cuts the tail off, is caught by ``lijian ledger verify``,
which names the first bad event and exits with 1."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from lijian.core.audit import audit_record
from lijian.core.chain import canonical, chain_hash, event_body
from lijian.core.ledger import LedgerError, read_checkpoint, verify
from lijian.core.models import AuditEvent

from ..world import AUDIT_TABLE as TABLE
from ..world import attacker

POSTGRESQL = connection.vendor == "postgresql"


@pytest.fixture
def events(world):
    """A ledger of the world's events plus a few with Chinese text and JSON before/after."""
    for i in range(5):
        audit_record(
            actor=world.admin,
            action="test.event",
            obj=world.root,
            before={"名称": f"旧{i}", "n": i, "x": 1.0},
            after={"名称": f"新{i}", "n": i + 1, "list": [1, "二", None]},
            scope_path=world.root.path,
        )
    return list(AuditEvent.objects.order_by("seq"))


def middle(events):
    return events[len(events) // 2]


def verify_command(*args) -> str:
    """``lijian ledger verify`` expected to fail: the message it exits with (exit code 1)."""
    with pytest.raises(CommandError) as failure:
        call_command("ledger", "verify", *args)
    assert failure.value.returncode == 1
    return str(failure.value)


def test_every_event_is_numbered_and_chained_and_the_chain_verifies(events):
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert all(len(e.hash) == 64 for e in events)
    result = verify()
    assert result.ok and result.checked == len(events) and result.head_seq == events[-1].seq
    call_command("ledger", "verify")  # exits 0


def test_the_hash_covers_the_previous_hash_and_the_documented_canonical_form(events):
    first, second = events[-2], events[-1]
    body = canonical(
        seq=second.seq,
        at=second.at,
        actor_id=second.actor_id,
        actor_name=second.actor_name,
        action=second.action,
        object_type=second.object_type,
        object_id=second.object_id,
        object_repr=second.object_repr,
        scope_path=second.scope_path,
        before=second.before,
        after=second.after,
        request_id=second.request_id,
        outcome=second.outcome,
    )
    assert body.startswith(b'{"action":"test.event","actor":') and "名称".encode() in body  # sorted, UTF-8
    assert f'"at":"{second.at:%Y-%m-%dT%H:%M:%S.%f}Z"'.encode() in body and b'"x":1,' in body
    assert chain_hash(first.hash, body) == second.hash
    assert chain_hash(None, b"") != chain_hash("00" * 32, b"x")


def test_editing_one_byte_of_one_event_is_found_and_named(events):
    target = middle(events)
    with attacker() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET object_repr = %s WHERE id = %s", [target.object_repr + "x", target.pk]
        )
    result = verify()
    assert not result.ok and result.first_bad.event_id == target.pk and result.first_bad.seq == target.seq
    assert len(result.problems) == 1  # the events after it still follow from what is stored
    assert f"第 {target.seq} 号事件（ID {target.pk}）" in verify_command()


def test_editing_the_before_values_or_the_time_is_found(events):
    target = events[-2]
    with attacker() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET before = NULL WHERE id = %s", [target.pk])
    assert verify().first_bad.event_id == target.pk


def test_a_deleted_event_is_found_and_named(events):
    target = middle(events)
    with attacker() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [target.pk])
    result = verify()
    assert not result.ok and result.first_bad.seq == target.seq + 1
    assert f"第 {target.seq} 号事件缺失" in result.first_bad.message
    assert "缺失" in verify_command()


def test_an_inserted_event_is_found_and_named(events):
    target = middle(events)
    with attacker() as cursor:
        # Make room after the target and slip a forged event in, hashed as if it belonged there.
        cursor.execute(f"UPDATE {TABLE} SET seq = seq + 1000 WHERE seq > %s", [target.seq])
        cursor.execute(f"UPDATE {TABLE} SET seq = seq - 999 WHERE seq > %s", [target.seq + 999])
        cursor.execute(
            f"INSERT INTO {TABLE} (at, actor_name, action, object_type, object_id, object_repr, scope_path,"
            " request_id, outcome, seq, hash) VALUES (%s, 'system', 'forged', '', '', '', '', '', 'success', %s, %s)",
            [target.at, target.seq + 1, "ab" * 32],
        )
    result = verify()
    assert not result.ok and result.first_bad.seq == target.seq + 1
    forged = AuditEvent.objects.get(action="forged")
    assert result.first_bad.event_id == forged.pk


def test_reordered_events_are_found_and_named(events):
    a, b = events[2], events[3]
    with attacker() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET seq = 0 WHERE id = %s", [a.pk])
        cursor.execute(f"UPDATE {TABLE} SET seq = %s WHERE id = %s", [a.seq, b.pk])
        cursor.execute(f"UPDATE {TABLE} SET seq = %s WHERE id = %s", [b.seq, a.pk])
    result = verify()
    assert not result.ok and result.first_bad.seq == a.seq and result.first_bad.event_id == b.pk


def test_a_cut_tail_passes_alone_but_fails_against_a_checkpoint(events, tmp_path):
    checkpoint = tmp_path / "head.json"
    call_command("ledger", "checkpoint", "--out", str(checkpoint))
    call_command("ledger", "verify", "--checkpoint", str(checkpoint))
    with attacker() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE seq > %s", [events[-3].seq])
    assert verify().ok  # what is left is a valid chain: only the checkpoint knows more existed
    message = verify_command("--checkpoint", str(checkpoint))
    assert f"检查点记录到第 {events[-1].seq} 号事件，现在只到第 {events[-3].seq} 号" in message


def test_a_chain_rewritten_consistently_is_caught_by_the_signed_checkpoint(events, tmp_path):
    checkpoint = tmp_path / "head.json"
    call_command("ledger", "checkpoint", "--out", str(checkpoint))
    target = events[1]
    with attacker() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET action = 'rewritten' WHERE id = %s", [target.pk])
        previous = events[0].hash
        for event in AuditEvent.objects.order_by("seq")[1:]:
            event.action = "rewritten" if event.pk == target.pk else event.action
            body = event_body(event)
            previous = chain_hash(previous, body)
            cursor.execute(f"UPDATE {TABLE} SET hash = %s WHERE id = %s", [previous, event.pk])
    assert verify().ok  # SM3 has no key: the rewrite is consistent
    assert "检查点之前的账本被改写" in verify_command("--checkpoint", str(checkpoint))


def test_a_forged_checkpoint_is_refused(events, tmp_path):
    path = tmp_path / "head.json"
    call_command("ledger", "checkpoint", "--out", str(path))
    data = json.loads(path.read_text())
    data["seq"] -= 2
    path.write_text(json.dumps(data))
    with pytest.raises(LedgerError, match="签名无效"):
        read_checkpoint(path)
    with pytest.raises(CommandError) as failure:
        call_command("ledger", "verify", "--checkpoint", str(path))
    assert failure.value.returncode == 2


def test_the_database_refuses_to_update_or_delete_events(events):
    target = middle(events)
    for statement in (
        f"UPDATE {TABLE} SET action = 'tampered' WHERE id = %s",
        f"DELETE FROM {TABLE} WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [target.pk])
    if POSTGRESQL:
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {TABLE}")
    assert AuditEvent.objects.get(pk=target.pk).action == target.action
    assert verify().ok


def test_bulk_created_events_are_chained_in_order(events):
    head = events[-1].seq
    created = AuditEvent.objects.bulk_create(
        [AuditEvent(actor_name="system", action="test.bulk", object_repr=str(i)) for i in range(50)]
    )
    assert [e.seq for e in created] == list(range(head + 1, head + 51))
    assert verify().ok


def test_each_event_carries_the_id_of_the_request_that_caused_it(client, world):
    from django.urls import reverse

    from lijian.accounts.choices import Role

    client.force_login(world.users[Role.OFFICE_STAFF])
    url = reverse("orgs:create_child", kwargs={"pk": world.v1.pk})
    data = {"code": "HP-B1", "name": "新支部", "kind": "branch"}
    response = client.post(url, data, headers={"X-Request-ID": "proxy-42"})
    assert response["X-Request-ID"] == "proxy-42"
    assert (
        AuditEvent.objects.get(action="organization.create", object_repr__contains="新支部").request_id
        == "proxy-42"
    )
    made_up = client.get("/", headers={"X-Request-ID": "<script>"})["X-Request-ID"]
    assert len(made_up) == 32 and made_up != "<script>"
    audit_record(actor=world.admin, action="test.command", obj=world.root)
    assert AuditEvent.objects.order_by("-seq").first().request_id == ""  # no request: a command


@pytest.mark.skipif(not POSTGRESQL, reason="SQLite serialises writers: one write transaction at a time")
def test_concurrent_writers_keep_the_chain_linear(transactional_db, django_db_serialized_rollback):
    import threading

    writers, each = 6, 15
    start, failures = threading.Barrier(writers), []

    def write(n):
        try:
            start.wait()
            for i in range(each):
                with transaction.atomic():
                    audit_record(actor=None, action="test.concurrent", object_repr=f"{n}-{i}")
        except Exception as exc:  # noqa: BLE001  reported below
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, writers * each + 1))
    assert verify().ok
