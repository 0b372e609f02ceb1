"""Read a content folder and check everything: each item against its type, then across items.

Nothing is written here. The result is the validated content (when there are no errors)
and the full list of problems.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import stat
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from . import forked
from .editions import untranslated_fields
from .i18n.check import check_languages, check_message_files, own_catalogues
from .load import MAX_BYTES, Document, ParseCache, Path_, load_file, load_text
from .markup import Prose
from .model import (
    CONTENT_TYPES,
    DATE_FIELDS,
    NAV_LABELS,
    TRANSLATIONS,
    Content,
    Model,
    Site,
    SourceKind,
    Status,
)
from .pages import PAGES, orphan_translations
from .problems import CODES, Level, Problem
from .scan import CITES, is_site, match, scan

_TYPE_NAMES = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping (key: value lines)",
    "model_type": "a mapping (key: value lines)",
    "model_attributes_type": "a mapping (key: value lines)",
}
_DATE_ERRORS = {
    "date_type",
    "date_parsing",
    "date_from_datetime_parsing",
    "date_from_datetime_inexact",
    "date_future",
    "date_past",
}


_VALUE_NAMES: tuple[tuple[type, str], ...] = (
    (bool, "true/false"),
    (int, "a whole number"),
    (float, "a number"),
    (str, "text"),
    (list, "a list"),
    (dict, "a mapping"),
)


def _describe(value: Any) -> str:
    """How a problem message names the kind of value an editor wrote."""
    if value is None:
        return "empty"
    return next((name for kind, name in _VALUE_NAMES if isinstance(value, kind)), type(value).__name__)


def did_you_mean(name: str, candidates: Any) -> str:
    import difflib  # only when a name is wrong: it costs start-up

    match = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return f"; did you mean '{match[0]}'?" if match else ""


@dataclass
class Item:
    kind: str
    model: Any
    doc: Document
    path: Path_

    def at(self, *sub: str | int) -> Path_:
        return (*self.path, *sub)

    def name(self) -> str:
        return f"{self.kind} '{self.model.id}'"


@dataclass
class Checked:
    """What `check` found: problems always, content only when there are no errors."""

    problems: list[Problem]
    files: int
    content: Content | None = None
    items: list[Item] = field(default_factory=list)


class _Checker:
    def __init__(self, prose: Prose | None = None) -> None:
        self.problems: list[Problem] = []
        self.per_file: Counter[str] = Counter()
        self.omitted: dict[str, list[int]] = {}
        """File -> [line, column of the first problem not listed, problems not listed, errors among them]."""
        self.prose = prose or Prose()

    def add(self, doc: Document, path: Path_, code: str, message: str, key: bool = False) -> None:
        mark = doc.mark(path, key=key)
        self.record(doc.path, mark.line, mark.col, code, message)

    def record(self, file: str, line: int, col: int, code: str, message: str) -> None:
        """Keep a problem, or only count it once its file has more than are listed."""
        self.per_file[file] += 1
        if self.per_file[file] <= MAX_PROBLEMS_PER_FILE:
            self.problems.append(Problem(file, line, col, code, message))
            return
        first = self.omitted.setdefault(file, [line, col, 0, 0])
        first[2] += 1
        first[3] += CODES[code][0] is Level.ERROR

    def report(self, doc: Document, path: Path_, offset: int, code: str, message: str) -> None:
        """A problem at character `offset` of the text at path."""
        mark = doc.locate_in_text(path, offset)
        self.record(doc.path, mark.line, mark.col, code, message)

    def full(self, doc: Document) -> bool:
        """Whether a file already has more problems than are listed: then costly hints are not worked out."""
        return self.per_file[doc.path] >= MAX_PROBLEMS_PER_FILE

    # --- one item against its type -------------------------------------------------------

    def item(self, kind: str, cls: type[BaseModel], doc: Document, path: Path_) -> Any | None:
        raw = doc.data_at(path)
        if doc.is_broken(path):
            return None
        if not isinstance(raw, dict):
            self.add(
                doc, path, "wrong-type", f"each {kind} should be a mapping (key: value lines), not {_describe(raw)}"
            )
            return None
        known = doc.models.get((cls, path))
        if known is not None:
            return known
        ident = raw.get("id") if isinstance(raw.get("id"), str) else None
        who = f"{kind} '{ident}'" if ident else kind
        try:
            model = doc.models[(cls, path)] = cls.model_validate(raw)
            return model
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                self.schema_error(doc, path, who, cls, error)
            return None

    def schema_error(self, doc: Document, path: Path_, who: str, cls: type[BaseModel], error: Any) -> None:
        loc: tuple[str | int, ...] = tuple(error["loc"])
        kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
        name = next((str(p) for p in reversed(loc) if isinstance(p, str)), "value")
        where = (*path, *loc)
        if doc.is_broken(where):
            return
        if kind == "missing":
            self.add(doc, where[:-1], "missing-field", f"{who} is missing required field '{name}'")
        elif kind == "extra_forbidden":
            allowed = _fields_at(cls, loc[:-1])
            self.add(
                doc, where, "unknown-field", f"{who} has unknown field '{name}'{did_you_mean(name, allowed)}", key=True
            )
        elif kind in _TYPE_NAMES:
            self.add(doc, where, "wrong-type", f"{who}: '{name}' should be {_TYPE_NAMES[kind]}, not {_describe(value)}")
        elif kind in _DATE_ERRORS or (kind == "value_error" and name in DATE_FIELDS):
            detail = str(ctx.get("error", "")) or "expected a date like 2025-06-10"
            self.add(doc, where, "bad-date", f"{who}: '{name}' is '{value}': {_date_detail(detail)}")
        elif kind == "string_pattern_mismatch":
            self.pattern_error(doc, where, who, name, str(value))
        elif kind == "enum" or kind == "literal_error":
            expected = str(ctx.get("expected", ""))
            options = re.findall(r"'([^']+)'", expected)
            self.add(
                doc,
                where,
                "bad-value",
                f"{who}: '{name}' is '{value}', not one of {expected}{did_you_mean(str(value), options)}",
            )
        elif kind in ("too_short", "string_too_short"):
            what = "at least one item" if isinstance(value, list) else "some text"
            self.add(doc, where, "empty-value", f"{who}: '{name}' needs {what}")
        elif kind in ("too_long", "string_too_long"):
            self.add(doc, where, "too-long", f"{who}: '{name}' is too long ({error['msg'].lower()})")
        else:
            self.add(doc, where, "bad-value", f"{who}: '{name}': {error['msg']}")

    def pattern_error(self, doc: Document, where: Path_, who: str, name: str, value: str) -> None:
        if not value.strip():
            self.add(doc, where, "empty-value", f"{who}: '{name}' needs some text, not only spaces")
        elif name in ("url", "archive_url"):
            self.add(doc, where, "bad-url", f"{who}: '{name}' is '{value}', not an http:// or https:// address")
        elif name in ("id", "source", "speaker", "event") or isinstance(where[-1], int):
            self.add(doc, where, "bad-id", f"{who}: '{value}' is not an id: use lower-case words joined by hyphens")
        else:
            self.add(doc, where, "bad-value", f"{who}: '{name}' is '{value}', which is not in the expected form")


def _date_detail(detail: str) -> str:
    detail = detail.removeprefix("Value error, ")
    if "out of range" in detail or "must be in" in detail:
        return "not a real date"
    return "expected a date like 2025-06-10" if "YYYY" not in detail else detail


def _fields_at(cls: type[BaseModel], loc: tuple[str | int, ...]) -> list[str]:
    """The field names of the (nested) model at loc, for 'did you mean'."""
    current: Any = cls
    for position, part in enumerate(loc):
        if isinstance(part, int) or not (isinstance(current, type) and issubclass(current, BaseModel)):
            continue
        if position and loc[position - 1] == TRANSLATIONS:
            continue  # a language code, the key of a mapping
        info = current.model_fields.get(part)
        if info is None:
            return []
        current = _inner_model(info.annotation)
    return list(current.model_fields) if isinstance(current, type) and issubclass(current, BaseModel) else []


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def discover(content_dir: Path) -> tuple[list[Path], list[Path], list[tuple[Path, str]]]:
    """The YAML files the builder reads, other YAML files found (which it does not read), and entries it refuses.

    Symbolic links are never followed (a link could pull in any file on the machine), and anything
    named like YAML that is not a regular file (a folder, a pipe, a device) is refused with a reason.
    """
    read: list[Path] = []
    other: list[Path] = []
    refused: list[tuple[Path, str]] = []
    for folder, dirs, names in os.walk(content_dir, followlinks=False):
        base = Path(folder)
        for name in sorted(dirs):
            entry = base / name
            if entry.is_symlink():
                refused.append((entry, "is a symbolic link to a folder; the builder does not follow links"))
            elif entry.suffix in (".yaml", ".yml"):
                refused.append((entry, "is a folder, not a YAML file"))
        dirs[:] = sorted(d for d in dirs if not (base / d).is_symlink())
        for name in sorted(names):
            file = base / name
            if file.suffix not in (".yaml", ".yml"):
                continue
            if file.is_symlink():
                refused.append((file, "is a symbolic link; content files must be regular files in the content folder"))
                continue
            if not stat.S_ISREG(file.lstat().st_mode):
                refused.append((file, "is not a regular file (a pipe, socket or device)"))
                continue
            relative = file.relative_to(content_dir)
            if relative.parts == ("site.yaml",) or (len(relative.parts) == 2 and relative.parts[0] in CONTENT_TYPES):
                read.append(file)
            else:
                other.append(file)
    return sorted(read), sorted(other), sorted(refused)


def _display(file: Path, root: Path) -> str:
    """How problems name a file: its path from `root` where it is under it."""
    try:  # the folder resolved, not the entry: a link is named as itself, not as its target
        return (file.parent.resolve() / file.name).relative_to(root.resolve()).as_posix()
    except ValueError:
        return file.as_posix()


PREREAD_FROM = 1 << 20
"""Bytes of files to parse from which `preread` shares them between processes (below, it takes a tenth of a
second)."""


def preread(
    content_dir: Path,
    cache: ParseCache,
    prose: Prose,
    workers: int,
    display_root: Path | None = None,
    least: int | None = None,
) -> int:
    """Parse and scan the files `check` will parse (those `cache` does not hold), in `workers` processes
    (builder/forked.py), from `least` bytes of them: `check` then takes each file read without problems from
    `cache`, as it takes a file from the store between runs, and the texts audited while scanning from `prose`.
    A file with a problem is left for `check`, which reads it again and reports it. How many files were taken.

    At 50,000 facts parsing and scanning the files took 6 of the 7.4 s `check` took, on one core of two."""
    if workers <= 1 or not content_dir.is_dir():
        return 0
    root = display_root or Path.cwd()
    unread: list[tuple[str, bytes, bytes, str]] = []
    """(how problems name the file, its digest, its bytes, its folder) of each file to parse."""
    for file in discover(content_dir)[0]:
        display = _display(file, root)
        try:
            raw = file.read_bytes() if file.stat().st_size <= MAX_BYTES else None
        except OSError:
            raw = None
        if raw is None:
            continue  # check says why
        digest = hashlib.sha256(raw).digest()
        if not cache.holds(display, digest):
            parts = file.relative_to(content_dir).parts
            unread.append((display, digest, raw, parts[0] if len(parts) == 2 else ""))
    if sum(len(raw) for _, _, raw, _ in unread) < (PREREAD_FROM if least is None else least):
        return 0
    before = prose.mark()
    tasks = [functools.partial(_parsed, display, raw, folder, prose) for display, _, raw, folder in unread]
    parsed = forked.run(tasks, workers, lambda: prose.since(before), prose.absorb)
    taken = 0
    for (display, digest, _, _), found in zip(unread, parsed, strict=True):
        if found is not None:
            cache.take(display, digest, *found)
            taken += 1
    return taken


def _parsed(display: str, raw: bytes, folder: str, prose: Prose) -> tuple[Any, Any] | None:
    """A file's value and scan, when it was read without problems."""
    doc, problems = load_text(display, raw)
    if doc is None or problems:
        return None
    doc.folder = folder
    return doc.data, scan(doc, prose)


