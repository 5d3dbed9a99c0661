"""The indicators of the yearly assessment of lower bodies' patrol work (100 points in all): four read
from the figures, one judged by hand. Reference data, editable afterwards."""

from django.db import migrations

INDICATORS = [
    ("coverage", "巡察全覆盖", 30, "figure", "term_coverage"),
    ("grassroots", "村（社区）巡察覆盖", 15, "figure", "grassroots_coverage"),
    ("rectification", "整改落实到位率", 25, "figure", "implementation_rate"),
    ("clues", "问题线索按期反馈", 10, "figure", "clues_fed_back_on_time"),
    ("quality", "巡察工作质量", 20, "judgement", ""),
]


def seed(apps, schema_editor):
    Indicator = apps.get_model("guidance", "AssessmentIndicator")
    for code, name, weight, kind, key in INDICATORS:
        Indicator.objects.get_or_create(
            code=code, defaults={"name": name, "weight": weight, "kind": kind, "figure_key": key}
        )


class Migration(migrations.Migration):
    dependencies = [("guidance", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
