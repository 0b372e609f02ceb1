"""What a reader sees of a minimal explainer (site.yaml, one source, one fact, no story), in Chromium:
its home page is the facts page, reached from the Facts tab, and every page passes axe."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import serve
from tests.test_browser import WCAG
from tests.test_optional import build

pytestmark = pytest.mark.browser

from playwright.sync_api import Page, expect  # noqa: E402


@pytest.fixture(scope="module")
def minimal_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from serve(build(tmp_path_factory.mktemp("minimal-browser")))


def test_the_home_page_is_the_facts_page_under_the_facts_tab(page: Page, minimal_server: str) -> None:
    page.goto(minimal_server)
    expect(page.locator("h1")).to_have_text("Minimal explainer")
    tabs = page.locator(".md-tabs__link")
    expect(tabs).to_have_text(["Facts", "About"])
    expect(page.locator(".md-tabs__item--active .md-tabs__link")).to_have_text("Facts")
    page.locator(".md-typeset a", has_text="Alpha output").click()
    page.wait_for_url("**/facts/basics/#alpha-fact")
    expect(page.locator("h2#alpha-fact")).to_be_visible()


@pytest.mark.parametrize("path", ["", "facts/basics/", "sources/", "method/", "changes/", "downloads/"])
def test_minimal_pages_pass_axe(page: Page, minimal_server: str, path: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page.goto(minimal_server + path)
    violations = Axe().run(page, options=WCAG).response["violations"]
    assert [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations] == []
