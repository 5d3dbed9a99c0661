"""Ledger files for tests: writing a bundle of CSV files, and the whole patrol term kept in
spreadsheets (``TERM_BUNDLE``, described in tests/rectification/test_term_bundle.py) with its import
into an empty database."""

import csv
from pathlib import Path

from lijian.accounts.choices import Role
from lijian.accounts.models import User
from lijian.documents.ledger.importer import ledger_export, ledger_import
from lijian.findings.models import Clue, Department, Problem
from lijian.governance.models import CaseExposure, Meeting, MeetingInstruction, Regulation
from lijian.guidance.models import (
    Assessment,
    AssessmentIndicator,
    AssessmentScore,
    MaterialReview,
    NamingCandidate,
    SelfInspection,
)
from lijian.inspections.models import Group, Inspection, Round, RoundMember
from lijian.orgs.models import InspectionBody, Organization, Term
from lijian.people.models import Cadre, Conflict
from lijian.petitions.models import Petition
from lijian.rectification.models import (
    Accountability,
    Disclosure,
    Evaluation,
    Feedback,
    Interview,
    ProblemEvent,
    RectificationReport,
    RectificationTask,
    SelfCriticism,
    Supervision,
)

from .world import make_user

BODY, TERM = "XCB-QX", "第三届"
# The district's leader, whose instructions the bundle holds: accounts are not in a bundle, so the
# importing database has this one before (``term_bundle_import``).
LEADER = "qx-leader"
LOWER = "XCB-QX-JY"  # the patrol body of a committee below the district, which the district guides


