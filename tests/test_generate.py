"""`python -m builder generate`: the explainer as a plain MkDocs project, which Zensical builds as it is."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from builder.generate import STAMP
from builder.write import STAMP as SITE_STAMP
from tests.conftest import FIXTURE, run, write
from tests.test_build import parse, tree_digest

GENERATED_PAGES = [
    "index.md",
    "questions/index.md",
    "questions/what-is-alpha.md",
    "questions/why-beta.md",
    "facts/index.md",
    "facts/basics.md",
    "facts/trade.md",
    "timeline.md",
    "elements.md",
    "people.md",
    "data.md",
    "sources.md",
    "corrections.md",
    "method.md",
    "downloads.md",
]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("generated") / "project"
    result = run("generate", "--content", str(FIXTURE), "--out", str(out), "--engine", "zensical")
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"Wrote a MkDocs project of 60 files into {out}/.\n"
    return out


def test_the_project_is_plain_mkdocs(project: Path) -> None:
    config = yaml.safe_load((project / "mkdocs.yml").read_text())
    assert "hooks" not in config
    assert config["plugins"] == ["search"]
    assert config["site_name"] == "Fixture explainer: the metals test"
    assert config["theme"]["name"] == "material" and config["theme"]["custom_dir"] == "overrides"
    assert config["theme"]["font"] is False
    assert config["extra_css"] == ["assets/explainer.css"]
    assert config["extra_javascript"] == ["assets/citations.js"]
    assert config["nav"][0] == {"Story": "index.md"}
    assert config["nav"][-1] == {
        "About": [
            {"What changed": "changes.md"},
            {"Awaiting review": "review.md"},  # the fixture's review dates have passed
            {"Sources": "sources.md"},
            {"Errors in coverage": "corrections.md"},
            {"How we check facts": "method.md"},
            {"Claims by status": "statuses.md"},
            {"Download the data": "downloads.md"},
        ]
    }
    assert (project / "overrides" / "main.html").is_file()
    assert (project / "overrides" / "assets" / "explainer.css").is_file()
    # The project is made for Zensical: its theme copies are Zensical's templates with content values escaped.
    assert (project / "overrides" / "base.html").read_text().startswith("{#- Copied from Zensical ")
    for page in GENERATED_PAGES:
        assert (project / "docs" / page).is_file(), page
    assert (project / "docs" / "data" / "output-by-country.svg").read_text().startswith("<?xml")
    assert (project / STAMP).is_file()


def test_refuses_a_folder_it_did_not_write(tmp_path: Path) -> None:
    out = tmp_path / "mine"
    write(out / "notes.txt", "keep me\n")
    result = run("generate", "--content", str(FIXTURE), "--out", str(out))
    assert result.returncode == 1
    assert result.stderr == (
        f"Not generated: {out} is not empty and was not written by `generate` (no {STAMP} in it); "
        "choose a new or empty folder\n"
    )
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]


def test_replaces_what_it_wrote_before(tmp_path: Path) -> None:
    out = tmp_path / "project"
    assert run("generate", "--content", str(FIXTURE), "--out", str(out)).returncode == 0
    first = tree_digest(out)
    write(out / "docs" / "stale.md", "# Left over\n")
    assert run("generate", "--content", str(FIXTURE), "--out", str(out)).returncode == 0
    assert tree_digest(out) == first


def test_content_errors_write_nothing(content: Path, tmp_path: Path) -> None:
    write(content / "facts" / "basics.yaml", (content / "facts" / "basics.yaml").read_text() + "- id: [broken\n")
    out = tmp_path / "project"
    result = run("generate", "--content", str(content), "--out", str(out))
    assert result.returncode == 1
    assert "[yaml-syntax]" in result.stderr
    assert f"Not generated: fix the errors above. {out}/ was left unchanged." in result.stderr
    assert not out.exists()


def test_an_explainers_own_pages_go_with_it(content: Path, tmp_path: Path) -> None:
    write(content / "pages" / "colophon.md", "# Colophon\n")
    out = tmp_path / "project"
    assert run("generate", "--content", str(content), "--out", str(out)).returncode == 0
    assert (out / "docs" / "colophon.md").read_text() == "# Colophon\n"
    config = yaml.safe_load((out / "mkdocs.yml").read_text())
    assert config["nav"][-1]["About"][-1] == "colophon.md"


zensical = pytest.importorskip("zensical", reason="Zensical is not installed (pip install -e '.[zensical]')")


@pytest.fixture(scope="module")
def zensical_site(project: Path) -> Path:
    result = subprocess.run(
        [sys.executable, "-m", "zensical", "build", "--clean"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    return project / "site"


def html_of(page: str) -> str:
    stem = page.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index") + "index.html"
    return stem + "/index.html"


@pytest.mark.parametrize("page", GENERATED_PAGES)
def test_zensical_builds_every_page_with_every_citation(project: Path, zensical_site: Path, page: str) -> None:
    markdown = (project / "docs" / page).read_text()
    html = (zensical_site / html_of(page)).read_text()
    markers = markdown.count('<span class="cite"')
    assert html.count('<span class="cite"') == markers
    references = re.findall(r'<li id="(ref_\d+)"', markdown)
    assert re.findall(r'<li id="(ref_\d+)"', html) == references
    if markers:
        assert references


def test_zensical_search_finds_a_fact_by_a_word(zensical_site: Path) -> None:
    index = json.loads((zensical_site / "search.json").read_text())
    hits = {item["location"]: item for item in index["items"] if "dysprosium" in item["text"].lower()}
    assert "facts/basics/#alpha-fact" in hits
    assert hits["facts/basics/#alpha-fact"]["title"] == "Alpha dysprosium output"


def test_zensical_site_requests_nothing_from_elsewhere(zensical_site: Path) -> None:
    pages = sorted(zensical_site.rglob("*.html"))
    assert len(pages) >= len(GENERATED_PAGES)
    for page in pages:
        for tag, ref in parse(page).refs:
            if tag in ("script", "link", "img", "iframe", "source"):
                assert not urlsplit(ref).netloc, f"{page}: {tag} loads {ref}"
                if tag in ("script", "img") or (tag == "link" and ref.endswith(".css")):
                    path = urlsplit(ref).path
                    target = zensical_site / path.lstrip("/") if path.startswith("/") else page.parent / path
                    assert target.is_file(), f"{page}: {tag} loads missing {ref}"
    css = "".join(p.read_text() for p in zensical_site.rglob("*.css"))
    assert "fonts.googleapis" not in css and "@import url(http" not in css


def test_build_with_the_zensical_engine_swaps_the_site_in(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write(out / "old.html", "the previous site\n")
    write(out / SITE_STAMP, "a site the builder made before\n")
    result = run("build", "--content", str(FIXTURE), "--site-dir", str(out), "--engine", "zensical")
    assert result.returncode == 0, result.stderr
    assert result.stderr.endswith(f"Built 18 generated pages into {out}/ with zensical.\n")
    assert not (out / "old.html").exists()
    assert (out / "facts" / "basics" / "index.html").is_file()
    assert (out / "search.json").is_file()
    assert not (tmp_path / ".site.building").exists()


def test_zensical_keeps_the_json_ld_and_the_downloads(zensical_site: Path) -> None:
    from tests.test_opendata import TABLES, by_type, structured

    def items(page: str, kind: str) -> list[Any]:
        return by_type(structured((zensical_site / page).read_text(encoding="utf-8")), kind)

    assert len(items("index.html", "Article")) == 1
    assert len(items("questions/what-is-alpha/index.html", "Article")) == 1
    assert len(items("facts/basics/index.html", "ClaimReview")) == 2
    (dataset,) = items("data/index.html", "Dataset")
    assert dataset["distribution"][0]["contentUrl"] == "/data/output-by-country.csv"
    for name in TABLES:
        assert (zensical_site / "data" / "download" / f"{name}.csv").is_file()
    page = (zensical_site / "data" / "index.html").read_text(encoding="utf-8")
    link = re.search(r'<figcaption>.*?<a href="([^"]+\.csv)">', page)
    assert link is not None
    assert (zensical_site / "data" / link.group(1)).resolve().read_text(encoding="utf-8").startswith("label,")
