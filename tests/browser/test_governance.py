"""Journey of the committee's own work: the office records a standing-committee meeting with its
minutes and an instruction of the leader arising from it; the leader sees it; the office reports how
it was carried out and the leader closes it; the office registers a rule and finds it by its number;
and records a typical case it exposed."""

import datetime

from lijian.accounts.choices import Role
from lijian.governance.models import CaseExposure, Meeting, MeetingInstruction, Regulation

from ..world import PASSWORD, build_world


def test_meeting_instruction_rule_and_exposure(page, transactional_db, tmp_path):
    world = build_world()
    office, leader = world.users[Role.OFFICE_STAFF], world.users[Role.LEADER]
    due = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    p = page.page

    # The office records the meeting from the menu, with its minutes.
    page.login(office.username, PASSWORD)
    p.click("nav >> text=主体责任")
    p.click("#meeting-new")
    p.fill("#id_held_on", "2024-03-01")
    p.select_option("#id_kind", "standing_committee")
    p.fill("#id_title", "区委常委会会议（巡察工作专题）")
    p.fill("#id_topics", "听取第二轮巡察情况汇报")
    p.fill("#id_attendees", "区委书记、副书记、常委")
    p.fill("#id_decisions", "被巡察党组织两个月内报送整改报告")
    p.click("#main-form button[type=submit]")
    p.wait_for_selector("#meeting-title >> text=区委常委会会议（巡察工作专题）")
    meeting = Meeting.objects.get()
    minutes = tmp_path / "会议纪要.pdf"
    minutes.write_bytes(b"%PDF-1.4 minutes")
    p.set_input_files("#attach-form input[type=file]", str(minutes))
    p.click("#attach-form button")
    p.wait_for_selector("#files >> text=会议纪要.pdf")

    # ... and the leader's instruction given at it, charged to the office.
    p.click("#meeting-instruct")
    p.select_option("#id_given_by", str(leader.pk))
    p.fill("#id_text", "督促劝业场街道党工委抓紧整改违规收费问题")
    p.select_option("#id_assignee", str(office.pk))
    p.fill("#id_assignee_name", "区委巡察办")
    p.fill("#id_due_on", due)
    p.click("#main-form button[type=submit]")
    instruction = MeetingInstruction.objects.get()
    p.wait_for_selector(f"#instruction-{instruction.pk} .instruction-status >> text=待落实")
    page.shot("32-governance-meeting")

    # The leader sees it among the instructions.
    p.context.clear_cookies()
    page.login(leader.username, PASSWORD)
    page.go("/governance/instructions/")
    p.wait_for_selector(f"#instruction-row-{instruction.pk} >> text=督促劝业场街道党工委抓紧整改违规收费问题")
    assert p.locator(f"#instruction-{instruction.pk} .instruction-answer-form").count() == 0

    # The office reports how it was carried out.
    p.context.clear_cookies()
    page.login(office.username, PASSWORD)
    page.go(meeting.get_absolute_url())
    p.fill(
        f"#instruction-{instruction.pk} .instruction-answer-form textarea",
        "已约谈街道党工委书记，违规收费已全部清退",
    )
    p.click(f"#instruction-{instruction.pk} .instruction-answer-form button")
    p.wait_for_selector(f"#instruction-{instruction.pk} .instruction-status >> text=已报落实情况")
    assert p.locator(f"#instruction-{instruction.pk} .instruction-close-form").count() == 0  # the leader's

    # The leader, told of it, closes it.
    p.context.clear_cookies()
    page.login(leader.username, PASSWORD)
    page.go(meeting.get_absolute_url())
    p.click(f"#instruction-{instruction.pk} .instruction-close-form button")
    p.wait_for_selector(f"#instruction-{instruction.pk} .instruction-status >> text=已办结")
    instruction.refresh_from_db()
    assert instruction.status == "closed"

    # The office registers a rule and finds it by its number.
    p.context.clear_cookies()
    page.login(office.username, PASSWORD)
    page.go("/governance/regulations/")
    p.click("#regulation-new")
    p.fill("#id_name", "关于加强巡察整改监督的实施办法")
    p.fill("#id_issuer", "中共天津市和平区委员会")
    p.fill("#id_number", "和党发〔2024〕5号")
    p.fill("#id_issued_on", "2024-04-01")
    p.fill("#id_summary", "明确整改监督的责任分工、程序和要求")
    p.click("#main-form button[type=submit]")
    p.wait_for_selector("#regulation-status >> text=现行有效")
    assert Regulation.objects.get().number == "和党发〔2024〕5号"
    page.go("/governance/regulations/")
    p.fill("#regulation-filter input[name=q]", "〔2024〕5号")
    p.click("#regulation-filter button")
    p.wait_for_selector("#regulations >> text=关于加强巡察整改监督的实施办法")
    page.shot("33-governance-regulations")
    p.fill("#regulation-filter input[name=q]", "〔2019〕")
    p.click("#regulation-filter button")
    p.wait_for_selector("#regulations >> text=没有符合条件的制度规定。")

    # ... and a typical case it exposed.
    page.go("/governance/exposures/")
    p.click("#exposure-new")
    p.fill("#id_title", "劝业场街道违规收取办事费用问题")
    p.fill("#id_summary", "街道便民服务中心违规收取办事费用，街道办事处主任被诫勉")
    p.fill("#id_people_named", "街道办事处主任 张某")
    p.fill("#id_organization", world.t1.code)
    p.select_option("#id_channel", "website")
    p.fill("#id_outlet", "和平区纪委监委网站")
    p.fill("#id_published_on", "2024-06-01")
    p.click("#main-form button[type=submit]")
    p.wait_for_selector("#exposure-title >> text=劝业场街道违规收取办事费用问题")
    assert CaseExposure.objects.get().organization == world.t1
    page.shot("34-governance-exposure")
