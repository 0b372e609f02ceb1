"""Pages of bounded size (split topics and sources, stable permalinks) and the cache between runs.

The fixture content is split by lowering the page limits, so that its few facts and sources spread
over several pages exactly as thousands would.
"""

from __future__ import annotations

import datetime as dt
import json
import pickle
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from builder import render as render_module
from builder.build import Preparer, prepare
from builder.cache import Store
from builder.load import ParseCache
from builder.render import CITE_RUN
from builder.validate import check
from tests.conftest import FIXTURE

TODAY = dt.date(2025, 7, 1)


@pytest.fixture
def split(monkeypatch: pytest.MonkeyPatch) -> None:
    """One fact per topic page, one source per sources page."""
    monkeypatch.setattr(render_module, "MAX_FACTS_PER_PAGE", 1)
    monkeypatch.setattr(render_module, "MAX_SOURCES_WEIGHT", 1)
    for name in ("MAX_EVENTS_PER_PAGE", "MAX_PEOPLE_PER_PAGE", "MAX_QUESTIONS_PER_PAGE"):
        monkeypatch.setattr(render_module, name, 1)


def pages_of(content: Path = FIXTURE) -> dict[str, str]:
    prepared = prepare(content, today=TODAY, history=False)
    assert prepared.rendered is not None, prepared.report()
    return {**prepared.rendered.pages, **prepared.rendered.assets}


def test_a_topic_beyond_the_limit_is_split_into_pages_out_of_the_navigation(split: None) -> None:
    prepared = prepare(FIXTURE, today=TODAY, history=False)
    assert prepared.rendered is not None
    pages = prepared.rendered.pages
    assert "facts/basics.md" in pages and "facts/basics/2.md" in pages
    first, second = pages["facts/basics.md"], pages["facts/basics/2.md"]
    assert "{: #alpha-fact .fact-title }" in first and "#gamma-fact" not in first.split("## References")[0]
    assert "{: #gamma-fact .fact-title }" in second
    assert second.startswith("---\ntitle: The basics (2/2)\n")
    assert '<strong aria-current="page">2</strong>' in second and '<a href="../">1</a>' in second
    nav = json.dumps(prepared.rendered.nav)
    assert "facts/basics.md" in nav and "facts/basics/2.md" not in nav


def test_permalinks_name_the_first_page_and_the_anchor_map_names_the_part(split: None) -> None:
    pages = pages_of()
    second = pages["facts/basics/2.md"]
    assert 'class="permalink" href="../#gamma-fact"' in second
    assert "/facts/basics/#gamma-fact" in second  # the ready-made citation
    assert json.loads(pages["facts/basics/anchors.json"]) == {"alpha-fact": "./", "gamma-fact": "2/"}
    assert 'var map="../anchors.json"' in second
    assert 'var map="./anchors.json"' in pages["facts/basics.md"]
    # links between pages go straight to the part that holds the fact
    assert "(basics/2.md#gamma-fact)" in pages["facts/index.md"]


def test_the_sources_page_is_split_and_references_link_to_the_right_part(split: None) -> None:
    pages = pages_of()
    parts = sorted(p for p in pages if p == "sources.md" or p.startswith("sources/"))
    assert parts == ["sources.md", "sources/2.md", "sources/3.md", "sources/anchors.json"]
    located = json.loads(pages["sources/anchors.json"])
    assert sorted(located.values()) == ["./", "2/", "3/"]
    assert located["source-a"] == "2/" and located["source-b"] == "3/"
    assert "{: #source-a .source-title }" in pages["sources/2.md"]
    assert 'href="../../sources/2/#source-a">About this source' in pages["facts/basics.md"]
    assert 'href="../../../sources/3/#source-b">About this source' in pages["facts/basics/2.md"]