def check(
    content_dir: Path, display_root: Path | None = None, cache: ParseCache | None = None, prose: Prose | None = None
) -> Checked:
    """Load and validate every file under content_dir; never raises for bad content.

    With a cache, files whose bytes did not change since the last check are not parsed again; `prose`
    (shared with `render`) remembers each text's conversion and audit.
    """
    checker = _Checker(prose)
    root = display_root or Path.cwd()

    def display(file: Path) -> str:
        return _display(file, root)

    if not content_dir.is_dir():
        return Checked([Problem(display(content_dir), 1, 1, "missing-site", "content folder not found")], 0)
    if content_dir.name in CONTENT_TYPES and not (content_dir / "site.yaml").exists():
        message = f"this is a '{content_dir.name}' folder: --content takes the folder that holds site.yaml"
        return Checked([Problem(display(content_dir), 1, 1, "missing-site", message)], 0)
    files, others, refused = discover(content_dir)
    for entry, reason in refused:
        checker.problems.append(Problem(display(entry), 1, 1, "unreadable-file", reason))
    for file in others:
        checker.problems.append(
            Problem(
                display(file),
                1,
                1,
                "unknown-file",
                f"not read: YAML files belong in site.yaml or one of {', '.join(CONTENT_TYPES)}/",
            )
        )
    docs: list[Document] = []
    for file in files:
        doc, problems = load_file(file, display(file), cache)
        for problem in problems:
            checker.record(problem.file, problem.line, problem.col, problem.code, problem.message)
        if doc is not None:
            parts = file.relative_to(content_dir).parts
            doc.folder = parts[0] if len(parts) == 2 else ""
            docs.append(doc)
    # A file that could not be read hides its ids: references to them would be reported wrongly.
    complete = len(docs) == len(files)

    site: Site | None = None
    items: list[Item] = []
    raw_ids: dict[str, tuple[str, Document, Path_]] = {}
    site_seen = False
    for doc in docs:
        folder = doc.folder
        if is_site(doc):
            site_seen = True
            if isinstance(doc.data, dict):
                site = checker.item("site settings", Site, doc, ())
                _site_names(checker, doc)
            else:
                checker.add(doc, (), "wrong-type", f"site.yaml should be a mapping, not {_describe(doc.data)}")
            continue
        cls = CONTENT_TYPES[folder]
        kind = str(cls.kind_name)
        if not isinstance(doc.data, list):
            checker.add(
                doc,
                (),
                "wrong-type",
                f"a {folder} file should be a list of {kind} items (each starting with '- '), "
                f"not {_describe(doc.data)}",
            )
            continue
        for index, raw in enumerate(doc.data):
            path: Path_ = (index,)
            if isinstance(raw, dict) and isinstance(raw.get("id"), str):
                ident = raw["id"]
                if ident in raw_ids:
                    other_kind, other_doc, other_path = raw_ids[ident]
                    mark = other_doc.mark((*other_path, "id"))
                    checker.add(
                        doc,
                        (*path, "id"),
                        "duplicate-id",
                        f"duplicate id '{ident}': already used by the {other_kind} "
                        f"at {other_doc.path}:{mark.line}:{mark.col}",
                    )
                else:
                    raw_ids[ident] = (kind, doc, path)
                if kind == "question" and ident in RESERVED_PAGES:
                    checker.add(doc, (*path, "id"), "reserved-id", _reserved(kind, ident))
            model = checker.item(kind, cls, doc, path)
            if model is not None:
                items.append(Item(kind, model, doc, path))
    if not site_seen:
        checker.problems.append(
            Problem(display(content_dir / "site.yaml"), 1, 1, "missing-site", "the content folder has no site.yaml")
        )

    _cross_check(checker, docs, raw_ids, complete)
    check_languages(checker, docs, own_catalogues(content_dir), lambda doc: scan(doc, checker.prose).translations)
    check_message_files(checker, content_dir, display)
    if complete:
        _status_sources(checker, items)
    if site is not None:
        _partial_translations(checker, site, items)
        for translation, original in orphan_translations(content_dir, site.editions):
            message = f"translates '{original}', which is not in {content_dir.name}/{PAGES}/; name it after its page"
            checker.record(display(translation), 1, 1, "orphan-translation", message)
    checker.problems.extend(_not_listed(checker.omitted))
    content = None
    if site is not None and not any(p.level.value == "error" for p in checker.problems):
        grouped: dict[str, list[Model]] = {name: [] for name in CONTENT_TYPES}
        for item in items:
            grouped[item.doc.folder].append(item.model)
        content = Content.model_validate({"site": site, **grouped})
    return Checked(sorted(set(checker.problems)), len(files), content, items)


