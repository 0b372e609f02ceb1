"""Search: the Pagefind index built from the content (builder/search.py) and Material's own search dialog
answering from it through the explainer's worker, in Chromium; and the engines that keep their own search.

The browser tests skip when Chromium is missing, except where REQUIRE_BROWSER=1 (CI), where they fail.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from builder import search
from builder.pages import own_files
from builder.validate import check
from tests.conftest import FIXTURE, ROOT, guarded, run, serve, write
from tests.test_browser import WCAG

pytestmark = pytest.mark.browser

SEARCH_INPUT = "input.md-search__input"


@pytest.fixture
def tab(browser: Browser) -> Iterator[Page]:
    """A tab that fails the test if any request leaves 127.0.0.1 or the console reports an error.

    The site's offline service worker is blocked: it would answer requests itself, and these tests count
    what a first-time reader downloads from the server."""
    yield from guarded(browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block"))


def _records(content: Path) -> list[search.Record]:
    from builder.render import render

    checked = check(content)
    assert checked.content is not None, checked.problems
    rendered = render(checked.content)
    return search.records(checked.content, rendered, own_files(content))


# ---------------------------------------------------------------------------------------------- the index


def test_records_are_items_at_their_anchors_ranked_above_pages() -> None:
    found = {record.url: record for record in _records(FIXTURE)}
    fact = found["facts/basics/#alpha-fact"]
    assert (fact.title, fact.page, fact.tier) == ("Alpha dysprosium output", "The basics", search.Tier.ITEM)
    assert fact.text == "The test survey put dysprosium output at 100 t in 2024."
    assert found["elements/#dysprosium"].tier is search.Tier.ITEM
    assert found["questions/what-is-alpha/"].tier is search.Tier.ITEM
    assert found["corrections/#none-produced"].tier is search.Tier.LIST
    assert found["sources/#source-a"].tier is search.Tier.REFERENCE
    assert found["facts/basics/"].tier is search.Tier.LIST
    assert found["method/"].tier is search.Tier.META


def test_the_explainers_own_pages_are_found_but_ranked_last() -> None:
    found = {record.url: record for record in _records(ROOT / "content")}
    editing = found["editing/"]
    assert (editing.title, editing.tier) == ("How this site is made", search.Tier.META)
    assert "Every page of this site except this one is generated from YAML files" in editing.text
    assert "|" not in editing.text  # its table read as text, not as Markdown


def test_a_record_is_an_escaped_document_whose_url_and_page_add_no_words() -> None:
    record = search.Record(
        "facts/a/#x", 'Tags <script>alert("x")</script> & co', "a < b", "Page & more", search.Tier.ITEM
    )
    document = record.document("en")
    assert "<script>" not in document
    assert (
        '<h1 data-pagefind-weight="7.0">Tags &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co</h1>'
        in document
    )
    assert '<p data-pagefind-weight="1.0">a &lt; b</p>' in document
    assert (
        '<span data-pagefind-meta="href[data-href], page[data-page]" data-href="facts/a/#x" '
        'data-page="Page &amp; more" data-pagefind-filter="item:yes"></span>'
    ) in document


def test_search_text_is_the_pages_text_without_citations_and_skips_markdown_when_it_has_none() -> None:
    from builder.markup import Prose
    from builder.render import CITE_RUN

    checked = check(ROOT / "content")
    assert checked.content is not None
    prose = Prose()
    texts = [t for f in checked.content.facts for t in (f.statement, f.note) if t]
    texts += ["A **bold** claim", "1. a list", "a [link](https://example.org)", "x &amp; y", "line  \nbreak"]
    texts += ["A claim [@source-a].", "A *claim* [@source-a][@source-b], cited."]
    assert [search.plain_text(t, prose) for t in texts] == [prose.text_without(t, CITE_RUN) for t in texts]
    assert search.plain_text("A claim [@source-a].", prose) == "A claim."
    assert search.plain_text("A *claim* [@source-a][@source-b], cited.", prose) == "A claim, cited."
    assert sum(1 for t in texts if not search.MARKDOWN_SYNTAX.search(CITE_RUN.sub("", t))) > len(texts) / 2


def test_a_large_index_is_made_in_parts_and_a_rebuild_indexes_only_the_parts_that_changed(tmp_path: Path) -> None:
    records = _records(FIXTURE)
    parts = search.parts(records, "en", 10)
    assert [len(part.records) for part in parts] == [9, 8, 9, 5]  # by a checksum of each record's URL
    assert sorted(d for part in parts for d in part.documents("en")) == sorted(r.document("en") for r in records)
    site = tmp_path / "site"
    indexer = search.Indexer(part_size=10)
    indexer.write(records, "en", site)
    assert indexer.runs == 4
    listing = json.loads((site / search.FOLDER / search.LISTING).read_text())
    assert listing["parts"] == [f"{part.name}/" for part in parts]
    assert listing["variants"] == search.variants("en")
    first = _files(site)
    inodes = {p.relative_to(site): p.stat().st_ino for p in site.rglob("*") if p.is_file()}
    indexer.write(list(records), "en", site)  # the same records: every part is taken from the index there
    assert indexer.runs == 4 and _files(site) == first
    changed = [*records]
    changed[0] = search.Record(records[0].url, "A new title", "", "A page", search.Tier.ITEM)
    indexer.write(changed, "en", site)
    assert indexer.runs == 5, "only the part of the record that changed is indexed again"
    names = [part.name for part in search.parts(changed, "en", 10)]
    assert [a == b for a, b in zip(names, [part.name for part in parts], strict=True)].count(False) == 1
    kept = [p.relative_to(site) for p in site.rglob("*") if p.is_file() and p.parts[-3] in names]
    moved = [path for path in kept if inodes.get(path) == (site / path).stat().st_ino]
    assert len(moved) > 20, "a build moves the parts it keeps into the new index: it does not copy them"
    assert sorted(p.name for p in (site / search.FOLDER).iterdir()) == sorted([search.LISTING, *names])
    again = tmp_path / "again"
    search.Indexer(part_size=10).write(changed, "en", again)
    assert _files(again) == _files(site), "an index of parts kept and made is the index made at once"


def test_a_build_takes_the_unchanged_parts_from_the_published_site_when_it_is_swapped_in(tmp_path: Path) -> None:
    """The staging folder is not seeded with the index (tens of thousands of files at scale, each linked, then
    unlinked with the old site): the published index stays whole while the build runs, the parts kept are
    moved over at the swap, and moved back if the swap fails."""
    from builder.write import SiteWriter

    records = _records(FIXTURE)
    site = tmp_path / "site"
    indexer = search.Indexer(part_size=10)
    first = SiteWriter(site)
    with first as staging:
        indexer.write(records, "en", staging)
        first.publish()
    changed = [search.Record(records[0].url, "A new title", "", "A page", search.Tier.ITEM), *records[1:]]
    published = _files(site / search.FOLDER)
    inodes = {p.relative_to(site): p.stat().st_ino for p in (site / search.FOLDER).rglob("*") if p.is_file()}
    for failing in (True, False):
        writer = SiteWriter(site, seed=True, unseeded=search.is_index)
        with writer as staging:
            assert not (staging / search.FOLDER).exists(), "the index is not seeded"
            indexer.start(changed, "en", staging, published=site)
            assert [source.parent for source, _ in indexer.borrowed] == [site / search.FOLDER] * 3
            indexer.finish()
            assert _files(site / search.FOLDER) == published, "the published index is whole while building"
            moves = [*indexer.borrowed, (site / "missing", staging / "missing")] if failing else indexer.borrowed
            if failing:
                with pytest.raises(OSError):
                    writer.publish(moves)
                assert _files(site / search.FOLDER) == published, "moved back: the site is as it was"
            else:
                writer.publish(moves)
    again = tmp_path / "again"
    search.Indexer(part_size=10).write(changed, "en", again)
    assert _files(site / search.FOLDER) == _files(again / search.FOLDER), "the index made at once"
    kept = [path for path in inodes if (site / path).exists() and inodes[path] == (site / path).stat().st_ino]
    assert len(kept) > 20, "the kept parts' files are the published ones, moved"


def test_the_preview_links_the_parts_it_keeps_so_the_index_served_stays_whole(tmp_path: Path) -> None:
    records = _records(FIXTURE)
    site = tmp_path / "site"
    indexer = search.Indexer(part_size=10, live=True)
    indexer.write(records, "en", site)
    served = _files(site / search.FOLDER)
    indexer.start(records, "en", site)
    assert indexer.pending and _files(site / search.FOLDER) == served, "the index in place is left as it is"
    indexer.finish()
    assert indexer.runs == 4 and _files(site / search.FOLDER) == served


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


PAGEFIND_UI = ("pagefind-ui.", "pagefind-modular-ui.", "pagefind-component-ui.", "pagefind-highlight.")
"""The beginnings of Pagefind's own search-interface files, which the site does not use."""


