"""The pipeline: load -> validate -> stop on errors -> render -> an engine into a staging folder -> swap.

`build` and `serve` are thin wrappers over MkDocs' own commands with the explainer plugin
(builder/plugin.py); `generate` (builder/generate.py) writes the same pages as a plain MkDocs project
that other engines (Zensical) build. No state lives in this module: what is kept between rebuilds
lives on a Preparer, which the plugin owns.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import ipaddress
import logging
import os
import posixpath
import re
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from babel import Locale

from . import forked
from .cache import FOLDER as CACHE_FOLDER
from .cache import Dumps, Store
from .charts import ChartCache
from .collector import settle, sparing, thaw
from .editions import edition
from .history import HistoryCache, head_commit, load_history
from .i18n import parse
from .i18n.messages import Messages
from .load import ParseCache
from .markup import Prose
from .memo import PageMemo
from .ogimage import ImageCache
from .opendata import DownloadParts
from .problems import Problem, format_problems, has_errors
from .render import Rendered, render
from .settings import DEFAULT_PORT
from .validate import Checked, check, preread
from .write import STAMP, SiteDirRefused, SiteWriter, refusal

if TYPE_CHECKING:
    from .incremental import Manifest

TEMPLATES_DIR = Path(__file__).parent / "templates"
OVERRIDES = Path(__file__).parent / "overrides"
"""Theme overrides any engine can use (OpenGraph metadata in main.html) and the site's CSS."""
ZENSICAL_FIXES = Path(__file__).parent / "zensical"
"""Copies of Zensical's templates with every value from the content escaped; used in projects built by Zensical."""
MATERIAL_FIXES = Path(__file__).parent / "material"
"""Copies of Material for MkDocs templates, changed only to fix the theme's HTML and accessibility faults and
to escape every value from the content.

Tied to the installed Material's version (theme_fixes; tests/test_theme.py), so used with MkDocs only (the
plugin, and generate for MkDocs): Zensical's templates differ, and these copies would replace them."""
CSS = "assets/explainer.css"
"""The site's style sheet, under OVERRIDES and at this path in the built site."""
JS = "assets/citations.js"
"""The script of citation tooltips and copy buttons, under OVERRIDES and at this path in the built site."""
PLUGIN = "explainer"


class ThemeMismatch(Exception):
    """The fixed template copies were made from another version of the engine's theme than the installed one."""


def theme_fixes(engine: str) -> Path | None:
    """The folder of the engine's templates fixed for this builder (every content value escaped), checked
    against the installed theme's version: builder/material/ for MkDocs, builder/zensical/ for Zensical.

    None when Zensical is not installed. Raises ThemeMismatch rather than building without the copies:
    without them titles and the site name would reach the page unescaped."""
    if engine == "zensical":
        from importlib.metadata import PackageNotFoundError, version

        try:
            installed = version("zensical")
        except PackageNotFoundError:
            return None
        folder, pattern = ZENSICAL_FIXES, r"Copied from Zensical (\S+),"
    else:
        import material

        installed = material.__version__
        folder, pattern = MATERIAL_FIXES, r"Copied from Material for MkDocs (\S+),"
    copied = re.search(pattern, (folder / "base.html").read_text("utf-8"))
    if copied is None or copied.group(1) != installed:
        raise ThemeMismatch(
            f"{folder} holds templates of another {engine} theme version than the installed {installed}; "
            "run `python -m tests.test_theme` to copy them again"
        )
    return folder


@dataclass
class Prepared:
    checked: Checked
    rendered: Rendered | None
    editions: dict[str, Rendered] = field(default_factory=dict)
    """Each edition's pages (site.yaml `editions`), built under the site's folder at <language>/."""

    def report(self, fmt: str = "text") -> str:
        return format_problems(self.checked.problems, self.checked.files, fmt)


