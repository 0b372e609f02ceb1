"""Reading the site: tables, charts, dark mode, accessibility in interaction, reader aids, print and offline,
in Debian's Chromium at a desktop (1366×900) and a phone (390×844) size, in the light and dark schemes.

Like tests/test_browser.py these skip when Chromium is missing, except where REQUIRE_BROWSER=1 (CI),
where they fail.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import require_chromium
from tests.test_browser import WCAG

pytestmark = pytest.mark.browser

require_chromium()

from playwright.sync_api import Browser, BrowserContext, Page, expect  # noqa: E402

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
SIZES = {"desktop": DESKTOP, "phone": PHONE}
SCHEMES = ("light", "dark")
STATES = [(size, scheme) for size in SIZES for scheme in SCHEMES]
IDS = [f"{size}-{scheme}" for size, scheme in STATES]


class Tab:
    """A browser context and its page that fail the test on a console error or a request off 127.0.0.1."""

    def __init__(self, browser: Browser, size: str, scheme: str) -> None:
        self.context: BrowserContext = browser.new_context(viewport=SIZES[size], color_scheme=scheme)  # type: ignore[arg-type]
        self.page: Page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def close(self) -> None:
        outside = [u for u in self.requests if not u.startswith(("http://127.0.0.1", "data:", "blob:"))]
        self.context.close()
        assert outside == [], f"requests left the site: {outside}"
        assert self.errors == [], f"console errors: {self.errors}"


def open_tab(browser: Browser, size: str = "desktop", scheme: str = "light") -> Iterator[Page]:
    tab = Tab(browser, size, scheme)
    yield tab.page
    tab.close()


@pytest.fixture
def desktop(browser: Browser) -> Iterator[Page]:
    yield from open_tab(browser, "desktop")


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    yield from open_tab(browser, "phone")


def axe(page: Page) -> list[tuple[str, list[Any]]]:
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page, options=WCAG).response["violations"]
    return [(v["id"], [(n["target"], n.get("failureSummary", "")[:160]) for n in v["nodes"]][:3]) for v in violations]


def open_search(page: Page, query: str, phone: bool) -> None:
    """Open search as a reader does (the search button on a phone, "/" on a desktop) and type a query."""
    if phone:
        page.locator("button.md-header__button[data-toggle='__search']").click()
    else:
        page.keyboard.press("/")
    field = page.locator("input.md-search__input")
    expect(field).to_be_focused()
    field.press_sequentially(query, delay=20)
    expect(page.locator(".md-search-result__item").first).to_be_visible(timeout=15_000)


# --- Accessibility in interaction ---------------------------------------------------------------------------

AT_REST = ["", "facts/supply/", "data/", "sources/", "elements/", "questions/what-are-rare-earth-elements/"]


@pytest.mark.parametrize(("size", "scheme"), STATES, ids=IDS)
def test_axe_finds_nothing_at_rest_with_search_open_a_tooltip_open_and_a_focused_marker(
    browser: Browser, real_server: str, size: str, scheme: str
) -> None:
    for page in open_tab(browser, size, scheme):
        found: dict[str, Any] = {}
        for path in AT_REST:
            page.goto(real_server + path)
            assert page.evaluate("document.body.dataset.mdColorScheme") == ("slate" if scheme == "dark" else "default")
            found[f"/{path}"] = axe(page)
        page.goto(real_server)
        open_search(page, "dysprosium", size == "phone")
        page.locator(".md-search-result__item a").first.hover()
        found["search open"] = axe(page)
        page.goto(real_server + "facts/supply/")
        marker = page.locator(".fact-title ~ p .cite-ref").nth(2)
        marker.focus()
        expect(page.locator(".cite-ref:focus + .cite-tip")).to_be_visible()
        page.wait_for_timeout(400)  # the theme's header fades its tabs out on scrolling: let it finish
        found["marker focused, its tooltip open"] = axe(page)
        if size == "desktop":
            page.mouse.move(0, 0)
            marker.blur()
            page.locator(".fact-title ~ p .cite-ref").nth(4).hover()
            expect(page.locator(".cite:hover .cite-tip")).to_be_visible()
            page.wait_for_timeout(400)
            found["marker hovered, its tooltip open"] = axe(page)
        assert {state: v for state, v in found.items() if v} == {}


@pytest.mark.parametrize("size", list(SIZES))
def test_no_invisible_tab_stops_while_search_is_closed(browser: Browser, real_server: str, size: str) -> None:
    """Tab from the top: the closed search's result box (and on a phone its off-screen form) takes no stop;
    the palette switch's radio is named (no aria-hidden on a focusable element) and its label shows the focus."""
    for page in open_tab(browser, size):
        page.goto(real_server + "facts/supply/")
        stops = []
        for _ in range(8):
            page.keyboard.press("Tab")
            stops.append(
                page.evaluate(
                    """() => { const e = document.activeElement; const r = e.getBoundingClientRect();
                    const label = e.matches('.md-option') ? e.nextElementSibling.getBoundingClientRect() : r;
                    return {cls: e.className, visible: label.width > 0 && label.height > 0 && r.bottom > 0
                      && r.right > 0 && r.left < innerWidth, hidden: e.getAttribute('aria-hidden'),
                      name: e.getAttribute('aria-label')}; }"""
                )
            )
        assert not any("md-search__scrollwrap" in s["cls"] for s in stops), stops
        assert all(s["visible"] for s in stops), stops
        palette = [s for s in stops if "md-option" in s["cls"]]
        assert palette and palette[0]["hidden"] is None and palette[0]["name"] == "Switch to dark mode"
        if size == "phone":
            assert not any("md-search__input" in s["cls"] for s in stops), stops


