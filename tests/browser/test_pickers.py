"""The office adds a round's targets by typing part of a name into the picker and choosing the
suggestions (one with the mouse, one with the arrow keys and Enter), then submits: the chosen
organisations become targets. An organisation of another district is never suggested."""

import datetime

import pytest

from lijian.accounts.choices import Role
from lijian.inspections.models import Round
from lijian.orgs import services as org_services

from ..world import PASSWORD, authenticator, build_world, totp_code

pytestmark = pytest.mark.browser


@pytest.fixture
def office(transactional_db):
    world = build_world()
    for code, name in (("B1", "多福巷第一支部"), ("B2", "多福巷第二支部")):
        org_services.organization_create(
            actor=world.admin,
            parent=world.v1,
            code=code,
            name=name,
            kind="branch",
            supervising_body=world.body1,
        )
    round_ = Round.objects.create(
        body=world.body1,
        term=world.term1,
        number=1,
        start=datetime.date.today() + datetime.timedelta(days=30),
        end=datetime.date.today() + datetime.timedelta(days=90),
    )
    return world, round_


def test_choose_round_targets_by_name_in_the_picker(page, office):
    world, round_ = office
    p = page.page
    page.login(world.users[Role.OFFICE_STAFF].username, PASSWORD)
    page.go(round_.get_absolute_url())
    picker = p.locator("#id_codes")
    assert picker.get_attribute("role") == "combobox"

    picker.press_sequentially("第一支", delay=50)
    p.wait_for_selector("#id_codes-options >> text=多福巷第一支部")
    assert picker.get_attribute("aria-expanded") == "true"
    page.shot("pk-01-suggestions")
    p.click("#id_codes-options >> text=多福巷第一支部")
    assert picker.input_value() == "B1 "
    assert "多福巷第一支部" in p.locator("#targets-form [data-picker-chosen]").inner_text()
    assert p.locator("#id_codes-options [data-picker-option]").count() == 0  # the list closed

    # Another district's organisation is not offered.
    picker.press_sequentially("大营门", delay=50)
    p.wait_for_selector("#id_codes-options >> text=没有找到")
    picker.fill("B1 ")

    # The keyboard: arrows move through the suggestions, Enter chooses without submitting the form.
    picker.press_sequentially("支部", delay=50)
    p.wait_for_selector("#id_codes-options >> text=多福巷第二支部")
    options = p.locator("#id_codes-options [data-picker-option]")
    names = [options.nth(i).get_attribute("data-label") for i in range(options.count())]
    picker.press("ArrowDown")
    for _ in range(names.index("多福巷第二支部")):
        picker.press("ArrowDown")
    assert picker.get_attribute("aria-activedescendant") == options.nth(
        names.index("多福巷第二支部")
    ).get_attribute("id")
    picker.press("Enter")
    assert picker.input_value() == "B1 B2 "
    assert round_.inspections.count() == 0  # Enter chose, it did not submit
    chosen = p.locator("#targets-form [data-picker-chosen]").inner_text()
    assert "多福巷第一支部（B1）" in chosen and "多福巷第二支部（B2）" in chosen
    page.shot("pk-02-chosen")

    p.click("#targets-form button")
    p.wait_for_selector("#targets >> text=多福巷第二支部")
    assert sorted(round_.inspections.values_list("organization__code", flat=True)) == ["B1", "B2"]


def test_without_scripts_a_typed_code_still_adds_targets(
    browser, live_server, django_db_serialized_rollback, office
):
    world, round_ = office
    context = browser.new_context(locale="zh-CN", java_script_enabled=False)
    p = context.new_page()
    try:
        p.goto(live_server.url + "/accounts/login/")
        p.fill("#id_username", world.users[Role.OFFICE_STAFF].username)
        p.fill("#id_password", PASSWORD)
        p.fill("#id_otp_token", totp_code(authenticator(world.users[Role.OFFICE_STAFF])))
        p.click("button[type=submit] >> text=登录")  # not the language switch's, shown without scripts
        p.wait_for_url(live_server.url + "/")
        p.goto(live_server.url + round_.get_absolute_url())
        p.fill("#id_codes", "B1 B2")
        p.click("#targets-form button")
        p.wait_for_selector("#targets >> text=多福巷第二支部")
    finally:
        context.close()
    assert sorted(round_.inspections.values_list("organization__code", flat=True)) == ["B1", "B2"]
