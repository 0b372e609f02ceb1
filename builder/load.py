"""YAML files to plain values that remember where each value came from.

PyYAML composes a node tree (with line and column marks); we construct values from it
ourselves so that duplicate keys, object-constructing tags and aliases become problems
instead of being silently accepted, and nothing is ever expanded or executed.

Two paths give the same result. The fast one composes with libyaml (PyYAML's C parser) and builds the
values without positions; it gives up at the first thing that is not plain YAML (a syntax error, an
alias, a tag, a duplicate key, an impossible date...). Then the file is read again by the pure-Python
parser, which locates every problem. Positions of a clean file are worked out only when a later check
needs one (`Document.marks`), from the same node tree.
"""

from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import Problem

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 40

Path_ = tuple[str | int, ...]

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
_ALIAS = "!builder/alias"
"""The tag of the stand-in node for an alias (*name): it keeps the alias's own position."""
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


@dataclass(frozen=True)
class Mark:
    line: int
    col: int
    style: str | None = None
    """The scalar style ('|', '>', '"', "'" or None for plain) to locate text inside a value."""
    indent: int = 0
    """For block scalars: the indentation of the content lines (0-based column)."""


@dataclass
class Document:
    """One YAML file: its value, and the position of every value and key in it."""

    path: str
    data: Any
    _marks: dict[Path_, Mark] | None = field(default_factory=dict)
    _key_marks: dict[Path_, Mark] | None = field(default_factory=dict)
    broken: set[Path_] = field(default_factory=set)
    """Paths whose value was already reported (bad tag, alias, impossible date) and read as null."""
    folder: str = ""
    """The content folder the file is in ('facts', 'sources' ...), or '' for site.yaml."""
    text: str | None = None
    """The file's text, kept only while its positions have not been worked out (see `marks`)."""
    models: dict[tuple[type, Path_], Any] = field(default_factory=dict)
    """Each item validated without problems, by its type and path: a file whose bytes did not change is the
    same Document at the next check of the same ParseCache (the live preview's), and is not validated again.
    The models are frozen."""
    scan: Any = None
    """What checking this file on its own found (builder/scan.py): kept with the parse, like the models."""

    @property
    def marks(self) -> dict[Path_, Mark]:
        """The position of every value, by path (worked out from the text the first time it is needed)."""
        if self._marks is None:
            self._locate()
        assert self._marks is not None
        return self._marks

    @property
    def key_marks(self) -> dict[Path_, Mark]:
        """The position of every mapping key, by the path of its value."""
        if self._key_marks is None:
            self._locate()
        assert self._key_marks is not None
        return self._key_marks

    def _locate(self) -> None:
        assert self.text is not None
        builder = _Builder(self.path, self.text)
        node = _compose_fast(self.text)
        assert node is not None  # the fast path read a value from this text
        builder.value(node, ())
        self._marks, self._key_marks = builder.doc.marks, builder.doc.key_marks
        self.text = None

    def is_broken(self, path: Path_) -> bool:
        return bool(self.broken) and any(path[:n] in self.broken for n in range(len(path) + 1))

    def mark(self, path: Path_, key: bool = False) -> Mark:
        """The position of the value (or its key) at path, or of its nearest located parent."""
        table = self.key_marks if key else self.marks
        while path:
            if path in table:
                return table[path]
            if key:
                table = self.marks
            path = path[:-1]
        return self.marks.get((), Mark(1, 1))

    def locate_in_text(self, path: Path_, offset: int) -> Mark:
        """The line and column of character `offset` inside the text at path."""
        mark = self.mark(path)
        text = self.data_at(path)
        if not isinstance(text, str):
            return mark
        before = text[:offset]
        if mark.style == "|":
            line = mark.line + 1 + before.count("\n")
            col = mark.indent + 1 + len(before) - (before.rfind("\n") + 1)
            return Mark(line, col)
        if mark.style in (None, '"', "'") and "\n" not in before:
            return Mark(mark.line, mark.col + offset + (0 if mark.style is None else 1))
        return mark

    def data_at(self, path: Path_) -> Any:
        value = self.data
        for part in path:
            try:
                value = value[part]
            except (KeyError, IndexError, TypeError):
                return None
        return value


