"""The MkDocs plugin (entry point `explainer`): an explainer's pages, navigation and settings from its content.

Add it to any MkDocs project:

    plugins:
      - search
      - explainer:
          content: content      # relative to the folder of mkdocs.yml

Everything it keeps between builds lives on the plugin instance, which MkDocs keeps across the
rebuilds of `mkdocs serve` (the plugin has `on_startup`): the parse and chart caches, the last
prepared content, and in the live preview the HTML of pages whose Markdown did not change.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, cast
from urllib.parse import urljoin

from jinja2.bccache import Bucket, BytecodeCache
from markupsafe import Markup
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.config_options import ExtraScriptValue
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from . import forked, search
from .build import (
    CSS,
    JS,
    MATERIAL_FIXES,
    OVERRIDES,
    Preparer,
    ThemeMismatch,
    set_build_date,
    site_nav,
    theme_extra,
    theme_fixes,
)
from .cache import FOLDER as CACHE_FOLDER
from .cache import Store
from .collector import settle, thaw
from .editions import edition
from .incremental import Incremental, Manifest
from .packed import Pages, pack, unpack, unpack_bytes
from .pages import own_files
from .render import Rendered
from .search import PART_SIZE, PREVIEW_PART_SIZE
from .stash import StashExtension, shift, skeleton
from .themefiles import list_visible

log = logging.getLogger("mkdocs.plugins.explainer")

MARKDOWN_EXTENSIONS = ("attr_list", "tables", "toc", "md_in_html")
"""What the generated Markdown needs: ids and classes on headings and blocks, tables, heading anchors, and
Markdown inside the HTML blocks that say so (`markdown`: the sources page's folded "cited by" lists)."""


class ExplainerConfig(base.Config):
    content = c.Type(str, default="content")
    """The explainer's content folder (site.yaml and a folder per content type), relative to mkdocs.yml's folder."""

    site_settings = c.Type(bool, default=True)
    """Take the site's name, description, URL and language from the content's site.yaml."""

    nav = c.Type(bool, default=True)
    """Set the navigation from the content (the explainer's sections, its own pages under About)."""

    today = c.Optional(c.Type(str))
    """The build date (YYYY-MM-DD) that review and end dates are compared with; default: the date today."""

    url = c.Optional(c.Type(str))
    """The address the site is published at, in place of the content's site.yaml `url` (set by `build --url`)."""

    history = c.Type(bool, default=True)
    """Date facts and answers, and list what changed, from the content folder's git history."""

    edition = c.Optional(c.Type(str))
    """Build this edition (one of site.yaml `editions`) instead of the site's own language; `explainer build`
    builds each edition into <site>/<language>/ this way."""

    search = c.Type(bool, default=True)
    """Material's search dialog answers from a Pagefind index built from the content (builder/search.py) instead
    of the theme's search plugin indexing every finished page; needs the theme's `search` plugin listed."""

    search_part = c.Type(int, default=PART_SIZE)
    """Records per part of the search index at most: each part is indexed by a Pagefind run of its own, one
    after another, and a rebuild indexes again only the parts whose records changed. Smaller parts bound
    Pagefind's memory (about 36 KB a record) but give the reader's first search more files to load."""

    preview_search_part = c.Type(int, default=PREVIEW_PART_SIZE)
    """Live preview: records per part of its search index at most (as `search_part`). A save indexes again only
    the part of the records it changed, after the page is served: smaller parts leave the machine to the next
    save's rebuild sooner, and their number costs nothing on the editor's own machine."""

    poll_interval = c.Type(float, default=0.1)
    """Live preview: how often, in seconds, the watched folders are checked for saved files."""


class ExplainerPlugin(BasePlugin[ExplainerConfig]):
    def __init__(self) -> None:
        self.preparer = Preparer()
        """The parse and chart caches and the last prepared content, kept across live-reload rebuilds."""
        self.serving = False
        self.page_cache: dict[str, tuple[Any, dict[str, Any]]] = {}
        """Preview only: page path -> (what it was converted from, the results of converting it)."""
        self.content_dir = Path("content")
        self._prepared = self.preparer.last
        self._rendered: Rendered | None = None
        """The pages this build makes: the site's own language, or the edition of the configuration."""
        self.indexer = search.Indexer()
        """Writes the search index, reusing the parts of the last one whose records did not change."""
        self.published: Path | None = None
        """For a build into a staging folder (builder/build.py): the site folder it will be swapped in for, whose
        search index parts the new index takes as they are (Indexer.borrowed)."""
        self.later: search.IndexerThread | None = None
        """The live preview writes the search index after the pages are served (builder/search.py)."""
        self.search_worker: str | None = None
        """The search worker Material's dialog talks to (builder/material/base.html), when the index is ours."""
        self.dirty = False
        """Whether MkDocs builds in its dirty mode: then only what changed since `previous` is built again."""
        self.previous: Manifest | None = None
        """What the site folder holds: the last complete build's manifest (builder/incremental.py)."""
        self.incremental: Incremental | None = None
        self.held: dict[str, bytes] = {}
        """Each read page's HTML, compressed, until its template is rendered (not in the live preview)."""
        self._nav: Navigation | None = None
        self._own: dict[str, Path] = {}
        """The explainer's own pages (content/pages/) as this build shows them: in an edition, translated."""
        self._untranslated_own: set[str] = set()
        """In an edition: the own pages it shows as written, in the site's language, for want of a translation."""
        self.templates = TemplateCache()
        """The theme's templates compiled, kept across rebuilds and in the builder's cache."""
        self._notice = ""
        self._original_language = ""
        self.stash = StashExtension()
        """Hands each generated page's marked raw HTML blocks to Python-Markdown whole (builder/stash.py)."""
        self.record_texts = search.ItemTexts()
        """The text of each item's search record, kept across the preview's rebuilds with the item it was made of."""
        self.settled = False
        """The live preview froze what its first build left alive out of the garbage collector's scans
        (builder/collector.py); it thaws it when it stops."""

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        self.serving = command == "serve"
        self.dirty = dirty
        self.indexer.live = self.serving  # the preview's index is read while a new one is written
        self.preparer.deferred = self.serving  # the preview writes the cache when it stops
        self.preparer.workers = 1 if self.serving else forked.workers()  # the preview draws a few pages a save
        self.later = search.IndexerThread(self.indexer, log) if self.serving else None

    def on_shutdown(self) -> None:
        """The preview stops: let an index being written finish before MkDocs removes the preview's folder, and
        write the cache."""
        if self.later is not None:
            self.later.wait(timeout=60)
        if self.serving:
            self.preparer.save()
        if self.settled:
            thaw()
            self.settled = False

    def resolve_content(self, config: MkDocsConfig) -> Path:
        """The content folder, relative to the folder of the configuration file."""
        folder = Path(self.config.content)
        if not folder.is_absolute() and config.config_file_path:
            folder = Path(config.config_file_path).resolve().parent / folder
        return folder

    @event_priority(100)  # before the search plugin reads the theme's language for its index
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if not config.use_directory_urls:
            raise PluginError("the explainer plugin needs use_directory_urls: true (its pages link to folders)")
        self.content_dir = self.resolve_content(config)
        today = None
        if self.config.today:
            try:
                today = dt.date.fromisoformat(self.config.today)
            except ValueError as exc:
                raise PluginError(f"explainer: today is '{self.config.today}', not a date like 2026-11-24") from exc
        for setting in ("search_part", "preview_search_part"):
            if self.config[setting] < 1:
                raise PluginError(f"explainer: {setting} is {self.config[setting]}; it must be 1 or more records")
        self.indexer.part_size = self.config.preview_search_part if self.serving else self.config.search_part
        if self.later is not None:  # the preview: the last save's search index waits for this rebuild
            self.later.pause()
        if self.preparer.store is None and config.config_file_path:
            self.preparer.store = Store(Path(config.config_file_path).resolve().parent / CACHE_FOLDER)
        prepared = self.preparer.prepare(self.content_dir, today, self.config.history, self.config.url)
        if prepared.rendered is None or prepared.checked.content is None:
            raise PluginError(f"{self.content_dir}: content has errors:\n" + prepared.report())
        self._prepared = prepared
        site = prepared.checked.content.site
        rendered = prepared.rendered
        if self.config.edition:
            if self.config.edition not in prepared.editions:
                raise PluginError(f"explainer: edition '{self.config.edition}' is not in site.yaml editions")
            rendered = prepared.editions[self.config.edition]
        self._rendered = rendered
        if self.config.site_settings:
            config.site_name = rendered.site_name or site.title
            config.site_description = rendered.site_description or site.description
            if site.url and (self.config.url or not config.site_url):
                config.site_url = site.url
            if self.config.edition and config.site_url:  # the edition's pages live under <language>/
                config.site_url = config.site_url.rstrip("/") + f"/{self.config.edition}/"
            config.theme["language"] = rendered.theme_language
            config.extra["explainer"] = {**rendered.theme_extra, **theme_extra(site)}
            if rendered.alternates:
                # Where the site's address is known, each language's own address of this page too (the head's
                # hreflang links must be absolute: base.html writes them only then).
                root = config.site_url.rstrip("/") + "/" if config.site_url else None
                config.extra["alternate"] = [
                    {**alt, "url": urljoin(root, alt["link"])} if root else alt for alt in rendered.alternates
                ]
        if config.theme.name == "material" and str(OVERRIDES) not in config.theme.dirs:
            # After the site's own custom_dir (if any), before Material's templates.
            position = 1 if config.theme.custom_dir else 0
            try:
                fixes = theme_fixes("mkdocs")
            except ThemeMismatch as exc:
                raise PluginError(str(exc)) from exc
            config.theme.dirs[position:position] = [str(OVERRIDES), *([str(fixes)] if fixes else [])]
        list_visible(config.theme)  # builder/themefiles.py
        self.search_worker = None
        theme_search = config.plugins.get("material/search")
        if self.config.search and config.theme.name == "material" and theme_search and theme_search.config.enabled:
            # The theme's plugin would index every finished page into one file loaded on every page.
            theme_search.config.enabled = False
            self.search_worker = search.WORKER
            if search.CSS not in config.extra_css:
                config.extra_css.append(search.CSS)
        for name in MARKDOWN_EXTENSIONS:
            if name not in config.markdown_extensions:
                config.markdown_extensions.append(name)
        extensions = cast("list[Any]", config.markdown_extensions)  # Python-Markdown takes instances too
        if self.stash not in extensions:
            extensions.append(self.stash)
        if CSS not in config.extra_css:
            config.extra_css.append(CSS)
        if JS not in [str(script) for script in config.extra_javascript]:
            # Deferred: it only listens for events, so it need not hold up the first paint (Lighthouse).
            script = ExtraScriptValue(JS)
            script.defer = True
            config.extra_javascript.append(script)
        self._own = own_files(self.content_dir, site.editions, self.config.edition)
        self._untranslated_own = set()
        if self.config.edition:
            originals = own_files(self.content_dir, site.editions)
            self._untranslated_own = {p for p, f in self._own.items() if p.endswith(".md") and f == originals[p]}
            self._notice = rendered.theme_extra["untranslated"]
            self._original_language = site.language
        if self.config.nav:
            config.nav = site_nav(rendered.nav, rendered.about, self._own)
        set_build_date(site.updated)
        if self.later is None:  # a build: Pagefind indexes while MkDocs builds the site; on_post_build waits
            self._search(config, functools.partial(self.indexer.start, published=self.published))
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        rendered = self._rendered
        assert rendered is not None
        docs = Path(config.docs_dir)
        for path in sorted(rendered.pages):
            if files.get_file_from_path(path) is not None:
                raise PluginError(
                    f"{docs.name}/{path} is a hand-written page where the builder generates one; rename or move it"
                )
            files.append(PackedFile.of(config, path, rendered.pages))
        for path in sorted(rendered.assets):
            files.append(PackedFile.of(config, path, rendered.assets))
        for path, image in sorted(rendered.images.items()):
            files.append(File.generated(config, path, content=image))
        for path, source in self._own.items():
            if files.get_file_from_path(path) is not None:
                raise PluginError(
                    f"{source} has the same path as a file in {docs.name}/ or a generated page; rename it"
                )
            files.append(File.generated(config, path, abs_src_path=str(source)))
        for asset in (CSS, JS):
            if files.get_file_from_path(asset) is None:
                files.append(File.generated(config, asset, abs_src_path=str(OVERRIDES / asset)))
        if self.search_worker is not None:
            for path in (search.WORKER, search.CSS):
                files.append(File.generated(config, path, abs_src_path=str(search.ASSETS / Path(path).name)))
        return files

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        """In dirty mode, decide which pages and files are built again (builder/incremental.py)."""
        self.incremental = None
        if self.dirty:
            self.incremental = Incremental(self.previous)
            added = (sorted(self._untranslated_own), self._notice, self._original_language)  # on_page_content's
            self.incremental.plan(config, files, nav, repr(added), keep={search.NEW})  # started in on_config
            self._nav = nav
        return nav

    def on_env(self, env: Any, config: MkDocsConfig, files: Files) -> Any:
        if self.incremental is not None:
            self.incremental.before_writing(config, files)
        store = self.preparer.store
        if store is not None and not self.templates.recalled:
            self.templates.recall(store.read(TemplateCache.PART) or {})
        env.bytecode_cache = self.templates  # MkDocs makes a new environment for every build: compiled once
        return env

    @event_priority(-100)  # after every other plugin's changes to the page's Markdown
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """A generated page as it was rendered: its marked raw HTML blocks go to Python-Markdown whole.

        MkDocs has taken the front matter off: the marks are shifted by its length. A page another plugin
        changed is converted as it is, all of it (the marks no longer fit it)."""
        self.stash.blocks = ()
        rendered = self._rendered
        src = page.file.src_uri
        spans = rendered.spans.get(src) if rendered is not None else None
        whole = rendered.pages.get(src, "") if rendered is not None else ""
        front = len(whole) - len(markdown)
        if not spans or not whole.endswith(markdown) or spans[0][0] < front:
            return markdown
        text, self.stash.blocks = skeleton(markdown, shift(spans, -front))
        return text

    @event_priority(-100)  # after every other plugin's changes to the page's HTML
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """An own page an edition shows untranslated: the notice, and its text marked with its language.

        Then each page's HTML is held compressed until its template is rendered: MkDocs reads every page
        before writing any, and would hold the HTML of all at once (the preview keeps it as it is)."""
        if page.file.src_uri in self._untranslated_own:
            original = self._original_language
            notice = Markup('<p class="untranslated-notice" data-search-exclude>{}</p>\n').format(self._notice)
            html = notice + Markup('<div lang="{}">\n').format(original) + Markup(html) + Markup("\n</div>")
        if self.serving:
            return html
        self.held[page.file.src_uri] = pack(html)
        page.title = page.title  # MkDocs reads a title from the Markdown or the HTML when it is not set: set it
        page.markdown = None  # converted: MkDocs would hold every page's Markdown until the last is written
        return ""

    def on_page_context(self, context: Any, page: Page, config: MkDocsConfig, nav: Navigation) -> Any:
        held = self.held.pop(page.file.src_uri, None)
        if held is not None:
            page.content = unpack(held)
        return context

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        if self.incremental is not None:  # the file may be a hard link into the published site
            Path(page.file.abs_dest_path).unlink(missing_ok=True)
        if not self.serving:  # the page is written: free its HTML (the preview keeps it for the next rebuild)
            page.content = None  # its title was set in on_page_content: other pages' navigation still shows it
            page.toc = []  # type: ignore[assignment]
        return output

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.incremental is not None and self._nav is not None:
            self.incremental.finish(self._nav)
            manifest = self.incremental.manifest
            if self.serving and manifest is not None:
                self.previous = manifest
                log.info(f"Rendered {manifest.rendered} of {manifest.pages} pages again")
        if self.preparer.store is not None and self.templates.changed:
            self.preparer.store.write(TemplateCache.PART, self.templates.remembered())
        if self.later is not None:  # the preview: after the reload
            self.later.resume()
            self._search(config, self.later.write)
            if not self.settled:
                settle(collecting=True)
                self.settled = True
        elif self.indexer.pending:
            self.preparer.save()  # while the index is made: the cache waited for nothing else
            try:
                self.indexer.finish()
            except search.SearchIndexFailed as exc:
                raise PluginError(str(exc)) from exc

    def on_build_error(self, *, error: Exception) -> None:
        """Stop the search index being made (its Pagefind process) and remove what it wrote; in the preview, let
        the last save's index go on."""
        self.indexer.cancel()
        if self.later is not None:
            self.later.resume()
        elif self.preparer.saved_by_caller:  # what was prepared is kept for the next build, as when it succeeds
            with contextlib.suppress(OSError):
                self.preparer.save()

    def _search(self, config: MkDocsConfig, write: Callable[[list[search.Record], str, Path], None]) -> None:
        """Hand this build's search records to `write` (Indexer.start, or the preview's IndexerThread.write)."""
        prepared = self._prepared
        rendered = self._rendered
        if self.search_worker is None or prepared is None or rendered is None:
            return
        assert prepared.checked.content is not None
        content = prepared.checked.content
        if self.config.edition:  # the edition's own index, of its text, in its language
            content = edition(content, self.config.edition).content
        found = search.records(content, rendered, self._own, self.preparer.prose, self.record_texts)
        try:
            write(found, content.site.language, Path(config.site_dir))
        except search.SearchIndexFailed as exc:  # Pagefind is not installed
            raise PluginError(str(exc)) from exc

    def on_pre_page(self, page: Page, config: MkDocsConfig, files: Files) -> Page:
        """In the live preview, convert a page's Markdown again only when it (or the set of files) changed."""
        if not self.serving:
            return page
        convert = page.render
        signature = hash(tuple(sorted(f.src_uri for f in files)))
        cache = self.page_cache

        def render(config: MkDocsConfig, files: Files) -> None:
            key = (page.markdown, tuple(self.stash.blocks), signature)
            cached = cache.get(page.file.src_uri)
            if cached is not None and cached[0] == key:
                for name, value in cached[1].items():
                    setattr(page, name, value)
                return
            convert(config, files)
            cache[page.file.src_uri] = (key, {n: getattr(page, n) for n in _RENDERED if hasattr(page, n)})

        page.render = render  # type: ignore[method-assign]
        return page

    def on_serve(self, server: LiveReloadServer, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        """Watch the content folder and the page templates; check for saved files often."""
        server.watch(str(self.content_dir))
        server.watch(str(Path(__file__).parent / "templates"))
        server.watch(str(OVERRIDES))
        server.watch(str(MATERIAL_FIXES))
        set_poll_interval(server, self.config.poll_interval)
        # MkDocs waits 0.1 s after a change for more before it rebuilds (a fifth of its 0.5 s poll). One poll
        # finds all of a save's changes at once: wait a fifth of this poll interval.
        server.build_delay = min(server.build_delay, self.config.poll_interval / 5)
        server.set_app(refuse_nul(server.get_app()))
        return server


class TemplateCache(BytecodeCache):
    """The theme's templates as Jinja compiles them, by template: MkDocs makes a new template environment for
    every build (every rebuild of the preview), which would compile each of the theme's templates again. Jinja
    checks each against its template's source and its own version before using it."""

    PART = "templates"
    """Its part of the builder's cache (builder/cache.py)."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}
        self.changed = False
        """Whether a template was compiled since the code was last exported."""
        self.recalled = False

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()
        self.changed = True

    def recall(self, stored: dict[str, bytes]) -> None:
        """Take the code an earlier run kept."""
        self.code = {**stored, **self.code}
        self.recalled = True

    def remembered(self) -> dict[str, bytes]:
        self.changed = False
        return dict(self.code)


class PackedFile(File):
    """A generated page or file whose text stays compressed (builder/packed.py) until MkDocs reads it, once."""

    packed: bytes
    front: str
    """Its front matter (what the incremental build's key reads of every page in the navigation)."""

    @classmethod
    def of(cls, config: MkDocsConfig, src: str, pages: Pages) -> PackedFile:
        file = cast(PackedFile, cls.generated(config, src, content=b""))
        file.packed, file.front = pages.packed(src), pages.front(src)
        return file

    @property
    def content_bytes(self) -> bytes:
        return unpack_bytes(self.packed)

    @content_bytes.setter
    def content_bytes(self, value: bytes) -> None:
        self.content_string = value.decode("utf-8")

    @property
    def content_string(self) -> str:
        return unpack(self.packed)

    @content_string.setter
    def content_string(self, value: str) -> None:
        self.packed, self.front = pack(value), ""

    def copy_file(self, dirty: bool = False) -> None:
        """A file that is not a page is written from its text (MkDocs writes what `_content` holds: nothing)."""
        self._content = self.content_bytes
        try:
            super().copy_file(dirty)
        finally:
            self._content = b""


def refuse_nul(app: Any) -> Any:
    """WSGI: a request path holding a NUL character gets 400, not a 500 and a traceback in the log."""

    def guarded(environ: dict[str, Any], start_response: Any) -> Any:
        if "\x00" in environ.get("PATH_INFO", ""):
            start_response("400 Bad Request", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"400 Bad Request: the address holds a NUL character\n"]
        return app(environ, start_response)

    return guarded


_RENDERED = ("content", "toc", "_title_from_render", "present_anchor_ids", "links_to_anchors")
"""What Page.render sets: reused as is when a page's Markdown did not change."""


def set_poll_interval(server: LiveReloadServer, seconds: float) -> None:
    """MkDocs' server polls every 0.5 s and has no setting for it: shorten the wait of its watchdog observer.

    This sets watchdog's private `_timeout` (observer and each emitter); tests/test_plugin.py fails
    if watchdog or MkDocs stop honouring it.
    """
    observer = server.observer
    if hasattr(observer, "_timeout"):
        observer._timeout = seconds
    for emitter in observer.emitters:
        if hasattr(emitter, "_timeout"):
            emitter._timeout = seconds
