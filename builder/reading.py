"""How long a page takes to read: the words a reader reads in its rendered body, at an average pace.

Counted with the standard library's HTML parser over the page's Markdown body (raw HTML blocks and
Markdown text alike); what a reader does not read in the page's flow is left out: the citations'
tooltips and everything marked `data-search-exclude` (dates, badges, cite-this), the reference list and the
source counts, and scripts.
"""

from __future__ import annotations

import math
import re
from html.parser import HTMLParser

WORDS_PER_MINUTE = 230
"""An adult's average silent reading pace for non-fiction (Brysbaert 2019: 238 words a minute)."""
WORD = re.compile(r"\w+(?:[-'’]\w+)*")
SKIPPED_CLASSES = frozenset({"references", "coverage", "cite-this"})
"""Blocks looked up rather than read: the reference list, the source counts, the ready-made citations."""
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})


class _Words(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.words = 0
        self.skipping: list[str] = []
        """The open elements whose text is skipped (the outermost first)."""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        names = dict(attrs)
        classes = set((names.get("class") or "").split())
        if self.skipping or tag in ("script", "style") or "data-search-exclude" in names or classes & SKIPPED_CLASSES:
            self.skipping.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.words += len(WORD.findall(data))


def words(body: str) -> int:
    """The words a reader reads in a page's body (Markdown with raw HTML)."""
    parser = _Words()
    parser.feed(body)
    parser.close()
    return parser.words


def minutes(body: str) -> int:
    """Reading time in whole minutes, at least one."""
    return max(1, math.ceil(words(body) / WORDS_PER_MINUTE))
