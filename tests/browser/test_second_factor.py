"""The first log-in of an office account in the browser: the password leads only to enrolling an
authenticator from the key shown as text; the next log-in needs its code, and a wrong code reads
exactly like a wrong password."""

from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from lijian.accounts.choices import Role

from ..world import PASSWORD, build_world

pytestmark = pytest.mark.browser


def test_the_first_log_in_enrols_the_authenticator_and_later_ones_need_its_code(page, transactional_db):
    world = build_world()
    user = world.users[Role.OFFICE_STAFF]
    page.go("/accounts/login/")
    page.page.fill("#id_username", user.username)
    page.page.fill("#id_password", PASSWORD)
    page.page.click("button[type=submit]")
    page.page.wait_for_url("**/accounts/profile/totp/**")
    assert page.page.is_visible("#totp-required")
    page.go("/orgs/")  # nothing else is served before enrolling
    page.page.wait_for_url("**/accounts/profile/totp/?next=/orgs/")
    page.go("/accounts/profile/totp/")
    page.shot("totp-enrol-start")
    assert not TOTPDevice.objects.filter(user=user).exists()  # looking did not make a key
    page.page.click("#totp-begin")
    page.page.wait_for_selector("#totp-secret")
    page.shot("totp-enrol-key")
    page.page.fill("#id_token", "000000")
    page.page.click("#totp-confirm")
    page.page.wait_for_selector(".invalid-feedback")
    assert "验证码不正确" in page.page.inner_text("#totp-setup-form")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    device.throttling_failure_count, device.throttling_failure_timestamp = 0, None
    device.save()  # the wrong code slowed the next try down; a person would wait a second
    secret = page.page.inner_text("#totp-secret").strip()  # what a person types into any TOTP app
    page.page.fill("#id_token", f"{TOTP(b32decode(secret)).token():06d}")
    page.page.click("#totp-confirm")
    page.page.wait_for_url(page.base_url + "/")
    assert "中共天津市和平区委员会" in page.page.inner_text("body")
    # The office's home draws its cockpit chart after chart: let it finish before the visit ends, or
    # the charts still to come are asked for without a session.
    page.page.wait_for_function("() => !document.querySelector('[data-chart]:not([data-chart-state])')")
    page.page.context.clear_cookies()  # a new visit

    def attempt(password: str, code: str) -> str:
        page.go("/accounts/login/")
        page.page.fill("#id_username", user.username)
        page.page.fill("#id_password", password)
        page.page.fill("#id_otp_token", code)
        page.page.click("button[type=submit]")
        page.page.wait_for_load_state()
        assert "/accounts/login/" in page.page.url
        return page.page.inner_text("form .alert-danger")

    wrong_password = attempt("Wrong-pass-2026", "123456")
    wrong_code = attempt(PASSWORD, "123456")
    no_code = attempt(PASSWORD, "")
    assert wrong_password == wrong_code == no_code and "用户名、密码或动态验证码不正确" in wrong_code
    page.shot("login-wrong-code")
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    device.throttling_failure_count, device.throttling_failure_timestamp = 0, None
    device.save()
    page.login(user.username, PASSWORD)  # the shared helper: password and the authenticator's code
    assert page.page.url == page.base_url + "/"
    device.refresh_from_db()
    assert device.last_t > 0  # the code it took came from the authenticator enrolled above
