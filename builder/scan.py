"""What `check` finds in one content file on its own, worked out once per file's bytes.

A file's strings (markup that would not reach the page, control characters, the ids cited with [@id]), the ids
its items name (sources, people, topics, facts...) and the languages of its translations do not depend on any
other file. They are scanned once and kept with the file's parse (builder/load.py's Document, held across the
live preview's rebuilds and stored between builds by builder/cache.py); validate.py then checks the scan against
the ids of every file, which is cheap. A file whose bytes did not change is not scanned again.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .i18n.check import translation_keys
from .load import Document, Path_
from .markup import ATTRIBUTE_SYNTAX, Prose
from .model import CITE, CONTENT_TYPES, TRANSLATIONS, Site, markdown_fields

RAW_HTML = re.compile(r"<\s*/?\s*[A-Za-z!?]")
"""Only for a friendlier message: raw HTML never reaches a page (markup.py shows it as text)."""
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""Control characters (tab and line breaks aside): written as YAML escapes such as "\\x1e", they are invisible to
an editor and not allowed in an HTML page."""
TEMPLATE = re.compile(r"\{[{%]")
CITES = "cites"
"""The code of a Found that is a citation, not a problem."""

REFERENCES: dict[str, tuple[tuple[tuple[str, ...], str], ...]] = {}
"""For each kind of item: the paths (with '*' for any list index) that hold ids of other items."""
_CITES = ((("citations", "*", "source"), "source"), (("citations", "*", "speaker"), "person"))
REFERENCES.update(
    {
        "fact": (
            *_CITES,
            (("figures", "*", "source"), "source"),
            (("figures", "*", "speaker"), "person"),
            (("topics", "*"), "topic"),
        ),
        "question": ((("facts", "*"), "fact"), (("related", "*"), "question"), (("topics", "*"), "topic")),
        "event": (*_CITES, (("facts", "*"), "fact"), (("topics", "*"), "topic")),
        "element": (*_CITES, (("controls", "*", "event"), "event")),
        "person": _CITES,
        "dataset": ((("source",), "source"),),
        "correction": _CITES,
        "site settings": (
            (("story", "key_points", "*"), "fact"),
            (("story", "voices", "*"), "fact"),
            (("story", "timeline", "*"), "event"),
            (("story", "questions", "*"), "question"),
        ),
    }
)


Found = tuple[Path_, int, str, str]
"""One thing found in a string: (its path, where in the string it starts as a 0-based character offset, a
problem's code or CITES, the problem's message or the id cited). Plain tuples: a large explainer's scans are
hundreds of thousands of them, written to the cache and read back at every build."""
Reference = tuple[Path_, str, str]
"""An id an item names in one of its fields: (where, the id, the kind of item it must name: 'source',
'person', 'topic', 'fact', 'question' or 'event')."""


@dataclass
class Scan:
    """One file's scan."""

    folder: str
    """The content folder the file was scanned as in (a file's kind decides what its fields are)."""
    found: list[Found] = field(default_factory=list)
    """In every string, in the file's order: its problems, then its citations."""
    references: dict[Path_, list[Reference]] = field(default_factory=dict)
    """Each item's path -> the ids it names, in field order."""
    translations: list[tuple[Path_, str, str]] = field(default_factory=list)
    """(path of a translations mapping, one of its language keys, who it belongs to)."""


def scan(doc: Document, prose: Prose) -> Scan:
    """The file's scan: the one kept with its parse, or worked out now (and kept there)."""
    kept = doc.scan
    if isinstance(kept, Scan) and kept.folder == doc.folder:
        return kept
    site = is_site(doc)
    made = Scan(doc.folder)
    prose_fields = markdown_fields(Site if site else CONTENT_TYPES[doc.folder])
    for path, value in walk_strings(doc.data, ()):
        made.found.extend(_in_text(path, value, field_pattern(path[0 if site else 1 :]) in prose_fields, prose))
    kind = "site settings" if site else str(CONTENT_TYPES[doc.folder].kind_name)
    items: list[Path_] = [()] if site else [(index,) for index in range(len(doc.data))]
    for path in items if isinstance(doc.data, dict if site else list) else []:
        made.references[path] = [
            (where, value, target)
            for pattern, target in REFERENCES.get(kind, ())
            for where, value in match(doc.data_at(path), pattern, path)
        ]
    made.translations = list(translation_keys(doc))
    doc.scan = made
    return made


def _in_text(path: Path_, value: str, markdown: bool, prose: Prose) -> Iterator[Found]:
    """Markup in one string that would not reach the page as written, then the ids it cites."""
    for pattern, code, message in (
        (RAW_HTML, "raw-html", "contains raw HTML ('{m}'); write Markdown, and links as [text](https://...)"),
        (TEMPLATE, "template-syntax", "contains template syntax ('{m}'); write plain text"),
    ):
        for found in pattern.finditer(value):
            snippet = value[found.start() : found.start() + 12].split("\n")[0]
            yield (path, found.start(), code, message.format(m=snippet))
    for found in CONTROL.finditer(value):
        character = f"U+{ord(found.group(0)):04X}"
        message = f"contains the control character {character}, which a page cannot show; remove it"
        yield (path, found.start(), "control-character", message)
    if markdown:
        for refusal in prose.audit(value, CITE):
            yield (path, refusal.offset, refusal.code, refusal.message)
    else:
        for found in ATTRIBUTE_SYNTAX.finditer(value):
            snippet = value[found.start() : found.start() + 16].split("\n")[0]
            message = f"contains attribute syntax ('{snippet}'); write plain text"
            yield (path, found.start(), "attribute-syntax", message)
    for found in CITE.finditer(value):
        yield (path, found.start(), CITES, found.group(1))


def match(value: Any, pattern: tuple[str, ...], path: Path_) -> Iterator[tuple[Path_, str]]:
    """The string values at pattern under value ('*' matches every list index)."""
    if not pattern:
        if isinstance(value, str):
            yield path, value
        return
    head, rest = pattern[0], pattern[1:]
    if head == "*":
        for index, sub in enumerate(value if isinstance(value, list) else []):
            yield from match(sub, rest, (*path, index))
    elif isinstance(value, dict) and head in value:
        yield from match(value[head], rest, (*path, head))


def walk_strings(value: Any, path: Path_) -> Iterator[tuple[Path_, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, sub in value.items():
            yield from walk_strings(sub, (*path, key))
    elif isinstance(value, list):
        for index, sub in enumerate(value):
            yield from walk_strings(sub, (*path, index))


def field_pattern(path: Path_) -> tuple[str, ...]:
    """A value's path with list indexes and translations' language keys as '*', to compare with the model's
    field paths."""
    return tuple(
        "*" if isinstance(part, int) or (index and path[index - 1] == TRANSLATIONS) else part
        for index, part in enumerate(path)
    )


def is_site(doc: Document) -> bool:
    return doc.folder == ""
