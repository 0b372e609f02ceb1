"""What a reader sees: the built fixture site in Debian's Chromium, driven by Playwright.

These tests skip when Chromium is missing, except where REQUIRE_BROWSER=1 (CI), where they fail.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURE as FIXTURE_CONTENT
from tests.conftest import nu_html_errors, require_chromium, run, serve

pytestmark = pytest.mark.browser

require_chromium()

from playwright.sync_api import Browser, Page, expect  # noqa: E402


def test_hover_and_focus_reveal_source_and_quote(page: Page, server: str) -> None:
    page.goto(server + "facts/basics/")
    cite = page.locator("#alpha-fact ~ p .cite").first
    tip = cite.locator(".cite-tip")
    expect(tip).to_be_hidden()
    cite.locator(".cite-ref").hover()
    expect(tip).to_be_visible()
    expect(tip).to_contain_text("Test Survey, January 2025: Annual summary of test metals")
    expect(tip).to_contain_text("output was 100 t")
    page.mouse.move(0, 0)
    expect(tip).to_be_hidden()
    cite.locator(".cite-ref").focus()
    expect(tip).to_be_visible()
    cite.locator(".cite-ref").click()
    page.wait_for_url("**/facts/basics/#ref_1")
    expect(page.locator("li#ref_1")).to_contain_text("Annual summary of test metals")


PAGE_TYPES = [
    "",
    "questions/",
    "questions/what-are-rare-earth-elements/",
    "facts/",
    "facts/supply/",
    "timeline/",
    "elements/",
    "people/",
    "data/",
    "sources/",
    "corrections/",
    "changes/",
    "review/",  # claims past their review date at the build date above
    "method/",
    "downloads/",
    "editing/",  # the explainer's own page, from content/pages/
    "404.html",
]
# resultTypes: every violating node is still reported; passing nodes are no longer collected (faster).
WCAG = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


@pytest.mark.parametrize("path", PAGE_TYPES, ids=[p or "home" for p in PAGE_TYPES])
def test_page_types_pass_axe_and_fit_a_phone(page: Page, real_server: str, path: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page.goto(real_server + path)
    violations = Axe().run(page, options=WCAG).response["violations"]
    assert [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations] == []
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(real_server + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_keyboard_alone_reaches_a_citation(page: Page, real_server: str) -> None:
    page.goto(real_server + "facts/supply/")
    for _ in range(300):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('cite-ref')"):
            break
    else:
        pytest.fail("no citation marker is reachable with Tab")
    tip = page.locator(".cite-ref:focus + .cite-tip")
    expect(tip).to_be_visible()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"#ref_\d+$"))


def test_citation_tooltips_stay_on_a_phone_screen(page: Page, real_server: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(real_server + "facts/supply/")
    markers = page.locator(".cite-ref")
    for index in range(min(12, markers.count())):
        markers.nth(index).focus()
        box = page.locator(".cite-ref:focus + .cite-tip").bounding_box()
        assert box is not None
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, (index, box)
        assert box["y"] >= 0 and box["y"] + box["height"] <= 844, (index, box)


def test_chart_is_an_image_with_a_text_alternative_and_a_table(page: Page, real_server: str) -> None:
    page.goto(real_server + "data/")
    chart = page.locator("figure.chart img").first
    expect(chart).to_be_visible()
    assert "China" in str(chart.get_attribute("alt"))
    assert page.evaluate("document.querySelector('figure.chart img').naturalWidth") > 0
    expect(page.locator(".dataset table").first).to_contain_text("270,000")
    csv_link = page.locator("figure.chart figcaption a").first
    response = page.request.get(page.url + str(csv_link.get_attribute("href")))
    assert response.ok and response.text().startswith("label,"), response.status


def test_nu_html_checker_reports_no_errors(real_site: Path) -> None:
    assert nu_html_errors(real_site) == ""


def test_hostile_site_values_run_nothing_in_the_browser(browser: Browser, tmp_path: Path) -> None:
    """The fixture built with a site title and description that broke out of the theme's attributes, in Chromium:
    no dialog opens and no navigation happens while the reader tabs through and every element gets mouse and
    focus events."""
    from tests.test_safety import HOSTILE_DESCRIPTION, HOSTILE_TITLE, set_site

    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    set_site(content, title=HOSTILE_TITLE, description=HOSTILE_DESCRIPTION)
    result = run("build", "--content", str(content), "--site-dir", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    dialogs: list[str] = []
    for base in serve(tmp_path / "site"):
        page = browser.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        for path in ("", "facts/basics/", "404.html"):
            page.goto(base + path)
            for _ in range(25):
                page.keyboard.press("Tab")
            page.evaluate(
                """() => document.querySelectorAll("*").forEach((el) => {
                    for (const kind of ["mouseover", "mouseenter", "focus", "click"]) {
                        if (kind === "click" && el.closest("a")) continue;
                        el.dispatchEvent(new Event(kind, {bubbles: true}));
                    }
                })"""
            )
            page.wait_for_timeout(300)
            assert page.url == base + path, "the page navigated away by itself"
            assert page.title().endswith(HOSTILE_TITLE) or page.title() == HOSTILE_TITLE
        page.close()
    assert dialogs == []


STUB_PAGEFIND = """
const searched = []
export async function options() {}
export async function search(term, options) {
  searched.push(term + (options.filters ? " (items)" : ""))
  await new Promise(resolve => setTimeout(resolve, 20))
  const data = async () => ({ meta: { href: "/x/", title: searched.join("; ") }, excerpt: "" })
  return { results: [{ id: "x", score: 1, data }] }
}
"""
"""Pagefind's API as the search worker uses it, answering each search with the list of searches made so far."""


def test_the_search_worker_finishes_only_the_newest_of_the_queries_typed(browser: Browser, tmp_path: Path) -> None:
    """Typed key by key, each key sends a query; on a large index each search takes a moment, so a query a newer
    one replaced is not searched further and gets no answer (builder/searchui/explainer-search.js)."""
    workers = tmp_path / "assets" / "javascripts" / "workers"
    workers.mkdir(parents=True)
    shutil.copy(Path("builder/searchui/explainer-search.js"), workers)
    (tmp_path / "pagefind" / "part").mkdir(parents=True)
    (tmp_path / "pagefind" / "part" / "pagefind.js").write_text(STUB_PAGEFIND, encoding="utf-8")
    (tmp_path / "pagefind" / "explainer-search.json").write_text('{"parts": ["part/"], "variants": {}}', "utf-8")
    (tmp_path / "index.html").write_text("<!doctype html><title>x</title>", encoding="utf-8")
    for url in serve(tmp_path):
        tab = browser.new_page()
        tab.goto(url)
        answers = tab.evaluate(
            """async () => {
              const worker = new Worker("assets/javascripts/workers/explainer-search.js")
              const answers = []
              worker.onmessage = event => answers.push(event.data)
              worker.postMessage({ type: 0 })
              for (const query of ["m", "ma", "mag", "magn", "magne", "magnet"]) worker.postMessage({ type: 2, data: query })
              const began = Date.now()
              while (!answers.some(answer => answer.type === 3) && Date.now() - began < 10000) {
                await new Promise(resolve => setTimeout(resolve, 20))
              }
              await new Promise(resolve => setTimeout(resolve, 500))  // any answer to an older query would be here
              return answers
            }"""
        )
        tab.close()
    results = [answer["data"] for answer in answers if answer["type"] == 3]
    assert len(results) == 1, answers
    titles = [re.sub(r"<[^>]+>", "", document["title"]) for group in results[0]["items"] for document in group]
    assert titles == ["magnet (items); magnet"]
