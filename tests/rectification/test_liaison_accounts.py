"""Liaisons exist when they are needed: at feedback an organisation without a liaison account makes
the office be told; the office creates the account for an organisation in its scope (never wider)
with a one-time password shown once, which the liaison must change at first login."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from lijian.accounts.choices import Role
from lijian.accounts.models import User
from lijian.accounts.services import liaison_account_create, user_set_password
from lijian.core.models import Message
from lijian.core.permissions import Perm, access_for

from ..world import fed_back

D = datetime.date
NEW_PASSWORD = "Liaison-own-2024"


@pytest.fixture
def fed(world):
    """和平区's street, whose only liaison has left (role withdrawn), fed back on 2024-05-10."""
    return fed_back(world, (), liaison_left=True).inspection


def test_the_office_is_told_at_feedback_when_there_is_no_liaison(world, fed):
    office = world.users[Role.OFFICE_STAFF]
    told = Message.objects.get(key=f"liaison-missing:{fed.pk}")
    assert told.recipient == office and "尚无联络员账号" in told.text
    assert told.url == reverse("rectification:inspection", args=[fed.pk]) + "#liaison"


def test_no_message_when_the_organisation_has_a_liaison(world):
    inspection = fed_back(world).inspection
    assert not Message.objects.filter(key=f"liaison-missing:{inspection.pk}").exists()


def test_the_office_creates_liaisons_only_in_its_scope(world):
    office = world.users[Role.OFFICE_STAFF]  # 和平区委巡察办
    user, password = liaison_account_create(
        actor=office, organization=world.t1, username="hp-ly", full_name="王联络"
    )
    assert user.must_change_password and user.check_password(password) and len(password) >= 10
    assert access_for(user).covers(Perm.RECTIFICATION_EDIT, world.t1.path)
    assert list(user.roles.values_list("role", "organization")) == [(Role.LIAISON, world.t1.pk)]
    with pytest.raises(PermissionDenied):  # 河西区's street: another district's office
        liaison_account_create(actor=office, organization=world.t2, username="hx-ly", full_name="李联络")
    with pytest.raises(PermissionDenied):  # a group leader manages no accounts
        liaison_account_create(
            actor=world.users[Role.GROUP_LEADER], organization=world.t1, username="gl-ly", full_name="赵联络"
        )
    with pytest.raises(PermissionDenied):
        liaison_account_create(actor=user, organization=world.t1, username="ly-ly", full_name="钱联络")
    assert not User.objects.filter(username__in=["hx-ly", "gl-ly", "ly-ly"]).exists()


def test_created_on_the_inspection_page_shown_once_and_changed_at_first_login(client, world, fed):
    office = world.users[Role.OFFICE_STAFF]
    client.force_login(office)
    page = reverse("rectification:inspection", args=[fed.pk])
    html = client.get(page).content.decode()
    assert 'id="no-liaison"' in html and reverse("rectification:liaison_new", args=[fed.pk]) in html
    answer = client.post(
        reverse("rectification:liaison_new", args=[fed.pk]), {"username": "hp-liaison", "full_name": "王联络"}
    )
    assert answer.status_code == 200 and "no-store" in answer.get("Cache-Control", "")
    password = answer.context["password"]
    assert password in answer.content.decode()
    assert "王联络" in client.get(page).content.decode()
    # the same username again is refused with a message, and nothing is created
    again = client.post(
        reverse("rectification:liaison_new", args=[fed.pk]), {"username": "hp-liaison", "full_name": "重复"}
    )
    assert again.status_code == 200 and "password" not in again.context
    client.logout()

    # the liaison signs in with the one-time password: every page but the profile sends them there
    answer = client.post("/accounts/login/", {"username": "hp-liaison", "password": password})
    assert answer.status_code == 302
    for url in ("/", page, reverse("rectification:index")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:profile"))
    assert client.get(f"/api/rectification/inspections/{fed.pk}/rates").status_code == 403
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert 'id="must-change"' in profile
    changed = client.post(
        reverse("accounts:profile"),
        {"form": "password", "current": password, "password": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert changed.status_code == 302
    liaison = User.objects.get(username="hp-liaison")
    assert not liaison.must_change_password
    client.post("/accounts/login/", {"username": "hp-liaison", "password": NEW_PASSWORD})
    assert client.get(page).status_code == 200


def test_a_password_changed_by_someone_else_does_not_lift_the_obligation(world):
    office = world.users[Role.OFFICE_STAFF]
    user, _password = liaison_account_create(
        actor=office, organization=world.t1, username="hp-ly", full_name="王"
    )
    user_set_password(actor=world.admin, user=user, password=NEW_PASSWORD)
    user.refresh_from_db()
    assert user.must_change_password
    user_set_password(actor=user, user=user, password=NEW_PASSWORD + "x")
    user.refresh_from_db()
    assert not user.must_change_password


def test_the_one_time_password_cannot_be_kept_as_the_new_password(client, world):
    office = world.users[Role.OFFICE_STAFF]
    user, password = liaison_account_create(
        actor=office, organization=world.t1, username="hp-ly", full_name="王"
    )
    client.force_login(user)
    answer = client.post(
        reverse("accounts:profile"),
        {"form": "password", "current": password, "password": password, "password2": password},
    )
    assert answer.status_code == 200
    assert "新密码不能与当前密码相同" in answer.content.decode()
    user.refresh_from_db()
    assert user.must_change_password and user.check_password(password)
    # the rule holds for every change, not only the forced one: an administrator's reset too
    with pytest.raises(ValidationError):
        user_set_password(actor=world.admin, user=user, password=password)