def test_the_index_is_pagefinds_output_for_the_records_less_its_interface(tmp_path: Path) -> None:
    """File for file: the index Pagefind's own Python API gives for the records (each added as an HTML file, named by
    its number, in their order), without its interface's scripts and styles, in the folder of its part, with
    the list of parts and the spelling-variant table, and Material's stub beside it. (The API answers a call in
    0.1 s: a few records are enough.)"""
    import asyncio

    from pagefind.index import IndexConfig
    from pagefind.service import PagefindService

    records = _records(FIXTURE)[:12]

    async def index() -> dict[str, bytes]:
        async with PagefindService() as service:
            pagefind = await service.create_index(IndexConfig(force_language="en"))
            for number, record in enumerate(records):
                await pagefind.add_html_file(content=record.document("en"), source_path=f"{number:06d}.html")
            return {file["path"]: file["content"] for file in await pagefind.get_files()}

    pagefind = asyncio.run(index())
    unused = {path for path in pagefind if path.startswith(PAGEFIND_UI)}
    assert len(unused) == 7, sorted(pagefind)
    (part,) = search.parts(records, "en")
    expected = {f"pagefind/{part.name}/{path}": data for path, data in pagefind.items() if path not in unused}
    listing = {"parts": [f"{part.name}/"], "variants": search.variants("en")}
    expected["pagefind/explainer-search.json"] = json.dumps(listing, sort_keys=True).encode()
    expected["search/search_index.json"] = (
        rb'{"config": {"lang": ["en"], "pipeline": [], "separator": "[\\s\\-]+"}, "docs": []}'
    )
    search.Indexer().write(records, "en", tmp_path / "site")
    assert _files(tmp_path / "site") == expected


def test_only_the_files_the_search_needs_are_written_and_only_inside_the_parts_folder() -> None:
    from builder.pagefind_service import needed

    kept = ["pagefind.js", "pagefind-worker.js", "pagefind-entry.json", "pagefind.en_7badfe9620.pf_meta"]
    kept += ["wasm.en.pagefind", "fragment/en_1a2b3c.pf_fragment", "index/en_1a2b3c.pf_index", "filter/en_1.pf_filter"]
    assert [path for path in kept if not needed(path)] == []
    dropped = ["pagefind-ui.js", "pagefind-ui.css", "pagefind-highlight.js", "pagefind-component-ui.js"]
    dropped += ["playground/index.html", "fragment/../x", "fragment/", "../pagefind.js", "index/a/b", "/etc/passwd"]
    assert [path for path in dropped if needed(path)] == []


