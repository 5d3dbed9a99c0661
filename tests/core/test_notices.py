"""In-app notices: each person is told of each fact once, sees only their own notices, and marks
only their own read — through the services and through the notices page."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from lijian.accounts.choices import Role
from lijian.core.models import Notice
from lijian.core.notices import (
    NoticeDraft,
    liaisons_by_path,
    notice_mark_read,
    notice_send,
    notices_for,
    notices_send_many,
    notices_unread_count,
    office_staff_by_body,
)

from ..world import make_user


@pytest.fixture
def two(world):
    return world.users[Role.LIAISON], world.users[Role.OFFICE_STAFF]


def test_a_fact_is_told_to_each_person_once(two):
    liaison, office = two
    first = notice_send(recipient=liaison, key="task-overdue:1", text="整改任务超期", url="/x/")
    assert first is not None and first.url == "/x/"
    assert notice_send(recipient=liaison, key="task-overdue:1", text="又一次") is None
    notice_mark_read(actor=liaison, notice=first)
    assert notice_send(recipient=liaison, key="task-overdue:1", text="读过也不再发") is None
    assert notice_send(recipient=office, key="task-overdue:1", text="另一个人") is not None
    assert Notice.objects.filter(key="task-overdue:1").count() == 2
    long = notice_send(recipient=office, key="long", text="长" * 900)
    assert len(long.text) == 500 and long.text.endswith("…")


def test_many_notices_are_sent_in_a_batch_skipping_those_already_told(two):
    liaison, office = two
    notice_send(recipient=liaison, key="a", text="已发")
    sent = notices_send_many(
        [
            NoticeDraft(liaison.pk, "a", "已发过"),
            NoticeDraft(liaison.pk, "b", "新的"),
            NoticeDraft(liaison.pk, "b", "同一批里重复"),
            NoticeDraft(office.pk, "a", "另一个人", "/y/"),
        ]
    )
    assert sent == 2
    assert sorted(Notice.objects.values_list("recipient__username", "key", "text")) == [
        ("u-liaison", "a", "已发"),
        ("u-liaison", "b", "新的"),
        ("u-office_staff", "a", "另一个人"),
    ]
    assert notices_send_many([NoticeDraft(office.pk, "a", "x"), NoticeDraft(liaison.pk, "b", "y")]) == 0


def test_a_user_sees_and_marks_only_their_own_notices(two):
    liaison, office = two
    older = notice_send(recipient=liaison, key="1", text="较早")
    newer = notice_send(recipient=liaison, key="2", text="较新")
    theirs = notice_send(recipient=office, key="3", text="别人的")
    assert list(notices_for(liaison)) == [newer, older]
    notice_mark_read(actor=liaison, notice=newer)
    assert list(notices_for(liaison)) == [older, newer]  # unread first
    assert notices_unread_count(liaison) == 1
    with pytest.raises(PermissionDenied):
        notice_mark_read(actor=liaison, notice=theirs)
    assert notice_mark_read(actor=liaison) == 1  # all of one's own
    theirs.refresh_from_db()
    assert theirs.read_at is None and notices_unread_count(office) == 1
    assert notices_unread_count(liaison) == 0


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
    mine = notice_send(recipient=liaison, key="1", text="本单位整改报告超期", url="/orgs/")
    notice_send(recipient=liaison, key="2", text="另一条给我的")
    theirs = notice_send(recipient=office, key="3", text="给巡察办的机密事项")
    client.force_login(liaison)
    page = client.get(reverse("core:notices")).content.decode()
    assert "本单位整改报告超期" in page and "另一条给我的" in page
    assert "给巡察办的机密事项" not in page
    home = client.get(reverse("core:home")).content.decode()
    assert 'id="nav-notices-unread"' in home and ">2</span>" in home

    read = reverse("core:notices_read")
    assert client.post(read, {"notice": theirs.pk}).status_code == 404
    assert client.post(read, {"notice": "x1"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    # Opening a notice's link marks it read and goes there (never to another site).
    response = client.post(read, {"notice": mine.pk, "next": mine.url})
    assert response.status_code == 302 and response.url == "/orgs/"
    assert client.post(read, {"notice": mine.pk, "next": "https://evil.example/"}).url == reverse(
        "core:notices"
    )
    assert notices_unread_count(liaison) == 1
    client.post(read)
    assert notices_unread_count(liaison) == 0 and notices_unread_count(office) == 1
    assert 'id="nav-notices-unread"' not in client.get(reverse("core:home")).content.decode()
    assert client.get(read).status_code == 405


def test_the_notices_page_needs_a_signed_in_user(client, world):
    assert client.get(reverse("core:notices")).status_code == 302
    assert client.post(reverse("core:notices_read")).status_code == 302
