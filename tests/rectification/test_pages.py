"""Rectification by URL and API: a liaison sees and edits only their own organisation's plan; only the
inspection side accepts tasks and closes problems; the rates on the page follow; the public
disclosure page shows only what the office chose."""

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lijian.accounts.choices import Role
from lijian.core.models import AuditEvent
from lijian.rectification import services
from lijian.rectification.models import RectificationTask

from ..world import build_findings, build_petitions, build_rectification, build_rounds

D = datetime.date


@pytest.fixture
def rect(world):
    rounds = build_rounds(world)
    findings = build_findings(world, rounds)
    build_petitions(world, rounds)
    made = build_rectification(world, rounds, findings)
    made.findings = findings
    return made


def _rate_text(client, inspection, on="2024-09-01"):
    page = client.get(reverse("rectification:inspection", args=[inspection.pk]) + f"?on={on}")
    assert page.status_code == 200
    html = page.content.decode()
    start = html.index('id="implementation_rate"')
    return html[start : html.index("</div>", start)]


def test_a_liaison_sees_only_their_own_organisations_rectification(client, world, rect):
    liaison = world.users[Role.LIAISON]
    client.force_login(liaison)
    index = client.get(reverse("rectification:index")).content.decode()
    assert rect.inspection1.organization.name in index
    assert rect.inspection2.organization.name not in index
    assert client.get(reverse("rectification:inspection", args=[rect.inspection2.pk])).status_code == 404
    assert client.get(reverse("rectification:problem", args=[rect.problem2.pk])).status_code == 404
    assert client.get(reverse("rectification:evidence", args=[rect.evidence2.pk])).status_code == 404
    page = client.get(reverse("rectification:problem", args=[rect.problem1.pk])).content.decode()
    assert rect.task1.measure in page
    # never the group's own evidence on the problem, nor its clues
    assert rect.findings.clue1.summary not in page
    assert client.get(reverse("findings:problem", args=[rect.problem1.pk])).status_code == 403
    api = client.get("/api/rectification/inspections/").json()
    assert [row["id"] for row in api] == [rect.inspection1.pk]
    assert client.get(f"/api/rectification/problems/{rect.problem2.pk}").status_code == 404


def test_the_liaison_adds_a_task_by_page_and_api_and_nobody_else_does(client, world, rect):
    url = reverse("rectification:task_add", args=[rect.problem1.pk])
    data = {
        "new-measure": "公开收费标准",
        "new-responsible_leader": "街道办主任",
        "new-responsible_department": "街道党政办",
        "new-deadline": "2024-10-31",
        "new-kind": "concentrated",
    }
    client.force_login(world.users[Role.OFFICE_STAFF])
    assert client.post(url, data).status_code == 403
    client.force_login(rect.liaison2)  # another street's liaison
    assert client.post(url, data).status_code == 404
    assert rect.problem1.tasks.count() == 1
    client.force_login(world.users[Role.LIAISON])
    bad = client.post(url, {**data, "new-deadline": "不是日期"})
    assert bad.status_code == 200 and "new-deadline" in bad.content.decode()
    assert rect.problem1.tasks.count() == 1
    assert client.post(url, data).status_code == 302
    task = rect.problem1.tasks.get(measure="公开收费标准")
    assert task.accepted_at is None
    api = client.post(
        f"/api/rectification/problems/{rect.problem1.pk}/tasks",
        json.dumps(
            {
                "measure": "约谈相关人员",
                "responsible_leader": "书记",
                "responsible_department": "纪工委",
                "deadline": "2024-09-30",
            }
        ),
        content_type="application/json",
    )
    assert api.status_code == 201 and api.json()["accepted"] is False
    client.force_login(world.users[Role.OFFICE_STAFF])
    denied = client.post(
        f"/api/rectification/problems/{rect.problem1.pk}/tasks",
        json.dumps(
            {
                "measure": "x",
                "responsible_leader": "x",
                "responsible_department": "x",
                "deadline": "2024-09-30",
            }
        ),
        content_type="application/json",
    )
    assert denied.status_code == 403