def prepare(
    content_dir: Path,
    parsed: ParseCache | None = None,
    charts: ChartCache | None = None,
    today: dt.date | None = None,
    histories: HistoryCache | None = None,
    history: bool = True,
    prose: Prose | None = None,
    url: str | None = None,
    images: ImageCache | None = None,
    memo: PageMemo | None = None,
    download_parts: DownloadParts | None = None,
    dumps: Dumps | None = None,
    settling: bool = False,
    workers: int = 1,
) -> Prepared:
    """Read and validate everything; render only when nothing is wrong.

    `today` is the build date (default: today); with `history`, facts and answers are dated from the
    content's git history (builder/history.py), read only once the content is valid. `memo`: pages kept from
    the last preparation (builder/memo.py); `download_parts`: the items' parts of the downloads kept from it
    (builder/opendata.py); `dumps`: the items' JSON made before (builder/cache.py); `settling`: a build, whose
    process ends with it (builder/collector.py); `workers`: the processes the files are parsed in
    (validate.preread) and the pages drawn in (render).
    """
    prose = prose or Prose()
    dumps = dumps or Dumps()
    with sparing(settling):  # builder/collector.py
        if parsed is not None:
            preread(content_dir, parsed, prose, workers)
        checked = check(content_dir, cache=parsed, prose=prose)
    if checked.content is None or has_errors(checked.problems):
        return Prepared(checked, None)
    if url:  # the address the site is published at, given on the command line (CI): it replaces site.yaml's
        content = checked.content
        checked.content = content.model_copy(update={"site": content.site.model_copy(update={"url": url})})
    past = load_history(content_dir, histories) if history else None
    content = checked.content
    site = content.site
    switch = language_switch(site.language, site.editions)
    messages = Messages.of(site.language, content_dir)
    rendered = render(
        content,
        charts,
        past,
        today,
        prose,
        messages,
        images=images,
        memo=memo,
        download_parts=download_parts,
        dumps=dumps,
        workers=workers,
    )
    rendered.alternates = switch[site.language]
    editions: dict[str, Rendered] = {}
    for language in site.editions:
        shown = edition(content, language)
        editions[language] = render(
            shown.content,
            charts,
            past,
            today,
            prose,
            Messages.of(language, content_dir),
            images=images,
            memo=memo,
            download_parts=download_parts,
            dumps=dumps,
            workers=workers,
            original=site.language,
            untranslated=frozenset(shown.untranslated),
        )
        editions[language].alternates = switch[language]
    return Prepared(checked, rendered, editions)


def language_switch(language: str, editions: list[str]) -> dict[str, list[dict[str, str]]]:
    """For the site's language and each edition: the language switch's entries (Material's extra.alternate),
    each a language's name in that language and the path, from the site's root, its pages are under."""
    if not editions:
        return {language: []}
    languages = [language, *editions]

    def name(tag: str) -> str:
        """The language (and script, not region) in itself: English, français, 中文 (简体)."""
        locale = parse(tag)
        if locale is None:
            return tag
        return str(Locale(locale.language, script=locale.script).get_display_name(locale) or tag)

    def prefix(tag: str) -> str:
        return "" if tag == language else f"{tag}/"

    return {
        here: [
            {
                "name": name(tag),
                "lang": tag,
                "link": "" if tag == here else posixpath.relpath(prefix(tag) or ".", prefix(here) or ".") + "/",
            }
            for tag in languages
        ]
        for here in languages
    }


def fingerprint(*folders: Path) -> bytes:
    """A digest of every file's path and bytes under the folders: equal digests, equal input."""
    digest = hashlib.sha256()
    for folder in folders:
        for file in sorted(folder.rglob("*")) if folder.is_dir() else ():
            if file.is_file():
                digest.update(file.relative_to(folder).as_posix().encode() + b"\0")
                digest.update(hashlib.sha256(file.read_bytes()).digest())
    return digest.digest()


