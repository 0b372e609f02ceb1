"""Editor Markdown to safe HTML, and plain text made inert for the Markdown pages the builder writes.

Editor text is Markdown without raw HTML and without attribute syntax. It is converted by a
Markdown instance of its own (no raw HTML, no extensions), the result is parsed and checked
against an allow-list (`audit`, for located problems in `check`) and then sanitised with nh3 under
the same allow-list and URL policy (`Prose.html`). What comes out is one line of HTML in which
every character that Markdown or attribute lists would act on is a character reference, so the
page-level Markdown pass that MkDocs (or any engine) runs over the generated page cannot turn
editor text into markup: the output is inert by construction, wherever a template puts it.
"""

from __future__ import annotations

import functools
import html
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import nh3
from markupsafe import Markup

if TYPE_CHECKING:
    import markdown

TAGS = frozenset({"p", "br", "em", "strong", "a", "code", "pre", "ul", "ol", "li", "blockquote", "img"})
"""The elements editor Markdown may produce: all the templates need, nothing that runs or styles."""
ATTRIBUTES: dict[str, set[str]] = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}}
URL_ATTRIBUTES = frozenset({"href", "src"})
SCHEMES = frozenset({"http", "https"})
MARKDOWN_SPECIAL = "\\`*_{}[]()#!|~^=<>"
"""Characters that Markdown's inline syntax, attribute lists or autolinks act on: written as references."""
BLOCK_START = re.compile(r"^(?:[-+]|\d{1,9}[.)])")
"""What makes a list item or a rule only at the start of a line ('- ', '+ ', '1. ', '2) '): its first
character is written as a reference there."""
_ENCODE = {
    **{ord(c): f"&#{ord(c)};" for c in MARKDOWN_SPECIAL},
    ord("&"): "&amp;",
    ord("<"): "&lt;",
    ord(">"): "&gt;",
    ord('"'): "&quot;",
    ord("'"): "&#39;",
}
"""HTML escaping and Markdown inertness in one table."""
_CONTROL = re.compile(r"[\x00-\x20\x7f]")
"""What browsers strip or ignore in a URL before reading its scheme."""
PLACEHOLDER = re.compile("\ue000(\\d+)\ue001")
"""Where a citation marker goes: put in before conversion, replaced by the marker after sanitising."""
PLACEHOLDER_RUN = re.compile("(?:\\s*\ue000\\d+\ue001)+")
"""Citations next to each other (white space between them, and before the first): one marker."""
BEFORE_PUNCTUATION = re.compile("((?:\\s*\ue000\\d+\ue001)+)([.,;:!?]+)")
"""Citations before a full stop, comma, colon...: the marker goes after it."""
MAY_MAKE_MARKUP = re.compile(r"\]\s*[(\[:]|[<{#]|^[ >]*(?:[-*_=][ \t]*){2,}$", re.MULTILINE)
"""What any link, image, autolink, heading or rule needs: text without it converts to allowed elements only."""
MARKDOWN_SYNTAX = re.compile(r"[\\`*_\[\]<>&#!|~=]|^\s*(?:[-+>]|\d+[.)](?:\s|$))|  $", re.MULTILINE)
"""Characters and line starts that may make Markdown do something (a line starting with '-', '+' or '>' at all: '---'
is a rule); text without any reads as written."""
_LINE_BREAKING = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\x85]")
"""Control characters (line ends, tabs, Markdown's own markers) and Unicode's line and paragraph separators."""


def reads_as_written(text: str) -> bool:
    """Whether Markdown would only wrap the text in a paragraph: one line, no syntax, nothing to strip at its ends
    (tests/test_properties.py checks it against Markdown itself)."""
    return bool(text) and text == text.strip() and not _LINE_BREAKING.search(text) and not MARKDOWN_SYNTAX.search(text)


ATTRIBUTE_SYNTAX = re.compile(r"\{\s*[:#.]|\{\s*[A-Za-z_-]+\s*=")
"""Attribute-list syntax ({: ...}, {#id}, {.class}, {key=value}): never markup in editor text, so refused."""


