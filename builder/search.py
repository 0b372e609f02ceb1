"""The site's search index, built from the content (not by re-reading the finished pages): Pagefind's chunked index.

One record per item a reader looks for (fact, question, element, person, event; then sources, datasets and
corrections) with the URL of its anchor, and one per page (its title and description; the explainer's own
pages with their text). Each record is handed to Pagefind as a small HTML document written here with every
value escaped, so that its `data-pagefind-weight` attributes rank items above list pages and the
explainer's own "how this site is made" pages last. Pagefind splits the index into chunks: a reader
downloads only the chunks the words typed need. The search worker (builder/searchui/explainer-search.js)
answers Material's search dialog from it, lists items first, and adds the spelling variants (licence and
license) of the table written here.
"""

from __future__ import annotations

import html
import json
import logging
import re
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

import markdown
import yaml

from .markup import Prose, _TextOnly
from .model import Content
from .packed import Pages
from .render import CITE_RUN, Index, page_url

FOLDER = "pagefind"
"""Where the index goes in the built site."""
VARIANTS_FILE = "explainer-variants.json"
"""The spelling-variant table the worker reads (inside FOLDER)."""
ASSETS = Path(__file__).parent / "searchui"
"""The search worker and the results' style sheet, added to the site by the plugin (not to generated projects)."""
WORKER = "assets/javascripts/workers/explainer-search.js"
"""Where the search worker (ASSETS / explainer-search.js) goes in the site."""
CSS = "assets/explainer-search.css"
"""Where the search results' colours (AA contrast; ASSETS / explainer-search.css) go in the site."""
STUB = "search/search_index.json"
"""Material's page script fetches this file on every page and hands it to the worker: here it holds only the
language (a few dozen bytes, whatever the number of facts); the worker does not need it."""
KEEP = re.compile(r"^(pagefind\.js|pagefind-worker\.js|pagefind-entry\.json|pagefind\.[^/]+\.pf_meta|wasm\.[^/]+)$")
"""Pagefind's files the search needs at the top of FOLDER (its own UI scripts and styles are not used)."""
KEEP_FOLDERS = ("index", "fragment", "filter")


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


MARKDOWN_SYNTAX = re.compile(r"[\\`*_\[\]<>&#!|~=]|^\s*(?:[-+>]|\d+[.)])(?:\s|$)|  $", re.MULTILINE)
"""Characters and line starts that may make Markdown do something; text without any reads as written."""


def plain_text(markdown_text: str, prose: Prose) -> str:
    """The text a reader sees of editor Markdown, on one line; most statements hold no Markdown syntax at all,
    and skip the conversion (the same result, a tenth of the time)."""
    if MARKDOWN_SYNTAX.search(markdown_text):
        return prose.text(markdown_text)
    return " ".join(markdown_text.split())


def _front_matter(page: str) -> dict[str, str]:
    if not page.startswith("---\n"):
        return {}
    end = page.find("\n---\n", 4)
    meta = yaml.safe_load(page[4:end]) if end > 0 else None
    return meta if isinstance(meta, dict) else {}


LIST_PAGES = {"index.md", "questions/index.md", "facts/index.md", "timeline.md", "elements.md", "people.md"}
LIST_PAGES |= {"data.md", "sources.md", "corrections.md"}
"""Generated pages that list items (topic pages under facts/ too); every other generated page is about the site."""


def records(content: Content, pages: Pages, own: dict[str, Path], prose: Prose | None = None) -> list[Record]:
    """Every search record: items from the content, pages from their front matter, the explainer's own pages.

    `pages` is the rendered Markdown by page path (render.Rendered.pages), `own` the hand-written pages
    (pages.own_files); `prose`: the conversions kept between builds (builder/markup.py).
    """
    prose = prose or Prose()
    index = Index.of(content)
    site = content.site

    def text(*parts: str | None) -> str:
        return " ".join(plain_text(CITE_RUN.sub("", part), prose) for part in parts if part)

    fronts = {src: _front_matter(pages.front(src)) for src in pages}
    titles = {src: str(meta.get("title") or site.title) for src, meta in fronts.items()}

    def at(ident: str, anchor: bool = True) -> tuple[str, str]:
        src = index.pages[ident]
        return page_url(src) + (f"#{ident}" if anchor else ""), titles.get(src, site.title)

    found: list[Record] = []

    def add(ident: str, title: str, body: str, tier: Tier, anchor: bool = True) -> None:
        url, page = at(ident, anchor)
        found.append(Record(url, title, body, page, tier))

    for fact in content.facts:
        add(fact.id, fact.title, text(fact.statement, fact.note), Tier.ITEM)
    for question in content.questions:
        add(question.id, question.question, text(question.short_answer, question.answer), Tier.ITEM, anchor=False)
    for element in content.elements:
        add(element.id, f"{element.name} ({element.symbol})", text(element.uses, element.note), Tier.ITEM)
    for person in content.people:
        add(person.id, person.name, " ".join((person.role, text(person.description))), Tier.ITEM)
    for event in content.events:
        add(event.id, event.title, text(event.summary), Tier.ITEM)
    for source in content.sources:
        add(source.id, f"{source.publisher}: {source.title}", " ".join(source.authors), Tier.REFERENCE)
    for dataset in content.datasets:
        add(dataset.id, dataset.title, text(dataset.description, dataset.note), Tier.REFERENCE)
    for correction in content.corrections:
        add(correction.id, correction.claim, text(correction.correction), Tier.LIST)
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