def _partial_translations(checker: _Checker, site: Site, items: list[Item]) -> None:
    """Warn where an item's translation into an edition was begun but lacks some text: the edition would
    show the whole item as written, which is easy to miss. An item not translated at all is left alone: the
    edition shows it with a notice, as intended."""
    if not site.editions:
        return
    for item in items:
        if not hasattr(item.model, TRANSLATIONS):
            continue
        every_text = len(untranslated_fields(item.model, ""))  # no language: all of its text is missing
        for language in site.editions:
            missing = untranslated_fields(item.model, language)
            if len(missing) == every_text:
                continue
            for where in missing:
                checker.add(
                    item.doc,
                    item.at(*where),
                    "incomplete-translation",
                    f"{item.kind} '{item.model.id}': {_field_name(where)} has no {language} translation, so the "
                    f"{language} edition shows this {item.kind} as written",
                )


def _field_name(where: Path_) -> str:
    """('title',) -> "'title'"; ('citations', 1, 'note') -> "'note' of citation 2"."""
    if len(where) == 1:
        return f"'{where[0]}'"
    part, index, name = where[-3:]
    return f"'{name}' of {str(part).removesuffix('s')} {int(index) + 1}"


PRIMARY_KINDS = frozenset({SourceKind.GOVERNMENT, SourceKind.INTERNATIONAL, SourceKind.COMPANY, SourceKind.DATA})
"""Kinds of source that publish primary documents: one of them alone may confirm a fact."""


