"""In-app messages about an instruction written before it moved from findings name it
``findings.instruction:<id>``; new ones say ``rectification.instruction:<id>``. The message page groups by
that name, so one instruction's messages would show in two groups. Messages are not part of the audit
hash chain, so their grouping name can be brought up to date (the audit events keep theirs, read through
the model alias)."""

from django.db import migrations
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr

OLD, NEW = "findings.instruction:", "rectification.instruction:"


def rename_records(apps, schema_editor, old=OLD, new=NEW):
    Message = apps.get_model("core", "Message")
    Message.objects.filter(record__startswith=old).update(
        record=Concat(Value(new), Substr(F("record"), len(old) + 1))
    )


def restore_records(apps, schema_editor):
    rename_records(apps, schema_editor, old=NEW, new=OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0007_rename_notice_message"),
        ("rectification", "0008_event_text_limits"),
    ]

    operations = [migrations.RunPython(rename_records, restore_records)]
