# Instructions moved to rectification (their model points at petitions, and petitions at findings).
# Only the migration state forgets the model here; its table and rows are kept, and
# rectification.0007_instruction takes them over.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('findings', '0004_instruction_addressee_deadline'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Instruction')],
            database_operations=[],
        ),
    ]