def test_the_index_helper_runs_the_same_builder_as_the_build(tmp_path: Path) -> None:
    """A builder run from a folder of its own (not the one installed) starts helpers that run its code, though a
    helper runs in the index's folder."""
    source = tmp_path / "source"
    shutil.copytree(ROOT / "builder", source / "builder", ignore=shutil.ignore_patterns("__pycache__"))
    helper = source / "builder" / "pagefind_service.py"
    helper.write_text(
        helper.read_text().replace(
            'if __name__ == "__main__":\n', 'if __name__ == "__main__":\n    Path(os.environ["SEEN"]).touch()\n'
        )
    )
    script = (
        "import sys; from pathlib import Path; from builder import search; "
        "assert search.__file__.startswith(sys.argv[1]), search.__file__; "
        "search.Indexer().write([search.Record('a/#b', 'A title', 'Some text', 'A', search.Tier.ITEM)], 'en', "
        "Path(sys.argv[2]))"
    )
    seen = tmp_path / "seen"
    env = {**os.environ, "SEEN": str(seen), "PYTHONPATH": ""}
    result = subprocess.run(
        [sys.executable, "-c", script, str(source), str(tmp_path / "site")],
        cwd=source,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert seen.is_file(), "the helper ran the installed builder"
    assert (tmp_path / "site" / search.FOLDER / search.LISTING).is_file()


def test_the_same_records_make_the_same_index_wherever_it_is_written(tmp_path: Path) -> None:
    """Pagefind is handed the records in their order, not as files it lists: an index written on another file
    system (a tmpfs where there is one, which lists a folder in another order than a disk) is the same."""
    import tempfile

    records = _records(FIXTURE)
    search.Indexer().write(records, "en", tmp_path / "site")
    elsewhere = Path("/dev/shm") if Path("/dev/shm").is_dir() else None
    with tempfile.TemporaryDirectory(dir=elsewhere) as folder:
        search.Indexer().write(records, "en", Path(folder) / "site")
        assert _files(Path(folder) / "site") == _files(tmp_path / "site")


def _fake_pagefind(tmp_path: Path, script: str) -> Path:
    fake = tmp_path / "pagefind"
    fake.write_text(f"#!/bin/sh\n{script}\n", encoding="utf-8")
    fake.chmod(0o755)
    return fake


class _Recorded:
    """A stand-in for a part's helper (search._Helper) that records when it is handed its part and when it is
    waited for, and ends with `codes[its number]` (what it says then: `said`)."""

    events: list[str]
    codes: dict[int, int]
    unindexed: frozenset[int] = frozenset()
    said = "No space left on device"

    def __init__(self, command: list[str], out: Path) -> None:
        self.number = len([e for e in self.events if e.startswith("start")]) + 1
        self.events.append(f"start {self.number}")
        self.process = subprocess.Popen(["sleep", "60"])
        self.said_text = ""

    def hand(self, part: search.Part, language: str, gate: Any, limit: float) -> bool:
        if self.number in self.unindexed:
            self.events.append(f"not indexed {self.number}")
            return False
        self.events.append(f"indexed {self.number}")
        return True

    def wait(self, limit: float) -> int:
        self.events.append(f"written {self.number}")
        code = self.codes.get(self.number, 0)
        self.said_text = self.said if code else ""
        self.process.kill()
        self.process.wait()
        return code

    def close(self) -> None:
        self.events.append(f"closed {self.number}")


def test_each_part_is_indexed_while_the_last_parts_files_are_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The next part's Pagefind starts once the last part is indexed, not once its files are written; and while
    two parts' files are being written (search.WRITERS), a part waits for the older's before the next starts."""
    monkeypatch.setattr(_Recorded, "events", [], raising=False)
    monkeypatch.setattr(_Recorded, "codes", {}, raising=False)
    monkeypatch.setattr(search, "_Helper", _Recorded)
    parts = search.parts(_records(FIXTURE), "en", 10)
    assert len(parts) == 4 and search.WRITERS == 2
    search.Indexing(parts, "en", tmp_path).wait()
    assert _Recorded.events == [
        *("start 1", "indexed 1"),
        *("start 2", "indexed 2"),
        *("start 3", "indexed 3", "written 1"),
        *("start 4", "indexed 4", "written 2"),
        *("written 3", "written 4"),
        *("closed 1", "closed 2", "closed 3", "closed 4"),
    ]


def test_a_part_whose_files_cannot_be_written_fails_the_index_and_stops_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_Recorded, "events", [], raising=False)
    monkeypatch.setattr(_Recorded, "codes", {2: 1}, raising=False)
    monkeypatch.setattr(search, "_Helper", _Recorded)
    indexing = search.Indexing(search.parts(_records(FIXTURE), "en", 10), "en", tmp_path)
    with pytest.raises(search.SearchIndexFailed) as failed:
        indexing.wait()
    assert str(failed.value) == "Pagefind could not index the site: No space left on device"
    assert _Recorded.events == [
        *("start 1", "indexed 1"),
        *("start 2", "indexed 2"),
        *("start 3", "indexed 3", "written 1"),
        *("start 4", "indexed 4", "written 2"),
        *("closed 1", "closed 2", "closed 3", "closed 4"),
    ]
    assert [helper.process.poll() for helper in indexing._helpers] == [-9, -9, -15, -15], (
        "the last two parts' are stopped"
    )


def test_a_part_that_fails_says_why_after_the_parts_written_before_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_Recorded, "events", [], raising=False)
    monkeypatch.setattr(_Recorded, "codes", {2: 1}, raising=False)
    monkeypatch.setattr(_Recorded, "unindexed", frozenset({3}), raising=False)
    monkeypatch.setattr(search, "_Helper", _Recorded)
    indexing = search.Indexing(search.parts(_records(FIXTURE), "en", 10), "en", tmp_path)
    with pytest.raises(search.SearchIndexFailed) as failed:
        indexing.wait()
    assert str(failed.value) == "Pagefind could not index the site: No space left on device", "the second part's"
    assert _Recorded.events == [
        *("start 1", "indexed 1", "start 2", "indexed 2", "start 3", "not indexed 3"),
        *("written 1", "written 2", "closed 1", "closed 2", "closed 3"),
    ]


def test_a_helper_that_cannot_write_its_files_says_why_on_one_line(tmp_path: Path) -> None:
    from pagefind.service import get_executable

    record = _records(FIXTURE)[0]
    (tmp_path / "part").mkdir()
    (tmp_path / "part" / "pagefind-entry.json").write_text("taken", encoding="utf-8")  # written new only
    line = json.dumps(["000000.html", record.document("en")]) + "\n"
    command = [sys.executable, "-m", "builder.pagefind_service", str(get_executable()), "en", "part", "60"]
    done = subprocess.run(command, cwd=tmp_path, input=line.encode(), capture_output=True, check=False)
    assert (done.returncode, done.stdout) == (1, b"indexed\n")
    assert done.stderr.decode() == (
        "the index could not be written: [Errno 17] File exists: 'part/pagefind-entry.json'\n"
    )


def test_a_helper_says_when_pagefind_has_indexed_its_part_then_writes_its_files(tmp_path: Path) -> None:
    from pagefind.service import get_executable

    records = _records(FIXTURE)[:3]
    lines = "".join(json.dumps([f"{n:06d}.html", r.document("en")]) + "\n" for n, r in enumerate(records))
    command = [sys.executable, "-m", "builder.pagefind_service", str(get_executable()), "en", "part", "60"]
    done = subprocess.run(command, cwd=tmp_path, input=lines.encode(), capture_output=True, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (0, b"indexed\n", b"")
    assert (tmp_path / "part" / "pagefind-entry.json").stat().st_size > 0
    assert len(list((tmp_path / "part" / "fragment").iterdir())) == 3


def test_a_build_starts_pagefind_before_the_pages_and_keeps_what_it_writes(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pagefind starts when the content is prepared (the plugin's on_config), before the navigation: a build of
    everything then empties the staging folder (builder/incremental.py), but for the index being written."""
    from pagefind.service import get_executable

    real = get_executable()
    assert real is not None
    script = f'touch seen; sleep 2; [ -f seen ] || exit 3; exec "{real}" "$@"'  # Pagefind runs in NEW
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(_fake_pagefind(tmp_path, script)))
    site = tmp_path / "site"
    result = run("build", "--content", str(content), "--site-dir", str(site), "--today", "2026-06-01")
    assert result.returncode == 0, result.stderr
    assert (site / search.FOLDER / search.LISTING).is_file()