def test_only_the_inspection_side_accepts_and_closes_and_the_rate_on_the_page_changes(client, world, rect):
    liaison, office = world.users[Role.LIAISON], world.users[Role.OFFICE_STAFF]
    task = rect.task1
    accept = reverse("rectification:task_action", args=[task.pk, "accept"])
    client.force_login(liaison)
    assert client.post(accept).status_code == 403
    assert client.post(f"/api/rectification/tasks/{task.pk}/accept").status_code == 403
    client.force_login(world.users[Role.GROUP_MEMBER])  # a member, not the leader or a deputy
    assert client.post(accept).status_code == 403
    client.force_login(world.users[Role.GROUP_LEADER])  # a deputy of the group
    assert client.post(accept).status_code == 302
    task.refresh_from_db()
    assert task.accepted_at is not None

    client.force_login(liaison)
    done = reverse("rectification:task_action", args=[task.pk, "complete"])
    assert client.post(done, {"on": "2024-07-20"}).status_code == 302
    close = reverse("rectification:problem_move", args=[rect.problem1.pk, "close"])
    client.post(close, {"on": "2024-08-01", "reason": "已清退"})
    rect.problem1.refresh_from_db()
    assert rect.problem1.status == "rectifying"  # the liaison may not close
    api = client.post(
        f"/api/rectification/problems/{rect.problem1.pk}/close",
        json.dumps({"on": "2024-08-01", "reason": "已清退"}),
        content_type="application/json",
    )
    assert api.status_code == 403
    report = reverse("rectification:problem_move", args=[rect.problem1.pk, "report_done"])
    assert client.post(report, {"on": "2024-07-25", "reason": "已完成整改"}).status_code == 302
    rect.problem1.refresh_from_db()
    assert rect.problem1.status == "reported_done"

    client.force_login(office)
    assert "0.0%" in _rate_text(client, rect.inspection1)
    client.post(close, {"on": "2024-08-01", "reason": ""})  # a reason is required
    rect.problem1.refresh_from_db()
    assert rect.problem1.status == "reported_done"
    assert client.post(close, {"on": "2024-08-01", "reason": "核查清退凭证属实"}).status_code == 302
    rect.problem1.refresh_from_db()
    assert rect.problem1.status == "closed"
    assert "100.0%" in _rate_text(client, rect.inspection1) and "1/1" in _rate_text(client, rect.inspection1)
    assert "0.0%" in _rate_text(client, rect.inspection1, on="2024-07-31")  # closed on 8-01
    assert AuditEvent.objects.filter(action="problem.closed", object_id=str(rect.problem1.pk)).count() == 1


def test_progress_with_evidence_is_checked_before_anything_is_written(client, world, rect):
    task = rect.task1
    services.task_accept(actor=world.users[Role.OFFICE_STAFF], task=task)
    client.force_login(world.users[Role.LIAISON])
    url = reverse("rectification:task_action", args=[task.pk, "progress"])
    bad = client.post(
        url,
        {
            "on": "2024-06-01",
            "text": "已清退两笔",
            "evidence": SimpleUploadedFile("凭证.pdf", b"MZ\x90 not a pdf"),
        },
    )
    assert bad.status_code == 200 and "PDF" in bad.content.decode()
    assert task.progress.count() == 0
    good = client.post(
        url,
        {
            "on": "2024-06-01",
            "text": "已清退两笔",
            "evidence": SimpleUploadedFile("凭证.pdf", b"%PDF-1.4 ok"),
        },
    )
    assert good.status_code == 302
    task.refresh_from_db()
    assert task.progress.count() == 1 and task.status == "in_progress"
    page = client.get(reverse("rectification:problem", args=[rect.problem1.pk])).content.decode()
    assert "已清退两笔" in page and "凭证.pdf" in page


def test_a_changed_task_waits_for_acceptance_again_on_the_page(client, world, rect):
    task = rect.task1
    services.task_accept(actor=world.users[Role.OFFICE_STAFF], task=task)
    client.force_login(world.users[Role.LIAISON])
    url = reverse("rectification:task_action", args=[task.pk, "change"])
    assert client.post(url, {"measure": task.measure, "deadline": "2024-09-30"}).status_code == 302
    task.refresh_from_db()
    assert task.deadline == D(2024, 9, 30) and task.accepted_at is None
    assert (
        "task-pending"
        in client.get(reverse("rectification:problem", args=[rect.problem1.pk])).content.decode()
    )


def test_task_moves_refused_in_the_wrong_state(world, rect):
    office, liaison = world.users[Role.OFFICE_STAFF], world.users[Role.LIAISON]
    task = rect.task1
    with pytest.raises(Exception, match="尚未审核"):
        services.task_complete(actor=liaison, task=task, on=D(2024, 7, 1))
    services.task_accept(actor=office, task=task)
    with pytest.raises(Exception, match="已审核"):
        services.task_accept(actor=office, task=task)
    services.task_complete(actor=liaison, task=task, on=D(2024, 7, 1))
    with pytest.raises(Exception, match="已完成"):
        services.task_change(actor=liaison, task=task, deadline=D(2024, 12, 1))
    assert RectificationTask.objects.get(pk=task.pk).deadline == D(2024, 7, 31)


