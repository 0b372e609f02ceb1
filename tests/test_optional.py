"""Every content type but site settings, sources and facts is optional.

A minimal explainer (site.yaml, one source, one fact) builds strictly, and its pages have no page, navigation
entry, heading, link, download or sentence for what it lacks; each optional type added alone brings its own
page and nothing else. Everything is asserted on the built HTML, parsed.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import pytest

from tests.conftest import run, run_main, write

SITE = """\
title: Minimal explainer
description: One fact and the source it cites.
publisher: Test desk
url: https://example.org/minimal/
updated: 2025-06-01
topics:
  - id: basics
    label: The basics
"""
SOURCES = """\
- id: source-a
  publisher: Test Survey
  title: Annual summary
  published: 2025-01
  url: https://example.org/survey
  accessed: 2025-05-01
  kind: government
"""
FACTS = """\
- id: alpha-fact
  title: Alpha output
  statement: The survey put output at 100 t in 2024.
  status: confirmed
  as_of: 2025-01-31
  topics: [basics]
  citations:
    - source: source-a
"""

OPTIONAL: dict[str, tuple[str, str, str]] = {
    # type: (file under the content folder, its text, the page it brings, as a path in the site)
    "questions": (
        "questions/questions.yaml",
        "- id: why-alpha\n  question: Why alpha?\n  short_answer: Because [@alpha-fact].\n"
        "  answer: Alpha is explained by the survey [@source-a].\n  as_of: 2025-03-04\n",
        "questions/",
    ),
    "events": (
        "events/events.yaml",
        "- id: event-one\n  date: 2025-03-04\n  title: Alpha counted\n  citations:\n    - source: source-a\n",
        "timeline/",
    ),
    "elements": (
        "elements/elements.yaml",
        "- id: alpha\n  name: Alphium\n  symbol: Al\n  atomic_number: 13\n  category: light\n"
        "  uses: Test uses.\n  citations:\n    - source: source-a\n",
        "elements/",
    ),
    "people": (
        "people/people.yaml",
        "- id: ada\n  name: Ada Example\n  role: Surveyor\n  citations:\n    - source: source-a\n",
        "people/",
    ),
    "datasets": (
        "datasets/data.yaml",
        "- id: output\n  title: Output\n  description: Output by year.\n  source: source-a\n  as_of: 2025-01-31\n"
        "  columns:\n    - id: t\n      label: Output\n  rows:\n    - label: '2024'\n      values: {t: 100}\n",
        "data/",
    ),
    "corrections": (
        "corrections/corrections.yaml",
        "- id: wrong-output\n  claim: Output was nil.\n  appeared_in: A test article\n"
        "  correction: Output was 100 t [@source-a].\n  citations:\n    - source: source-a\n  date: 2025-06-01\n",
        "corrections/",
    ),
    "pages": ("pages/about-us.md", "# About us\n\nA hand-written page.\n", "about-us/"),
}
ABSENT_PAGES = {page for _, _, page in OPTIONAL.values()} | {"review/", "facts/"}
"""Pages a minimal explainer does not have (no awaiting review either: nothing is past its review date)."""
ABSENT_WORDS = re.compile(
    r"\b(questions?|answers?|timeline|events?|elements?|people|datasets?|charts?|(?:the|this) story|errors in coverage|"
    r"what's happened|go deeper|how we got here|awaiting review)\b",
    re.IGNORECASE,
)
"""Words for what a minimal explainer lacks, which none of its pages may show."""


class Page(HTMLParser):
    """The visible text, headings, links, navigation links and JSON-LD of a built page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.headings: list[str] = []
        self.links: list[str] = []
        self.nav_links: list[str] = []
        self.json_ld: list[str] = []
        self._skip = 0
        self._heading: list[str] | None = None
        self._nav = 0
        self._script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("script", "style"):
            self._skip += 1
            self._script = values.get("type") == "application/ld+json"
        if tag == "nav":
            self._nav += 1
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = []
        if tag == "a" and values.get("href"):
            (self.nav_links if self._nav else self.links).append(values["href"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1
            self._script = False
        if tag == "nav":
            self._nav -= 1
        if re.fullmatch(r"h[1-6]", tag) and self._heading is not None:
            self.headings.append(" ".join(self._heading).strip())
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._script:
            self.json_ld.append(data)
        if self._skip:
            return
        if self._heading is not None:
            self._heading.append(data.strip())
        if data.strip():
            self.text.append(data.strip())


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text("utf-8"))
    return page


def build(root: Path, extra: dict[str, str] | None = None, site: str = SITE) -> Path:
    """Write a minimal content folder (plus `extra` files) and build it, strict; returns the site folder."""
    content = root / "content"
    write(content / "site.yaml", site)
    write(content / "sources" / "sources.yaml", SOURCES)
    write(content / "facts" / "facts.yaml", FACTS)
    for path, text in (extra or {}).items():
        write(content / path, text)
    status, out, _ = run_main(["check", "--content", "content"], root)
    assert status == 0 and out.startswith("No problems in "), out
    # In a process of its own: MkDocs keeps plugin instances across builds of one process.
    result = run("build", "--content", "content", "--site-dir", "site", "--today", "2025-06-02", cwd=root)
    assert result.returncode == 0, result.stderr
    return root / "site"


def pages(site: Path) -> dict[str, Page]:
    """Every built HTML page, keyed by its address relative to the site root ('' for the home page)."""
    return {
        path.relative_to(site).as_posix().removesuffix("index.html"): parse(path)
        for path in sorted(site.rglob("*.html"))
        if path.name != "404.html"
    }


def targets(address: str, page: Page, nav: bool = False) -> set[str]:
    """The site addresses a page links to (relative to the site root, without fragment)."""
    found = set()
    for link in page.nav_links if nav else page.links:
        absolute = urljoin("http://site/" + address, link).split("#")[0]
        if absolute.startswith("http://site/"):
            found.add(absolute.removeprefix("http://site/"))
    return found


@pytest.fixture(scope="module")
def minimal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("minimal"))