class Preparer:
    """Prepares a content folder again and again (the live preview), re-doing only what its changes need.

    Files whose bytes did not change are not parsed again, charts whose dataset did not change are not
    drawn again, and when nothing under the content folder or the templates changed, the last result is
    returned as it is.
    """

    def __init__(self, store: Store | None = None) -> None:
        self.store = store
        """The cache between runs (parsed files, converted Markdown), read before the first preparation."""
        self.parsed = ParseCache()
        self.charts = ChartCache()
        self.histories = HistoryCache()
        self.prose = Prose()
        """Each editor text's conversion and audit, kept across rebuilds."""
        self.images = ImageCache()
        self.memo = PageMemo()
        """Generated pages whose inputs are known, kept from the last preparation (a page whose inputs did not
        change is not rendered again)."""
        self.download_parts = DownloadParts()
        """Each item's part of the downloads, kept from the last preparation (an item that did not change is not
        written again)."""
        self.dumps = Dumps()
        """Each item's digest, kept across the preview's rebuilds for the items of unchanged files."""
        self.settling = False
        """A build: what each step makes that lives on is frozen out of the garbage collector's scans (builder/
        collector.py), which suits a process that prepares once."""
        self.workers = 1
        """The processes a render draws its pages in (builder/forked.py): a build's, one per spare core."""
        self.deferred = False
        """Whether the cache is written only after the first preparation and when `save` is called (the live
        preview, when it stops), not after every preparation: a rebuild changes a few entries of parts that take
        a large site a fifth of a second to write, and the cache is only ever a head start."""
        self.saved_by_caller = False
        """A build: the cache is written when it calls `save` (while it waits for the search index, and at its end),
        not after preparing, when the pages wait for it (1.2 s at 50,000 facts)."""
        self.last: Prepared | None = None
        self._key: tuple[Path, bytes, dt.date, str | None, str | None] | None = None

    def prepare(
        self, content_dir: Path, today: dt.date | None = None, history: bool = True, url: str | None = None
    ) -> Prepared:
        day = today or dt.date.today()
        head = head_commit(content_dir) if history else None
        key = (content_dir.resolve(), fingerprint(content_dir, TEMPLATES_DIR), day, head, url)
        if self.last is not None and key == self._key:
            return self.last
        first = self._key is None
        if self.store is not None and first:
            with sparing(self.settling):
                self.parsed.recall(self.store.read_sharded("parsed"))
                self.prose.recall(self.store.read("prose") or {})
                self.memo.recall(self.store.read_sharded("pages"))
                self.download_parts.recall(self.store.read_sharded("downloads"))
        self.memo.begin()
        self.download_parts.begin()
        self.dumps.begin()
        self.last = prepare(
            content_dir,
            self.parsed,
            self.charts,
            day,
            self.histories,
            history,
            self.prose,
            url,
            self.images,
            self.memo,
            self.download_parts,
            self.dumps,
            self.settling,
            self.workers,
        )
        self._key = key
        if self.last.rendered is not None:  # a build that stops writes nothing, and keeps the pages it had
            self.memo.finish()
            self.download_parts.finish()
            if (first or not self.deferred) and not self.saved_by_caller:
                self.save()
        return self.last

    def save(self) -> None:
        """Write what changed in the caches to the store (after preparing; again after the search index's
        conversions)."""
        if self.store is None:
            return
        with sparing(self.settling):
            if self.parsed.changed:
                self.store.write_sharded("parsed", *self.parsed.export())
            if self.prose.changed:
                self.store.write("prose", self.prose.remembered())
            if self.memo.changed:
                self.store.write_sharded("pages", *self.memo.export())
            if self.download_parts.changed:
                self.store.write_sharded("downloads", *self.download_parts.export())


def site_nav(nav: list[Any], about_label: str, files: dict[str, Path]) -> list[Any]:
    """The generated navigation with the explainer's own pages added under About."""
    result = [dict(entry) for entry in nav]
    pages = [path for path in files if path.endswith(".md")]
    about = next((entry for entry in result if about_label in entry), None)
    if about is None:
        result.append({about_label: pages})
    else:
        about[about_label] = [*about[about_label], *pages]
    return result


def theme_extra(site: Any) -> dict[str, Any]:
    """What the theme overrides show from the site settings (the footer's publisher, licence and contact),
    set as `extra.explainer` in the MkDocs configuration; the templates escape every value."""
    return {
        "publisher": site.publisher,
        "licence": site.licence.model_dump() if site.licence else None,
        "contact": site.contact.model_dump() if site.contact else None,
    }


def set_build_date(updated: dt.date) -> None:
    """Make MkDocs' timestamps (sitemap) come from the content, so that builds repeat exactly."""
    os.environ["SOURCE_DATE_EPOCH"] = str(calendar.timegm(updated.timetuple()))


def _logging(level: int) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s - %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.handlers[:] = [handler]
    logger.setLevel(level)
    logger.propagate = False
    logging.getLogger("mkdocs.commands.build").addFilter(_dirty_notice)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


