"""Chain the audit events: sequence number, SM3 hash, request id and outcome on every event.

The events written before this migration are chained here, in the order they were written (by id),
exactly as ``core.ledger`` chains new ones. The triggers then refuse UPDATE and DELETE of events on
both databases. Django's ``flush`` (run by the test runner between transactional tests) may still
empty the table: on SQLite the delete trigger lets a connection through only while
``lijian_ledger_maintenance()`` — a function the application registers on its own connections — says
a flush is under way (the sqlite3 shell has no such function, so its DELETE fails); on PostgreSQL
``flush`` uses TRUNCATE, which row triggers do not see, and a statement trigger refuses TRUNCATE
unless the session set ``lijian.ledger_maintenance`` (only our ``flush`` does).
"""

from django.db import migrations, models

from lijian.core.chain import canonical, chain_hash

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS core_auditevent_no_update",
    "DROP TRIGGER IF EXISTS core_auditevent_no_delete",
]
SQLITE_NO_UPDATE = """CREATE TRIGGER core_auditevent_no_update BEFORE UPDATE ON core_auditevent
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END"""
SQLITE_CREATE = [
    SQLITE_NO_UPDATE,
    """CREATE TRIGGER core_auditevent_no_delete BEFORE DELETE ON core_auditevent
WHEN NOT lijian_ledger_maintenance()
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
]
PG_DROP = [
    "DROP TRIGGER IF EXISTS core_auditevent_no_update ON core_auditevent",
    "DROP TRIGGER IF EXISTS core_auditevent_no_delete ON core_auditevent",
    "DROP TRIGGER IF EXISTS core_auditevent_no_truncate ON core_auditevent",
]
PG_NO_UPDATE = """CREATE TRIGGER core_auditevent_no_update BEFORE UPDATE ON core_auditevent
FOR EACH ROW EXECUTE FUNCTION core_auditevent_refuse_update()"""
PG_CREATE = [
    """CREATE OR REPLACE FUNCTION core_auditevent_refuse_update() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'audit events are append-only'; END; $$ LANGUAGE plpgsql""",
    """CREATE OR REPLACE FUNCTION core_auditevent_refuse_truncate() RETURNS trigger AS $$
BEGIN
  IF current_setting('lijian.ledger_maintenance', true) IS DISTINCT FROM 'on' THEN
    RAISE EXCEPTION 'audit events are append-only';
  END IF;
  RETURN NULL;
END; $$ LANGUAGE plpgsql""",
    PG_NO_UPDATE,
    """CREATE TRIGGER core_auditevent_no_delete BEFORE DELETE ON core_auditevent
FOR EACH ROW EXECUTE FUNCTION core_auditevent_refuse_update()""",
    """CREATE TRIGGER core_auditevent_no_truncate BEFORE TRUNCATE ON core_auditevent
FOR EACH STATEMENT EXECUTE FUNCTION core_auditevent_refuse_truncate()""",
]
PG_DOWN = [*PG_DROP, PG_NO_UPDATE, "DROP FUNCTION IF EXISTS core_auditevent_refuse_truncate()"]
SQLITE_DOWN = [*SQLITE_DROP, SQLITE_NO_UPDATE]


def _run(schema_editor, sqlite: list[str], postgresql: list[str]) -> None:
    for statement in {"sqlite": sqlite, "postgresql": postgresql}.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)


def drop_triggers(apps, schema_editor):
    _run(schema_editor, SQLITE_DROP, PG_DROP)


def create_triggers(apps, schema_editor):
    _run(schema_editor, SQLITE_CREATE, PG_CREATE)


def chain_existing(apps, schema_editor):
    """Number and hash the events already written, oldest first."""
    AuditEvent = apps.get_model("core", "AuditEvent")
    fields = (
        "id",
        "at",
        "actor_id",
        "actor_name",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "scope_path",
        "before",
        "after",
    )
    previous, updates = None, []
    for seq, row in enumerate(AuditEvent.objects.order_by("id").values_list(*fields).iterator(), start=1):
        (
            event_id,
            at,
            actor_id,
            actor_name,
            action,
            object_type,
            object_id,
            object_repr,
            scope,
            before,
            after,
        ) = row
        previous = chain_hash(
            previous,
            canonical(
                seq=seq,
                at=at,
                actor_id=actor_id,
                actor_name=actor_name,
                action=action,
                object_type=object_type,
                object_id=object_id,
                object_repr=object_repr,
                scope_path=scope,
                before=before,
                after=after,
                request_id="",
                outcome="success",
            ),
        )
        updates.append((seq, previous, event_id))
    if updates:
        with schema_editor.connection.cursor() as cursor:
            cursor.executemany("UPDATE core_auditevent SET seq = %s, hash = %s WHERE id = %s", updates)


def restore_update_trigger(apps, schema_editor):
    _run(schema_editor, SQLITE_DOWN, PG_DOWN)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_notice_kind_record_digest")]

    operations = [
        migrations.RunPython(drop_triggers, restore_update_trigger),
        migrations.AddField(
            model_name="auditevent",
            name="request_id",
            field=models.CharField(blank=True, default="", max_length=64, verbose_name="请求编号"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="outcome",
            field=models.CharField(
                choices=[("success", "成功"), ("denied", "被拒绝"), ("failed", "失败")],
                default="success",
                max_length=16,
                verbose_name="结果",
            ),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.PositiveBigIntegerField(null=True, verbose_name="序号"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(default="", max_length=64, verbose_name="哈希"),
            preserve_default=False,
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="auditevent",
            name="seq",
            field=models.PositiveBigIntegerField(unique=True, verbose_name="序号"),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
