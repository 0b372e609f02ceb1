"""The site's search index, built from the content (not by re-reading the finished pages): Pagefind's chunked index.

One record per item a reader looks for (fact, question, element, person, event; then sources, datasets and
corrections) with the URL of its anchor, and one per page (its title and description; the explainer's own
pages with their text). Each record is handed to Pagefind as a small HTML document written here with every
value escaped, so that its `data-pagefind-weight` attributes rank items above list pages and the
explainer's own "how this site is made" pages last. Pagefind splits the index into chunks: a reader
downloads only the chunks the words typed need. A large site's records are indexed in parts, each by a
Pagefind run of its own (bounding its memory) into a folder named by the digest of its records (so that a
rebuild indexes again only the parts that changed). The search worker (builder/searchui/explainer-search.js)
merges the parts, answers Material's search dialog from them, lists items first, and adds the spelling
variants (licence and license) of the table written here.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

import markdown
import yaml

from .cache import builder_version
from .markup import MARKDOWN_SYNTAX, Prose, _TextOnly
from .model import Content
from .render import CITE_RUN, Rendered, page_url

FOLDER = "pagefind"
"""Where the index goes in the built site."""
LISTING = "explainer-search.json"
"""What the worker reads first (inside FOLDER): the index's parts, each a folder of Pagefind's, and the
spelling-variant table."""
ENTRY = "pagefind-entry.json"
"""The file every complete Pagefind index (each part's folder) has."""
RUN_LIMIT = 600.0
"""Seconds a Pagefind run may take by default (a part of 6,000 records takes about 3 s)."""
NEW = f".{FOLDER}.new"
"""The folder of a site folder the index is written in, before it is swapped in (Indexer.start, finish)."""
PART_SIZE = 6_000
"""Records per part of the index at most, by default: Pagefind's indexer holds a run's whole index in memory
(about 36 KB a record), a rebuild indexes again only the parts whose records changed, and a reader's search
answers sooner from several small parts than from one large one (at 10,000 generated facts, first results in
1.0-3.4 s from three parts against 2.5-6.9 s from one, for 20 KB more downloaded)."""
PREVIEW_PART_SIZE = 1_000
"""Records per part in the live preview, by default: a save indexes again the part of the records it changed
while the editor reads the page, and a part of 6,000 records took the preview's process and Pagefind about 3 s
of both cores at 5,000 facts, slowing the next save's rebuild. Nothing is downloaded over a network there."""
ASSETS = Path(__file__).parent / "searchui"
"""The search worker and the results' style sheet, added to the site by the plugin (not to generated projects)."""
WORKER = "assets/javascripts/workers/explainer-search.js"
"""Where the search worker (ASSETS / explainer-search.js) goes in the site."""
CSS = "assets/explainer-search.css"
"""Where the search results' colours (AA contrast; ASSETS / explainer-search.css) go in the site."""
STUB = "search/search_index.json"
"""Material's page script fetches this file on every page and hands it to the worker: here it holds only the
language (a few dozen bytes, whatever the number of facts); the worker does not need it."""


class Tier(Enum):
    """How a record ranks: (weight of its title's words, weight of its text's words) in Pagefind's score
    (data-pagefind-weight). Items also carry a filter: the worker lists every matching item first."""

    ITEM = (7.0, 1.0)
    """Facts, questions, elements, people and events: what a reader searches for."""
    REFERENCE = (2.0, 0.5)
    """Sources and datasets."""
    LIST = (1.0, 0.3)
    """Pages that list items (a topic, the timeline), and corrections of others' claims."""
    META = (0.5, 0.1)
    """Pages about the site (method, changes, downloads) and the explainer's own pages: found, ranked last."""


@dataclass(frozen=True)
class Record:
    url: str
    """Site-relative URL, with the item's anchor: 'facts/supply/#china-refining-share'."""
    title: str
    text: str
    page: str
    """The title of the page that holds it (the heading its result is shown under)."""
    tier: Tier

    def document(self, language: str) -> str:
        """The record as the HTML document Pagefind indexes; every value escaped. Its URL and page title are
        metadata taken from attributes (`key[attribute]`), so that they add no words to the index."""
        title_weight, text_weight = self.tier.value
        item = ITEM_FILTER if self.tier is Tier.ITEM else ""
        return (
            f'<!doctype html><html lang="{html.escape(language)}"><head><title>{html.escape(self.title)}</title>'
            f'</head><body><h1 data-pagefind-weight="{title_weight}">{html.escape(self.title)}</h1>'
            f'<p data-pagefind-weight="{text_weight}">{html.escape(self.text)}</p>'
            f'<span data-pagefind-meta="href[data-href], page[data-page]" data-href="{html.escape(self.url)}"'
            f' data-page="{html.escape(self.page)}"{item}></span></body></html>'
        )


ITEM_FILTER = ' data-pagefind-filter="item:yes"'
"""Items carry one Pagefind filter, so that the worker can ask for them first. One filter with one value: with
more, Pagefind writes the values in a different order on each run, and two builds would differ."""


SPELLINGS: tuple[tuple[str, str], ...] = (
    ("aluminium", "aluminum"),
    ("analyse", "analyze"),
    ("armour", "armor"),
    ("behaviour", "behavior"),
    ("catalogue", "catalog"),
    ("centre", "center"),
    ("colour", "color"),
    ("defence", "defense"),
    ("dialogue", "dialog"),
    ("endeavour", "endeavor"),
    ("favour", "favor"),
    ("fibre", "fiber"),
    ("flavour", "flavor"),
    ("fulfil", "fulfill"),
    ("grey", "gray"),
    ("harbour", "harbor"),
    ("honour", "honor"),
    ("judgement", "judgment"),
    ("labell", "label"),
    ("labour", "labor"),
    ("licenc", "licens"),
    ("litre", "liter"),
    ("manoeuvr", "maneuver"),
    ("metre", "meter"),
    ("modell", "model"),
    ("neighbour", "neighbor"),
    ("offence", "offense"),
    ("programme", "program"),
    ("rumour", "rumor"),
    ("sulphur", "sulfur"),
    ("travell", "travel"),
    ("vapour", "vapor"),
    # -ise / -ize
    ("authoris", "authoriz"),
    ("characteris", "characteriz"),
    ("criticis", "criticiz"),
    ("industrialis", "industrializ"),
    ("liberalis", "liberaliz"),
    ("maximis", "maximiz"),
    ("minimis", "minimiz"),
    ("nationalis", "nationaliz"),
    ("normalis", "normaliz"),
    ("organis", "organiz"),
    ("prioritis", "prioritiz"),
    ("realis", "realiz"),
    ("recognis", "recogniz"),
    ("stabilis", "stabiliz"),
    ("subsidis", "subsidiz"),
    ("utilis", "utiliz"),
)
"""British and American spellings of English word beginnings (the worker swaps the beginning of a query word:
'colours' is searched as 'colors' too). Used when the site's language is English."""


def variants(language: str) -> dict[str, list[str]]:
    """Word beginning -> its other spellings, both ways, for the site's language (empty but for English)."""
    if language.split("-")[0].lower() != "en":
        return {}
    table: dict[str, list[str]] = {}
    for british, american in SPELLINGS:
        table.setdefault(british, []).append(american)
        table.setdefault(american, []).append(british)
    return dict(sorted(table.items()))


def plain_text(markdown_text: str, prose: Prose) -> str:
    """The text a reader sees of editor Markdown, without its citations, on one line: from the conversion the
    page's HTML was made from (Prose.text_without, which the render has done). Most statements hold no
    Markdown syntax at all, and skip it (the same result, a tenth of the time)."""
    stripped = CITE_RUN.sub("", markdown_text) if "[@" in markdown_text else markdown_text
    if MARKDOWN_SYNTAX.search(stripped):
        return prose.text_without(markdown_text, CITE_RUN)
    return " ".join(stripped.split())


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader where PyYAML was built with it (a page's front matter is read for every record)."""


def _front_matter(page: str) -> dict[str, str]:
    if not page.startswith("---\n"):
        return {}
    end = page.find("\n---\n", 4)
    meta = yaml.load(page[4:end], Loader=_LOADER) if end > 0 else None
    return meta if isinstance(meta, dict) else {}


LIST_PAGES = {"index.md", "questions/index.md", "facts/index.md", "timeline.md", "elements.md", "people.md"}
LIST_PAGES |= {"data.md", "sources.md", "corrections.md"}
"""Generated pages that list items (topic pages under facts/ too); every other generated page is about the site."""


class ItemTexts:
    """The text of each item's record, kept with the item it was made from. The live preview keeps the items of
    unchanged files, the same objects, from one rebuild to the next: their texts are taken as they were (at
    5,000 generated facts, 0.05 s of each rebuild). An item made again (its file changed) is not the same object,
    and its text is made again."""

    def __init__(self) -> None:
        self.kept: dict[int, tuple[object, str]] = {}
        """id(item) -> (the item, its text): the item is held, so its id is not another's."""


def records(
    content: Content,
    rendered: Rendered,
    own: dict[str, Path],
    prose: Prose | None = None,
    texts: ItemTexts | None = None,
) -> list[Record]:
    """Every search record: items from the content, pages from their front matter, the explainer's own pages.

    `rendered` holds the pages rendered from `content` and where each item is; `own` the hand-written pages
    (pages.own_files); `prose`: the conversions kept between builds (builder/markup.py); `texts`: the items'
    texts kept from the last call (the live preview), replaced by this call's.
    """
    prose = prose or Prose()
    pages, locations = rendered.pages, rendered.locations
    site = content.site
    kept = texts.kept if texts is not None else {}
    made: dict[int, tuple[object, str]] = {}

    def text(item: object, *parts: str | None) -> str:
        found = kept.get(id(item))
        if found is None or found[0] is not item:
            found = (item, " ".join(plain_text(part, prose) for part in parts if part))
        made[id(item)] = found
        return found[1]

    fronts = {src: _front_matter(pages.front(src)) for src in pages}
    titles = {src: str(meta.get("title") or site.title) for src, meta in fronts.items()}

    def at(ident: str, anchor: bool = True) -> tuple[str, str]:
        src = locations[ident]
        return page_url(src) + (f"#{ident}" if anchor else ""), titles.get(src, site.title)

    found: list[Record] = []

    def add(ident: str, title: str, body: str, tier: Tier, anchor: bool = True) -> None:
        url, page = at(ident, anchor)
        found.append(Record(url, title, body, page, tier))

    for fact in content.facts:
        add(fact.id, fact.title, text(fact, fact.statement, fact.note), Tier.ITEM)
    for question in content.questions:
        body = text(question, question.short_answer, question.answer)
        add(question.id, question.question, body, Tier.ITEM, anchor=False)
    for element in content.elements:
        add(element.id, f"{element.name} ({element.symbol})", text(element, element.uses, element.note), Tier.ITEM)
    for person in content.people:
        add(person.id, person.name, " ".join((person.role, text(person, person.description))), Tier.ITEM)
    for event in content.events:
        add(event.id, event.title, text(event, event.summary), Tier.ITEM)
    for source in content.sources:
        add(source.id, f"{source.publisher}: {source.title}", " ".join(source.authors), Tier.REFERENCE)
    for dataset in content.datasets:
        add(dataset.id, dataset.title, text(dataset, dataset.description, dataset.note), Tier.REFERENCE)
    for correction in content.corrections:
        add(correction.id, correction.claim, text(correction, correction.correction), Tier.LIST)
    if texts is not None:
        texts.kept = made
    items = {record.url for record in found}
    for src, meta in sorted(fronts.items()):
        if page_url(src) in items:
            continue  # a question's page: its record is the question's
        tier = Tier.LIST if src in LIST_PAGES or src.startswith("facts/") else Tier.META
        found.append(Record(page_url(src), titles[src], str(meta.get("description") or ""), titles[src], tier))
    converter = markdown.Markdown(extensions=["tables"])
    for path, file in sorted(own.items()):
        if path.endswith(".md"):
            title, body = _own_page(file.read_text("utf-8"), converter, Path(path).stem)
            found.append(Record(page_url(path), title, body, title, Tier.META))
    return found


def _own_page(source: str, converter: markdown.Markdown, fallback: str) -> tuple[str, str]:
    """A hand-written page's title (front matter, else its first heading) and its text."""
    meta = _front_matter(source)
    if source.startswith("---\n"):
        source = source[source.find("\n---\n", 4) + 5 :]
    reader = _TextOnly()
    reader.feed(converter.reset().convert(source))
    reader.close()
    body = " ".join("".join(reader.parts).split())
    heading = re.search(r"^# (.+)$", source, re.MULTILINE)
    title = str(meta.get("title") or (heading.group(1).strip() if heading else fallback))
    return title, body


@dataclass(frozen=True)
class Part:
    """Some of the records, and the name of the folder their index goes in: a digest of the records, the language,
    the builder's code (which makes the documents) and Pagefind's version (the same records give the same folder)."""

    name: str
    records: list[Record]

    def documents(self, language: str) -> list[str]:
        """The records as the documents Pagefind indexes (made only for a part that is indexed)."""
        return [record.document(language) for record in self.records]


def parts(found: list[Record], language: str, size: int = PART_SIZE) -> list[Part]:
    """The records in as few parts as hold at most about `size` each. A record's part follows from its URL
    alone (a checksum), so an edit changes only the part of the records it changes, until the number of
    parts changes. A part is named by a digest of its records' fields, not of their documents: at 50,000
    facts, making every record's document only to name the parts took 0.65 s of a build after one edit."""
    count = max(1, -(-len(found) // size))
    groups: list[list[Record]] = [[] for _ in range(count)]
    for record in found:
        groups[zlib.crc32(record.url.encode()) % count].append(record)
    made = []
    common = f"{pagefind_version()}\0{builder_version()}\0{language}\0".encode()
    for group in groups:
        fields = "\1".join(f"{r.url}\0{r.title}\0{r.text}\0{r.page}\0{r.tier.name}" for r in group)
        made.append(Part(hashlib.sha256(common + fields.encode()).hexdigest()[:20], group))
    return [part for part in made if part.records]


def is_index(folder: Path) -> bool:
    """Whether a folder of a built site is its search index: a build does not seed it into its staging folder,
    but takes the unchanged parts from the published one when it is swapped in (Indexer.borrowed)."""
    return (folder / LISTING).is_file()


def pagefind_version() -> str:
    """The version of Pagefind's indexer installed, which the index's files depend on."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pagefind_bin_extended")
    except PackageNotFoundError:
        return version("pagefind")


class Indexer:
    """Writes the search index into a site, in two steps: start() sets Pagefind (a process of its own) indexing
    the records while the caller goes on (MkDocs renders the pages); finish() waits for it and swaps the index
    in.

    The records are indexed in parts of at most `part_size` (parts()), one Pagefind run after another, each
    into a folder named by the digest of its records: Pagefind's memory grows with the records of one run,
    and a part whose folder is already in the site's index (a build seeded from the published site, or the
    preview's last index) is taken as it is, not indexed again. The search worker merges the parts."""

    def __init__(self, part_size: int = PART_SIZE, live: bool = False) -> None:
        self.part_size = part_size
        self.live = live
        """The site folder is served while the index is written (the live preview): parts reused from the index
        in place are linked into the new one, not moved out of it."""
        self._pending: tuple[Path, str, list[Part], Indexing | None] | None = None
        """What start() began: the site folder, the language, the parts and Pagefind's runs (None: none needed)."""
        self.borrowed: list[tuple[Path, Path]] = []
        """The parts the last start() found in the published site's index, for a build: (the part's folder there,
        where it goes in the new index), moved when the site is swapped in (builder/write.py SiteWriter)."""
        self.runs = 0
        """How many parts Pagefind indexed (the others were reused)."""

    @property
    def pending(self) -> bool:
        """Whether start() began an index that finish() or cancel() has not ended."""
        return self._pending is not None

    def write(
        self, found: Iterable[Record], language: str, site_dir: Path, gate: threading.Event | None = None
    ) -> None:
        """The index, at once (start, then finish)."""
        self.start(found, language, site_dir, gate=gate)
        self.finish()

    def start(
        self,
        found: Iterable[Record],
        language: str,
        site_dir: Path,
        published: Path | None = None,
        gate: threading.Event | None = None,
    ) -> None:
        """Begin the index of these records in site_dir/.pagefind.new; returns once Pagefind has started.

        `gate`: the index waits for it to be set before each record it hands Pagefind and each part it links (the
        live preview's, while a rebuild runs: IndexerThread.pause).

        `published`: for a build into a staging folder, the site folder it will be swapped in for. A part found
        in the index there is not indexed again, nor copied: it is listed in `borrowed`, to be moved over when
        the staging folder is swapped in (tens of thousands of small files, each linked and unlinked
        otherwise). Without it, a part is taken from site_dir's own index."""
        self.cancel()
        self.borrowed = []
        fresh, folder = site_dir / NEW, site_dir / FOLDER
        for leftover in (fresh, site_dir / f".{FOLDER}.old"):  # from a write that was interrupted
            if leftover.is_dir():
                shutil.rmtree(leftover)
        fresh.mkdir(parents=True)
        wanted = parts(list(found), language, self.part_size)
        new = []
        for part in wanted:
            kept = (published / FOLDER if published is not None else folder) / part.name
            if (kept / ENTRY).is_file():
                if published is not None:
                    self.borrowed.append((kept, folder / part.name))
                elif self.live:
                    if gate is not None:
                        gate.wait()
                    shutil.copytree(kept, fresh / part.name, copy_function=os.link)
                else:
                    kept.rename(fresh / part.name)
            else:
                new.append(part)
        self._pending = (site_dir, language, wanted, Indexing(new, language, fresh, gate) if new else None)

    def cancel(self) -> None:
        """Stop the index start() began (the build failed) and remove what it wrote."""
        if self._pending is not None:
            site_dir, _, _, indexing = self._pending
            self._pending = None
            if indexing is not None:
                indexing.cancel()
            shutil.rmtree(site_dir / NEW, ignore_errors=True)

    def finish(self) -> None:
        """Wait for the index start() began and put it in place, with the list of its parts, the spelling-variant
        table and Material's stub; raises SearchIndexFailed (Pagefind missing or failing) with the site as it was.

        The index folder is written beside the one there and swapped in by two renames, and the stub is
        replaced whole: a reader of the folder (the live preview's search) never sees half an index, and a
        file hard-linked into the published site is never written through."""
        assert self._pending is not None, "finish() without start()"
        (site_dir, language, wanted, indexing), self._pending = self._pending, None
        fresh, old, folder = site_dir / NEW, site_dir / f".{FOLDER}.old", site_dir / FOLDER
        if indexing is not None:
            try:
                indexing.wait()
            except SearchIndexFailed:
                shutil.rmtree(fresh, ignore_errors=True)
                raise
            self.runs += len(indexing.parts)
        listing = {"parts": [f"{part.name}/" for part in wanted], "variants": variants(language)}
        (fresh / LISTING).write_bytes(json.dumps(listing, ensure_ascii=False, sort_keys=True).encode())
        if folder.is_dir():
            folder.rename(old)
        fresh.rename(folder)
        if old.is_dir():
            shutil.rmtree(old)
        stub = {"config": {"lang": [language.split("-")[0]], "separator": r"[\s\-]+", "pipeline": []}, "docs": []}
        target = site_dir / STUB
        staged = target.with_name(f".{target.name}.new")
        staged.parent.mkdir(parents=True, exist_ok=True)
        staged.write_bytes(json.dumps(stub, sort_keys=True).encode())
        staged.replace(target)


class IndexerThread:
    """The live preview's search index, written after the rebuilt pages are served: by one worker thread, so
    that a saved file's page shows without waiting for Pagefind (several seconds at thousands of facts).

    A rebuild's records replace any still waiting, so only the newest are indexed; the index is swapped in
    whole (Indexer.write), so a search in the seconds after a save answers from the index before it.
    """

    def __init__(self, indexer: Indexer, log: logging.Logger) -> None:
        self.indexer = indexer
        self.log = log
        """Says when an index is in place, and why not when Pagefind fails (the preview keeps the one before)."""
        self._wanted: tuple[list[Record], str, Path] | None = None
        self._busy = False
        self._condition = threading.Condition()
        self._free = threading.Event()
        """Set while the index may be written: pause() clears it while a rebuild runs, and the index being written
        waits before its next record, so that the rebuild has the interpreter to itself."""
        self._free.set()
        self._thread: threading.Thread | None = None
        self.written = 0
        """How many indexes were swapped in."""

    def write(self, found: Iterable[Record], language: str, site_dir: Path) -> None:
        """Index these records soon; returns at once."""
        with self._condition:
            self._wanted = (list(found), language, site_dir)
            if self._thread is None:
                self._thread = threading.Thread(target=self._work, name="explainer-search", daemon=True)
                self._thread.start()
            self._condition.notify_all()

    def pause(self) -> None:
        """A rebuild starts: the index being written waits before its next record until resume()."""
        self._free.clear()

    def resume(self) -> None:
        self._free.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until every index asked for is written (or the timeout passes: then False)."""
        with self._condition:
            return self._condition.wait_for(lambda: self._wanted is None and not self._busy, timeout)

    def _work(self) -> None:
        while True:
            with self._condition:
                self._condition.wait_for(lambda: self._wanted is not None)
                assert self._wanted is not None
                (found, language, site_dir), self._wanted = self._wanted, None
                self._busy = True
            began = time.perf_counter()
            try:
                self.indexer.write(found, language, site_dir, self._free)
            except SearchIndexFailed as exc:
                self.log.error(f"Search index not updated: {exc}")
            except OSError as exc:  # the preview's folder went away (the server stopping)
                self.log.error(f"Search index not updated: it could not be written: {exc}")
            else:
                self.written += 1
                self.log.info(f"Search index updated ({len(found)} records) in {time.perf_counter() - began:.1f} s")
            finally:
                with self._condition:
                    self._busy = False
                    self._condition.notify_all()


WRITERS = 2
"""Parts whose files are written at once while the next part is indexed: each writing helper holds its part's
files, about 35 MB at 6,000 records."""


class Indexing:
    """Pagefind indexing parts of the records into `out`, each into its folder, while the caller goes on (MkDocs
    renders the pages) until wait(): by a thread that hands each part's records, as documents in their order, to
    a process of builder/pagefind_service.py, which runs Pagefind as a service and writes the part's index. The
    parts are indexed one after another, and each is indexed while the last parts' files are written (WRITERS at
    most): at 50,000 facts a part's 6,000 small files took this machine's disk 0.2-3.5 s to create, up to twice
    as long as Pagefind took to index it, and two processes creating files together made them about twice as
    fast as one when the disk was slow.

    Nothing is written for Pagefind to read: the same records give the same index on any machine (Pagefind's
    command line numbered records in the order the file system listed their files), and a build at 10,000
    facts no longer creates 12,000 small files first (0.7-3.9 s of the build's own thread on this disk)."""

    def __init__(self, parts: list[Part], language: str, out: Path, gate: threading.Event | None = None) -> None:
        """`gate`: each record's document is made once it is set (Indexer.start)."""
        from pagefind.service import get_executable

        binary = get_executable()
        if binary is None:
            raise SearchIndexFailed("Pagefind's indexer is not installed (pip install 'pagefind[extended]')")
        self.parts = parts
        self.out = out
        self._lock = threading.Lock()
        self._helpers: list[_Helper] = []
        """The helpers started, each stopped by cancel() while it runs."""
        self._cores = usable_cores()
        """The cores the build may use (its index's thread keeps to all but one)."""
        self._stopped = False
        self.limit = RUN_LIMIT
        """Seconds a Pagefind run may take: one that takes longer is stopped, and the index fails."""
        self.failure: str | None = None
        """What Pagefind said when a run failed (the runs after it are not made)."""
        self._thread = threading.Thread(target=self._run, args=(str(binary), language, gate), daemon=True)
        self._thread.start()

    def _run(self, binary: str, language: str, gate: threading.Event | None) -> None:
        """Index each part, one run at a time, the next while the last WRITERS parts' files are written; stop at
        the first failure.

        Pagefind runs on every core this process may use but one, which the build keeps (set on this thread: a
        process it starts inherits it). On this 2-core machine a run on 6,000 records took 3.7-3.9 s on both
        cores, most of it its threads waiting on each other, and 2.6 s on one."""
        leave_a_core()
        command = [sys.executable, "-m", "builder.pagefind_service", binary, language.lower()]
        writing: deque[_Helper] = deque()
        """The helpers writing the last parts' files, oldest first."""
        try:
            for part in self.parts:
                with self._lock:
                    if self._stopped:
                        return
                    helper = _Helper([*command, str(self.out / part.name), f"{self.limit:g}"], self.out)
                    self._helpers.append(helper)
                if not helper.hand(part, language, gate, self.limit + 60):
                    if all(self._ended_well(each) for each in writing):  # an earlier part's failure first
                        self._ended_well(helper)
                    return
                writing.append(helper)
                self._written(helper)
                while len(writing) > WRITERS:
                    if not self._ended_well(writing.popleft()):
                        return
            while writing:
                if not self._ended_well(writing.popleft()):
                    return
        finally:
            for each in self._helpers:  # a helper still running after a failure is stopped by cancel()
                each.close()

    def _written(self, helper: _Helper) -> None:
        """A helper has said its part is indexed: it writes the part's files on any of the build's cores, while the
        next part's Pagefind keeps to the core the build left it. At 50,000 facts the files of a part took its
        helper about half a second of a core; kept to Pagefind's core, the index finished 3.6 s after the last
        page was written, against 1.5 s."""
        use_cores([helper.process.pid], self._cores)

    def _ended_well(self, helper: _Helper) -> bool:
        """Wait for a helper to end: whether it wrote its part; `failure` says why not (unless it was cancelled)."""
        code = helper.wait(self.limit + 60)
        if code == 0 or self._stopped:
            return code == 0
        if code is None:
            self.failure = f"a run did not end within {self.limit:g} s, and was stopped"
        elif code < 0:
            self.failure = f"its indexer was stopped (signal {-code})"
        else:
            self.failure = helper.said_text or f"exit status {code}"
        return False

    def wait(self) -> None:
        """Block until every part is in `out`; SearchIndexFailed (and what was written removed) when Pagefind
        fails."""
        self._thread.join()
        if self.failure is not None:
            failure = self.failure
            self.cancel()
            raise SearchIndexFailed(f"Pagefind could not index the site: {failure}")

    def cancel(self) -> None:
        """Stop Pagefind and remove what it wrote."""
        with self._lock:
            self._stopped = True
            for helper in self._helpers:
                _stop(helper.process)
        self._thread.join()
        for part in self.parts:
            shutil.rmtree(self.out / part.name, ignore_errors=True)


class _Helper:
    """One process of builder/pagefind_service.py, indexing one part: it says 'indexed' on its standard output
    once Pagefind has indexed the documents, then writes the part's files and ends."""

    INDEXED = b"indexed\n"

    def __init__(self, command: list[str], out: Path) -> None:
        self.said = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
        """What it writes to its standard error: why it failed."""
        self.said_text = ""
        self.process = subprocess.Popen(
            command,
            cwd=out,
            env=_importing_this_builder(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.said,
        )
        self._late = False
        self.indexed = False
        """Whether it said its part is indexed (it writes the part's files then)."""

    def hand(self, part: Part, language: str, gate: threading.Event | None, limit: float) -> bool:
        """Write the part's records to the helper, in batches (a thread of the build waits for Python's lock after
        each write), and wait until Pagefind has indexed them: whether it did (False: it ended first, or took
        longer than `limit` seconds and was stopped)."""
        process = self.process
        assert process.stdin is not None and process.stdout is not None
        batch: list[bytes] = []
        try:
            for number, record in enumerate(part.records):
                if gate is not None:
                    gate.wait()
                batch.append(json.dumps([f"{number:06d}.html", record.document(language)]).encode() + b"\n")
                if len(batch) == 500:
                    process.stdin.write(b"".join(batch))
                    batch = []
            process.stdin.write(b"".join(batch))
            process.stdin.close()
        except BrokenPipeError:
            pass  # the helper ended: its status and what it said tell why
        timer = threading.Timer(limit, self._too_late)
        timer.start()
        try:
            self.indexed = process.stdout.readline() == self.INDEXED
        finally:
            timer.cancel()
        return self.indexed

    def _too_late(self) -> None:
        self._late = True
        _stop(self.process)

    def wait(self, limit: float) -> int | None:
        """Its exit status once it has ended, or None when it took too long (it is stopped); what it said is then
        in `said_text`."""
        try:
            code = self.process.wait(timeout=limit)
        except subprocess.TimeoutExpired:
            _stop(self.process)
            self.process.wait()
            return None
        if self._late:
            return None
        if code > 0:
            self.said.seek(0)
            self.said_text = self.said.read().decode("utf-8", "replace").strip()
        return code

    def close(self) -> None:
        """Let go of its pipe and of what it said (once it has ended, or is being stopped)."""
        if self.process.stdout is not None:
            self.process.stdout.close()
        self.said.close()


def _importing_this_builder() -> dict[str, str]:
    """The environment for a helper: this one, with the folder this builder package is in first on Python's path, so
    that the helper runs the same code (from a source folder run without installing, too: the helper runs in the
    index's folder)."""
    here = str(Path(__file__).resolve().parent.parent)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [here, *(p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p and p != here)]
    )
    return env


def _stop(helper: subprocess.Popen[bytes]) -> None:
    """Stop a helper, which stops the Pagefind it started (killed when it does not end within 10 s)."""
    if helper.poll() is None:
        helper.terminate()
        try:
            helper.wait(timeout=10)
        except subprocess.TimeoutExpired:
            helper.kill()


def usable_cores() -> set[int]:
    """The cores the calling thread may use (an empty set where the system does not say)."""
    return os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else set()


def use_cores(ids: list[int], cores: set[int]) -> None:
    """Let these processes or threads (their ids) run on these cores, where the system says which (`cores` not
    empty); one that has ended meanwhile is left."""
    if cores and hasattr(os, "sched_setaffinity"):
        for ident in ids:
            with contextlib.suppress(OSError):
                os.sched_setaffinity(ident, cores)


def leave_a_core() -> None:
    """Let the calling thread, and the processes it starts, run on every core this process may use but one (the
    last), where the system says which cores those are."""
    if hasattr(os, "sched_getaffinity"):
        cores = sorted(os.sched_getaffinity(0))
        if len(cores) > 1:
            os.sched_setaffinity(0, cores[:-1])


class SearchIndexFailed(Exception):
    """Pagefind is missing or failed; the message says why."""
