"""The guidance API: the same records, rules and refusals as the pages."""

import datetime

from lijian.accounts.choices import Role
from lijian.guidance import services

from ..world_guidance import build_guidance


def test_reviews_over_the_api(client, world):
    g = build_guidance(world)
    office = world.users[Role.OFFICE_STAFF]
    client.force_login(office)
    listed = client.get("/api/guidance/reviews/", {"status": "returned"}).json()
    assert [r["id"] for r in listed["items"]] == [g.returned1.pk] and listed["next_after"] is None
    assert client.get("/api/guidance/reviews/", {"status": "nonsense"}).status_code == 422
    services.material_review_start(
        actor=office, review=g.review1, reviewer=office, on=datetime.date(2026, 3, 6)
    )
    url = f"/api/guidance/reviews/{g.review1.pk}/return"
    refused = client.post(url, {"opinions": " "}, content_type="application/json")
    assert refused.status_code == 422 and "opinions" in refused.json()["detail"]
    answer = client.post(url, {"opinions": "请补充", "on": "2026-03-10"}, content_type="application/json")
    assert answer.status_code == 200
    body = answer.json()
    assert body["status"] == "returned" and body["rounds"][0]["opinions"] == "请补充"
    assert client.get(f"/api/guidance/reviews/{g.review2.pk}").status_code == 404


def test_the_self_inspection_notice_and_the_naming_over_the_api(client, world):
    g = build_guidance(world)
    client.force_login(world.users[Role.LEADER])
    notice = client.get(f"/api/guidance/self-inspections/{g.self_inspection1.pk}/notice").json()
    assert notice["counts"] == {"items": 1, "problems": 1, "fixed": 0, "open": 1}
    assert notice["problems"][0]["item"] == "巡察底稿归档"
    detail = client.get(f"/api/guidance/assessments/{g.assessment1.pk}").json()
    assert [r["body_code"] for r in detail["ranking"]] == [g.lower1.code]
    services.naming_candidate_confirm(
        actor=world.admin, candidate=g.candidate1, on=datetime.date(2026, 12, 1)
    )
    naming = client.get(f"/api/guidance/assessments/{g.assessment1.pk}/naming").json()
    assert naming["total"] == 1 and naming["groups"][0]["entries"][0]["body_code"] == g.lower1.code
    assert [a["id"] for a in client.get("/api/guidance/assessments/").json()["items"]] == [g.assessment1.pk]
