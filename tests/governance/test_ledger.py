"""meetings.csv, meeting_instructions.csv, regulations.csv and exposures.csv: a good import, every kind
of bad row reported with nothing written (the services' rules, in their words), Chinese headers, an
exact round trip and a re-import that changes nothing."""

import datetime

from lijian.accounts.choices import Role
from lijian.documents.ledger.importer import ledger_export, ledger_import
from lijian.governance.models import CaseExposure, Meeting, MeetingInstruction, Regulation

from ..bundles import TERM_BUNDLE, write_bundle

D = datetime.date
BODY = "XCB-120101"  # 和平区委巡察办: the world's office staff keep its records
MEETINGS = list(TERM_BUNDLE["meetings.csv"][0])  # the headers of tests/bundles.py
INSTRUCTIONS = list(TERM_BUNDLE["meeting_instructions.csv"][0])  # the headers of tests/bundles.py
REGULATIONS = list(TERM_BUNDLE["regulations.csv"][0])  # the headers of tests/bundles.py
EXPOSURES = list(TERM_BUNDLE["exposures.csv"][0])  # the headers of tests/bundles.py
FILES = ["meetings.csv", "meeting_instructions.csv", "regulations.csv", "exposures.csv"]


def _good():
    return {
        "meetings.csv": [
            MEETINGS,
            [
                BODY,
                "2024-01-10",
                "standing_committee",
                "区委常委会会议",
                "听取巡察情况汇报",
                "区委常委",
                "限期整改",
            ],
            [BODY, "2024-02-20", "书记专题会", "书记专题会", "研究巡察整改", "", ""],
        ],
        "meeting_instructions.csv": [
            INSTRUCTIONS,
            [
                BODY,
                "2024-01-10",
                "区委常委会会议",
                "区委书记",
                "督促整改",
                "区委巡察办",
                "",
                "2024-03-31",
                "closed",
                "已整改",
                "2024-03-20",
            ],
            [
                BODY,
                "2024-02-20",
                "书记专题会",
                "区委书记",
                "约谈街道书记",
                "区委组织部",
                "2024-02-21",
                "2024-04-30",
                "",
                "",
                "",
            ],
        ],
        "regulations.csv": [
            REGULATIONS,
            [
                BODY,
                "巡察工作实施办法",
                "区委",
                "区委发〔2018〕3号",
                "2018-05-01",
                "revised",
                "2023-06-01",
                "巡察工作实施办法",
                "2023-06-01",
                "",
            ],
            [
                BODY,
                "巡察工作实施办法",
                "区委",
                "区委发〔2023〕7号",
                "2023-06-01",
                "in_force",
                "",
                "",
                "",
                "修订版",
            ],
            [
                BODY,
                "巡察组工作规则",
                "区委巡察工作领导小组",
                "",
                "2019-03-01",
                "已废止",
                "2022-01-01",
                "",
                "",
                "",
            ],
        ],
        "exposures.csv": [
            EXPOSURES,
            [
                BODY,
                "街道违规收费问题",
                "2024-06-01",
                "website",
                "区纪委监委网站",
                "违规收费",
                "某主任",
                "120101001",
                "",
            ],
            [
                BODY,
                "社区违规发放补贴问题",
                "2024-07-01",
                "干部大会",
                "全区警示教育大会",
                "违规发放补贴",
                "",
                "",
                "",
            ],
        ],
    }


def _state():
    return {
        "meetings": sorted(
            Meeting.objects.values_list(
                "body__code", "held_on", "kind", "title", "topics", "attendees", "decisions"
            )
        ),
        "instructions": sorted(
            MeetingInstruction.objects.values_list(
                "meeting__title",
                "given_by_name",
                "text",
                "assignee_name",
                "given_on",
                "due_on",
                "status",
                "answer",
                "closed_on",
            )
        ),
        "regulations": sorted(
            Regulation.objects.values_list(
                "name",
                "issuer",
                "number",
                "issued_on",
                "status",
                "status_on",
                "replaced_by__issued_on",
                "summary",
            )
        ),
        "exposures": sorted(
            CaseExposure.objects.values_list(
                "title",
                "published_on",
                "channel",
                "outlet",
                "summary",
                "people_named",
                "organization__code",
                "problem__ref",
            )
        ),
    }


def test_a_good_bundle_is_imported(world, tmp_path):
    office = world.users[Role.OFFICE_STAFF]
    report = ledger_import(write_bundle(tmp_path, _good()), actor=office)
    assert report.ok, report.errors
    assert {f: report.counts[f]["created"] for f in FILES} == dict(zip(FILES, [2, 2, 3, 2], strict=True))
    old = Regulation.objects.get(issued_on=D(2018, 5, 1))
    assert old.replaced_by == Regulation.objects.get(issued_on=D(2023, 6, 1))
    assert Regulation.objects.get(name="巡察组工作规则").status == "repealed"
    closed = MeetingInstruction.objects.get(text="督促整改")
    assert (closed.status, closed.given_on, closed.closed_on) == ("closed", D(2024, 1, 10), D(2024, 3, 20))
    assert CaseExposure.objects.get(title="街道违规收费问题").organization == world.t1
    assert Meeting.objects.get(title="书记专题会").kind == "secretary"


