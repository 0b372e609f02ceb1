"""Problems are values: each names a file, a 1-based line and column, a level, a code and a message.

The pipeline collects them all, then this module sorts and formats them (text, github, json).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from enum import StrEnum


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"


CODES: dict[str, tuple[Level, str]] = {
    # reading files
    "file-too-large": (Level.ERROR, "The file is larger than the builder reads."),
    "binary-file": (Level.ERROR, "The file holds binary data, not text."),
    "unreadable-file": (Level.ERROR, "The file cannot be read (permissions, or not a regular file)."),
    "bad-encoding": (Level.ERROR, "The file is not valid UTF-8."),
    "empty-file": (Level.ERROR, "The file has no content."),
    "yaml-syntax": (Level.ERROR, "The file is not valid YAML."),
    "duplicate-key": (Level.ERROR, "A key appears twice in the same mapping."),
    "yaml-tag": (Level.ERROR, "A YAML tag (such as !!python/object) asks for a type we do not accept."),
    "yaml-alias": (Level.ERROR, "Anchors, aliases and merge keys are not accepted."),
    "too-deep": (Level.ERROR, "Values are nested deeper than any content type needs."),
    "unknown-file": (Level.WARNING, "A YAML file lies outside the folders the builder reads."),
    "missing-site": (Level.ERROR, "The content folder has no site.yaml."),
    "missing-site-url": (
        Level.ERROR,
        "A publishing build (build --publish) needs the site's absolute address: `url` in site.yaml.",
    ),
    # one item at a time
    "wrong-type": (Level.ERROR, "A value has the wrong type (text, number, list, mapping, ...)."),
    "missing-field": (Level.ERROR, "A required field is missing."),
    "unknown-field": (Level.ERROR, "A field is not part of the content type."),
    "empty-value": (Level.ERROR, "A text or list that must have content is empty."),
    "too-long": (Level.ERROR, "A text is longer than the field allows."),
    "bad-value": (Level.ERROR, "A value is not one of those the field accepts."),
    "bad-id": (Level.ERROR, "An id is not lower-case words joined by hyphens."),
    "bad-date": (Level.ERROR, "A date is malformed or impossible."),
    "bad-url": (Level.ERROR, "A URL does not start with http:// or https://."),
    "raw-html": (Level.ERROR, "Text contains raw HTML, which could run in a reader's browser."),
    "control-character": (Level.ERROR, "Text contains an invisible control character (written as a YAML escape)."),
    "unsafe-link": (Level.ERROR, "A Markdown link points somewhere other than http(s) or the site."),
    "template-syntax": (Level.ERROR, "Text contains template syntax ({{ ... }} or {% ... %})."),
    "attribute-syntax": (Level.ERROR, "Text contains attribute syntax ({: ...}), which would set HTML attributes."),
    "unsafe-markup": (Level.ERROR, "Markdown that makes an element the page does not allow (a heading, a rule)."),
    # across items
    "duplicate-id": (Level.ERROR, "Two items share an id."),
    "unknown-source": (Level.ERROR, "A citation names a source that does not exist."),
    "unknown-fact": (Level.ERROR, "A list of facts names a fact that does not exist."),
    "unknown-question": (Level.ERROR, "A list of questions names a question that does not exist."),
    "unknown-event": (Level.ERROR, "A reference names an event that does not exist."),
    "unknown-person": (Level.ERROR, "A speaker is not a person or organisation in people/."),
    "unknown-topic": (Level.ERROR, "A topic is not one of the topics in site.yaml."),
    "unknown-column": (Level.ERROR, "A dataset row has a value for a column it does not define."),
    "unknown-reference": (Level.ERROR, "A [@id] citation in text names neither a fact nor a source."),
    "cites-aggregator": (Level.ERROR, "An aggregator or republisher is cited as evidence."),
    "reserved-id": (
        Level.ERROR,
        "An id would replace a page the builder generates (a topic or question called 'index').",
    ),
    "duplicate-label": (Level.ERROR, "Two navigation labels are the same, so one entry would hide the other."),
    "status-source-mismatch": (
        Level.ERROR,
        "A fact's status disagrees with its sources: single-source citing several, or confirmed on one"
        " secondary source with no note.",
    ),
    # languages
    "unsupported-language": (
        Level.ERROR,
        "The site's language or an edition has no message catalogue, shipped or in content/messages/.",
    ),
    "orphan-translation": (Level.ERROR, "A page's translation (NAME.<edition>.md) has no page NAME.md to translate."),
    "incomplete-translation": (
        Level.WARNING,
        "An item's translation lacks some of its text: the edition shows it as written.",
    ),
    "unknown-edition": (Level.ERROR, "A translation is into a language that is not one of the site's editions."),
    "bad-messages": (
        Level.ERROR,
        "A file in content/messages/ is not a readable gettext catalogue named by a language.",
    ),
    "unknown-message": (Level.ERROR, "A message in content/messages/ is not one the interface shows."),
    "bad-message": (Level.ERROR, "A message's translation lacks a placeholder of the original, or adds one."),
    "missing-message": (
        Level.ERROR,
        "A catalogue for a language the builder does not ship lacks some of the interface's messages.",
    ),
    # output limits
    "more-errors": (Level.ERROR, "A file has more problems than are listed; the rest are counted."),
    "more-warnings": (Level.WARNING, "A file has more warnings than are listed; the rest are counted."),
    "unused-source": (Level.WARNING, "A source is never cited."),
}


MAX_MESSAGE = 400
"""Characters of a message shown at most: echoed values are cut so that each problem stays readable."""


def one_line(text: str, limit: int = MAX_MESSAGE) -> str:
    """Text made safe for one line of output: control characters escaped, cut at `limit` characters."""
    shown = (
        text
        if text.isprintable()
        else "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)
    )
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


@dataclass(frozen=True, order=True)
class Problem:
    """One problem, always on one line: file and message have control characters escaped."""

    file: str
    line: int
    col: int
    code: str
    message: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "file", one_line(self.file, 1000))
        object.__setattr__(self, "message", one_line(self.message))

    @property
    def level(self) -> Level:
        return CODES[self.code][0]

    def text(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.level.value}: {self.message} [{self.code}]"


def count(problems: Iterable[Problem], level: Level) -> int:
    return sum(1 for p in problems if p.level is level)


def has_errors(problems: Iterable[Problem]) -> bool:
    return count(problems, Level.ERROR) > 0


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary(problems: list[Problem], files: int) -> str:
    if not problems:
        return f"No problems in {_plural(files, 'file')}."
    errors, warnings = count(problems, Level.ERROR), count(problems, Level.WARNING)
    return f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')} in {_plural(files, 'file')}."


def _github_escape(value: str, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def format_problems(problems: list[Problem], files: int, fmt: str = "text") -> str:
    """Sorted problems in one of the output formats, ending with a summary where the format has one."""
    ordered = sorted(problems)
    if fmt == "json":
        return json.dumps(
            {
                "problems": [{**asdict(p), "level": p.level.value} for p in ordered],
                "errors": count(ordered, Level.ERROR),
                "warnings": count(ordered, Level.WARNING),
                "files": files,
            },
            indent=2,
            ensure_ascii=False,
        )
    if fmt == "github":
        lines = [
            f"::{p.level.value} file={_github_escape(p.file, True)},line={p.line},col={p.col},"
            f"title={_github_escape(p.code, True)}::{_github_escape(p.message)}"
            for p in ordered
        ]
        return "\n".join([*lines, summary(ordered, files)])
    return "\n".join([*(p.text() for p in ordered), summary(ordered, files)])