class BuildFailed(Exception):
    """An engine failed: the message says why."""


def plugins_with_content(
    config_file: Path,
    content_dir: Path,
    today: dt.date | None = None,
    edition: str | None = None,
    url: str | None = None,
) -> dict[str, Any]:
    """The configuration's plugins, with the explainer plugin's content folder (and build date) set.

    Passed to MkDocs as an override of `plugins:`, so the command line chooses the content folder
    without changing mkdocs.yml (nor carrying it in an environment variable). A mapping, not a list:
    MkDocs empties the list form's items while reading them, and `serve` reads it at every rebuild.
    """
    from mkdocs.utils.yaml import yaml_load

    with config_file.open("rb") as stream:
        raw = yaml_load(stream) or {}
    declared = raw.get("plugins", ["search"])
    entries: list[tuple[str, Any]] = []
    if isinstance(declared, dict):
        entries = list(declared.items())
    else:
        for item in declared or []:
            entries.extend(item.items() if isinstance(item, dict) else [(item, {})])
    if not any(name == PLUGIN for name, _ in entries):
        raise BuildFailed(f"{config_file} does not use the '{PLUGIN}' plugin (plugins: [search, {PLUGIN}])")
    result: dict[str, Any] = {}
    for name, options in entries:
        if name == PLUGIN:
            options = {**(options or {}), "content": str(content_dir.resolve())}
            if today is not None:
                options["today"] = today.isoformat()
            if edition is not None:
                options["edition"] = edition
            if url is not None:
                options["url"] = url
        result[name] = options or {}
    return result


