"""Validated content to Markdown pages, through the Jinja2 templates in builder/templates/.

Nothing here touches the disk or MkDocs: `render` returns {page path: Markdown} and the
navigation, so the same stage can feed another static-site generator.
"""

from __future__ import annotations

import datetime as dt
import functools
import posixpath
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from babel import Locale
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from . import jsonld
from .charts import ChartCache, bar_chart
from .feed import atom_feed, describe
from .history import Dates, History
from .markup import Prose, inert, preformatted
from .model import (
    CITE,
    KIND_LABELS,
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
from .opendata import FOLDER, dataset_csv, downloads, listing, question_path

TEMPLATES = Path(__file__).parent / "templates"
IMAGES = "og"
"""The folder of the pages' share images (og:image) in the built site: og/<page path>.png."""
CITE_RUN = re.compile(r"(?:[ \t]*\n?[ \t]*" + CITE.pattern + r")+")
"""One or more [@id] citations in a row, with the spaces (and a line break) before them."""
MONTHS = [
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
]


def format_date(value: str | dt.date | None) -> str:
    """'2025-06-10' -> '10 June 2025'; '2025-06' -> 'June 2025'; '2025' -> '2025'."""
    if value is None:
        return ""
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 3:
        return f"{parts[2]} {MONTHS[parts[1] - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{MONTHS[parts[1] - 1]} {parts[0]}"
    return str(parts[0])


def page_url(src: str) -> str:
    """The directory URL MkDocs gives a page: 'facts/supply.md' -> 'facts/supply/'."""
    stem = src.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        stem = stem.removesuffix("index")
        return stem
    return stem + "/"


def href(from_src: str, to_src: str, anchor: str | None = None) -> Markup:
    """A relative link, as it works in the built site, from one page to another (made of ids: markup-safe)."""
    base = page_url(from_src) or "."
    target = page_url(to_src)
    rel = posixpath.relpath(target or ".", base.rstrip("/") or ".")
    rel = "./" if rel == "." else rel + "/"
    return Markup(rel + (f"#{anchor}" if anchor else ""))


def md_link(from_src: str, to_src: str, anchor: str | None = None) -> Markup:
    """A relative link to a page's Markdown source, which MkDocs checks and rewrites (made of ids)."""
    rel = posixpath.relpath(to_src, posixpath.dirname(from_src) or ".")
    return Markup(rel + (f"#{anchor}" if anchor else ""))


def plain(text: str | None) -> Markup:
    """Plain text for a Markdown page: HTML-escaped and Markdown-inert (the templates' default for every value)."""
    return inert(text or "")


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


def cite_this(site: Any, src: str, anchor: str | None, title: str, as_of: dt.date, accessed: dt.date) -> dict[str, Any]:
    """A ready citation of one fact or question: plain text and BibTeX, with the absolute address when the
    site's `url` is set (a site-relative one in a local preview without it) and the date accessed (the build
    date); `ident`: what the copy buttons' ids are made of."""
    path = page_url(src) + (f"#{anchor}" if anchor else "")
    url = (site.url.rstrip("/") + "/" + path) if site.url else "/" + path
    stop = "" if title.endswith((".", "?", "!")) else "."
    text = (
        f"{site.publisher}. “{title}{stop}” {site.title}, as of {format_date(as_of)}. {url}. "
        f"Accessed {format_date(accessed)}."
    )
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
            f"  note = {{As of {format_date(as_of)}}},",
            f"  url = {{{url}}},",
            f"  urldate = {{{accessed.isoformat()}}}",
            "}",
        ]
    )
    return {"text": text, "bibtex": bibtex, "ident": Markup(key.replace("-", "_"))}


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
    cited_by: dict[str, list[tuple[str, str, str]]] = field(default_factory=lambda: defaultdict(list))
    """Source id -> (label, page, anchor) of everything that cites it."""

    @classmethod
    def of(cls, content: Content) -> Index:
        index = cls(content)
        index.sources = {s.id: s for s in content.sources}
        index.facts = {f.id: f for f in content.facts}
        index.people = {p.id: p for p in content.people}
        index.events = {e.id: e for e in content.events}
        index.questions = {q.id: q for q in content.questions}
        for fact in content.facts:
            index.pages[fact.id] = f"facts/{fact.topics[0]}.md"
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
        return index

    def _reverse(self) -> None:
        content = self.content
        labelled: list[tuple[str, str, list[Citation], list[str]]] = []
        for fact in content.facts:
            labelled.append((fact.id, fact.title, [*fact.citations, *fact.figures], []))
        for question in content.questions:
            labelled.append((question.id, question.question, [], [question.short_answer, question.answer]))
        for event in content.events:
            labelled.append(
                (event.id, f"{format_date(event.date)}: {event.title}", event.citations, [event.summary or ""])
            )
        for element in content.elements:
            labelled.append((element.id, element.name, element.citations, []))
        for person in content.people:
            labelled.append((person.id, person.name, person.citations, [person.description or ""]))
        for correction in content.corrections:
            labelled.append(
                (correction.id, f"Error in coverage: {correction.claim}", correction.citations, [correction.correction])
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

    def __init__(self, index: Index, src: str, prose_html: Prose, macros: Any) -> None:
        self.index = index
        self.src = src
        self.prose_html = prose_html
        self.macros = macros
        """The templates' citation macros (_cite.md.j2): the wording and markup of markers."""
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
        if cite.speaker is None:
            return ""
        person = self.index.people.get(cite.speaker)
        name = person.name if person else cite.speaker
        role = cite.role or (person.role if person else "")
        return f"— {name}, {role}" if role else f"— {name}"

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
                shown = {"quote": each.quote or "", "speaker": self.speaker(each), "locator": each.locator or ""}
                if each.quote and any(q["quote"] == each.quote for q in quotes):
                    shown["quote"] = shown["speaker"] = ""  # a quotation is shown once per marker
                if (shown["quote"] or shown["locator"]) and shown not in quotes:
                    quotes.append(shown)
            entries.append(
                {
                    "number": number,
                    "source": source,
                    "date": format_date(source.published),
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
            result = Markup("<p><strong>") + plain(lead) + Markup("</strong> ") + result[len("<p>") :]
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
                        (plain(c.quote or ""), plain(self.speaker(c)), plain(c.locator or ""))
                        for c in self.quotes[source_id]
                    ],
                    "about": href(self.src, "sources.md", source.id),
                    "back": list(zip(letters(len(backs)), backs, strict=True)),
                }
            )
        return result


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
    env.filters["date"] = format_date
    env.filters["plain"] = plain
    env.filters["shorten"] = shorten
    env.filters["preformatted"] = preformatted
    env.filters["initial"] = initial
    return env


