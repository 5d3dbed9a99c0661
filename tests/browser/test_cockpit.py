"""The cockpit (驾驶舱) in a browser: the city office clicks a district on the map of Tianjin, a leader
finds the cockpit on the home page and clicks a bar and a pie slice; each click lands on the list of
the records the mark counts, as many as the mark says, with no console error on the way."""

import datetime
import itertools
import re

from lijian.accounts.choices import Role
from lijian.analytics.figures import body_figures

from ..analytics.tianjin_map import centroid
from ..world import (
    PASSWORD,
    admonish_street_director,
    build_findings,
    build_rectification,
    build_rounds,
    build_world,
    make_user,
)

ON = "2024-12-31"
A4_LANDSCAPE_PRINTABLE = 277 * 96 / 25.4  # px: 297 mm less two 10 mm margins


def _ready(p, keys):
    for key in keys:
        p.wait_for_selector(f'#chart-{key}[data-chart-state="ready"]')


def _click_at(p, key: str, script: str):
    """Click the pixel that ``script`` (a function of the chart, returning [x, y] in the chart box)
    picks in chart ``key``."""
    p.locator(f"#chart-{key}").scroll_into_view_if_needed()
    x, y = p.evaluate(f"() => ({script})(document.getElementById('chart-{key}').ljChart)")
    box = p.locator(f"#chart-{key}").bounding_box()
    p.mouse.click(box["x"] + x, box["y"] + y)


def _mark(p, key: str, index: int) -> dict:
    return p.evaluate(
        f"() => document.getElementById('chart-{key}').ljChart.getOption().series[0].data[{index}]"
    )


def _rows(p) -> int:
    return p.locator("#records tbody tr td:not([colspan])").evaluate_all(
        "cells => new Set(cells.map(c => c.parentElement)).size"
    )


def _world():
    world = build_world()
    rounds = build_rounds(world)
    findings = build_findings(world, rounds)
    build_rectification(world, rounds, findings)
    admonish_street_director(world)
    return world


def test_the_city_office_clicks_a_district_on_the_map(page, transactional_db):
    world = _world()
    city = make_user("city-office", Role.OFFICE_STAFF, world.root, world.city_body)
    p = page.page
    p.set_viewport_size({"width": 1920, "height": 1080})
    page.login(city.username, PASSWORD)
    page.go(f"/analytics/cockpit/?date={ON}")
    _ready(p, ["areas", "coverage", "grassroots", "timeline"])
    assert "市委巡视办" in p.locator("h1").inner_text()
    page.shot("60-cockpit")

    # 和平区 is a few pixels on the whole city's map: it is clicked where it is drawn larger beside
    # it (the central districts), at the centre of its shape, and its neighbours do not take the click.
    inset = p.evaluate("() => document.getElementById('chart-areas').ljChart.getOption().series[1].map")
    assert inset == "tianjin-centre"
    # The map carries no map review number (审图号): it says it is a schematic.
    texts = p.evaluate(
        "() => document.getElementById('chart-areas').ljChart.getOption().graphic[0].elements"
        ".map(e => e.style && e.style.text)"
    )
    assert "示意图" in texts and "市内六区" in texts
    _click_at(p, "areas", f"c => c.convertToPixel({{seriesIndex: 1}}, {centroid('和平区')})")
    p.wait_for_url(re.compile(rf"/analytics/bodies/{world.body1.pk}/figures/term_coverage/"))
    figure = body_figures(world.body1, world.term1, datetime.date(2024, 12, 31))["term_coverage"]
    assert f"{figure.numerator} / {figure.denominator}" in p.locator("h1").inner_text()
    assert _rows(p) == figure.numerator