def tab_to(page: Page, name: str) -> None:
    """Press Tab from the top of the page until the control named `name` has the focus."""
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('aria-label')") == name:
            return
    raise AssertionError(f"Tab never reached the control named {name!r}")


def test_the_header_menu_and_search_buttons_work_from_the_keyboard_on_a_phone(phone: Page, real_server: str) -> None:
    phone.goto(real_server + "facts/supply/")
    menu = phone.get_by_role("button", name="Menu", exact=True)
    search = phone.get_by_role("button", name="Search", exact=True)
    drawer = phone.locator("nav.md-nav--primary")
    expect(menu).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "false")
    tab_to(phone, "Menu")
    expect(menu).to_be_focused()
    phone.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    phone.wait_for_timeout(400)  # the drawer slides in
    box = drawer.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    expect(drawer.get_by_role("link").first).to_be_visible()
    assert axe(phone) == []
    phone.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_focused()
    phone.wait_for_timeout(400)
    box = drawer.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 0, box
    # The menu button closes it too.
    phone.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    phone.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "false")

    phone.goto(real_server + "facts/supply/")
    tab_to(phone, "Search")
    expect(search).to_be_focused()
    phone.keyboard.press("Enter")
    field = phone.locator("input.md-search__input")
    expect(field).to_be_focused()
    expect(field).to_be_visible()
    expect(search).to_have_attribute("aria-expanded", "true")
    phone.keyboard.type("Busan")
    expect(phone.locator(".md-search-result__item").first).to_be_visible(timeout=15_000)
    assert axe(phone) == []
    phone.keyboard.press("Escape")
    expect(field).to_be_hidden()
    expect(search).to_have_attribute("aria-expanded", "false")


def test_search_keys_still_open_search_on_a_phone(phone: Page, real_server: str) -> None:
    phone.goto(real_server)
    phone.keyboard.press("/")
    expect(phone.locator("input.md-search__input")).to_be_focused()
    phone.keyboard.type("Busan")
    expect(phone.locator("input.md-search__input")).to_have_value("Busan")
    expect(phone.locator(".md-search-result__item").first).to_be_visible(timeout=15_000)


def test_bibtex_block_is_focusable_and_named(desktop: Page, real_server: str) -> None:
    desktop.goto(real_server + "facts/supply/")
    box = desktop.locator(".cite-this").first
    box.locator("summary").click()
    bibtex = box.locator("pre.cite-bibtex")
    expect(bibtex).to_have_attribute("tabindex", "0")
    expect(bibtex).to_have_accessible_name("BibTeX")
    bibtex.focus()
    expect(bibtex).to_be_focused()


def test_titles_in_another_script_carry_their_language(desktop: Page, real_server: str) -> None:
    desktop.goto(real_server + "sources/")
    marked = desktop.locator("h2 span[lang^='zh']").first
    expect(marked).to_have_text(re.compile(r"^商务部"))
    heading = marked.locator("xpath=ancestor::h2")
    assert heading.evaluate("h => h.firstChild.textContent").startswith("Ministry of Commerce")


# --- Dark mode ------------------------------------------------------------------------------------------------