@dataclass
class Rendered:
    pages: dict[str, str]
    """Page path under the docs folder -> Markdown."""
    nav: list[Any]
    assets: dict[str, str] = field(default_factory=dict)
    """File path under the docs folder -> text (the charts' SVG)."""
    images: dict[str, bytes] = field(default_factory=dict)
    """File path under the docs folder -> PNG: each page's share image (og:image)."""


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


def _status(status: Status) -> dict[str, Any]:
    """A status as pages show it: its label, its meaning, and the id of its section on the statuses page."""
    label, meaning = STATUS_TEXT[status]
    return {"id": status.value, "label": label, "meaning": meaning, "anchor": Markup(f"status_{status.value}")}


def render(
    content: Content,
    charts_cache: ChartCache | None = None,
    history: History | None = None,
    today: dt.date | None = None,
    images: ImageCache | None = None,
) -> Rendered:
    """Every generated page as Markdown, keyed by its path under the docs folder.

    With a cache, a chart is drawn again only when its dataset changed. `history` (builder/history.py) dates
    facts and answers and lists the changes; `today` is the build date that review and end dates are
    compared with (default: the date today). `images` keeps the pages' share images drawn before.
    """
    env = _environment()
    prose = Prose()
    macros = env.get_template("_cite.md.j2").module
    index = Index.of(content)
    site = content.site
    pages: dict[str, str] = {}
    shares: dict[str, bytes] = {}
    images = images if images is not None else ImageCache()
    fresh = Freshness(today or dt.date.today(), history, content)
    site_updated = fresh.updated()

    def text(markdown_text: str | None) -> str:
        """Plain text of editor Markdown, without citations: for descriptions and alt text."""
        return prose.text(CITE_RUN.sub("", markdown_text or ""))

    def page(
        src: str,
        template: str,
        title: str | None,
        description: str,
        structured: Any = (),
        updated: dt.date | None = None,
        **context: Any,
    ) -> None:
        """Render one page; `structured`: its schema.org items, written as JSON-LD at the end of the page."""
        refs = References(index, src, prose, macros)
        body = env.get_template(template).render(
            site=site,
            content=content,
            index=index,
            refs=refs,
            src=src,
            link=lambda ident: index.link(src, ident),
            to=lambda target, anchor=None: href(src, target, anchor),
            md=lambda target, anchor=None: md_link(src, target, anchor),
            cite_this=lambda page_src, anchor, title, as_of: cite_this(
                site, page_src, anchor, title, as_of, fresh.today
            ),
            status=_status,
            kinds=KIND_LABELS,
            text=text,
            fresh=fresh,
            describe=describe,
            updated=updated or site_updated,
            **context,
        )
        image = None
        if site.url:  # a share image needs the site's absolute address; a local preview goes without
            image = f"{IMAGES}/{src.removesuffix('.md')}.png"
            shares[image] = images.image(title or (site.story.headline if site.story else site.title), site.title)
        pages[src] = (
            front_matter(title=title, description=shorten(description), image=image)
            + body
            + jsonld.script(list(structured))
        )

    topics = {t.id: t for t in site.topics}
    by_topic: dict[str, list[Fact]] = defaultdict(list)
    also: dict[str, list[Fact]] = defaultdict(list)
    for fact in content.facts:
        by_topic[fact.topics[0]].append(fact)
        for other in fact.topics[1:]:
            also[other].append(fact)

    labels, name = site.labels, site.title
    facts_index = "facts/index.md"
    if site.story:
        story = jsonld.article(site, "", site.story.headline, site.description, site.updated.isoformat())
        coverage = _coverage(content) if site.story.coverage else {"origins": [], "countries": []}
        page("index.md", "story.md.j2", None, site.description, [story], coverage=coverage)
    else:
        # Without a story the home page is the facts page: the topics and their facts.
        facts_index = "index.md"
    if content.questions:
        page(
            "questions/index.md",
            "questions.md.j2",
            labels.questions,
            f"Questions readers ask about {name}, each with a short answer first and a cited answer after it.",
        )
    for question in content.questions:
        page(
            f"questions/{question.id}.md",
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
            updated=fresh.changed(question.id, question.as_of),
        )
    home = facts_index == "index.md"
    page(
        facts_index,
        "facts.md.j2",
        labels.facts,  # the home page too: in the Facts section of the navigation, MkDocs titles it as a page
        site.description if home else f"Every checked fact in {name}, by topic, with its sources and status.",
        by_topic=by_topic,
        home=home,
    )
    for topic in site.topics:
        page(
            f"facts/{topic.id}.md",
            "topic.md.j2",
            topic.label,
            text(topic.description) or topic.label,
            [jsonld.claim_review(site, fact, index.sources, text) for fact in by_topic[topic.id]],
            topic=topic,
            facts=by_topic[topic.id],
            also=also[topic.id],
            updated=max((fresh.changed(f.id, f.as_of) for f in by_topic[topic.id]), default=None),
        )
    if content.events:
        events = sorted(content.events, key=lambda e: (e.date, e.id))
        page("timeline.md", "timeline.md.j2", labels.timeline, f"A dated, cited timeline of {name}.", events=events)
    if content.elements:
        page(
            "elements.md",
            "elements.md.j2",
            site.elements.title if site.elements else labels.elements,
            f"The elements covered by {name}: classification, uses and controls.",
            elements=sorted(content.elements, key=lambda e: e.atomic_number),
            settings=site.elements or ElementSettings(),
        )
    if content.people:
        page(
            "people.md",
            "people.md.j2",
            labels.people,
            f"People and organisations quoted or named in {name}, with the roles they held.",
            people=sorted(content.people, key=lambda p: p.name),
        )
    assets: dict[str, str] = downloads(content)
    if content.datasets:
        charts = {d.id: f"{d.id}.svg" for d in content.datasets if d.chart == "bar"}
        for dataset in content.datasets:
            assets[f"data/{dataset.id}.csv"] = dataset_csv(dataset)
            if dataset.id in charts:
                assets[f"data/{charts[dataset.id]}"] = bar_chart(dataset, charts_cache)
        page(
            "data.md",
            "data.md.j2",
            labels.data,
            f"Sourced data behind {name}, as tables.",
            [jsonld.dataset(site, d, index.sources[d.source], text) for d in content.datasets],
            charts=charts,
        )
    page(
        "sources.md",
        "sources.md.j2",
        labels.sources,
        f"Every source cited in {name}, with the facts and questions that cite it.",
        sources=sorted(content.sources, key=lambda s: (s.publisher.lower(), s.id)),
    )
    if content.corrections:
        page(
            "corrections.md",
            "corrections.md.j2",
            labels.corrections,
            f"Errors in source documents and coverage of {name} that we checked: the claim, what is correct, "
            "and the evidence.",
        )
    changes = fresh.changes()
    page(
        "changes.md",
        "changes.md.j2",
        labels.changes,
        f"Facts and answers of {name} added, changed and withdrawn, newest first, and our own corrections.",
        days=_by_day(changes[:MAX_CHANGES]),
        more=max(0, len(changes) - MAX_CHANGES),
        ours=[c for c in changes if c["ours"]],
    )
    awaiting = fresh.awaiting()
    if awaiting:
        page(
            "review.md",
            "review.md.j2",
            labels.review,
            f"Claims in {name} past their review date or end date, which editors have still to check again.",
            awaiting=awaiting,
        )
    assets["feed.xml"] = atom_feed(site, changes, index.pages, site_updated)
    page(
        "method.md",
        "method.md.j2",
        labels.method,
        f"How {name} checks facts, and what each status means.",
        statuses=[_status(s) for s in Status],
    )

    topic_order = {t.id: n for n, t in enumerate(site.topics)}
    by_status = {
        s: sorted((f for f in content.facts if f.status is s), key=lambda f: topic_order[f.topics[0]]) for s in Status
    }
    page(
        "statuses.md",
        "statuses.md.j2",
        labels.statuses,
        f"Every fact in {name} by how sure we are of it: what each status means, and the claims that have it.",
        statuses=[(_status(s), by_status[s]) for s in Status],
    )
    page(
        "downloads.md",
        "downloads.md.j2",
        labels.downloads,
        f"The {_joined(_published(content))} of {name} as JSON and CSV, with a data dictionary.",
        tables=listing(assets),
        dictionary=f"{FOLDER}/datapackage.json",
    )

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
    return Rendered(pages, nav, assets, shares)


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
    found = ["facts", "sources"]
    found += ["questions"] * bool(content.questions) + ["events"] * bool(content.events)
    found += ["data"] * bool(content.datasets)
    return found


def _joined(words: list[str]) -> str:
    """'a, b and c'."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def country_name(code: str | None) -> str:
    """'FR' -> 'France' (English names from Babel's CLDR data); None -> 'International'."""
    if code is None:
        return "International"
    return str(Locale("en").territories.get(code, code))


def _coverage(content: Content) -> dict[str, list[tuple[str, int]]]:
    """How many sources stand behind the story: by origin (governments by country), kind and country.

    Each list is empty where there is nothing to count (no evidence sources; no source with a country)."""
    evidence = [s for s in content.sources if s.kind is not SourceKind.AGGREGATOR]

    def origin(source: Source) -> str:
        if source.kind in (SourceKind.GOVERNMENT, SourceKind.STATE_MEDIA):
            return f"{KIND_LABELS[source.kind]}: {country_name(source.country)}"
        return KIND_LABELS[source.kind]

    def ranked(counter: Counter[str]) -> list[tuple[str, int]]:
        return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))

    countries = any(s.country for s in evidence)  # without any, the table would only say "International"
    return {
        "origins": ranked(Counter(origin(s) for s in evidence)),
        "countries": ranked(Counter(country_name(s.country) for s in evidence)) if countries else [],
    }
