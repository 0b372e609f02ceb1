"""The content's history from git: when each fact and answer was first published, when it last changed, and what.

One walk over the commits that touched the content folder (`git log --first-parent`, oldest first: a branch's
changes count from the merge that published them), reading every changed file's version once through one
`git cat-file --batch` process, parsing it with yaml.safe_load and comparing the items id by id. The result
depends only on the commits, so the same commits give the same pages; it is cached per HEAD commit (in memory
by the caller, and on disk in the repository's git folder) so repeated builds do not walk again.

Not part of `check`. Without git, or with the content folder outside a repository, there is no history
(`load_history` returns None) and pages fall back to the content's own dates (as_of, site.updated). In a shallow
clone the oldest commit reached is a boundary: what it holds has no known first-publication date, and is not
listed as added.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

TRACKED = {"facts": "fact", "questions": "question"}
"""Content folders whose items have a history, and the kind of their items."""
COMPARED: dict[str, tuple[str, ...]] = {
    "fact": ("status", "statement", "figures", "citations", "title", "ends"),
    "question": ("question", "short_answer", "answer"),
}
"""The fields whose change is a change readers see; edits of other fields (as_of, review_by, notes) are not."""
FORMAT = 1
"""Version of the cached form: a change of this module's output changes it."""
GIT_TIMEOUT = 120
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""yaml.safe_load's loader, in libyaml's C implementation where it is available."""


@dataclass(frozen=True)
class Change:
    """One item added, changed or withdrawn by one commit."""

    date: dt.date
    commit: str
    kind: str
    """'fact' or 'question'."""
    ident: str
    title: str
    """The fact's title or the question, as of this change (the last version, for a withdrawal)."""
    action: str
    """'added', 'changed' or 'withdrawn'."""
    fields: tuple[str, ...] = ()
    """For a change: which of the compared fields changed, in COMPARED order."""
    status_from: str | None = None
    status_to: str | None = None
    sources_added: tuple[str, ...] = ()
    sources_removed: tuple[str, ...] = ()
    change_note: str | None = None
    """The item's change_note in this version, when it was set or changed by this commit."""


@dataclass(frozen=True)
class Dates:
    first: dt.date | None
    """The date of the commit that added the item; None when a shallow clone does not reach it."""
    changed: dt.date
    """The date of the last commit that changed a compared field (or added the item)."""


