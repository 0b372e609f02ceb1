"""Raw HTML blocks that MkDocs' Markdown pass need not parse: marked by the templates, handed over whole.

A generated page is mostly raw HTML (a fact's statement, its status line, its "cite this" box, the reference
list...) between Markdown headings and lists. Python-Markdown finds where each raw HTML block ends by
running html.parser over every tag of it, which was about half of a large site's build. Yet the block comes
out exactly as it went in. So the templates mark each such block (`{% filter stash %}...{% endfilter %}`):
the page's Markdown is unchanged (what `generate` writes, what the golden files hold), and `spans` say where
each marked block lies in it. The plugin then hands Python-Markdown the page with each block replaced by a
token line (`skeleton`), and `StashExtension` puts the block back through Python-Markdown's own stash for raw
HTML, the way its HTML block processor does: headings, lists and links still go through Markdown, and the
page's HTML is byte for byte what the whole pass made (tests/test_stash.py compares both on every page).

Only a block Python-Markdown would itself take whole is marked: one that starts with a block-level tag, holds
no blank line and, when it is a paragraph, is one (`Blocks.add` leaves anything else in the page as it is).
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.etree.ElementTree import Element

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString
from markupsafe import Markup

MARK = "\x1a"
"""Encloses a block's number in a template's output (content cannot hold control characters: `check`
refuses them), and a token line of the skeleton."""

Spans = tuple[tuple[int, int], ...]
"""Where each marked block lies in a page's Markdown: (start, end) offsets, in order."""

BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "details",
        "dialog",
        "div",
        "dl",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "ul",
        "script",
    ]
)
"""Tags that open a raw HTML block in Python-Markdown (a subset of its block-level list: the ones the
templates write)."""


class Blocks:
    """The blocks one rendering of a template marked, in order; `add` is the templates' `stash` filter."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, html: str) -> Markup:
        """A token standing for this block, or the text itself when it is not one raw HTML block."""
        block = str(html).rstrip("\n")
        if not _whole_block(block):
            return Markup(html)
        self.items.append(block)
        return Markup(f"{MARK}{len(self.items) - 1}{MARK}" + "\n" * (len(html) - len(block)))

    def expand(self, text: str, offset: int = 0) -> tuple[str, Spans]:
        """The text with each token replaced by its block, and where the blocks lie (shifted by `offset`)."""
        pieces = text.split(MARK)
        out: list[str] = []
        spans: list[tuple[int, int]] = []
        at = offset
        for number, piece in enumerate(pieces):
            if number % 2:
                piece = self.items[int(piece)]
                spans.append((at, at + len(piece)))
            out.append(piece)
            at += len(piece)
        return "".join(out), tuple(spans)


def _whole_block(html: str) -> bool:
    """One element that opens a raw HTML block, without a blank line. Paragraphs, which cannot hold one another,
    are checked to be one: Python-Markdown writes `<p>a</p><p>b</p>` (an editor's text of two paragraphs) as two
    blocks, on two lines."""
    if not html.startswith("<") or "\n\n" in html or MARK in html:
        return False
    name = html[1:].split(">", 1)[0].split(None, 1)
    if not name or name[0].lower() not in BLOCK_TAGS:
        return False
    return name[0].lower() != "p" or html.find("</p>") == len(html) - len("</p>")


def shift(spans: Spans, offset: int) -> Spans:
    return tuple((start + offset, end + offset) for start, end in spans)


def skeleton(markdown: str, spans: Spans) -> tuple[str, list[str]]:
    """The page with each marked block replaced by a token line, and the blocks.

    A block not set apart by blank lines stays in the page: after a list item, say, Python-Markdown reads a
    raw HTML block's first tag where it would read a token line as more of the item. Blocks with only blank
    lines between them go under one token, joined by one blank line, as Python-Markdown writes them out: each
    token is a paragraph its inline patterns are tried on."""
    out: list[str] = []
    blocks: list[str] = []
    at = 0
    for start, end in spans:
        if not (start == 0 or markdown.startswith("\n\n", start - 2)) or not (
            markdown.startswith("\n\n", end) or markdown[end:] in ("", "\n")
        ):
            continue
        if blocks and at and not markdown[at:start].strip("\n"):
            blocks[-1] += "\n\n" + markdown[start:end]
        else:
            out.append(markdown[at:start])
            out.append(f"{MARK}{len(blocks)}{MARK}")
            blocks.append(markdown[start:end])
        at = end
    out.append(markdown[at:])
    return "".join(out), blocks


class _Restore(Preprocessor):
    """Each token line becomes Python-Markdown's placeholder of its block, as its HTML block processor does."""

    def __init__(self, md: Markdown, extension: StashExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        blocks = self.extension.blocks
        self.extension.placeholders = set()
        if not blocks:
            return lines
        store = self.md.htmlStash.store
        restored = []
        for line in lines:
            if line.startswith(MARK) and line.endswith(MARK) and len(line) > 2:
                # Python-Markdown keeps the newline that ends a raw block (its output has a blank line after).
                placeholder = store(blocks[int(line[1:-1])] + "\n")
                self.extension.placeholders.add(placeholder)
                restored.append(placeholder)
            else:
                restored.append(line)
        return restored


class _Untried(Treeprocessor):
    """The paragraph of each block's placeholder is not tried against every inline pattern: none matches a
    placeholder, which the raw HTML postprocessor replaces with the block (at 50,000 facts, 2 s of MkDocs' pass)."""

    def __init__(self, md: Markdown, extension: StashExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: Element) -> None:
        placeholders = self.extension.placeholders
        if placeholders:
            for child in root:
                if child.tag == "p" and child.text in placeholders and not len(child):
                    child.text = AtomicString(child.text)


class StashExtension(Extension):
    """Puts the current page's blocks back (`blocks`, set by the plugin before each page is converted).

    Runs after whitespace is normalised and before MkDocs' and Python-Markdown's raw HTML processors."""

    def __init__(self) -> None:
        super().__init__()
        self.blocks: Sequence[str] = ()
        self.placeholders: set[str] = set()
        """The placeholders of the page's blocks in Python-Markdown's stash (the one being converted)."""

    def __repr__(self) -> str:
        """The same in every process: the configuration's repr is part of the incremental build's key."""
        return "StashExtension()"

    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(_Restore(md, self), "explainer_stash", 25)
        md.treeprocessors.register(_Untried(md, self), "explainer_stash_untried", 21)  # before "inline" (20)
