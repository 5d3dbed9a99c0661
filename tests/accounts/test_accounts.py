"""Log-in in Chinese, lockout, the second factor, and granting roles only within one's own scope."""

import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from lijian.accounts import services
from lijian.accounts.choices import Role
from lijian.accounts.models import RoleAssignment
from lijian.core.models import AuditEvent
from lijian.core.permissions import Perm, access_for

from ..world import PASSWORD, authenticator, make_user, totp_code

LOGIN = "/accounts/login/"


def _token(device: TOTPDevice, later: int = 0) -> str:
    """The code the authenticator shows now (or ``later`` steps from now: a code is accepted once)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + later * device.step
    return f"{totp.token():06d}"


def test_the_login_page_is_chinese_and_a_good_password_signs_in(client, world):
    page = client.get(LOGIN)
    assert page.status_code == 200 and "用户名" in page.content.decode() and "登录" in page.content.decode()
    code = totp_code(authenticator(world.users[Role.OFFICE_STAFF]))
    response = client.post(LOGIN, {"username": "u-office_staff", "password": PASSWORD, "otp_token": code})
    assert response.status_code == 302 and response["Location"] == "/"
    home = client.get("/").content.decode()
    assert "中共天津市和平区委员会" in home and "巡视巡察办工作人员" in home
    assert AuditEvent.objects.filter(action="user.login", actor=world.users[Role.OFFICE_STAFF]).exists()


def test_a_wrong_password_is_refused_in_chinese(client, world):
    response = client.post(LOGIN, {"username": "u-office_staff", "password": "nope-nope-nope"})
    assert response.status_code == 200
    assert "用户名、密码或动态验证码不正确" in response.content.decode()


def test_the_next_parameter_cannot_send_users_off_site(client, world):
    response = client.post(
        LOGIN + "?next=https://evil.example/", {"username": "u-leader", "password": PASSWORD}
    )
    assert response["Location"] == "/"


def test_repeated_failures_lock_the_account_for_a_while(client, world):
    for _ in range(5):
        client.post(LOGIN, {"username": "u-leader", "password": "wrong-password-1"})
    response = client.post(LOGIN, {"username": "u-leader", "password": PASSWORD})
    assert response.status_code == 429
    assert "临时锁定" in response.content.decode()


def test_logout_needs_a_post_and_ends_the_session(client, world):
    client.force_login(world.users[Role.LEADER])
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302  # back to the login page


def test_with_a_second_factor_the_password_alone_is_not_enough(client, world):
    user = world.users[Role.LIAISON]  # a role that may turn the second factor on, not one that must
    client.force_login(user)
    page = client.get(reverse("accounts:totp_setup"))
    assert "<svg" not in page.content.decode() and not TOTPDevice.objects.filter(user=user).exists()
    page = client.post(reverse("accounts:totp_setup"), {"action": "begin"}, follow=True)
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    bad = client.post(reverse("accounts:totp_setup"), {"device": device.pk, "token": "000000"})
    assert "验证码不正确" in bad.content.decode()
    device.throttling_failure_count = 0  # the failure above slows the next try down; no need to wait here
    device.throttling_failure_timestamp = None
    device.save()
    client.post(reverse("accounts:totp_setup"), {"device": device.pk, "token": _token(device)})
    device.refresh_from_db()
    assert device.confirmed
    client.logout()
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 200 and "用户名、密码或动态验证码不正确" in response.content.decode()
    device.refresh_from_db()
    response = client.post(
        LOGIN, {"username": user.username, "password": PASSWORD, "otp_token": _token(device, later=1)}
    )
    assert response.status_code == 302


def test_administrators_grant_roles_only_inside_their_own_subtree(world):
    admin_d1 = world.users[Role.ADMINISTRATOR]  # administrator of 和平区 only
    newcomer = services.user_create(
        actor=admin_d1, username="newcomer", full_name="新同事", password="a-long-pass-2026"
    )
    assignment = services.role_grant(actor=admin_d1, user=newcomer, role=Role.LIAISON, organization=world.t1)
    assert access_for(newcomer).covers(Perm.ORG_VIEW, world.v1.path)
    assert not access_for(newcomer).covers(Perm.ORG_VIEW, world.d1.path)
    with pytest.raises(PermissionDenied):
        services.role_grant(actor=admin_d1, user=newcomer, role=Role.LIAISON, organization=world.t2)
    with pytest.raises(PermissionDenied):
        services.role_grant(actor=admin_d1, user=newcomer, role=Role.AUDITOR, organization=None)
    with pytest.raises(ValidationError):
        services.role_grant(actor=world.admin, user=newcomer, role=Role.LIAISON, organization=None)
    with pytest.raises(ValidationError):
        services.role_grant(
            actor=admin_d1, user=newcomer, role=Role.LIAISON, organization=world.t1
        )  # already held
    services.role_revoke(actor=admin_d1, assignment=assignment)
    newcomer.refresh_from_db()
    assert not access_for(newcomer).has(Perm.ORG_VIEW)
    actions = list(
        AuditEvent.objects.filter(object_type="accounts.roleassignment").values_list("action", flat=True)
    )
    assert actions.count("role.grant") == 1 and actions.count("role.revoke") == 1


def test_weak_passwords_are_refused(world):
    with pytest.raises(ValidationError):
        services.user_create(actor=world.admin, username="weak", full_name="弱", password="12345678")


def test_the_user_pages_grant_and_revoke_in_chinese(client, world):
    client.force_login(world.admin)
    target = make_user("target")
    url = reverse("accounts:user_detail", kwargs={"pk": target.pk})
    response = client.post(
        url, {"form": "grant", "role": Role.LEADER, "organization_code": "120103"}, follow=True
    )
    assert "角色已授予" in response.content.decode()
    assignment = RoleAssignment.objects.get(user=target)
    assert assignment.organization == world.d2
    bad = client.post(url, {"form": "grant", "role": Role.LEADER, "organization_code": "NOPE"})
    assert "没有代码为“NOPE”的组织" in bad.content.decode()
    client.post(url, {"form": "revoke", "assignment": assignment.pk})
    assignment.refresh_from_db()
    assert not assignment.active


def test_an_administrator_cannot_deactivate_themselves(world):
    with pytest.raises(ValidationError):
        services.user_set_active(actor=world.admin, user=world.admin, active=False)


def test_a_sub_administrator_cannot_touch_accounts_that_also_hold_roles_elsewhere(client, world):
    admin_d1 = world.users[Role.ADMINISTRATOR]
    citywide = make_user("citywide", Role.AUDITOR, world.d1)
    RoleAssignment.objects.create(user=citywide, role=Role.OFFICE_STAFF, organization=world.root)
    with pytest.raises(PermissionDenied):
        services.user_set_password(actor=admin_d1, user=citywide, password="brand-new-pass-2026")
    with pytest.raises(PermissionDenied):
        services.user_set_active(actor=admin_d1, user=citywide, active=False)
    client.force_login(admin_d1)
    assert client.get(reverse("accounts:user_detail", kwargs={"pk": citywide.pk})).status_code == 404
    assert "citywide" not in client.get(reverse("accounts:users")).content.decode()
    assert citywide.check_password(PASSWORD)


def test_an_administrator_sees_and_lifts_a_lockout(client, world):
    for _ in range(5):
        client.post(LOGIN, {"username": "u-leader", "password": "wrong-password-1"})
    client.force_login(world.admin)
    url = reverse("accounts:user_detail", kwargs={"pk": world.users[Role.LEADER].pk})
    assert "已锁定" in client.get(url).content.decode()
    response = client.post(url, {"form": "unlock"}, follow=True)
    assert "已解除锁定" in response.content.decode()
    client.logout()
    assert client.post(LOGIN, {"username": "u-leader", "password": PASSWORD}).status_code == 302
    assert AuditEvent.objects.filter(action="user.unlock").exists()


def test_changing_ones_own_password_or_second_factor_needs_the_current_password(client, world):
    user = world.users[Role.GROUP_MEMBER]  # may turn the second factor off: the role does not require it
    client.force_login(user)
    url = reverse("accounts:profile")
    response = client.post(
        url,
        {
            "form": "password",
            "current": "not-it",
            "password": "another-pass-2026",
            "password2": "another-pass-2026",
        },
    )
    assert "当前密码不正确" in response.content.decode()
    response = client.post(
        url,
        {
            "form": "password",
            "current": PASSWORD,
            "password": "another-pass-2026",
            "password2": "different-pass-2026",
        },
    )
    assert "两次输入的密码不一致" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    TOTPDevice.objects.create(user=user, name="t", confirmed=True)
    client.post(reverse("accounts:totp_disable"), {"current": "not-it"})
    assert TOTPDevice.objects.filter(user=user).exists()
    client.post(reverse("accounts:totp_disable"), {"current": PASSWORD})
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_office_staff_of_a_body_must_be_scoped_inside_what_it_covers(world):
    newcomer = make_user("newcomer2")
    with pytest.raises(ValidationError):
        services.role_grant(
            actor=world.admin, user=newcomer, role=Role.OFFICE_STAFF, organization=world.d2, body=world.body1
        )


def test_account_events_are_visible_to_auditors_of_the_users_subtree(client, world):
    client.post(LOGIN, {"username": "u-liaison", "password": PASSWORD})  # scoped to 和平区
    client.force_login(world.users[Role.AUDITOR])  # auditor of 和平区
    page = client.get(reverse("core:audit")).content.decode()
    assert "登录" in page and "u-liaison" in page
    outsider_login = AuditEvent.objects.filter(actor=world.outsider).exists()
    assert not outsider_login
