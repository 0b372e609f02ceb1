"""A French explainer with a Chinese edition in the browser: axe finds no violation on either language's
pages (the untranslated notices and lang attributes included), the Nu Html Checker no error, and the
language switch in the header leads to the same page in the other language."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, nu_html_errors, run, serve
from tests.test_browser import WCAG

pytestmark = pytest.mark.browser

from playwright.sync_api import Page, expect  # noqa: E402


@pytest.fixture(scope="module")
def french_with_chinese(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fr-zh")
    content = root / "content"
    shutil.copytree(ROOT / "tests" / "fixtures-fr" / "content", content)
    site = content / "site.yaml"
    # Without `url`, the 404 pages load the theme from the server's root, as they do when served locally.
    site.write_text(
        site.read_text("utf-8")
        .replace("url: https://example.org/retraites/\n", "")
        .replace(
            "language: fr\n",
            "language: fr\neditions: [zh-Hans]\ntranslations:\n  zh-Hans:\n    title: 养老金改革\n"
            "    description: 关于2023年法国养老金改革的有来源解读。\n",
        ),
        "utf-8",
    )
    result = run("build", "--content", "content", "--site-dir", "site", "--today", "2025-07-02", cwd=root)
    assert result.returncode == 0, result.stderr
    return root / "site"


@pytest.fixture(scope="module")
def server(french_with_chinese: Path) -> Iterator[str]:
    yield from serve(french_with_chinese)


PAGES = [
    "",
    "facts/calendrier/",
    "questions/pourquoi-64/",
    "method/",
    "zh-Hans/",
    "zh-Hans/facts/calendrier/",
    "zh-Hans/404.html",
]


@pytest.mark.parametrize("path", PAGES, ids=[p or "home" for p in PAGES])
def test_both_languages_pass_axe(page: Page, server: str, path: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page.goto(server + path)
    violations = Axe().run(page, options=WCAG).response["violations"]
    assert [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations] == []


def test_the_language_switch_opens_the_same_page_in_chinese(page: Page, server: str) -> None:
    page.goto(server + "facts/calendrier/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.locator(".md-header__option .md-select button").hover()
    page.get_by_role("link", name="中文 (简体)").click()
    expect(page).to_have_url(server + "zh-Hans/facts/calendrier/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.locator(".untranslated-notice").first).to_have_text("尚未翻译：以原文显示。")
    page.locator(".md-header__option .md-select button").hover()
    page.get_by_role("link", name="français").click()
    expect(page).to_have_url(server + "facts/calendrier/")


def test_nu_html_checker_reports_no_errors_in_either_language(french_with_chinese: Path) -> None:
    assert nu_html_errors(french_with_chinese) == ""
