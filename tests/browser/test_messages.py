"""Journey of the messages: each hand-over reaches the next person's message centre, and the message
takes them to the record they must act on — from a member's draft problem to the problem closed.

member records a draft → the deputy leader sees a message and approves → the office transfers a clue
→ the department sees a message and answers → the office sees the answer → feedback → the liaison
sees a message and writes a task → the deputy returns it with a comment → the liaison sees why and
changes it → the deputy sees the change and accepts → the liaison sees the acceptance, reports
progress with evidence and the problem done → the deputy sees it and closes the problem.
"""

import datetime

from lijian.accounts.choices import Role
from lijian.findings.models import Clue, Department, Problem
from lijian.rectification.models import RectificationTask

from ..world import PASSWORD, build_rounds, build_world


def _as(page, user) -> None:
    page.page.context.clear_cookies()
    page.login(user.username, PASSWORD)


def _open_message(page, text: str) -> None:
    """In the message centre, the unread message saying ``text`` is there; open it (to its record)."""
    p = page.page
    page.go("/notices/?unread=1")
    row = p.locator("tr.notice", has_text=text)
    assert row.count() == 1, p.locator("#notices").inner_text()
    row.locator("button.notice-open").click()
    p.wait_for_load_state()
    assert "/notices/" not in p.url


