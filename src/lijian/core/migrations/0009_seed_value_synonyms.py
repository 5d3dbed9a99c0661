"""The words offices usually write in coded columns of their spreadsheets, seeded into the synonym
table (``core.vocabulary``); administrators edit them on the reference pages. A word listed for
several codes is ambiguous on purpose (处级: 正处级 or 副处级), so an import asks which one."""

from django.db import migrations

SYNONYMS = {
    "people.Rank": {
        "正厅级": ["bureau"],
        "正局级": ["bureau"],
        "副厅级": ["deputy_bureau"],
        "副局级": ["deputy_bureau"],
        "厅级": ["bureau", "deputy_bureau"],
        "局级": ["bureau", "deputy_bureau"],
        "正处": ["division"],
        "副处": ["deputy_division"],
        "处级": ["division", "deputy_division"],
        "县处级": ["division", "deputy_division"],
        "正科": ["section"],
        "副科": ["deputy_section"],
        "科级": ["section", "deputy_section"],
        "乡科级": ["section", "deputy_section"],
        "一级科员": ["staff"],
        "二级科员": ["staff"],
        "办事员": ["staff"],
    },
    "people.Gender": {"男性": ["M"], "女性": ["F"]},
    "people.ConflictKind": {
        "亲属任职": ["relative"],
        "近亲属": ["relative"],
        "配偶": ["relative"],
        "亲属": ["relative"],
        "夫妻关系": ["relative"],
        "曾任职": ["former_post"],
        "原单位": ["former_post"],
        "原任职单位": ["former_post"],
        "曾在该单位工作": ["former_post"],
    },
    "findings.ProblemStatus": {
        "未整改到位": ["rectifying"],
        "正在整改": ["rectifying"],
        "整改完成": ["reported_done"],
        "已完成": ["reported_done"],
        "已整改": ["reported_done"],
        "销号": ["closed"],
        "已办结": ["closed"],
        "长期整改": ["long_term_stage_met"],
        "阶段目标已达成": ["long_term_stage_met"],
        "重新整改中": ["reopened"],
    },
    "findings.ClueStatus": {"未移交": ["recorded"], "正在办理": ["handling"], "已办结": ["fed_back"]},
    "findings.ClueResult": {
        "立案": ["case_opened"],
        "立案审查": ["case_opened"],
        "函询": ["inquiry"],
        "谈话": ["inquiry"],
        "初核": ["preliminary_verification"],
        "暂存": ["filed_for_later"],
        "了结": ["closed"],
    },
    "findings.DepartmentKind": {
        "纪委": ["discipline"],
        "监委": ["discipline"],
        "组织部": ["organisation"],
        "审计局": ["audit"],
        "审计": ["audit"],
        "宣传部": ["propaganda"],
        "政法委": ["political_legal"],
        "信访局": ["petitions"],
        "信访办": ["petitions"],
    },
    "rectification.TaskStatus": {
        "未启动": ["planned"],
        "正在推进": ["in_progress"],
        "整改中": ["in_progress"],
        "完成": ["done"],
        "已整改": ["done"],
        "长期": ["long_term"],
        "持续推进": ["long_term"],
    },
    "rectification.AccountabilityAction": {
        "诫勉谈话": ["admonishment"],
        "免去职务": ["removal"],
        "党纪处分": ["party_discipline"],
        "政务处分": ["party_discipline"],
        "停职": ["suspension"],
    },
    "orgs.OrgKind": {
        "区委员会": ["district_committee"],
        "街道": ["street"],
        "街道党委": ["street"],
        "乡镇": ["town"],
        "镇党委": ["town"],
        "乡党委": ["town"],
        "村": ["village"],
        "村党支部": ["village"],
        "村党委": ["village"],
        "社区": ["community"],
        "社区党委": ["community"],
        "国企": ["soe"],
        "国有企业": ["soe"],
        "高校": ["university"],
        "部门": ["department"],
    },
    "petitions.Channel": {"信件": ["letter"], "来信举报": ["letter"], "电话": ["call"], "网络": ["online"]},
    "inspections.RoundKind": {
        "常规": ["regular"],
        "专项": ["special"],
        "机动": ["flexible"],
        "回头看": ["look_back"],
    },
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
    dependencies = [("core", "0008_value_synonym")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
