# The one limit of a task measure (form, API and tasks.csv read it from here); no column change.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('rectification', '0005_task_review_and_history'),
    ]

    operations = [
        migrations.AlterField(
            model_name='rectificationtask',
            name='measure',
            field=models.TextField(max_length=5000, verbose_name='整改措施'),
        ),
    ]