def test_the_public_page_shows_only_what_the_office_chose(client, world, rect):
    from lijian.rectification.disclosure import disclosure_publish

    disclosure_publish(
        actor=world.admin,
        inspection=rect.inspection1,
        audience="party",
        title="党内通报的整改情况",
        text="仅党内公开",
        published_on=D(2024, 8, 2),
    )
    page = client.get(reverse("public_rectification", args=[world.t1.code]))  # no login
    html = page.content.decode()
    assert page.status_code == 200
    assert "街道党工委已制定整改方案" in html and rect.problem1.summary in html
    assert "仅党内公开" not in html
    assert rect.findings.clue1.summary not in html and "张三" not in html
    assert rect.task1.measure not in html and rect.task1.responsible_leader not in html
    assert "0/1" in html  # the rates as on the day of publication
    assert client.get(reverse("public_rectification", args=["NOPE"])).status_code == 404
    client.force_login(world.admin)
    client.post(reverse("rectification:disclosure_withdraw", args=[rect.disclosure1.pk]))
    client.logout()
    assert (
        "街道党工委已制定整改方案"
        not in client.get(reverse("public_rectification", args=[world.t1.code])).content.decode()
    )


def test_a_disclosure_may_carry_only_this_inspections_fed_back_problems(world, rect):
    from django.core.exceptions import ValidationError

    from lijian.rectification.disclosure import disclosure_publish

    with pytest.raises(ValidationError):
        disclosure_publish(
            actor=world.admin,
            inspection=rect.inspection1,
            audience="public",
            title="t",
            text="x",
            published_on=D(2024, 8, 2),
            problems=[rect.problem2],
        )
    with pytest.raises(ValidationError):
        disclosure_publish(
            actor=world.admin,
            inspection=rect.inspection1,
            audience="public",
            title="t",
            text="x",
            published_on=D(2024, 5, 1),  # before the feedback
        )


def test_the_feedback_form_starts_rectification(client, world):
    rounds = build_rounds(world)
    findings = build_findings(world, rounds)
    from lijian.findings import services as findings_services

    findings_services.problem_approve(actor=world.admin, problem=findings.problem1)
    inspection = rounds.inspection1
    inspection.stage = "report"
    inspection.onsite_end = D(2024, 4, 20)
    inspection.save()
    client.force_login(world.users[Role.OFFICE_STAFF])
    page = client.get(reverse("inspections:inspection", args=[inspection.pk])).content.decode()
    assert reverse("rectification:feedback_give", args=[inspection.pk]) in page
    url = reverse("rectification:feedback_give", args=[inspection.pk])
    bad = client.post(url, {"held_on": "2999-01-01", "given_by": "组长", "received_by": "书记"})
    assert bad.status_code == 200
    inspection.refresh_from_db()
    assert inspection.stage == "report"
    assert (
        client.post(url, {"held_on": "2024-05-10", "given_by": "组长", "received_by": "书记"}).status_code
        == 302
    )
    inspection.refresh_from_db()
    findings.problem1.refresh_from_db()
    assert inspection.stage == "feedback" and findings.problem1.status == "rectifying"
    assert inspection.feedback.report_due == D(2024, 7, 10)
    client.force_login(world.users[Role.GROUP_LEADER])
    assert client.get(url).status_code == 403


def test_a_look_back_round_offers_the_look_back_list(client, world, rect):
    from lijian.inspections.models import Round
    from lijian.rectification.supervision import evaluation_record

    office = world.users[Role.OFFICE_STAFF]
    evaluation_record(
        actor=office,
        body=world.body1,
        organization=world.t1,
        term=world.term1,
        evaluated_on=D(2024, 10, 1),
        scores={"responsibility": 8, "completion": 10, "closing": 8, "rules": 6, "use": 5},
    )
    look_back = Round.objects.create(
        body=world.body1, term=world.term1, number=3, kind="look_back", start=D(2025, 3, 1), end=D(2025, 4, 1)
    )
    regular = Round.objects.create(
        body=world.body1, term=world.term1, number=4, start=D(2025, 3, 1), end=D(2025, 4, 1)
    )
    client.force_login(office)
    assert (
        "look-back-offer" not in client.get(reverse("inspections:round", args=[regular.pk])).content.decode()
    )
    page = client.get(reverse("inspections:round", args=[look_back.pk])).content.decode()
    assert "look-back-offer" in page and world.t1.code in page
    client.post(reverse("inspections:round_add_targets", args=[look_back.pk]), {"codes": world.t1.code})
    assert look_back.inspections.filter(organization=world.t1).exists()
    assert (
        "look-back-offer"
        not in client.get(reverse("inspections:round", args=[look_back.pk])).content.decode()
    )


