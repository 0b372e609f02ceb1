"""An explainer's own, hand-written pages (content/pages/), and their translations into its editions."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

PAGES = "pages"
"""The folder of an explainer's hand-written pages, inside its content folder."""


def own_files(content_dir: Path, editions: Collection[str] = (), edition: str | None = None) -> dict[str, Path]:
    """An explainer's hand-written pages (and their images): path in the site's docs -> file in content/pages/.

    A page's translation into an edition sits beside it as NAME.<edition>.md and is never a page of its own:
    in that edition (`edition`) it takes the original's place. `editions`: the site's editions."""
    folder = content_dir / PAGES
    if not folder.is_dir():
        return {}
    found = {
        file.relative_to(folder).as_posix(): file
        for file in sorted(folder.rglob("*"))
        if file.is_file() and not any(part.startswith(".") for part in file.relative_to(folder).parts)
    }
    own = {path: file for path, file in found.items() if translated_from(path, editions) is None}
    if edition is not None:
        for path in own:
            translation = path.removesuffix(".md") + f".{edition}.md"
            if path.endswith(".md") and translation in found:
                own[path] = found[translation]
    return own


def translated_from(path: str, editions: Collection[str]) -> str | None:
    """The page a file translates (editing.zh-Hans.md -> editing.md), or None for a page of its own."""
    stem, dot, language = path.removesuffix(".md").rpartition(".")
    return f"{stem}.md" if path.endswith(".md") and dot and language in editions else None


def orphan_translations(content_dir: Path, editions: Collection[str]) -> list[tuple[Path, str]]:
    """Translations of pages that do not exist (editing.zh-Hans.md without editing.md), with the page named."""
    folder = content_dir / PAGES
    if not folder.is_dir():
        return []
    orphans = []
    for file in sorted(folder.rglob("*.md")):
        original = translated_from(file.relative_to(folder).as_posix(), editions)
        if original is not None and not (folder / original).is_file():
            orphans.append((file, original))
    return orphans
