"""Journey of rectification: the office gives feedback, the liaison writes the plan, the inspection
side accepts it, the liaison reports progress with evidence and the problem done, the office closes
it on that evidence, and the implementation rate on the page goes from 0% to 100%."""

import datetime

from lijian.accounts.choices import Role
from lijian.findings import services as findings_services
from lijian.findings.models import Problem
from lijian.rectification.models import RectificationTask

from ..world import PASSWORD, build_findings, build_rounds, build_world


def _rate(p) -> str:
    return p.locator("#implementation_rate").inner_text()


def test_feedback_plan_progress_with_evidence_closing_and_the_rate_changes(page, transactional_db, tmp_path):
    world = build_world()
    rounds = build_rounds(world)
    findings = build_findings(world, rounds)
    findings_services.problem_approve(actor=world.admin, problem=findings.problem1)
    inspection = rounds.inspection1
    inspection.stage = "report"
    inspection.onsite_end = datetime.date(2024, 4, 20)
    inspection.save()
    p = page.page

    # The office gives the feedback from the inspection's page.
    page.login(world.users[Role.OFFICE_STAFF].username, PASSWORD)
    page.go(f"/inspections/inspections/{inspection.pk}/")
    p.click("#feedback-link a")
    p.fill("#id_given_by", "和平区委第一巡察组组长 王某")
    p.fill("#id_received_by", "劝业场街道党工委书记及领导班子")
    p.fill("#id_requirements", "两个月内报送整改情况报告。")
    p.click("#main-form button[type=submit]")
    p.wait_for_selector("#rates")
    assert "0/1" in _rate(p)
    page.shot("25-rectification-feedback")

    # The liaison of the street writes a task for the fed-back problem.
    p.context.clear_cookies()
    page.login(world.users[Role.LIAISON].username, PASSWORD)
    page.go("/rectification/")
    p.click(f"#rates >> text={inspection.organization.name}")
    p.click(f"#problems >> text={findings.problem1.ref}")
    p.fill("#id_new-measure", "清退违规收取的费用，建立收费公示制度")
    p.fill("#id_new-responsible_leader", "街道党工委书记")
    p.fill("#id_new-responsible_department", "街道党政办")
    p.fill("#id_new-deadline", (datetime.date.today() + datetime.timedelta(days=60)).isoformat())
    p.click("#task-form button")
    p.wait_for_selector(".task-pending")
    task = RectificationTask.objects.get()
    assert p.locator("#move-close").count() == 0  # the liaison never closes
    assert p.locator("#move-report_done").count() == 0  # nor reports done before the task is

    # The group's deputy leader returns it with a comment; the liaison sees why and changes it.
    p.context.clear_cookies()
    page.login(world.users[Role.GROUP_LEADER].username, PASSWORD)
    page.go(f"/rectification/problems/{findings.problem1.pk}/")
    p.click(f"#task-{task.pk} .task-return summary")
    p.fill(f"#task-{task.pk} .task-return textarea", "请写明清退的范围和公示的地点")
    p.click(f"#task-{task.pk} .task-return button")
    p.wait_for_selector(f"#task-{task.pk} .task-returned")
    p.context.clear_cookies()
    page.login(world.users[Role.LIAISON].username, PASSWORD)
    page.go(f"/rectification/problems/{findings.problem1.pk}/")
    assert "请写明清退的范围和公示的地点" in p.inner_text(f"#task-{task.pk} .task-history")
    p.click(f"#task-{task.pk} a[href$='/change/']")
    p.fill("#id_measure", "清退2023年以来违规收取的费用，在便民服务中心公示收费标准")
    p.click("#main-form button[type=submit]")
    p.wait_for_selector(f"#task-{task.pk} .task-pending")

    # The deputy accepts the changed task.
    p.context.clear_cookies()
    page.login(world.users[Role.GROUP_LEADER].username, PASSWORD)
    page.go(f"/rectification/problems/{findings.problem1.pk}/")
    p.click(f"#task-{task.pk} >> text=审核通过")
    p.wait_for_selector(f"#task-{task.pk} >> text=已审核")

    # The liaison reports progress with a piece of evidence, completes the task and reports it done.
    p.context.clear_cookies()
    page.login(world.users[Role.LIAISON].username, PASSWORD)
    page.go(f"/rectification/problems/{findings.problem1.pk}/")
    p.click(f"#task-{task.pk} >> text=报送进展和佐证")
    p.fill("#id_text", "已清退违规收取的费用 12 笔，收费标准已在便民服务中心公示。")
    proof = tmp_path / "清退凭证.pdf"
    proof.write_bytes(b"%PDF-1.4 refund receipts")
    p.set_input_files("#id_evidence", str(proof))
    p.click("#main-form button[type=submit]")
    p.wait_for_selector(f"#task-{task.pk} .evidence >> text=清退凭证.pdf")
    p.click(f"#task-{task.pk} >> text=标记完成")
    p.click("#main-form button[type=submit]")
    p.wait_for_selector(f"#task-{task.pk} .task-status >> text=已完成")
    p.fill("#move-report_done textarea", "整改措施已全部落实。")
    p.click("#move-report_done button")
    p.wait_for_selector("#problem-status >> text=已报完成")
    page.shot("26-rectification-problem")

    # The office checks the evidence and closes the problem; the rate on the page changes.
    p.context.clear_cookies()
    page.login(world.users[Role.OFFICE_STAFF].username, PASSWORD)
    page.go(f"/rectification/inspections/{inspection.pk}/")
    assert "0/1" in _rate(p)
    page.go(f"/rectification/problems/{findings.problem1.pk}/")
    p.click("#move-close button")  # no reason: refused
    p.wait_for_selector(".alert >> text=请写明销号理由")
    p.fill("#move-close textarea", "经核对清退凭证和公示照片，整改到位，同意销号。")
    p.click("#move-close button")
    p.wait_for_selector("#problem-status >> text=已销号")
    assert Problem.objects.get(pk=findings.problem1.pk).status == "closed"
    p.click(f"nav >> text={inspection.organization.name}")
    p.wait_for_selector("#rates")
    assert "100.0%" in _rate(p) and "1/1" in _rate(p)
    page.shot("27-rectification-rates")
