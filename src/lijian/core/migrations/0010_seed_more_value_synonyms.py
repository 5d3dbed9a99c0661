"""More of the words offices write for task statuses and kinds, found in the third walkthrough
(进行中 for 推进中, 长期整改 for 长期坚持), seeded into the synonym table like 0009."""

from django.db import migrations

SYNONYMS = {
    "rectification.TaskStatus": {
        "进行中": ["in_progress"],
        "正在整改": ["in_progress"],
        "推进": ["in_progress"],
        "未开展": ["planned"],
        "未启动整改": ["planned"],
        "整改完成": ["done"],
        "已办结": ["done"],
        "已销号": ["done"],
        "长期整改": ["long_term"],
        "长期推进": ["long_term"],
    },
    "findings.ProblemStatus": {"进行中": ["rectifying"], "推进中": ["rectifying"]},
}


def seed(apps, schema_editor):
    ValueSynonym = apps.get_model("core", "ValueSynonym")
    ValueSynonym.objects.bulk_create(
        [
            ValueSynonym(vocabulary=vocabulary, word=word, value=value)
            for vocabulary, words in SYNONYMS.items()
            for word, values in words.items()
            for value in values
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0009_seed_value_synonyms")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
