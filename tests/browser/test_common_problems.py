"""Journey of the common problems (以巡促改): the office opens 统计 › 共性问题, finds the planted
“三重一大” problems of six organisations as one group, and proposes it as the theme of a special
round, which opens with the problems it rests on."""

from lijian.accounts.choices import Role
from lijian.analytics.models import CommonProblemProposal

from ..analytics.common_world import build_common
from ..world import PASSWORD, build_world, make_city_office


def test_the_office_proposes_a_common_problem_as_a_special_round(page, transactional_db):
    world = build_world()
    common = build_common(world)
    p = page.page
    page.login(world.users[Role.OFFICE_STAFF].username, PASSWORD)

    page.go("/analytics/common-problems/")
    first = p.locator("#group-1")
    assert first.locator(".group-size").inner_text() == "12 个问题"
    assert first.locator(".group-orgs").inner_text() == "涉及 6 个单位"
    assert first.locator(".group-organizations li").count() == 6
    assert first.locator(".group-bodies tr").inner_text().split() == [
        "和平区委巡察办",
        "2",
        "轮",
        "12",
        "个问题",
    ]
    page.shot("61-common-problems")

    first.locator(".propose").click()
    p.wait_for_selector("#group-problems")
    assert p.locator("#group-problems input[name=problems]:checked").count() == 12
    p.check("#id_kind_0")
    p.fill("#id_title", "“三重一大”决策制度执行情况专项巡察")
    p.fill("#id_start", "2026-03-01")
    p.fill("#id_end", "2026-05-31")
    p.fill("#id_note", "六个单位的“三重一大”事项未经集体决策，集中开展专项巡察。")
    page.shot("62-common-propose")
    p.click("#main-form button[type=submit]")
    p.wait_for_selector("#round-common-problems")
    assert "“三重一大”决策制度执行情况专项巡察" in p.locator("#round-common-problems").inner_text()
    page.shot("63-common-special-round")

    proposal = CommonProblemProposal.objects.get()
    assert proposal.round.kind == "special" and proposal.round.theme == proposal.title
    assert set(proposal.problems.all()) == set(common.planted)


def test_the_city_office_proposes_for_the_body_that_found_most_and_sees_the_places(page, transactional_db):
    """The city office acts for three bodies: the proposal is for 和平 (twelve of the group's thirteen
    problems) unless it picks another; the round it opens for the city lists the places by district."""
    world = build_world()
    common = build_common(world)
    city = make_city_office(world)
    p = page.page
    page.login(city.username, PASSWORD)

    page.go("/analytics/common-problems/")
    p.locator("#group-1 .propose").click()
    p.wait_for_selector("#group-problems")
    assert p.locator("#id_body option").count() == 4  # the empty choice and the three bodies
    assert p.locator("#id_body").input_value() == str(world.body1.pk)
    p.select_option("#id_body", str(world.city_body.pk))
    p.check("#id_kind_0")
    p.fill("#id_start", "2026-03-01")
    p.fill("#id_end", "2026-05-31")
    p.click("#main-form button[type=submit]")
    p.wait_for_selector("#round-common-problems")
    places = p.locator("#round-common-problems details.common-place")
    assert places.locator(".common-place-label").all_inner_texts() == ["和平区", "河西区"]
    assert places.nth(0).locator(".common-place-organizations tr").count() == 6
    assert places.nth(0).locator(".common-place-organizations").is_visible()  # few: shown open
    page.shot("64-common-special-round-places")

    proposal = CommonProblemProposal.objects.get()
    assert proposal.body == world.city_body
    assert set(proposal.problems.all()) == {*common.planted, common.outside}