def test_a_pagefind_run_that_does_not_end_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(_fake_pagefind(tmp_path, "sleep 60")))
    monkeypatch.setattr(search, "RUN_LIMIT", 0.5)
    site = tmp_path / "site"
    began = time.monotonic()
    with pytest.raises(search.SearchIndexFailed) as failed:
        search.Indexer().write(_records(FIXTURE), "en", site)
    assert str(failed.value) == "Pagefind could not index the site: a run did not end within 0.5 s, and was stopped"
    assert time.monotonic() - began < 30
    assert not (site / search.NEW).exists()


def test_pagefind_leaves_the_build_a_core(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pagefind runs on every core but one (builder/search.py leave_a_core); the build's own threads keep all."""
    import os

    seen = tmp_path / "seen"
    script = f'grep Cpus_allowed_list /proc/self/status > "{seen}"; exit 1'
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(_fake_pagefind(tmp_path, script)))
    with pytest.raises(search.SearchIndexFailed):
        search.Indexer().write(_records(FIXTURE), "en", tmp_path / "site")
    ranges = [[int(n) for n in span.split("-")] for span in seen.read_text().split(":")[1].strip().split(",")]
    cores = sorted(os.sched_getaffinity(0))
    assert [n for span in ranges for n in range(span[0], span[-1] + 1)] == (cores[:-1] if len(cores) > 1 else cores)
    assert os.sched_getaffinity(0) == set(cores), "the build's own threads keep every core"


def test_a_helper_writes_its_part_on_every_core_once_indexed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each helper that says its part is indexed is let use every core of the build to write the part's files;
    Pagefind's runs keep to the core the build left them."""
    import os

    def allowed(pid: int) -> set[int]:
        status = Path(f"/proc/{pid}/status").read_text()
        spans = status.split("Cpus_allowed_list:")[1].split()[0].split(",")
        return {n for span in spans for n in range(int(span.split("-")[0]), int(span.split("-")[-1]) + 1)}

    cores = os.sched_getaffinity(0)
    kept = set(sorted(cores)[:-1]) if len(cores) > 1 else cores
    helpers: list[search._Helper] = []
    monkeypatch.setattr(search.Indexing, "_written", lambda self, helper: helpers.append(helper), raising=True)
    records = _records(FIXTURE)
    (tmp_path / "out").mkdir()
    indexing = search.Indexing(search.parts(records, "en", 10), "en", tmp_path / "out")
    indexing.wait()
    assert len(helpers) == 4
    monkeypatch.undo()
    fake = _fake_pagefind(tmp_path, f'echo $$ > "{tmp_path}/pid"; exec sleep 60')
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake))
    (tmp_path / "again").mkdir()
    indexing = search.Indexing(search.parts(records, "en", 10), "en", tmp_path / "again")
    try:
        began = time.monotonic()
        while not (tmp_path / "pid").exists() or not (tmp_path / "pid").read_text().strip():
            assert time.monotonic() - began < 30, "Pagefind did not start"
            time.sleep(0.05)
        running = indexing._helpers[0]
        pagefind = int((tmp_path / "pid").read_text())
        assert allowed(running.process.pid) == kept and allowed(pagefind) == kept
        indexing._written(running)  # what the index's thread does when the helper says its part is indexed
        assert allowed(running.process.pid) == cores, "the writing helper uses every core"
        assert allowed(pagefind) == kept, "Pagefind's run keeps its cores"
    finally:
        indexing.cancel()