def test_minimal_explainer_has_only_its_own_pages(minimal: Path) -> None:
    built = pages(minimal)
    assert sorted(built) == ["", "changes/", "downloads/", "facts/basics/", "method/", "sources/", "statuses/"]
    home = built[""]
    assert home.headings[0] == "Minimal explainer"
    assert "<title>Facts - Minimal explainer</title>" in (minimal / "index.html").read_text("utf-8")
    assert "One fact and the source it cites." in home.text
    assert "Alpha output" in home.text


def test_minimal_explainer_links_and_names_nothing_it_lacks(minimal: Path) -> None:
    for address, page in pages(minimal).items():
        linked = targets(address, page) | targets(address, page, nav=True)
        assert not {t for t in linked if t in ABSENT_PAGES or t.startswith("questions/")}, address
        assert not [h for h in page.headings if ABSENT_WORDS.search(h)], (address, page.headings)
        found = sorted({m.group(0).lower() for t in page.text for m in [*ABSENT_WORDS.finditer(t)]})
        assert found == [], (address, found)
    navigation = targets("", pages(minimal)[""], nav=True)
    assert navigation == {"", "facts/basics/", "changes/", "sources/", "method/", "statuses/", "downloads/"}


def test_minimal_explainer_downloads_only_what_it_has(minimal: Path) -> None:
    files = sorted(p.name for p in (minimal / "data" / "download").iterdir())
    assert files == [
        "citations.csv",
        "citations.json",
        "datapackage.json",
        "facts.csv",
        "facts.json",
        "sources.csv",
        "sources.json",
    ]
    package = json.loads((minimal / "data" / "download" / "datapackage.json").read_text("utf-8"))
    assert [r["name"] for r in package["resources"]] == [
        *("facts", "facts-json", "citations", "citations-json", "sources", "sources-json")
    ]
    downloads = pages(minimal)["downloads/"]
    assert not any("questions" in link or "events" in link for link in downloads.links)


def test_minimal_explainer_sitemap_and_structured_data(minimal: Path) -> None:
    sitemap = (minimal / "sitemap.xml").read_text("utf-8")
    locations = [loc.removeprefix("https://example.org/minimal/") for loc in re.findall(r"<loc>([^<]*)</loc>", sitemap)]
    assert sorted(locations) == ["", "changes/", "downloads/", "facts/basics/", "method/", "sources/", "statuses/"]
    home = pages(minimal)[""]
    # No story: no Article for it; the home page lists facts, whose reviews live on their topic page.
    assert home.json_ld == []


@pytest.mark.parametrize("kind", sorted(OPTIONAL))
def test_each_optional_type_alone(tmp_path: Path, kind: str) -> None:
    path, text, own = OPTIONAL[kind]
    site = build(tmp_path, {path: text})
    built = pages(site)
    assert own in built
    navigation = targets("", built[""], nav=True)
    assert own in navigation
    for other in ABSENT_PAGES - {own}:
        assert other not in built, other
        assert other not in navigation, other


def test_story_without_standfirst_what_happened_or_countries(tmp_path: Path) -> None:
    site = build(tmp_path, site=SITE + "story:\n  headline: The minimal story\n")
    built = pages(site)
    home = built[""]
    assert home.headings[0] == "The minimal story"
    assert "What's happened" not in home.headings
    assert "Sources by kind and origin" in home.text  # one government source
    assert "Sources by country of origin" not in home.text  # no source gives a country
    assert "facts/" in built  # the facts page is a page of its own again
    navigation = targets("", home, nav=True)
    assert {"", "facts/", "facts/basics/"} <= navigation
    assert "questions/" not in navigation
    assert [json.loads(item)["@type"] for item in home.json_ld] == ["Article"]


def test_story_coverage_can_be_left_out(tmp_path: Path) -> None:
    site = build(tmp_path, site=SITE + "story:\n  headline: The minimal story\n  coverage: false\n")
    home = pages(site)[""]
    assert "Sources by kind and origin" not in home.text
    assert not any("coverage-table" in line for line in (site / "index.html").read_text("utf-8").splitlines())
