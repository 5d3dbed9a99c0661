"""The cockpit's chart API: each chart's values are the figures selectors', every mark's link lists
exactly the records it counts, the scope is the statistics scope, and bad parameters are refused."""

import datetime

import pytest

from lijian.accounts.choices import Role
from lijian.analytics.cockpit import CHARTS, areas, map_regions, term_time_share
from lijian.analytics.cockpit_rankings import RANKINGS
from lijian.analytics.figures import body_figures, clue_results_by_department, grassroots_inspected
from lijian.analytics.figures import grassroots as grassroots_all
from lijian.inspections.models import Round
from lijian.rectification.models import Interview
from tests.world import (
    admonish_street_director,
    build_findings,
    build_rectification,
    build_rounds,
    build_second_street,
    make_user,
)

ON = datetime.date(2024, 12, 31)


@pytest.fixture
def worked(world):
    """Both districts with rounds, problems, clues, a fed-back inspection with a task, an interview and
    an accountability action in 和平."""
    rounds = build_rounds(world)
    findings = build_findings(world, rounds)
    rect = build_rectification(world, rounds, findings)
    Interview.objects.create(
        body=world.body1,
        organization=world.t1,
        interviewer="区委书记",
        interviewee="街道党工委书记",
        reason="整改不力",
        held_on=datetime.date(2024, 10, 8),
    )
    admonish_street_director(world)
    return world, rect


def chart(client, body, key, **params):
    params.setdefault("date", ON.isoformat())
    return client.get(f"/api/cockpit/bodies/{body.pk}/{key}", params)


def marks(data) -> dict:
    return {(m["series"], m["key"]): m for m in data["marks"]}


def listed_count(client, url) -> int:
    """The number of records the mark's list says it holds (its heading), checked against its rows."""
    page = client.get(url)
    assert page.status_code == 200, url
    html = page.content.decode()
    if "/cockpit/" in url:
        count = int(html.split('id="records-count">', 1)[1].split("<", 1)[0])
        rows = html.count("<tr><td") - html.count("<tr><td colspan")  # a row a record; none: a note
        assert rows == min(count, 100)
        return count
    return len(page.context["items"] if "items" in page.context else page.context["orgs"])


def test_every_chart_answers_the_office_and_each_mark_lists_what_it_counts(client, worked):
    world, _rect = worked
    client.force_login(world.users[Role.OFFICE_STAFF])
    for key in {**CHARTS, **RANKINGS}:
        response = chart(client, world.body1, key)
        assert response.status_code == 200, key
        data = response.json()
        assert data["key"] == key and data["body"]["code"] == "XCB-120101" and data["date"] == "2024-12-31"
        for mark in data["marks"]:
            if mark["url"] is None:
                continue
            expected = mark["numerator"] if mark["numerator"] is not None else mark["value"]
            assert listed_count(client, mark["url"]) == expected, (key, mark)


def test_chart_values_are_the_figures(client, worked):
    world, _rect = worked
    # a second area of 和平, so that a figure by area differs from area to area
    build_second_street(world, Round.objects.get(body=world.body1, number=1))
    client.force_login(world.users[Role.LEADER])
    figures = body_figures(world.body1, world.term1, ON)

    coverage = chart(client, world.body1, "coverage").json()
    covered = marks(coverage)[("", "covered")]
    assert (covered["numerator"], covered["denominator"]) == (
        figures["term_coverage"].numerator,
        figures["term_coverage"].denominator,
    )
    assert coverage["meta"]["rate"] == figures["term_coverage"].value
    assert coverage["meta"]["target"] == term_time_share(world.term1, ON)

    by_category = chart(client, world.body1, "problems_by_category").json()
    assert sum(m["value"] for m in by_category["marks"]) == figures["problems_found"].value == 2
    by_round = chart(client, world.body1, "problems_by_round").json()
    assert [m["value"] for m in by_round["marks"]] == [1, 1]

    clues = marks(chart(client, world.body1, "clues").json())
    table = clue_results_by_department(world.body1, world.term1, ON)
    for series in ("transferred", "fed_back", "overdue"):
        assert sum(m["value"] for (s, _k), m in clues.items() if s == series) == sum(
            row[series] for row in table.values()
        )

    consequences = marks(chart(client, world.body1, "consequences").json())
    assert consequences[("interviews", "interviews")]["value"] == figures["interviews"].value == 1
    assert consequences[("accountability", "accountability_admonishment")]["value"] == 1
    assert (
        consequences[("self_criticisms", "self_criticisms_due")]["value"]
        == figures["self_criticisms_due"].value
    )

    grassroots = marks(chart(client, world.body1, "grassroots").json())
    whole = grassroots[("", str(world.d1.pk))]
    assert (whole["numerator"], whole["denominator"]) == (
        figures["grassroots_coverage"].numerator,
        figures["grassroots_coverage"].denominator,
    )
    # each area's bar counts the villages and communities of that area alone (read in one query): the
    # first street's community is not inspected, one of the second street's two is
    by_area = {
        p.name: grassroots[("", str(p.pk))] for p in areas(world.body1, ON) if ("", str(p.pk)) in grassroots
    }
    assert {name: (m["numerator"], m["denominator"]) for name, m in by_area.items()} == {
        "和平区劝业场街道党工委": (0, 1),
        "和平区小白楼街道党工委": (1, 2),
    }
    assert (whole["numerator"], whole["denominator"]) == (1, 3)
    for place in areas(world.body1, ON):
        mark = by_area[place.name]
        counts = (grassroots_inspected(place, ON).count(), grassroots_all(place, ON).count())
        assert (mark["numerator"], mark["denominator"]) == counts

    overdue = chart(client, world.body1, "overdue_tasks").json()
    # the task's deadline 2024-07-31 passed 153 days before the reference date, not completed
    assert [m["value"] for m in overdue["marks"]] == [0, 0, 1, 0]

    rates = marks(chart(client, world.body1, "rates").json())
    assert rates[("", "0")]["value"] == figures["organizations_fed_back"].value == 1
    assert rates[("below", "below")]["value"] == figures["organizations_below_threshold"].value

    timeline = chart(client, world.body1, "timeline").json()
    assert [m["label"] for m in timeline["marks"]] == ["第1轮", "第2轮"]