def test_a_failing_pagefind_stops_the_build_and_leaves_the_site_as_it_was(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.test_build import tree_digest

    site = tmp_path / "site"
    args = ("build", "--content", str(content), "--site-dir", str(site), "--today", "2026-06-01")
    assert run(*args).returncode == 0
    published = tree_digest(site)
    facts = content / "facts" / "basics.yaml"  # one page changed: the next build starts as links of this site
    facts.write_text(facts.read_text().replace("output at 100 t", "output at 120 t"), encoding="utf-8")
    fake = _fake_pagefind(tmp_path, 'mkdir index; echo "Error: 3 pages could not be read" >&2; exit 1')
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake))
    failed = run(*args)
    assert failed.returncode == 1
    assert "ERROR - Pagefind could not index the site: Error: 3 pages could not be read" in failed.stderr
    assert failed.stderr.splitlines()[-1] == f"Build failed: Aborted with a BuildError!. {site}/ was left unchanged."
    assert tree_digest(site) == published
    assert sorted(p.name for p in tmp_path.iterdir()) == [".cache", ".site.lock", "content", "pagefind", "site"]


def test_a_build_writes_its_cache_while_the_index_is_made_and_when_it_fails(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache is not written when the content is prepared (the pages would wait for it) but while the build
    waits for the search index; a build that fails there has written it all the same."""
    cache = tmp_path / ".cache" / "explainer"
    fake = _fake_pagefind(tmp_path, f'ls "{cache}" > "{tmp_path}/seen" 2>/dev/null; echo "Error: no" >&2; exit 1')
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake))
    failed = run("build", "--content", str(content), "--site-dir", str(tmp_path / "site"), "--today", "2026-06-01")
    assert failed.returncode == 1 and "Pagefind could not index the site: Error: no" in failed.stderr
    seen = (tmp_path / "seen").read_text().split()
    assert "pages-00.pickle" not in seen and "prose.pickle" not in seen, "not written before the index began"
    written = sorted(p.name for p in cache.iterdir())
    assert "prose.pickle" in written and "pages-00.pickle" in written and "parsed-00.pickle" in written


def test_a_build_that_fails_stops_pagefind_and_removes_what_it_wrote(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    pid = tmp_path / "pid"
    fake = _fake_pagefind(tmp_path, f'echo $$ > "{pid}"; touch started; exec sleep 60')
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake))
    site = tmp_path / "site"
    site.mkdir()
    indexer = search.Indexer()
    indexer.start(_records(FIXTURE), "en", site)
    assert indexer.pending
    began = time.monotonic()
    while not (site / search.NEW / "started").exists():
        assert time.monotonic() - began < 30, "Pagefind did not start"
        time.sleep(0.05)
    indexer.cancel()  # what the plugin's on_build_error does
    assert time.monotonic() - began < 30, "Pagefind was not stopped"
    assert not indexer.pending and list(site.iterdir()) == []
    pagefind = Path(f"/proc/{pid.read_text().strip()}")
    while pagefind.exists() and "State:\tZ" not in (pagefind / "status").read_text():
        assert time.monotonic() - began < 30, "the helper left Pagefind running"
        time.sleep(0.05)


def test_the_preview_writes_only_the_newest_index_and_swaps_it_in_whole(tmp_path: Path) -> None:
    import logging

    from tests.pagefind_index import fragments

    records = _records(FIXTURE)
    older = [*records, search.Record("old/", "An older page", "", "An older page", search.Tier.META)]
    newest = [*records, search.Record("new/", "The newest page", "", "The newest page", search.Tier.META)]
    site = tmp_path / "site"
    (site / search.FOLDER).mkdir(parents=True)
    (site / search.FOLDER / "stale.txt").write_text("from the index before")
    messages: list[str] = []

    class Remember(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            messages.append(record.getMessage())

    log = logging.getLogger("test-indexer-thread")
    log.addHandler(Remember())
    log.setLevel(logging.INFO)
    later = search.IndexerThread(search.Indexer(), log)
    for found in (records, older, newest):  # saved three times while the first index was being written
        later.write(found, "en", site)
    assert later.wait(timeout=120)
    assert later.indexer.runs <= 2, "records replaced before they were indexed are never indexed"
    assert "new/" in fragments(site) and "old/" not in fragments(site)
    assert not (site / search.FOLDER / "stale.txt").exists(), "the index folder is replaced whole"
    assert sorted(p.name for p in site.iterdir()) == [search.FOLDER, "search"], "no staging folder is left"
    expected = tmp_path / "expected"
    search.Indexer().write(newest, "en", expected)
    files = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert files == {p.relative_to(expected): p.read_bytes() for p in expected.rglob("*") if p.is_file()}
    assert re.fullmatch(rf"Search index updated \({len(newest)} records\) in \d+\.\d s", messages[-1]), messages
    assert len(messages) == later.written == later.indexer.runs


def test_the_preview_index_waits_while_a_rebuild_runs(tmp_path: Path) -> None:
    """IndexerThread.pause (a rebuild starts): the index asked for hands Pagefind no record until resume()."""
    import logging
    import threading

    site = tmp_path / "site"
    site.mkdir()
    later = search.IndexerThread(search.Indexer(live=True), logging.getLogger("test-indexer-pause"))
    later.pause()
    later.write(_records(FIXTURE), "en", site)
    assert not later.wait(timeout=1.0), "a paused index is not written"
    assert later.written == 0 and not (site / search.FOLDER).exists()
    built = tmp_path / "built"  # the same indexer, writing at once (a build in the same process): never paused
    writing = threading.Thread(target=later.indexer.write, args=(_records(FIXTURE), "en", built), daemon=True)
    writing.start()
    writing.join(timeout=60)
    assert not writing.is_alive() and (built / search.FOLDER / search.LISTING).is_file()
    later.resume()
    assert later.wait(timeout=120)
    assert later.written == 1 and (site / search.FOLDER / search.LISTING).is_file()


def test_the_preview_makes_the_text_of_an_items_record_again_only_for_an_item_made_again() -> None:
    """records(texts=...): the items of unchanged files are the same objects at each rebuild of the preview."""
    from builder.render import render

    checked = check(FIXTURE)
    assert checked.content is not None
    content, rendered, own = checked.content, render(checked.content), own_files(FIXTURE)
    texts = search.ItemTexts()
    first = search.records(content, rendered, own, texts=texts)
    fact = content.facts[0]
    edited = fact.model_copy(update={"statement": "A statement written again [@source-a]."})
    again = content.model_copy(update={"facts": [edited, *content.facts[1:]]})
    made: list[str] = []
    real = search.plain_text

    def counting(text: str, prose: Any) -> str:
        made.append(text)
        return real(text, prose)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "plain_text", counting)
        second = search.records(again, rendered, own, texts=texts)
    assert made == [edited.statement, *([edited.note] if edited.note else [])]
    assert next(r for r in second if r.url.endswith(f"#{fact.id}")).text == "A statement written again."
    assert [r for r in second if not r.url.endswith(f"#{fact.id}")] == [
        r for r in first if not r.url.endswith(f"#{fact.id}")
    ]
    assert search.records(again, rendered, own) == second, "the same records as made from nothing"


def test_spelling_variants_go_both_ways_in_english_only() -> None:
    table = search.variants("en")
    assert table["licens"] == ["licenc"] and table["licenc"] == ["licens"]
    assert table["colour"] == ["color"] and table["color"] == ["colour"]
    assert search.variants("en-GB") == table
    assert search.variants("fr") == {} and search.variants("zh") == {}


def test_the_built_site_has_the_chunked_index_and_no_theme_index(site: Path) -> None:
    listing = json.loads((site / "pagefind" / "explainer-search.json").read_text())
    (part,) = listing["parts"]  # at most 6,000 records a part
    entry = json.loads((site / "pagefind" / part / "pagefind-entry.json").read_text())
    assert list(entry["languages"]) == ["en-gb"]  # the fixture explainer is in en-GB
    assert len(list((site / "pagefind" / part / "fragment").iterdir())) == len(_records(FIXTURE))
    # Material's page script fetches this on every page: it stays a few dozen bytes, whatever the content.
    stub = json.loads((site / "search" / "search_index.json").read_text())
    assert stub == {"config": {"lang": ["en"], "pipeline": [], "separator": r"[\s\-]+"}, "docs": []}
    assert listing["variants"]["licenc"] == ["licens"]
    # Pagefind's own interface files are not published: the theme's dialog is the interface.
    assert not list((site / "pagefind").rglob("pagefind-ui*")) and not list((site / "pagefind").rglob("*component*"))
    html = (site / "index.html").read_text()
    config = json.loads(re.search(r'<script id="__config" type="application/json">(.*?)</script>', html, re.S)[1])
    assert config["search"] == "assets/javascripts/workers/explainer-search.js"
    assert (site / config["search"]).is_file()
    assert 'data-toggle="__search"' in html and 'data-md-component="search"' in html


def test_generate_keeps_the_theme_search(tmp_path: Path) -> None:
    """A generated project has no explainer plugin: Material's own search plugin indexes it, as before."""
    project = tmp_path / "project"
    assert run("generate", "--content", str(FIXTURE), "--out", str(project)).returncode == 0
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    html = (tmp_path / "site" / "index.html").read_text()
    assert '"search": "assets/javascripts/workers/search.' in html
    docs = json.loads((tmp_path / "site" / "search" / "search_index.json").read_text())["docs"]
    assert any(d["location"] == "facts/basics/#alpha-fact" for d in docs)
    assert not (tmp_path / "site" / "pagefind").exists()


# ---------------------------------------------------------------------------------------------- in Chromium


def _search(tab: Page, query: str) -> None:
    tab.keyboard.press("/")
    # The whole query at once, then one key: Material reads the query on keyup, so it asks once, for the whole
    # query. Typed a key at a time, each prefix is answered too, and a slow answer to "licenc" could be read
    # as the answer to "licence". (Characters typed through an input method, Chinese, send no keyup either.)
    tab.locator(SEARCH_INPUT).fill(query)
    tab.keyboard.press("End")
    expect(tab.locator(".md-search-result__item").first).to_be_visible(timeout=15_000)


def _links(tab: Page) -> list[str]:
    """The result links' targets (path under the site and anchor, without the highlight parameter), in order."""
    tab.wait_for_timeout(300)  # the last keystroke's answer replaces the list once
    hrefs = tab.locator(".md-search-result__link").evaluate_all("links => links.map(a => a.href)")
    targets = []
    for href in hrefs:
        parts = urlsplit(href)
        path = parts.path.removeprefix("/").removeprefix("sub/")
        targets.append(path + (f"#{parts.fragment}" if parts.fragment else ""))
    return targets


ITEM_PAGES = ("facts/", "elements/", "questions/", "timeline/", "people/")


def test_a_word_puts_the_item_first_and_a_click_lands_on_its_anchor(tab: Page, server: str) -> None:
    tab.goto(server)
    _search(tab, "dysprosium")
    links = _links(tab)
    assert links[:4] == ["elements/", "elements/#dysprosium", "facts/basics/", "facts/basics/#alpha-fact"]
    first = tab.locator(".md-search-result__item").first
    expect(first.locator("h2 mark")).to_have_text("Dysprosium")
    tab.locator(".md-search-result__link[href*='#alpha-fact']").click()
    tab.wait_for_url(re.compile(r"/facts/basics/\?h=dysprosium#alpha-fact$"))
    expect(tab.locator("h2#alpha-fact")).to_be_in_viewport()
    expect(tab.locator("h2#alpha-fact + p mark").first).to_have_text("dysprosium")  # search.highlight


@pytest.fixture(scope="module")
def parted_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fixture content built with its search index in four parts (search_part: 10 records)."""
    import yaml

    folder = tmp_path_factory.mktemp("parted")
    settings = {"INHERIT": str(ROOT / "mkdocs.yml"), "docs_dir": str(ROOT / "shared")}
    settings["plugins"] = ["search", {"explainer": {"search_part": 10}}]
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(settings), encoding="utf-8")
    out = folder / "site"
    result = run("build", "--content", str(FIXTURE), "--site-dir", str(out), "--config", str(folder / "mkdocs.yml"))
    assert result.returncode == 0, result.stderr
    assert len(json.loads((out / "pagefind" / search.LISTING).read_text())["parts"]) == 4
    yield from serve(out)


def test_an_index_in_parts_answers_as_the_index_in_one_does(tab: Page, server: str, parted_server: str) -> None:
    urls: list[str] = []
    tab.on("request", lambda request: urls.append(request.url))
    answers = []
    for address in (server, parted_server):
        tab.goto(address)
        _search(tab, "dysprosium")
        answers.append(_links(tab))
    whole, parted = answers
    assert parted[:4] == ["elements/", "elements/#dysprosium", "facts/basics/", "facts/basics/#alpha-fact"]
    assert sorted(parted) == sorted(whole)
    entries = {u.split("?")[0] for u in urls if u.startswith(parted_server) and "pagefind-entry.json" in u}
    assert len(entries) == 4, "every part of the index is searched"
    scripts = [u for u in urls if u.startswith(parted_server) and u.endswith(("pagefind.js", ".pagefind"))]
    assert len(scripts) == 2, "Pagefind's script and WebAssembly are loaded once, from the first part"


def test_items_rank_above_the_corrections_and_the_site_pages(tab: Page, real_server: str) -> None:
    tab.goto(real_server)
    _search(tab, "dysprosium")
    links = [link for link in _links(tab) if "#" in link]
    correction = links.index("corrections/#correction-minerals-neodymium-dysprosium")
    assert links[0] == "elements/#dysprosium"
    assert "facts/basics/#dysprosium-terbium-heat-resistance" in links[:correction]
    assert all(link.startswith(("elements/", "facts/", "timeline/", "questions/")) for link in links[:correction])


def test_the_explainers_own_page_comes_after_the_items(tab: Page, real_server: str) -> None:
    tab.goto(real_server)
    _search(tab, "YAML")
    links = _links(tab)
    assert "editing/" in links
    assert [link for link in links[links.index("editing/") :] if link.startswith(ITEM_PAGES)] == []


@pytest.mark.parametrize(("query", "found"), [("license", "licences"), ("licence", "licensing")])
def test_british_and_american_spellings_find_each_other(tab: Page, real_server: str, query: str, found: str) -> None:
    tab.goto(real_server)
    _search(tab, query)
    # The typed query's shorter prefixes ("licenc") answer first; wait for the whole word's answer to replace them.
    expect(tab.locator(".md-search-result__list")).to_contain_text(found, ignore_case=True, timeout=10_000)
    assert "licences-went-to-suppliers-not-carmakers" in " ".join(_links(tab))


@pytest.mark.parametrize(
    ("query", "anchor"),
    [("Busan", "#busan-"), ("Announcement No. 18", "#announcement-18-"), ("dysprosium", "#dysprosium")],
)
def test_search_lands_on_the_right_item(tab: Page, real_server: str, query: str, anchor: str) -> None:
    tab.goto(real_server)
    _search(tab, query)
    result = tab.locator(f".md-search-result__item a[href*='{anchor}']").first
    for _ in range(50):  # a page's further matches are folded under "more on this page": unfold them
        tab.evaluate("document.querySelectorAll('.md-search-result details').forEach(d => d.open = true)")
        if result.is_visible():
            break
        tab.wait_for_timeout(200)
    expect(result).to_be_visible()
    target = str(result.get_attribute("href")).split("#", 1)[1]
    result.click()
    tab.wait_for_url(re.compile(f"#{re.escape(target)}$"))
    expect(tab.locator(f"[id='{target}']")).to_be_in_viewport()
    section = tab.evaluate(
        "id => { const h = document.getElementById(id); return h.textContent + ' ' + h.nextElementSibling.textContent; }",
        target,
    )
    assert query.lower() in section.lower()


def test_the_keyboard_alone_reaches_and_opens_a_result(tab: Page, server: str) -> None:
    tab.goto(server)
    _search(tab, "dysprosium")
    # The answer to the whole word (its links carry ?h=dysprosium), not to a keystroke before it, which it
    # would replace, taking the focus with it.
    first = tab.locator(".md-search-result__link").first
    expect(first).to_have_attribute("href", re.compile(r"/elements/\?h=dysprosium$"))
    tab.keyboard.press("ArrowDown")
    focused = tab.evaluate("document.activeElement.href")
    assert re.search(r"/elements/\?h=dysprosium$", focused)
    tab.keyboard.press("ArrowDown")
    assert tab.evaluate("document.activeElement.href").endswith("/elements/?h=dysprosium#dysprosium")
    tab.keyboard.press("Enter")
    tab.wait_for_url(re.compile(r"/elements/\?h=dysprosium#dysprosium$"))


def _bytes(tab: Page) -> list[int]:
    sizes: list[int] = []
    tab.on("requestfinished", lambda request: sizes.append(request.sizes()["responseBodySize"]))
    return sizes


def test_nothing_that_grows_with_the_content_loads_with_a_page(tab: Page, real_server: str) -> None:
    urls: list[str] = []
    tab.on("request", lambda request: urls.append(request.url))
    tab.goto(real_server + "facts/supply/")
    tab.wait_for_load_state("networkidle")
    assert not [u for u in urls if "/pagefind/" in u]
    assert [u for u in urls if "search_index" in u] == [real_server + "search/search_index.json"]


def test_the_reader_downloads_less_than_500_kb_before_the_first_result(tab: Page, real_server: str) -> None:
    """At today's size; tests/bench_search.py measures it at 10,000 facts."""
    tab.goto(real_server)
    tab.wait_for_load_state("networkidle")
    sizes = _bytes(tab)
    urls: list[str] = []
    tab.on("request", lambda request: urls.append(request.url))
    _search(tab, "dysprosium")
    assert any(re.search(r"/pagefind/\w+/index/", u) for u in urls)
    assert any(re.search(r"/pagefind/\w+/fragment/", u) for u in urls)
    assert 100_000 < sum(sizes) < 500_000


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_with_results_open(tab: Page, real_server: str, scheme: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    tab.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    tab.goto(real_server)
    _search(tab, "magnet")
    tab.evaluate("document.querySelectorAll('.md-search-result details').forEach(d => d.open = true)")
    violations = Axe().run(tab, options=WCAG).response["violations"]
    assert [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations] == []


def _explainer(root: Path, language: str, facts: str) -> Path:
    """The fixture content in another language, with facts written in it."""
    content = root / "content"
    shutil.copytree(FIXTURE, content)
    site = content / "site.yaml"
    site.write_text(site.read_text().replace("language: en-GB", f"language: {language}"))
    write(content / "facts" / f"{language}.yaml", facts)
    out = root / "site"
    result = run("build", "--content", str(content), "--site-dir", str(out), "--today", "2025-06-01")
    assert result.returncode == 0, result.stdout + result.stderr
    return out


CHINESE = """\
- id: zh-export-licence
  title: 中国对七种稀土实行出口许可
  statement: 二〇二五年四月，商务部宣布对钐、钆、铽、镝、镥、钪、钇等七种中重稀土实施出口管制措施。
  status: confirmed
  as_of: 2025-04-04
  topics: [basics]
  citations:
    - source: source-a
"""

FRENCH = """\
- id: fr-licences
  title: La Chine soumet sept terres rares à licence
  statement: En avril 2025, la Chine a soumis les exportations de sept terres rares à des licences.
  status: confirmed
  as_of: 2025-04-04
  topics: [basics]
  citations:
    - source: source-a
"""


def _entry(site: Path) -> dict[str, Any]:
    """Pagefind's entry file of the site's index (in one part)."""
    (part,) = json.loads((site / "pagefind" / search.LISTING).read_text())["parts"]
    return dict(json.loads((site / "pagefind" / part / "pagefind-entry.json").read_text()))


@pytest.fixture(scope="module")
def chinese_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    out = _explainer(tmp_path_factory.mktemp("zh"), "zh", CHINESE)
    assert list(_entry(out)["languages"]) == ["zh"]
    yield from serve(out)


@pytest.fixture(scope="module")
def french_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    out = _explainer(tmp_path_factory.mktemp("fr"), "fr", FRENCH)
    assert list(_entry(out)["languages"]) == ["fr"]
    yield from serve(out)


@pytest.mark.parametrize("query", ["稀土", "出口管制", "镝"])
def test_a_chinese_word_inside_a_sentence_lands_on_the_item(tab: Page, chinese_site: str, query: str) -> None:
    tab.goto(chinese_site)
    _search(tab, query)
    assert _links(tab)[:2] == ["facts/basics/", "facts/basics/#zh-export-licence"]
    expect(tab.locator(".md-search-result__item").first.locator("mark").first).to_have_text(query[:2])
    tab.locator(".md-search-result__link[href*='#zh-export-licence']").click()
    expect(tab.locator("[id='zh-export-licence']")).to_be_in_viewport()


def test_a_french_word_finds_its_other_forms(tab: Page, french_site: str) -> None:
    tab.goto(french_site)
    _search(tab, "exportation")  # the fact says "exportations": French stemming
    assert _links(tab)[:2] == ["facts/basics/", "facts/basics/#fr-licences"]


def test_a_site_under_a_sub_path_searches_its_own_index(tab: Page, site: Path, tmp_path: Path) -> None:
    root = tmp_path / "host"
    root.mkdir()
    (root / "sub").symlink_to(site, target_is_directory=True)
    urls: list[str] = []
    tab.on("request", lambda request: urls.append(request.url))
    address = next(serve(root))
    tab.goto(address + "sub/")
    _search(tab, "dysprosium")
    assert _links(tab)[:2] == ["elements/", "elements/#dysprosium"]
    assert [u for u in urls if "/pagefind/" in u] and all("/sub/" in u for u in urls if "/pagefind/" in u)


@pytest.fixture(scope="module")
def zensical_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fixture built by Zensical (`build --engine zensical`): Zensical's own search, from its search.json."""
    out = tmp_path_factory.mktemp("zensical") / "site"
    result = run("build", "--engine", "zensical", "--content", str(FIXTURE), "--site-dir", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (out / "pagefind").exists() and (out / "search.json").is_file()
    yield from serve(out)


def test_zensical_keeps_its_own_search_and_lands_on_the_item(tab: Page, zensical_server: str) -> None:
    tab.goto(zensical_server)
    tab.locator(".md-search__button").first.click()
    tab.keyboard.type("dysprosium", delay=30)
    result = tab.locator("[role=option][href*='#alpha-fact']")
    expect(result).to_be_visible(timeout=15_000)
    expect(result).to_contain_text("Alpha dysprosium output")
    result.click()
    tab.wait_for_url(re.compile(r"/facts/basics/\?h=dysprosium#alpha-fact$"))
    expect(tab.locator("[id='alpha-fact']")).to_be_in_viewport()
