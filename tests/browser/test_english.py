"""The pages of issue 13 (文书, 主体责任, 指导督导) read in English at a laptop's width: the top menu
stays on one row, and no Chinese is left in the page's own words (headings, column headers, labels,
buttons, statuses); what users typed (names, titles) may stay Chinese. The menu also stays on one
row in Chinese at the same width, and collapses behind its toggler on a phone."""

import re

from lijian.accounts.choices import Role

from ..world import PASSWORD, build_governance, build_world
from ..world_guidance import build_guidance

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")

# The page's own words: the menu (bar the user's name), headings, tabs, column headers, labels,
# buttons and statuses. Data (table cells, titles typed by users, the document's own text) is apart.
CHROME = (
    "nav.navbar a, nav.navbar button:not(#user-menu), nav.navbar .dropdown-item, main .nav-tabs, "
    "main th, main label, main button, main summary, main .badge, main dt, main legend, main .form-text, "
    "main h2, main h3, main .alert, main .instruction-status, main #assessment-scope"
)
PAPER = "#document-paper"  # the official document itself is Chinese whatever the reader's language

CHROME_TEXTS = f"""() => Array.from(document.querySelectorAll({CHROME!r}))
    .filter(e => !e.closest({PAPER!r}))
    .map(e => e.innerText.replace(/\\s+/g, " ").trim())
    .filter(t => t)"""

# The menu's entries (and 更多 when some are under it) as laid out: one row means one top.
MENU_ROWS = """() => new Set(Array.from(document.querySelectorAll(
    "#lj-menu > li:not(.d-none), #lang-form, #nav-notices, #user-menu"))
    .map(e => Math.round(e.getBoundingClientRect().top + e.getBoundingClientRect().height / 2))).size"""


def _pages(governance, guidance) -> list[str]:
    return [
        "/documents/official/",
        "/documents/official/new/",
        "/governance/meetings/",
        f"/governance/meetings/{governance.meeting1.pk}/",
        "/governance/instructions/",
        "/governance/regulations/",
        f"/governance/regulations/{governance.regulation1.pk}/",
        "/governance/exposures/",
        f"/governance/exposures/{governance.exposure1.pk}/",
        "/guidance/",
        "/guidance/reviews/",
        f"/guidance/reviews/{guidance.review1.pk}/",
        "/guidance/self-inspections/",
        f"/guidance/self-inspections/{guidance.self_inspection1.pk}/",
        "/guidance/assessments/",
        f"/guidance/assessments/{guidance.assessment1.pk}/",
    ]


def _switch_language(p, code: str) -> None:
    p.select_option("#lang-form select", code)
    p.wait_for_selector(f"html[lang={code}]")


def _one_row(p) -> bool:
    return p.evaluate(MENU_ROWS) == 1 and p.locator("nav.navbar").bounding_box()["height"] < 70


def test_new_pages_in_english_keep_a_one_row_menu_and_no_chinese_chrome(page, transactional_db):
    world = build_world()
    governance, guidance = build_governance(world), build_guidance(world)
    p = page.page
    p.set_viewport_size({"width": 1280, "height": 800})
    page.login(world.users[Role.OFFICE_STAFF].username, PASSWORD)

    # In Chinese every area the office may open fits on the row at this width.
    assert _one_row(p)
    assert p.locator("#lj-menu-more").is_hidden()
    areas = p.locator("#lj-menu [data-menu-item]").count()
    assert areas >= 8

    _switch_language(p, "en")
    leftovers = {}
    for path in _pages(governance, guidance):
        response = page.go(path)
        assert response.status == 200, path
        assert _one_row(p), path
        chinese = [text for text in p.evaluate(CHROME_TEXTS) if CJK.search(text)]
        if chinese:
            leftovers[path] = chinese
    assert leftovers == {}
    page.shot("40-english-regulation")

    # No area is lost in English: those that did not fit are under More, which opens on a click and
    # is marked as the current area when the page belongs to one of them.
    page.go("/governance/meetings/")
    more = p.locator("#lj-menu-more")
    under_more = more.locator(".dropdown-menu [data-menu-item]").count()
    assert p.locator("#lj-menu > [data-menu-item]").count() + under_more == areas
    if under_more:
        more.locator("button").click()
        assert more.locator(".dropdown-menu").is_visible()
        governance_under_more = more.locator(".dropdown-menu a >> text=Governance").count() == 1
        assert (more.locator("button.active").count() == 1) == governance_under_more

    # On a phone the menu folds behind the toggler, every entry inside it, none under More.
    p.set_viewport_size({"width": 390, "height": 800})
    p.wait_for_function("document.getElementById('lj-menu-more').classList.contains('d-none')")
    assert p.locator(".navbar-toggler").is_visible()
    assert p.locator("#lj-menu").is_hidden()
    p.click(".navbar-toggler")
    p.wait_for_selector("#lj-menu a >> text=Governance")
