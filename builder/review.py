"""`python -m builder review`: what an editor should look at again (a report, never an error).

Claims past their review-by date, facts resting on a single source, sources never cited,
sources with no archived copy, and quotations that could not be checked against a stored
plain-text copy of their source (`copies/<source-id>.txt`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from .model import Citation
from .problems import Problem
from .validate import Checked, Item

REVIEW_CODES: dict[str, str] = {
    "stale-claim": "A fact or question is past its review_by date.",
    "ended-claim": "A time-bound fact is past its ends date: what it describes was due to end.",
    "single-source": "A fact rests on one source: one distinct source id across its citations and figures.",
    "unused-source": "A source is never cited.",
    "no-archive": "A source has no archive_url.",
    "quote-unchecked": "A quotation cannot be checked: there is no stored copy of its source.",
    "quote-not-found": "A quotation does not appear in the stored copy of its source.",
}

STALE_CODES = frozenset({"stale-claim", "ended-claim"})
"""The findings `review --fail-on stale` fails on."""

_QUOTE_MARKS = str.maketrans(
    {c: "'" for c in "\u2018\u2019\u201a\u201b\u2032\u00b4`"}
    | {c: '"' for c in "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"}
)
_ELLIPSIS = re.compile(r"\s*(?:\[\s*(?:\.\.\.|…)\s*\]|\.\.\.|…)\s*")


@dataclass(frozen=True, order=True)
class Finding:
    file: str
    line: int
    col: int
    code: str
    message: str

    def text(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: review: {self.message} [{self.code}]"


def normalise(text: str) -> str:
    """Text compared for quotations: NFKC, straight quote marks, single spaces."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTE_MARKS)
    return " ".join(text.split())


def quote_found(quote: str, copy: str) -> bool:
    """Whether quote appears in copy (both normalised); an ellipsis in the quote may stand for any text."""
    position = 0
    for part in _ELLIPSIS.split(normalise(quote)):
        if not part:
            continue
        found = copy.find(part, position)
        if found < 0:
            return False
        position = found + len(part)
    return True


def _finding(item: Item, code: str, message: str, *sub: str | int) -> Finding:
    mark = item.doc.mark(item.at(*sub))
    return Finding(item.doc.path, mark.line, mark.col, code, message)


def _stale(item: Item, today: dt.date) -> Iterator[Finding]:
    due = getattr(item.model, "review_by", None)
    if item.kind in ("fact", "question") and due is not None and due < today:
        days = (today - due).days
        yield _finding(
            item,
            "stale-claim",
            f"{item.name()} was due for review on {due.isoformat()} ({days} day{'' if days == 1 else 's'} ago); "
            "check it against its sources, then update as_of and review_by",
            "review_by",
        )
    ends = getattr(item.model, "ends", None)
    if item.kind == "fact" and ends is not None and ends < today:
        yield _finding(
            item,
            "ended-claim",
            f"{item.name()} was due to end on {ends.isoformat()}; readers are told its status since then is "
            "unconfirmed: find out what happened, then update the statement, ends and as_of",
            "ends",
        )


def _single_source(item: Item) -> Iterator[Finding]:
    if item.kind != "fact":
        return
    sources = {c.source for c in [*item.model.citations, *item.model.figures]}
    if len(sources) == 1:
        (only,) = sources
        yield _finding(
            item,
            "single-source",
            f"{item.name()} rests on a single source, '{only}' (status: {item.model.status.value}); "
            "add an independent source if one exists",
            "citations",
        )


def _no_archive(item: Item) -> Iterator[Finding]:
    if item.kind == "source" and item.model.archive_url is None:
        yield _finding(
            item,
            "no-archive",
            f"{item.name()} has no archive_url; add a link to an archived copy (e.g. https://web.archive.org/)",
            "id",
        )


def _citations(item: Item) -> Iterator[tuple[tuple[str | int, ...], Citation]]:
    for field in ("citations", "figures"):
        for index, citation in enumerate(getattr(item.model, field, None) or []):
            yield (field, index), citation


def _quotes(item: Item, copy_of: Callable[[str], str | None], copies: Path) -> Iterator[Finding]:
    for where, citation in _citations(item):
        if citation.quote is None:
            continue
        copy = copy_of(citation.source)
        stored = (copies / f"{citation.source}.txt").as_posix()
        if copy is None:
            yield _finding(
                item,
                "quote-unchecked",
                f"{item.name()} quotes source '{citation.source}', which has no stored copy ({stored})",
                *where,
                "quote",
            )
        elif not quote_found(citation.quote, copy):
            yield _finding(
                item,
                "quote-not-found",
                f'{item.name()} quotes "{citation.quote}", which is not in the stored copy {stored}',
                *where,
                "quote",
            )


def review(checked: Checked, today: dt.date, copies: Path) -> list[Finding]:
    """Everything an editor should look at again, sorted by place."""
    cache: dict[str, str | None] = {}

    def copy_of(source: str) -> str | None:
        if source not in cache:
            try:
                raw = (copies / f"{source}.txt").read_bytes()
                cache[source] = normalise(raw.decode("utf-8", errors="replace"))
            except OSError:
                cache[source] = None
        return cache[source]

    findings: list[Finding] = []
    for item in checked.items:
        findings.extend(_stale(item, today))
        findings.extend(_single_source(item))
        findings.extend(_no_archive(item))
        findings.extend(_quotes(item, copy_of, copies))
    findings.extend(_unused(checked.problems))
    return sorted(set(findings))


def _unused(problems: list[Problem]) -> Iterator[Finding]:
    """`check` already finds sources never cited (it sees prose citations too): report the same ones."""
    for p in problems:
        if p.code == "unused-source":
            yield Finding(p.file, p.line, p.col, p.code, f"{p.message}; cite it or remove it")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary(findings: list[Finding], errors: int) -> str:
    counts = Counter(f.code for f in findings)
    text = (
        f"{_plural(len(findings), 'finding')}: " + ", ".join(f"{counts[c]} {c}" for c in REVIEW_CODES if counts[c])
        if findings
        else "Nothing to review."
    )
    if errors:
        text += f" The content has {_plural(errors, 'error')}: items with errors were left out (run check)."
    return text


def format_findings(findings: list[Finding], errors: int, fmt: str = "text") -> str:
    if fmt == "json":
        counts = Counter(f.code for f in findings)
        return json.dumps(
            {
                "findings": [asdict(f) for f in findings],
                "counts": {code: counts[code] for code in REVIEW_CODES},
                "errors": errors,
            },
            indent=2,
            ensure_ascii=False,
        )
    return "\n".join([*(f.text() for f in findings), summary(findings, errors)])