def test_the_scheme_follows_the_system_and_the_toggle_switches_it(browser: Browser, real_server: str) -> None:
    for page in open_tab(browser, "desktop", "dark"):
        page.goto(real_server)
        assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
        page.locator("label.md-header__button[title='Switch to light mode']").click()
        assert page.evaluate("document.body.dataset.mdColorScheme") == "default"
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background == "rgb(255, 255, 255)"
    for page in open_tab(browser, "desktop", "light"):
        page.goto(real_server)
        assert page.evaluate("document.body.dataset.mdColorScheme") == "default"


# --- Tables ---------------------------------------------------------------------------------------------------


def cells(page: Page, selector: str) -> list[dict[str, str]]:
    return page.locator(selector).evaluate_all(
        """cells => cells.map(c => { const s = getComputedStyle(c);
        return {text: c.textContent.trim(), align: s.textAlign, left: s.paddingLeft, top: s.paddingTop,
                border: s.borderTopWidth}; })"""
    )


@pytest.mark.parametrize("size", list(SIZES))
def test_tables_have_the_theme_padding_and_right_aligned_numbers(browser: Browser, real_server: str, size: str) -> None:
    for page in open_tab(browser, size):
        page.goto(real_server + "facts/supply/")
        figures = page.locator("#china-mining-share ~ .figures").first
        expect(figures.locator(".md-typeset__table table")).to_be_attached()  # the theme's wrapper: scrolls on phones
        rows = cells(page, "#china-mining-share ~ .figures >> nth=0 >> td")
        assert rows and all(float(c["left"].removesuffix("px")) >= 8 for c in rows), rows
        numbers = cells(page, "#china-mining-share ~ .figures >> nth=0 >> td.num")
        assert numbers and {c["align"] for c in numbers} == {"right"}
        years = [c["text"] for c in numbers[0::2]]
        assert years == ["2024", "2023", "year not stated", "2023"]
        page.goto(real_server)
        coverage = cells(page, ".coverage-table td")
        assert all(float(c["left"].removesuffix("px")) >= 8 for c in coverage)
        assert {c["align"] for c in cells(page, ".coverage-table td.num")} == {"right"}
        page.goto(real_server + "data/")
        headers = page.locator(".dataset thead th").all_text_contents()
        assert headers[0] == "Country"
        data = cells(page, ".dataset td.num")
        assert {c["align"] for c in data} == {"right"} and float(data[0]["top"].removesuffix("px")) >= 8
        world = page.locator(".dataset tr.total th")
        expect(world).to_have_text("World (rounded)")


# --- Charts ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("size", "scheme"), STATES, ids=IDS)
def test_charts_are_legible_at_phone_width_and_in_the_dark(
    browser: Browser, real_server: str, size: str, scheme: str
) -> None:
    from PIL import Image

    for page in open_tab(browser, size, scheme):
        page.goto(real_server + "data/")
        chart = page.locator("figure.chart img").first
        chart.scroll_into_view_if_needed()
        expect(chart).to_be_visible()
        page.wait_for_function("document.querySelector('figure.chart img').complete")
        box = chart.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= SIZES[size]["width"]
        # Drawn 538 px wide, the chart is shown at its size on a desktop and scaled little on a phone.
        assert box["width"] >= (340 if size == "phone" else 538), box
        image = Image.open(io.BytesIO(chart.screenshot())).convert("L")
        histogram = image.histogram()
        pixels = sum(histogram)
        light, dark = sum(histogram[235:]), sum(histogram[:90])
        assert light / pixels > 0.6, "the chart's background is not light in this scheme"
        assert dark / pixels > 0.01, "no dark text on the chart"
        caption = page.locator("figure.chart figcaption").first
        expect(caption).to_contain_text("Not drawn, so that the other bars keep their scale: World (rounded)")
        expect(caption).to_contain_text("2024: 390,000 t REO")


# --- Reader aids ------------------------------------------------------------------------------------------------


def test_key_numbers_box_gives_each_figure_with_year_and_citation(desktop: Page, real_server: str) -> None:
    desktop.goto(real_server)
    box = desktop.locator("aside.key-numbers")
    expect(box).to_have_accessible_name("Key numbers")
    items = box.locator("li")
    assert items.count() >= 2
    for index in range(items.count()):
        item = items.nth(index)
        expect(item.locator(".key-value")).not_to_be_empty()
        expect(item.locator(".cite-ref")).to_have_count(1)
        assert re.search(r", (\d{4}|year not stated)\.", item.inner_text())
        href = str(item.locator(".key-label > a").get_attribute("href"))
        assert re.match(r"^facts/[a-z-]+/#[a-z0-9-]+$", href), href
    expect(items.first).to_contain_text("69% (270,000 of 390,000 t REO)")
    expect(box).to_contain_text("year not stated")


