"""The committee's own work in the Tianjin account (M1, M2, M13), carried through the governance
services: the 11 standing-committee meetings on inspection work since the 19th Congress, each with
the secretary's instruction arising from it followed up by the city inspection office (all but the
last answered and closed by the leader who gave it), two leading-group meetings and the secretary's
special meeting on the city public security bureau; the 6 rules the seed text names; and the typical
cases exposed — the cadre conference on the inspection of the 51 SOEs, central and local media.

Not wired into the demo builder: ``ensure_governance`` is called once the city body, the office
account ``xunshiban`` and the leader account ``lingdao`` exist. Nothing is written around the
services. Every record is dated in the term's calendar, never from the day the demo is built, so the
work report counts the same meetings, closed instructions, rules and cases whatever that day; the
rules carry the document numbers (文号) their issuers would give them (the seed gives none)."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.db import transaction

from lijian.accounts.models import User
from lijian.governance import services
from lijian.governance.models import Meeting
from lijian.orgs.models import InspectionBody, Organization

D = datetime.date
Progress = Callable[[str, int, int | None], None]
CITY_BODY = "TJ-XSB"

# (day, title) of the standing committee's meetings on inspection work since the 19th Congress.
STANDING_COMMITTEE = (
    (D(2017, 11, 20), "市委常委会会议：传达学习十九届中央第一轮巡视工作部署"),
    (D(2018, 3, 15), "市委常委会会议：研究十一届市委巡视工作规划"),
    (D(2018, 7, 10), "市委常委会会议：听取第一轮巡视情况汇报"),
    (D(2018, 12, 18), "市委常委会会议：听取第二轮巡视情况汇报"),
    (D(2019, 4, 9), "市委常委会会议：传达学习中央巡视工作领导小组会议精神"),
    (D(2019, 9, 17), "市委常委会会议：听取市属国企常规巡视情况汇报"),
    (D(2020, 1, 14), "市委常委会会议：听取巡视整改情况汇报"),
    (D(2020, 8, 25), "市委常委会会议：研究巡视巡察上下联动工作"),
    (D(2021, 3, 30), "市委常委会会议：听取第四轮巡视情况汇报"),
    (D(2021, 9, 28), "市委常委会会议：听取巡视巡察工作情况汇报"),
    (D(2022, 4, 19), "市委常委会会议：听取第五轮巡视情况汇报"),
)
# One instruction of the secretary arising from each: (text, assignee).
INSTRUCTIONS = (
    ("第一时间传达学习，把巡视工作纳入全面从严治党战略布局统筹部署", "市委巡视办"),
    ("按照全覆盖要求制定本届巡视工作规划，统筹常规、专项巡视", "市委巡视办"),
    ("对巡视发现的问题建立台账，逐项督促整改", "市委巡视办、被巡视党组织"),
    ("问题线索按规定移交市纪委监委和市委组织部，限期反馈办理情况", "市纪委监委、市委组织部"),
    ("深化政治巡视，着力从政治上发现和解决问题", "市委巡视工作领导小组"),
    ("完成对51家市管国企巡视全覆盖，助推国企混改", "市委巡视办、市国资委党委"),
    ("整改落实到位率低于70%的单位向市委作出深刻检查", "市委巡视办"),
    ("出台加强上下联动监督工作办法，统筹统配巡、同步巡、协作巡、接力巡", "市委巡视办"),
    ("对整改不力的单位主要负责人进行约谈，压实整改主体责任", "市委巡视办、市纪委监委"),
    ("强化巡视巡察自查，将自查情况以市委名义通报", "市委巡视办"),
    ("本届巡视收官前对未整改到位的问题开展回头看", "市委巡视办"),
)
OTHER_MEETINGS = (
    (
        D(2018, 2, 6),
        "leading_group",
        "市委巡视工作领导小组会议：研究第一轮巡视安排",
        "审议第一轮巡视工作方案",
    ),
    (
        D(2020, 11, 10),
        "leading_group",
        "市委巡视工作领导小组会议：研究巡察工作指导督导",
        "审议巡察工作考核评价办法",
    ),
    (
        D(2019, 6, 4),
        "secretary",
        "书记专题会：听取市公安局巡视情况汇报",
        "肃清黄兴国、武长顺恶劣影响存在的问题及处置要求",
    ),
)
POLICE_INSTRUCTION = (
    "市纪委跟进监督市公安局党委履行政治责任，坚决补课，依规依纪依法处理涉案人员，该通报一律通报",
    "市纪委监委、市公安局党委",
)
# The 6 rules the seed text names, issued in the committee's name: by the committee (津党发) or its
# general office (津党办发), each under its issuer's series of the year: (name, issuer, number, day
# of issue, summary).
COMMITTEE, GENERAL_OFFICE = "中共天津市委员会", "中共天津市委办公厅"
REGULATIONS = (
    (
        "中共天津市委贯彻《中国共产党巡视工作条例》实施办法",
        COMMITTEE,
        "津党发〔2018〕9号",
        D(2018, 4, 20),
        "明确市委巡视工作的领导体制、巡视范围、内容、程序和纪律",
    ),
    (
        "天津市委巡视组干部监督工作办法",
        GENERAL_OFFICE,
        "津党办发〔2018〕27号",
        D(2018, 9, 5),
        "对巡视组干部履职和遵守纪律情况进行监督",
    ),
    (
        "关于加强巡察工作的意见",
        COMMITTEE,
        "津党发〔2018〕15号",
        D(2018, 6, 12),
        "部署区委、市级机关和高校党委开展巡察工作",
    ),
    (
        "关于进一步加强和改进巡察工作的意见",
        COMMITTEE,
        "津党发〔2020〕11号",
        D(2020, 5, 26),
        "推动巡察向基层延伸，巡镇带村、巡街带社区",
    ),
    (
        "关于加强上下联动监督工作办法",
        GENERAL_OFFICE,
        "津党办发〔2020〕19号",
        D(2020, 9, 8),
        "统筹指导开展统配巡、同步巡、协作巡、接力巡",
    ),
    (
        "审阅区委书记专题会听取巡察情况汇报材料制度",
        GENERAL_OFFICE,
        "津党办发〔2021〕8号",
        D(2021, 4, 13),
        "市委巡视办审阅各区委书记专题会听取巡察情况汇报的材料",
    ),
)
# Typical cases exposed: (day, title, channel, outlet, summary, organisation name contains).
EXPOSURES = (
    (
        D(2020, 12, 22),
        "市管国企巡视全覆盖情况通报",
        "cadre_conference",
        "市管企业领导干部大会",
        "通报对51家市管国企巡视全覆盖发现的共性问题和整改要求",
        "",
    ),
    (
        D(2019, 10, 15),
        "市公安局肃清黄兴国、武长顺恶劣影响问题整改情况通报",
        "internal",
        "市委通报",
        "通报市公安局党委肃清流毒影响、依规依纪依法处理涉案人员的情况",
        "公安局",
    ),
    (
        D(2021, 6, 8),
        "巡视整改不力典型问题通报",
        "local_media",
        "天津日报",
        "曝光巡视整改敷衍应付、虚假整改的典型问题",
        "",
    ),
    (
        D(2021, 11, 2),
        "天津市深化政治巡视推动整改落实",
        "central_media",
        "中央纪委国家监委网站",
        "报道天津市委落实巡视工作主体责任、推动巡视整改的做法",
        "",
    ),
)


def ensure_governance(progress: Progress | None = None) -> dict[str, int]:
    """The city committee's meetings, instructions, rules and exposed cases, once: nothing if the
    city body has a meeting already (or the body or the two accounts are missing). All of it in one
    transaction. Returns how many of each were recorded."""
    progress = progress or (lambda stage, done, total: None)
    body = InspectionBody.objects.select_related("owner_org").filter(code=CITY_BODY).first()
    office = User.objects.filter(username="xunshiban").first()
    leader = User.objects.filter(username="lingdao").first()
    if body is None or office is None or leader is None or Meeting.objects.filter(body=body).exists():
        return {}
    counts = {"meetings": 0, "instructions": 0, "regulations": 0, "exposures": 0}
    with transaction.atomic():
        progress("主体责任：会议和批示", 0, len(STANDING_COMMITTEE))
        for n, ((held_on, title), (text, assignee)) in enumerate(
            zip(STANDING_COMMITTEE, INSTRUCTIONS, strict=True)
        ):
            meeting = services.meeting_record(
                actor=office,
                body=body,
                held_on=held_on,
                kind="standing_committee",
                title=title,
                topics=title.split("：", 1)[1],
                attendees="市委书记、市委副书记、市委常委",
                decisions="会议强调坚持中央要求怎么抓就怎么抓，切实担负巡视工作主体责任",
            )
            last = n == len(STANDING_COMMITTEE) - 1
            _instruct(office, leader, meeting, text, assignee, close=not last)
            counts["meetings"] += 1
            counts["instructions"] += 1
            progress("主体责任：会议和批示", n + 1, len(STANDING_COMMITTEE))
        for held_on, kind, title, topics in OTHER_MEETINGS:
            meeting = services.meeting_record(
                actor=office, body=body, held_on=held_on, kind=kind, title=title, topics=topics
            )
            counts["meetings"] += 1
            if kind == "secretary":
                _instruct(office, leader, meeting, *POLICE_INSTRUCTION, close=True)
                counts["instructions"] += 1
        for name, issuer, number, issued_on, summary in REGULATIONS:
            services.regulation_register(
                actor=office,
                body=body,
                name=name,
                issuer=issuer,
                number=number,
                issued_on=issued_on,
                summary=summary,
            )
            counts["regulations"] += 1
        for published_on, title, channel, outlet, summary, org_name in EXPOSURES:
            organization = None
            if org_name:
                organization = (
                    Organization.objects.filter(path__startswith=body.owner_org.path, name__contains=org_name)
                    .order_by("path")
                    .first()
                )
            services.exposure_record(
                actor=office,
                body=body,
                title=title,
                summary=summary,
                organization=organization,
                channel=channel,
                outlet=outlet,
                published_on=published_on,
            )
            counts["exposures"] += 1
    return counts


# An instruction is due three months after its meeting; the office reports it carried out two
# months after the meeting and the leader closes it ten days later, inside the deadline.
DUE_AFTER, ANSWERED_AFTER, CLOSED_AFTER = (datetime.timedelta(days=n) for n in (90, 60, 70))


def _instruct(office, leader, meeting, text: str, assignee: str, *, close: bool) -> None:
    """The leader's instruction at ``meeting``, due three months later, charged to the office
    account and the named units; when ``close``, answered by the office and closed by the leader
    on days fixed from the meeting's (``ANSWERED_AFTER``, ``CLOSED_AFTER``)."""
    instruction = services.meeting_instruction_give(
        actor=office,
        meeting=meeting,
        given_by=leader,
        text=text,
        assignee=office,
        assignee_name=assignee,
        due_on=meeting.held_on + DUE_AFTER,
    )
    if close:
        services.meeting_instruction_answer(
            actor=office,
            instruction=instruction,
            answer="已按批示要求部署落实，情况已书面报告",
            on=meeting.held_on + ANSWERED_AFTER,
        )
        services.meeting_instruction_close(
            actor=leader, instruction=instruction, on=meeting.held_on + CLOSED_AFTER
        )
