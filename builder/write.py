"""Put a finished build in place of the old one, and never touch a folder the builder did not make.

Every site folder the builder writes carries a stamp file. A build refuses an output folder that is,
holds or lies inside the content, the hand-written pages, the repository or its .git folder, and any
non-empty folder without the stamp. Builds of one site take a lock; the finished build is swapped in
with one atomic exchange of names (renameat2 on Linux, renamex_np on macOS), so a reader or server
sees the old site or the new one, never neither; a staging folder left by a killed build is removed
by the next one (it carries the stamp, and the stamp is the last thing removed).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import fcntl
import os
import shutil
import sys
from collections.abc import Callable, Container, Iterable
from pathlib import Path
from types import TracebackType
from typing import IO

STAMP = ".explainer-site"
STAMP_TEXT = "Written by the sourced-explainer builder, which replaces this folder whole on every build.\n"


class SiteDirRefused(Exception):
    """The output folder is one the builder must not write into; the message says why."""


def refusal(site_dir: Path, protected: dict[str, Path]) -> str | None:
    """Why the builder must not write `site_dir`, or None. `protected`: name -> folder never to touch."""
    site = site_dir.resolve()
    if site.exists() and not site.is_dir():
        return "is a file, not a folder"
    guarded = {name: folder.resolve() for name, folder in protected.items()}
    repository = _repository(Path.cwd().resolve())
    if repository is not None:
        guarded["the repository"] = repository
        guarded["the repository's .git folder"] = repository / ".git"
    for name, folder in guarded.items():
        if site == folder:
            return f"is {name} ({folder})"
        if folder.is_relative_to(site):
            return f"holds {name} ({folder})"
        if site.is_relative_to(folder) and name != "the repository":
            return f"is inside {name} ({folder})"
    if site.name == ".git" or ".git" in site.parts:
        return "is inside a .git folder"
    if site.is_dir() and any(site.iterdir()) and not (site / STAMP).is_file():
        return (
            f"is a folder the builder did not create (it has files and no {STAMP} stamp); choose an empty or new folder"
        )
    return None


def _repository(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None


class SiteWriter:
    """The lock, the staging folder and the swap for one site folder.

    with SiteWriter(site_dir) as staging: build into `staging`, then call publish(); leaving the block
    without publishing (an error, an exception) discards the staging folder and keeps the old site.
    With `seed`, the staging folder starts as hard links of the site folder's files (an incremental build
    then writes only what changed, unlinking a file before writing it again), but for the folders `unseeded`
    accepts (the search index, whose unchanged parts are moved over by publish()).
    """

    def __init__(self, site_dir: Path, seed: bool = False, unseeded: Callable[[Path], bool] | None = None) -> None:
        self.site_dir = site_dir
        self.seed = seed
        self.unseeded = unseeded
        self.staging = site_dir.parent / f".{site_dir.name}.building"
        self.lock_path = site_dir.parent / f".{site_dir.name}.lock"
        self._lock: IO[str] | None = None

    def __enter__(self) -> Path:
        self.site_dir.parent.mkdir(parents=True, exist_ok=True)
        self._lock = open(self.lock_path, "a", encoding="utf-8")  # held until __exit__
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"Another build of {self.site_dir}/ is running; waiting for it to finish.", file=sys.stderr)
            fcntl.flock(self._lock, fcntl.LOCK_EX)
        if self.staging.exists() or self.staging.is_symlink():
            if not (self.staging / STAMP).is_file():
                self._unlock()
                raise SiteDirRefused(f"{self.staging} exists and was not made by the builder; move it away")
            remove_tree(self.staging)  # left by a build that was killed
        if self.seed and (self.site_dir / STAMP).is_file():
            try:
                shutil.copytree(
                    self.site_dir, self.staging, symlinks=True, copy_function=os.link, ignore=self._unseeded
                )
            except OSError:  # no hard links here: the build starts from an empty folder and builds everything
                if self.staging.exists():
                    remove_tree(self.staging)
        if not self.staging.exists():
            self.staging.mkdir()
        (self.staging / STAMP).write_text(STAMP_TEXT, encoding="utf-8")  # not a link: the old site's stays
        return self.staging

    def publish(self, moves: Iterable[tuple[Path, Path]] = ()) -> None:
        """Swap the finished staging folder in for the site folder, atomically where the system allows.

        `moves`: folders of the site folder that the new site takes as they are, each (where it is, where it goes
        in the staging folder): moved just before the swap, and moved back if the swap cannot be made."""
        (self.staging / STAMP).write_text(STAMP_TEXT, encoding="utf-8")
        moved: list[tuple[Path, Path]] = []
        try:
            for source, target in moves:
                source.rename(target)
                moved.append((source, target))
            if not self.site_dir.exists():
                self.staging.rename(self.site_dir)
                return
            swapped = exchange(self.staging, self.site_dir)
        except OSError:
            for source, target in reversed(moved):
                target.rename(source)
            raise
        if not swapped:
            # No atomic exchange on this file system: two renames, with the old site kept until the second.
            old = self.site_dir.parent / f".{self.site_dir.name}.old"
            if old.exists():
                remove_tree(old)
            self.site_dir.rename(old)
            self.staging.rename(self.site_dir)
            remove_tree(old)
            return
        remove_tree(self.staging)  # now the previous site

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        try:
            if self.staging.exists() and (self.staging / STAMP).is_file():
                remove_tree(self.staging)
        finally:
            self._unlock()

    def _unseeded(self, folder: str, names: list[str]) -> list[str]:
        """What the seed leaves out: the stamp (the new build writes its own), and the folders `unseeded` takes."""
        unseeded = self.unseeded
        return [n for n in names if n == STAMP or (unseeded is not None and unseeded(Path(folder) / n))]

    def _unlock(self) -> None:
        if self._lock is not None:
            fcntl.flock(self._lock, fcntl.LOCK_UN)
            self._lock.close()
            self._lock = None


def _remove_entry(entry: Path) -> None:
    """Remove one file or folder from a folder the builder made."""
    if entry.is_dir() and not entry.is_symlink():
        shutil.rmtree(entry)
    else:
        entry.unlink()


def clear(folder: Path, keep: Container[str] = ()) -> None:
    """Remove everything but the stamp, and the entries named in `keep`, from a folder the builder made."""
    for entry in folder.iterdir():
        if entry.name != STAMP and entry.name not in keep:
            _remove_entry(entry)


def remove_tree(folder: Path) -> None:
    """Remove a folder the builder made, its stamp last, so that an interrupted removal can be finished later."""
    clear(folder)
    (folder / STAMP).unlink(missing_ok=True)
    folder.rmdir()


_RENAME_EXCHANGE = 2  # linux/fs.h
_RENAME_SWAP = 2  # macOS stdio.h, for renamex_np
_AT_FDCWD = -100


def exchange(a: Path, b: Path) -> bool:
    """Swap two folders' names in one step; False where the system or file system cannot."""
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    if sys.platform.startswith("linux") and hasattr(libc, "renameat2"):
        result = libc.renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    elif sys.platform == "darwin" and hasattr(libc, "renamex_np"):
        result = libc.renamex_np(os.fsencode(a), os.fsencode(b), _RENAME_SWAP)
    else:
        return False
    if result == 0:
        return True
    errno = ctypes.get_errno()
    if errno in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: not supported here
        return False
    raise OSError(errno, os.strerror(errno), str(a))
