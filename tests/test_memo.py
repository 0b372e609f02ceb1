"""Pages kept from the last render (builder/memo.py): after every kind of edit, a render that reuses the pages
whose inputs did not change gives the same pages, share images and files as a render from nothing."""

from __future__ import annotations

import datetime as dt
import inspect
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from builder import render as render_module
from builder.build import Prepared, Preparer, prepare
from builder.cache import Store
from builder.memo import TOPIC_READS
from builder.ogimage import ImageCache
from tests.conftest import FIXTURE, ROOT
from tests.test_history import git

TODAY = dt.date(2025, 5, 1)
URL = "https://example.org/metals/"


def output(prepared: Prepared) -> dict[str, Any]:
    """Everything a render gives, for the site's language and each edition."""
    assert prepared.rendered is not None, prepared.report()
    renders = {"": prepared.rendered, **prepared.editions}
    return {language: (r.pages, r.images, r.assets, r.nav) for language, r in renders.items()}


def topic_pages(prepared: Prepared) -> int:
    """How many topic pages (and parts of topics) the site's language has."""
    assert prepared.checked.content is not None and prepared.rendered is not None
    topics = {t.id for t in prepared.checked.content.site.topics}
    folders = {src.removesuffix(".md").split("/")[1] for src in prepared.rendered.pages if src.startswith("facts/")}
    assert topics <= folders
    return sum(
        1
        for src in prepared.rendered.pages
        if src.startswith("facts/") and src.split("/")[1].removesuffix(".md") in topics
    )


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def facts(content: Path) -> Path:
    return content / "facts" / "basics.yaml"


ADDED = {
    "id": "delta-fact",
    "title": "A fact added later",
    "statement": "A later survey put output at 130 t.",
    "status": "confirmed",
    "as_of": "2025-04-01",
    "topics": ["basics"],
    "citations": [{"source": "source-a", "quote": "output was 100 t"}],
}

EDITS: list[tuple[str, Callable[[Path], None], bool]] = [
    # (what, the edit, whether every topic page should be kept)
    ("a fact's statement", lambda c: replace(facts(c), "output at 100 t in 2024", "output at 120 t in 2024"), False),
    ("a question citing a fact", lambda c: replace(c / "questions" / "questions.yaml", "Alpha output", "Output"), True),
    ("a cited source's title", lambda c: replace(c / "sources" / "sources.yaml", "title: ", "title: New "), False),
    (
        "a quoted person's name",
        lambda c: replace(c / "people" / "people.yaml", "Olive Official", "Olga Official"),
        False,
    ),
    ("a quoted person's role", lambda c: replace(c / "people" / "people.yaml", "(March 2025)", "(May 2025)"), False),
    (
        "a fact cites another fact",
        lambda c: replace(facts(c), "disagree on the share of output.", "disagree on the share [@beta-fact]."),
        False,
    ),
    ("the cited fact's quotation", lambda c: replace(facts(c), "They are flowing again", "They flow again"), False),
    ("a topic's label", lambda c: replace(c / "site.yaml", "label: Trade", "label: Trade and flows"), False),
    ("a topic's description", lambda c: replace(c / "site.yaml", "What the metals are.", "The metals."), False),
    ("a fact added", lambda c: facts(c).write_text(facts(c).read_text() + yaml.safe_dump([ADDED])), False),
    ("a fact removed", lambda c: facts(c).write_text(facts(c).read_text().split("- as_of: 2025-04-01")[0]), False),
    ("a fact's status", lambda c: replace(facts(c), "status: disputed", "status: confirmed"), False),
    ("the site's publisher", lambda c: replace(c / "site.yaml", "publisher: Test desk", "publisher: Desk"), False),
    ("the explainer's own messages", lambda c: own_messages(c), False),
]


def own_messages(content: Path) -> None:
    (content / "messages").mkdir()
    (content / "messages" / "en.po").write_text('msgid "Link to this fact"\nmsgstr "Permalink"\n', encoding="utf-8")