def test_each_hand_over_reaches_the_next_person_and_takes_them_to_the_record(
    page, transactional_db, tmp_path
):
    world = build_world()
    rounds = build_rounds(world)
    inspection = rounds.inspection1
    inspection.stage, inspection.onsite_start = "onsite", datetime.date(2024, 3, 10)
    inspection.save()
    department = Department.objects.create(
        code="HP-JW", name="和平区纪委监委", kind="discipline", committee=world.d1
    )
    department.staff.add(world.users[Role.DEPARTMENT])
    member, deputy = world.users[Role.GROUP_MEMBER], world.users[Role.GROUP_LEADER]
    office, handler, liaison = (
        world.users[Role.OFFICE_STAFF],
        world.users[Role.DEPARTMENT],
        world.users[Role.LIAISON],
    )
    today = datetime.date.today()
    p = page.page

    # A member records a draft problem and a clue.
    _as(page, member)
    page.go(f"/inspections/inspections/{inspection.pk}/")
    p.click("#new-problem")
    p.select_option("#id_category", label="　2.1 集体“三资”管理不规范")
    p.fill("#id_summary", "社区集体资产出租未经民主决策")
    p.fill("#id_found_on", "2024-03-20")
    p.click("#main-form button[type=submit]")
    p.wait_for_selector("#review >> text=草稿")
    problem = Problem.objects.get()
    p.click("#clues >> text=记录问题线索")
    p.fill("#id_subject_name", "刘某")
    p.fill("#id_summary", "反映其将集体门面房低价租给亲属。")
    p.click("#main-form button[type=submit]")
    p.wait_for_selector("#clue-status >> text=待移交")
    clue = Clue.objects.get()

    # The deputy leader is told of the draft, opens it from the message and approves it.
    _as(page, deputy)
    assert p.locator("#nav-notices-unread").inner_text() == "1"
    _open_message(page, "社区集体资产出租未经民主决策")
    assert p.url.endswith(f"/findings/problems/{problem.pk}/")
    p.click("button:has-text('审定')")
    p.wait_for_selector("#review >> text=组内已审定")

    # The office transfers the clue; the department is told, opens it and answers.
    _as(page, office)
    page.go(f"/findings/clues/{clue.pk}/")
    p.fill("#transfer input[name=transferred_on]", today.isoformat())
    p.click("#transfer button")
    p.wait_for_selector("#clue-status >> text=已移交")
    _as(page, handler)
    _open_message(page, "移交线索待办理")
    assert p.url.endswith(f"/findings/clues/{clue.pk}/")
    p.select_option("#feedback select[name=result]", "case_opened")
    p.fill("#feedback textarea[name=feedback]", "已立案审查。")
    p.click("#feedback button")
    p.wait_for_selector("#clue-status >> text=已反馈")

    # The office is told of the answer; the message takes it to the clue.
    _as(page, office)
    _open_message(page, "线索已反馈")
    p.wait_for_selector("#clue-status >> text=已反馈")
    page.shot("40-messages-clue-answered")

    # The report is done; the office feeds back and the liaison is told.
    inspection.refresh_from_db()
    inspection.stage, inspection.onsite_end = "report", datetime.date(2024, 4, 20)
    inspection.save()
    page.go(f"/inspections/inspections/{inspection.pk}/")
    p.click("#feedback-link a")
    p.fill("#id_given_by", "和平区委第一巡察组组长")
    p.fill("#id_received_by", "劝业场街道党工委书记")
    p.click("#main-form button[type=submit]")
    p.wait_for_selector("#rates")
    _as(page, liaison)
    page.go("/notices/")
    page.shot("41-messages-liaison")
    _open_message(page, "巡视巡察反馈")
    assert p.url.endswith(f"/rectification/inspections/{inspection.pk}/")
    page.go(f"/rectification/problems/{problem.pk}/")
    p.fill("#id_new-measure", "清退租金差价")
    p.fill("#id_new-responsible_leader", "街道党工委书记")
    p.fill("#id_new-responsible_department", "街道党政办")
    p.fill("#id_new-deadline", (today + datetime.timedelta(days=60)).isoformat())
    p.click("#task-form button")
    p.wait_for_selector(".task-pending")
    task = RectificationTask.objects.get()

    # The deputy is told the task awaits review and returns it with a comment.
    _as(page, deputy)
    _open_message(page, "整改任务待审核")
    assert f"/rectification/problems/{problem.pk}/" in p.url
    p.click(f"#task-{task.pk} details.task-return summary")
    p.fill(f"#task-{task.pk} details.task-return textarea", "措施太笼统：写明重新招租的民主决策程序。")
    p.click(f"#task-{task.pk} details.task-return button")
    p.wait_for_selector(f"#task-{task.pk} .task-returned")

    # The liaison is told why, and changes the task.
    _as(page, liaison)
    _open_message(page, "写明重新招租的民主决策程序")
    p.click(f"#task-{task.pk} a[href$='/change/']")
    p.fill("#id_measure", "清退租金差价，经社区党员大会表决后重新公开招租")
    p.click("#main-form button[type=submit]")
    p.wait_for_selector(f"#task-{task.pk} .task-pending")

    # The deputy is told of the change and accepts it.
    _as(page, deputy)
    _open_message(page, "整改任务已修改")
    p.click(f"#task-{task.pk} >> text=审核通过")
    p.wait_for_selector(f"#task-{task.pk} >> text=已审核")

    # The liaison is told it was accepted, reports progress with evidence, completes and reports done.
    _as(page, liaison)
    _open_message(page, "整改任务已审核通过")
    p.click(f"#task-{task.pk} >> text=报送进展和佐证")
    p.fill("#id_text", "已清退租金差价，重新招租经党员大会表决。")
    proof = tmp_path / "表决记录.pdf"
    proof.write_bytes(b"%PDF-1.4 minutes")
    p.set_input_files("#id_evidence", str(proof))
    p.click("#main-form button[type=submit]")
    p.wait_for_selector(f"#task-{task.pk} .evidence >> text=表决记录.pdf")
    p.click(f"#task-{task.pk} >> text=标记完成")
    p.click("#main-form button[type=submit]")
    p.wait_for_selector(f"#task-{task.pk} .task-status >> text=已完成")
    p.fill("#move-report_done textarea", "整改措施已全部落实。")
    p.click("#move-report_done button")
    p.wait_for_selector("#problem-status >> text=已报完成")

    # The deputy is told the problem was reported done and closes it on the evidence.
    _as(page, deputy)
    _open_message(page, "问题已报整改完成")
    p.fill("#move-close textarea", "经核对表决记录，整改到位，同意销号。")
    p.click("#move-close button")
    p.wait_for_selector("#problem-status >> text=已销号")
    assert Problem.objects.get(pk=problem.pk).status == "closed"
    # Every message on the way was opened, so nobody who acted has any left unread; the office, on
    # the inspection side with the deputy, was told of the task and the report too and reads them.
    for user in (member, deputy, handler, liaison):
        _as(page, user)
        assert p.locator("#nav-notices-unread").count() == 0, user.username
    _as(page, office)
    page.go("/notices/?unread=1")
    unread = p.locator("#notices").inner_text()
    assert "整改任务待审核" in unread and "问题已报整改完成" in unread and "线索" not in unread
    page.shot("42-messages-office")
    p.click("#notices-read-all")
    p.wait_for_load_state()
    assert p.locator("#nav-notices-unread").count() == 0