def test_reading_time_on_the_story_and_question_pages(desktop: Page, real_server: str) -> None:
    desktop.goto(real_server)
    story = desktop.locator(".story-as-of .reading-time")
    expect(story).to_have_text(re.compile(r"^\d+ min read$"))
    desktop.goto(real_server + "questions/what-are-rare-earth-elements/")
    expect(desktop.locator(".page-updated .reading-time")).to_have_text(re.compile(r"^\d+ min read$"))
    desktop.goto(real_server + "facts/supply/")
    expect(desktop.locator(".reading-time")).to_have_count(0)


def test_phone_table_of_contents_opens_and_leads_to_a_section(browser: Browser, real_server: str) -> None:
    for page in open_tab(browser, "phone"):
        page.goto(real_server)
        contents = page.locator("details.page-toc")
        expect(contents).to_be_visible()
        assert (contents.bounding_box() or {"y": 999})["y"] < 200, "not at the top of the page"
        link = contents.locator("a", has_text="How we got here")
        expect(link).to_be_hidden()
        contents.locator("summary").click()
        expect(link).to_be_visible()
        link.click()
        page.wait_for_url(re.compile(r"#how_we_got_here$"))
        expect(page.locator("#how_we_got_here")).to_be_in_viewport()
    for page in open_tab(browser, "desktop"):
        page.goto(real_server)
        expect(page.locator("details.page-toc")).to_be_hidden()
        expect(page.locator(".md-sidebar--secondary .md-nav__link", has_text="How we got here")).to_be_visible()


def test_footer_names_the_publisher_licence_and_contact(desktop: Page, server: str) -> None:
    desktop.goto(server)
    colophon = desktop.locator(".md-copyright .site-colophon")
    expect(colophon).to_have_text(
        "Published by Test desk. Text licensed under CC BY 4.0. Write to the test desk.", use_inner_text=True
    )
    expect(colophon.locator("a[rel='license']")).to_have_attribute(
        "href", "https://creativecommons.org/licenses/by/4.0/"
    )
    expect(colophon.locator("a", has_text="Write to the test desk")).to_have_attribute(
        "href", "mailto:desk@example.org"
    )


def test_print_shows_reference_urls_and_hides_navigation(desktop: Page, real_server: str) -> None:
    desktop.goto(real_server + "facts/supply/")
    desktop.emulate_media(media="print")
    after = desktop.locator(".references a[href^='http']").first.evaluate(
        "a => [getComputedStyle(a, '::after').content, a.href]"
    )
    assert after[0] == f'" <{after[1]}>"'
    for hidden in (".md-header", ".md-sidebar--primary", ".md-footer", ".md-search"):
        assert desktop.locator(hidden).first.evaluate("e => getComputedStyle(e).display") == "none", hidden
    cite = desktop.locator("details.cite-this").first
    expect(cite.locator("summary")).to_be_visible()
    expect(cite.locator(".cite-text")).to_be_hidden()
    desktop.emulate_media(media="screen")
    assert desktop.locator(".md-header").evaluate("e => getComputedStyle(e).display") != "none"


def test_a_visited_page_opens_again_offline(browser: Browser, real_server: str) -> None:
    for page in open_tab(browser, "phone"):
        page.goto(real_server)
        page.wait_for_function("navigator.serviceWorker.controller !== null")
        page.goto(real_server + "facts/supply/")
        title = page.locator("h1").inner_text()
        page.context.set_offline(True)
        page.reload()
        expect(page.locator("h1")).to_have_text(title)
        # The first page, loaded before the worker took control, was kept too, with its style sheets.
        page.goto(real_server)
        expect(page.locator("aside.key-numbers")).to_be_visible()
        assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
        page.context.set_offline(False)
        scope = page.evaluate("navigator.serviceWorker.controller.scriptURL")
        assert scope == real_server + "sw.js"


@pytest.mark.parametrize("scheme", SCHEMES)
def test_a_permalink_target_is_highlighted(browser: Browser, real_server: str, scheme: str) -> None:
    for page in open_tab(browser, "desktop", scheme):
        page.goto(real_server + "facts/supply/#china-mining-share")
        target = page.locator("#china-mining-share")
        expect(target).to_be_in_viewport()
        marked = target.evaluate("e => getComputedStyle(e).backgroundColor")
        other = page.locator("#china-mine-production-2024").evaluate("e => getComputedStyle(e).backgroundColor")
        assert other == "rgba(0, 0, 0, 0)" and marked != other, (marked, other)
