"""Returning a task, not only accepting it: the inspection side returns a task awaiting acceptance
with a comment, the liaison is told and must change it before it can be accepted again, and the task
shows its history (returns with comment, changes, acceptances) on the problem page."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from lijian.accounts.choices import Role
from lijian.core.models import AuditEvent, Message
from lijian.rectification import services
from lijian.rectification.choices import TASK_REVIEW_TRANSITIONS

from ..world import fed_back

D = datetime.date


@pytest.fixture
def fed(world):
    fed = fed_back(world)
    problem = fed.problems["a"]
    fed.task = services.task_add(
        actor=fed.liaison,
        problem=problem,
        measure="建立台账",
        responsible_leader="书记",
        responsible_department="党政办",
        deadline=D(2024, 9, 30),
    )
    return fed


def _returned_notices(fed):
    return sorted(
        Message.objects.filter(key__startswith=f"task-returned:{fed.task.pk}:").values_list(
            "recipient", "key"
        )
    )


def test_the_review_table():
    assert TASK_REVIEW_TRANSITIONS.pairs() == {
        ("pending", "accepted"),
        ("pending", "returned"),
        ("accepted", "pending"),
        ("returned", "pending"),
    }


def test_a_returned_task_is_changed_before_it_is_accepted_and_keeps_its_history(fed):
    task, office, liaison = fed.task, fed.office, fed.liaison
    services.task_return(actor=office, task=task, comment="措施过于笼统，请写明清退范围和时限")
    task.refresh_from_db()
    assert (task.review, task.accepted_at) == ("returned", None)
    assert _returned_notices(fed) == [(liaison.pk, f"task-returned:{task.pk}:1")]
    notice = Message.objects.get(key=f"task-returned:{task.pk}:1")
    assert "措施过于笼统" in notice.text and notice.url.endswith(f"#task-{task.pk}")
    assert AuditEvent.objects.filter(action="task.return", object_id=str(task.pk)).count() == 1

    # returned twice: refused; accepted while unchanged: refused; nothing written
    with pytest.raises(ValidationError, match="已退回"):
        services.task_return(actor=office, task=task, comment="再退一次")
    with pytest.raises(ValidationError, match="已退回"):
        services.task_accept(actor=office, task=task)
    # the liaison must change something
    with pytest.raises(ValidationError, match="按退回意见修改"):
        services.task_change(actor=liaison, task=task, measure="建立台账", deadline=task.deadline)
    task.refresh_from_db()
    assert task.review == "returned" and task.events.count() == 2  # submitted, returned

    services.task_change(actor=liaison, task=task, measure="清退2023年以来违规收取的费用，建立台账")
    assert task.review == "pending"
    services.task_return(actor=office, task=task, comment="请补充完成时限的依据")
    assert _returned_notices(fed)[-1] == (liaison.pk, f"task-returned:{task.pk}:2")  # a new fact, told again
    services.task_change(actor=liaison, task=task, deadline=D(2024, 8, 31))
    services.task_accept(actor=office, task=task)
    assert task.review == "accepted" and task.accepted_by == office

    history = [(e.action, e.actor, e.comment) for e in task.events.order_by("at", "pk")]
    assert history == [
        ("submitted", liaison, ""),
        ("returned", office, "措施过于笼统，请写明清退范围和时限"),
        ("changed", liaison, ""),
        ("returned", office, "请补充完成时限的依据"),
        ("changed", liaison, ""),
        ("accepted", office, ""),
    ]
    changed = task.events.filter(action="changed").order_by("pk")
    assert changed[0].changes == {"measure": ["建立台账", "清退2023年以来违规收取的费用，建立台账"]}
    assert changed[1].changes == {"deadline": ["2024-09-30", "2024-08-31"]}


def test_who_may_return_and_what(fed, world):
    task, office, liaison = fed.task, fed.office, fed.liaison
    with pytest.raises(PermissionDenied):
        services.task_return(actor=liaison, task=task, comment="联络员自己退回")
    with pytest.raises(PermissionDenied):
        services.task_return(actor=world.users[Role.GROUP_MEMBER], task=task, comment="组员退回")
    with pytest.raises(ValidationError, match="退回意见"):
        services.task_return(actor=office, task=task, comment="  ")
    task.refresh_from_db()
    assert task.review == "pending" and not _returned_notices(fed)
    # a deputy leader of the group is the inspection side too
    services.task_return(actor=world.users[Role.GROUP_LEADER], task=task, comment="副组长：请细化")
    assert task.review == "returned"

    # an accepted task, and a done one, are not returned
    accepted = fed.problems["a"].task
    with pytest.raises(ValidationError, match="已审核通过"):
        services.task_return(actor=office, task=accepted, comment="已审核的")
    services.task_complete(actor=liaison, task=accepted, on=D(2024, 6, 20))
    with pytest.raises(ValidationError, match="已完成"):
        services.task_return(actor=office, task=accepted, comment="已完成的")


def test_returning_on_the_page_and_the_api(client, fed):
    task, office, liaison = fed.task, fed.office, fed.liaison
    page = reverse("rectification:problem", args=[task.problem_id])
    client.force_login(office)
    html = client.get(page).content.decode()
    assert reverse("rectification:task_action", args=[task.pk, "return"]) in html
    # an empty comment changes nothing
    client.post(reverse("rectification:task_action", args=[task.pk, "return"]), {"comment": ""})
    task.refresh_from_db()
    assert task.review == "pending"
    response = client.post(
        reverse("rectification:task_action", args=[task.pk, "return"]), {"comment": "请写明责任人"}
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.review == "returned"

    client.force_login(liaison)
    html = client.get(page).content.decode()
    assert "已退回，待修改" in html and "请写明责任人" in html and "task-history" in html
    assert reverse("rectification:task_action", args=[task.pk, "return"]) not in html
    assert "被退回、待修改的整改任务" in client.get(reverse("rectification:index")).content.decode()
    services.task_change(actor=liaison, task=task, measure="建立台账，明确责任人")

    client.force_login(office)
    url = f"/api/rectification/tasks/{task.pk}/return"
    assert client.post(url, {"comment": ""}, content_type="application/json").status_code == 422
    answer = client.post(url, {"comment": "API 退回"}, content_type="application/json")
    assert answer.status_code == 200 and answer.json()["review"] == "returned"
    again = client.post(f"/api/rectification/tasks/{task.pk}/accept", {}, content_type="application/json")
    assert again.status_code == 422


def test_the_task_change_page_shows_the_problem_the_way_back_and_the_return_comment(client, fed):
    task, office, liaison = fed.task, fed.office, fed.liaison
    services.task_return(actor=office, task=task, comment="措施过于笼统，请写明清退范围和时限")
    client.force_login(liaison)
    page = client.get(reverse("rectification:task_action", args=[task.pk, "change"])).content.decode()
    problem = task.problem
    assert 'id="task-problem"' in page and problem.ref in page and problem.summary in page
    assert 'aria-label="breadcrumb"' in page and reverse("rectification:problem", args=[problem.pk]) in page
    assert 'id="task-returned-comment"' in page and "措施过于笼统" in page
    assert (office.full_name or office.username) in page
    # once changed (no longer returned) the old comment is not shown as if it were still open
    services.task_change(actor=liaison, task=task, measure="清退2023年以来违规收取的费用，建立台账")
    page = client.get(reverse("rectification:task_action", args=[task.pk, "change"])).content.decode()
    assert 'id="task-returned-comment"' not in page and 'id="task-problem"' in page