def _status_sources(checker: _Checker, items: list[Item]) -> None:
    """A fact's status must agree with its sources (distinct source ids across citations and figures).

    'single-source' with more than one source is wrong; 'confirmed' on one source is right only when that
    source is a primary document (government, international organisation, company, data) or the fact's
    note says why one source suffices.
    """
    kinds = {item.model.id: item.model.kind for item in items if item.kind == "source"}
    for item in items:
        if item.kind != "fact":
            continue
        fact = item.model
        sources = sorted({c.source for c in [*fact.citations, *fact.figures]})
        if fact.status is Status.SINGLE_SOURCE and len(sources) > 1:
            names = ", ".join(f"'{s}'" for s in sources)
            checker.add(
                item.doc,
                item.at("status"),
                "status-source-mismatch",
                f"{item.name()} has status single-source but cites {len(sources)} sources ({names}); "
                "use confirmed if they are independent, or cite only the one source",
            )
        elif fact.status is Status.CONFIRMED and len(sources) == 1 and fact.note is None:
            kind = kinds.get(sources[0])
            if kind is None or kind in PRIMARY_KINDS or kind is SourceKind.AGGREGATOR:  # aggregators: cites-aggregator
                continue
            checker.add(
                item.doc,
                item.at("status"),
                "status-source-mismatch",
                f"{item.name()} is confirmed on one source, '{sources[0]}' ({kind.value}), which is not a primary "
                "document; add an independent source, use single-source or secondary-only, "
                "or say in note why this source suffices",
            )


