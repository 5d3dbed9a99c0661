"""In-app notices: each person is told of each fact once, sees only their own notices, and marks
only their own read — through the services and through the notices page."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from lijian.accounts.choices import Role
from lijian.accounts.recipients import liaisons_by_path, office_staff_by_body
from lijian.core.messages import (
    MessageDraft,
    message_mark_read,
    message_send,
    messages_for,
    messages_send_many,
    messages_unread_count,
)
from lijian.core.models import Message

from ..world import make_user


@pytest.fixture
def two(world):
    return world.users[Role.LIAISON], world.users[Role.OFFICE_STAFF]


def test_a_fact_is_told_to_each_person_once(two):
    liaison, office = two
    first = message_send(recipient=liaison, key="task-overdue:1", text="整改任务超期", url="/x/")
    assert first is not None and first.url == "/x/"
    assert message_send(recipient=liaison, key="task-overdue:1", text="又一次") is None
    message_mark_read(actor=liaison, notice=first)
    assert message_send(recipient=liaison, key="task-overdue:1", text="读过也不再发") is None
    assert message_send(recipient=office, key="task-overdue:1", text="另一个人") is not None
    assert Message.objects.filter(key="task-overdue:1").count() == 2
    long = message_send(recipient=office, key="long", text="长" * 900)
    assert len(long.text) == 500 and long.text.endswith("…")


def test_many_notices_are_sent_in_a_batch_skipping_those_already_told(two):
    liaison, office = two
    message_send(recipient=liaison, key="a", text="已发")
    sent = messages_send_many(
        [
            MessageDraft(liaison.pk, "a", "已发过"),
            MessageDraft(liaison.pk, "b", "新的"),
            MessageDraft(liaison.pk, "b", "同一批里重复"),
            MessageDraft(office.pk, "a", "另一个人", "/y/"),
        ]
    )
    assert sent == 2
    assert sorted(Message.objects.values_list("recipient__username", "key", "text")) == [
        ("u-liaison", "a", "已发"),
        ("u-liaison", "b", "新的"),
        ("u-office_staff", "a", "另一个人"),
    ]
    assert messages_send_many([MessageDraft(office.pk, "a", "x"), MessageDraft(liaison.pk, "b", "y")]) == 0


def test_a_user_sees_and_marks_only_their_own_notices(two):
    liaison, office = two
    older = message_send(recipient=liaison, key="1", text="较早")
    newer = message_send(recipient=liaison, key="2", text="较新")
    theirs = message_send(recipient=office, key="3", text="别人的")
    assert list(messages_for(liaison)) == [newer, older]
    message_mark_read(actor=liaison, notice=newer)
    assert list(messages_for(liaison)) == [older, newer]  # unread first
    assert messages_unread_count(liaison) == 1
    with pytest.raises(PermissionDenied):
        message_mark_read(actor=liaison, notice=theirs)
    assert message_mark_read(actor=liaison) == 1  # all of one's own
    theirs.refresh_from_db()
    assert theirs.read_at is None and messages_unread_count(office) == 1
    assert messages_unread_count(liaison) == 0


def test_the_recipients_are_the_liaisons_over_the_organisation_and_the_bodys_own_office(world):
    liaison, office = world.users[Role.LIAISON], world.users[Role.OFFICE_STAFF]
    street_liaison = make_user("liaison-t1", Role.LIAISON, world.t1)
    gone = make_user("liaison-gone", Role.LIAISON, world.t1, is_active=False)
    city_office = make_user("city-office", Role.OFFICE_STAFF, world.root, world.city_body)
    found = liaisons_by_path([world.v1.path, world.t1.path, world.t2.path, world.d1.path])
    assert found[world.v1.path] == found[world.t1.path] == {liaison.pk, street_liaison.pk}
    assert found[world.d1.path] == {liaison.pk} and found[world.t2.path] == set()
    assert gone.pk not in found[world.t1.path]
    staff = office_staff_by_body([world.body1, world.body2, world.city_body])
    # The city's office staff cover the districts' subtrees but work for the city's body.
    assert staff == {
        world.body1.pk: {office.pk},
        world.body2.pk: {world.outsider.pk},
        world.city_body.pk: {city_office.pk},
    }


def test_the_notices_page_lists_only_ones_own_and_marks_them_read(client, two):
    liaison, office = two
    mine = message_send(recipient=liaison, key="1", text="本单位整改报告超期", url="/orgs/")
    message_send(recipient=liaison, key="2", text="另一条给我的")
    theirs = message_send(recipient=office, key="3", text="给巡察办的机密事项")
    client.force_login(liaison)
    page = client.get(reverse("core:messages")).content.decode()
    assert "本单位整改报告超期" in page and "另一条给我的" in page
    assert "给巡察办的机密事项" not in page
    home = client.get(reverse("core:home")).content.decode()
    assert 'id="nav-notices-unread"' in home and ">2</span>" in home

    read = reverse("core:messages_read")
    assert client.post(read, {"notice": theirs.pk}).status_code == 404
    assert client.post(read, {"notice": "x1"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    # Opening a notice's link marks it read and goes there (never to another site).
    response = client.post(read, {"notice": mine.pk, "next": mine.url})
    assert response.status_code == 302 and response.url == "/orgs/"
    assert client.post(read, {"notice": mine.pk, "next": "https://evil.example/"}).url == reverse(
        "core:messages"
    )
    assert messages_unread_count(liaison) == 1
    client.post(read)
    assert messages_unread_count(liaison) == 0 and messages_unread_count(office) == 1
    assert 'id="nav-notices-unread"' not in client.get(reverse("core:home")).content.decode()
    assert client.get(read).status_code == 405


def test_the_notices_page_needs_a_signed_in_user(client, world):
    assert client.get(reverse("core:messages")).status_code == 302
    assert client.post(reverse("core:messages_read")).status_code == 302


# --- the message centre ---------------------------------------------------------------------------


def _centre(world):
    """The liaison's inbox: two messages about one task's problem, one about a clue, a day's digest
    of two overdue facts; and one message for the office."""
    import datetime

    from lijian.core.messages import messages_digest
    from lijian.core.models import MessageKind

    liaison, office = world.users[Role.LIAISON], world.users[Role.OFFICE_STAFF]
    task = {
        "kind": MessageKind.TASK,
        "record": "findings.problem:7",
        "record_label": "问题 P2024-000007 整改",
    }
    made = {
        "written": message_send(
            recipient=liaison, key="t:1", text="整改任务待审核", url="/rectification/problems/7/", **task
        ),
        "accepted": message_send(
            recipient=liaison, key="t:2", text="整改任务已审核通过", url="/rectification/problems/7/", **task
        ),
        "clue": message_send(
            recipient=liaison,
            key="c:1",
            text="线索已反馈",
            url="/findings/clues/3/",
            kind=MessageKind.CLUE,
            record="findings.clue:3",
            record_label="线索 X2024-000003",
        ),
        "theirs": message_send(recipient=office, key="t:1", text="给巡察办的", kind=MessageKind.TASK),
    }
    messages_digest(
        [
            MessageDraft(
                liaison.pk,
                "task-overdue:1",
                "整改任务超期：甲",
                "/rectification/problems/1/",
                "overdue",
                "x:1",
                "甲",
            ),
            MessageDraft(
                liaison.pk,
                "task-overdue:2",
                "整改任务超期：乙",
                "/rectification/problems/2/",
                "overdue",
                "x:2",
                "乙",
            ),
        ],
        on=datetime.date(2024, 7, 1),
    )
    made["digest"] = Message.objects.get(recipient=liaison, key="overdue-digest:2024-07-01")
    return liaison, office, made


def test_the_message_centre_groups_by_kind_and_record_and_links_each_record(client, world):
    liaison, office, made = _centre(world)
    client.force_login(liaison)
    response = client.get(reverse("core:messages"))
    groups = {(g["kind"], g["record"]): g for g in response.context["groups"]}
    assert set(groups) == {
        ("task", "findings.problem:7"),
        ("clue", "findings.clue:3"),
        ("overdue", "overdue-digest:2024-07-01"),
    }
    task = groups[("task", "findings.problem:7")]
    assert [n.pk for n in task["notices"]] == [made["accepted"].pk, made["written"].pk]
    assert (task["n"], task["unread"], task["label"], task["url"]) == (
        2,
        2,
        "问题 P2024-000007 整改",
        "/rectification/problems/7/",
    )
    digest = groups[("overdue", "overdue-digest:2024-07-01")]
    assert digest["n"] == 1 and "超期督办 2 项" in digest["notices"][0].text  # one message, not two
    page = response.content.decode()
    assert 'href="/rectification/problems/7/"' in page and 'href="/findings/clues/3/"' in page
    assert "给巡察办的" not in page and "整改任务超期：甲" not in page  # the digest's items are inside it
    kinds = {k["kind"]: (k["n"], k["unread"]) for k in response.context["kinds"]}
    assert kinds == {"task": (2, 2), "clue": (1, 1), "overdue": (1, 1)}
    assert messages_unread_count(liaison) == 4

    # By kind; a kind that does not exist is refused with a message, never ignored.
    only = client.get(reverse("core:messages"), {"kind": "clue"}).context["groups"]
    assert [g["record"] for g in only] == ["findings.clue:3"]
    bad = client.get(reverse("core:messages"), {"kind": "nonsense"})
    assert bad.status_code == 400 and "没有这个消息类别" in bad.content.decode()
    assert client.get(reverse("core:messages"), {"unread": "maybe"}).status_code == 400


def test_the_message_centre_filters_unread_and_marks_a_kind_or_all_read(client, world):
    liaison, office, made = _centre(world)
    client.force_login(liaison)
    read = reverse("core:messages_read")
    # Opening a message marks it read and goes to its record.
    assert (
        client.post(read, {"notice": made["clue"].pk, "next": made["clue"].url}).url == "/findings/clues/3/"
    )
    unread = client.get(reverse("core:messages"), {"unread": "1"}).context["groups"]
    assert {g["record"] for g in unread} == {"findings.problem:7", "overdue-digest:2024-07-01"}
    # A kind at a time.
    client.post(read, {"kind": "task"})
    assert messages_unread_count(liaison) == 1
    assert client.post(read, {"kind": "nonsense"}).status_code == 302 and messages_unread_count(liaison) == 1
    # The digest's page lists and links each item; opening it reads it.
    digest = made["digest"]
    page = client.get(reverse("core:message", args=[digest.pk]))
    html = page.content.decode()
    assert "整改任务超期：甲" in html and 'href="/rectification/problems/2/"' in html
    assert messages_unread_count(liaison) == 0
    assert not Message.objects.filter(digest=digest, read_at__isnull=True).exists()
    # Someone else's message is not found.
    assert client.get(reverse("core:message", args=[made["theirs"].pk])).status_code == 404
    # All at once.
    message_send(recipient=liaison, key="n:1", text="新消息")
    client.post(read)
    assert messages_unread_count(liaison) == 0 and messages_unread_count(office) == 1
    assert "没有未读消息" in client.get(reverse("core:messages"), {"unread": "1"}).content.decode()
