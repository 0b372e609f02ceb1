"""Checks of languages in content: the site's language and editions, translations' language keys.

Run by validate.check on the raw YAML, so each problem is located at the value or key that causes it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, Protocol

from ..load import Document, Path_
from ..model import CONTENT_TYPES, TRANSLATIONS
from . import catalogue_for, gettext_name, parse, shipped


class Reporter(Protocol):
    def add(self, doc: Document, path: Path_, code: str, message: str, key: bool = False) -> None: ...


def supported_list(own: set[str]) -> str:
    return ", ".join(sorted({*shipped(), *(name.replace("_", "-") for name in own)}))


def check_languages(
    checker: Reporter,
    docs: list[Document],
    own: set[str],
    keys: Callable[[Document], Iterable[tuple[Path_, str, str]]] | None = None,
) -> None:
    """`own`: the languages (gettext names) the explainer brings catalogues for, in content/messages/; `keys`:
    each file's translations' language keys (default: `translation_keys`; validate.py keeps them per file)."""
    keys = keys or translation_keys
    site = next((d for d in docs if d.folder == "" and isinstance(d.data, dict)), None)
    if site is None:
        return
    language = site.data.get("language", "en")
    if isinstance(language, str) and catalogue_for(language, own) is None:
        checker.add(site, ("language",), "unsupported-language", _unsupported("language", language, own))
    raw_editions = site.data.get("editions")
    editions: list[str] = []
    for index, edition in enumerate(raw_editions if isinstance(raw_editions, list) else []):
        if not isinstance(edition, str):
            continue
        if catalogue_for(edition, own) is None:
            checker.add(site, ("editions", index), "unsupported-language", _unsupported("edition", edition, own))
        if edition == language or edition in editions:
            what = "the site's own language" if edition == language else "listed twice"
            checker.add(site, ("editions", index), "bad-value", f"site.yaml: edition '{edition}' is {what}")
        editions.append(edition)
    for doc in docs:
        for path, key, who in keys(doc):
            if key in editions:
                continue
            if key == language:
                message = f"{who}: translation into '{key}', the site's own language: write it in the fields themselves"
            else:
                listed = ", ".join(editions) if editions else "none"
                message = f"{who}: translation into '{key}', which is not an edition in site.yaml (editions: {listed})"
            checker.add(doc, (*path, key), "unknown-edition", message, key=True)


def _unsupported(what: str, tag: str, own: set[str]) -> str:
    return (
        f"site.yaml: {what} '{tag}' has no message catalogue (supported: {supported_list(own)}); "
        f"add content/messages/{tag}.po with every message translated to publish in it"
    )


def translation_keys(doc: Document) -> Iterator[tuple[Path_, str, str]]:
    """(path of a translations mapping, one of its language keys, who it belongs to) in a file."""

    def walk(value: Any, path: Path_, who: str) -> Iterator[tuple[Path_, str, str]]:
        if isinstance(value, dict):
            if isinstance(value.get("id"), str):
                kind = CONTENT_TYPES[doc.folder].kind_name if doc.folder in CONTENT_TYPES else "topic"
                who = f"{kind} '{value['id']}'"
            translations = value.get(TRANSLATIONS)
            if isinstance(translations, dict):
                for key in translations:
                    yield (*path, TRANSLATIONS), str(key), who
            for key, sub in value.items():
                if key != TRANSLATIONS:
                    yield from walk(sub, (*path, key), who)
        elif isinstance(value, list):
            for index, sub in enumerate(value):
                yield from walk(sub, (*path, index), who)

    yield from walk(doc.data, (), "site.yaml" if doc.folder == "" else doc.path)


MESSAGES = "messages"
"""The folder of an explainer's own catalogues: content/messages/<lang>.po."""


def own_catalogues(content_dir: Path) -> set[str]:
    """The languages (gettext names) an explainer brings catalogues for."""
    folder = content_dir / MESSAGES
    if not folder.is_dir():
        return set()
    return {gettext_name(p.stem) for p in folder.glob("*.po") if p.is_file() and not p.is_symlink()}


class Recorder(Protocol):
    def record(self, file: str, line: int, col: int, code: str, message: str) -> None: ...


def check_message_files(checker: Recorder, content_dir: Path, display: Callable[[Path], str]) -> None:
    """An explainer's own catalogues (content/messages/<lang>.po): readable, each message one the interface
    has, with the same placeholders; a catalogue for a language without a shipped one must be complete."""
    folder = content_dir / MESSAGES
    if not folder.is_dir():
        return
    from babel.messages.pofile import PoFileError, read_po  # only with catalogues to read: check starts fast

    from .messages import english_ids

    known = english_ids()
    for file in sorted(folder.glob("*.po")):
        shown = display(file)
        name = gettext_name(file.stem)
        if parse(file.stem) is None:
            checker.record(shown, 1, 1, "bad-messages", f"'{file.stem}' is not a language code (e.g. fr, pt-BR)")
            continue
        try:
            with file.open("rb") as handle:
                catalogue = read_po(handle, locale=name, abort_invalid=True)
        except (PoFileError, ValueError, UnicodeDecodeError) as exc:
            line = getattr(exc, "lineno", 1) or 1
            checker.record(shown, line, 1, "bad-messages", f"not a readable gettext catalogue: {exc}")
            continue
        given: set[str] = set()
        for message in catalogue:
            if not message.id:
                continue
            key = str(message.id[0] if isinstance(message.id, (tuple, list)) else message.id)
            line = message.lineno or 1
            if key not in known:
                hint = did_you_mean(key, known)
                checker.record(shown, line, 1, "unknown-message", f"'{key}' is not a message of the interface{hint}")
                continue
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if not any(strings):
                continue
            given.add(key)
            wanted = set(PLACEHOLDER.findall(key))
            for text in strings:
                if text and set(PLACEHOLDER.findall(str(text))) != wanted:
                    names = ", ".join(f"%({n})s" for n in sorted(wanted)) or "none"
                    checker.record(
                        shown, line, 1, "bad-message", f"translation of '{key}' must keep its placeholders ({names})"
                    )
        if name not in {gettext_name(t) for t in shipped()} and catalogue_for(file.stem) is None:
            missing = sorted(known - given)
            if missing:
                checker.record(
                    shown,
                    1,
                    1,
                    "missing-message",
                    f"{len(missing)} interface messages are not translated (first: '{missing[0]}'); a language "
                    "without a shipped catalogue needs them all (python -m builder.i18n.extract writes the list "
                    "to builder/i18n/messages.pot)",
                )


PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def did_you_mean(name: str, candidates: frozenset[str] | set[str]) -> str:
    import difflib  # only when a name is wrong: it costs start-up

    match = difflib.get_close_matches(name, sorted(candidates), n=1, cutoff=0.7)
    return f"; did you mean '{match[0]}'?" if match else ""
