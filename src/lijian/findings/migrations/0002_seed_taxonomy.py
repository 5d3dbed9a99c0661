from django.db import migrations


def seed(apps, schema_editor):
    from lijian.findings.taxonomy import seed as seed_frameworks

    seed_frameworks(apps.get_model("findings", "Framework"), apps.get_model("findings", "Category"))


class Migration(migrations.Migration):
    dependencies = [("findings", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
