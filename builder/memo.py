"""Generated pages kept from the last render: a page whose inputs did not change is not drawn through Jinja again.

A topic page (and each part of a split topic) reads a bounded, known set of things: its topic, its facts and
the facts listed under "Also on this topic", the facts and sources their text cites, the sources and people
their citations name, where each of those lives (page, permalink page), whether an edition shows each
untranslated, the facts' dates in the content's history, and what every page shares (the site settings other
than the topic list, the language and its messages, the build date, the builder's code and the libraries that
format the page). `PageInputs` digests exactly that; `PageMemo` keeps each page's Markdown and share image under
its digest, and gives them back when a later render of the page has the same digest.

A question's page, each page of the sources and each page of the lists of facts and questions (a status's facts,
the questions, the claims awaiting review) are kept the same way: a question's page reads the question, the
facts it lists, the questions it links to, and what its answers cite; a page of the sources reads its sources,
what cites each (its label and the page it is on) and what the sources' notes cite; a page of a list reads its
items' own fields, where they are, and what the questions' short answers cite. A page of the timeline or of
the people reads its events or people, the facts the events link to, what their texts cite, and the sources and
people their citations name.

Anything a page reads that is not in its digest would make a kept page wrong, so only pages whose reads are
listed here are kept (tests/test_memo.py checks the templates against this list and compares memoized renders
with cold ones after every kind of edit). Every other page is rendered every time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .cache import Dumps, Generations, builder_version, library_versions
from .model import CITE
from .packed import unpack

if TYPE_CHECKING:
    from .model import Event, Fact, Person, Question, Site, Source, Topic
    from .render import Freshness, Index
    from .stash import Spans

LIBRARIES = ("jinja2", "markupsafe", "babel", "matplotlib")
"""Libraries whose output is in a kept page beyond those builder_version names (templates, dates, share images)."""
READS = {
    "index": {"facts", "sources", "people", "pages", "home", "link", "language", "messages"},
    "fresh": {"today", "ended", "due", "first", "changed", "dates"},
}
"""What the kept pages' templates and References read of `index` and `fresh`: tests/test_memo.py fails when
they read anything else, which PageInputs would then have to digest."""
TEMPLATES = {
    "topic.md.j2": set(),
    "question.md.j2": {"questions"},  # the related questions (PageInputs.question_page)
    "sources.md.j2": {"cited_by"},  # what cites each source (PageInputs.sources_page)
    "status.md.j2": set(),  # these three: PageInputs.list_page
    "questions.md.j2": set(),
    "review.md.j2": set(),
    "timeline.md.j2": set(),  # these two: PageInputs.cited_list
    "people.md.j2": set(),
}
"""The templates of the pages kept, each with what it reads of `index` besides READS."""


LINKED = {"title", "status", "ends", "review_by"}
"""What a link to a fact shows of it (_macros.md.j2 fact_links: its title, status and review state)."""


class PageInputs:
    """The digests of what pages read, for one render (one language): each item's serialisation made once."""

    def __init__(
        self, index: Index, fresh: Freshness, site: Site, messages_key: str, original: str, dumps: Dumps
    ) -> None:
        self.index = index
        self.dumps = dumps
        self.fresh = fresh
        self._items: dict[tuple[str, str], bytes] = {}
        self._tables: dict[str, dict[str, Any]] = {
            "fact": index.facts,
            "source": index.sources,
            "person": index.people,
            "question": index.questions,
            "event": index.events,
            "link": index.facts,
        }
        """Where each kind of item a page reads is found, by id."""
        language = index.language
        self.common = "\0".join(
            [
                builder_version(),
                library_versions(LIBRARIES),
                messages_key,
                language.tag,
                original,
                site.model_dump_json(exclude={"topics"}),
                fresh.today.isoformat(),
            ]
        ).encode()
        """What every kept page reads: the code, the language and its messages, the site settings, the build date."""

    def _dump(self, kind: str, ident: str) -> bytes:
        """An item's digest (builder/cache.py Dumps; b'null' when there is none by that id, and what a link shows
        of a fact as JSON), with where it lives and how it is shown."""
        key = (kind, ident)
        found = self._items.get(key)
        if found is None:
            index = self.index
            item = self._tables[kind].get(ident)
            if item is None:
                made = b"null"
            elif kind == "link":
                made = item.model_dump_json(include=LINKED).encode()
            else:
                made = self.dumps.digest(item)
            dates = self.fresh.dates(ident)
            where = [kind, ident, index.pages.get(ident, ""), index.homes.get(ident, "")]
            shown = [repr(index.language.fallback(ident)), repr(dates)]
            found = self._items[key] = "\0".join([*where, *shown, ""]).encode() + made
        return found

    def topic_page(self, page: tuple[Any, ...], topic: Topic, facts: list[Fact], also: list[Fact]) -> str:
        """The digest of one topic page: `page` holds its own values (path, title, parts, dates shown)."""
        shown = [*facts, *also]
        texts = [topic.description or ""] + [t or "" for f in shown for t in (f.statement, f.note)]
        own = (page, topic.model_dump_json(), self.index.language.fallback(topic.id))
        return self._page(
            own, [("shown", "fact", [f.id for f in facts]), ("also", "fact", [f.id for f in also])], texts, shown
        )

    def question_page(self, page: tuple[Any, ...], question: Question) -> str:
        """The digest of a question's page: the question, the facts it lists, the questions it links to (their
        questions), and what its answers cite."""
        items = [
            ("question", "question", [question.id]),
            ("listed", "fact", question.facts),
            ("related", "question", question.related),
        ]
        return self._page((page,), items, [question.short_answer, question.answer], [])

    def sources_page(self, page: tuple[Any, ...], sources: list[Source]) -> str:
        """The digest of one page of the sources: its sources, what cites each (the label, and the page its
        link goes to) and what their notes cite."""
        pages = self.index.pages
        citing = [
            [(label, pages[ident], ident) for label, _, ident in self.index.cited_by.get(s.id, [])] for s in sources
        ]
        return self._page(
            (page, citing), [("listed", "source", [s.id for s in sources])], [s.note or "" for s in sources], []
        )

    def list_page(self, page: tuple[Any, ...], items: list[Fact | Question], texts: list[str]) -> str:
        """The digest of one page of a list of facts and questions (a status's facts, the questions, the claims
        awaiting review) that shows each item's own fields and links to it, and what `texts` cite."""
        return self._page((page,), [("listed", item.kind_name, [item.id]) for item in items], texts, [])

    def cited_list(
        self, page: tuple[Any, ...], kind: str, items: list[Event | Person], texts: list[str], linked: list[str]
    ) -> str:
        """The digest of one page of a list whose items show their own citations (the timeline's events, the
        people): its items, the facts they link to (`linked`), what `texts` cite, and the sources and people
        their citations name."""
        shown = [("listed", kind, [item.id for item in items]), ("linked", "link", linked)]
        return self._page((page,), shown, texts, items)

    def _page(
        self,
        own: tuple[Any, ...],
        items: list[tuple[str, str, list[str]]],
        texts: list[str],
        claims: Sequence[Fact | Event | Person],
    ) -> str:
        """The digest of a page: `own` its own values, `items` (group, kind, ids) the items it shows; `texts` the
        editor texts whose [@id] citations it renders, and `claims` the items whose citations it renders: the
        facts and sources those cite, and the people they quote, are digested too."""
        index = self.index
        cited = sorted({ident for text in texts for ident in CITE.findall(text)})
        claims = [*claims, *(index.facts[i] for i in cited if i in index.facts)]
        citations = [c for f in claims for c in (*f.citations, *getattr(f, "figures", ()))]
        sources = sorted({c.source for c in citations} | set(cited))
        people = sorted({c.speaker for c in citations if c.speaker})
        digest = hashlib.sha256(self.common)
        digest.update(repr(own).encode())
        for group, kind, idents in (
            *items,
            ("cited", "fact", cited),
            ("sources", "source", sources),
            ("people", "person", people),
        ):
            digest.update(f"\0{group}\0".encode())
            for ident in idents:
                digest.update(self._dump(kind, ident) + b"\1")
        return digest.hexdigest()


