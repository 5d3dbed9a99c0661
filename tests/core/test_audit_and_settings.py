import pytest
from django.db import DatabaseError, connection, transaction

from lijian.core.audit import audit_record
from lijian.core.models import AppendOnlyError, AuditEvent


def test_audit_events_cannot_be_changed_or_removed(world):
    event = audit_record(actor=world.admin, action="test.event", obj=world.root, after={"x": 1})
    event.action = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="tampered")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()


def test_the_database_itself_refuses_to_update_audit_events(world):
    event = audit_record(actor=world.admin, action="test.event", obj=world.root)
    table = AuditEvent._meta.db_table
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET action = 'tampered' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "test.event"


def test_every_service_write_leaves_an_event_with_before_and_after(world):
    """A creation has nothing before it; a change and a move carry the values before and after."""
    from lijian.orgs import services

    def event(action, obj):
        return AuditEvent.objects.get(action=action, object_id=str(obj.pk))

    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"organization.create", "body.create", "term.create"} <= actions
    created = event("organization.create", world.d1)
    assert created.actor == world.admin and created.scope_path == world.d1.path
    assert created.before is None and created.after["code"] == "120101"

    services.organization_update(actor=world.admin, org=world.v1, name="多福巷社区党委（新）")
    changed = event("organization.update", world.v1)
    assert changed.before["name"] == "多福巷社区党委" and changed.after["name"] == "多福巷社区党委（新）"
    services.body_update(actor=world.admin, body=world.body1, authorized_posts=13)
    changed = event("body.update", world.body1)
    assert (changed.before["authorized_posts"], changed.after["authorized_posts"]) == (12, 13)
    services.term_update(actor=world.admin, term=world.term1, name="第十二届（改）")
    changed = event("term.update", world.term1)
    assert (changed.before["name"], changed.after["name"]) == ("第十二届", "第十二届（改）")
    old_path = world.v1.path
    moved = services.organization_move(actor=world.admin, org=world.v1, new_parent=world.d1)
    changed = event("organization.move", moved)
    assert changed.before["parent"] == world.t1.path and old_path.startswith(changed.before["parent"])
    assert changed.after["parent"] == world.d1.path


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite pragmas only apply to the SQLite database")
def test_sqlite_runs_in_wal_mode_with_full_sync_and_a_busy_timeout(db, settings, tmp_path):
    from django.db.backends.sqlite3.base import DatabaseWrapper

    config = dict(settings.DATABASES["default"], NAME=str(tmp_path / "probe.sqlite3"))
    wrapper = DatabaseWrapper(config, alias="probe")
    with wrapper.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 2  # FULL
    assert wrapper.get_connection_params()["timeout"] >= 30
    assert wrapper.transaction_mode == "IMMEDIATE"
    wrapper.close()


def test_the_interface_defaults_to_chinese_and_switches_to_english(client, world):
    assert "用户名" in client.get("/accounts/login/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    page = client.get("/accounts/login/").content.decode()
    assert 'lang="en"' in page and "Username" in page


def test_time_zone_is_shanghai(settings):
    assert settings.TIME_ZONE == "Asia/Shanghai"


def test_q_any_keeps_a_global_scope_when_widening_it():
    from django.db.models import Q

    from lijian.core.permissions import q_any

    narrow = Q(pk__in=[1])
    assert q_any(Q(), narrow) == Q()  # Django's Q() | narrow would be just narrow
    assert q_any(narrow, None) == narrow
    assert q_any() == Q(pk__in=[])
    assert q_any(narrow, Q(pk__in=[2])) == narrow | Q(pk__in=[2])


def test_opening_an_action_url_directly_explains_itself(client, world):
    from django.urls import reverse

    client.force_login(world.admin)
    response = client.get(reverse("accounts:logout"))
    assert response.status_code == 405 and "不能直接打开" in response.content.decode()
    assert "POST" in response["Allow"]


def test_an_event_carrying_a_nul_is_written_with_it_shown_as_a_replacement_character(world):
    """A refused request may carry NUL in what it typed; PostgreSQL cannot store NUL in text or jsonb,
    and the event must still be written (and verify)."""
    from lijian.core.ledger import verify

    event = audit_record(
        actor=world.admin, action="test.nul", obj=world.root, after={"reason": "a\x00b", "list": ["\x00"]}
    )
    event.refresh_from_db()
    assert event.after == {"reason": "a\ufffdb", "list": ["\ufffd"]}
    assert verify().ok