def write_bundle(folder: Path, files: dict[str, list[list[str]]]) -> Path:
    """Write each ``files`` entry (file name -> rows) as a UTF-8 CSV file into ``folder``; returns it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in files.items():
        with open(folder / name, "w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(rows)
    return folder


def _problems():
    found = [("S1", 1, ["P01", "P02", "P03", "P04"]), ("S2", 1, ["P05", "P06", "P07"])]
    found += [
        ("S3", 2, ["P08", "P09", "P10", "P11"]),
        ("S4", 2, ["P12", "P13", "P14"]),
        ("C1", 2, ["P15", "P16"]),
    ]
    return [
        [
            ref,
            BODY,
            TERM,
            str(number),
            org,
            "2.1",
            f"{org}集体“三资”管理不规范（{ref}）。",
            f"202{2 + number}-04-15",
        ]
        for org, number, refs in found
        for ref in refs
    ]


TERM_BUNDLE = {
    "organizations.csv": [
        [
            "code",
            "name",
            "kind",
            "parent_code",
            "division_code",
            "supervising_body",
            "active_from",
            "active_to",
        ],
        ["QX", "中共某区委员会", "district_committee", "", "", "", "", ""],
        ["S1", "某区甲街道党工委", "street", "QX", "", BODY, "", ""],
        ["S2", "某区乙街道党工委", "street", "QX", "", BODY, "", ""],
        ["S5", "某区丙街道党工委", "street", "QX", "", BODY, "", ""],
        ["S3", "某区甲镇党委", "town", "QX", "", BODY, "", ""],
        ["S4", "某区乙镇党委", "town", "QX", "", BODY, "", ""],
        ["C1", "甲街道某社区党委", "community", "S1", "", BODY, "", ""],
        ["V1", "甲镇某村党支部", "village", "S3", "", BODY, "", ""],
        ["QX-JY", "某区教育工作党委", "department", "QX", "", "", "", ""],
    ],
    "bodies.csv": [
        ["code", "name", "level", "owner_org_code", "authorized_posts"],
        [BODY, "某区委巡察办", "patrol", "QX", "10"],
        [LOWER, "某区教育工作党委巡察办", "patrol", "QX-JY", "3"],
    ],
    "terms.csv": [["body_code", "name", "start", "end"], [BODY, TERM, "2021-06-01", "2026-05-31"]],
    "cadres.csv": [
        ["cadre_id", "name", "gender", "birth_year", "home_org_code", "rank", "skills", "in_pool"],
        ["K1", "干部一", "M", "1970", "QX", "division", "audit", "1"],
        ["K2", "干部二", "F", "1988", "QX", "section", "", "1"],
        ["K3", "干部三", "M", "1975", "QX", "section", "finance", "1"],
        ["K4", "干部四", "F", "1972", "QX", "division", "", "1"],
        ["K5", "干部五", "M", "1990", "QX", "section", "", "1"],
        ["K6", "干部六", "F", "1980", "QX", "section", "law", "1"],
    ],
    # A line of supervision outside the tree (reference data): neither side inspects the other.
    "supervision_lines.csv": [
        ["supervisor_code", "supervised_code", "description", "active"],
        ["QX-JY", "V1", "教育工作党委指导村级学校党建", "1"],
    ],
    # The plan's manual risk scores, and the district's two standing groups with their own staff.
    "org_risks.csv": [["org_code", "score", "note"], ["S5", "80", "信访举报较多"], ["V1", "30", ""]],
    "standing_groups.csv": [
        ["body_code", "group_no", "name", "active", "core_staff_ids"],
        [BODY, "1", "区委第一巡察组", "1", "K1;K2"],
        [BODY, "2", "区委第二巡察组", "1", "K4"],
    ],
    "rounds.csv": [
        ["body_code", "term", "number", "kind", "linkage_mode", "parent_round", "start", "end", "theme"],
        [BODY, TERM, "1", "regular", "", "", "2023-03-01", "2023-06-30", ""],
        [BODY, TERM, "2", "regular", "", "", "2024-03-01", "2024-06-30", ""],
    ],
    "groups.csv": [
        ["body_code", "term", "round", "group_no", "leader_id", "deputy_ids", "member_ids"],
        [BODY, TERM, "1", "1", "K1", "", "K2;K3"],
        [BODY, TERM, "1", "2", "K4", "", "K5;K6"],
        [BODY, TERM, "2", "1", "K4", "", "K2;K3"],
        [BODY, TERM, "2", "2", "K1", "", "K5;K6"],
    ],
    "inspections.csv": [
        ["body_code", "term", "round", "group_no", "org_code", "onsite_start", "onsite_end", "feedback_date"],
        [BODY, TERM, "1", "1", "S1", "2023-03-10", "2023-04-30", "2023-06-15"],
        [BODY, TERM, "1", "2", "S2", "2023-03-10", "2023-04-30", "2023-06-15"],
        [BODY, TERM, "2", "1", "S3", "2024-03-10", "2024-04-30", "2024-06-20"],
        [BODY, TERM, "2", "1", "S4", "2024-03-10", "2024-04-30", "2024-06-20"],
        [BODY, TERM, "2", "2", "C1", "2024-03-10", "2024-04-30", "2025-08-01"],
    ],
    "departments.csv": [
        ["code", "name", "kind", "committee"],
        ["JW-QX", "区纪委监委", "discipline", "QX"],
    ],
    # A taxonomy of the office's own beside the seeded ones (which the target database has already).
    "categories.csv": [
        ["framework", "framework_name", "level", "valid_from", "valid_to", "code", "name"],
        [
            "QX-2020",
            "区委巡察问题分类（试行）",
            "patrol",
            "2020-01-01",
            "2020-12-31",
            "1",
            "落实党的路线方针政策",
        ],
        [
            "QX-2020-J",
            "区委巡察问题分类（基层）",
            "patrol",
            "2020-01-01",
            "2020-12-31",
            "1",
            "基层党组织建设",
        ],
    ],
    "problems.csv": [
        ["problem_id", "body_code", "term", "round", "org_code", "category", "description", "found_on"],
        *_problems(),
    ],
    "tasks.csv": [
        ["task_id", "problem_id", "measure", "responsible", "deadline", "status", "completed_on"],
        ["1", "P01", "清理集体资产", "王某/党政办", "2023-09-30", "done", "2023-09-20"],
        ["2", "P02", "收回违规出租的房屋", "王某/党政办", "2023-12-31", "done", "2023-12-15"],
        ["3", "P03", "修订“三资”管理办法", "王某/党政办", "2024-03-31", "done", "2024-03-25"],
        ["4", "P03", "长期坚持民主决策", "王某/党政办", "2026-12-31", "long_term", ""],
        ["5", "P04", "追缴欠缴租金", "王某/财务科", "2024-06-30", "in_progress", ""],
        ["6", "P05", "整改措施", "李某/党政办", "2023-08-31", "done", "2023-08-20"],
        ["7", "P06", "整改措施", "李某/党政办", "2023-10-31", "done", "2023-10-20"],
        ["8", "P07", "整改措施", "李某/党政办", "2024-01-31", "done", "2024-01-20"],
        ["9", "P08", "整改措施", "张某/党政办", "2024-08-31", "done", "2024-08-20"],
        ["10", "P09", "整改措施", "张某/党政办", "2024-09-30", "done", "2024-09-20"],
        ["11", "P10", "整改措施", "张某/党政办", "2024-12-31", "done", "2024-12-20"],
        ["12", "P12", "整改措施", "陈某/党政办", "2024-07-31", "done", "2024-07-20"],
        ["13", "P13", "整改措施", "陈某/党政办", "2024-10-31", "in_progress", ""],
        ["14", "P14", "整改措施", "陈某/党政办", "2025-12-31", "planned", ""],
        ["15", "P15", "整改措施", "赵某/社区办", "2025-10-31", "planned", ""],
    ],
    # What S1 reported on the rent still owed (task 5) while it was in progress.
    # Task 5 (S1's rent still owed) was returned once with a comment, its deadline changed, then accepted.
    "task_events.csv": [
        ["problem_id", "measure", "action", "at", "comment", "changes", "actor"],
        ["P04", "追缴欠缴租金", "submitted", "2023-07-01T09:00:00+08:00", "", "", ""],
        ["P04", "追缴欠缴租金", "returned", "2023-07-03T10:00:00+08:00", "请明确追缴时限", "", ""],
        [
            "P04",
            "追缴欠缴租金",
            "changed",
            "2023-07-05T09:30:00+08:00",
            "",
            '{"deadline": ["2023-12-31", "2024-06-30"]}',
            "",
        ],
        ["P04", "追缴欠缴租金", "accepted", "2023-07-06T15:00:00+08:00", "", "", LEADER],
    ],
    "task_progress.csv": [
        ["problem_id", "measure", "on", "text"],
        ["P04", "追缴欠缴租金", "2024-05-10", "已追缴欠租3万元，余款约定年底前缴清。"],
    ],
    "problem_status.csv": [
        ["problem_id", "status", "closed_on"],
        ["P01", "closed", "2023-10-10"],
        ["P02", "closed", "2024-01-10"],
        ["P02", "reopened", "2024-08-01"],  # the look-back found it again
        ["P03", "long_term_stage_met", "2024-05-01"],
        ["P04", "closed", "2025-09-01"],  # after the reference date
        ["P05", "closed", "2023-09-05"],
        ["P06", "closed", "2023-11-05"],
        ["P07", "reported_done", "2024-02-01"],
        ["P07", "closed", "2024-02-20"],
        ["P08", "closed", "2024-09-10"],
        ["P09", "closed", "2024-10-15"],
        ["P10", "closed", "2025-01-10"],
        ["P11", "rectifying", ""],
        ["P12", "closed", "2024-08-05"],
        ["P13", "reported_done", "2024-11-20"],
        ["P14", "rectifying", ""],
        ["P15", "rectifying", ""],
    ],
    # Round 1's feedback to S1 (its report due two months later, as the round's rule has it) and the
    # report S1 submitted.
    "feedbacks.csv": [
        ["body_code", "term", "round", "org_code", "held_on", "given_by", "received_by", "requirements"]
        + ["report_due"],
        [BODY, TERM, "1", "S1", "2023-06-15", "区委第一巡察组组长", "甲街道党工委书记王某", "逐条整改。"]
        + ["2023-08-15"],
    ],
    "rectification_reports.csv": [
        ["body_code", "term", "round", "org_code", "kind", "submitted_on", "signed_by", "text"],
        [BODY, TERM, "1", "S1", "rectification", "2023-08-10", "中共某区甲街道工作委员会", "整改情况如下。"],
    ],
    "clues.csv": [
        [
            "clue_id",
            "problem_id",
            "department",
            "transferred_on",
            "due_on",
            "status",
            "result",
            "fed_back_on",
            "party_discipline",
            "organisational_handling",
            "judicial_transfers",
            "losses_recovered",
            "feedback",
            "subject_name",
            "subject_post",
            "summary",
            "sheet_no",
            "accepted_on",
            "escalated_on",
        ],
        [
            "X1",
            "P02",
            "JW-QX",
            "2023-06-20",
            "2023-09-20",
            "fed_back",
            "case_opened",
            "2023-09-01",
            "2",
            "1",
            "0",
            "35.50",
            "已立案审查，给予党纪处分2人、组织处理1人。",
            "王某",
            "甲街道党工委书记",
            "违规出租集体门面房，租金未入账。",
            "XCB-QX-2023-001",
            "2023-06-25",
            "",
        ],
        # due 3 months later (2024-09-25), not yet accepted, escalated two weeks after; about the problem
        ["X2", "P09", "JW-QX", "2024-06-25", "", "transferred", "", "", "", "", "", "", "", "", "", "", ""]
        + ["", "2024-10-09"],
    ],
    "interviews.csv": [
        ["interviewer", "interviewee", "org_code", "reason", "held_on"],
        ["区委书记", "甲街道党工委书记王某", "S1", "整改落实到位率低于70%", "2024-09-10"],
        ["区委书记", "乙镇党委书记陈某", "S4", "整改落实到位率低于70%", "2025-03-01"],
        ["区委副书记", "某社区党委书记赵某", "C1", "整改推进缓慢", "2025-09-01"],
    ],
    # C1, fed back 2025-08-01, stood at 0 of 2 problems implemented on 2025-10-15, under the 70% line:
    # its self-criticism, returned once, was accepted (after the term's figures of 2025-06-30).
    "self_criticisms.csv": [
        [
            "body_code",
            "term",
            "org_code",
            "assessed_on",
            "numerator",
            "denominator",
            "threshold",
            "due_on",
            "status",
            "text",
            "submitted_on",
            "accepted_on",
            "return_reason",
        ],
        [
            BODY,
            TERM,
            "C1",
            "2025-10-15",
            "0",
            "2",
            "70",
            "2025-11-14",
            "accepted",
            "对整改推进缓慢作深刻检查，逐项明确整改责任。",
            "2025-11-10",
            "2025-11-20",
            "剖析不够深刻",
        ],
    ],
    # The office pressed S1 by letter on the rent still owed and S4 at a meeting; it evaluated C1 poor
    # (answered by the interview of 2025-09-01) and S3 good; it disclosed S1's rectification.
    "supervisions.csv": [
        [
            "body_code",
            "org_code",
            "held_on",
            "method",
            "content",
            "result",
            "term",
            "round",
            "problem_id",
            "measure",
        ],
        [
            BODY,
            "S1",
            "2024-07-01",
            "letter",
            "限期追缴欠缴租金",
            "已追缴部分欠租",
            TERM,
            "1",
            "P04",
            "追缴欠缴租金",
        ],
        [BODY, "S4", "2024-09-01", "meeting", "督促加快整改进度", "", "", "", "", ""],
    ],
    "evaluations.csv": [
        [
            "body_code",
            "term",
            "org_code",
            "evaluated_on",
            "responsibility",
            "completion",
            "closing",
            "rules",
            "use",
        ]
        + ["notes", "interviewer", "interviewee", "interview_on"],
        [BODY, TERM, "C1", "2025-08-20", "10", "12", "8", "5", "5", "整改推进缓慢"]
        + ["区委副书记", "某社区党委书记赵某", "2025-09-01"],
        [BODY, TERM, "S3", "2025-01-10", "18", "27", "18", "13", "14", "整改扎实", "", "", ""],
    ],
    "disclosures.csv": [
        ["body_code", "term", "round", "org_code", "audience", "title", "text", "show_rates", "published_on"]
        + ["withdrawn_on", "problem_ids"],
        [
            BODY,
            TERM,
            "1",
            "S1",
            "public",
            "甲街道巡察整改情况公开",
            "甲街道党工委已完成整改。",
            "1",
            "2023-11-01",
        ]
        + ["", "P01；P02"],
    ],
    # The leader's instructions: on S1's rent owed (carried out and closed) and on the first petition.
    "instructions.csv": [
        [
            "subject_kind",
            "subject_ref",
            "leader",
            "given_on",
            "text",
            "addressee",
            "deadline",
            "follow_up_asked",
        ]
        + ["status", "follow_up_given", "answered_by", "answered_on", "escalated_on"],
        ["problem", "P04", LEADER, "2023-07-01", "追缴欠租要一抓到底", "", "2023-12-31", "报送追缴结果"]
        + ["closed", "已追缴欠租3万元", LEADER, "2024-05-12", ""],
        [
            "petition",
            "X-2023-001",
            LEADER,
            "2023-05-01",
            "请核实反映的问题",
            "",
            "",
            "",
            "open",
            "",
            "",
            "",
            "",
        ],
    ],
    "petitions.csv": [
        [
            "petition_id",
            "channel",
            "received_on",
            "subject_org_code",
            "category",
            "summary",
            "anonymous",
            "status",
            "body_code",
            "joint_body_code",
            "term",
            "round",
            "group_no",
            "route",
            "routed_on",
            "answer",
            "answered_on",
            "close_reason",
        ],
        # received during round 1's inspection of S1, handed to its group, answered and closed
        ["X-2023-001", "letter", "2023-04-20", "S1", "", "反映街道违规出租门面房。", "1", "closed", "", ""]
        + [TERM, "1", "1", "group", "2023-04-21", "已责令收回门面房。", "2023-05-20", "已答复反映人。"],
        ["X-2023-002", "qr", "2023-04-22", "C1", "", "反映社区办事收费。", "0", "received"] + [""] * 10,
    ],
    "accountability.csv": [
        ["subject_name", "subject_post", "org_code", "action", "reason", "decided_on", "problem_id"],
        ["王某", "甲街道党工委书记", "S1", "admonishment", "违规出租问题整改后反弹", "2024-09-20", "P02"],
        ["王某", "甲街道党工委书记", "S1", "criticism_notice", "整改落实到位率低于70%", "2024-09-20", ""],
        ["陈某", "乙镇党委书记", "S4", "removal", "整改弄虚作假", "2025-04-01", "P13"],
        ["刘某", "乙镇党委副书记", "S4", "ordered_review", "整改推进不力", "2025-05-01", ""],
        ["赵某", "某社区党委书记", "C1", "removal", "整改推进不力", "2025-10-01", ""],
    ],
    # The district committee's own work (M1, M2, M13): a meeting with the instruction arising from it,
    # a rule revised by a later one, and an exposed case.
    "meetings.csv": [
        ["body_code", "held_on", "kind", "title", "topics", "attendees", "decisions"],
        [
            BODY,
            "2023-03-10",
            "standing_committee",
            "区委常委会会议",
            "听取第一轮巡察情况汇报",
            "区委常委",
            "推动整改",
        ],
    ],
    "meeting_instructions.csv": [
        [
            "body_code",
            "meeting_held_on",
            "meeting_title",
            "given_by",
            "text",
            "assignee",
            "given_on",
            "due_on",
            "status",
            "answer",
            "closed_on",
        ],
        [
            BODY,
            "2023-03-10",
            "区委常委会会议",
            "区委书记",
            "抓紧整改违规出租问题。",
            "区委巡察办",
            "2023-03-10",
            "2023-06-30",
            "closed",
            "已整改完毕。",
            "2023-06-20",
        ],
    ],
    "regulations.csv": [
        [
            "body_code",
            "name",
            "issuer",
            "number",
            "issued_on",
            "status",
            "status_on",
            "replaced_by_name",
            "replaced_by_issued_on",
            "summary",
        ],
        [
            BODY,
            "区委巡察工作实施办法",
            "区委",
            "区委发〔2021〕3号",
            "2021-07-01",
            "revised",
            "2024-01-05",
            "区委巡察工作实施办法（修订）",
            "2024-01-05",
            "规定巡察工作的组织和程序。",
        ],
        [
            BODY,
            "区委巡察工作实施办法（修订）",
            "区委",
            "区委发〔2024〕1号",
            "2024-01-05",
            "in_force",
            "",
            "",
            "",
            "修订后的巡察工作实施办法。",
        ],
    ],
    "exposures.csv": [
        [
            "body_code",
            "title",
            "published_on",
            "channel",
            "outlet",
            "summary",
            "people_named",
            "org_code",
            "problem_id",
        ],
        [
            BODY,
            "某街道违规出租门面房问题",
            "2024-10-01",
            "local_media",
            "区融媒体中心",
            "通报违规出租问题的查处情况。",
            "王某",
            "S1",
            "P02",
        ],
    ],
    # Guidance of the lower body (M7, M16, M17): its secretary's special-meeting material, the district
    # office's self-inspection, the indicators, the 2024 assessment and its naming.
    "material_reviews.csv": [
        [
            "body_code",
            "org_code",
            "secretary_name",
            "secretary_post",
            "meeting_on",
            "meeting_title",
            "received_on",
            "status",
            "opinions",
            "accepted_on",
        ],
        [
            BODY,
            "QX-JY",
            "周某",
            "党委书记",
            "2024-03-02",
            "听取巡察情况汇报专题会",
            "2024-03-05",
            "accepted",
            "同意",
            "2024-03-20",
        ],
        [
            BODY,
            "QX-JY",
            "周某",
            "党委书记",
            "2025-03-03",
            "听取巡察整改情况专题会",
            "2025-03-06",
            "returned",
            "剖析不深",
            "",
        ],
    ],
    # How each material was reviewed: accepted in its first round; returned in its first round.
    "review_rounds.csv": [
        [
            "body_code",
            "org_code",
            "meeting_on",
            "number",
            "reviewer",
            "started_on",
            "opinions",
            "outcome",
            "decided_on",
        ],
        [BODY, "QX-JY", "2024-03-02", "1", "", "2024-03-06", "同意", "accepted", "2024-03-20"],
        [BODY, "QX-JY", "2025-03-03", "1", "", "2025-03-07", "剖析不深", "returned", "2025-03-12"],
    ],
    "self_inspections.csv": [
        [
            "body_code",
            "title",
            "scope",
            "period_start",
            "period_end",
            "item",
            "finding",
            "problem_found",
            "fix",
            "fixed_on",
            "status",
            "summary",
            "closed_on",
        ],
        [
            BODY,
            "2024年巡察工作自查",
            "own",
            "2024-01-01",
            "2024-06-30",
            "底稿归档",
            "部分未归档",
            "1",
            "补齐底稿",
            "2024-07-01",
            "closed",
            "总体规范",
            "2024-07-10",
        ],
        [
            BODY,
            "2025年巡察工作自查",
            "own",
            "2025-01-01",
            "2025-06-30",
            "线索移交",
            "1件超期移交",
            "1",
            "建立移交台账",
            "",
            "open",
            "",
            "",
        ],
    ],
    "assessment_indicators.csv": [
        ["code", "name", "weight", "kind", "figure_key", "active"],
        ["A1", "巡察全覆盖", "40", "figure", "term_coverage", "1"],
        ["B1", "巡察工作质量", "60", "judgement", "", "1"],
    ],
    "assessment_scores.csv": [
        [
            "body_code",
            "year",
            "status",
            "assessed_body_code",
            "indicator_code",
            "value",
            "score",
            "computed",
            "note",
        ],
        [BODY, "2024", "confirmed", LOWER, "A1", "0.5000", "20.00", "1", "覆盖过半"],
        [BODY, "2024", "confirmed", LOWER, "B1", "", "30.00", "0", "质量一般"],
    ],
    "naming_candidates.csv": [
        ["body_code", "year", "assessed_body_code", "who", "person_name", "reason", "status", "decided_on"],
        [
            BODY,
            "2024",
            LOWER,
            "district_committee",
            "某区教育工作党委",
            "考核排名末位",
            "confirmed",
            "2025-01-20",
        ],
    ],
}


def assert_round_trip(folder: Path, actor, files: list[str], file: str, records, snapshot) -> dict[str, int]:
    """Exports ``files`` into ``folder``, deletes ``records`` (a queryset) and imports the folder:
    every row ``file`` was written with comes back created and ``snapshot()`` reads as before; a
    second import changes nothing. Returns what the export wrote, file by file."""
    before = snapshot()
    written = ledger_export(folder, actor=actor, files=files)
    records.delete()
    report = ledger_import(folder, actor=actor)
    assert report.ok, report.errors
    assert report.counts[file] == {"created": written[file]}
    assert snapshot() == before
    again = ledger_import(folder, actor=actor)
    assert again.ok and not any(again.counts.values()), again.counts
    return written


def term_bundle_import(admin, folder):
    """The whole bundle at once into an empty database (its departments are a file of it), the
    leader's account (``LEADER``) set up first."""
    if not User.objects.filter(username=LEADER).exists():
        make_user(LEADER, Role.ADMINISTRATOR)
    report = ledger_import(folder, actor=admin)
    assert report.ok, report.errors
    return report


def database_empty():
    """Delete every record the term bundle brings, dependants first."""
    for model in (
        Supervision,
        Evaluation,
        Disclosure,
        NamingCandidate,
        AssessmentScore,
        Assessment,
        AssessmentIndicator,
        SelfInspection,
        MaterialReview,
        CaseExposure,
        MeetingInstruction,
        Meeting,
        Regulation,
        Accountability,
        Interview,
        SelfCriticism,
        RectificationReport,
        Feedback,
        ProblemEvent,
        RectificationTask,
        Clue,
        Problem,
        Petition,
    ):
        if model is Regulation:
            model.objects.update(replaced_by=None)  # a revised rule names the rule that replaced it
        model.objects.all().delete()
    for model in (Inspection, RoundMember, Round, Group, Conflict, Cadre, Department, Term):
        model.objects.all().delete()
    Organization.objects.update(supervising_body=None)
    InspectionBody.objects.all().delete()
    Organization.objects.all().delete()
