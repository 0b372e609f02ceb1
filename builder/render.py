"""Validated content to Markdown pages, through the Jinja2 templates in builder/templates/.

Nothing here touches the disk or MkDocs: `render` returns {page path: Markdown} and the
navigation, so the same stage can feed another static-site generator.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import posixpath
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from . import forked, jsonld
from .cache import Dumps
from .charts import ChartCache, bar_chart
from .charts import size as chart_size
from .feed import atom_feed, describe
from .history import Dates, History
from .i18n import language_key
from .i18n.messages import Messages, english, theme_settings
from .markup import Prose, inert, preformatted
from .memo import PageInputs, PageMemo
from .model import (
    CITE,
    KIND_LABELS,
    N_,
    STATUS_TEXT,
    Citation,
    Content,
    ElementSettings,
    Fact,
    Question,
    Source,
    SourceKind,
    Status,
    sources_cited_in,
)
from .ogimage import ImageCache
from .opendata import FOLDER, DownloadParts, dataset_csv, digests, downloads, listing, question_path, unwritten
from .packed import Pages, pack
from .reading import minutes as reading_time
from .stash import Blocks, Spans, shift

TEMPLATES = Path(__file__).parent / "templates"
IMAGES = "og"
"""The folder of the pages' share images (og:image) in the built site: og/<page path>.png."""
PARALLEL_FROM = 16
"""Pages to draw from which a render shares them between workers (builder/forked.py): below that, as after an
edit, forking would cost more than it saves."""
CITE_RUN = re.compile(r"(?:[ \t]*\n?[ \t]*" + CITE.pattern + r")+")
"""One or more [@id] citations in a row, with the spaces (and a line break) before them."""


def page_url(src: str) -> str:
    """The directory URL MkDocs gives a page: 'facts/supply.md' -> 'facts/supply/'."""
    stem = src.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        stem = stem.removesuffix("index")
        return stem
    return stem + "/"


def href(from_src: str, to_src: str, anchor: str | None = None) -> Markup:
    """A relative link, as it works in the built site, from one page to another (made of ids: markup-safe)."""
    rel = _relative_url(from_src, to_src)
    return Markup(rel + (f"#{anchor}" if anchor else ""))


@functools.lru_cache(maxsize=65536)
def _relative_url(from_src: str, to_src: str) -> str:
    """The relative directory URL from one page to another (pages x pages pairs: worked out once each)."""
    base = page_url(from_src) or "."
    target = page_url(to_src)
    rel = posixpath.relpath(target or ".", base.rstrip("/") or ".")
    return "./" if rel == "." else rel + "/"


@functools.lru_cache(maxsize=65536)
def _relative_path(from_dir: str, to_src: str) -> str:
    return posixpath.relpath(to_src, from_dir)


def md_link(from_src: str, to_src: str, anchor: str | None = None) -> Markup:
    """A relative link to a page's Markdown source, which MkDocs checks and rewrites (made of ids)."""
    rel = _relative_path(posixpath.dirname(from_src) or ".", to_src)
    return Markup(rel + (f"#{anchor}" if anchor else ""))


def plain(text: str | None) -> Markup:
    """Plain text for a Markdown page: HTML-escaped and Markdown-inert (the templates' default for every value)."""
    return inert(text or "")


_LETTER = r"[^\W\d_A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff]"
_OTHER_SCRIPT = re.compile(_LETTER + r"+(?:[\s\W\d]+" + _LETTER + r"+)*")
"""A run of letters outside the Latin, Greek and Cyrillic alphabets (Han characters, kana, Arabic script...),
with the spaces, digits and punctuation between them."""


def in_language(text: str, language: str, site_language: str) -> Markup:
    """Plain text whose runs in another script are marked with the source's language, so that screen readers
    read them in it: 'Notice (通知)' in a 'zh' source -> 'Notice (<span lang="zh">通知</span>)'.
    Nothing is marked when the source is in the site's language."""
    if language.split("-")[0] == site_language.split("-")[0]:
        return plain(text)
    parts: list[Markup] = []
    last = 0
    for match in _OTHER_SCRIPT.finditer(text):
        parts.append(plain(text[last : match.start()]))
        parts.append(Markup('<span lang="{}">').format(language) + plain(match.group()) + Markup("</span>"))
        last = match.end()
    parts.append(plain(text[last:]))
    return Markup("").join(parts)


_INERT = re.compile(r"^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$")
"""Text that no Markdown or HTML reading can act on: ids, numbers, single words."""


def initial(text: str) -> str:
    """The text with its first letter as a capital, the rest as written ('light metals' -> 'Light metals')."""
    return text[:1].upper() + text[1:]


def _finalize(value: Any) -> Any:
    """Every {{ value }} in a template: generator markup passes, ids and numbers pass, any other text is inert."""
    if isinstance(value, Markup) or value is None:
        return value
    text = str(value)
    return Markup(text) if _INERT.match(text) else inert(text)


def front_matter(**meta: str | None) -> str:
    """A page's YAML front matter, written by the YAML serialiser (never by string templating)."""
    values = {key: value for key, value in meta.items() if value}
    if not values:
        return ""
    return "---\n" + yaml.safe_dump(values, allow_unicode=True, sort_keys=False, width=10_000) + "---\n\n"


def shorten(text: str, limit: int = 160) -> str:
    """Text cut at a word to at most `limit` characters, with an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1].rsplit(" ", 1)[0] + "…"
    return text


def cite_this(
    site: Any,
    src: str,
    anchor: str | None,
    title: str,
    as_of: dt.date,
    accessed: dt.date,
    messages: Messages | None = None,
) -> dict[str, Any]:
    """A ready citation of one fact or question: plain text in the site's language and BibTeX (whose note
    keeps an ISO date: a machine format), with the absolute address when the site's `url` is set (a
    site-relative one in a local preview without it) and the date accessed (the build date); `ident`: what
    the copy buttons' ids are made of."""
    messages = messages or english()
    path = page_url(src) + (f"#{anchor}" if anchor else "")
    url = (site.url.rstrip("/") + "/" + path) if site.url else "/" + path
    stop = "" if title.endswith((".", "?", "!")) else "."
    text = messages.gettext(
        "%(publisher)s. %(title)s %(site)s, as of %(date)s. %(url)s",
        publisher=site.publisher,
        title=messages.quote(title + stop),
        site=site.title,
        date=messages.date(as_of),
        url=url,
    )
    text += ". " + messages.gettext("Accessed %(date)s.", date=messages.date(accessed))
    key = re.sub(r"[^a-z0-9]+", "-", (anchor or src.removesuffix(".md")).lower()).strip("-")

    def braces(value: str) -> str:
        return value.replace("{", "(").replace("}", ")")

    bibtex = "\n".join(
        [
            f"@misc{{{key},",
            f"  author = {{{{{braces(site.publisher)}}}}},",
            f"  title = {{{braces(title)}}},",
            f"  howpublished = {{{braces(site.title)}}},",
            f"  year = {{{as_of.year}}},",
            f"  note = {{{braces(messages.gettext('As of %(date)s', date=messages.date(as_of)))}}},",
            f"  url = {{{url}}},",
            f"  urldate = {{{accessed.isoformat()}}}",
            "}",
        ]
    )
    return {"text": text, "bibtex": bibtex, "ident": Markup(key.replace("-", "_"))}