def _mkdocs_build(
    content_dir: Path,
    staging: Path,
    config_file: Path,
    preparer: Preparer,
    today: dt.date | None = None,
    url: str | None = None,
    previous: dict[str, Manifest] | None = None,
    published: Path | None = None,
) -> tuple[dict[str, Manifest], list[tuple[Path, Path]]]:
    """Build the site and each edition into `staging`; return each build's manifest (key: the edition, or ""),
    and the search index's parts to move over from the `published` site when `staging` is swapped in for it.

    With `previous` (the manifests of the site `staging` started as a copy of), only what changed is built."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    from .plugin import ExplainerPlugin

    editions = list(preparer.last.editions) if preparer.last is not None else []
    manifests: dict[str, Manifest] = {}
    borrowed: list[tuple[Path, Path]] = []
    try:
        # The site's own language at the root, then each edition (its own MkDocs build) under <language>/.
        for edition in [None, *editions]:
            plugins = plugins_with_content(config_file, content_dir, today, edition, url)
            site_dir = staging / edition if edition else staging
            config = load_config(
                config_file=str(config_file), site_dir=str(site_dir.resolve()), strict=True, plugins=plugins
            )
            explainer = config.plugins[PLUGIN]
            assert isinstance(explainer, ExplainerPlugin)
            explainer.preparer = preparer  # what was just validated is built as it is
            # MkDocs' own build() does not start plugins, and may hand over an instance a preview in this process
            # started: a build, dirty (MkDocs builds only what builder/incremental.py finds changed).
            explainer.on_startup(command="build", dirty=True)
            explainer.previous = (previous or {}).get(edition or "")
            if published is not None:
                explainer.published = published / edition if edition else published
            mkdocs_build(config, dirty=True)
            if explainer.incremental is not None and explainer.incremental.manifest is not None:
                manifests[edition or ""] = explainer.incremental.manifest
            borrowed.extend(explainer.indexer.borrowed)
    except (MkDocsException, OSError) as exc:
        raise BuildFailed(str(exc)) from exc
    return manifests, borrowed


def _dirty_notice(record: logging.LogRecord) -> bool:
    """Drop MkDocs' warning that a dirty build may leave stale navigation (a strict build would stop on it):
    the explainer plugin builds everything again whenever anything every page shows has changed."""
    return not record.getMessage().startswith("A 'dirty' build is being performed")


def _zensical_build(content_dir: Path, staging: Path, config_file: Path, prepared: Prepared) -> None:
    from .generate import GenerateRefused, generate

    with tempfile.TemporaryDirectory(prefix="explainer-project-") as tmp:
        project = Path(tmp) / "project"
        try:
            generate(content_dir, project, prepared=prepared, config_file=config_file, engine="zensical")
        except GenerateRefused as exc:
            raise BuildFailed(str(exc)) from exc
        # Zensical writes its site inside the project; it is moved into place afterwards.
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "zensical",
                "build",
                "--clean",
                "--strict",
                "--config-file",
                str(project / "mkdocs.yml"),
            ],
            cwd=project,
            capture_output=True,
            text=True,
            check=False,
        )
        built = project / "site"
        if result.returncode != 0 or not (built / "index.html").is_file():
            output = (result.stderr or result.stdout).strip()
            raise BuildFailed(f"zensical build failed (exit {result.returncode}): {output[-2000:]}")
        for entry in built.iterdir():  # into the staging folder the site writer made (and stamped)
            entry.rename(staging / entry.name)


def publishing_problems(content_dir: Path, prepared: Prepared) -> list[Problem]:
    """What a publishing build refuses beyond the content check: a site without its absolute address
    (canonical links, cite-this, the sitemap and share images need it)."""
    content = prepared.checked.content
    if content is None or content.site.url:
        return []
    site_yaml = content_dir / "site.yaml"
    return [
        Problem(
            site_yaml.as_posix(),
            1,
            1,
            "missing-site-url",
            "site.yaml has no url; a publishing build needs the site's absolute address "
            "(url: https://example.org/explainer/)",
        )
    ]


def build(
    content_dir: Path,
    site_dir: Path,
    config_file: Path,
    fmt: str = "text",
    engine: str = "mkdocs",
    today: dt.date | None = None,
    publish: bool = False,
    url: str | None = None,
    ending: bool = False,
) -> int:
    """Validate first (report, and stop on errors); then build into a staging folder; then swap it in.

    `publish`: a build to publish, which also needs the site's `url` (optional for a local preview);
    `url`: the address the site is published at, in place of site.yaml's `url`; `ending`: the process ends
    with the build (the command line), so what it froze stays frozen (builder/collector.py): Python's last
    collection, as it exits, would otherwise walk millions of objects (5-7 s at 50,000 facts)."""
    try:
        return _build(content_dir, site_dir, config_file, fmt, engine, today, publish, url)
    finally:
        if not ending:
            thaw()  # a caller in the same process goes on


def _build(
    content_dir: Path,
    site_dir: Path,
    config_file: Path,
    fmt: str,
    engine: str,
    today: dt.date | None,
    publish: bool,
    url: str | None,
) -> int:
    reason = refusal(site_dir, {"the content folder": content_dir})
    if reason:
        print(f"error: --site-dir {site_dir}: {reason}. Nothing was written. [unsafe-site-dir]", file=sys.stderr)
        return 2
    preparer = Preparer(Store(site_dir.resolve().parent / CACHE_FOLDER))
    preparer.settling = True
    preparer.workers = forked.workers()
    preparer.saved_by_caller = engine == "mkdocs"  # by the plugin, while it waits for the search index
    today = today or dt.date.today()
    prepared = preparer.prepare(content_dir, today, url=url)
    refused = publishing_problems(content_dir, prepared) if publish else []
    if refused:
        problems = [*prepared.checked.problems, *refused]
        print(format_problems(problems, prepared.checked.files, fmt), file=sys.stderr)
        print(f"Build stopped: fix the errors above. {site_dir}/ was left unchanged.", file=sys.stderr)
        return 1
    if prepared.checked.problems:
        print(prepared.report(fmt), file=sys.stderr)
    if prepared.rendered is None:
        print(f"Build stopped: fix the errors above. {site_dir}/ was left unchanged.", file=sys.stderr)
        return 1
    _logging(logging.WARNING)
    assert preparer.store is not None
    part = f"built-{site_dir.name}"  # what the site folder holds: the manifests of its build
    last = preparer.store.read(part) if engine == "mkdocs" else None
    manifests: dict[str, Manifest] = {}
    previous = last["manifests"] if isinstance(last, dict) and last.get("identity") == site_identity(site_dir) else None
    try:
        from .search import is_index

        writer = SiteWriter(site_dir, seed=previous is not None, unseeded=is_index)
        borrowed: list[tuple[Path, Path]] = []
        with writer as staging:
            if engine == "zensical":
                _zensical_build(content_dir, staging, config_file, prepared)
            else:
                settle()  # what preparing made lives on (builder/collector.py)
                manifests, borrowed = _mkdocs_build(
                    content_dir, staging, config_file, preparer, today, url, previous, site_dir
                )
            writer.publish(borrowed)
            if engine == "mkdocs":
                preparer.store.write(part, {"identity": site_identity(site_dir), "manifests": manifests})
                preparer.save()  # with the search index's conversions
    except (BuildFailed, SiteDirRefused, OSError) as exc:
        print(f"Build failed: {exc}. {site_dir}/ was left unchanged.", file=sys.stderr)
        return 1
    pages = len(prepared.rendered.pages)
    if previous is not None and engine == "mkdocs":
        again = sum(m.rendered for m in manifests.values())
        total = sum(m.pages for m in manifests.values())
        print(
            f"Rendered {again} of {total} pages again; the others were unchanged since the last build.", file=sys.stderr
        )
    print(f"Built {pages} generated pages into {site_dir}/ with {engine}.", file=sys.stderr)
    return 0


def site_identity(site_dir: Path) -> tuple[str, int, int] | None:
    """Which published build a site folder holds (its stamp's inode and time, new at every swap), or None."""
    try:
        stamp = (site_dir / STAMP).stat()
    except OSError:
        return None
    return str(site_dir.resolve()), stamp.st_ino, stamp.st_mtime_ns


def _loopback(host: str) -> bool:
    """Whether an address only this machine can reach (127.0.0.0/8, ::1 or localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def port_taken(host: str, port: int) -> str | None:
    """Why nothing can listen on host:port (another program listens there), or None when it is free.

    Binds the way MkDocs' server does (reusing an address in TIME_WAIT), so only a listening program counts."""
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


def serve(content_dir: Path, config_file: Path, dev_addr: str | None, today: dt.date | None = None) -> int:
    """Validate, then MkDocs' own `serve` with the explainer plugin, which watches the content folder.

    Without `dev_addr`, the preview listens on 127.0.0.1 at site.yaml's preview_port (default 8000); a port
    another program holds stops it with a message saying how to choose another."""
    from mkdocs.commands.serve import serve as mkdocs_serve
    from mkdocs.exceptions import MkDocsException

    host = dev_addr.rsplit(":", 1)[0].strip("[]") if dev_addr else "127.0.0.1"
    if not _loopback(host):
        print(
            f"warning: serving on {host}, which other machines can reach; the preview is meant for this "
            "machine only (use 127.0.0.1)",
            file=sys.stderr,
        )
    prepared = prepare(content_dir, today=today)
    if prepared.checked.problems:
        print(prepared.report(), file=sys.stderr)
    if prepared.rendered is None:
        print("Not serving: fix the errors above first.", file=sys.stderr)
        return 1
    assert prepared.checked.content is not None
    if dev_addr is None:
        dev_addr = f"{host}:{prepared.checked.content.site.preview_port or DEFAULT_PORT}"
    port = dev_addr.rsplit(":", 1)[-1]
    if not (port.isdigit() and int(port) <= 65535):
        print(f"error: --dev-addr {dev_addr}: give HOST:PORT, with a port from 0 to 65535", file=sys.stderr)
        return 2
    reason = port_taken(host, int(port))
    if reason:
        print(
            f"error: cannot preview {content_dir} on {dev_addr}: the port is in use ({reason}), perhaps by the "
            "preview of another explainer. Give this one its own port: preview_port in its site.yaml, or "
            "--dev-addr 127.0.0.1:PORT.",
            file=sys.stderr,
        )
        return 1
    _logging(logging.INFO)
    try:
        plugins = plugins_with_content(config_file, content_dir, today)
        # Dirty: a rebuild renders only the pages whose Markdown changed (builder/incremental.py).
        mkdocs_serve(config_file=str(config_file), dev_addr=dev_addr, plugins=plugins, build_type="dirty")
    except (BuildFailed, MkDocsException, OSError) as exc:
        print(f"Serve failed: {exc}", file=sys.stderr)
        return 1
    return 0
