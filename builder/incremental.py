"""Incremental builds: render again only the pages whose source changed since the last complete build.

A page's HTML depends on its own Markdown and on what every page shares: the configuration (navigation,
site settings, theme options, Markdown extensions), the set of files, the titles and front matter of the
pages in the navigation, the theme's templates, the build date and the code of the builder and its
libraries. The plugin digests the shared part into one key and each page's (and each generated file's)
bytes into its own digest, and keeps them in a Manifest. When the key equals the last complete build's,
MkDocs builds in its dirty mode into a folder that starts as that build's site (hard links, see
builder/write.py): only the pages and files whose digest changed are rendered and written again, and the
files every build rewrites (sitemap, 404 page, search index) are written anew. When the key differs, the
folder is emptied and everything is built. Pages that list other pages (topics, sources, statuses) are
generated Markdown, so an edit that changes a list changes that page's Markdown, and it is built again.

Files in a folder that starts as hard links of the published site are unlinked before they are written
again: writing into the shared file would change the published site before the swap.
"""

from __future__ import annotations

import hashlib
import sysconfig
from collections.abc import Callable, Container
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cache import builder_version, library_versions
from .write import clear

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.nav import Navigation

LIBRARIES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2")
"""The libraries whose version is part of every page's key (their templates and Markdown extensions)."""
UNKEYED_CONFIG = ("plugins", "site_dir")
"""Configuration entries left out of the key: the plugins' instances (their settings are keyed one by one)
and the output folder (a staging folder)."""


@dataclass
class Manifest:
    """What the last complete build was made from: the shared key, each file's digest, and the title and front
    matter of each page in the navigation (an unchanged page is not read again, and other pages' navigation
    shows its title)."""

    key: str
    digests: dict[str, str] = field(default_factory=dict)
    shown: dict[str, tuple[str | None, dict[str, Any]]] = field(default_factory=dict)
    rendered: int = 0
    """How many pages the build that made it rendered (the others were kept from the build before)."""
    pages: int = 0


def _folder_digest(folder: Path, digest: Any) -> None:
    for file in sorted(folder.rglob("*")) if folder.is_dir() else ():
        if file.is_file():
            digest.update(file.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(file.read_bytes()).digest())


def digest_of(file: File) -> str:
    """A digest of a file's bytes: generated content, or the file it is copied from. A page held compressed
    (the plugin's PackedFile) is digested as it is held: the same text always gives the same bytes."""
    packed = getattr(file, "packed", None)
    return hashlib.sha256(packed if isinstance(packed, bytes) else file.content_bytes).hexdigest()


def shared_key(config: MkDocsConfig, files: Files, nav: Navigation, digests: dict[str, str], extra: str = "") -> str:
    """What every page depends on, as one digest; `extra`: what a plugin adds to pages beyond their Markdown."""
    from mkdocs.utils import get_build_date
    from mkdocs.utils.meta import get_data

    digest = hashlib.sha256()
    digest.update(f"{builder_version()}\0{library_versions(LIBRARIES)}\0{get_build_date()}\0{extra}\0".encode())
    for name, value in sorted(config.items()):
        if name == "theme":
            value = (value.name, value.dirs, sorted(value.static_templates), sorted(value.items()))
        if name not in UNKEYED_CONFIG:
            digest.update(f"{name}={value!r}\0".encode())
    for name, plugin in config.plugins.items():
        digest.update(f"plugin {name}={sorted(plugin.config.items())!r}\0".encode())
    libraries = Path(sysconfig.get_paths()["purelib"]).resolve()
    for folder in config.theme.dirs:  # the installed themes' templates are keyed by their versions
        if not Path(folder).resolve().is_relative_to(libraries):
            _folder_digest(Path(folder), digest)
    for file in sorted(files, key=lambda f: f.src_uri):
        digest.update(f"file {file.src_uri}>{file.dest_uri}:{file.inclusion.name}\0".encode())
    for page in nav.pages:  # every page's navigation shows each page's title and front matter (icons, status)
        front = getattr(page.file, "front", None)  # a page held compressed: its front matter, read without the rest
        _, meta = get_data(front if isinstance(front, str) and front else page.file.content_string)
        digest.update(f"nav {page.file.src_uri}={sorted(meta.items())!r}\0".encode())
        if page.title is None and "title" not in meta:  # titled by its heading: its whole source decides
            digest.update(f"untitled {page.file.src_uri}={digests.get(page.file.src_uri)}\0".encode())
    return digest.hexdigest()


class Incremental:
    """One MkDocs build's decisions: which files are built again, what the next build compares with."""

    def __init__(self, previous: Manifest | None) -> None:
        self.previous = previous
        self.manifest: Manifest | None = None
        self.rebuilt: list[str] = []
        """The pages rendered again in this build (their source paths)."""
        self.whole = True
        """Whether this build renders everything (no usable last build, or the shared key changed)."""

    def plan(
        self, config: MkDocsConfig, files: Files, nav: Navigation, extra: str = "", keep: Container[str] = ()
    ) -> None:
        """Decide, before MkDocs reads the pages, which files are built again; empty the folder when all are, but
        for the entries named in `keep` (the search index being written)."""
        digests = {f.src_uri: digest_of(f) for f in files if f.is_documentation_page() or f.generated_by}
        key = shared_key(config, files, nav, digests, extra)
        previous = self.previous
        self.whole = previous is None or previous.key != key
        site = Path(config.site_dir)
        if self.whole and site.is_dir():  # what the last build put there (not the builder's stamp)
            clear(site, keep)
        for file in files:
            if file.src_uri not in digests:
                continue
            changed = self.whole or previous is None or previous.digests.get(file.src_uri) != digests[file.src_uri]
            modified = changed or not (site / file.dest_uri).is_file()
            file.is_modified = _answer(modified)  # type: ignore[method-assign]  # what MkDocs' dirty mode asks
            if modified and file.is_documentation_page():
                self.rebuilt.append(file.src_uri)
        if previous is not None and not self.whole:
            for page in nav.pages:  # an unchanged page is not read: its title and front matter from the last build
                if not page.file.is_modified() and page.file.src_uri in previous.shown:
                    title, meta = previous.shown[page.file.src_uri]
                    if page.title is None:
                        page.title = title
                    page.meta = meta
        pages = sum(1 for f in files if f.is_documentation_page())
        self.manifest = Manifest(key, digests, rendered=len(self.rebuilt), pages=pages)

    def before_writing(self, config: MkDocsConfig, files: Files) -> None:
        """Unlink the files about to be written again (MkDocs writes into an existing file in place)."""
        site = Path(config.site_dir)
        for file in files:
            if not file.is_documentation_page() and file.is_modified():
                (site / file.dest_uri).unlink(missing_ok=True)
        for template in [*config.theme.static_templates, *config.extra_templates]:
            target = site / template
            for path in (target, target.with_name(target.name + ".gz")):
                path.unlink(missing_ok=True)

    def finish(self, nav: Navigation) -> None:
        """Record each navigation page's title and front matter for the next build."""
        assert self.manifest is not None
        for page in nav.pages:
            self.manifest.shown[page.file.src_uri] = (page.title, dict(page.meta))


def _answer(value: bool) -> Callable[[], bool]:
    return lambda: value
