"""The pipeline: load -> validate -> stop on errors -> render -> MkDocs into a staging folder -> swap."""

from __future__ import annotations

import calendar
import datetime as dt
import ipaddress
import logging
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .problems import format_problems, has_errors
from .render import Rendered, render
from .validate import Checked, check
from .write import SiteDirRefused, SiteWriter, refusal

CONTENT_ENV = "EXPLAINER_CONTENT"
PREVIEW_ENV = "EXPLAINER_PREVIEW"
"""Set to 1 by `serve`: the MkDocs hook then reuses the HTML of pages whose Markdown did not change."""
TEMPLATES_DIR = Path(__file__).parent / "templates"


@dataclass
class Prepared:
    checked: Checked
    rendered: Rendered | None

    def report(self, fmt: str = "text") -> str:
        return format_problems(self.checked.problems, self.checked.files, fmt)


def prepare(content_dir: Path) -> Prepared:
    """Read and validate everything; render only when nothing is wrong."""
    checked = check(content_dir)
    if checked.content is None or has_errors(checked.problems):
        return Prepared(checked, None)
    return Prepared(checked, render(checked.content))


_prepared: Prepared | None = None
page_cache: dict[str, tuple[Any, dict[str, Any]]] = {}
"""Preview only: page path -> (what it was converted from, the results of converting it)."""


def current() -> Prepared:
    """What the MkDocs hook builds: prepared by the command line, or read afresh (serve, plain mkdocs)."""
    global _prepared
    if _prepared is not None:
        prepared, _prepared = _prepared, None
        return prepared
    return prepare(Path(os.environ.get(CONTENT_ENV, "content")))


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
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def build(content_dir: Path, site_dir: Path, config_file: Path, fmt: str = "text") -> int:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    global _prepared
    docs_dir = config_file.parent / "docs"
    reason = refusal(site_dir, {"the content folder": content_dir, "the hand-written pages' folder": docs_dir})
    if reason:
        print(f"error: --site-dir {site_dir}: {reason}. Nothing was written. [unsafe-site-dir]", file=sys.stderr)
        return 2
    prepared = prepare(content_dir)
    if prepared.checked.problems:
        print(prepared.report(fmt), file=sys.stderr)
    if prepared.rendered is None:
        print(f"Build stopped: fix the errors above. {site_dir}/ was left unchanged.", file=sys.stderr)
        return 1
    os.environ[CONTENT_ENV] = str(content_dir)
    _logging(logging.WARNING)
    _prepared = prepared
    try:
        writer = SiteWriter(site_dir)
        with writer as staging:
            config = load_config(config_file=str(config_file), site_dir=str(staging), strict=True)
            mkdocs_build(config)
            writer.publish()
    except (MkDocsException, OSError, SiteDirRefused) as exc:
        print(f"Build failed: {exc}. {site_dir}/ was left unchanged.", file=sys.stderr)
        return 1
    finally:
        _prepared = None
    pages = len(prepared.rendered.pages)
    print(f"Built {pages} generated pages into {site_dir}/.", file=sys.stderr)
    return 0


def _loopback(host: str) -> bool:
    """Whether an address only this machine can reach (127.0.0.0/8, ::1 or localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(content_dir: Path, config_file: Path, dev_addr: str) -> int:
    """Preview with live reload: MkDocs' server, polling every 0.1 s, rebuilding on any save."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException
    from mkdocs.livereload import LiveReloadServer

    host = dev_addr.rsplit(":", 1)[0].strip("[]")
    if not _loopback(host):
        print(
            f"warning: serving on {host}, which other machines can reach; the preview is meant for this "
            "machine only (use 127.0.0.1)",
            file=sys.stderr,
        )
    prepared = prepare(content_dir)
    if prepared.checked.problems:
        print(prepared.report(), file=sys.stderr)
    if prepared.rendered is None:
        print("Not serving: fix the errors above first.", file=sys.stderr)
        return 1
    os.environ[CONTENT_ENV] = str(content_dir)
    os.environ[PREVIEW_ENV] = "1"
    _logging(logging.INFO)
    site_dir = tempfile.mkdtemp(prefix="explainer-preview-")
    try:
        config = load_config(config_file=str(config_file), site_dir=site_dir, dev_addr=dev_addr)
        host, port = config.dev_addr
        url = f"http://{host}:{port}/"

        def rebuild() -> None:
            # A fresh configuration each time, as `mkdocs serve` does: plugins may change it while building.
            fresh = load_config(config_file=str(config_file), site_dir=site_dir, dev_addr=dev_addr)
            fresh.site_url = url
            mkdocs_build(fresh, serve_url=url)

        server = LiveReloadServer(
            builder=rebuild, host=host, port=port, root=site_dir, mount_path="/", polling_interval=0.1
        )
        rebuild()
        for path in (config.docs_dir, str(config_file), str(content_dir), str(TEMPLATES_DIR), *config.watch):
            server.watch(path)
        try:
            server.serve()  # type: ignore[no-untyped-call]
        except KeyboardInterrupt:
            logging.getLogger("mkdocs").info("Shutting down...")
        finally:
            server.shutdown()
    except (MkDocsException, OSError) as exc:
        print(f"Serve failed: {exc}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(site_dir, ignore_errors=True)
    return 0