RESERVED_PAGES = frozenset({"index"})
"""Ids that would name a generated page over another: a topic or question called 'index'."""
MAX_PROBLEMS_PER_FILE = 50


def _reserved(kind: str, ident: str) -> str:
    return f"{kind} id '{ident}' is reserved: it would replace a generated page; choose another id"


def _site_names(checker: _Checker, doc: Document) -> None:
    """Topic ids unique and not reserved; navigation labels distinct (each names one entry)."""
    seen: dict[str, int] = {}
    topics = doc.data.get("topics")
    for index, topic in enumerate(topics if isinstance(topics, list) else []):
        ident = topic.get("id") if isinstance(topic, dict) else None
        if not isinstance(ident, str):
            continue
        where: Path_ = ("topics", index, "id")
        if ident in seen:
            first = doc.mark(("topics", seen[ident], "id"))
            checker.add(doc, where, "duplicate-id", f"duplicate topic id '{ident}' (first at line {first.line})")
        else:
            seen[ident] = index
        if ident in RESERVED_PAGES:
            checker.add(doc, where, "reserved-id", _reserved("topic", ident))
    given = doc.data.get("labels")
    if not isinstance(given, dict):
        return
    labels = {**NAV_LABELS, **{k: v for k, v in given.items() if isinstance(v, str)}}
    owners: dict[str, str] = {}
    for key, label in labels.items():
        if label in owners and (key in given or owners[label] in given):
            where = ("labels", key if key in given else owners[label])
            checker.add(
                doc,
                where,
                "duplicate-label",
                f"labels '{owners[label]}' and '{key}' are both '{label}': each navigation entry needs its own label",
            )
        owners.setdefault(label, key)


