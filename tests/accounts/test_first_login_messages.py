"""At the first log-in the page a user is sent to (set a password, enrol an authenticator) explains
itself once: no second banner repeats it."""

from django.urls import reverse

from lijian.accounts.choices import Role

from ..world import PASSWORD, make_user


def test_the_password_page_explains_the_one_time_password_once(client, world):
    user = make_user("newbie", Role.GROUP_MEMBER, world.d1, world.body1)
    user.must_change_password = True
    user.save(update_fields=["must_change_password"])
    client.post(reverse("accounts:login"), {"username": "newbie", "password": PASSWORD})
    page = client.get(reverse("core:home"), follow=True).content.decode()
    assert page.count("初始密码只能使用一次") == 1


def test_the_enrolment_page_explains_the_second_factor_once(client, world):
    make_user("newoffice", Role.OFFICE_STAFF, world.d1, world.body1)
    client.post(reverse("accounts:login"), {"username": "newoffice", "password": PASSWORD})
    page = client.get(reverse("core:home"), follow=True).content.decode()
    assert 'id="totp-required"' in page and page.count("请先绑定身份验证器") == 1
