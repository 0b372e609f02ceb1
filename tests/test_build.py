"""End to end: the fixture content through `python -m builder build` and MkDocs in strict mode."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from tests.conftest import FIXTURE, ROOT, run, write
from tests.pagefind_index import fragments


def tree_digest(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.refs: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(str(found["id"]))
        for attr in ("href", "src"):
            if found.get(attr):
                self.refs.append((tag, str(found[attr])))


def parse(page: Path) -> Links:
    parser = Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def test_pages_are_generated(site: Path) -> None:
    for page in (
        "index.html",
        "questions/what-is-alpha/index.html",
        "facts/basics/index.html",
        "sources/index.html",
        "timeline/index.html",
        "elements/index.html",
        "people/index.html",
        "data/index.html",
        "corrections/index.html",
        "method/index.html",
    ):
        assert (site / page).is_file(), page
    home = (site / "index.html").read_text()
    assert "<title>Fixture explainer: the metals test</title>" in home
    assert '<meta name="description" content="A small explainer used by the builder' in home
    assert '<meta property="og:title" content="Fixture explainer: the metals test">' in home
    assert '<meta property="og:description" content="A small explainer used by the builder&#39;s tests.">' in home
    assert 'role="dialog" aria-label="Search"' in home
    question = (site / "questions" / "what-is-alpha" / "index.html").read_text()
    assert '<meta property="og:title" content="What is alpha?">' in question
    assert '<meta name="description" content="Alpha is the first test metal.">' in question


def test_every_fact_is_a_search_result_that_lands_on_it(site: Path) -> None:
    records = fragments(site)
    hits = {href for href, record in records.items() if "dysprosium" in record["content"].lower()}
    assert "facts/basics/#alpha-fact" in hits
    fact = records["facts/basics/#alpha-fact"]
    assert fact["meta"]["title"] == "Alpha dysprosium output"
    # the record is the fact's title and statement, from the content: no citation tooltip, no quote
    assert fact["content"] == "Alpha dysprosium output. The test survey put dysprosium output at 100 t in 2024."
    assert records["questions/what-is-alpha/"]["meta"]["title"] == "What is alpha?"


def test_citation_marker_carries_source_and_quote(site: Path) -> None:
    page = (site / "facts" / "basics" / "index.html").read_text()
    marker = re.search(r'<span class="cite" data-search-exclude>(.*?)</span></span></span></span>', page)
    assert marker is not None
    assert 'href="#ref_1"' in marker.group(1)
    assert '<q class="cite-quote">output was 100 t</q>' in marker.group(1)
    assert "Test Survey, January 2025: <cite>Annual summary of test metals</cite>" in marker.group(1)
    assert (
        '<li id="ref_1" value="1"><span class="ref-back">↑ <a href="#cite_1" aria-label="Back to citation a">a</a>'
        in page
    )


def test_sources_page_lists_what_cites_each_source(site: Path) -> None:
    page = (site / "sources" / "index.html").read_text()
    section = page[page.index('id="source-b"') :]
    assert 'href="../facts/trade/#beta-fact">Officials on the flow of metals</a>' in section
    assert 'href="../people/#official-one">Olive Official</a>' in section
    assert "Listed as coverage of the story; never cited as evidence." in page


def test_no_request_leaves_the_site(site: Path) -> None:
    for page in site.rglob("*.html"):
        for tag, ref in parse(page).refs:
            if tag in ("script", "link", "img", "iframe", "source"):
                assert not urlsplit(ref).netloc, f"{page}: {tag} loads {ref}"
    css = "".join(p.read_text() for p in site.rglob("*.css"))
    assert "fonts.googleapis" not in css and "@import url(http" not in css


def test_internal_links_and_anchors_resolve(site: Path) -> None:
    pages = {p: parse(p) for p in site.rglob("*.html") if p.name != "404.html"}
    for page, links in pages.items():
        base = "file://" + page.as_posix()
        for _, ref in links.refs:
            parts = urlsplit(urljoin(base, ref))
            if (
                parts.scheme != "file"
                or "/assets/" in parts.path
                or parts.path.endswith((".css", ".js", ".xml", ".json"))
            ):
                continue
            target = Path(parts.path)
            if target.is_dir():
                target = target / "index.html"
            assert target.is_file(), f"{page.relative_to(site)} links to missing {ref}"
            if parts.fragment and target in pages:
                assert parts.fragment in pages[target].ids, f"{page.relative_to(site)}: no #{parts.fragment} in {ref}"


def test_two_builds_are_byte_identical(site: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    assert run("build", "--content", str(FIXTURE), "--site-dir", str(again)).returncode == 0
    assert tree_digest(again) == tree_digest(site)


def test_failed_build_leaves_previous_site(content: Path, site: Path, tmp_path: Path) -> None:
    out = shutil.copytree(site, tmp_path / "site")
    before = tree_digest(out)
    write(content / "facts" / "basics.yaml", (content / "facts" / "basics.yaml").read_text() + "- id: [broken\n")
    result = run("build", "--content", str(content), "--site-dir", str(out))
    assert result.returncode == 1
    assert "yaml-syntax" in result.stderr
    assert "Traceback" not in result.stderr
    assert f"Build stopped: fix the errors above. {out}/ was left unchanged." in result.stderr
    assert tree_digest(out) == before


def test_mkdocs_failure_leaves_previous_site(content: Path, site: Path, tmp_path: Path) -> None:
    out = shutil.copytree(site, tmp_path / "site")
    before = tree_digest(out)
    project = tmp_path / "project"
    write(project / "docs" / "sources.md", "# A hand-written page in the way\n")
    config = (ROOT / "mkdocs.yml").read_text().replace("docs_dir: shared", "docs_dir: docs")
    write(project / "mkdocs.yml", config)
    result = run("build", "--content", str(content), "--site-dir", str(out), "--config", str(project / "mkdocs.yml"))
    assert result.returncode == 1, result.stderr
    assert "docs/sources.md is a hand-written page where the builder generates one; rename or move it" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree_digest(out) == before


def test_a_folder_without_mkdocs_yml_builds_with_the_builders_own_configuration(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(FIXTURE, tmp_path / "content")
    result = subprocess.run(
        [sys.executable, "-m", "builder", "build", "--content", "content"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**__import__("os").environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.endswith("Built 18 generated pages into site/ with mkdocs.\n")
    assert (tmp_path / "site" / "facts" / "basics" / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".cache", ".site.lock", "content", "site"]
    sharded = [f"{name}-{shard:02d}.pickle" for name in ("downloads", "pages", "parsed") for shard in range(16)]
    assert sorted(p.name for p in (tmp_path / ".cache" / "explainer").iterdir()) == sorted(
        ["built-site.pickle", *sharded, "prose.pickle", "templates.pickle"]
    )