class Indexer:
    """Writes the search index into a site, in two steps: start() sets Pagefind (a process of its own) indexing
    the records while the caller goes on (MkDocs renders the pages); finish() waits for it and swaps the index
    in. With `keep` (the live preview), it keeps the last index's files: a rebuild whose records did not
    change (a template or a page's layout was edited) writes them instead of indexing again."""

    def __init__(self, keep: bool = False) -> None:
        self.keep = keep
        self._key: tuple[str, tuple[Record, ...]] | None = None
        self._files: dict[str, bytes] = {}
        """With `keep`: the last index's files, by their path in FOLDER."""
        self._pending: tuple[Path, tuple[str, tuple[Record, ...]], Indexing | None] | None = None
        """What start() began: the site folder, the records and Pagefind's run (None: the kept files again)."""
        self.runs = 0
        """How many times Pagefind indexed records (a rebuild with the same records reuses the last index)."""

    @property
    def pending(self) -> bool:
        """Whether start() began an index that finish() or cancel() has not ended."""
        return self._pending is not None

    def write(self, found: Iterable[Record], language: str, site_dir: Path) -> None:
        """The index, at once (start, then finish)."""
        self.start(found, language, site_dir)
        self.finish()

    def start(self, found: Iterable[Record], language: str, site_dir: Path) -> None:
        """Begin the index of these records in site_dir/.pagefind.new; returns once Pagefind has started."""
        self.cancel()
        key = (language, tuple(found))
        fresh = site_dir / f".{FOLDER}.new"
        for leftover in (fresh, site_dir / f".{FOLDER}.old"):  # from a write that was interrupted
            if leftover.is_dir():
                shutil.rmtree(leftover)
        indexing = None if self.keep and key == self._key else Indexing(list(key[1]), language, fresh)
        self._pending = (site_dir, key, indexing)

    def cancel(self) -> None:
        """Stop the index start() began (the build failed) and remove what it wrote."""
        if self._pending is not None:
            indexing = self._pending[2]
            self._pending = None
            if indexing is not None:
                indexing.cancel()

    def finish(self) -> None:
        """Wait for the index start() began and put it in place, with the spelling-variant table and Material's
        stub; raises SearchIndexFailed (Pagefind missing or failing) with the site as it was.

        The index folder is written beside the one there and swapped in by two renames, and the stub is
        replaced whole: a reader of the folder (the live preview's search) never sees half an index, and a
        file hard-linked into the published site is never written through."""
        assert self._pending is not None, "finish() without start()"
        (site_dir, key, indexing), self._pending = self._pending, None
        language = key[0]
        fresh, old, folder = site_dir / f".{FOLDER}.new", site_dir / f".{FOLDER}.old", site_dir / FOLDER
        if indexing is None:
            for path, data in self._files.items():
                (fresh / path).parent.mkdir(parents=True, exist_ok=True)
                (fresh / path).write_bytes(data)
        else:
            indexing.wait()
            self.runs += 1
            if self.keep:
                self._key = key
                self._files = {f.relative_to(fresh).as_posix(): f.read_bytes() for f in fresh.rglob("*") if f.is_file()}
        table = json.dumps(variants(language), ensure_ascii=False, sort_keys=True)
        (fresh / VARIANTS_FILE).write_bytes(table.encode())
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
                self.indexer.write(found, language, site_dir)
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


class Indexing:
    """Pagefind indexing records into `out`: a separate, multi-threaded process, which runs on the other cores
    while the caller goes on (MkDocs renders the pages) until wait().

    The records are written as small HTML files into a temporary folder that Pagefind's indexer reads in one
    run (its Python API answers one call per 0.1 s: a call per record would take minutes at 10,000 facts).
    They are written here, not by a thread beside the rendering: a thread waits for Python's lock after each
    file it writes while the other computes."""

    def __init__(self, found: list[Record], language: str, out: Path) -> None:
        from pagefind.service import get_executable

        binary = get_executable()
        if binary is None:
            raise SearchIndexFailed("Pagefind's indexer is not installed (pip install 'pagefind[extended]')")
        self.out = out
        self._folder = tempfile.TemporaryDirectory(prefix="explainer-search-")
        work = Path(self._folder.name)
        (work / "records").mkdir()
        for number, record in enumerate(found):
            (work / "records" / f"{number:06d}.html").write_text(record.document(language), "utf-8")
        command = [str(binary), "--site", str(work / "records"), "--output-path", str(out)]
        command += ["--force-language", language.lower(), "--silent"]
        with open(work / "stdout", "wb") as stdout, open(work / "stderr", "wb") as stderr:  # files: never full
            self._process = subprocess.Popen(command, stdout=stdout, stderr=stderr)

    def wait(self) -> None:
        """Block until the index is in `out`, less the files the search does not need; SearchIndexFailed (and
        `out` removed) when Pagefind fails."""
        if self._process.wait() != 0:
            work = Path(self._folder.name)
            said = (work / "stderr").read_text("utf-8", "replace") or (work / "stdout").read_text("utf-8", "replace")
            self.cancel()
            raise SearchIndexFailed(f"Pagefind could not index the site: {said.strip()}")
        self._folder.cleanup()
        for entry in self.out.iterdir():
            if entry.is_dir() and entry.name not in KEEP_FOLDERS:
                shutil.rmtree(entry)
            elif not entry.is_dir() and not KEEP.match(entry.name):
                entry.unlink()

    def cancel(self) -> None:
        """Stop Pagefind and remove what it wrote."""
        self._process.kill()
        self._process.wait()
        self._folder.cleanup()
        if self.out.is_dir():
            shutil.rmtree(self.out)


class SearchIndexFailed(Exception):
    """Pagefind is missing or failed; the message says why."""
