# The limits of a return comment and a status move reason (forms and API read them from here); no column change.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('rectification', '0007_instruction'),
    ]

    operations = [
        migrations.AlterField(
            model_name='problemevent',
            name='reason',
            field=models.TextField(blank=True, max_length=2000, verbose_name='说明'),
        ),
        migrations.AlterField(
            model_name='taskevent',
            name='comment',
            field=models.TextField(blank=True, max_length=1000, verbose_name='意见'),
        ),
    ]
