"""An explainer as a plain MkDocs project: the generated pages, assets, hand-written pages, navigation and
theme overrides, with its own mkdocs.yml and no hook or plugin, so that any engine reading MkDocs projects
(MkDocs, Zensical) builds it.

It writes only into a new or empty folder, or one it wrote before (marked by a stamp file), whose
contents it then replaces.
"""

from __future__ import annotations

import posixpath
import shutil
from collections.abc import Collection
from pathlib import Path
from typing import Any

import yaml

from .build import (
    CSS,
    JS,
    OVERRIDES,
    Prepared,
    ThemeMismatch,
    prepare,
    site_nav,
    theme_extra,
    theme_fixes,
)
from .pages import own_files

STAMP = ".explainer-generated"
"""The file that marks a folder as written by `generate`: only such a folder is ever emptied."""
STAMP_TEXT = "Written by `python -m builder generate`; the next run replaces everything in this folder.\n"
DOCS = "docs"
THEME_DIR = "overrides"
REQUIRED_EXTENSIONS = ("attr_list", "tables", "toc", "md_in_html")
DEFAULT_THEME: dict[str, Any] = {"name": "material", "font": False}
"""The theme when no MkDocs configuration is given: Material, with no request to Google Fonts."""


class GenerateRefused(Exception):
    """The output folder is not one `generate` may write into; the message says why."""


def _settings(config_file: Path | None) -> dict[str, Any]:
    """The shared settings of a MkDocs configuration (theme, Markdown extensions, validation, extra)."""
    if config_file is None or not config_file.is_file():
        return {}
    from mkdocs.utils.yaml import yaml_load

    with config_file.open("rb") as stream:
        raw = yaml_load(stream) or {}
    return {key: raw[key] for key in ("theme", "markdown_extensions", "validation", "extra", "copyright") if key in raw}


def _extensions(declared: list[Any]) -> list[Any]:
    names = [next(iter(item)) if isinstance(item, dict) else item for item in declared]
    return [*declared, *(name for name in REQUIRED_EXTENSIONS if name not in names)]


def project_config(prepared: Prepared, settings: dict[str, Any], pages: dict[str, Path]) -> dict[str, Any]:
    """The generated project's mkdocs.yml, as a mapping."""
    assert prepared.rendered is not None and prepared.checked.content is not None
    site = prepared.checked.content.site
    theme = dict(settings.get("theme") or DEFAULT_THEME)
    if isinstance(settings.get("theme"), str):
        theme = {"name": settings["theme"]}
    theme["custom_dir"] = THEME_DIR
    theme["language"] = prepared.rendered.theme_language
    config: dict[str, Any] = {"site_name": site.title, "site_description": site.description}
    if site.url:
        config["site_url"] = site.url
    config |= {"docs_dir": DOCS, "use_directory_urls": True, "theme": theme}
    config["extra_css"] = [CSS]
    config["extra_javascript"] = [JS]
    config["plugins"] = ["search"]
    config["markdown_extensions"] = _extensions(list(settings.get("markdown_extensions") or []))
    for key in ("validation", "extra", "copyright"):
        if key in settings:
            config[key] = settings[key]
    config["extra"] = {
        **(config.get("extra") or {}),
        "explainer": {**prepared.rendered.theme_extra, **theme_extra(site)},
    }
    config["nav"] = site_nav(prepared.rendered.nav, prepared.rendered.about, pages)
    return config


def _beside_source(asset: str, pages: Collection[str]) -> str | None:
    """Where an engine that resolves raw HTML links from the page's source file looks for a page's asset.

    A page's raw HTML (`<img src="chart.svg">` in data.md) links relative to the page's URL (data/),
    where MkDocs leaves it; Zensical resolves it from the source file (beside data.md) and rewrites it.
    An asset in a page's folder is therefore written in both places.
    """
    folder = posixpath.dirname(asset)
    if not folder or f"{folder}.md" not in pages:
        return None
    return posixpath.join(posixpath.dirname(folder), posixpath.basename(asset))


def _clear(out: Path) -> None:
    """Make out an empty folder, refusing any folder that has files `generate` did not write."""
    if out.exists() and not out.is_dir():
        raise GenerateRefused(f"{out} is a file, not a folder")
    if out.is_dir() and any(out.iterdir()):
        if not (out / STAMP).is_file():
            raise GenerateRefused(
                f"{out} is not empty and was not written by `generate` (no {STAMP} in it); choose a new or empty folder"
            )
        for child in out.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
    out.mkdir(parents=True, exist_ok=True)


def generate(
    content_dir: Path,
    out: Path,
    prepared: Prepared | None = None,
    config_file: Path | None = None,
    engine: str = "mkdocs",
) -> list[Path]:
    """Write the plain MkDocs project; returns the files written. Content must have no errors.

    `engine` says which engine's theme templates are copied in, fixed so that no value from the content is
    written unescaped (each engine's templates differ, so a project is made for one of them)."""
    prepared = prepared if prepared is not None else prepare(content_dir)
    if prepared.rendered is None:
        raise GenerateRefused(f"{content_dir} has errors:\n{prepared.report()}")
    settings = _settings(config_file)
    assert prepared.checked.content is not None
    pages = own_files(content_dir, prepared.checked.content.site.editions)  # the site's language only
    clash = sorted(set(pages) & (set(prepared.rendered.pages) | set(prepared.rendered.assets)))
    if clash:
        raise GenerateRefused(f"{content_dir}/pages/{clash[0]} has the path of a generated page; rename it")
    _clear(out)
    (out / STAMP).write_text(STAMP_TEXT, encoding="utf-8")
    written: list[Path] = []

    def write(relative: str, data: str | bytes) -> None:
        target = out / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            target.write_bytes(data)
        else:
            target.write_text(data, encoding="utf-8")
        written.append(target)

    for path, markdown in sorted(prepared.rendered.pages.items()):
        write(f"{DOCS}/{path}", markdown)
    for path, text in sorted(prepared.rendered.assets.items()):
        write(f"{DOCS}/{path}", text)
        beside = _beside_source(path, prepared.rendered.pages)
        if beside is not None and beside not in prepared.rendered.assets and beside not in pages:
            write(f"{DOCS}/{beside}", text)
    for path, image in sorted(prepared.rendered.images.items()):
        write(f"{DOCS}/{path}", image)
    for path, source in pages.items():
        write(f"{DOCS}/{path}", source.read_bytes())
    try:
        fixes = theme_fixes(engine)
    except ThemeMismatch as exc:
        raise GenerateRefused(str(exc)) from exc
    for folder in (OVERRIDES, *([fixes] if fixes else [])):
        for source in sorted(folder.rglob("*")):
            if source.is_file():
                write(f"{THEME_DIR}/{source.relative_to(folder).as_posix()}", source.read_bytes())
    config = project_config(prepared, settings, pages)
    header = (
        f"# A plain MkDocs project generated from {content_dir.as_posix()} by `python -m builder generate`.\n"
        f"# No hook or plugin: {'Zensical (`zensical build`)' if engine == 'zensical' else 'MkDocs (`mkdocs build`)'}"
        " builds it as it is; its theme templates are fixed for that engine.\n"
    )
    write("mkdocs.yml", header + yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=100))
    return written