@dataclass
class History:
    head: str
    shallow: bool
    changes: list[Change] = field(default_factory=list)
    """Oldest first."""
    dates: dict[str, Dates] = field(default_factory=dict)
    """Item id -> its dates, for every item present at HEAD."""
    updated: dt.date | None = None
    """The date of the last commit that touched the content folder."""

    def newest_first(self) -> list[Change]:
        ordered = sorted(enumerate(self.changes), key=lambda pair: (pair[1].date, pair[0]), reverse=True)
        return [change for _, change in ordered]

    def to_json(self) -> str:
        def default(value: Any) -> Any:
            if isinstance(value, dt.date):
                return value.isoformat()
            raise TypeError(type(value))

        return json.dumps(
            {
                "format": FORMAT,
                "head": self.head,
                "shallow": self.shallow,
                "updated": self.updated,
                "changes": [asdict(c) for c in self.changes],
                "dates": {k: [v.first, v.changed] for k, v in self.dates.items()},
            },
            default=default,
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> History | None:
        data = json.loads(text)
        if data.get("format") != FORMAT:
            return None

        def day(value: str | None) -> dt.date | None:
            return dt.date.fromisoformat(value) if value else None

        changes = []
        for raw in data["changes"]:
            raw["date"] = dt.date.fromisoformat(raw["date"])
            for key in ("fields", "sources_added", "sources_removed"):
                raw[key] = tuple(raw[key])
            changes.append(Change(**raw))
        dates = {}
        for key, (first, changed) in data["dates"].items():
            changed_day = day(changed)
            assert changed_day is not None
            dates[key] = Dates(day(first), changed_day)
        return cls(data["head"], data["shallow"], changes, dates, day(data["updated"]))


class HistoryCache:
    """Histories already worked out, per repository, content path and HEAD commit (kept across live reloads)."""

    def __init__(self) -> None:
        self.known: dict[tuple[str, str, str], History] = {}


def _git(root: Path, *args: str, stdin: bytes | None = None) -> bytes | None:
    try:
        result = subprocess.run(
            ["git", "-C", str(root), *args],
            input=stdin,
            capture_output=True,
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout if result.returncode == 0 else None


def _where(content_dir: Path) -> tuple[Path, str, str, Path] | None:
    """(repository top, content folder's path in it with a trailing '/', HEAD commit, git common dir)."""
    if not content_dir.is_dir():
        return None
    out = _git(content_dir, "rev-parse", "--show-toplevel", "--show-prefix", "--git-common-dir", "HEAD")
    if out is None:
        return None
    lines = out.decode("utf-8", "replace").splitlines()
    if len(lines) != 4:
        return None
    top, prefix, common, head = lines
    common_dir = Path(common) if Path(common).is_absolute() else (content_dir / common)
    return Path(top), prefix, head, common_dir


def head_commit(content_dir: Path) -> str | None:
    """The HEAD commit of the repository holding the content folder (None outside git): a cache key."""
    where = _where(content_dir)
    return where[2] if where else None


def load_history(content_dir: Path, cache: HistoryCache | None = None) -> History | None:
    """The content folder's history, or None when it is not in a git repository with commits."""
    where = _where(content_dir)
    if where is None:
        return None
    top, prefix, head, common = where
    key = (str(top), prefix, head)
    if cache is not None and key in cache.known:
        return cache.known[key]
    digest = hashlib.sha256(f"{FORMAT}\0{prefix}\0{head}".encode()).hexdigest()[:24]
    stored = common / "explainer-history" / f"{digest}.json"
    history: History | None = None
    try:
        history = History.from_json(stored.read_text("utf-8"))
    except (OSError, ValueError, KeyError, TypeError):
        history = None
    if history is None or history.head != head:
        history = walk(top, prefix, head)
        if history is None:
            return None
        try:
            stored.parent.mkdir(exist_ok=True)
            temporary = stored.with_suffix(".tmp")
            temporary.write_text(history.to_json(), "utf-8")
            temporary.replace(stored)
        except OSError:
            pass  # a read-only repository: no disk cache, same result
    if cache is not None:
        cache.known[key] = history
    return history


def _commits(top: Path, prefix: str) -> list[tuple[str, dt.date, list[str]]] | None:
    """(commit, date, changed files under the content folder) of each first-parent commit, oldest first."""
    out = _git(
        top,
        "log",
        "--first-parent",
        "--diff-merges=first-parent",
        "--no-renames",
        "--reverse",
        "--format=%x1e%H %cI",
        "--name-only",
        "-z",
        "--",
        prefix or ".",
    )
    if out is None:
        return None
    commits = []
    for record in out.decode("utf-8", "surrogateescape").split("\x1e"):
        if not record.strip("\x00\n"):
            continue
        header, _, rest = record.partition("\n")
        commit, stamp = header.split(" ", 1)
        files = [name for name in rest.split("\x00") if name.strip("\n")]
        commits.append((commit, dt.date.fromisoformat(stamp.strip()[:10]), [f.strip("\n") for f in files]))
    return commits


def _tracked(prefix: str, path: str) -> str | None:
    """The folder of a tracked content file ('facts'), or None for any other file."""
    if not path.startswith(prefix):
        return None
    parts = path[len(prefix) :].split("/")
    if len(parts) == 2 and parts[0] in TRACKED and parts[1].endswith((".yaml", ".yml")):
        return parts[0]
    return None


class _Blobs:
    """File versions read through one `git cat-file --batch` process."""

    def __init__(self, top: Path) -> None:
        self.process = subprocess.Popen(
            ["git", "-C", str(top), "cat-file", "--batch"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )

    def read(self, commit: str, path: str) -> bytes | None:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(f"{commit}:{path}\n".encode("utf-8", "surrogateescape"))
        self.process.stdin.flush()
        header = self.process.stdout.readline().split()
        if len(header) != 3 or header[1] != b"blob":
            return None  # deleted in this commit (or not a file)
        data = self.process.stdout.read(int(header[2]))
        self.process.stdout.read(1)
        return data

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait(timeout=GIT_TIMEOUT)


def _items(data: bytes, kind: str) -> dict[str, dict[str, Any]]:
    """The items with an id in one version of a content file; an unreadable version holds none."""
    try:
        parsed = yaml.load(data.decode("utf-8"), Loader=_SAFE_LOADER)
    except (yaml.YAMLError, UnicodeDecodeError):
        return {}
    if not isinstance(parsed, list):
        return {}
    return {
        item["id"]: {**item, "_kind": kind}
        for item in parsed
        if isinstance(item, dict) and isinstance(item.get("id"), str)
    }


def _title(item: dict[str, Any]) -> str:
    value = item.get("title") if item["_kind"] == "fact" else item.get("question")
    return str(value if value is not None else item["id"])


def _sources(item: dict[str, Any]) -> set[str]:
    found = set()
    for group in ("citations", "figures"):
        for cite in item.get(group) or []:
            if isinstance(cite, dict) and isinstance(cite.get("source"), str):
                found.add(cite["source"])
    return found


def compare(
    before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]], date: dt.date, commit: str
) -> list[Change]:
    """The changes between two states of the content (id -> item), in id order."""
    changes = []
    for ident in sorted(before.keys() | after.keys()):
        old, new = before.get(ident), after.get(ident)
        if new is None:
            assert old is not None
            changes.append(Change(date, commit, old["_kind"], ident, _title(old), "withdrawn"))
            continue
        note = new.get("change_note") if isinstance(new.get("change_note"), str) else None
        if old is None:
            changes.append(Change(date, commit, new["_kind"], ident, _title(new), "added", change_note=note))
            continue
        fields = tuple(name for name in COMPARED[new["_kind"]] if old.get(name) != new.get(name))
        if not fields:
            continue
        status = "status" in fields
        added, removed = _sources(new) - _sources(old), _sources(old) - _sources(new)
        changes.append(
            Change(
                date,
                commit,
                new["_kind"],
                ident,
                _title(new),
                "changed",
                fields,
                str(old.get("status")) if status else None,
                str(new.get("status")) if status else None,
                tuple(sorted(added)),
                tuple(sorted(removed)),
                note if note != old.get("change_note") else None,
            )
        )
    return changes


def walk(top: Path, prefix: str, head: str) -> History | None:
    """Walk the history of the content folder at `prefix` in the repository at `top`."""
    commits = _commits(top, prefix)
    if commits is None:
        return None
    shallow = (_git(top, "rev-parse", "--is-shallow-repository") or b"").strip() == b"true"
    history = History(head, shallow)
    files: dict[str, dict[str, dict[str, Any]]] = {}
    state: dict[str, dict[str, Any]] = {}
    first: dict[str, dt.date | None] = {}
    changed: dict[str, dt.date] = {}
    blobs = _Blobs(top)
    try:
        for number, (commit, date, paths) in enumerate(commits):
            touched = False
            for path in paths:
                folder = _tracked(prefix, path)
                if folder is None:
                    continue
                touched = True
                data = blobs.read(commit, path)
                if data is None:
                    files.pop(path, None)
                else:
                    files[path] = _items(data, TRACKED[folder])
            history.updated = date
            if not touched:
                continue
            current: dict[str, dict[str, Any]] = {}
            for path in sorted(files):
                for ident, item in files[path].items():
                    current.setdefault(ident, item)
            boundary = shallow and number == 0
            for change in compare(state, current, date, commit):
                if change.action == "added":
                    first[change.ident] = None if boundary else date
                if change.action == "withdrawn":
                    first.pop(change.ident, None)
                    changed.pop(change.ident, None)
                else:
                    changed[change.ident] = date
                if not boundary:
                    history.changes.append(change)
            state = current
    finally:
        blobs.close()
    history.dates = {ident: Dates(first.get(ident), changed[ident]) for ident in sorted(state)}
    return history