MAX_FACTS_PER_PAGE = 50
"""A topic with more facts is split into pages of at most this many (each under 500 KB of HTML)."""
SOURCE_WEIGHT, CITED_BY_WEIGHT, MAX_SOURCES_WEIGHT = 1000, 200, 400_000
"""About how many bytes of HTML a source and each line of its 'cited by' list take on the sources page, and
how many one page of it may hold: the page is split beyond that."""
MAX_EVENTS_PER_PAGE, MAX_PEOPLE_PER_PAGE, MAX_QUESTIONS_PER_PAGE = 100, 100, 50
"""The timeline, the people and the questions' index are split into pages of at most this many items."""
MAX_AWAITING_PER_PAGE = 500
"""The Awaiting review page lists at most this many claims a page (one line each)."""
MAX_CITED_BY = 400
"""The sources page lists at most this many items citing one source (and says how many more there are)."""
ANCHORS = "anchors.json"
"""The anchor map of a split list, in the folder of its first page (facts/<topic>/, sources/)."""
MAX_OVERVIEW_FACTS = 1000
"""The facts overview links every fact up to this many facts in all; beyond, it links each topic's pages.
The claims-by-status page likewise lists every fact up to this many; beyond, it lists the first
MAX_STATUS_SAMPLE of each status and links a list of its own for each status, split into pages of at most
MAX_STATUS_FACTS_PER_PAGE."""
MAX_STATUS_SAMPLE, MAX_STATUS_FACTS_PER_PAGE = 20, 500


def part_page(first: str, number: int) -> str:
    """The page of part `number` of a list whose first page is `first`: 'facts/x.md', 2 -> 'facts/x/2.md'."""
    return first if number == 1 else f"{first.removesuffix('.md')}/{number}.md"


def _chunks(items: list[Any], weights: list[int], limit: int) -> list[list[Any]]:
    """Items in order, cut into runs whose weights add up to at most `limit` (each run holds at least one)."""
    parts: list[list[Any]] = [[]]
    total = 0
    for item, weight in zip(items, weights, strict=True):
        if parts[-1] and total + weight > limit:
            parts.append([])
            total = 0
        parts[-1].append(item)
        total += weight
    return parts


