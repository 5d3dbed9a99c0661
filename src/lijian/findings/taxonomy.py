"""The seeded problem taxonomies (DESIGN.md §2): 四个落实 for 巡视, 四聚焦 for 巡察, and the older
frameworks kept so that old rounds keep their classification. Loaded by a data migration."""

import datetime

# code, name, level, valid_from, valid_to, note, categories as (code, name)
FRAMEWORKS = [
    (
        "liuxiang-jilv-2015",
        "六项纪律",
        "inspection",
        datetime.date(2015, 10, 1),
        datetime.date(2016, 12, 31),
        "以党纪为尺子，聚焦违反六项纪律问题",
        [
            ("1", "违反政治纪律"),
            ("2", "违反组织纪律"),
            ("3", "违反廉洁纪律"),
            ("4", "违反群众纪律"),
            ("5", "违反工作纪律"),
            ("6", "违反生活纪律"),
        ],
    ),
    (
        "sanda-wenti-2017",
        "三大问题",
        "inspection",
        datetime.date(2017, 1, 1),
        datetime.date(2017, 12, 31),
        "党的领导弱化、党的建设缺失、全面从严治党不力",
        [("1", "党的领导弱化"), ("2", "党的建设缺失"), ("3", "全面从严治党不力")],
    ),
    (
        "sige-luoshi-2018",
        "四个落实",
        "inspection",
        datetime.date(2018, 1, 1),
        None,
        "政治巡视：聚焦“四个落实”",
        [
            ("1", "落实党的理论和路线方针政策、党中央重大决策部署"),
            ("1.1", "学习贯彻习近平新时代中国特色社会主义思想不深入"),
            ("1.2", "贯彻落实党中央重大决策部署和市委工作要求不到位"),
            ("1.3", "履行职能责任、服务高质量发展有差距"),
            ("1.4", "落实意识形态工作责任制不到位"),
            ("1.5", "防范化解重大风险不力"),
            ("2", "落实全面从严治党战略部署"),
            ("2.1", "落实管党治党主体责任不到位"),
            ("2.2", "落实监督责任不到位"),
            ("2.3", "落实中央八项规定精神不严格"),
            ("2.4", "形式主义、官僚主义问题"),
            ("2.5", "重点领域廉洁风险和腐败问题"),
            ("3", "落实新时代党的组织路线"),
            ("3.1", "领导班子建设不够有力"),
            ("3.2", "选人用人和干部队伍建设有差距"),
            ("3.3", "基层党组织建设薄弱"),
            ("3.4", "人才工作存在短板"),
            ("4", "落实巡视整改和其他监督发现问题整改"),
            ("4.1", "上轮巡视整改不到位"),
            ("4.2", "审计等监督发现问题整改不到位"),
            ("4.3", "主题教育检视问题整改不彻底"),
        ],
    ),
    (
        "sige-jujiao-2018",
        "四个聚焦",
        "patrol",
        datetime.date(2018, 1, 1),
        None,
        "巡察：聚焦群众身边的腐败问题和不正之风、基层党组织建设",
        [
            ("1", "聚焦党中央重大决策部署在基层的落实情况"),
            ("1.1", "乡村振兴等惠民政策落实不到位"),
            ("1.2", "基层治理和为民服务有差距"),
            ("2", "聚焦群众身边腐败问题和不正之风"),
            ("2.1", "集体“三资”管理不规范"),
            ("2.2", "惠民资金使用中的优亲厚友、虚报冒领"),
            ("2.3", "涉黑涉恶和“保护伞”问题"),
            ("3", "聚焦基层党组织建设"),
            ("3.1", "基层党组织软弱涣散"),
            ("3.2", "“三会一课”等组织生活不规范"),
            ("3.3", "村（社区）“两委”班子建设问题"),
            ("4", "聚焦巡察整改落实"),
            ("4.1", "上轮巡察整改不到位"),
        ],
    ),
    (
        "sanda-wenti-patrol-2017",
        "三大问题（巡察）",
        "patrol",
        datetime.date(2017, 1, 1),
        datetime.date(2017, 12, 31),
        "巡察工作初期的问题分类",
        [("1", "党的领导弱化"), ("2", "党的建设缺失"), ("3", "全面从严治党不力")],
    ),
]


def seed(Framework, Category) -> None:
    """Create the frameworks missing by code (existing ones are left as they are)."""
    for code, name, level, start, end, note, categories in FRAMEWORKS:
        if Framework.objects.filter(code=code).exists():
            continue
        framework = Framework.objects.create(
            code=code, name=name, level=level, valid_from=start, valid_to=end, note=note
        )
        made = {}
        for number, title in categories:
            parent = made.get(number.rsplit(".", 1)[0]) if "." in number else None
            made[number] = Category.objects.create(
                framework=framework, code=number, name=title, parent=parent
            )