def test_chinese_headers_are_accepted(world, tmp_path):
    files = _good()
    files["meetings.csv"][0] = [
        "机构代码",
        "会议日期",
        "会议类型",
        "会议名称",
        "议题",
        "出席人员",
        "会议决定",
    ]
    assert ledger_import(
        write_bundle(tmp_path, {"meetings.csv": files["meetings.csv"]}), actor=world.admin
    ).ok


def test_every_bad_row_is_reported_and_nothing_is_written(world, tmp_path):
    future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    files = {
        "meetings.csv": [
            MEETINGS,
            [BODY, future, "other", "未来的会议", "议题", "", ""],
            ["XCB-120103", "2024-01-10", "other", "别区的会议", "议题", "", ""],  # 河西's body
            ["NOPE", "2024-01-10", "other", "没有的机构", "议题", "", ""],
            [BODY, "2024-13-01", "meeting", "坏日期", "议题", "", ""],
        ],
        "meeting_instructions.csv": [
            INSTRUCTIONS,
            [BODY, "2024-01-10", "不存在的会议", "书记", "x", "办", "", "2024-03-31", "", "", ""],
            [BODY, "2024-01-10", "不存在的会议", "书记", "y", "办", "", "2023-12-31", "", "", ""],
            [BODY, "2024-01-10", "不存在的会议", "书记", "z", "办", "", "2024-03-31", "closed", "", ""],
        ],
        "regulations.csv": [
            REGULATIONS,
            [BODY, "办法", "区委", "", "2020-01-01", "revised", "2021-01-01", "没有的办法", "2021-01-01", ""],
            [BODY, "办法二", "区委", "", "2020-01-01", "in_force", "2021-01-01", "", "", ""],
            [BODY, "办法三", "区委", "", "2020-01-01", "revised", "", "", "", ""],
        ],
        "exposures.csv": [
            EXPOSURES,
            [BODY, "案例", "2024-06-01", "website", "网站", "情况", "", "120103001", ""],  # 河西's street
            [BODY, "案例二", "2024-06-01", "tv", "电视", "情况", "", "NOPE", "P9"],
        ],
    }
    report = ledger_import(write_bundle(tmp_path, files), actor=world.users[Role.OFFICE_STAFF])
    assert not report.ok
    got = {(e.file, e.line, e.column) for e in report.errors}
    expected = {
        ("meetings.csv", 2, "held_on"),
        ("meetings.csv", 3, "body_code"),
        ("meetings.csv", 4, "body_code"),
        ("meetings.csv", 5, "held_on"),
        ("meetings.csv", 5, "kind"),
        ("meeting_instructions.csv", 2, "meeting_title"),
        ("meeting_instructions.csv", 3, "due_on"),
        ("meeting_instructions.csv", 4, "status"),
        ("regulations.csv", 2, "replaced_by_name"),
        ("regulations.csv", 3, "status_on"),
        ("regulations.csv", 4, "replaced_by_name"),
        ("exposures.csv", 3, "channel"),
    }
    assert expected <= got, sorted(got - expected)
    messages = {(e.file, e.line, e.column): e.reason for e in report.errors}
    assert messages["meetings.csv", 2, "held_on"] == "日期不能晚于今天。"  # the service's words
    assert "不在您的管理范围内" in messages["meetings.csv", 3, "body_code"]
    assert not Meeting.objects.exists() and not Regulation.objects.exists()
    # the subtree rule is checked once the rows are otherwise good
    only_subtree = {"exposures.csv": [EXPOSURES, files["exposures.csv"][1]]}
    report = ledger_import(write_bundle(tmp_path / "b", only_subtree), actor=world.users[Role.OFFICE_STAFF])
    assert [(e.line, e.column) for e in report.errors] == [(2, "org_code")]
    assert not CaseExposure.objects.exists()


def test_export_then_import_round_trips_and_a_second_import_changes_nothing(world, tmp_path):
    office = world.users[Role.OFFICE_STAFF]
    assert ledger_import(write_bundle(tmp_path / "in", _good()), actor=office).ok
    before = _state()
    written = ledger_export(tmp_path / "out", actor=office, files=FILES)
    assert written == dict(zip(FILES, [2, 2, 3, 2], strict=True))
    report = ledger_import(tmp_path / "out", actor=office)
    assert report.ok, report.errors
    assert all(not counts for counts in report.counts.values()), report.counts  # nothing changed
    CaseExposure.objects.all().delete()
    MeetingInstruction.objects.all().delete()
    Meeting.objects.all().delete()
    Regulation.objects.update(replaced_by=None)
    Regulation.objects.all().delete()
    report = ledger_import(tmp_path / "out", actor=office)
    assert report.ok, report.errors
    assert _state() == before
    # another district's office exports none of it
    assert ledger_export(tmp_path / "other", actor=world.outsider, files=FILES) == dict.fromkeys(FILES, 0)
