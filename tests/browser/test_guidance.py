"""Journey of guidance: the office receives a lower committee's special-meeting material, returns it
with opinions, accepts the revision; then runs a yearly assessment (figures computed, a judgement
scored by hand, ranked) and confirms the naming candidate the ranking proposed."""

from lijian.accounts.choices import Role
from lijian.guidance.models import Assessment, MaterialReview

from ..world import PASSWORD, build_world
from ..world_guidance import build_guidance


def _status(p, selector: str) -> str:
    return p.locator(selector).inner_text().strip()


def test_a_material_returned_and_accepted_then_an_assessment_names_the_lowest(page, transactional_db):
    world = build_world()
    g = build_guidance(world)
    committee = g.lower1.owner_org
    p = page.page
    page.login(world.users[Role.OFFICE_STAFF].username, PASSWORD)

    # The material of the committee's special meeting comes in.
    page.go("/guidance/reviews/")
    p.click("#new-review")
    p.select_option("#id_body", str(world.body1.pk))
    p.select_option("#id_organization", str(committee.pk))
    p.fill("#id_secretary_name", "周某某")
    p.fill("#id_secretary_post", "党委书记")
    p.fill("#id_meeting_title", "党委常委会专题听取巡察工作情况汇报")
    p.fill("#id_meeting_on", "2026-11-20")
    p.fill("#id_received_on", "2026-11-25")
    p.click("#main-form button[type=submit]")
    p.wait_for_selector("#review-status")
    assert _status(p, "#review-status") == "已收到"
    review = MaterialReview.objects.get(meeting_title="党委常委会专题听取巡察工作情况汇报")

    # Reviewed and returned for revision with opinions.
    p.click("#start-review")
    p.wait_for_selector("#return-review")
    p.fill("#id_opinions", "对巡察发现问题的原因剖析不够深入，请补充整改措施和时限。")
    p.click("#return-review")
    p.wait_for_selector("#resubmit-review")
    assert _status(p, "#review-status") == "退回修改"
    page.shot("35-guidance-review-returned")

    # The revision comes back, is reviewed again and accepted; both rounds stay on the page.
    p.click("#resubmit-review")
    p.wait_for_selector("#start-review")
    p.click("#start-review")
    p.wait_for_selector("#accept-review")
    p.fill("#id_opinions", "同意。")
    p.click("#accept-review")
    p.wait_for_selector("#review-status:has-text('审阅通过')")
    assert p.locator("#rounds tbody tr").count() == 2
    assert "原因剖析不够深入" in p.locator("#rounds").inner_text()
    review.refresh_from_db()
    assert review.status == "accepted"

    # The yearly assessment of the lower bodies: figures computed, the judgement scored, ranked.
    page.go("/guidance/assessments/")
    p.click("#new-assessment")
    p.select_option("#id_body", str(world.body1.pk))
    p.fill("#id_year", "2025")
    p.fill("#id_naming_count", "1")
    p.click("#main-form button[type=submit]")
    p.wait_for_selector("#compute")
    p.click("#compute")
    p.wait_for_selector("#score-form")
    p.select_option("#id_assessed_body", str(g.lower1.pk))
    p.select_option("#id_indicator", label="巡察工作质量")
    p.fill("#id_score", "12")
    p.click("#score-form button")
    p.wait_for_selector("#ranking >> text=12.00")
    p.click("#rank")
    p.wait_for_selector("#candidates >> text=确定通报")
    page.shot("37-guidance-assessment-ranked")

    # The office confirms the candidate and the result; the naming counts one district committee.
    p.click("#candidates button:has-text('确定通报')")
    p.wait_for_selector("#confirm-assessment")
    p.click("#confirm-assessment")
    p.wait_for_selector("#assessment-status:has-text('已确定')")
    assert "区委 1" in p.locator("#naming").inner_text()
    assessment = Assessment.objects.get(body=world.body1, year=2025)
    assert assessment.status == "confirmed"
    assert assessment.candidates.get().status == "confirmed"

    # The district office's own self-inspection: its items, what each found and how it was fixed.
    page.go(f"/guidance/self-inspections/{g.self_inspection1.pk}/")
    p.wait_for_selector("#items >> text=巡察底稿归档")
    page.shot("36-guidance-self-inspection")
