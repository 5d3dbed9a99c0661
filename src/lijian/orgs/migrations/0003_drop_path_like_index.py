"""PostgreSQL: drop the ``varchar_pattern_ops`` index Django adds beside the unique index on ``path``.

``path`` uses the "C" collation, so its unique index already serves prefix and range scans; the extra
index only slowed every insert (a national import writes it millions of times).
"""

from django.db import migrations


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'orgs_organization' "
            "AND indexdef LIKE '%%(path varchar_pattern_ops)%%'"
        )
        for (name,) in cursor.fetchall():
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("orgs", "0002_messages_and_limits")]
    operations = [migrations.RunPython(drop, migrations.RunPython.noop)]