@functools.lru_cache(maxsize=8192)
def inert(text: str) -> Markup:
    """Plain text for a Markdown page, on one line: HTML-escaped, Markdown's special characters as references.
    The same few texts come again and again (at 10,000 generated facts, 414,000 calls on 41,000 texts: publishers,
    dates, an item's title in its heading, links and labels): the last 8,192 are kept."""
    folded = " ".join(text.split())
    if BLOCK_START.match(folded):
        folded = f"&#{ord(folded[0])};{folded[1:].translate(_ENCODE)}"
    else:
        folded = folded.translate(_ENCODE)
    return Markup(folded)


def preformatted(text: str) -> Markup:
    """Text for a <pre> block, on one line: as `inert`, with line breaks as references."""
    return Markup("&#10;".join(line.translate(_ENCODE) for line in text.split("\n")))


def url_refusal(value: str, tag: str = "a") -> str | None:
    """Why a link or image address is refused, or None: http(s), same-site relative paths and #anchors only.

    The value is read as a browser reads it: character references decoded, tabs, newlines and
    other control characters removed.
    """
    url = _CONTROL.sub("", html.unescape(value))
    if url.startswith(("//", "\\\\", "/\\", "\\/")):
        return "points to another host"
    try:
        parts = urlsplit(url)
    except ValueError:
        return "is not a valid address"
    if tag == "img" and (parts.scheme or parts.netloc):
        return "loads an image from another host; images must come from this site"
    if parts.scheme and parts.scheme.lower() not in SCHEMES:
        return f"uses '{parts.scheme}:', which is not allowed; use an http(s) address"
    if parts.netloc and "@" in parts.netloc:
        return "hides the host behind a user name"
    return None


