"""What a reader sees: the built fixture site in Debian's Chromium, driven by Playwright.

These tests skip when Chromium is missing, except where REQUIRE_BROWSER=1 (CI), where they fail.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_build import site  # noqa: F401  (the built fixture site)

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


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:  # noqa: F811
    handler = functools.partial(_Quiet, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Browser, server: str) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    tab = context.new_page()
    tab.on("request", lambda request: requests.append(request.url))
    yield tab
    outside = [url for url in requests if not url.startswith(("http://127.0.0.1", "data:", "blob:"))]
    context.close()
    assert outside == [], f"requests left the site: {outside}"


def test_search_for_dysprosium_lands_on_the_fact(page: Page, server: str) -> None:
    page.goto(server)
    page.keyboard.press("/")
    page.locator("input.md-search__input").press_sequentially("dysprosium", delay=30)
    result = page.locator(".md-search-result__item a[href*='/facts/basics/'][href$='#alpha-fact']").first
    expect(result).to_be_visible(timeout=10_000)
    result.click()
    page.wait_for_url(re.compile(r"/facts/basics/(\?h=dysprosium)?#alpha-fact$"))
    expect(page.locator("h2#alpha-fact")).to_be_visible()


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
    page.wait_for_url("**/facts/basics/#ref-1")
    expect(page.locator("li#ref-1")).to_contain_text("Annual summary of test metals")