def test_a_leader_opens_the_cockpit_and_clicks_a_bar_and_a_slice(page, transactional_db):
    world = _world()
    p = page.page

    page.login(world.users[Role.LEADER].username, PASSWORD)
    p.wait_for_selector("#home-cockpit")
    _ready(p, ["coverage", "problems_by_category"])  # the home page is the cockpit of the leader's scope

    page.go(f"/analytics/cockpit/?body={world.body1.pk}&date={ON}")
    _ready(p, ["problems_by_round", "problems_by_category", "areas"])
    bar = _mark(p, "problems_by_round", 1)
    _click_at(p, "problems_by_round", "c => c.convertToPixel({seriesIndex: 0}, [1, 0.5])")
    p.wait_for_url(re.compile(r"/cockpit/problems_by_round/"))
    assert int(p.locator("#records-count").inner_text()) == bar["value"] == _rows(p) == 1

    p.go_back()
    _ready(p, ["problems_by_category"])
    slice_ = _mark(p, "problems_by_category", 0)
    _click_at(
        p,
        "problems_by_category",
        """c => {
          const l = c.getModel().getSeriesByIndex(0).getData().getItemLayout(0);
          const a = (l.startAngle + l.endAngle) / 2;
          return [l.cx + Math.cos(a) * l.r * 0.6, l.cy + Math.sin(a) * l.r * 0.6];
        }""",
    )
    p.wait_for_url(re.compile(r"/cockpit/problems_by_category/"))
    assert int(p.locator("#records-count").inner_text()) == slice_["value"] == _rows(p) == 2

    # Each chart saves as a PNG from its toolbox's button (top right of the chart).
    page.go(f"/analytics/cockpit/?body={world.body1.pk}&date={ON}")
    _ready(p, ["coverage"])
    with p.expect_download() as saved:
        _click_at(
            p,
            "coverage",
            "c => { const v = c.getViewOfComponentModel(c.getModel().getComponent('toolbox'));"
            " return [v.group.x, v.group.y]; }",  # the centre of its one button
        )
    # named by the body and the date as well as the chart, so that saved charts are told apart
    assert saved.value.suggested_filename.startswith(f"{world.body1.name}-{ON}-")
    assert saved.value.suggested_filename.endswith(".png")

    page.go(f"/analytics/cockpit/?body={world.body1.pk}&date={ON}&tab=rankings")
    _ready(p, ["rank_rates", "trend_rounds", "trend_years"])


def _printed_charts(p) -> list[dict]:
    return p.evaluate(
        """() => Array.from(document.querySelectorAll('[data-chart]')).map(el => {
          const box = el.parentElement.getBoundingClientRect(), c = el.querySelector('canvas');
          const r = c ? c.getBoundingClientRect() : box;
          return {key: el.dataset.chart, width: r.width, right: r.right, boxRight: box.right};
        })"""
    )


def _chart_sizes(p) -> dict[str, tuple[int, int]]:
    """Each chart's drawn width and its box's width (px)."""
    return p.evaluate(
        """() => Object.fromEntries(Array.from(document.querySelectorAll('[data-chart]'))
          .map(el => [el.dataset.chart, [el.ljChart.getWidth(), el.clientWidth]]))"""
    )