def test_every_figure_drills_down_to_its_records(client, world, rect):
    from lijian.analytics.figures import body_figures

    office = world.users[Role.OFFICE_STAFF]
    services.interview_record(
        actor=office,
        body=world.body1,
        organization=world.t1,
        interviewer="区委书记",
        interviewee="街道党工委书记",
        reason="整改进度滞后",
        held_on=D(2024, 9, 10),
    )
    services.accountability_record(
        actor=office,
        body=world.body1,
        organization=world.t1,
        subject_name="王某",
        subject_post="街道党工委书记",
        action="admonishment",
        reason="整改不力",
        decided_by="和平区委",
        decided_on=D(2024, 10, 1),
        problem=rect.problem1,
    )
    figures = body_figures(world.body1, world.term1, D(2024, 12, 31))
    assert figures["interviews"].value == 1 and figures["accountability_actions"].value == 1
    client.force_login(office)
    for key, figure in figures.items():
        if figure.records is None:
            continue
        url = reverse("analytics:records", args=[world.body1.pk, key])
        response = client.get(url, {"term": world.term1.pk, "date": "2024-12-31"})
        assert response.status_code == 200, key
    page = client.get(
        reverse("analytics:records", args=[world.body1.pk, "accountability_actions"]),
        {"term": world.term1.pk, "date": "2024-12-31"},
    ).content.decode()
    assert "王某" in page and "诫勉" in page


@pytest.mark.parametrize("kind", ["concentrated", "long_term"])
@pytest.mark.parametrize("status", ["planned", "in_progress", "done", "long_term"])
def test_completing_a_task_follows_the_transition_table(world, rect, kind, status):
    from lijian.rectification.choices import TASK_TRANSITIONS

    task = rect.task1
    services.task_accept(actor=world.users[Role.OFFICE_STAFF], task=task)
    RectificationTask.objects.filter(pk=task.pk).update(kind=kind, status=status)
    task.refresh_from_db()
    target = "long_term" if kind == "long_term" else "done"
    if TASK_TRANSITIONS.can(status, target):
        services.task_complete(actor=world.users[Role.LIAISON], task=task, on=D(2024, 7, 1))
        assert RectificationTask.objects.get(pk=task.pk).status == target
    else:
        with pytest.raises(Exception, match="不能从"):
            services.task_complete(actor=world.users[Role.LIAISON], task=task, on=D(2024, 7, 1))
        assert RectificationTask.objects.get(pk=task.pk).status == status


def test_a_deadline_before_the_feedback_is_refused(world, rect):
    from django.core.exceptions import ValidationError

    liaison = world.users[Role.LIAISON]
    with pytest.raises(ValidationError, match="反馈日期"):
        services.task_add(
            actor=liaison,
            problem=rect.problem1,
            measure="补建台账",
            responsible_leader="书记",
            responsible_department="党政办",
            deadline=D(2020, 1, 1),
        )
    with pytest.raises(ValidationError, match="反馈日期"):
        services.task_change(actor=liaison, task=rect.task1, deadline=D(2024, 5, 9))
    assert rect.problem1.tasks.count() == 1


def test_the_work_queue_shows_what_waits_on_each_side(client, world, rect):
    client.force_login(world.users[Role.OFFICE_STAFF])
    page = client.get(reverse("rectification:index")).content.decode()
    assert 'id="queue-to_accept"' in page and rect.task1.measure[:20] in page
    assert 'id="queue-overdue"' not in page
    client.force_login(world.users[Role.LIAISON])
    page = client.get(reverse("rectification:index")).content.decode()
    assert 'id="queue-to_accept"' not in page
    assert 'id="queue-overdue"' in page  # the task was due 2024-07-31
    assert rect.problem2.ref not in page  # another street's


def test_the_look_back_list_shows_a_liaison_only_their_own(client, world, rect):
    from lijian.rectification.supervision import evaluation_record

    for organization, body, term in (
        (world.t1, world.body1, world.term1),
        (world.t2, world.body2, world.term2),
    ):
        evaluation_record(
            actor=world.admin,
            body=body,
            organization=organization,
            term=term,
            evaluated_on=D(2024, 10, 1),
            scores={"responsibility": 8, "completion": 10, "closing": 8, "rules": 6, "use": 5},
        )
    client.force_login(rect.liaison2)
    page = client.get(reverse("rectification:evaluations")).content.decode()
    assert world.t2.name in page and world.t1.name not in page
    client.force_login(world.admin)
    page = client.get(reverse("rectification:evaluations")).content.decode()
    assert world.t2.name in page and world.t1.name in page


def test_the_liaison_is_told_when_a_self_criticism_becomes_due(world, rect):
    from lijian.core.models import Message
    from lijian.rectification.models import SelfCriticism

    SelfCriticism.objects.all().delete()  # the world's own, to assess afresh
    made = services.self_criticisms_assess(
        actor=world.users[Role.OFFICE_STAFF], body=world.body1, term=world.term1, on=D(2024, 9, 1)
    )
    assert [m.organization for m in made] == [world.t1]
    told = Message.objects.filter(key=f"self-criticism-due:{made[0].pk}")
    assert set(told.values_list("recipient", flat=True)) == {world.users[Role.LIAISON].pk}
    assert "0/1" in told.get().text
