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
from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from . import jsonld
from .charts import ChartCache, bar_chart
from .feed import atom_feed, describe
from .history import Dates, History
from .i18n import language_key
from .i18n.messages import Messages, english, theme_settings
from .markup import Prose, inert, preformatted
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
from .opendata import FOLDER, dataset_csv, downloads, listing, question_path

TEMPLATES = Path(__file__).parent / "templates"
CITE_RUN = re.compile(r"(?:[ \t]*" + CITE.pattern + r")+")
"""One or more [@id] citations in a row, with the spaces before them."""


def format_date(value: str | dt.date | None) -> str:
    """A date in English (CLDR, British form): '2025-06-10' -> '10 June 2025'; '2025-06' -> 'June 2025'."""
    return Messages.of("en-GB").date(value)


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


def cite_this(
    site: Any, src: str, anchor: str | None, title: str, as_of: dt.date, messages: Messages | None = None
) -> dict[str, str]:
    """A ready citation of one fact or question: plain text in the site's language, and BibTeX (whose note
    keeps an ISO date: a machine format)."""
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
            f"  url = {{{url}}}",
            "}",
        ]
    )
    return {"text": text, "bibtex": bibtex}


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


class References:
    """The numbered reference list of one page, filled in as citations are rendered."""

    def __init__(self, index: Index, src: str, prose_html: Prose) -> None:
        self.index = index
        self.src = src
        self.prose_html = prose_html
        self.numbers: dict[str, int] = {}
        self.quotes: dict[str, list[Citation]] = defaultdict(list)
        self.tips = 0
        self.facts: list[str] = []

    def number(self, source_id: str) -> int:
        return self.numbers.setdefault(source_id, len(self.numbers) + 1)

    def marker(self, cite: Citation, *more: Citation) -> Markup:
        """One numbered marker for one or more citations of the same source, with a tooltip."""
        number = self.number(cite.source)
        source = self.index.sources[cite.source]
        self.tips += 1
        tip = f"cite_{self.tips}"
        parts = [
            f'<small class="cite-src">{plain(source.publisher)}, {plain(self.index.messages.date(source.published))}: '
        ]
        parts.append(f"<cite>{plain(source.title)}</cite></small>")
        for each in (cite, *more):
            if each.quote and each not in self.quotes[each.source]:
                self.quotes[each.source].append(each)
            if each.quote:
                lang = self.index.language.attribute(source.language)
                parts.append(f' <q class="cite-quote"{lang} data-search-exclude>{plain(each.quote)}</q>')
                if each.translation and self.index.language.translations_shown(source.language):
                    translated = self.index.messages.gettext("Translation: %(text)s", text=each.translation)
                    parts.append(f' <small class="cite-translation" data-search-exclude>({plain(translated)})</small>')
                speaker = self.speaker(each)
                if speaker:
                    parts.append(f' <small class="cite-speaker" data-search-exclude>{plain(speaker)}</small>')
            if each.locator:
                parts.append(f' <small class="cite-locator" data-search-exclude>({plain(each.locator)})</small>')
        return Markup(
            f'<span class="cite" data-search-exclude><a class="cite-ref" href="#ref_{number}" aria-describedby="{tip}">'
            f"&#91;{number}&#93;</a>"
            f'<span class="cite-tip" role="tooltip" id="{tip}">{"".join(parts)}</span></span>'
        )

    def marker_for(self, source_id: str, locator: str | None = None) -> Markup:
        return self.marker(Citation(source=source_id, locator=locator))

    def speaker(self, cite: Citation) -> str:
        if cite.speaker is None:
            return ""
        person = self.index.people.get(cite.speaker)
        name = person.name if person else cite.speaker
        role = cite.role or (person.role if person else "")
        messages = self.index.messages
        who = messages.gettext("%(name)s, %(role)s", name=name, role=role) if role else name
        return messages.gettext("— %(speaker)s", speaker=who)

    def speaker_name(self, cite: Citation) -> str:
        """Who said the quoted words, with their role: 'Name, role'."""
        if cite.speaker is None:
            return ""
        person = self.index.people.get(cite.speaker)
        name = person.name if person else cite.speaker
        role = cite.role or (person.role if person else "")
        return self.index.messages.gettext("%(name)s, %(role)s", name=name, role=role) if role else name

    def markers(self, citations: list[Citation] | tuple[Citation, ...]) -> Markup:
        """Markers for a claim's citations: one per source, in the order first cited."""
        by_source: dict[str, list[Citation]] = {}
        for cite in citations:
            by_source.setdefault(cite.source, []).append(cite)
        return Markup("").join(self.marker(*group) for group in by_source.values())

    def prose(self, text: str | None, cite: list[Citation] | None = None, lead: str | None = None) -> Markup:
        """Editor Markdown as sanitised, Markdown-inert HTML blocks, with [@id] turned into citation markers.

        `cite`: the claim's own citations, whose markers close its last paragraph;
        `lead`: a label, in bold, that opens its first paragraph.
        """
        if not text:
            return Markup("")
        result = self.prose_html.html(text, self._cite_run, CITE_RUN)
        if lead and result.startswith("<p>"):
            opening = lead if isinstance(lead, Markup) else plain(lead)
            result = Markup("<p><strong>") + opening + Markup("</strong> ") + result[len("<p>") :]
        if cite:
            markers = self.markers(cite)
            if result.endswith("</p>"):
                result = result[: -len("</p>")] + markers + Markup("</p>")
            else:
                result += markers
        return Markup(result)

    def inline(self, text: str | None) -> Markup:
        """Editor Markdown for a line of running text: a single paragraph is given without its <p>."""
        result = self.prose(text)
        if result.startswith("<p>") and result.endswith("</p>") and result.count("<p>") == 1:
            return Markup(result[len("<p>") : -len("</p>")])
        return result

    def _cite_run(self, run: str) -> str:
        """A run of [@id] citations becomes one marker per source, in order of first mention."""
        citations: list[Citation] = []
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
                    "about": href(self.src, "sources.md", source.id),
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
    env.filters["date"] = _date
    env.filters["number"] = _number
    env.filters["plain"] = plain
    env.filters["shorten"] = shorten
    env.filters["preformatted"] = preformatted
    env.filters["initial"] = initial
    return env


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

    def gettext(self, message: str, **values: Any) -> Markup:
        return self._fill(self.messages.translations.gettext(message), values)

    def ngettext(self, singular: str, plural: str, num: int, **values: Any) -> Markup:
        return self._fill(self.messages.translations.ngettext(singular, plural, num), {"num": num, **values})

    def _fill(self, text: str, values: dict[str, Any]) -> Markup:
        pieces = PLACEHOLDER.split(text)
        result = Markup("")
        for position, piece in enumerate(pieces):
            if position % 2:
                result += _finalize(values[piece]) if piece in values else inert(f"%({piece})s")
            elif piece:
                edge = inert("x" + piece + "x")  # keeps the spaces at the piece's edges
                result += Markup(str(edge)[1:-1])
        return result


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


