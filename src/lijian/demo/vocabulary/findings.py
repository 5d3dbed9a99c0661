"""What the demo's inspection and patrol groups find and say: the categories they use, what a problem
in each says, the departments that receive clues, whom a clue names and what it says, the
departments' answers, and the public security bureau case the account names.

Data only: which of these is drawn, how often and when is ``policy.findings``.
"""

CITY_FRAMEWORK = "sige-luoshi-2018"  # 四个落实, the city's categories
CITY_DEPARTMENTS = (  # the city committee's "1+3+N" departments: code, name, kind
    ("TJ-JWJW", "市纪委监委", "discipline"),
    ("TJ-ZZB", "市委组织部", "organisation"),
    ("TJ-SJJ", "市审计局", "audit"),
    ("TJ-XCB", "市委宣传部", "propaganda"),
    ("TJ-ZFW", "市委政法委", "political_legal"),
    ("TJ-XFB", "市信访办", "petitions"),
    ("TJ-GZW", "市国资委", "other"),
)

# What a problem found in each 四个落实 subcategory says.
CITY_SUMMARIES = {
    "1.1": ("理论学习中心组学习流于形式，联系实际不够", "学习贯彻党的创新理论不深入不系统"),
    "1.2": ("贯彻落实重大决策部署打折扣、搞变通", "落实市委重点工作任务进度滞后"),
    "1.3": ("主责主业聚焦不够，服务高质量发展措施不实", "履行行业监管职责不到位"),
    "1.4": ("意识形态工作责任制落实不到位", "阵地管理存在薄弱环节"),
    "1.5": ("防范化解重大风险意识不强，隐患排查不彻底", "债务风险管控不力"),
    "2.1": ("党委履行主体责任不力，压力传导层层递减", "“一岗双责”落实不到位"),
    "2.2": ("纪检监察机构监督执纪问责偏松偏软", "日常监督发现问题能力不足"),
    "2.3": ("违规发放津贴补贴", "公务接待超标准", "违规使用公务用车"),
    "2.4": ("文山会海问题突出，基层负担重", "调查研究走过场，作风漂浮"),
    "2.5": (
        "工程建设领域廉洁风险突出",
        "物资采购管理不规范，存在利益输送风险",
        "选人用人之外的关键岗位长期未轮岗",
    ),
    "3.1": ("领导班子民主集中制执行不到位", "班子成员之间沟通协调不够"),
    "3.2": ("选人用人程序不规范", "干部梯队建设滞后，年轻干部储备不足"),
    "3.3": ("基层党组织“三会一课”制度落实不严", "党员发展和教育管理不规范"),
    "3.4": ("人才引进培养机制不健全",),
    "4.1": ("上轮巡视反馈问题整改不彻底、有反弹", "整改“对账销号”把关不严"),
    "4.2": ("审计发现问题整改不到位",),
    "4.3": ("主题教育检视问题整改成效不明显",),
}

FEEDBACK_TEXT = {
    "case_opened": "经初步核实，反映问题属实，已立案审查调查。",
    "inquiry": "已对当事人进行谈话函询，当事人作出说明，予以采信并了结。",
    "preliminary_verification": "已开展初步核实，部分问题属实，已对相关人员进行批评教育。",
    "filed_for_later": "线索内容笼统、不具备查核条件，暂存待查。",
    "closed": "经核查，反映问题不属实，予以了结，并向本人反馈澄清。",
}

CLUE_POSTS = ("党委副书记", "副总经理", "处长", "副处长", "财务部部长", "办公室主任", "纪委书记", "工会主席")

# What a city clue says its subject did ("反映其…问题。").
CLUE_MATTERS = (
    "违规收受礼品礼金",
    "利用职务便利为他人谋利",
    "违规插手工程项目",
    "违规选拔任用干部",
    "公款吃喝",
    "违规经商办企业",
    "失职失责造成国有资产损失",
)

