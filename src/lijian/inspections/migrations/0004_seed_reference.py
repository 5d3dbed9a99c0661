"""Reference data of DESIGN.md §2: the four linkage modes and the fieldwork methods; editable afterwards."""

from django.db import migrations

LINKAGE_MODES = [
    ("allocated", "统配巡", "上级统一调配下级巡察力量，集中开展巡察。"),
    ("synchronous", "同步巡", "上下两级同时对相关对象开展巡视巡察。"),
    ("collaborative", "协作巡", "上级选派人员或提供专业力量，协助下级开展巡察。"),
    ("relay", "接力巡", "下级承接上级巡视发现的问题，继续深入巡察。"),
]
METHODS = [
    ("hearing_reports", "听取工作汇报"), ("individual_talks", "个别谈话"),
    ("letters_visits", "受理来信来电来访"), ("personal_matters_check", "抽查领导干部报告个人有关事项"),
    ("informed_persons", "向有关知情人询问情况"), ("documents_review", "调阅、复制有关文件、档案、会议记录等资料"),
    ("forums", "召开座谈会"), ("attending_meetings", "列席有关会议"),
    ("democratic_evaluation", "进行民主测评、问卷调查"), ("going_down", "下沉了解"),
    ("special_checks", "开展专项检查"), ("assistance", "提请有关单位予以协助"),
    ("site_visits", "实地走访"), ("other", "其他经批准的方式"),
]


def seed(apps, schema_editor):
    LinkageMode = apps.get_model("inspections", "LinkageMode")
    FieldworkMethod = apps.get_model("inspections", "FieldworkMethod")
    for order, (code, name, definition) in enumerate(LINKAGE_MODES):
        LinkageMode.objects.get_or_create(code=code, defaults={"name": name, "definition": definition, "order": order})
    for order, (code, name) in enumerate(METHODS):
        FieldworkMethod.objects.get_or_create(code=code, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("inspections", "0003_group_core_staff_activity_recorded_by_and_more")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
