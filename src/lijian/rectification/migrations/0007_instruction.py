import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _move_content_type(apps, old: str, new: str) -> None:
    """The content type (and so any permission on it) moves with the model, keeping its id."""
    ContentType = apps.get_model('contenttypes', 'ContentType')
    if not ContentType.objects.filter(app_label=new, model='instruction').exists():
        ContentType.objects.filter(app_label=old, model='instruction').update(app_label=new)


def content_type_follows(apps, schema_editor):
    _move_content_type(apps, 'findings', 'rectification')


def content_type_returns(apps, schema_editor):
    _move_content_type(apps, 'rectification', 'findings')


class Migration(migrations.Migration):

    dependencies = [
        ('findings', '0005_instruction_to_rectification'),
        ('petitions', '0002_public_counter'),
        ('rectification', '0006_alter_rectificationtask_measure'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        # The table findings made, with its rows, becomes this app's model first ...
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Instruction',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('text', models.TextField(verbose_name='批示内容')),
                        ('given_on', models.DateField(verbose_name='批示日期')),
                        ('deadline', models.DateField(blank=True, null=True, verbose_name='落实期限')),
                        ('escalated_on', models.DateField(blank=True, null=True, verbose_name='超期督办日期')),
                        ('follow_up_asked', models.TextField(blank=True, verbose_name='落实要求')),
                        ('follow_up_given', models.TextField(blank=True, verbose_name='落实情况')),
                        ('answered_on', models.DateField(blank=True, null=True, verbose_name='报送日期')),
                        ('status', models.CharField(choices=[('open', '待落实'), ('answered', '已报落实情况'), ('closed', '已办结')], default='open', max_length=10, verbose_name='状态')),
                        ('addressee', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='承办人')),
                        ('answered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='报送人')),
                        ('clue', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='instructions', to='findings.clue', verbose_name='线索')),
                        ('leader', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='批示领导')),
                        ('petition', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='instructions', to='petitions.petition', verbose_name='信访件')),
                        ('problem', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='instructions', to='findings.problem', verbose_name='问题')),
                    ],
                    options={
                        'verbose_name': '批示',
                        'verbose_name_plural': '批示',
                        'ordering': ['-given_on', '-id'],
                'db_table': 'findings_instruction',
                        'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('clue__isnull', True), ('petition__isnull', True), ('problem__isnull', False)), models.Q(('clue__isnull', False), ('petition__isnull', True), ('problem__isnull', True)), models.Q(('clue__isnull', True), ('petition__isnull', False), ('problem__isnull', True)), _connector='OR'), name='instruction_on_one_record'), models.CheckConstraint(condition=models.Q(('deadline__isnull', True), ('deadline__gte', models.F('given_on')), _connector='OR'), name='instruction_deadline_after_given', violation_error_message='落实期限不能早于批示日期。')],
                    },
                ),
            ],
            database_operations=[],
        ),
        # ... and then takes this app's name (a rename: every row is kept).
        migrations.AlterModelTable(name='instruction', table=None),
        migrations.RunPython(content_type_follows, content_type_returns),
    ]
