"""A patrol office plans a round in the browser: opens it, picks targets, runs the optimiser, tries to
put a cadre into a group inspecting an organisation they must avoid, sees why not, and confirms."""

import pytest

from lijian.accounts.choices import Role
from lijian.orgs import services as org_services
from lijian.orgs.models import Organization
from lijian.people.services import conflict_declare

from ..world import PASSWORD, build_world, make_patrol_setup

pytestmark = pytest.mark.browser


@pytest.fixture
def office(transactional_db):
    world = build_world()
    g1, g2, pool = make_patrol_setup(world)
    for code, name in (("B1", "第一支部"), ("B2", "第二支部")):
        org_services.organization_create(
            actor=world.admin,
            parent=world.v1,
            code=code,
            name=name,
            kind="branch",
            supervising_body=world.body1,
        )
    return world, pool


def test_plan_a_round_and_see_a_conflicting_edit_refused(page, office):
    world, pool = office
    p = page.page
    page.login(world.users[Role.OFFICE_STAFF].username, PASSWORD)
    page.go(f"/inspections/bodies/{world.body1.pk}/new-round/")
    p.select_option("#id_kind", "regular")
    p.fill("#id_theme", "巡察党支部")
    page.shot("11-round-new")
    p.click("#main-form button[type=submit]")
    p.wait_for_selector("#round-title")
    p.fill("#id_codes", "B1 B2")
    p.click("#targets-form button")
    p.wait_for_selector("#targets >> text=第二支部")
    p.fill("#id_time_limit", "5")
    p.click("#plan-form button[type=submit]")
    p.wait_for_selector(".proposal-group")
    # Two branches fit in one group: only that group is staffed, summed up above the reasons.
    assert p.locator(".proposal-group").count() == 1
    summary = p.locator("#plan-summary").inner_text()
    assert "第一支部、第二支部" in summary and "组长" in summary and "副组长" in summary
    page.shot("12-round-proposal")
    # A cadre who is not in the plan has a relative in the first group's branch: adding them is refused.
    group = p.locator(".proposal-group").first
    first_target = group.locator("h3").inner_text().split("：")[-1].split("、")[0]
    members = group.inner_text()
    outsider = next(c for c in pool if c.cadre_id not in p.locator("#plan-card").inner_text())
    target = Organization.objects.get(path__startswith=world.v1.path, name=first_target)
    conflict_declare(
        actor=world.admin, cadre=outsider, organization=target, kind="relative", detail="配偶在该支部"
    )
    group.locator("input[name=add_code]").fill(outsider.cadre_id)
    group.locator(".member-add button").click()
    p.wait_for_selector(".alert-danger")
    alert = p.locator(".alert-danger").inner_text()
    assert "未作调整" in alert and "回避关系" in alert and "配偶在该支部" in alert
    assert p.locator(".proposal-group").first.inner_text() == members  # nothing changed
    page.shot("13-round-conflict-refused")
    p.click("#plan-confirm")
    p.wait_for_selector("#composition")
    assert "编组已确认" in p.locator("#round-title").inner_text()
    page.shot("14-round-confirmed")
