"""The pipeline: load -> validate -> stop on errors -> render -> MkDocs into a staging folder -> swap."""

from __future__ import annotations

import calendar
import datetime as dt
import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from .problems import format_problems, has_errors
from .render import Rendered, render
from .validate import Checked, check
from .write import discard, replace_site, staging_dir

CONTENT_ENV = "EXPLAINER_CONTENT"
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
    prepared = prepare(content_dir)
    if prepared.checked.problems:
        print(prepared.report(fmt), file=sys.stderr)
    if prepared.rendered is None:
        print(f"Build stopped: fix the errors above. {site_dir}/ was left unchanged.", file=sys.stderr)
        return 1
    os.environ[CONTENT_ENV] = str(content_dir)
    _logging(logging.WARNING)
    staging = staging_dir(site_dir)
    _prepared = prepared
    try:
        config = load_config(config_file=str(config_file), site_dir=str(staging), strict=True)
        mkdocs_build(config)
    except (MkDocsException, OSError) as exc:
        discard(staging)
        print(f"Build failed: {exc}. {site_dir}/ was left unchanged.", file=sys.stderr)
        return 1
    finally:
        _prepared = None
    replace_site(staging, site_dir)
    pages = len(prepared.rendered.pages)
    print(f"Built {pages} generated pages into {site_dir}/.", file=sys.stderr)
    return 0


def serve(content_dir: Path, config_file: Path, dev_addr: str) -> int:
    from mkdocs.commands.serve import serve as mkdocs_serve
    from mkdocs.exceptions import MkDocsException

    prepared = prepare(content_dir)
    if prepared.checked.problems:
        print(prepared.report(), file=sys.stderr)
    if prepared.rendered is None:
        print("Not serving: fix the errors above first.", file=sys.stderr)
        return 1
    os.environ[CONTENT_ENV] = str(content_dir)
    _logging(logging.INFO)
    try:
        mkdocs_serve(
            config_file=str(config_file),
            dev_addr=dev_addr,
            livereload=True,
            watch=[str(content_dir), str(TEMPLATES_DIR)],
        )
    except (MkDocsException, OSError) as exc:
        print(f"Serve failed: {exc}", file=sys.stderr)
        return 1
    return 0