def _not_listed(omitted: dict[str, list[int]]) -> list[Problem]:
    """One line per file saying how many of its problems were counted but not listed."""
    lines = []
    for file, (line, col, count, errors) in sorted(omitted.items()):
        code = "more-errors" if errors else "more-warnings"
        message = (
            f"{count:,} more problems in this file ({errors:,} errors) are not listed; "
            "fix the ones above and check again"
        )
        lines.append(Problem(file, line, col, code, message))
    return lines


_CODES = {
    "source": "unknown-source",
    "person": "unknown-person",
    "topic": "unknown-topic",
    "fact": "unknown-fact",
    "question": "unknown-question",
    "event": "unknown-event",
}


def _cross_check(
    checker: _Checker, docs: list[Document], raw_ids: dict[str, tuple[str, Document, Path_]], complete: bool
) -> None:
    """References between items, checked on the raw data so that items with other problems are checked too.

    Unknown ids and unused sources are reported only when every file could be read (`complete`).
    """
    known: dict[str, set[str]] = {kind: set() for kind in _CODES}
    for ident, (kind, _, _) in raw_ids.items():
        known.setdefault(kind, set()).add(ident)
    site_docs = [d for d in docs if is_site(d)]
    for doc in site_docs:
        topics = doc.data.get("topics") if isinstance(doc.data, dict) else None
        known["topic"].update(t["id"] for t in topics or [] if isinstance(t, dict) and isinstance(t.get("id"), str))
    aggregators = {
        ident
        for ident, (kind, doc, path) in raw_ids.items()
        if kind == "source" and _get(doc, path, "kind") == "aggregator"
    }
    cited: set[str] = set()
    for ident, (kind, doc, path) in [*raw_ids.items(), *(("", ("site settings", d, ())) for d in site_docs)]:
        who = f"{kind} '{ident}'" if ident else "site.yaml"
        for where, value, target in scan(doc, checker.prose).references.get(path, ()):
            if target == "topic" and not site_docs:
                continue
            if target == "source":
                cited.add(value)
            if value not in known[target]:
                if not complete:
                    continue
                verb = "cites" if target == "source" else "names"
                hint = "" if checker.full(doc) else did_you_mean(value, known[target])
                checker.add(doc, where, _CODES[target], f"{who} {verb} unknown {target} '{value}'{hint}")
            elif target == "source" and value in aggregators and kind != "dataset":
                checker.add(
                    doc,
                    where,
                    "cites-aggregator",
                    f"{who} cites '{value}', an aggregator: cite the original publisher instead",
                )
        for column in _unknown_columns(doc, path) if kind == "dataset" else ():
            checker.add(
                doc, column[0], "unknown-column", f"{who}: row has a value for unknown column '{column[1]}'", key=True
            )

    refs = {i: k for i, (k, _, _) in raw_ids.items() if k in ("fact", "source")}
    for doc in docs:
        for path, offset, code, text in scan(doc, checker.prose).found:
            if code != CITES:
                checker.report(doc, path, offset, code, text)
            elif text in refs:
                if refs[text] == "source":
                    cited.add(text)
                else:
                    _, fact_doc, fact_path = raw_ids[text]
                    cited.update(v for _, v in match(fact_doc.data_at(fact_path), ("citations", "*", "source"), ()))
            elif complete:
                hint = "" if checker.full(doc) else did_you_mean(text, refs)
                message = f"[@{text}] names neither a fact nor a source{hint}"
                checker.report(doc, path, offset, "unknown-reference", message)
    for ident, (kind, doc, path) in raw_ids.items() if complete else ():
        if kind == "source" and ident not in cited and ident not in aggregators:
            checker.add(doc, (*path, "id"), "unused-source", f"source '{ident}' is never cited")


def _get(doc: Document, path: Path_, key: str) -> Any:
    value = doc.data_at(path)
    return value.get(key) if isinstance(value, dict) else None


def _unknown_columns(doc: Document, path: Path_) -> Iterator[tuple[Path_, str]]:
    columns = {v for _, v in match(doc.data_at(path), ("columns", "*", "id"), ())}
    for row_path, _ in match(doc.data_at(path), ("rows", "*", "label"), path):
        values = doc.data_at((*row_path[:-1], "values"))
        for key in values if isinstance(values, dict) else {}:
            if key not in columns:
                yield (*row_path[:-1], "values", key), key
