"""The professional strengths groups are staffed by; editable afterwards."""

from django.db import migrations

SKILLS = [
    ("discipline", "纪检监察"), ("organisation", "组织人事"), ("audit", "审计"), ("finance", "财务"),
    ("law", "法律"), ("petitions", "信访"), ("propaganda", "宣传"), ("economics", "经济管理"),
    ("engineering", "工程建设"), ("party_building", "党建"),
]


def seed(apps, schema_editor):
    Skill = apps.get_model("people", "Skill")
    for code, name in SKILLS:
        Skill.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