def _mark(node: yaml.Node, text_lines: list[str]) -> Mark:
    start = node.start_mark
    style = getattr(node, "style", None) or None  # libyaml gives '' for plain scalars, PyYAML None
    indent = 0
    if style in ("|", ">"):
        for raw in text_lines[start.line + 1 :]:
            if raw.strip():
                indent = len(raw) - len(raw.lstrip(" "))
                break
    return Mark(start.line + 1, start.column + 1, style, indent)


class _Loader(yaml.SafeLoader):
    """A safe loader that never shares a node: each alias becomes a stand-in node where it is written."""

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event: Any = self.get_event()  # type: ignore[no-untyped-call]
            return yaml.ScalarNode(_ALIAS, f"*{event.anchor}", event.start_mark, event.end_mark)
        return super().compose_node(parent, index)


class _Builder:
    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()
        self.doc = Document(path, None, {}, {})
        self.problems: list[Problem] = []
        self.seen: set[int] = set()
        self.constructor = yaml.SafeLoader("")

    def problem(self, node: yaml.Node, code: str, message: str) -> None:
        mark = node.start_mark
        self.problems.append(Problem(self.path, mark.line + 1, mark.column + 1, code, message))

    def value(self, node: yaml.Node, path: Path_) -> Any:
        self.doc.marks[path] = _mark(node, self.lines)
        if node.tag == _ALIAS or id(node) in self.seen:
            return self.broken(path, node, "yaml-alias", "anchors and aliases (&name, *name) are not accepted")
        self.seen.add(id(node))
        if len(path) > MAX_DEPTH:
            return self.broken(path, node, "too-deep", f"values are nested more than {MAX_DEPTH} levels deep")
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                return self.bad_tag(node, path)
            return [self.value(item, (*path, i)) for i, item in enumerate(node.value)]
        return self.scalar(node, path)

    def broken(self, path: Path_, node: yaml.Node, code: str, message: str) -> Any:
        self.problem(node, code, message)
        self.doc.broken.add(path)
        return None

    def bad_tag(self, node: yaml.Node, path: Path_) -> Any:
        return self.broken(path, node, "yaml-tag", f"the YAML tag '{node.tag}' is not accepted; write plain values")

    def mapping(self, node: yaml.MappingNode, path: Path_) -> dict[str, Any] | None:
        if node.tag != _MAP:
            self.bad_tag(node, path)
            return None
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.problem(key_node, "yaml-alias", "merge keys (<<) are not accepted")
                continue
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _PLAIN_TAGS:
                self.problem(key_node, "wrong-type", "a key must be plain text")
                continue
            key = str(key_node.value)
            if key in result:
                first = self.doc.key_marks[(*path, key)]
                self.problem(
                    key_node,
                    "duplicate-key",
                    f"duplicate key '{key}' (first at line {first.line}); the second would silently win",
                )
                continue
            self.doc.key_marks[(*path, key)] = _mark(key_node, self.lines)
            result[key] = self.value(value_node, (*path, key))
        return result

    def scalar(self, node: yaml.Node, path: Path_) -> Any:
        if node.tag not in _PLAIN_TAGS:
            return self.bad_tag(node, path)
        try:
            return self.constructor.construct_object(node, deep=True)
        except ValueError:
            return self.broken(path, node, "bad-date", f"'{node.value}' is not a real date")


def load_text(path: str, raw: bytes, fast: bool = True) -> tuple[Document | None, list[Problem]]:
    """Parse one file's bytes; `path` is how problems name the file.

    `fast=False` reads with the pure-Python parser only (tests compare both paths)."""

    def fail(code: str, message: str, line: int = 1, col: int = 1) -> tuple[None, list[Problem]]:
        return None, [Problem(path, line, col, code, message)]

    if len(raw) > MAX_BYTES:
        return fail("file-too-large", f"file is {len(raw):,} bytes; content files may be at most {MAX_BYTES:,}")
    utf = _utf16_or_32(raw)
    if utf:
        return fail("bad-encoding", f"file is saved as {utf}; save it as UTF-8")
    if b"\x00" in raw:
        return fail("binary-file", "file contains NUL bytes: it is binary, not YAML text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return fail(
            "bad-encoding", f"byte 0x{raw[exc.start]:02x} is not valid UTF-8; save the file as UTF-8", line, col
        )
    text = text.removeprefix("\ufeff")
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        return fail("empty-file", "file is empty; remove it or add content")
    quick = _load_fast(path, text) if fast else None
    if quick is not None:
        return quick, []
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:  # a character YAML forbids, found before parsing starts
        before = text[: exc.position]
        line, col = before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1
        return fail("yaml-syntax", f"the character U+{exc.character:04X} is not allowed in YAML; remove it", line, col)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = _yaml_message(exc)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return fail("yaml-syntax", message, line, col)
    except yaml.YAMLError as exc:
        return fail("yaml-syntax", f"not valid YAML: {exc}")
    except RecursionError:
        return fail("too-deep", "values are nested too deeply to read")
    finally:
        loader.dispose()
    if node is None:
        return fail("empty-file", "file is empty; remove it or add content")
    builder = _Builder(path, text)
    builder.doc.data = builder.value(node, ())
    return builder.doc, builder.problems


