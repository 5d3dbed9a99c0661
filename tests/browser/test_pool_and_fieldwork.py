"""Browser journeys around a round: the office keeps the talent pool and declares a conflict (a code
that names no organisation is refused and nothing is saved), reads the term plan and the figures, moves an inspection on
site; the group leader finds the inspection among 我所在组的巡视巡察 and records fieldwork."""

import datetime

import pytest

from lijian.accounts.choices import Role
from lijian.inspections.models import Activity
from lijian.people.models import Cadre, Conflict

from ..world import PASSWORD, build_rounds, build_world

pytestmark = pytest.mark.browser


def test_office_adds_a_cadre_and_declares_a_conflict(page, transactional_db):
    world = build_world()
    p = page.page
    page.login(world.users[Role.OFFICE_STAFF].username, PASSWORD)
    page.go("/people/")
    p.click("text=新增人员")
    p.fill("#id_cadre_id", "HP-001")
    p.fill("#id_name", "王敏")
    p.select_option("#id_gender", "F")
    p.fill("#id_birth_year", "1990")
    p.fill("#id_home_org", world.t1.code)
    p.select_option("#id_rank", "section")
    p.get_by_label("审计", exact=True).check()
    p.click("#main-form button[type=submit]")
    p.wait_for_selector("#conflicts")
    cadre = Cadre.objects.get(cadre_id="HP-001")
    assert cadre.home_org == world.t1 and list(cadre.skills.values_list("code", flat=True)) == ["audit"]

    # A code that names no organisation is refused, with the reason beside the field.
    p.fill("#id_organization", "120199999")
    p.select_option("#id_kind", "relative")
    p.fill("#id_detail", "配偶在该社区")
    p.click("#conflicts form:not(.d-flex) button")
    p.wait_for_selector("#conflicts .invalid-feedback")
    assert "没有代码为“120199999”的组织" in p.locator("#conflicts .invalid-feedback").inner_text()
    assert not Conflict.objects.filter(cadre=cadre).exists()

    # A relative may work outside the office's own district: the conflict is still recorded.
    p.fill("#id_organization", world.v2.code)
    p.click("#conflicts form:not(.d-flex) button")
    p.wait_for_selector("#conflicts >> text=新津社区党委")
    assert Conflict.objects.get(cadre=cadre).organization == world.v2
    page.shot("16-cadre-conflicts")

    page.go("/people/?skill=audit")
    assert "王敏" in p.locator("#pool").inner_text()
    page.shot("15-pool")


def test_office_reads_the_term_plan_and_the_figures(page, transactional_db):
    world = build_world()
    rounds = build_rounds(world)
    rounds.inspection1.onsite_start = datetime.date(2024, 3, 5)
    rounds.inspection1.stage = "onsite"
    rounds.inspection1.save()
    p = page.page
    page.login(world.users[Role.OFFICE_STAFF].username, PASSWORD)
    page.go(f"/inspections/bodies/{world.body1.pk}/term-plan/")
    # The body covers the street and the community; the street has been inspected in round 1.
    assert p.locator("#covered").inner_text().startswith("1 / 2")
    # The community is still a target of round 1, not yet on site: the plan shows it there.
    assert "已列为对象：多福巷社区党委" in p.locator("#proposed").inner_text()
    page.shot("17-term-plan")

    page.go(f"/analytics/bodies/{world.body1.pk}/?term={world.term1.pk}&date=2024-06-01")
    coverage = p.locator("#figure-term_coverage")
    assert "1 / 2" in coverage.inner_text()
    page.shot("18-figures")
    coverage.locator("a").click()
    p.wait_for_selector("text=和平区劝业场街道党工委")
    assert "多福巷社区党委" not in p.locator("main").inner_text()


def test_group_leader_records_fieldwork_once_the_office_sends_the_group_on_site(page, transactional_db):
    world = build_world()
    rounds = build_rounds(world)
    p = page.page
    page.login(world.users[Role.OFFICE_STAFF].username, PASSWORD)
    page.go(f"/inspections/inspections/{rounds.inspection1.pk}/")
    p.click("#stage-actions >> text=进入准备阶段")
    p.wait_for_selector("#stage >> text=准备")
    p.fill("#stage-actions input[type=date]", "2024-03-05")
    p.click("#stage-actions button.btn-outline-primary")
    p.wait_for_selector("#stage >> text=进驻了解")

    p.context.clear_cookies()
    page.login(world.users[Role.GROUP_LEADER].username, PASSWORD)
    page.go("/inspections/")
    p.locator("a", has_text="和平区劝业场街道党工委").first.click()
    p.wait_for_selector("#activity-form")
    assert not p.locator("#stage-actions").count()  # the stage is the office's to move
    p.select_option("#id_method", label="个别谈话")
    p.fill("#id_on", "2024-03-06")
    p.fill("#id_count", "0")
    p.click("#activity-form button")
    p.wait_for_selector("#activity-form .invalid-feedback")
    assert not Activity.objects.exists()
    p.fill("#id_count", "12")
    p.fill("#id_notes", "与街道班子成员逐一谈话。")
    p.click("#activity-form button")
    p.wait_for_selector("#activities >> text=与街道班子成员逐一谈话。")
    activity = Activity.objects.get()
    assert (activity.count, activity.method.name, activity.recorded_by) == (
        12,
        "个别谈话",
        world.users[Role.GROUP_LEADER],
    )
    page.shot("19-fieldwork")
