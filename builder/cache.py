"""The builder's cache between runs: parsed files and converted editor Markdown, keyed by content.

It lives in a folder of its own (by default `.cache/explainer/` beside the site folder). Each part is one
file, written atomically (a temporary file renamed over it), stamped with a digest of the builder's own
code and of the libraries whose output it holds: a cache written by any other version is ignored, never
trusted. Entries are keyed by what they were made from (a file's bytes, a text), so a stale entry cannot be
used by mistake; each run writes back only the entries it used, so the cache does not grow without bound.
The folder is the builder's, like the site it sits beside: nothing in it is read from the content.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sys
import tempfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Generic, TypeVar

FOLDER = Path(".cache") / "explainer"
"""Where the cache lives, relative to the folder that holds the site folder."""
LIBRARIES = ("markdown", "nh3", "pyyaml", "pydantic")


def library_versions(names: tuple[str, ...]) -> str:
    """'name=version;...' of installed libraries ('name=none' for one that is not installed)."""
    found = []
    for name in names:
        try:
            found.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            found.append(f"{name}=none")
    return ";".join(found)


@functools.cache
def builder_version() -> str:
    """A digest of the builder's code, templates and message catalogues, the Python version and the libraries'
    versions."""
    digest = hashlib.sha256(sys.version.encode() + b"\0" + library_versions(LIBRARIES).encode())
    package = Path(__file__).parent
    i18n = [*(package / "i18n").glob("*.py"), *(package / "i18n").glob("*/LC_MESSAGES/*.po")]
    for file in sorted([*package.glob("*.py"), *(package / "templates").glob("*"), *i18n]):
        digest.update(file.relative_to(package).as_posix().encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


SHARDS = 16
"""The files a sharded part of the store is written as."""


def shard_of(key: Any) -> int:
    """The shard of an entry: a checksum of its key's repr (keys are strings, bytes and tuples of them)."""
    return zlib.crc32(repr(key).encode()) % SHARDS


class Store:
    """One cache folder: named parts, each read and written whole or as shards (`write_sharded`)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._present: dict[str, set[int]] = {}
        """For each sharded part: the shards read back whole (the others are written at the next write)."""

    def read(self, name: str) -> Any | None:
        """The part's payload, or None when it is missing, unreadable or from another builder version."""
        try:
            with (self.folder / f"{name}.pickle").open("rb") as stream:
                stamp, payload = pickle.load(stream)
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, ImportError):
            return None
        return payload if stamp == builder_version() else None

    def write(self, name: str, payload: Any) -> None:
        """Replace the part atomically; a cache that cannot be written is only a slower next build."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=self.folder)
            try:
                with os.fdopen(fd, "wb") as stream:
                    pickle.dump((builder_version(), payload), stream, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, self.folder / f"{name}.pickle")
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError:
            return

    def read_sharded(self, name: str) -> dict[Any, Any]:
        """A part written by write_sharded: its shards' entries together (a shard that cannot be used is left
        out, and written again next time)."""
        entries: dict[Any, Any] = {}
        present: set[int] = set()
        for shard in range(SHARDS):
            found = self.read(f"{name}-{shard:02d}")
            if isinstance(found, dict):
                entries.update(found)
                present.add(shard)
        self._present[name] = present
        return entries

    def write_sharded(self, name: str, entries: dict[Any, Any], touched: set[Any]) -> None:
        """Write a part as SHARDS files, each the entries whose key's checksum falls in it; only the shards that
        hold a `touched` key (an entry made, changed or dropped since the part was read) and those not read
        back whole are written again. A large site's part is tens of megabytes, and an edit touches a few
        entries."""
        shards: list[dict[Any, Any]] = [{} for _ in range(SHARDS)]
        for key, value in entries.items():
            shards[shard_of(key)][key] = value
        stale = {shard_of(key) for key in touched} | (set(range(SHARDS)) - self._present.get(name, set()))
        for shard in sorted(stale):
            self.write(f"{name}-{shard:02d}", shards[shard])
        self._present[name] = set(range(SHARDS))


class Dumps:
    """A digest of each item's JSON (pydantic's model_dump_json) and kind, made once per item object: the page
    memo's digests and the downloads' both read it. The live preview's unchanged files give the same item objects
    at every rebuild (builder/load.py's Document keeps them, and the models are frozen), so it is not made again
    there. Held by the Preparer; each preparation keeps the items it read (`begin`).

    The digest, not the JSON: the memo hashed every item's JSON into the digest of each page that shows it, and
    held the JSON of every item (about 75 MB at 50,000 facts)."""

    def __init__(self) -> None:
        self._now: dict[int, tuple[Any, bytes]] = {}
        """id(item) -> (the item, held so that its id is not reused, its digest)."""
        self._last: dict[int, tuple[Any, bytes]] = {}

    def begin(self) -> None:
        self._last, self._now = self._now, {}

    def digest(self, item: Any) -> bytes:
        key = id(item)
        found = self._now.get(key)
        if found is None:
            kept = self._last.get(key)
            if kept is None or kept[0] is not item:
                dump = f"{type(item).__name__}\0{item.model_dump_json()}".encode()
                kept = (item, hashlib.sha256(dump).digest())
            found = self._now[key] = kept
        return found[1]


K = TypeVar("K")
V = TypeVar("V")


@dataclass
class Generations(Generic[K, V]):
    """Values one preparation made or used, by a key that says what each was made from, kept for the next.

    Held by the Preparer across rebuilds and stored in the store between runs. Each preparation starts a
    generation (`begin`): the values it makes (`keep`) or uses again (`get`) are kept for the next; those the
    last one kept and this one did not use are dropped when it completes (`finish`), so the store holds one
    preparation's values and does not grow."""

    _last: dict[K, V] = field(default_factory=dict)
    _now: dict[K, V] = field(default_factory=dict)
    touched: set[K] = field(default_factory=set)
    """The keys whose values were kept or dropped since the last export (`remembered`, `export`)."""
    reused: int = 0
    """How many of the last preparation's values the current one used again."""

    def begin(self) -> None:
        """A new preparation: what the last one kept (or this one, if it stopped on errors) may be used."""
        self._last = {**self._last, **self._now}
        self._now = {}
        self.reused = 0

    def get(self, key: K, fits: Callable[[V], bool] | None = None) -> V | None:
        """The value kept under this key (then kept for the next preparation too), or None; with `fits`, only a
        value it accepts."""
        value = self._now.get(key)
        if value is None:
            value = self._last.get(key)
            if value is None or (fits is not None and not fits(value)):
                return None
            self._now[key] = value
            self.reused += 1
        elif fits is not None and not fits(value):
            return None
        return value

    def __contains__(self, key: K) -> bool:
        """Whether a value is kept under this key (nothing changes: see `get`)."""
        return key in self._now or key in self._last

    @property
    def changed(self) -> bool:
        """Whether the values kept differ from those last exported."""
        return bool(self.touched)

    def keep(self, key: K, value: V) -> None:
        self._now[key] = value
        self.touched.add(key)

    def finish(self) -> None:
        """The preparation is complete: values the last one kept and this one did not use are dropped."""
        self.touched |= set(self._last) - set(self._now)
        self._last = {}

    def remembered(self) -> dict[K, V]:
        """The values kept, for the store."""
        return self.export()[0]

    def export(self) -> tuple[dict[K, V], set[K]]:
        """The values kept and the keys touched since the last export, for Store.write_sharded."""
        touched, self.touched = self.touched, set()
        return dict(self._now), touched

    def recall(self, stored: dict[K, V]) -> None:
        """Take the values an earlier run kept."""
        self._last = dict(stored)
