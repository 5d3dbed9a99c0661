"""Django's ``flush``, allowed to empty the append-only audit table.

The test runner flushes the database between transactional tests; the ledger's triggers refuse
DELETE (SQLite) and TRUNCATE (PostgreSQL) to everyone else. See migration ``core.0005``.
"""

from django.core.management.commands.flush import Command as DjangoFlush
from django.db import DEFAULT_DB_ALIAS, connections

from lijian.core.chain import maintenance


class Command(DjangoFlush):
    def handle(self, **options):
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        postgresql = connection.vendor == "postgresql"
        with maintenance():
            if postgresql:
                with connection.cursor() as cursor:
                    cursor.execute("SET lijian.ledger_maintenance = 'on'")
            try:
                return super().handle(**options)
            finally:
                if postgresql:
                    with connection.cursor() as cursor:
                        cursor.execute("RESET lijian.ledger_maintenance")
