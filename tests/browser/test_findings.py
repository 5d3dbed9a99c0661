"""Journeys of the findings: a group records a problem with evidence and a clue, the office
transfers the clue with its hand-over sheet, the department answers it; a member of the public
files a petition from the QR code and reads the answer with the receipt code."""

import datetime

from lijian.accounts.choices import Role
from lijian.documents.models import Attachment
from lijian.findings.models import Clue, Department, Problem
from lijian.petitions import services
from lijian.petitions.models import Petition

from ..world import PASSWORD, build_rounds, build_world


def _on_site(world, rounds):
    inspection = rounds.inspection1
    inspection.stage = "onsite"
    inspection.onsite_start = datetime.date(2024, 3, 10)
    inspection.save()
    department = Department.objects.create(
        code="HP-JW", name="和平区纪委监委", kind="discipline", committee=world.d1
    )
    department.staff.add(world.users[Role.DEPARTMENT])
    return inspection


def test_a_group_records_a_problem_with_evidence_and_the_clue_reaches_its_department(
    page, transactional_db, tmp_path
):
    world = build_world()
    rounds = build_rounds(world)
    inspection = _on_site(world, rounds)
    p = page.page

    # A member records the problem with its 人事因制 analysis and a piece of evidence.
    page.login(world.users[Role.GROUP_MEMBER].username, PASSWORD)
    page.go(f"/inspections/inspections/{inspection.pk}/")
    p.click("#new-problem")
    p.select_option("#id_category", label="　2.1 集体“三资”管理不规范")
    p.fill("#id_summary", "社区集体资产出租未经民主决策")
    p.fill("#id_people", "社区书记")
    p.fill("#id_matters", "门面房低价出租给亲属")
    p.fill("#id_causes", "民主决策流于形式")
    p.fill("#id_systems", "集体资产租赁制度缺失")
    p.fill("#id_found_on", "2024-03-20")
    fake = tmp_path / "租赁合同.pdf"
    fake.write_bytes(b"MZ this is not a pdf")
    p.set_input_files("#id_evidence", str(fake))
    p.click("#main-form button[type=submit]")
    p.wait_for_selector("#main-form .invalid-feedback")
    assert "这不是一个 PDF" in p.locator("#main-form").inner_text()
    assert not Problem.objects.exists()  # a bad file: nothing written
    fake.write_bytes(b"%PDF-1.4 contract")
    p.set_input_files("#id_evidence", str(fake))
    p.click("#main-form button[type=submit]")
    p.wait_for_selector("#review >> text=草稿")
    problem = Problem.objects.get()
    assert problem.causes == "民主决策流于形式"
    assert Attachment.objects.get().original_name == "租赁合同.pdf"
    assert not p.locator("text=审定").filter(has=p.locator("button")).count()  # a member cannot approve

    # The same member records a clue about the secretary for the discipline commission.
    p.click("#clues >> text=记录问题线索")
    p.fill("#id_subject_name", "刘某")
    p.fill("#id_subject_post", "社区党委书记")
    p.fill("#id_summary", "反映其将集体门面房低价租给亲属。")
    p.fill("#id_recorded_on", "2024-03-20")  # the clue is dated when it was recorded, before its transfer
    p.click("#main-form button[type=submit]")
    p.wait_for_selector("#clue-status >> text=待移交")
    page.shot("20-clue-recorded")

    # The deputy leader approves; the office transfers the clue and downloads the sheet.
    p.context.clear_cookies()
    page.login(world.users[Role.GROUP_LEADER].username, PASSWORD)
    page.go(f"/findings/problems/{problem.pk}/")
    p.click("button:has-text('审定')")
    p.wait_for_selector("#review >> text=组内已审定")
    page.shot("21-problem")

    clue = Clue.objects.get()
    p.context.clear_cookies()
    page.login(world.users[Role.OFFICE_STAFF].username, PASSWORD)
    page.go(f"/findings/clues/{clue.pk}/")
    p.fill("#transfer input[name=transferred_on]", "2024-04-01")
    p.click("#transfer button")
    p.wait_for_selector("#clue-status >> text=已移交")
    with p.expect_download() as download:
        p.click("#sheet-link")
    assert download.value.suggested_filename.endswith(".docx")
    clue.refresh_from_db()
    assert clue.due_on == datetime.date(2024, 7, 1)

    # The department sees only its transfer and answers it.
    p.context.clear_cookies()
    page.login(world.users[Role.DEPARTMENT].username, PASSWORD)
    page.go("/findings/clues/")
    p.click(f"text={clue.ref}")
    p.select_option("#feedback select[name=result]", "case_opened")
    p.fill("#feedback textarea[name=feedback]", "已立案审查。")
    p.fill("#feedback input[name=party_discipline]", "1")
    p.click("#feedback button")
    p.wait_for_selector("#clue-status >> text=已反馈")
    page.shot("22-clue-answered")
    assert Clue.objects.get().result == "case_opened"
    assert page.go(f"/findings/problems/{problem.pk}/").status == 403  # a department never sees problems


def test_a_member_of_the_public_files_from_the_qr_form_and_reads_the_answer(page, transactional_db):
    world = build_world()
    rounds = build_rounds(world)
    inspection = _on_site(world, rounds)
    p = page.page

    # The office finds the QR code on the inspection page, for the announcement.
    page.login(world.users[Role.OFFICE_STAFF].username, PASSWORD)
    page.go(f"/inspections/inspections/{inspection.pk}/")
    p.wait_for_selector("#qr svg")
    public_url = p.locator("#public-link").get_attribute("href")
    p.context.clear_cookies()

    # A member of the public opens it without logging in and files anonymously.
    p.goto(public_url)
    assert "和平区劝业场街道党工委" in p.locator("main").inner_text()
    p.fill("#id_summary", "短")
    p.click("#public-form button")
    p.wait_for_selector("#public-form .invalid-feedback")
    p.fill("#id_summary", "社区低保评定不公开，有干部亲属违规享受低保。")
    p.click("#public-form button")
    code = p.locator("#receipt-code").inner_text().strip()
    page.shot("23-public-receipt")
    petition = Petition.objects.get()
    assert petition.channel == "qr" and petition.anonymous and petition.receipt_hash != code

    p.click("text=查询办理情况")
    p.fill("#id_code", code)
    p.click("#status-form button")
    p.wait_for_selector("#public-status >> text=已受理")

    # The office routes it to the group, the group answers; the petitioner reads the answer.
    services.petition_route_to_group(actor=world.admin, petition=petition, inspection=inspection)
    services.petition_answer(
        actor=world.users[Role.GROUP_LEADER], petition=petition, answer="已督促社区重新评议并公示低保名单。"
    )
    page.go("/public/status/")
    p.fill("#id_code", code.lower().replace("-", ""))
    p.click("#status-form button")
    p.wait_for_selector("#public-answer >> text=已督促社区重新评议并公示低保名单。")
    page.shot("24-public-status")
