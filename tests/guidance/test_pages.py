"""The guidance pages: the forms create through the services, the actions answer with a message on the
record's page, lists filter, page and export, bad input in the address or a form is answered with a
message (never a 500), and the audit page shows every guidance event."""

import datetime

from django.urls import reverse

from lijian.accounts.choices import Role
from lijian.core.models import AuditEvent
from lijian.guidance import services
from lijian.guidance.models import MaterialReview, SelfInspection

from ..world_guidance import build_guidance


def test_the_office_receives_reviews_and_returns_a_material(client, world):
    g = build_guidance(world)
    office = world.users[Role.OFFICE_STAFF]
    client.force_login(office)
    response = client.post(
        reverse("guidance:review_new"),
        {
            "body": world.body1.pk,
            "organization": g.lower1.owner_org.pk,
            "secretary_name": "赵某",
            "secretary_post": "党委书记",
            "meeting_title": "第二次专题会",
            "meeting_on": "2026-05-06",
            "received_on": "2026-05-08",
        },
    )
    review = MaterialReview.objects.get(meeting_title="第二次专题会")
    assert response.status_code == 302 and response["Location"] == review.get_absolute_url()

    def act(action, data):
        return client.post(reverse("guidance:review_action", args=[review.pk, action]), data)

    act("start", {"reviewer": office.pk, "on": "2026-05-09"})
    response = act("return", {"opinions": "", "on": "2026-05-10"})  # opinions are needed
    page = client.get(response["Location"]).content.decode()
    assert "退回修改须填写审阅意见。" in page
    act("return", {"opinions": "请补充整改台账", "on": "2026-05-10"})
    review.refresh_from_db()
    assert (
        review.status == "returned"
        and "请补充整改台账" in client.get(review.get_absolute_url()).content.decode()
    )


def test_a_bad_date_or_id_in_a_form_is_answered_not_a_500(client, world):
    g = build_guidance(world)
    client.force_login(world.users[Role.OFFICE_STAFF])
    url = reverse("guidance:review_action", args=[g.review1.pk, "start"])
    response = client.post(url, {"reviewer": "99999999999999999999", "on": "2026-13-45"}, follow=True)
    assert response.status_code == 200 and "未办理" in response.content.decode()
    assert client.post(reverse("guidance:review_action", args=[g.review1.pk, "nonsense"])).status_code == 404
    assert client.get(reverse("guidance:review", args=[999999])).status_code == 404
    form = client.post(
        reverse("guidance:self_inspection_new"),
        {
            "body": world.body1.pk,
            "title": "x",
            "scope": "own",
            "period_start": "2026-02-30",
            "period_end": "2026-03-01",
        },
    )
    assert form.status_code == 200 and "有效" in form.content.decode()
    assert not SelfInspection.objects.filter(title="x").exists()


def test_lists_filter_and_export(client, world):
    build_guidance(world)
    client.force_login(world.users[Role.OFFICE_STAFF])
    assert client.get(reverse("guidance:reviews"), {"status": "received"}).status_code == 200
    assert client.get(reverse("guidance:reviews"), {"status": "nonsense"}).status_code == 400
    export = client.get(reverse("guidance:reviews"), {"export": "csv"})
    assert export.status_code == 200 and "书记1".encode() in b"".join(export.streaming_content)
    for name in ("guidance:index", "guidance:self_inspections", "guidance:assessments"):
        assert client.get(reverse(name)).status_code == 200


def test_the_self_inspection_and_assessment_pages_run_their_workflows(client, world):
    g = build_guidance(world)
    client.force_login(world.users[Role.OFFICE_STAFF])
    item = g.self_inspection1
    entry = item.items.get()

    def post(action, data):
        return client.post(reverse("guidance:self_inspection_action", args=[item.pk, action]), data)

    post("fix", {"entry": entry.pk, "fix": "补齐归档", "fixed_on": "2026-07-01"})
    post("close", {"summary": "已完成", "on": "2026-07-10"})
    item.refresh_from_db()
    assert item.status == "closed"
    assert "已整改 1 个" in client.get(item.get_absolute_url()).content.decode()
    candidate = g.candidate1
    client.post(reverse("guidance:candidate_action", args=[candidate.pk, "confirm"]))
    client.post(reverse("guidance:assessment_action", args=[g.assessment1.pk, "confirm"]))
    g.assessment1.refresh_from_db()
    assert g.assessment1.status == "confirmed"
    page = client.get(g.assessment1.get_absolute_url()).content.decode()
    assert "区委 1" in page and "确定通报" in page


def test_the_audit_page_shows_every_guidance_event(client, world):
    g = build_guidance(world)
    client.force_login(world.admin)
    services.material_review_start(
        actor=world.admin, review=g.review1, reviewer=world.admin, on=datetime.date(2026, 3, 6)
    )
    actions = set(AuditEvent.objects.filter(action__contains=".").values_list("action", flat=True))
    assert {"assessment.compute", "assessment.rank", "naming.propose", "material_review.start"} <= actions
    response = client.get(reverse("core:audit"))
    assert response.status_code == 200 and "按数据计算考核得分" in response.content.decode()
