"""What a reader sees: the built fixture site in Debian's Chromium, driven by Playwright.

These tests skip when Chromium is missing, except where REQUIRE_BROWSER=1 (CI), where they fail.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import FIXTURE as FIXTURE_CONTENT
from tests.conftest import run

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.browser

if not Path(CHROMIUM).exists():
    if os.environ.get("REQUIRE_BROWSER") == "1":
        raise RuntimeError(f"REQUIRE_BROWSER=1 but Chromium is not at {CHROMIUM}")
    pytest.skip("Chromium is not installed (apt-get install chromium)", allow_module_level=True)

from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def _serve(root: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    yield from _serve(site)


@pytest.fixture(scope="module")
def real_server(real_site: Path) -> Iterator[str]:
    yield from _serve(real_site)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A tab that fails the test if any request leaves 127.0.0.1 or the console reports an error."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    errors: list[str] = []
    tab = context.new_page()
    tab.on("request", lambda request: requests.append(request.url))
    tab.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    outside = [url for url in requests if not url.startswith(("http://127.0.0.1", "data:", "blob:"))]
    context.close()
    assert outside == [], f"requests left the site: {outside}"
    assert errors == [], f"console errors: {errors}"


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
    expect(page.locator("table.dataset").first).to_contain_text("270,000")
    csv_link = page.locator("figure.chart figcaption a").first
    response = page.request.get(page.url + str(csv_link.get_attribute("href")))
    assert response.ok and response.text().startswith("label,"), response.status


VNU = Path(__file__).resolve().parent.parent / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def test_nu_html_checker_reports_no_errors(real_site: Path) -> None:
    if not VNU.exists() or not shutil.which("java"):
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail("the Nu Html Checker needs java and `npm ci` (node_modules/vnu-jar)")
        pytest.skip("the Nu Html Checker is not installed (npm ci)")
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--skip-non-html", "--errors-only", str(real_site)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[:3000]


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
    for base in _serve(tmp_path / "site"):
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