@dataclass
class Kept:
    """A page kept: its digest, its Markdown (compressed by builder/packed.py: a tenth of the memory and of the
    cache file) and its share image."""

    digest: str
    packed: bytes
    spans: Spans
    image: bytes | None

    @property
    def markdown(self) -> str:
        return unpack(self.packed)


@dataclass
class PageMemo(Generations[tuple[str, str], Kept]):
    """Pages kept from the last render, by (language, page path); held by the Preparer across rebuilds and
    stored in the builder's cache between runs (builder/cache.py). It holds one preparation's pages
    (cache.Generations)."""

    def page(self, language: str, src: str, digest: str) -> Kept | None:
        """The kept page when its digest is this one (it is then kept for the next preparation too)."""
        return self.get((language, src), lambda kept: kept.digest == digest)

    def keep_page(self, language: str, src: str, digest: str, packed: bytes, spans: Spans, image: bytes | None) -> None:
        """Keep a page just rendered: its Markdown as builder/packed.py holds it, `spans` its marked raw HTML
        blocks (builder/stash.py)."""
        self.keep((language, src), Kept(digest, packed, spans, image))

    def recall(self, stored: dict[tuple[str, str], Kept]) -> None:
        """Take the pages an earlier run kept."""
        super().recall({key: kept for key, kept in stored.items() if isinstance(kept, Kept)})
