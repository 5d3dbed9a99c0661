"""The second factor: required for the roles that see or decide the sensitive things, enrolled at the
first log-in, never telling an attacker that a password was right, counted by the lockout; and the
demo's way to read a code on the server, for demo accounts only."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from lijian.accounts import services
from lijian.accounts.choices import Role
from lijian.accounts.management.commands.demo_otp import current_code
from lijian.accounts.models import User
from lijian.core.models import AuditEvent

from ..world import PASSWORD, authenticator, make_user, totp_code

LOGIN = "/accounts/login/"
SETUP = "/accounts/profile/totp/"
SAME_ANSWER = "用户名、密码或动态验证码不正确"


def _errors(response) -> str:
    """The log-in form's error list, all the page says about why the log-in failed."""
    form = response.context["form"]
    return repr(sorted(form.non_field_errors()) + sorted(e for f in form.errors.values() for e in f))


@pytest.mark.parametrize("role", [Role.OFFICE_STAFF, Role.LEADER, Role.AUDITOR, Role.ADMINISTRATOR])
def test_the_first_log_in_of_a_role_that_requires_it_only_enrols_an_authenticator(client, world, role):
    user = world.users[role]
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    home = client.get("/")
    assert home.status_code == 302 and home["Location"].startswith(SETUP)
    assert client.get("/api/organizations/").status_code == 403
    assert client.get(reverse("accounts:profile")).status_code == 302
    # Looking at the enrolment page changes nothing: the key is made by the POST that starts it.
    for _ in range(2):
        page = client.get(SETUP)
        assert page.status_code == 200 and "开始设置" in page.content.decode()
    assert not TOTPDevice.objects.filter(user=user).exists()
    page = client.post(SETUP, {"action": "begin", "next": "/"}, follow=True).content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    key = page.split('id="totp-secret">')[1].split("<")[0]
    assert "<svg" in page and len(key) == 32  # the QR code and the key as text, for any TOTP app
    again = client.get(SETUP).content.decode()
    assert key in again and TOTPDevice.objects.filter(user=user).count() == 1
    done = client.post(SETUP, {"device": device.pk, "token": totp_code(device), "next": "/"})
    assert done.status_code == 302 and done["Location"] == "/"
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action="user.totp_enable", actor=user).exists()


def test_roles_that_do_not_require_it_sign_in_with_the_password(client, world):
    for role in (Role.LIAISON, Role.DEPARTMENT, Role.GROUP_MEMBER, Role.GROUP_LEADER):
        client.logout()
        response = client.post(LOGIN, {"username": world.users[role].username, "password": PASSWORD})
        assert response.status_code == 302 and client.get("/").status_code == 200, role


def test_which_roles_require_it_is_a_setting(client, world, settings):
    settings.TOTP_REQUIRED_ROLES = frozenset({Role.LIAISON})
    client.post(LOGIN, {"username": "u-office_staff", "password": PASSWORD})
    assert client.get("/").status_code == 200
    client.logout()
    client.post(LOGIN, {"username": "u-liaison", "password": PASSWORD})
    assert client.get("/")["Location"].startswith(SETUP)


def test_a_wrong_password_and_a_wrong_or_missing_code_get_the_same_answer(client, world):
    user = world.users[Role.OFFICE_STAFF]
    device = authenticator(user)
    answers = {
        "wrong password": client.post(LOGIN, {"username": user.username, "password": "Wrong-pass-2026"}),
        "wrong password, right code": client.post(
            LOGIN, {"username": user.username, "password": "Wrong-pass-2026", "otp_token": totp_code(device)}
        ),
        "no code": client.post(LOGIN, {"username": user.username, "password": PASSWORD}),
        "wrong code": client.post(
            LOGIN, {"username": user.username, "password": PASSWORD, "otp_token": "123456"}
        ),
        "unknown user": client.post(LOGIN, {"username": "nobody", "password": PASSWORD}),
    }
    assert {a.status_code for a in answers.values()} == {200}
    texts = {name: _errors(a) for name, a in answers.items()}
    assert len(set(texts.values())) == 1 and SAME_ANSWER in texts["no code"], texts
    for answer in answers.values():
        assert "二次验证" not in answer.content.decode().split("<form")[1].split("</form>")[0].replace(
            "已绑定身份验证器的账号", ""
        )
    assert not AuditEvent.objects.filter(action="user.login").exists()