def test_the_timeline_people_and_questions_are_split_too(split: None) -> None:
    pages = pages_of()
    assert "timeline/2.md" in pages and "{: #event-two .event-title }" in pages["timeline/2.md"]
    assert json.loads(pages["timeline/anchors.json"]) == {"event-one": "./", "event-two": "2/"}
    assert "questions/index/2.md" in pages and "questions/anchors.json" not in pages  # questions have pages
    assert pages["questions/index/2.md"].startswith("---\ntitle: Questions (2/")
    assert "people.md" in pages and "people/2.md" not in pages  # one person: one page


def test_the_facts_overview_links_pages_instead_of_every_fact_beyond_its_limit(
    split: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(render_module, "MAX_OVERVIEW_FACTS", 1)
    overview = pages_of()["facts/index.md"]
    assert "2 facts, on pages [1](basics.md) [2](basics/2.md)." in overview
    assert "(basics.md#alpha-fact)" not in overview


def test_the_claims_by_status_page_samples_each_status_and_links_its_own_split_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    facts = content / "facts" / "basics.yaml"
    facts.write_text(facts.read_text("utf-8").replace("status: single-source", "status: confirmed"), "utf-8")
    monkeypatch.setattr(render_module, "MAX_OVERVIEW_FACTS", 1)
    monkeypatch.setattr(render_module, "MAX_STATUS_SAMPLE", 1)
    monkeypatch.setattr(render_module, "MAX_STATUS_FACTS_PER_PAGE", 1)
    pages = pages_of(content)
    assert sorted(p for p in pages if p.startswith("statuses/")) == [
        "statuses/confirmed.md",
        "statuses/confirmed/2.md",
        "statuses/disputed.md",
    ]
    overview = pages["statuses.md"].split("{: #status_confirmed .status-heading }")[1].split("\n## ")[0]
    assert "2 facts:" in overview and overview.count("\n- [") == 1
    assert "[All 2 facts with this status](statuses/confirmed.md)" in overview
    first, second = pages["statuses/confirmed.md"], pages["statuses/confirmed/2.md"]
    assert first.startswith("---\ntitle: 'Claims by status: Confirmed'\n")
    assert second.startswith("---\ntitle: 'Claims by status: Confirmed (2/2)'\n")
    assert first.count("\n<li><a href=") == 1 and second.count("\n<li><a href=") == 1
    assert '<li><a href="../../../facts/trade/#beta-fact">' in second  # the link MkDocs made of facts/trade.md
    assert '<strong aria-current="page">2</strong>' in second


def test_without_splitting_nothing_of_it_appears() -> None:
    pages = pages_of()
    assert not any(p.endswith("anchors.json") or re.search(r"/\d+\.md$", p) for p in pages)
    assert not any(p.startswith("statuses/") for p in pages)
    assert "page-parts" not in "".join(pages.values()) and "<script>" not in pages["facts/basics.md"]


def test_a_second_run_reuses_the_cache_and_gives_the_same_pages(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    store = Store(tmp_path / ".cache" / "explainer")
    first = Preparer(store).prepare(content, TODAY, history=False)
    sharded = [f"{name}-{shard:02d}.pickle" for name in ("downloads", "pages", "parsed") for shard in range(16)]
    assert sorted(p.name for p in store.folder.iterdir()) == sorted([*sharded, "prose.pickle"])
    parsed = Store(store.folder).read_sharded("parsed")
    assert parsed is not None and len(parsed) == len(list(content.rglob("*.yaml")))
    again = Preparer(store)
    second = again.prepare(content, TODAY, history=False)
    assert first.rendered is not None and second.rendered is not None
    assert second.rendered.pages == first.rendered.pages
    assert not again.parsed.changed and not again.prose.changed  # everything came from the cache
    # The topic pages, the questions and their index, the sources, the claims awaiting review, the timeline
    # and the people.
    assert not again.memo.changed and again.memo.reused == 9
    assert second.rendered.assets == first.rendered.assets and not again.download_parts.changed


def test_an_edited_file_is_read_again_and_its_problem_located(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    store = Store(tmp_path / ".cache")
    Preparer(store).prepare(content, TODAY, history=False)
    facts = content / "facts" / "basics.yaml"
    lines = facts.read_text(encoding="utf-8").splitlines(keepends=True)
    where = next(i for i, line in enumerate(lines) if line.startswith("  status:"))
    lines[where] = "  status: sure\n"
    facts.write_text("".join(lines), encoding="utf-8")
    result = Preparer(store).prepare(content, TODAY, history=False)
    found = [p for p in result.checked.problems if p.code == "bad-value"]
    assert [(p.line, p.col) for p in found] == [(where + 1, 11)]
    assert result.rendered is None


def test_a_cache_from_another_builder_version_is_ignored(tmp_path: Path) -> None:
    store = Store(tmp_path)
    (tmp_path / "parsed.pickle").write_bytes(pickle.dumps(("another version", {"x": 1})))
    assert store.read("parsed") is None
    (tmp_path / "prose.pickle").write_bytes(b"not a pickle")
    assert store.read("prose") is None
    store.write("parsed", {"x": 2})
    assert store.read("parsed") == {"x": 2}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["parsed.pickle", "prose.pickle"]  # no temporary left


def test_a_check_again_validates_only_the_files_that_changed(tmp_path: Path) -> None:
    """The preview's ParseCache keeps each unchanged file's Document, and with it the items validated from it."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    cache = ParseCache()
    first = check(content, cache=cache)
    facts = content / "facts" / "basics.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("output at 100 t", "output at 120 t"), "utf-8")
    again = check(content, cache=cache)
    before = {(i.doc.path, i.path): i.model for i in first.items}
    after = {(i.doc.path, i.path): i.model for i in again.items}
    assert before.keys() == after.keys()
    changed = {key for key in after if after[key] is not before[key]}
    assert changed and {path for path, _ in changed} == {next(p for p, _ in before if p.endswith("basics.yaml"))}
    assert all(after[key] == before[key] for key in after if not key[0].endswith("basics.yaml"))
    edited = [m for (path, _), m in after.items() if path.endswith("basics.yaml") and "120 t" in m.statement]
    assert len(edited) == 1
    facts.write_text(facts.read_text(encoding="utf-8").replace("status: confirmed", "status: sure", 1), "utf-8")
    broken = check(content, cache=cache)  # an edited file is validated again, its problem found
    assert [p.code for p in broken.problems if p.code == "bad-value"] == ["bad-value"]


def test_check_scans_a_file_again_only_when_its_bytes_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What check finds in one file on its own (builder/scan.py: its strings' problems and citations, the ids its
    items name, its translations' languages) is kept with the file's parse. The preview's next check and a new
    process's (through the cache) scan only the edited file, and report exactly what a check from nothing does."""
    from builder import scan as scan_module

    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    facts = content / "facts" / "basics.yaml"
    text = facts.read_text(encoding="utf-8")
    text = text.replace("output at 100 t", "output at <b>100 t</b> [@no-such-source]", 1)
    text = text.replace("  status: confirmed\n", "  status: confirmed\n  translations: {de: {title: Alpha}}\n", 1)
    facts.write_text(text, "utf-8")
    scanned: list[str] = []
    real = scan_module.translation_keys
    monkeypatch.setattr(scan_module, "translation_keys", lambda doc: scanned.append(doc.path) or real(doc))
    cache = ParseCache()
    first = check(content, cache=cache)
    assert len(scanned) == first.files
    found = {p.code for p in first.problems}
    assert {"raw-html", "unknown-reference", "unknown-edition"} <= found and "unknown-source" not in found, found
    shown = next(path for path in scanned if path.endswith("facts/basics.yaml"))
    sources = content / "sources" / "sources.yaml"
    sources.write_text(sources.read_text(encoding="utf-8").replace("id: source-a", "id: source-renamed", 1), "utf-8")
    scanned.clear()
    again = check(content, cache=cache)
    assert scanned == [shown.replace("facts/basics.yaml", "sources/sources.yaml")]
    assert any(p.code == "unknown-source" and "'source-a'" in p.message and p.file == shown for p in again.problems)
    scanned.clear()
    assert again.problems == check(content).problems  # from nothing
    stored = pickle.loads(pickle.dumps(cache.remembered()))  # a new process, through the cache
    later = ParseCache()
    later.recall(stored)
    scanned.clear()
    assert check(content, cache=later).problems == again.problems
    assert scanned == []


def test_a_new_process_takes_the_plain_texts_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The search records and the pages' structured data read every item's plain text: a build after an edit
    works out only the edited texts' (builder/markup.py keeps them in the cache with the conversions)."""
    from builder import markup, search
    from builder.pages import own_files

    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    store = Store(tmp_path / ".cache")
    first = Preparer(store)
    prepared = first.prepare(content, TODAY, history=False)
    assert prepared.checked.content is not None and prepared.rendered is not None
    records = search.records(prepared.checked.content, prepared.rendered, own_files(content), first.prose)
    first.save()  # what the plugin does once the search records are made
    again = Preparer(store)
    prepared = again.prepare(content, TODAY, history=False)
    assert prepared.checked.content is not None and prepared.rendered is not None

    def refuse(html_text: str) -> str:
        raise AssertionError(f"plain text worked out again: {html_text[:60]}")

    monkeypatch.setattr(markup, "_plain", refuse)
    assert search.records(prepared.checked.content, prepared.rendered, own_files(content), again.prose) == records


def test_texts_taken_from_the_cache_after_it_was_written_are_written_again() -> None:
    """A build writes the cache once prepared, then again after the search records, which take most plain texts
    from the cache: those must be in what is written last (they were lost, and every other build after an edit
    worked out every text again: 19 s at 50,000 facts)."""
    from builder.markup import Prose

    earlier = Prose()
    texts = ["A **bold** claim", "Another *claim* [@a]."]
    for text in texts:
        earlier.text_without(text, CITE_RUN)
    build = Prose()
    build.recall(earlier.remembered())
    build.text_without(texts[0], CITE_RUN)
    first = build.remembered()  # once prepared
    assert list(first["texts"]) == [(texts[0], CITE_RUN.pattern)]
    build.text_without(texts[1], CITE_RUN)  # the search records
    assert build.changed
    assert sorted(build.remembered()["texts"]) == sorted((text, CITE_RUN.pattern) for text in texts)


def test_settling_after_collecting_freezes_no_garbage() -> None:
    """collector.settle(collecting=True), the preview's: cyclic garbage is collected before what is alive is
    frozen (frozen, it would never be)."""
    import gc
    import weakref

    from builder.collector import settle

    class Cycle:
        me: Any = None

    garbage = Cycle()
    garbage.me = garbage
    gone = weakref.ref(garbage)
    alive = Cycle()
    alive.me = alive
    del garbage
    gc.disable()
    try:
        assert gone() is not None
        settle(collecting=True)
        assert gone() is None and gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.enable()
    assert alive.me is alive


def test_the_collector_spares_what_preparing_makes_and_is_as_it_was_after(monkeypatch: pytest.MonkeyPatch) -> None:
    """builder/collector.py: the content is checked with the oldest generation left unscanned and the pages
    rendered with the collector as usual; a build (settling) renders with what checking made frozen out of the
    scans. A process that prepares again and again freezes nothing, and the thresholds are as they were after,
    even when the block fails."""
    import gc

    from builder import build as build_module
    from builder.collector import SPARING, sparing

    before = gc.get_threshold()
    seen: dict[str, Any] = {}
    real_check, real_render = build_module.check, build_module.render

    def check(*args: Any, **kwargs: Any) -> Any:
        seen["check"] = gc.get_threshold()[2]
        return real_check(*args, **kwargs)

    def render(*args: Any, **kwargs: Any) -> Any:
        seen["render"] = (gc.get_threshold()[2], gc.get_freeze_count())
        return real_render(*args, **kwargs)

    monkeypatch.setattr(build_module, "check", check)
    monkeypatch.setattr(build_module, "render", render)
    assert prepare(FIXTURE, today=TODAY, history=False).rendered is not None
    assert seen["check"] == SPARING and seen["render"] == (before[2], 0)
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
    try:
        assert prepare(FIXTURE, today=TODAY, history=False, settling=True).rendered is not None
        assert seen["check"] == SPARING and seen["render"][0] == before[2] and seen["render"][1] > 1000
    finally:
        gc.unfreeze()
    with pytest.raises(RuntimeError), sparing():
        raise RuntimeError("a render that fails")
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0

    def frozen_build(*args: Any) -> int:  # what a build's steps freeze (sparing(settling=True), settle())
        gc.freeze()
        raise RuntimeError("a build that fails")

    monkeypatch.setattr(build_module, "_build", frozen_build)
    with pytest.raises(RuntimeError):
        build_module.build(FIXTURE, Path("site"), Path("mkdocs.yml"))
    assert gc.get_freeze_count() == 0, "a build thaws what it froze: its caller goes on"
    try:
        with pytest.raises(RuntimeError):
            build_module.build(FIXTURE, Path("site"), Path("mkdocs.yml"), ending=True)
        assert gc.get_freeze_count() > 1000, "the command line's build ends the process: the last collection skips it"
    finally:
        gc.unfreeze()


def test_the_preview_writes_the_cache_after_its_first_build_and_when_it_stops(tmp_path: Path) -> None:
    """A deferred Preparer (the live preview's) writes the cache after its first preparation, not after each
    rebuild; the plugin writes it when the preview stops, and a new process then finds the last edit's pages."""
    from builder.plugin import ExplainerPlugin

    content = shutil.copytree(FIXTURE, tmp_path / "content")
    store = Store(tmp_path / ".cache")
    plugin = ExplainerPlugin()
    plugin.on_startup(command="serve", dirty=True)
    preparer = plugin.preparer
    preparer.store = store
    assert preparer.deferred
    assert preparer.prepare(content, TODAY, history=False).rendered is not None
    written = {part.name: part.read_bytes() for part in store.folder.iterdir()}
    assert {"parsed-00.pickle", "prose.pickle", "pages-00.pickle", "downloads-00.pickle"} <= set(written)
    facts = content / "facts" / "basics.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("output at 100 t", "output at 120 t"), "utf-8")
    assert preparer.prepare(content, TODAY, history=False).rendered is not None
    assert {part.name: part.read_bytes() for part in store.folder.iterdir()} == written
    plugin.on_shutdown()
    assert {part.name: part.read_bytes() for part in store.folder.iterdir()} != written
    again = Preparer(store)
    assert not again.deferred
    pages = again.prepare(content, TODAY, history=False).rendered
    assert pages is not None and "120 t" in pages.pages["facts/basics.md"]
    assert again.memo.reused == len(again.memo.remembered())  # every page came from the cache


def test_an_edit_writes_again_only_the_shards_of_the_cache_it_touched(tmp_path: Path) -> None:
    """The parse cache, the page memo and the downloads' parts are stored in 16 shards each, by a checksum of
    their keys: a build after one edit writes the few shards whose entries changed, and a new process reads the
    same entries back."""
    content = shutil.copytree(FIXTURE, tmp_path / "content")
    store = Store(tmp_path / ".cache")
    Preparer(store).prepare(content, TODAY, history=False)

    def shards() -> dict[str, int]:
        return {p.name: p.stat().st_mtime_ns for p in store.folder.iterdir() if "-" in p.name}

    before = shards()
    assert len(before) == 48
    facts = content / "facts" / "basics.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("output at 100 t", "output at 120 t"), "utf-8")
    preparer = Preparer(store)
    preparer.prepare(content, TODAY, history=False)
    after = shards()
    rewritten = sorted(name for name in after if after[name] != before[name])
    assert any(name.startswith("parsed-") for name in rewritten), rewritten
    assert any(name.startswith("pages-") for name in rewritten) and any(n.startswith("downloads-") for n in rewritten)
    assert len(rewritten) < 16, rewritten
    again = Store(store.folder)
    assert again.read_sharded("pages") == preparer.memo.remembered()
    assert again.read_sharded("downloads") == preparer.download_parts.remembered()
    assert again.read_sharded("parsed") == preparer.parsed.remembered()