class _NotPlain(Exception):
    """The fast path met something the pure-Python path must locate and report."""


_FAST_LOADER = getattr(yaml, "CSafeLoader", None)
_SCALAR_TAGS = _PLAIN_TAGS - {"tag:yaml.org,2002:str"}


def _compose_fast(text: str) -> yaml.Node | None:
    """The node tree of a text, composed by libyaml (positions included)."""
    loader = (_FAST_LOADER or yaml.SafeLoader)(text)
    try:
        node: yaml.Node | None = loader.get_single_node()
        return node
    finally:
        loader.dispose()


def _load_fast(path: str, text: str) -> Document | None:
    """The document of plain, valid YAML read through libyaml, positions left for later; None otherwise.

    Values are built from libyaml's event stream in a loop (no recursion: libyaml's own composer would
    overflow the C stack on a file nested thousands deep).
    """
    if _FAST_LOADER is None:
        return None
    loader = _FAST_LOADER(text)
    constructor = yaml.SafeLoader("")
    stack: list[Any] = []
    """Open lists and mappings; a mapping is followed on the stack by its pending key (None: expecting one)."""
    root: list[Any] = []
    documents = 0
    try:
        while True:
            event = loader.get_event()
            kind = type(event)
            if kind is yaml.ScalarEvent:
                tag = event.tag
                if tag is None or tag == "!":
                    tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
                if tag not in _PLAIN_TAGS:
                    return None
                if stack and isinstance(stack[-2], dict) and stack[-1] is None:
                    if event.value in stack[-2]:
                        return None  # a duplicate key
                    stack[-1] = event.value
                    continue
                value: Any = event.value
                if tag in _SCALAR_TAGS:
                    value = constructor.construct_object(yaml.ScalarNode(tag, event.value), deep=True)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                mapping = kind is yaml.MappingStartEvent
                tag = event.tag
                if tag is not None and tag != "!" and tag != (_MAP if mapping else _SEQ):
                    return None
                if stack and isinstance(stack[-2], dict) and stack[-1] is None:
                    return None  # a key that is not plain text
                if len(stack) // 2 >= MAX_DEPTH:
                    return None
                value = {} if mapping else []
                _add(stack, root, value)
                stack.extend((value, None))
                continue
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                del stack[-2:]
                continue
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    return None
                continue
            elif kind is yaml.StreamEndEvent:
                break
            elif kind is yaml.AliasEvent:
                return None
            else:  # stream start, document end
                continue
            _add(stack, root, value)
    except (yaml.YAMLError, ValueError, RecursionError):
        return None
    finally:
        loader.dispose()
    if len(root) != 1 or root[0] is None:
        return None
    return Document(path, root[0], None, None, text=text)


def _add(stack: list[Any], root: list[Any], value: Any) -> None:
    """Put a value into the innermost open list or mapping (or make it the document's value)."""
    if not stack:
        root.append(value)
    elif isinstance(stack[-2], dict):
        stack[-2][stack[-1]] = value
        stack[-1] = None
    else:
        stack[-2].append(value)


def _utf16_or_32(raw: bytes) -> str | None:
    """'UTF-16' or 'UTF-32' when the bytes look like text in that encoding (a byte-order mark, or ASCII)."""
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "UTF-32"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "UTF-16"
    sample = raw[:4096]
    if len(sample) >= 4 and len(sample) % 2 == 0 and (not any(sample[1::2]) or not any(sample[0::2])):
        return "UTF-16"
    return None