@dataclass
class Rendered:
    pages: dict[str, str]
    """Page path under the docs folder -> Markdown."""
    nav: list[Any]
    assets: dict[str, str] = field(default_factory=dict)
    """File path under the docs folder -> text (the charts' SVG)."""
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


def _status(status: Status, messages: Messages) -> dict[str, str]:
    label, meaning = STATUS_TEXT[status]
    return {"id": status.value, "label": messages.gettext(label), "meaning": messages.gettext(meaning)}


def render(
    content: Content,
    charts_cache: ChartCache | None = None,
    history: History | None = None,
    today: dt.date | None = None,
    messages: Messages | None = None,
    original: str | None = None,
    untranslated: frozenset[str] = frozenset(),
) -> Rendered:
    """Every generated page as Markdown, keyed by its path under the docs folder.

    `messages`: the interface's language (default: the site's, with the shipped catalogues only).
    For an edition (builder/editions.py): `original` is the site's own language, `untranslated` the keys
    of what is shown in it, marked with a notice and its `lang`.

    With a cache, a chart is drawn again only when its dataset changed. `history` (builder/history.py) dates
    facts and answers and lists the changes; `today` is the build date that review and end dates are
    compared with (default: the date today).
    """
    env = _environment()
    prose = Prose()
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
    controls = {
        "in-force": messages.gettext("in force"),
        "suspended": messages.gettext("suspended"),
        "lifted": messages.gettext("lifted"),
    }
    pages: dict[str, str] = {}
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
        refs = References(index, src, prose)
        body = env.get_template(template).render(
            site=site,
            content=content,
            index=index,
            refs=refs,
            src=src,
            link=lambda ident: index.link(src, ident),
            to=lambda target, anchor=None: href(src, target, anchor),
            md=lambda target, anchor=None: md_link(src, target, anchor),
            cite_this=lambda page_src, anchor, title, as_of: cite_this(site, page_src, anchor, title, as_of, messages),
            status=lambda value: _status(value, messages),
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
            describe=describe,
            updated=updated or site_updated,
            **context,
        )
        pages[src] = (
            front_matter(title=title, description=shorten(description)) + body + jsonld.script(list(structured))
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
        coverage = _coverage(content, messages) if site.story.coverage else {"origins": [], "countries": []}
        page("index.md", "story.md.j2", None, site.description, [story], coverage=coverage)
    else:
        # Without a story the home page is the facts page: the topics and their facts.
        facts_index = "index.md"
    if content.questions:
        page(
            "questions/index.md",
            "questions.md.j2",
            labels.questions,
            messages.gettext(
                "Questions readers ask about %(site)s, each with a short answer first and a cited answer after it.",
                site=name,
            ),
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
        None if home else labels.facts,
        site.description
        if home
        else messages.gettext("Every checked fact in %(site)s, by topic, with its sources and status.", site=name),
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
        page(
            "timeline.md",
            "timeline.md.j2",
            labels.timeline,
            messages.gettext("A dated, cited timeline of %(site)s.", site=name),
            events=events,
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
        page(
            "people.md",
            "people.md.j2",
            labels.people,
            messages.gettext(
                "People and organisations quoted or named in %(site)s, with the roles they held.", site=name
            ),
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
            messages.gettext("Sourced data behind %(site)s, as tables.", site=name),
            [jsonld.dataset(site, d, index.sources[d.source], text) for d in content.datasets],
            charts=charts,
        )
    page(
        "sources.md",
        "sources.md.j2",
        labels.sources,
        messages.gettext("Every source cited in %(site)s, with what cites it.", site=name),
        sources=sorted(content.sources, key=lambda s: (s.publisher.lower(), s.id)),
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
        page(
            "review.md",
            "review.md.j2",
            labels.review,
            messages.gettext(
                "Claims in %(site)s past their review date or end date, which editors have still to check again.",
                site=name,
            ),
            awaiting=awaiting,
        )
    assets["feed.xml"] = atom_feed(site, changes, index.pages, site_updated)
    page(
        "method.md",
        "method.md.j2",
        labels.method,
        messages.gettext("How %(site)s checks facts, and what each status means.", site=name),
        statuses=[_status(s, messages) for s in Status],
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
    about = [{labels.changes: "changes.md"}, {labels.sources: "sources.md"}, {labels.method: "method.md"}]
    if "corrections.md" in pages:
        about.insert(2, {labels.corrections: "corrections.md"})
    if "review.md" in pages:
        about.insert(1, {labels.review: "review.md"})
    about.append({labels.downloads: "downloads.md"})
    nav.append({labels.about: about})
    theme_language, theme_extra = theme_settings(messages, site.title)
    return Rendered(
        pages,
        nav,
        assets,
        str(labels.about),
        theme_language,
        theme_extra,
        site_name=site.title,
        site_description=site.description,
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