PSB = "TJ-D032"  # 市公安局
# The case the account names (市公安局肃清黄兴国、武长顺恶劣影响), followed through 人、事、因、制.
PSB_PROBLEM = {
    "summary": "肃清黄兴国、武长顺恶劣影响不彻底，政治生态修复任务仍然艰巨",
    "description": "巡视发现，市公安局党委对肃清黄兴国、武长顺流毒影响认识不足、措施不实，"
    "个别领导干部与不法商人存在不正当交往，部分涉案人员未依规依纪依法处理到位。",
    "people": "局党委班子及涉案人员：个别局级干部与不法商人存在利益往来。",
    "matters": "干预执法、插手工程项目、违规选拔任用干部等具体事项。",
    "causes": "党委主体责任缺失，“两个维护”落实不力，监督制约失效。",
    "systems": "干部选拔任用、执法监督、重大事项报告等制度执行不严，存在漏洞。",
}
PSB_CLUE = {
    "subject_name": "市公安局涉案人员",
    "subject_post": "局机关及下属单位相关人员",
    "summary": "反映相关人员与黄兴国、武长顺案件存在关联，干预执法、利益输送等问题。",
}
# The secretary's three instructions on the case: what they say and what they ask to be reported.
PSB_INSTRUCTIONS = (
    (
        "请市纪委监委跟进监督市公安局党委履行政治责任，坚决“补课”。",
        "依规依纪依法处理涉案人员，该通报的一律通报。",
    ),
    ("要围绕“人、事、因、制”彻底整改，持续净化政治生态。", "报送整改方案和涉案人员处理情况。"),
    ("整改情况要对账销号，不获全胜决不收兵。", "半年后报送整改成效评估。"),
)
PSB_INSTRUCTION_ANSWER = "已按批示要求督促落实，市纪委监委已通报处理情况，相关制度已修订。"

PATROL_FRAMEWORK = "sige-jujiao-2018"  # 四个聚焦, the patrol bodies' categories

# What a problem found in each 四个聚焦 subcategory says.
PATROL_SUMMARIES = {
    "1.1": ("乡村振兴等惠民政策落实打折扣", "惠民政策宣传落实不到位，群众知晓率低"),
    "1.2": ("为民服务事项办理拖沓，群众诉求回应不及时", "基层治理措施不实，网格化管理流于形式"),
    "2.1": ("集体资产出租合同不规范，租金长期未收缴", "“三资”台账不清，账实不符"),
    "2.2": ("惠民补贴发放审核把关不严，存在优亲厚友", "惠民资金管理不规范，存在虚报冒领"),
    "2.3": ("对涉黑涉恶问题排查整治不深入", "扫黑除恶常态化机制落实不到位"),
    "3.1": ("基层党组织软弱涣散，战斗堡垒作用发挥不充分", "党组织书记抓党建履职不到位"),
    "3.2": ("“三会一课”制度落实不严，会议记录不规范", "主题党日活动流于形式"),
    "3.3": ("“两委”班子成员配备不齐，年龄结构老化", "“两委”班子议事决策不规范"),
    "4.1": ("上轮巡察反馈问题整改不彻底", "整改“对账销号”把关不严"),
}

# A committee's "1+3+N" departments that receive the patrols' clues: code suffix, name, kind.
PATROL_DISTRICT_DEPARTMENTS = (
    ("JWJW", "纪委监委", "discipline"),
    ("ZZB", "委组织部", "organisation"),
    ("SJJ", "审计局", "audit"),
)

PATROL_UNIVERSITY_DEPARTMENTS = (("JW", "纪委", "discipline"), ("ZZB", "党委组织部", "organisation"))

# Whom a clue names and what it says: at a town or street (its villages), and at a unit or college.
PATROL_CLUES = {
    True: (
        ("村党支部书记", "村委会主任", "村报账员"),
        ("违规发放惠民补贴、优亲厚友", "侵占集体资金", "违规插手集体工程项目"),
    ),
    False: (
        ("科长", "副主任", "办公室主任", "财务负责人"),
        ("收受礼品礼金", "利用职务便利为亲属谋利", "违规报销费用"),
    ),
}
