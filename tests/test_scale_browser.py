"""In Chromium: a permalink to a fact on a split topic lands on the page that holds the fact."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from builder import render as render_module
from builder.build import build
from tests.conftest import FIXTURE, ROOT, serve

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def split_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = tmp_path_factory.mktemp("split") / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(render_module, "MAX_FACTS_PER_PAGE", 1)
        patch.setattr(render_module, "MAX_SOURCES_WEIGHT", 1)
        assert build(FIXTURE, site, ROOT / "mkdocs.yml", today=dt.date(2025, 7, 1)) == 0
    assert (site / "facts" / "basics" / "2" / "index.html").is_file()
    yield from serve(site)


def test_a_permalink_to_the_first_page_goes_on_to_the_part(page, split_server: str) -> None:
    page.goto(f"{split_server}facts/basics/#gamma-fact")
    page.wait_for_url(f"{split_server}facts/basics/2/#gamma-fact")
    assert page.locator("#gamma-fact").is_visible()


def test_an_anchor_on_its_own_page_stays(page, split_server: str) -> None:
    page.goto(f"{split_server}facts/basics/#alpha-fact")
    page.wait_for_timeout(500)
    assert page.url == f"{split_server}facts/basics/#alpha-fact"


def test_a_source_on_another_part_of_the_sources_is_found(page, split_server: str) -> None:
    page.goto(f"{split_server}sources/#source-b")
    page.wait_for_url(f"{split_server}sources/3/#source-b")
    assert page.locator("#source-b").is_visible()