def test_the_cockpit_prints_within_an_a4_landscape_page(page, transactional_db):
    world = _world()
    city = make_user("city-office", Role.OFFICE_STAFF, world.root, world.city_body)
    p = page.page
    p.set_viewport_size({"width": 1920, "height": 1080})
    page.login(city.username, PASSWORD)
    page.go(f"/analytics/cockpit/?date={ON}")
    _ready(p, ["areas", "coverage", "grassroots", "timeline"])
    # A headless print (no beforeprint): the print media query alone keeps each chart in its box.
    p.emulate_media(media="print")
    p.wait_for_selector(".lj-printing", state="attached")  # the print media query's change seen
    pdf = p.pdf(prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF")
    for chart in _printed_charts(p):
        assert chart["width"] <= A4_LANDSCAPE_PRINTABLE + 1, chart
        assert chart["right"] <= chart["boxRight"] + 1, chart  # never over the neighbour's box
    # A person's print: beforeprint redraws each chart at its printed size, afterprint back.
    p.emulate_media(media="screen")
    p.wait_for_function("() => !document.querySelector('.lj-printing')")
    p.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    on_screen = _chart_sizes(p)
    p.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    printed = _chart_sizes(p)
    for key, (drawn, box) in printed.items():
        assert drawn <= A4_LANDSCAPE_PRINTABLE + 1 and abs(drawn - box) <= 1, key
    assert printed["areas"][0] > on_screen["areas"][0]  # the map takes the printed page's width
    assert printed["coverage"][0] < on_screen["coverage"][0] * 1.5
    p.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
    assert _chart_sizes(p) == on_screen


def test_a_zero_bar_is_clicked_anywhere_in_its_band(page, transactional_db):
    world = _world()
    p = page.page
    page.login(world.users[Role.LEADER].username, PASSWORD)
    page.go(f"/analytics/cockpit/?body={world.body1.pk}&date={ON}")
    _ready(p, ["overdue_tasks"])
    assert _mark(p, "overdue_tasks", 0)["value"] == 0  # 1–30 days overdue: none
    # half-way up the plot, above where the bar would be: the band, not the bar, is clicked
    _click_at(
        p,
        "overdue_tasks",
        "c => { const r = c.getModel().getComponent('grid').coordinateSystem.getRect();"
        " return [c.convertToPixel({seriesIndex: 0}, [0, 0])[0], r.y + r.height / 2]; }",
    )
    p.wait_for_url(re.compile(r"/cockpit/overdue_tasks/1/"))
    assert int(p.locator("#records-count").inner_text()) == 0


ONE_SCREEN = {"width": 1920, "height": 1000}  # a 1920×1080 screen less the browser's own bars
LAPTOP = {"width": 1366, "height": 768}
SHORTEST_CHART = 150  # px: below it a chart's plot is a strip under its title and axis labels

# Each chart's drawn height and the pairs of its words (title, legend, axis and line labels) and save
# buttons whose boxes intersect. A slanted axis label is boxed upright, wider than it is, so two
# slanted labels are compared by the distance between their lines of text (10 px lines of 11 px).
LAYOUT = """() => {
  const boxed = el => { const r = el.getBoundingRect().clone(); r.applyTransform(el.getComputedTransform()); return r; };
  const charts = {};
  for (const el of document.querySelectorAll('[data-chart]')) {
    const chart = el.ljChart, words = [];
    chart.getZr().storage.getDisplayList(true).forEach(d => {
      if (d.invisible || !d.style || d.style.text == null || d.style.text === '') return;
      const m = d.getComputedTransform();
      words.push({text: String(d.style.text), box: boxed(d), slanted: !!(m && m[1]), m: m});
    });
    const toolbox = chart.getModel().getComponent('toolbox');
    chart.getViewOfComponentModel(toolbox).group.eachChild(icon => {
      if (icon.type === 'path' && !icon.invisible) words.push({text: '[save]', box: boxed(icon), slanted: false});
    });
    const overlaps = [];
    words.forEach((a, i) => words.slice(i + 1).forEach(b => {
      if (!(a.slanted && b.slanted) && a.box.intersect(b.box)) overlaps.push(a.text + ' × ' + b.text);
    }));
    const slanted = words.filter(w => w.slanted).sort((a, b) => a.m[4] - b.m[4]);
    slanted.slice(1).forEach((b, i) => {
      const a = slanted[i], along = Math.hypot(a.m[0], a.m[1]);
      const apart = Math.abs((b.m[4] - a.m[4]) * a.m[1] - (b.m[5] - a.m[5]) * a.m[0]) / along;
      if (apart < 11) overlaps.push(a.text + ' ≈ ' + b.text);
    });
    const note = el.parentElement.querySelector('[data-chart-note]:not([hidden])');
    const box = el.parentElement.getBoundingClientRect();
    charts[el.dataset.chart] = {height: chart.getHeight(), overlaps: overlaps,
      cut: words.filter(w => !w.slanted && /(\u2026|[.][.][.])$/.test(w.text)).map(w => w.text),
      box: [Math.round(box.left), Math.round(box.top), Math.round(box.width)],
      items: note ? [...note.querySelectorAll('li')].map(li => Math.round(li.getBoundingClientRect().width)) : [],
      note: note && [note.getBoundingClientRect().left - el.getBoundingClientRect().right, note.clientHeight]};
  }
  return {document: document.documentElement.scrollHeight, width: document.documentElement.scrollWidth, charts: charts};
}"""


def _switch_language(p, code: str) -> None:
    p.select_option("#lang-form select", code)
    p.wait_for_selector(f"html[lang={code}]")


def test_the_cockpit_is_one_screen_at_1920_by_1080_and_usable_on_a_laptop_in_both_languages(
    page, transactional_db
):
    world = _world()
    city = make_user("city-office", Role.OFFICE_STAFF, world.root, world.city_body)
    p = page.page
    page.login(city.username, PASSWORD)
    # the city's cockpit (the map of its districts) on both tabs; a district's (an organisation under
    # the threshold, listed beside the distribution of rates) on the first
    views = [(world.city_body, "overview"), (world.city_body, "rankings"), (world.body1, "overview")]
    listed = []
    for language in ("zh-hans", "en"):
        if language == "en":
            _switch_language(p, "en")
        for (body, tab), screen in itertools.product(views, (ONE_SCREEN, LAPTOP)):
            where = (language, body.code, tab, screen["width"])
            p.set_viewport_size(screen)
            page.go(f"/analytics/cockpit/?body={body.pk}&date={ON}&tab={tab}")
            p.wait_for_function(
                "() => [...document.querySelectorAll('[data-chart]')]"
                ".every(el => el.dataset.chartState === 'ready')"
            )
            layout = p.evaluate(LAYOUT)
            assert layout["width"] <= screen["width"], where  # no sideways scrolling
            if screen is ONE_SCREEN:
                assert layout["document"] <= screen["height"], where  # nothing below the fold
            for key, chart in layout["charts"].items():
                assert chart["height"] >= SHORTEST_CHART, (where, key, chart["height"])
                assert chart["overlaps"] == [], (where, key)
                if not key.startswith("rank_"):  # a label cut short though the chart has room for it
                    assert chart["cut"] == [], (where, key)
                if chart["note"]:  # the list beside the chart, as tall as its box, not under it
                    gap, height = chart["note"]
                    assert gap >= 0 and height >= SHORTEST_CHART, (where, key, chart["note"])
                    listed.append(where)
    assert len(listed) == 4  # the district's list, in each language on each screen
    # the office's home page has the cockpit's charts in narrower boxes beside its work queue: all four
    # in a row on the wide screen, two rows of two on the laptop, none alone on a row or squeezed
    for screen, per_row in ((ONE_SCREEN, 4), (LAPTOP, 2)):
        p.set_viewport_size(screen)
        page.go("/")
        p.wait_for_function(
            "() => [...document.querySelectorAll('[data-chart]')].every(el => el.dataset.chartState === 'ready')"
        )
        layout = p.evaluate(LAYOUT)
        assert layout["width"] <= screen["width"], ("home", screen["width"])
        rows = {}
        for key, chart in layout["charts"].items():
            where = ("home", screen["width"], key)
            assert chart["overlaps"] == [], where
            assert chart["cut"] == [], where
            assert chart["height"] >= SHORTEST_CHART, where
            assert chart["box"][2] >= 320, where  # no chart a strip (the rates were 168 px wide)
            # the organisations under the threshold read a line each, not a character a line
            assert all(width >= 250 for width in chart["items"]), (where, chart["items"])
            rows.setdefault(chart["box"][1], []).append(key)
        assert sorted(len(keys) for keys in rows.values()) == [per_row] * (4 // per_row), rows
    page.shot("61-cockpit-english")


def test_a_trend_point_of_the_second_line_opens_its_own_list(page, transactional_db):
    """Beside a point of the second line (clues), not on its symbol: the nearest line's point is
    opened, not the first line's (problems) in the same round."""
    world = _world()
    p = page.page
    page.login(world.users[Role.LEADER].username, PASSWORD)
    page.go(f"/analytics/cockpit/?body={world.body1.pk}&date={ON}&tab=rankings")
    _ready(p, ["trend_rounds"])
    series = p.evaluate(
        "() => document.getElementById('chart-trend_rounds').ljChart.getOption().series"
        ".map(s => s.data.map(d => d.value))"
    )
    index = next(i for i, (a, b) in enumerate(zip(series[0], series[1], strict=True)) if a != b)
    clue = series[1][index]
    _click_at(
        p,
        "trend_rounds",
        f"c => {{ const [x, y] = c.convertToPixel({{seriesIndex: 1}}, [{index}, {clue}]); return [x + 7, y]; }}",
    )
    p.wait_for_url(re.compile(r"/cockpit/trend_rounds/"))
    assert int(p.locator("#records-count").inner_text()) == clue == _rows(p)


def test_choosing_another_body_shows_its_cockpit(page, transactional_db):
    """The city office picks a district in the form: its cockpit opens on the district's own term."""
    world = _world()
    city = make_user("city-office", Role.OFFICE_STAFF, world.root, world.city_body)
    p = page.page
    page.login(city.username, PASSWORD)
    page.go(f"/analytics/cockpit/?date={ON}")
    _ready(p, ["coverage"])
    with p.expect_navigation():
        p.select_option("#cockpit-form select[name=body]", str(world.body1.pk))
    assert world.body1.name in p.locator("h1").inner_text()
    assert f"term={world.term1.pk}" in p.locator("#tab-rankings").get_attribute("href")