class _Audit(HTMLParser):
    """Lists every element, attribute and address in rendered editor HTML that the allow-list refuses."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refusals: list[tuple[str, str]] = []
        """(what was refused, the offending text an editor would search for)"""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in TAGS:
            self.refusals.append((f"<{tag}> is not allowed in text", tag))
            return
        for name, value in attrs:
            if name not in ATTRIBUTES.get(tag, set()):
                self.refusals.append((f"the attribute '{name}' is not allowed", name))
            elif name in URL_ATTRIBUTES:
                reason = url_refusal(value or "", tag)
                if reason:
                    self.refusals.append((f"the address '{value}' {reason}", value or ""))

    handle_startendtag = handle_starttag


def _filter(tag: str, attribute: str, value: str) -> str | None:
    """nh3's hook: drop any address the policy refuses (after nh3's own scheme check)."""
    if attribute in URL_ATTRIBUTES and url_refusal(value, tag):
        return None
    return value


class _Reserialise(HTMLParser):
    """Sanitised HTML written again on one line with every text character inert for Markdown."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.pre += tag == "pre"
        attributes = "".join(f' {name}="{_attribute(value or "")}"' for name, value in attrs)
        self.out.append(f"<{tag}{attributes}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        self.pre -= tag == "pre"
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if self.pre:
            self.out.append(_text(data).replace("\n", "&#10;"))
        else:
            self.out.append(re.sub(r"\s+", " ", _text(data)))


def _text(data: str) -> str:
    return data.translate(_ENCODE)


def _attribute(value: str) -> str:
    """An attribute value: HTML-escaped (a tag and its attributes are opaque to every Markdown reader)."""
    return html.escape(value, quote=True)


def _plain(html_text: str) -> str:
    """The text of HTML, on one line. A paragraph of text alone (what a text that reads as written converts to) is
    its text: no tag or character reference to read."""
    inner = html_text[3:-4]
    if html_text.startswith("<p>") and html_text.endswith("</p>") and "<" not in inner and "&" not in inner:
        return " ".join(inner.split())
    reader = _TextOnly()
    reader.feed(html_text)
    reader.close()
    return " ".join("".join(reader.parts).split())


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


@dataclass(frozen=True)
class Refusal:
    """Something in one editor text that would not reach the page as written."""

    offset: int
    """Where in the text (0-based character offset) the problem starts, as near as can be found."""
    code: str
    message: str


class Prose:
    """Converts editor Markdown; one instance per build, or kept across the live preview's rebuilds.

    Each text is converted once: the sanitised HTML (with citation runs held as placeholders), its plain
    text and its audit are remembered by the text, so a field that is audited by `check`, shown on a page
    and described in JSON-LD is converted by Markdown once per text.
    """

    def __init__(self) -> None:
        self._markdown: markdown.Markdown | None = None
        self._held: dict[tuple[str, str | None], tuple[str, list[str]]] = {}
        """(text, citation pattern) -> (its conversion with each citation run as a placeholder, the runs)."""
        self._clean: dict[tuple[str, str | None], str] = {}
        """The same key -> the sanitised, Markdown-inert HTML, placeholders still in it."""
        self._audits: dict[tuple[str, str | None], list[Refusal]] = {}
        self._texts: dict[tuple[str, str | None], str] = {}
        """The same key -> the plain text (`text`, `text_without`): every build writes the search records and
        the pages' structured data of every item."""
        self._stored: dict[str, dict[Any, Any]] = {"held": {}, "clean": {}, "audits": {}, "texts": {}}
        """What an earlier run remembered (builder/cache.py): moved into the tables above when used again."""
        self.changed = False
        """Whether the tables hold anything they did not when last exported (or, before that, than the store)."""
        self._exported = False
        """Whether the tables were exported in this run: an entry taken from the earlier run's after that is not
        in what was exported (a build writes the cache once prepared, then again after the search records)."""

    @property
    def _md(self) -> markdown.Markdown:
        """The Markdown converter, made on first use: `check` of unchanged or plain text never needs it."""
        if self._markdown is None:
            import markdown

            self._markdown = markdown.Markdown(extensions=[], output_format="html")
            # No raw HTML: a tag in editor text is shown as text, never passed through.
            self._markdown.preprocessors.deregister("html_block")
            self._markdown.inlinePatterns.deregister("html")
        return self._markdown

    def remembered(self) -> dict[str, dict[Any, Any]]:
        """The conversions and audits used since this instance was made, for the cache between runs."""
        self.changed = False
        self._exported = True
        return {name: dict(table) for name, table in self._tables().items()}

    def recall(self, stored: dict[str, dict[Any, Any]]) -> None:
        """Take the conversions and audits an earlier run remembered."""
        self._stored = {name: dict(stored.get(name, {})) for name in self._tables()}

    def mark(self) -> dict[str, int]:
        """How many entries each table holds now: `since` gives those made after."""
        return {name: len(table) for name, table in self._tables().items()}

    def since(self, mark: dict[str, int]) -> dict[str, dict[Any, Any]]:
        """The entries each table took after `mark` (a forked worker's, for its parent: builder/forked.py)."""
        return {name: dict(itertools.islice(table.items(), mark[name], None)) for name, table in self._tables().items()}

    def absorb(self, entries: dict[str, dict[Any, Any]]) -> None:
        """Take entries another instance made (`since`): they are kept between runs as this instance's own."""
        for name, table in self._tables().items():
            for key, value in entries.get(name, {}).items():
                if key not in table:
                    table[key] = value
                    self._stored[name].pop(key, None)
                    self.changed = True

    def _tables(self) -> dict[str, dict[tuple[str, str | None], Any]]:
        return {"held": self._held, "clean": self._clean, "audits": self._audits, "texts": self._texts}

    def _known(self, name: str, table: dict[tuple[str, str | None], Any], key: tuple[str, str | None]) -> Any | None:
        """The value kept in one of the tables above, from this run or else an earlier one (then moved into the
        table); None when it must be worked out (the tables have then changed)."""
        found = table.get(key)
        if found is None:
            found = self._stored[name].pop(key, None)
            if found is None or self._exported:
                self.changed = True
            if found is not None:
                table[key] = found
        return found

    def convert(self, text: str) -> str:
        """Editor Markdown to HTML, before sanitising (what `audit` inspects)."""
        return self._md.reset().convert(text.replace("\ue000", "").replace("\ue001", ""))

    def _convert(self, text: str) -> str:
        """Markdown's HTML for the text: a text that reads as written is only wrapped in a paragraph, as Markdown
        would (most statements: at 10,000 generated facts, a second of a build spent in Markdown)."""
        return f"<p>{text}</p>" if reads_as_written(text) else self._md.reset().convert(text)

    def _convert_held(self, text: str, pattern: re.Pattern[str] | None) -> tuple[str, list[str]]:
        key = (text, pattern.pattern if pattern is not None else None)
        held = self._known("held", self._held, key)
        if held is None:
            runs: list[str] = []
            if pattern is not None:

                def hold(match: re.Match[str]) -> str:
                    runs.append(match.group(0))
                    return f"\ue000{len(runs) - 1}\ue001"

                text = pattern.sub(hold, text.replace("\ue000", "").replace("\ue001", ""))
            held = self._held[key] = (self._convert(text), runs)
        return held

    def html(
        self,
        text: str,
        markers: Callable[[list[Any]], str] | None = None,
        pattern: re.Pattern[str] | None = None,
        closing: Any = None,
    ) -> Markup:
        """Sanitised, Markdown-inert HTML on one line, with citation markers placed.

        `pattern` finds citation runs in the text; `closing` (if given) is one more run that closes the
        last paragraph (a claim's own citations). Runs next to each other become one marker, placed after
        any punctuation that follows them; `markers` renders one marker from the runs it groups, in order.
        """
        converted, held_runs = self._convert_held(text, pattern)
        runs: list[Any] = list(held_runs)  # a copy: the closing run is this call's, not the cache's
        key = (text, pattern.pattern if pattern is not None else None)
        result = self._known("clean", self._clean, key)
        if result is None:
            clean = nh3.clean(
                converted,
                tags=set(TAGS),
                attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
                attribute_filter=_filter,
                url_schemes=set(SCHEMES),
                link_rel=None,
                strip_comments=True,
            )
            writer = _Reserialise()
            writer.feed(clean)
            writer.close()
            result = self._clean[key] = "".join(writer.out).strip()
        if closing is not None:
            runs.append(closing)
            token = f"\ue000{len(runs) - 1}\ue001"
            result = result[: -len("</p>")] + token + "</p>" if result.endswith("</p>") else result + token
        if markers is not None:
            result = BEFORE_PUNCTUATION.sub(lambda m: m.group(2) + m.group(1), result)
            result = PLACEHOLDER_RUN.sub(
                lambda m: markers([runs[int(n)] for n in PLACEHOLDER.findall(m.group(0))]), result
            )
        return Markup(result)

    def text(self, text: str) -> str:
        """The plain text a reader would see of editor Markdown, on one line (the conversion kept between runs)."""
        key = (text, None)
        found = self._known("texts", self._texts, key)
        if found is None:
            converted = self._convert_held(text.replace("\ue000", "").replace("\ue001", ""), None)[0]
            found = self._texts[key] = _plain(converted)
        return found

    def text_without(self, text: str, pattern: re.Pattern[str]) -> str:
        """The plain text of editor Markdown without what `pattern` finds (citations), on one line; from the
        same conversion `html` uses."""
        key = (text, pattern.pattern)
        found = self._known("texts", self._texts, key)
        if found is None:
            converted, _ = self._convert_held(text, pattern)
            found = self._texts[key] = " ".join(PLACEHOLDER.sub("", _plain(converted)).split())
        return found

    def audit(self, text: str, ignore: re.Pattern[str] | None = None) -> list[Refusal]:
        """Everything in one editor text that the sanitiser would remove or change, located in the text.

        `ignore`: syntax the builder replaces before conversion (citations), which makes no markup.
        """
        key = (text, ignore.pattern if ignore is not None else None)
        found = self._known("audits", self._audits, key)
        if found is None:
            found = self._audits[key] = self._audit(text, ignore)
        return list(found)

    def _audit(self, text: str, ignore: re.Pattern[str] | None) -> list[Refusal]:
        refusals: list[Refusal] = []
        for match in ATTRIBUTE_SYNTAX.finditer(text):
            snippet = text[match.start() : match.start() + 16].split("\n")[0]
            refusals.append(
                Refusal(match.start(), "attribute-syntax", f"contains attribute syntax ('{snippet}'); write plain text")
            )
        if not MAY_MAKE_MARKUP.search(ignore.sub("", text) if ignore else text):
            return refusals
        audit = _Audit()
        audit.feed(self.convert(text))
        audit.close()
        for message, needle in audit.refusals:
            found = text.find(needle) if needle else -1
            code = "unsafe-link" if "address" in message else "unsafe-markup"
            refusals.append(Refusal(max(found, 0), code, message))
        return refusals