def _yaml_message(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or "not valid YAML"
    if "'\\t'" in problem:
        return "a tab character is not allowed here; indent with spaces"
    if exc.context:
        return f"not valid YAML: {exc.context}, {problem}"
    return f"not valid YAML: {problem}"


Loaded = tuple[Document | None, list[Problem]]
"""What loading one file gives: its document (None when unreadable) and the problems found."""


class ParseCache:
    """The last parse of each file, by display path and content digest.

    Owned by whoever builds repeatedly (the MkDocs plugin keeps one across live-reload rebuilds), so
    that a preview rebuild re-parses only the files that changed. Between processes, the values of files
    that had no problem are kept by builder/cache.py (`remembered`, `recall`).
    """

    def __init__(self) -> None:
        self._entries: dict[str, tuple[bytes, Loaded]] = {}
        self._stored: dict[str, tuple[bytes, Any, Any]] = {}
        self.changed = False
        self._touched: set[str] = set()
        """Files parsed again since the last export."""
        self._exported: set[str] = set()
        """The files the store holds (recalled or last exported)."""
        self._scans: dict[str, Any] = {}
        """Each file taken from the store: the scan stored with it (a scan made again is written again)."""

    def remembered(self) -> dict[str, tuple[bytes, Any, Any]]:
        """File -> (digest, value, scan) of every file read without problems: what the next run may reuse."""
        self.changed = False
        return {
            display: (digest, doc.data, doc.scan)
            for display, (digest, (doc, problems)) in self._entries.items()
            if doc is not None and not problems
        }

    def recall(self, stored: dict[str, tuple[bytes, Any, Any]]) -> None:
        self._stored = dict(stored)
        self._exported = set(stored)

    def export(self) -> tuple[dict[str, tuple[bytes, Any, Any]], set[str]]:
        """What `remembered` gives, and the files whose entry differs from the store's since the last export
        (parsed again, scanned again, or gone), for Store.write_sharded."""
        entries = self.remembered()
        touched = self._touched | (self._exported - set(entries))
        touched |= {display for display, entry in entries.items() if entry[2] is not self._scans.get(display)}
        self._touched, self._exported = set(), set(entries)
        self._scans = {display: entry[2] for display, entry in entries.items()}
        return entries, touched

    def stored(self, display: str, digest: bytes, raw: bytes) -> Loaded | None:
        """A file an earlier run read without problems, when its bytes are the same: positions left for later."""
        kept = self._stored.pop(display, None)
        if kept is None or kept[0] != digest:
            return None
        text = raw.decode("utf-8").removeprefix("\ufeff")
        self._scans[display] = kept[2]
        return Document(display, kept[1], None, None, text=text, scan=kept[2]), []

    def holds(self, display: str, digest: bytes) -> bool:
        """Whether this run or the store holds the file with these bytes (it is not parsed again)."""
        stored = self._stored.get(display)
        return self.get(display, digest) is not None or (stored is not None and stored[0] == digest)

    def take(self, display: str, digest: bytes, value: Any, scan: Any) -> None:
        """A file parsed and scanned without problems by another process (builder/validate.py's preread): read
        from here as a file from the store is, and written to the store as a file parsed here is."""
        self._stored[display] = (digest, value, scan)
        self._touched.add(display)
        self.changed = True

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, display: str, digest: bytes) -> Loaded | None:
        cached = self._entries.get(display)
        return cached[1] if cached is not None and cached[0] == digest else None

    def put(self, display: str, digest: bytes, result: Loaded, changed: bool = True) -> None:
        self._entries[display] = (digest, result)
        self.changed = self.changed or changed
        if changed:
            self._touched.add(display)


def load_file(file: Path, display: str, cache: ParseCache | None = None) -> Loaded:
    try:
        size = file.stat().st_size
        if size > MAX_BYTES:
            return None, [
                Problem(
                    display,
                    1,
                    1,
                    "file-too-large",
                    f"file is {size:,} bytes; content files may be at most {MAX_BYTES:,}",
                )
            ]
        raw = file.read_bytes()
        if cache is None:
            return load_text(display, raw)
        digest = hashlib.sha256(raw).digest()
        cached = cache.get(display, digest)
        if cached is not None:
            return cached
        kept = cache.stored(display, digest, raw)
        result = kept or load_text(display, raw)
        cache.put(display, digest, result, changed=kept is None)
        return result
    except OSError as exc:
        return None, [Problem(display, 1, 1, "unreadable-file", f"cannot read the file: {exc.strerror}")]