def test_the_city_sees_its_districts_on_the_map(client, worked):
    world, _rect = worked
    client.force_login(make_user("city-office", Role.OFFICE_STAFF, world.root, world.city_body))
    data = chart(client, world.city_body, "areas").json()
    assert data["meta"]["map"] == "tianjin"
    assert data["title"] == "各区覆盖情况"
    assert {m["region"] for m in data["marks"]} == {"和平区", "河西区"} <= set(map_regions())
    heping = next(m for m in data["marks"] if m["region"] == "和平区")
    figure = body_figures(world.body1, world.term1, ON)["term_coverage"]
    assert (heping["numerator"], heping["denominator"], heping["value"]) == (
        figure.numerator,
        figure.denominator,
        figure.value,
    )
    assert heping["url"].startswith(f"/analytics/bodies/{world.body1.pk}/figures/term_coverage/")


def test_a_jurisdiction_without_a_map_gets_a_tree_map(client, worked):
    world, _rect = worked
    client.force_login(world.users[Role.LEADER])
    data = chart(client, world.body1, "areas").json()
    assert data["meta"]["map"] == ""
    assert [m["label"] for m in data["marks"]] == ["和平区劝业场街道党工委"]
    assert data["title"] == "各街道（乡镇）覆盖情况"  # its areas are streets, not districts


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.LEADER, 200), (Role.OFFICE_STAFF, 200), (Role.GROUP_MEMBER, 403), (Role.LIAISON, 403)],
)
def test_the_charts_are_for_the_statistics_scope(client, world, role, status):
    client.force_login(world.users[role])
    assert chart(client, world.body1, "coverage").status_code == status
    if status == 200:  # 河西 lies outside a 和平 user's scope
        assert chart(client, world.body2, "coverage").status_code == 404
        assert chart(client, world.body1, "coverage", term=world.term2.pk).status_code == 404


@pytest.mark.parametrize(
    ("path", "params", "word"),
    [
        ("{body}/coverage", {"date": "2024-13-45"}, "参考日期"),
        ("{body}/coverage", {"date": "yesterday"}, "参考日期"),
        ("{body}/coverage", {"term": "x1"}, "届次"),
        ("12x/coverage", {}, "机构"),
    ],
)
def test_bad_parameters_are_refused_in_chinese(client, world, path, params, word):
    client.force_login(world.users[Role.LEADER])
    response = client.get("/api/cockpit/bodies/" + path.format(body=world.body1.pk), params)
    assert response.status_code == 400
    assert word in response.json()["detail"]


def test_the_cockpit_page_and_the_home_pages(client, worked):
    world, _rect = worked
    client.force_login(world.users[Role.LEADER])
    page = client.get("/analytics/cockpit/", {"date": "2024-12-31"})
    html = page.content.decode()
    assert page.status_code == 200 and "和平区委巡察办" in html
    assert html.count('data-chart="') == len(CHARTS)
    assert 'src="/static/lijian/cockpit.js"' in html and "<script>" not in html
    rankings = client.get("/analytics/cockpit/", {"tab": "rankings"}).content.decode()
    assert rankings.count('data-chart="') == len(RANKINGS)
    assert client.get("/analytics/cockpit/", {"tab": "x"}).status_code == 400
    assert client.get("/analytics/cockpit/", {"date": "2024-02-30"}).status_code == 400

    home = client.get("/").content.decode()
    assert 'id="home-cockpit"' in home and home.count('data-chart="') == len(CHARTS)
    assert 'id="home-work-queue"' not in home
    client.force_login(world.users[Role.OFFICE_STAFF])
    home = client.get("/").content.decode()
    assert 'id="home-cockpit"' in home and 'id="home-work-queue"' in home
    assert 0 < home.count('data-chart="') < len(CHARTS)
    client.force_login(world.users[Role.GROUP_MEMBER])
    assert 'id="home-cockpit"' not in client.get("/").content.decode()
    assert client.get("/analytics/cockpit/").status_code == 403