def anchor_map(first: str, parts: list[list[Any]]) -> str:
    """The JSON map from each item id on a split list to its page, relative to the list's folder."""
    folder = page_url(first)
    targets = ["./"] + [
        posixpath.relpath(page_url(part_page(first, number)), folder).removesuffix(".") + "/"
        for number in range(2, len(parts) + 1)
    ]
    mapping = {item.id: target for target, part in zip(targets, parts, strict=True) for item in part}
    return json.dumps(mapping, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@dataclass
class Index:
    """Where everything lives, for links between pages."""

    content: Content
    sources: dict[str, Source] = field(default_factory=dict)
    facts: dict[str, Fact] = field(default_factory=dict)
    people: dict[str, Any] = field(default_factory=dict)
    events: dict[str, Any] = field(default_factory=dict)
    questions: dict[str, Any] = field(default_factory=dict)
    pages: dict[str, str] = field(default_factory=dict)
    """Item id -> the page it lives on."""
    homes: dict[str, str] = field(default_factory=dict)
    """Item id -> its stable page where that is not the page it lives on (the first page of a split list,
    whose anchor map sends a reader on to the right part): what permalinks and citations point to."""
    topic_parts: dict[str, list[list[Fact]]] = field(default_factory=dict)
    """Topic id -> its facts, page by page (one page unless the topic holds more than MAX_FACTS_PER_PAGE)."""
    list_parts: dict[str, list[list[Any]]] = field(default_factory=dict)
    """First page of another list that grows with the content (timeline, people, the sources in the order
    their page lists them, and the lists render() adds) -> its items, page by page."""
    cited_by: dict[str, list[tuple[str, str, str]]] = field(default_factory=lambda: defaultdict(list))
    """Source id -> (label, page, anchor) of everything that cites it."""

    messages: Messages = field(default_factory=lambda: english())
    language: PageLanguage = field(default_factory=lambda: PageLanguage("en"))

    @classmethod
    def of(cls, content: Content, messages: Messages | None = None) -> Index:
        index = cls(content)
        index.messages = messages or english()
        index.language = PageLanguage(content.site.language)
        index.sources = {s.id: s for s in content.sources}
        index.facts = {f.id: f for f in content.facts}
        index.people = {p.id: p for p in content.people}
        index.events = {e.id: e for e in content.events}
        index.questions = {q.id: q for q in content.questions}
        by_topic: dict[str, list[Fact]] = defaultdict(list)
        for fact in content.facts:
            by_topic[fact.topics[0]].append(fact)
        for topic, facts in by_topic.items():
            index.topic_parts[topic] = parts = _chunks(facts, [1] * len(facts), MAX_FACTS_PER_PAGE)
            for number, part in enumerate(parts, 1):
                for fact in part:
                    index.pages[fact.id] = part_page(f"facts/{topic}.md", number)
                    if number > 1:
                        index.homes[fact.id] = f"facts/{topic}.md"
        for question in content.questions:
            index.pages[question.id] = f"questions/{question.id}.md"
        for group, page in (
            (content.events, "timeline.md"),
            (content.elements, "elements.md"),
            (content.people, "people.md"),
            (content.datasets, "data.md"),
            (content.sources, "sources.md"),
            (content.corrections, "corrections.md"),
        ):
            for item in group:
                index.pages[item.id] = page
        index._reverse()
        for first, items, per_page in (
            ("timeline.md", sorted(content.events, key=lambda e: (e.date, e.id)), MAX_EVENTS_PER_PAGE),
            ("people.md", sorted(content.people, key=lambda p: p.name), MAX_PEOPLE_PER_PAGE),
        ):
            index.list_parts[first] = _chunks(items, [1] * len(items), per_page)
            for number, part in enumerate(index.list_parts[first][1:], 2):
                for item in part:
                    index.pages[item.id] = part_page(first, number)
                    index.homes[item.id] = first
        ordered = sorted(content.sources, key=lambda s: (s.publisher.lower(), s.id))
        weights = [SOURCE_WEIGHT + CITED_BY_WEIGHT * min(len(index.cited_by[s.id]), MAX_CITED_BY) for s in ordered]
        index.list_parts["sources.md"] = _chunks(ordered, weights, MAX_SOURCES_WEIGHT)
        for number, part in enumerate(index.list_parts["sources.md"][1:], 2):
            for source in part:
                index.pages[source.id] = part_page("sources.md", number)
                index.homes[source.id] = "sources.md"
        return index

    def home(self, ident: str) -> str:
        """The page a permalink to the item names: its own page, or the first page of a split list."""
        return self.homes.get(ident, self.pages[ident])

    def _reverse(self) -> None:
        content = self.content
        labelled: list[tuple[str, str, list[Citation], list[str]]] = []
        for fact in content.facts:
            labelled.append((fact.id, fact.title, [*fact.citations, *fact.figures], []))
        for question in content.questions:
            labelled.append((question.id, question.question, [], [question.short_answer, question.answer]))
        for event in content.events:
            labelled.append(
                (
                    event.id,
                    self.messages.gettext(
                        "%(date)s: %(title)s",
                        date=event.date_label or self.messages.date(event.date),
                        title=event.title,
                    ),
                    event.citations,
                    [event.summary or ""],
                )
            )
        for element in content.elements:
            labelled.append((element.id, element.name, element.citations, []))
        for person in content.people:
            labelled.append((person.id, person.name, person.citations, [person.description or ""]))
        for correction in content.corrections:
            labelled.append(
                (
                    correction.id,
                    self.messages.gettext("Error in coverage: %(claim)s", claim=correction.claim),
                    correction.citations,
                    [correction.correction],
                )
            )
        for dataset in content.datasets:
            labelled.append((dataset.id, dataset.title, [Citation(source=dataset.source)], []))
        for ident, label, citations, texts in labelled:
            sources = {c.source for c in citations}
            for text in texts:
                sources |= sources_cited_in(text, self.facts) & self.sources.keys()
            for source in sorted(sources):
                self.cited_by[source].append((label, self.pages[ident], ident))

    def link(self, from_src: str, ident: str) -> Markup:
        """A Markdown link from a page to the item with this id."""
        page = self.pages[ident]
        return md_link(from_src, page, None if page.startswith("questions/") else ident)

    def url(self, from_src: str, ident: str) -> Markup:
        """The link `link` makes, as it works in the built site: for raw HTML, which MkDocs does not rewrite."""
        page = self.pages[ident]
        return href(from_src, page, None if page.startswith("questions/") else ident)


def number_ranges(numbers: list[int]) -> str:
    """[1, 2, 3, 4] -> '1–4'; [1, 3] -> '1, 3'; [1, 2, 5] -> '1, 2, 5': three or more in a row as a range."""
    spans: list[list[int]] = []
    for number in sorted(set(numbers)):
        if spans and number == spans[-1][-1] + 1:
            spans[-1].append(number)
        else:
            spans.append([number])
    parts: list[str] = []
    for span in spans:
        parts.extend([f"{span[0]}–{span[-1]}"] if len(span) >= 3 else [str(n) for n in span])
    return ", ".join(parts)


def letters(count: int) -> list[str]:
    """Back-link labels, as in Wikipedia's reference lists: a, b, ... z, aa, ab, ..."""
    alphabet = "abcdefghijklmnopqrstuvwxyz"
    result = []
    for index in range(count):
        label = ""
        index += 1
        while index:
            index, rest = divmod(index - 1, 26)
            label = alphabet[rest] + label
        result.append(label)
    return result


class References:
    """The numbered reference list of one page, filled in as citations are rendered.

    Each marker stands for every source cited at one place (one claim, or citations next to each
    other), each source once; the reference list links back to every marker that cites an entry.
    """

    def __init__(
        self,
        index: Index,
        src: str,
        prose_html: Prose,
        macros: Any,
        drawn: dict[tuple[str, str, str], Markup] | None = None,
    ) -> None:
        self.index = index
        self.src = src
        self.prose_html = prose_html
        self.macros = macros
        """The templates' citation macros (_cite.md.j2): the wording and markup of markers and sources."""
        self.drawn = drawn if drawn is not None else {}
        """Markup of sources drawn once for every page of a render (`_once`): at 10,000 facts the pages hold 27,500
        references and 31,500 citations of 1,250 sources, nine in ten drawn before."""
        self.numbers: dict[str, int] = {}
        self.quotes: dict[str, list[Citation]] = defaultdict(list)
        self.cited_at: dict[str, list[str]] = defaultdict(list)
        """Source id -> the ids of the markers citing it, in page order (the back-links)."""
        self.tips = 0
        self.facts: list[str] = []

    def number(self, source_id: str) -> int:
        return self.numbers.setdefault(source_id, len(self.numbers) + 1)

    def marker(self, cite: Citation, *more: Citation) -> Markup:
        """One marker for these citations (of one or more sources), with a tooltip."""
        return self.group([cite, *more])

    def marker_for(self, source_id: str, locator: str | None = None) -> Markup:
        return self.marker(Citation(source=source_id, locator=locator))

    def speaker(self, cite: Citation) -> str:
        """Who said the quoted words as a quotation's attribution: '— Name, role'."""
        who = self.speaker_name(cite)
        return self.index.messages.gettext("— %(speaker)s", speaker=who) if who else ""

    def speaker_name(self, cite: Citation) -> str:
        """Who said the quoted words, with their role: 'Name, role'."""
        if cite.speaker is None:
            return ""
        person = self.index.people.get(cite.speaker)
        name = person.name if person else cite.speaker
        role = cite.role or (person.role if person else "")
        return self.index.messages.gettext("%(name)s, %(role)s", name=name, role=role) if role else name

    def markers(self, citations: list[Citation] | tuple[Citation, ...]) -> Markup:
        """The marker of a claim's citations: one marker, each source once, in the order first cited."""
        return self.group(list(citations)) if citations else Markup("")

    def group(self, citations: list[Citation]) -> Markup:
        """One marker for citations cited together: each source once (numbered in the page's order), each
        distinct quotation or locator once."""
        by_source: dict[str, list[Citation]] = {}
        for cite in citations:
            same = by_source.setdefault(cite.source, [])
            if cite not in same:
                same.append(cite)
        self.tips += 1
        marker_id, tip_id = Markup(f"cite_{self.tips}"), Markup(f"tip_{self.tips}")
        entries: list[dict[str, Any]] = []
        for source_id, cites in by_source.items():
            number = self.number(source_id)
            self.cited_at[source_id].append(marker_id)
            source = self.index.sources[source_id]
            quotes: list[dict[str, str]] = []
            for each in cites:
                if each.quote and each not in self.quotes[source_id]:
                    self.quotes[source_id].append(each)
                shown = {
                    "quote": each.quote or "",
                    "speaker": self.speaker(each),
                    "locator": each.locator or "",
                    "translation": each.translation or ""
                    if each.quote and self.index.language.translations_shown(source.language)
                    else "",
                }
                if each.quote and any(q["quote"] == each.quote for q in quotes):
                    shown["quote"] = shown["speaker"] = ""  # a quotation is shown once per marker
                if (shown["quote"] or shown["locator"]) and shown not in quotes:
                    quotes.append(shown)
            entries.append(
                {
                    "number": number,
                    "source": source,
                    "cited": self._once("tip_source", source, self.index.messages.date(source.published)),
                    "year": str(source.published)[:4],
                    "quotes": quotes,
                }
            )
        entries.sort(key=lambda entry: entry["number"])
        numbers = number_ranges([entry["number"] for entry in entries])
        return Markup(self.macros.marker(entries, numbers, marker_id, tip_id))

    def prose(self, text: str | None, cite: list[Citation] | None = None, lead: str | None = None) -> Markup:
        """Editor Markdown as sanitised, Markdown-inert HTML blocks, with [@id] turned into citation markers.

        `cite`: the claim's own citations, whose marker closes its last paragraph (joined with any
        citations already there); `lead`: a label, in bold, that opens its first paragraph.
        """
        if not text:
            return Markup("")
        result = self.prose_html.html(text, self._marker_of_runs, CITE_RUN, list(cite) if cite else None)
        if lead and result.startswith("<p>"):
            opening = lead if isinstance(lead, Markup) else plain(lead)
            result = Markup("<p><strong>") + opening + Markup("</strong> ") + result[len("<p>") :]
        return Markup(result)

    def inline(self, text: str | None, cite: list[Citation] | None = None) -> Markup:
        """Editor Markdown for a line of running text: a single paragraph is given without its <p>."""
        result = self.prose(text, cite)
        if result.startswith("<p>") and result.endswith("</p>") and result.count("<p>") == 1:
            return Markup(result[len("<p>") : -len("</p>")])
        return result

    def _marker_of_runs(self, runs: list[Any]) -> str:
        """Runs of [@id] citations (text), or a claim's citations (a list), next to each other: one marker."""
        citations: list[Citation] = []
        for run in runs:
            if isinstance(run, list):
                citations.extend(run)
                continue
            for ident in CITE.findall(run):
                if ident in self.index.facts:
                    if ident not in self.facts:
                        self.facts.append(ident)
                    citations.extend(self.index.facts[ident].citations)
                elif ident in self.index.sources:
                    citations.append(Citation(source=ident))
        return str(self.markers(citations))

    def entries(self) -> list[dict[str, Any]]:
        result = []
        for source_id, number in sorted(self.numbers.items(), key=lambda kv: kv[1]):
            source = self.index.sources[source_id]
            backs = self.cited_at[source_id]
            result.append(
                {
                    "number": number,
                    "source": source,
                    "quotes": [
                        (
                            plain(c.quote or ""),
                            plain(self.speaker(c)),
                            plain(c.locator or ""),
                            plain(c.translation or "")
                            if self.index.language.translations_shown(source.language)
                            else "",
                        )
                        for c in self.quotes[source_id]
                    ],
                    "line": self._once("source_line", source, href(self.src, self.index.pages[source.id], source.id)),
                    "back": list(zip(letters(len(backs)), backs, strict=True)),
                }
            )
        return result

    def _once(self, macro: str, source: Source, argument: str) -> Markup:
        """A citation macro's markup of a source (a tooltip's line, a reference list's), drawn once in a render for
        the same argument (the source's date; its link from the listing page)."""
        key = (macro, source.id, argument)
        found = self.drawn.get(key)
        if found is None:
            found = self.drawn[key] = Markup(getattr(self.macros, macro)(source, argument))
        return found


@functools.cache
def _environment() -> Environment:
    """The templates' environment, made once per process so that templates compile once.

    Every value a template prints passes through `_finalize`: escaped for HTML and inert for Markdown
    unless it is generator markup (Markup) already.
    """
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        finalize=_finalize,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["date"] = _date
    env.filters["number"] = _number
    env.filters["plain"] = plain
    env.filters["shorten"] = shorten
    env.filters["preformatted"] = preformatted
    env.filters["initial"] = initial
    env.filters["stash"] = _stash
    return env


@pass_context
def _stash(context: Context, html: str) -> Markup:
    """`{% filter stash %}`: a raw HTML block of the page, marked (builder/stash.py)."""
    blocks: Blocks = context["blocks"]
    return blocks.add(html)


@pass_context
def _date(context: Context, value: str | dt.date | None) -> str:
    """A date in the page's language (CLDR long form); a partial date as far as it is known."""
    messages: Messages = context["messages"]
    return messages.date(value)


@pass_context
def _number(context: Context, value: float | int | None) -> str:
    messages: Messages = context["messages"]
    return messages.number(value)


PLACEHOLDER = re.compile(r"%\((\w+)\)s")


class Interface:
    """The templates' gettext: a message in the page's language, as inert Markup, its %(name)s placeholders
    filled with values escaped like any other (generator Markup, such as a link, passes as it is)."""

    def __init__(self, messages: Messages) -> None:
        self.messages = messages
        self._pieces: dict[str, list[tuple[bool, str | Markup]]] = {}
        """Each translated message split at its placeholders, its text pieces made inert once."""
        self._labels: dict[str, Markup] = {}
        """Each message asked for without values, as given."""

    def gettext(self, message: str, **values: Any) -> Markup:
        if not values:  # a label ("Copy citation"): the same Markup every time
            found = self._labels.get(message)
            if found is None:
                found = self._labels[message] = self._fill(self.messages.translations.gettext(message), values)
            return found
        return self._fill(self.messages.translations.gettext(message), values)

    def ngettext(self, singular: str, plural: str, num: int, **values: Any) -> Markup:
        return self._fill(self.messages.translations.ngettext(singular, plural, num), {"num": num, **values})

    def _fill(self, text: str, values: dict[str, Any]) -> Markup:
        pieces = self._pieces.get(text)
        if pieces is None:
            pieces = self._pieces[text] = self._split(text)
        out: list[str] = []  # every piece is Markup: joined once (Markup's + escapes its operand at each step)
        for placeholder, piece in pieces:
            if not placeholder:
                out.append(piece)
            elif piece in values:
                out.append(_finalize(values[piece]))
            else:
                out.append(inert(f"%({piece})s"))
        return Markup("".join(out))

    @staticmethod
    def _split(text: str) -> list[tuple[bool, str | Markup]]:
        """A message's pieces: (True, a placeholder's name) or (False, its text as inert Markup)."""
        pieces: list[tuple[bool, str | Markup]] = []
        for position, piece in enumerate(PLACEHOLDER.split(text)):
            if position % 2:
                pieces.append((True, piece))
            elif piece:
                edge = inert("x" + piece + "x")  # keeps the spaces at the piece's edges
                pieces.append((False, Markup(str(edge)[1:-1])))
        return pieces


def md_text_link(text: Any, target: str) -> Markup:
    """A Markdown link with text escaped like any value: for a link inside a message."""
    return Markup("[") + Markup(_finalize(text)) + Markup("](") + Markup(target) + Markup(")")


def link_to(url: str, text: str | None = None) -> Markup:
    """A link to an address (checked http or https), its text the address itself unless given."""
    return Markup('<a href="%s">%s</a>') % (inert(url), inert(text or url))


def code(text: str) -> Markup:
    return Markup("<code>%s</code>") % inert(text)


def strong(text: Any) -> Markup:
    return Markup("<strong>") + Markup(_finalize(text)) + Markup("</strong>")


class PageLanguage:
    """The language of the pages being rendered, to mark text in another (BCP 47 `lang` attributes).

    `original`: the site's own language, which a citation's `translation` is in (an edition's pages show
    only the quotation's original); `untranslated`: keys of what an edition shows in `original`."""

    def __init__(self, tag: str, original: str | None = None, untranslated: frozenset[str] = frozenset()) -> None:
        self.tag = tag
        self.key = language_key(tag)
        self.original = original or tag
        self.untranslated = untranslated

    def translations_shown(self, tag: str) -> bool:
        """Whether a quotation in `tag` is shown with its translation (into the site's own language)."""
        return not self.same(tag) and language_key(self.original) == self.key

    def fallback(self, key: str) -> bool:
        """Whether the item (its id; 'story', 'site') is shown untranslated, in the site's own language."""
        return key in self.untranslated

    def fallback_attribute(self, key: str) -> Markup:
        return self.attribute(self.original) if self.fallback(key) else Markup("")

    def same(self, tag: str) -> bool:
        return language_key(tag) == self.key

    def attribute(self, tag: str) -> Markup:
        """' lang="zh-Hans"' when text in `tag` differs from the page's language, else nothing."""
        return Markup("") if self.same(tag) else Markup(' lang="%s"') % tag


@dataclass(frozen=True)
class Drawn:
    """One page as drawn: its Markdown as builder/packed.py holds it, where its marked raw HTML blocks lie
    (builder/stash.py), and its share image (None without one)."""

    packed: bytes
    spans: Spans
    image: bytes | None


@dataclass
class Rendered:
    pages: Pages
    """Page path under the docs folder -> Markdown (held compressed, builder/packed.py)."""
    nav: list[Any]
    assets: Pages = field(default_factory=Pages)
    """File path under the docs folder -> text (the downloads, the charts' SVG), held compressed: at 50,000 facts
    the downloads' text is 110 MB."""
    about: str = ""
    """The navigation label of the About section (the explainer's own pages are listed under it)."""
    theme_language: str = "en"
    """The theme's language (Material's name for the site's: zh for zh-Hans, en for en-GB)."""
    theme_extra: dict[str, str] = field(default_factory=dict)
    """The messages the theme overrides show (configuration `extra.explainer`)."""
    alternates: list[dict[str, str]] = field(default_factory=list)
    """The language switch (Material's extra.alternate): name, lang and link (from the root) of each language."""
    site_name: str = ""
    site_description: str = ""
    images: dict[str, bytes] = field(default_factory=dict)
    """File path under the docs folder -> PNG: each page's share image (og:image)."""
    spans: dict[str, Spans] = field(default_factory=dict)
    """Page path -> where the raw HTML blocks its templates marked lie in its Markdown (builder/stash.py)."""
    locations: dict[str, str] = field(default_factory=dict)
    """Item id -> the page it is on (Index.pages): where the search's results land."""


CORRECTION_PREFIX = "Correction:"
"""A change_note that starts so marks a change that fixes an error of ours (listed under Our corrections)."""
MAX_CHANGES = 300
"""Changes listed on the What changed page at most (newest first), so that the page stays of bounded size."""


@dataclass
class Freshness:
    """Dates for readers: the build date, and the content's history where there is one."""

    today: dt.date
    history: History | None
    content: Content

    def dates(self, ident: str) -> Dates | None:
        return self.history.dates.get(ident) if self.history else None

    def changed(self, ident: str, as_of: dt.date) -> dt.date:
        """When the item last changed; its as_of date when no history knows it."""
        known = self.dates(ident)
        return known.changed if known else as_of

    def first(self, ident: str) -> dt.date | None:
        known = self.dates(ident)
        return known.first if known else None

    def due(self, item: Fact | Question) -> dt.date | None:
        """The review_by date of a claim past it, else None."""
        return item.review_by if item.review_by is not None and item.review_by < self.today else None

    def ended(self, item: Fact | Question) -> dt.date | None:
        """The end date of a time-bound fact past it, else None."""
        ends = getattr(item, "ends", None)
        return ends if ends is not None and ends < self.today else None

    def passed(self, day: dt.date | None) -> bool:
        return day is not None and day < self.today

    def awaiting(self) -> list[Fact | Question]:
        """Claims past their review date or end date, facts first, each in content order."""
        claims: list[Fact | Question] = [*self.content.facts, *self.content.questions]
        return [item for item in claims if self.due(item) or self.ended(item)]

    def updated(self) -> dt.date:
        """When the content last changed: the last content commit, else site.updated."""
        if self.history and self.history.updated:
            return self.history.updated
        return self.content.site.updated

    def changes(self) -> list[dict[str, Any]]:
        """The history's changes, newest first, each with the note to show next to it."""
        if self.history is None:
            return []
        current: dict[str, Fact | Question] = {
            **{f.id: f for f in self.content.facts},
            **{q.id: q for q in self.content.questions},
        }
        latest: set[str] = set()
        result = []
        for change in self.history.newest_first():
            note = change.change_note
            if change.ident not in latest and change.action != "withdrawn" and change.ident in current:
                note = current[change.ident].change_note or note
            latest.add(change.ident)
            ours = change.status_to == Status.CORRECTED.value or bool(note and note.startswith(CORRECTION_PREFIX))
            result.append({"change": change, "note": note, "ours": ours, "current": change.ident in current})
        return result


def _status(status: Status, messages: Messages) -> dict[str, Any]:
    """A status as pages show it: its label, its meaning, and the id of its section on the statuses page."""
    label, meaning = STATUS_TEXT[status]
    return {
        "id": status.value,
        "label": messages.gettext(label),
        "meaning": messages.gettext(meaning),
        "anchor": Markup(f"status_{status.value}"),
    }


def render(
    content: Content,
    charts_cache: ChartCache | None = None,
    history: History | None = None,
    today: dt.date | None = None,
    prose: Prose | None = None,
    messages: Messages | None = None,
    original: str | None = None,
    untranslated: frozenset[str] = frozenset(),
    images: ImageCache | None = None,
    memo: PageMemo | None = None,
    download_parts: DownloadParts | None = None,
    dumps: Dumps | None = None,
    workers: int = 1,
) -> Rendered:
    """Every generated page as Markdown, keyed by its path under the docs folder.

    `messages`: the interface's language (default: the site's, with the shipped catalogues only).
    For an edition (builder/editions.py): `original` is the site's own language, `untranslated` the keys
    of what is shown in it, marked with a notice and its `lang`.

    With a cache, a chart is drawn again only when its dataset changed. `history` (builder/history.py) dates
    facts and answers and lists the changes; `today` is the build date that review and end dates are
    compared with (default: the date today). `images` keeps the pages' share images drawn before; `memo`
    (builder/memo.py) the pages rendered before whose inputs are known, given back when those did not change;
    `download_parts` each item's part of the downloads written before (builder/opendata.py); `dumps` the items'
    JSON, which both read (builder/cache.py). `workers`: the processes the pages are drawn in, from
    PARALLEL_FROM pages to draw, where this process may be forked (builder/forked.py); the pages are the same.
    """
    env = _environment()
    dumps = dumps or Dumps()
    prose = prose or Prose()
    messages = messages or Messages.of(content.site.language)
    content = content.model_copy(
        update={"site": content.site.model_copy(update={"labels": messages.labels(content.site.labels)})}
    )
    index = Index.of(content, messages)
    index.language = PageLanguage(content.site.language, original, untranslated)
    site = content.site
    interface = Interface(messages)
    kinds = {kind: messages.gettext(label) for kind, label in KIND_LABELS.items()}
    language = index.language
    macros = env.get_template("_cite.md.j2").make_module(
        {
            "_": interface.gettext,
            "lang_of": language.attribute,
            "in_language": lambda t, tag: in_language(t, tag, language.tag),
            "messages": messages,
        }
    )
    sources_drawn: dict[tuple[str, str, str], Markup] = {}
    """Sources' markup drawn once for all the pages (References._once)."""
    controls = {
        "in-force": messages.gettext("in force"),
        "suspended": messages.gettext("suspended"),
        "lifted": messages.gettext("lifted"),
    }
    pages = Pages()
    spans: dict[str, Spans] = {}
    shares: dict[str, bytes] = {}
    images = images if images is not None else ImageCache()
    fresh = Freshness(today or dt.date.today(), history, content)
    site_updated = fresh.updated()
    inputs = None
    if memo is not None and messages.key is not None:
        inputs = PageInputs(index, fresh, site, messages.key, language.original, dumps)

    def share_path(src: str) -> str | None:
        """Where the page's share image goes; none without the site's absolute address (a local preview)."""
        return f"{IMAGES}/{src.removesuffix('.md')}.png" if site.url else None

    def text(markdown_text: str | None) -> str:
        """Plain text of editor Markdown, without citations: for descriptions and alt text."""
        return prose.text_without(markdown_text or "", CITE_RUN)

    planned: list[tuple[str, str | None, Drawn | int]] = []
    """Each page in the order it is made: its path, the digest it is kept under once drawn, and either the page kept
    from the last render or the number of the task that draws it."""
    tasks: list[Callable[[], Drawn]] = []
    """The pages to draw, drawn once every page is planned (builder/forked.py: on more than one core)."""

    def page(
        src: str,
        template: str,
        title: str | None,
        description: str,
        structured: Sequence[dict[str, Any]] | Callable[[], list[dict[str, Any]]] = (),
        updated: dt.date | None = None,
        reading: bool = False,
        digest: str | None = None,
        **context: Any,
    ) -> None:
        """Plan one page; `structured`: its schema.org items (or what makes them), written as JSON-LD at the end of
        the page; `reading`: the page says how long it takes to read; `digest`: what it read (builder/memo.py),
        under which the page is kept for the next render."""

        def body_of(reading_minutes: int | None) -> tuple[str, Spans]:
            blocks = Blocks()
            drawn = env.get_template(template).render(
                blocks=blocks,
                site=site,
                content=content,
                index=index,
                refs=References(index, src, prose, macros, sources_drawn),
                src=src,
                link=lambda ident: index.link(src, ident),
                url=lambda ident: index.url(src, ident),
                to=lambda target, anchor=None: href(src, target, anchor),
                md=lambda target, anchor=None: md_link(src, target, anchor),
                cite_this=lambda page_src, anchor, title, as_of: cite_this(
                    site, page_src, anchor, title, as_of, fresh.today, messages
                ),
                status=lambda value: _status(value, messages),
                in_language=lambda text, tag: in_language(text, tag, language.tag),
                kinds=kinds,
                messages=messages,
                _=interface.gettext,
                ngettext=interface.ngettext,
                a=md_text_link,
                lang_of=language.attribute,
                same_language=language.same,
                translations_shown=language.translations_shown,
                fallback=language.fallback,
                fallback_lang=language.fallback_attribute,
                link_to=link_to,
                code=code,
                strong=strong,
                controls=controls,
                control_statuses=lambda element: messages.join(
                    dict.fromkeys(controls[c.status.value] for c in element.controls)
                ),
                text=text,
                fresh=fresh,
                describe=lambda change: describe(change, messages),
                updated=updated or site_updated,
                reading_minutes=reading_minutes,
                **context,
            )
            return blocks.expand(drawn)

        def draw() -> Drawn:
            body, marked = body_of(None)
            if reading:
                # Drawn again with the reading time of the first drawing's text (the time itself adds no words).
                body, marked = body_of(reading_time(body))
            image = share_path(src)
            headline = title or (site.story.headline if site.story else site.title)
            front = front_matter(title=title, description=shorten(description), image=image)
            items = structured() if callable(structured) else structured
            script, spans = jsonld.script(list(items)), shift(marked, len(front))
            if script:  # a raw HTML block of its own between two newlines, marked as the templates mark theirs
                tail = Blocks()
                block, more = tail.expand(tail.add(script[1:-1]), len(front) + len(body) + 1)
                script, spans = f"\n{block}\n", spans + more
            return Drawn(pack(front + body + script), spans, images.image(headline, site.title) if image else None)

        planned.append((src, digest, len(tasks)))
        tasks.append(draw)

    def kept(src: str, digest: str | None) -> bool:
        """Plan the page kept under this digest as it is (its Markdown, marked spans and share image), if any."""
        found = memo.page(language.tag, src, digest) if digest is not None and memo is not None else None
        if found is None:
            return False
        planned.append((src, None, Drawn(found.packed, found.spans, found.image)))
        return True

    def reviews(facts: list[Fact]) -> list[dict[str, Any]]:
        return [jsonld.claim_review(site, fact, index.sources, text, messages.gettext) for fact in facts]

    topics = {t.id: t for t in site.topics}
    by_topic: dict[str, list[Fact]] = defaultdict(list)
    also: dict[str, list[Fact]] = defaultdict(list)
    for fact in content.facts:
        by_topic[fact.topics[0]].append(fact)
        for other in fact.topics[1:]:
            also[other].append(fact)

    labels, name = site.labels, site.title
    maps: dict[str, str] = {}
    """The anchor maps of split lists (assets, but not data downloads)."""

    def split_list(
        first: str,
        template: str,
        title: str | None,
        description: str,
        name: str,
        anchored: bool = True,
        kept_by: Callable[[PageInputs, tuple[Any, ...], list[Any]], str] | None = None,
        **extra: Any,
    ) -> None:
        """A list page, split into pages as Index.list_parts says; with an anchor map when its items have ids.
        `kept_by`: the digest of what a page reads (builder/memo.py), from its own values and its items, for
        lists whose pages are kept; `extra`: more for the template."""
        parts = index.list_parts[first] or [[]]
        sources = [part_page(first, n) for n in range(1, len(parts) + 1)]
        if anchored and len(parts) > 1:
            maps[page_url(first) + ANCHORS] = anchor_map(first, parts)
        numbered = list(enumerate(sources, 1))
        for number, items in enumerate(parts, 1):
            src = sources[number - 1]
            shown = title if number == 1 else f"{title} ({number}/{len(parts)})"
            anchors = href(src, first) + ANCHORS if anchored and len(parts) > 1 else None
            own = (src, shown, description, numbered, number, anchors, site_updated, extra)
            digest = kept_by(inputs, own, items) if inputs and kept_by else None
            if kept(src, digest):
                continue
            context: dict[str, Any] = {name: items, **extra}
            page(
                src,
                template,
                shown,
                description,
                parts=numbered,
                part=number,
                anchors=anchors,
                digest=digest,
                **context,
            )

    facts_index = "facts/index.md"
    if site.story:
        story = jsonld.article(site, "", site.story.headline, site.description, site.updated.isoformat())
        coverage = _coverage(content, messages) if site.story.coverage else {"origins": [], "countries": []}
        page("index.md", "story.md.j2", None, site.description, [story], reading=True, coverage=coverage)
    else:
        # Without a story the home page is the facts page: the topics and their facts.
        facts_index = "index.md"
    if content.questions:
        index.list_parts["questions/index.md"] = _chunks(
            content.questions, [1] * len(content.questions), MAX_QUESTIONS_PER_PAGE
        )
        split_list(
            "questions/index.md",
            "questions.md.j2",
            labels.questions,
            messages.gettext(
                "Questions readers ask about %(site)s, each with a short answer first and a cited answer after it.",
                site=name,
            ),
            "questions",
            anchored=False,
            kept_by=lambda inputs, own, items: inputs.list_page(own, items, [q.short_answer for q in items]),
        )
    for question in content.questions:
        src = f"questions/{question.id}.md"
        answered = fresh.changed(question.id, question.as_of)
        digest = inputs.question_page((src, answered), question) if inputs else None
        if kept(src, digest):
            continue
        page(
            src,
            "question.md.j2",
            question.question,
            text(question.short_answer),
            [
                jsonld.article(
                    site,
                    question_path(question),
                    question.question,
                    text(question.short_answer),
                    question.as_of.isoformat(),
                )
            ],
            question=question,
            updated=answered,
            reading=True,
            digest=digest,
        )
    home = facts_index == "index.md"
    page(
        facts_index,
        "facts.md.j2",
        labels.facts,  # the home page too: in the Facts section of the navigation, MkDocs titles it as a page
        site.description
        if home
        else messages.gettext("Every checked fact in %(site)s, by topic, with its sources and status.", site=name),
        by_topic=by_topic,
        home=home,
        listed=len(content.facts) <= MAX_OVERVIEW_FACTS,
        parts={t: [part_page(f"facts/{t}.md", n) for n in range(1, len(p) + 1)] for t, p in index.topic_parts.items()},
    )
    for topic in site.topics:
        first = f"facts/{topic.id}.md"
        parts = index.topic_parts.get(topic.id, [[]])
        numbers = [(n, part_page(first, n)) for n in range(1, len(parts) + 1)]
        share = -(-len(also[topic.id]) // len(parts))
        if len(parts) > 1:
            maps[page_url(first) + ANCHORS] = anchor_map(first, parts)
        for number, facts in enumerate(parts, 1):
            src = part_page(first, number)
            title = topic.label if number == 1 else f"{topic.label} ({number}/{len(parts)})"
            shown_also = also[topic.id][(number - 1) * share : number * share]
            anchors = href(src, first) + ANCHORS if len(parts) > 1 else None
            updated = max((fresh.changed(f.id, f.as_of) for f in facts), default=None)
            own: tuple[Any, ...] = (src, title, numbers, number, anchors, updated or site_updated)
            digest = inputs.topic_page(own, topic, facts, shown_also) if inputs else None
            if kept(src, digest):
                continue
            page(
                src,
                "topic.md.j2",
                title,
                text(topic.description) or topic.label,
                functools.partial(reviews, facts),
                topic=topic,
                facts=facts,
                also=shown_also,
                parts=numbers,
                part=number,
                anchors=anchors,
                updated=updated,
                digest=digest,
            )
    if content.events:
        split_list(
            "timeline.md",
            "timeline.md.j2",
            labels.timeline,
            messages.gettext("A dated, cited timeline of %(site)s.", site=name),
            "events",
            kept_by=lambda inputs, own, events: inputs.cited_list(
                own, "event", events, [e.summary or "" for e in events], [f for e in events for f in e.facts]
            ),
        )
    if content.elements:
        page(
            "elements.md",
            "elements.md.j2",
            (site.elements.title if site.elements else None) or labels.elements,
            messages.gettext("The elements covered by %(site)s: classification, uses and controls.", site=name),
            elements=sorted(content.elements, key=lambda e: e.atomic_number),
            settings=site.elements or ElementSettings(),
            words=_element_words(site.elements or ElementSettings(), messages),
        )
    if content.people:
        split_list(
            "people.md",
            "people.md.j2",
            labels.people,
            messages.gettext(
                "People and organisations quoted or named in %(site)s, with the roles they held.", site=name
            ),
            "people",
            kept_by=lambda inputs, own, people: inputs.cited_list(
                own, "person", people, [p.description or "" for p in people], []
            ),
        )
    rows: dict[str, int] = {}
    item_digest = digests(site, dumps)
    if download_parts is not None:
        writing = unwritten(content, download_parts, item_digest)
        for batch in forked.run(writing, workers if len(writing) >= PARALLEL_FROM else 1):
            for key, part in batch:
                download_parts.keep(key, part)
    written = downloads(content, download_parts, rows, dumps, item_digest)
    tables = listing(written, rows)
    assets = Pages()
    """The files beside the pages, held compressed while the pages are drawn (at 50,000 facts the downloads are
    110 MB of text)."""
    for path, file_text in written.items():
        assets[path] = file_text
    del written
    if content.datasets:
        charts = {d.id: f"{d.id}.svg" for d in content.datasets if d.chart == "bar"}
        for dataset in content.datasets:
            assets[f"data/{dataset.id}.csv"] = dataset_csv(dataset)
            if dataset.id in charts:
                assets[f"data/{charts[dataset.id]}"] = bar_chart(dataset, charts_cache, str(messages.locale))
        page(
            "data.md",
            "data.md.j2",
            labels.data,
            messages.gettext("Sourced data behind %(site)s, as tables.", site=name),
            [jsonld.dataset(site, d, index.sources[d.source], text) for d in content.datasets],
            charts=charts,
            chart_size=chart_size,
        )
    split_list(
        "sources.md",
        "sources.md.j2",
        labels.sources,
        messages.gettext("Every source cited in %(site)s, with what cites it.", site=name),
        "sources",
        kept_by=PageInputs.sources_page,
        max_cited_by=MAX_CITED_BY,
    )
    if content.corrections:
        page(
            "corrections.md",
            "corrections.md.j2",
            labels.corrections,
            messages.gettext(
                "Errors in source documents and coverage of %(site)s that we checked: the claim, what is correct, "
                "and the evidence.",
                site=name,
            ),
        )
    changes = fresh.changes()
    page(
        "changes.md",
        "changes.md.j2",
        labels.changes,
        messages.gettext(
            "Facts and answers of %(site)s added, changed and withdrawn, newest first, and our own corrections.",
            site=name,
        ),
        days=_by_day(changes[:MAX_CHANGES]),
        more=max(0, len(changes) - MAX_CHANGES),
        ours=[c for c in changes if c["ours"]],
    )
    awaiting = fresh.awaiting()
    if awaiting:
        index.list_parts["review.md"] = _chunks(awaiting, [1] * len(awaiting), MAX_AWAITING_PER_PAGE)
        split_list(
            "review.md",
            "review.md.j2",
            labels.review,
            messages.gettext(
                "Claims in %(site)s past their review date or end date, which editors have still to check again.",
                site=name,
            ),
            "awaiting",
            anchored=False,
            kept_by=lambda inputs, own, items: inputs.list_page(own, items, []),
        )
    assets["feed.xml"] = atom_feed(site, changes, index.pages, site_updated, messages)
    page(
        "method.md",
        "method.md.j2",
        labels.method,
        messages.gettext("How %(site)s checks facts, and what each status means.", site=name),
        statuses=[_status(s, messages) for s in Status],
    )

    topic_order = {t.id: n for n, t in enumerate(site.topics)}
    by_status = {
        s: sorted((f for f in content.facts if f.status is s), key=lambda f: topic_order[f.topics[0]]) for s in Status
    }
    listed = len(content.facts) <= MAX_OVERVIEW_FACTS
    lists: dict[Status, str] = {}
    """Each status's own list of its facts, when the claims-by-status page cannot hold them all."""
    for status, facts in by_status.items():
        if not listed and facts:
            first = lists[status] = f"statuses/{status.value}.md"
            index.list_parts[first] = _chunks(facts, [1] * len(facts), MAX_STATUS_FACTS_PER_PAGE)
            label = _status(status, messages)["label"]
            heading = messages.gettext("%(page)s: %(status)s", page=labels.statuses, status=label)
            split_list(
                first,
                "status.md.j2",
                heading,
                messages.gettext("The facts in %(site)s with the status %(status)s.", site=name, status=label),
                "facts",
                anchored=False,
                kept_by=lambda inputs, own, items: inputs.list_page(own, items, []),
                heading=heading,
            )
    page(
        "statuses.md",
        "statuses.md.j2",
        labels.statuses,
        messages.gettext(
            "Every fact in %(site)s by how sure we are of it: what each status means, and the claims that have it.",
            site=name,
        ),
        statuses=[
            (
                _status(s, messages),
                by_status[s][: None if listed else MAX_STATUS_SAMPLE],
                len(by_status[s]),
                lists.get(s),
            )
            for s in Status
        ],
    )
    page(
        "downloads.md",
        "downloads.md.j2",
        labels.downloads,
        messages.gettext(
            "The %(what)s of %(site)s as JSON and CSV, with a data dictionary.",
            what=messages.join(messages.gettext(word) for word in _published(content)),
            site=name,
        ),
        tables=tables,
        dictionary=f"{FOLDER}/datapackage.json",
    )

    before = prose.mark()
    drawings = forked.run(
        tasks, workers if len(tasks) >= PARALLEL_FROM else 1, lambda: prose.since(before), prose.absorb
    )
    for src, digest, made in planned:
        drawn = drawings[made] if isinstance(made, int) else made
        pages.put(src, drawn.packed)
        spans[src] = drawn.spans
        image = share_path(src)
        if image and drawn.image is not None:  # a kept page's digest holds site.url: it has an image when it should
            shares[image] = drawn.image
        if isinstance(made, int) and digest is not None and memo is not None:
            memo.keep_page(language.tag, src, digest, drawn.packed, drawn.spans, drawn.image)

    nav: list[Any] = [{labels.home: "index.md"}] if site.story else []
    if "questions/index.md" in pages:
        nav.append({labels.questions: "questions/index.md"})
    nav.append({labels.facts: [facts_index, *({topics[t].label: f"facts/{t}.md"} for t in topics)]})
    for label, src in (
        (labels.timeline, "timeline.md"),
        (labels.elements, "elements.md"),
        (labels.people, "people.md"),
        (labels.data, "data.md"),
    ):
        if src in pages:
            nav.append({label: src})
    about = [
        {labels.changes: "changes.md"},
        {labels.sources: "sources.md"},
        {labels.method: "method.md"},
        {labels.statuses: "statuses.md"},
    ]
    if "corrections.md" in pages:
        about.insert(2, {labels.corrections: "corrections.md"})
    if "review.md" in pages:
        about.insert(1, {labels.review: "review.md"})
    about.append({labels.downloads: "downloads.md"})
    nav.append({labels.about: about})
    theme_language, theme_extra = theme_settings(messages, site.title)
    for path, mapped in maps.items():
        assets[path] = mapped
    return Rendered(
        pages,
        nav,
        assets,
        str(labels.about),
        theme_language,
        theme_extra,
        site_name=site.title,
        site_description=site.description,
        images=shares,
        spans=spans,
        locations=index.pages,
    )


def _by_day(changes: list[dict[str, Any]]) -> list[tuple[dt.date, Markup, list[dict[str, Any]]]]:
    """Changes (newest first) grouped by date, each date with its heading's id (made of digits and '_')."""
    days: list[tuple[dt.date, Markup, list[dict[str, Any]]]] = []
    for entry in changes:
        day = entry["change"].date
        if not days or days[-1][0] != day:
            days.append((day, Markup(f"changes_{day:%Y_%m_%d}"), []))
        days[-1][2].append(entry)
    return days


def _published(content: Content) -> list[str]:
    """What the downloads hold, in words: the content types the explainer has."""
    found = [N_("facts"), N_("sources")]
    found += [N_("questions")] * bool(content.questions) + [N_("events")] * bool(content.events)
    found += [N_("data")] * bool(content.datasets)
    return found


def _element_words(settings: ElementSettings, messages: Messages) -> dict[str, Any]:
    """The elements page's words: the site's own (site.yaml elements), else the catalogue's."""
    given = settings.categories
    return {
        "categories": {
            "light": given.light or messages.gettext("light"),
            "heavy": given.heavy or messages.gettext("heavy"),
            "neither": given.neither or messages.gettext("neither"),
        },
        "control": settings.control or messages.gettext("Control"),
        "no_control": settings.no_control or messages.gettext("No control in the content."),
        "controlled": settings.controlled
        or messages.gettext("Red border: under a control in the content (in force or suspended)"),
    }


def country_name(code: str | None, messages: Messages | None = None) -> str:
    """'FR' -> 'France' (names in the site's language from Babel's CLDR data); None -> 'International'."""
    return (messages or english()).country(code)


def _coverage(content: Content, messages: Messages) -> dict[str, list[tuple[str, int]]]:
    """How many sources stand behind the story: by origin (governments by country), kind and country.

    Each list is empty where there is nothing to count (no evidence sources; no source with a country)."""
    evidence = [s for s in content.sources if s.kind is not SourceKind.AGGREGATOR]

    def origin(source: Source) -> str:
        if source.kind in (SourceKind.GOVERNMENT, SourceKind.STATE_MEDIA):
            return messages.gettext(
                "%(kind)s: %(country)s",
                kind=messages.gettext(KIND_LABELS[source.kind]),
                country=messages.country(source.country),
            )
        return messages.gettext(KIND_LABELS[source.kind])

    def ranked(counter: Counter[str]) -> list[tuple[str, int]]:
        return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))

    countries = any(s.country for s in evidence)  # without any, the table would only say "International"
    return {
        "origins": ranked(Counter(origin(s) for s in evidence)),
        "countries": ranked(Counter(messages.country(s.country) for s in evidence)) if countries else [],
    }