def test_wrong_codes_count_towards_the_lockout(client, world):
    user = world.users[Role.LEADER]
    device = authenticator(user)
    for _ in range(5):
        client.post(LOGIN, {"username": user.username, "password": PASSWORD, "otp_token": "000000"})
    device.throttling_failure_count, device.throttling_failure_timestamp = 0, None
    device.save()
    locked = client.post(
        LOGIN, {"username": user.username, "password": PASSWORD, "otp_token": totp_code(device)}
    )
    assert locked.status_code == 429 and "临时锁定" in locked.content.decode()


def test_the_password_and_a_right_code_sign_in_and_a_code_is_accepted_once(client, world):
    user = world.users[Role.AUDITOR]
    device = authenticator(user)
    code = totp_code(device)
    assert (
        client.post(LOGIN, {"username": user.username, "password": PASSWORD, "otp_token": code}).status_code
        == 302
    )
    assert client.get("/").status_code == 200
    client.logout()
    replay = client.post(LOGIN, {"username": user.username, "password": PASSWORD, "otp_token": code})
    assert replay.status_code == 200 and SAME_ANSWER in replay.content.decode()


def test_a_required_second_factor_cannot_be_turned_off_only_replaced(client, world):
    user = world.users[Role.OFFICE_STAFF]
    client.force_login(user)
    with pytest.raises(services.ValidationError):
        services.totp_remove(actor=user, user=user)
    client.post(reverse("accounts:totp_disable"), {"current": PASSWORD})
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    assert "不能关闭" in client.get(reverse("accounts:profile")).content.decode()
    old = TOTPDevice.objects.get(user=user, confirmed=True)
    client.post(SETUP, {"action": "begin"})
    new = TOTPDevice.objects.get(user=user, confirmed=False)
    client.post(SETUP, {"device": new.pk, "token": totp_code(new)})
    assert list(TOTPDevice.objects.filter(user=user).values_list("pk", flat=True)) == [new.pk]
    assert old.pk != new.pk


def test_the_password_alone_cannot_replace_an_authenticator(world):
    user = world.users[Role.OFFICE_STAFF]
    authenticator(user)
    with pytest.raises(services.PermissionDenied):
        services.totp_begin(actor=user, verified=False)
    assert not TOTPDevice.objects.filter(user=user, confirmed=False).exists()


def test_a_session_that_has_not_passed_the_second_factor_is_sent_back(client, world):
    liaison = make_user("plain-liaison", Role.LIAISON, world.t1)
    client.post(LOGIN, {"username": "plain-liaison", "password": PASSWORD})
    assert client.get("/").status_code == 200
    services.role_grant(actor=world.admin, user=liaison, role=Role.LEADER, organization=world.d1)
    assert client.get("/")["Location"].startswith(SETUP)  # the new role requires it: enrol first
    TOTPDevice.objects.create(user=liaison, name="手机", confirmed=True)
    answer = client.get("/")
    assert answer["Location"] == reverse("accounts:login")  # an authenticator exists: log in with it
    assert client.get("/").status_code == 302 and "_auth_user_id" not in client.session


def test_demo_otp_prints_the_code_of_demo_accounts_only(world):
    demo = User.objects.create_user(username="demo-office", password=PASSWORD, demo_account=True)
    device = TOTPDevice.objects.create(user=demo, name="演示验证器", confirmed=True)
    out = io.StringIO()
    call_command("demo_otp", "demo-office", stdout=out, stderr=io.StringIO())
    assert out.getvalue().strip() == current_code(device)[0]
    for username in ("u-office_staff", "root-admin", "nobody"):
        with pytest.raises(CommandError, match="不是 lijian demo 创建的演示账号"):
            call_command("demo_otp", username, stdout=io.StringIO())
    plain = User.objects.create_user(username="demo-liaison", password=PASSWORD, demo_account=True)
    with pytest.raises(CommandError, match="没有绑定身份验证器"):
        call_command("demo_otp", plain.username, stdout=io.StringIO())


def test_a_misspelt_role_in_the_setting_stops_the_server_from_starting(settings):
    from lijian.accounts.checks import totp_roles_are_known

    settings.TOTP_REQUIRED_ROLES = frozenset({"office_staff", "leeder"})
    [error] = totp_roles_are_known(None)
    assert "leeder" in error.msg and error.id == "lijian.accounts.E001"
    settings.TOTP_REQUIRED_ROLES = frozenset({"office_staff"})
    assert totp_roles_are_known(None) == []