def test_after_each_edit_a_memoized_render_equals_a_cold_one(tmp_path: Path) -> None:
    content = shutil.copytree(FIXTURE, tmp_path / "content")
    images = ImageCache()  # share images are drawn once for both (the same title always gives the same bytes)
    preparer = Preparer()
    preparer.images = images
    first = preparer.prepare(content, TODAY, history=False, url=URL)
    assert first.rendered is not None and first.rendered.images  # share images are part of what is kept
    every = topic_pages(first)
    assert every >= 2 and preparer.memo.reused == 0
    for what, edit, all_kept in EDITS:
        edit(content)
        warm = preparer.prepare(content, TODAY, history=False, url=URL)
        cold = prepare(content, today=TODAY, history=False, url=URL, images=images)
        assert output(warm) == output(cold), what
        kept = preparer.memo.reused
        assert kept == every if all_kept else kept < every, (what, kept, every)


def test_the_build_date_and_the_site_address_are_inputs_of_every_page(tmp_path: Path) -> None:
    """The build date decides what is past its review or end date; the address, the share images and links."""
    content = shutil.copytree(FIXTURE, tmp_path / "content")
    images = ImageCache()
    preparer = Preparer()
    preparer.images = images
    for today, url in ((TODAY, None), (dt.date(2025, 6, 20), None), (dt.date(2025, 6, 20), URL), (TODAY, URL)):
        warm = preparer.prepare(content, today, history=False, url=url)
        cold = prepare(content, today=today, history=False, url=url, images=images)
        assert output(warm) == output(cold), (today, url)
        assert preparer.memo.reused == 0
    again = preparer.prepare(content, TODAY, history=False, url=None)  # back to the first: kept no more
    assert output(again) == output(prepare(content, today=TODAY, history=False))


def committed_fixture(tmp_path: Path) -> tuple[Path, Path]:
    """A git repository holding a copy of the fixture content in one commit: the repository and its content."""
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURE, repo / "content")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "start", date="2025-02-01T12:00:00+00:00")
    return repo, repo / "content"


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_commit_that_dates_a_fact_renders_its_page_again(tmp_path: Path) -> None:
    """Facts' first-published and last-changed dates come from the content's history."""
    repo, content = committed_fixture(tmp_path)
    preparer = Preparer()
    preparer.prepare(content, TODAY)
    for number, (old, new) in enumerate(
        (("disagree on the share", "differ on the share"), ("of output.", "of mine output."))
    ):
        replace(facts(content), old, new)
        git(repo, "commit", "-q", "-am", f"edit {number}", date=f"2025-03-0{number + 1}T12:00:00+00:00")
        warm = preparer.prepare(content, TODAY)
        assert output(warm) == output(prepare(content, today=TODAY)), number
        assert preparer.memo.reused == 1  # the Trade page, which does not list gamma-fact


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_fact_changed_and_changed_back_shows_its_new_date(tmp_path: Path) -> None:
    """gamma-fact is as it was when its page was kept, and the page's own date (alpha-fact's, the latest) is the
    same, but the history dates gamma-fact's last change."""
    repo, content = committed_fixture(tmp_path)
    replace(facts(content), "output at 100 t", "output at 110 t")
    git(repo, "commit", "-q", "-am", "alpha", date="2025-04-01T12:00:00+00:00")
    preparer = Preparer()
    preparer.prepare(content, TODAY)
    replace(facts(content), "disagree on the share", "differ on the share")
    git(repo, "commit", "-q", "-am", "edit", date="2025-03-01T12:00:00+00:00")
    replace(facts(content), "differ on the share", "disagree on the share")
    git(repo, "commit", "-q", "-am", "back", date="2025-03-02T12:00:00+00:00")
    warm = preparer.prepare(content, TODAY)
    assert output(warm) == output(prepare(content, today=TODAY))
    assert warm.rendered is not None and "Last changed 2 March 2025" in warm.rendered.pages["facts/basics.md"]