def test_a_mark_of_another_chart_or_body_is_not_listed(client, worked):
    world, _rect = worked
    client.force_login(world.users[Role.LEADER])
    base = f"/analytics/bodies/{world.body1.pk}/cockpit"
    assert client.get(f"{base}/coverage/remaining/", {"date": "2024-12-31"}).status_code == 200
    assert client.get(f"{base}/coverage/nothing/").status_code == 404
    assert client.get(f"{base}/nothing/remaining/").status_code == 404
    other = f"/analytics/bodies/{world.body2.pk}/cockpit/coverage/remaining/"
    assert client.get(other).status_code == 404


def test_the_rankings_are_the_rates_and_counts_of_the_selectors(client, worked):
    from lijian.rectification.rates import rates_by_organization

    world, rect = worked
    client.force_login(world.users[Role.OFFICE_STAFF])
    rates = rates_by_organization(world.body1, world.term1, ON)
    ranked = chart(client, world.body1, "rank_rates").json()["marks"]
    assert [(int(m["key"]), m["value"], m["numerator"], m["denominator"]) for m in ranked] == [
        (
            org,
            r["implementation_rate"].value,
            r["implementation_rate"].numerator,
            r["implementation_rate"].denominator,
        )
        for org, r in rates.items()
    ]
    overdue = chart(client, world.body1, "rank_overdue").json()["marks"]
    assert [(m["label"], m["value"]) for m in overdue] == [("和平区劝业场街道党工委", 1)]
    per_inspection = chart(client, world.body1, "rank_problems_per_inspection").json()["marks"]
    # the street: inspected in both rounds, one problem found in each
    assert [(m["value"], m["numerator"], m["denominator"]) for m in per_inspection] == [(1.0, 2, 2)]
    by_round = marks(chart(client, world.body1, "trend_rounds").json())
    assert [m["value"] for (s, _k), m in by_round.items() if s == "problems"] == [1, 1]
    by_year = marks(chart(client, world.body1, "trend_years").json())
    figures = body_figures(world.body1, world.term1, ON)
    assert by_year[("problems", "problems-2024")]["value"] == figures["problems_found"].value
    assert by_year[("clues", "clues-2024")]["value"] == figures["clues_transferred"].value


def test_the_office_home_shows_its_work_queue_counts(client, worked):
    from django.utils import timezone

    from lijian.rectification.selectors import work_queue

    world, _rect = worked
    office = world.users[Role.OFFICE_STAFF]
    client.force_login(office)
    queue = client.get("/").context["cockpit"]["queue"]
    assert [(key, count) for key, _label, count in queue] == [
        (key, items.count()) for key, items in work_queue(office, timezone.localdate()).items()
    ]
    assert any(count for _key, _label, count in queue)  # the task awaiting acceptance


@pytest.mark.parametrize("day", ["9999-12-31", "tomorrow", "1900-01-01", "day before the term"])
def test_a_reference_date_after_today_or_before_the_term_is_refused(client, world, day):
    from django.utils import timezone

    today = timezone.localdate()
    day = {
        "tomorrow": (today + datetime.timedelta(days=1)).isoformat(),
        "day before the term": (world.term1.start - datetime.timedelta(days=1)).isoformat(),
    }.get(day, day)
    word = "晚于今天" if day > today.isoformat() else "早于"
    client.force_login(world.users[Role.LEADER])
    api = chart(client, world.body1, "coverage", date=day)
    assert api.status_code == 400 and word in api.json()["detail"] and day in api.json()["detail"]
    page = client.get("/analytics/cockpit/", {"date": day})
    assert page.status_code == 400 and word in page.content.decode()
    records = client.get(f"/analytics/bodies/{world.body1.pk}/cockpit/coverage/remaining/", {"date": day})
    assert records.status_code == 400
    # the term's first day and today are the bounds, both shown
    for bound in (world.term1.start.isoformat(), today.isoformat()):
        assert chart(client, world.body1, "coverage", date=bound).status_code == 200
        assert client.get("/analytics/cockpit/", {"date": bound}).status_code == 200


def test_switching_the_body_keeps_the_cockpit_on_the_new_bodys_term(client, worked):
    """The form carries the term of the body shown before: the chosen body's own term on the date is
    shown, with a word saying so, instead of a page that does not exist."""
    world, _rect = worked
    client.force_login(make_user("city-office", Role.OFFICE_STAFF, world.root, world.city_body))
    city_term = world.city_body.terms.get()
    page = client.get(
        "/analytics/cockpit/",
        {"body": world.body1.pk, "term": city_term.pk, "date": "2024-12-31", "tab": "overview"},
    )
    assert page.status_code == 200
    assert page.context["body"] == world.body1 and page.context["term"] == world.term1
    assert "所选届次不是和平区委巡察办的届次" in page.content.decode()
    # a term that no longer exists is replaced the same way
    assert client.get("/analytics/cockpit/", {"body": world.body1.pk, "term": 10**6}).status_code == 200
