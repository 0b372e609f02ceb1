"""Incremental builds (builder/incremental.py): a build after an edit renders only the pages whose Markdown
changed, into a folder that starts as hard links of the last site, and gives the same bytes as a build
from nothing; the published site is never written through the links."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from builder.write import STAMP, STAMP_TEXT, SiteWriter
from tests.conftest import FIXTURE, run, write
from tests.test_build import tree_digest

TODAY = "2026-06-01"


def build(content: Path, site: Path) -> str:
    result = run("build", "--content", str(content), "--site-dir", str(site), "--today", TODAY)
    assert result.returncode == 0, result.stderr
    return result.stderr


def rendered_again(stderr: str) -> tuple[int, int]:
    found = re.search(r"Rendered (\d+) of (\d+) pages again", stderr)
    assert found, stderr
    return int(found.group(1)), int(found.group(2))


def links_of(site: Path, into: Path) -> Path:
    """A second name for every file of the site (hard links): what the published site held."""
    shutil.copytree(site, into, copy_function=os.link)
    return into


def edit_statement(content: Path) -> None:
    facts = content / "facts" / "basics.yaml"
    facts.write_text(facts.read_text().replace("output at 100 t", "output at 120 t"), encoding="utf-8")


def add_fact(content: Path) -> None:
    facts = content / "facts" / "basics.yaml"
    added = {
        "id": "delta-fact",
        "title": "A fact added later",
        "statement": "A later survey put output at 130 t.",
        "status": "confirmed",
        "as_of": "2025-04-01",
        "topics": ["trade"],
        "citations": [{"source": "source-a", "quote": "output was 100 t"}],
    }
    facts.write_text(facts.read_text() + yaml.safe_dump([added], sort_keys=False), encoding="utf-8")


def remove_fact(content: Path) -> None:
    facts = content / "facts" / "basics.yaml"
    text = facts.read_text()
    facts.write_text(text[: text.index("- id: delta-fact")], encoding="utf-8")


def edit_title(content: Path) -> None:
    facts = content / "facts" / "basics.yaml"
    facts.write_text(facts.read_text().replace("title: Alpha dysprosium output", "title: Alpha output, revised"))


def add_page(content: Path) -> None:
    write(content / "pages" / "about-us.md", "# About us\n\nWho writes this explainer.\n")


def retitle_source(content: Path) -> None:
    """A source cited on topic pages: their reference lists and tooltips show its title."""
    sources = content / "sources" / "sources.yaml"
    sources.write_text(sources.read_text().replace("title: ", "title: Revised ", 1), encoding="utf-8")


def rename_person(content: Path) -> None:
    """A person quoted in a fact: the topic page shows the name with the quotation."""
    people = content / "people" / "people.yaml"
    people.write_text(people.read_text().replace("Olive Official", "Olga Official"), encoding="utf-8")


def rename_topic(content: Path) -> None:
    site = content / "site.yaml"
    site.write_text(site.read_text().replace("label: Trade", "label: Trade and flows"), encoding="utf-8")


def test_an_edited_fact_is_built_again_alone_and_the_site_equals_a_cold_build(tmp_path: Path) -> None:
    content = shutil.copytree(FIXTURE, tmp_path / "work" / "content")
    site = tmp_path / "work" / "site"
    assert "Rendered" not in build(content, site)  # the first build renders everything
    before = tree_digest(site)
    published = links_of(site, tmp_path / "published")

    edit_statement(content)
    again, pages = rendered_again(build(content, site))

    assert 0 < again < pages / 2, (again, pages)
    assert tree_digest(published) == before  # the old site was not written through its links
    cold = shutil.copytree(content, tmp_path / "cold" / "content")
    build(cold, tmp_path / "cold" / "site")
    assert tree_digest(site) == tree_digest(tmp_path / "cold" / "site")
    assert "output at 120 t" in (site / "facts" / "basics" / "index.html").read_text()


def test_nothing_changed_renders_nothing(tmp_path: Path) -> None:
    content = shutil.copytree(FIXTURE, tmp_path / "content")
    site = tmp_path / "site"
    build(content, site)
    before = tree_digest(site)
    assert rendered_again(build(content, site))[0] == 0
    assert tree_digest(site) == before


def test_a_series_of_edits_gives_the_cold_builds_bytes(tmp_path: Path) -> None:
    """Adding and removing a fact, retitling one (lists show it), retitling a cited source and renaming a quoted
    person (topic pages kept from the last render must not be), adding a hand-written page, renaming a topic
    (every page's navigation)."""
    content = shutil.copytree(FIXTURE, tmp_path / "work" / "content")
    site = tmp_path / "work" / "site"
    build(content, site)
    edits: list[Callable[[Path], None]] = [
        add_fact,
        remove_fact,
        edit_title,
        retitle_source,
        rename_person,
        add_page,
        rename_topic,
    ]
    for number, edit in enumerate(edits):
        edit(content)
        stderr = build(content, site)
        cold = shutil.copytree(content, tmp_path / f"cold-{number}" / "content")
        build(cold, cold.parent / "site")
        assert tree_digest(site) == tree_digest(cold.parent / "site"), edit.__name__
        again, pages = rendered_again(stderr)
        if edit is rename_topic:  # every page shows the topic in its navigation
            assert again == pages
        if edit is edit_title:  # listed on other pages, but in no page's navigation
            assert again < pages / 2, (again, pages)


def test_a_site_changed_by_hand_is_built_from_nothing(tmp_path: Path) -> None:
    """A site folder the last build did not leave as it was (a file put back by hand) is not trusted."""
    content = shutil.copytree(FIXTURE, tmp_path / "content")
    site = tmp_path / "site"
    build(content, site)
    stamp = site / ".explainer-site"
    stamp.write_text(stamp.read_text(), encoding="utf-8")  # a new time: not the build the cache describes
    assert "Rendered" not in build(content, site)


def test_the_staging_folder_starts_as_links_of_the_site_or_empty_where_links_fail(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    write(site / STAMP, STAMP_TEXT)
    write(site / "page" / "index.html", "<p>old</p>")
    write(site / "fr" / "pagefind" / "part" / "pagefind.js", "a part of the search index")
    with SiteWriter(site, seed=True) as staging:
        copied = staging / "page" / "index.html"
        assert (
            copied.read_text() == "<p>old</p>" and copied.stat().st_ino == (site / "page" / "index.html").stat().st_ino
        )
        assert (staging / STAMP).stat().st_ino != (site / STAMP).stat().st_ino  # the new build's own stamp
        seeded = sorted(p.relative_to(staging).as_posix() for p in staging.rglob("*") if p.is_file())
        assert seeded == [STAMP, "fr/pagefind/part/pagefind.js", "page/index.html"]

    def refuse(source: str, target: str) -> None:
        raise OSError(1, "hard links not supported here")

    monkeypatch.setattr(os, "link", refuse)
    with SiteWriter(site, seed=True) as staging:
        assert sorted(p.name for p in staging.iterdir()) == [STAMP]