def test_a_fact_moved_to_another_part_of_its_topic_is_linked_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Trade page lists alpha-fact under "Also on this topic"; with a fact a page, a fact added before it in
    its own topic moves it from the second page of The basics to the third, and the link must follow, though
    neither page's facts changed."""
    monkeypatch.setattr(render_module, "MAX_FACTS_PER_PAGE", 1)
    content = shutil.copytree(FIXTURE, tmp_path / "content")
    facts(content).write_text(yaml.safe_dump([ADDED]) + facts(content).read_text(), encoding="utf-8")
    preparer = Preparer()
    first = preparer.prepare(content, TODAY, history=False)
    assert first.rendered is not None and "](basics/2.md#alpha-fact)" in first.rendered.pages["facts/trade.md"]
    second = {**ADDED, "id": "epsilon-fact"}
    facts(content).write_text(yaml.safe_dump([second]) + facts(content).read_text(), encoding="utf-8")
    warm = preparer.prepare(content, TODAY, history=False)
    assert output(warm) == output(prepare(content, today=TODAY, history=False))
    assert warm.rendered is not None and "](basics/3.md#alpha-fact)" in warm.rendered.pages["facts/trade.md"]


def test_an_edition_keeps_its_own_pages_and_follows_its_translations(tmp_path: Path) -> None:
    """The real explainer, with its Chinese edition: a translated title changes only that edition's page."""
    content = shutil.copytree(ROOT / "content", tmp_path / "content")
    preparer = Preparer()
    first = preparer.prepare(content, TODAY, history=False)
    assert "zh-Hans" in first.editions
    every = topic_pages(first) * 2
    replace(facts(content), "title: 稀土是17种元素", "title: 稀土共有17种元素")
    warm = preparer.prepare(content, TODAY, history=False)
    cold = prepare(content, today=TODAY, history=False)
    assert output(warm) == output(cold)
    # Only the Basics page was rendered again, in the edition and in the site's language, whose fact holds its
    # translations (not shown there, but part of what the digest holds).
    assert preparer.memo.reused == every - 2
    assert "稀土共有17种元素" in warm.editions["zh-Hans"].pages["facts/basics.md"]


def test_a_new_process_reuses_the_pages_stored_in_the_cache(tmp_path: Path) -> None:
    content = shutil.copytree(FIXTURE, tmp_path / "content")
    store = Store(tmp_path / "cache")
    first = Preparer(store).prepare(content, TODAY, history=False)
    replace(facts(content), "disagree on the share", "differ on the share")
    preparer = Preparer(store)  # a fresh `build`
    warm = preparer.prepare(content, TODAY, history=False)
    assert output(warm) == output(prepare(content, today=TODAY, history=False))
    assert preparer.memo.reused == topic_pages(first) - 1  # gamma-fact is on one topic page
    assert warm.rendered is not None and first.rendered is not None
    assert warm.rendered.pages["facts/basics.md"] != first.rendered.pages["facts/basics.md"]


TOPIC_TEMPLATES = ("topic.md.j2", "_macros.md.j2", "_cite.md.j2")


@pytest.mark.parametrize("name", ["index", "fresh"])
def test_topic_pages_read_only_what_their_digest_holds(name: str) -> None:
    """A template or References reading more of `index` or `fresh` than builder/memo.py digests would make a
    kept page wrong: this fails first, so that PageInputs.topic_page is extended with it."""
    read: set[str] = set()
    for template in TOPIC_TEMPLATES:
        text = (render_module.TEMPLATES / template).read_text(encoding="utf-8")
        read |= set(re.findall(rf"\b{name}\.(\w+)", text))
    read |= set(re.findall(rf"self\.{name}\.(\w+)", inspect.getsource(render_module.References)))
    assert read, name
    assert read <= TOPIC_READS[name], read - TOPIC_READS[name]


def test_topic_templates_read_no_content_or_topic_list() -> None:
    """The digest holds the site settings without the topic list, and no other part of the content."""
    for template in TOPIC_TEMPLATES:
        text = (render_module.TEMPLATES / template).read_text(encoding="utf-8")
        assert not re.search(r"\b(content|site)\.", text), template
