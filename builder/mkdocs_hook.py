"""MkDocs hook: the thin adapter between the builder's pipeline and MkDocs.

It takes the site's settings and navigation from the content, and adds the generated pages
to the hand-written ones in docs/ (refusing to overwrite any of them).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from builder import build

_current: build.Prepared | None = None


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _current
    prepared = build.current()
    if prepared.rendered is None or prepared.checked.content is None:
        raise PluginError("content has errors:\n" + prepared.report())
    _current = prepared
    site = prepared.checked.content.site
    config.site_name = site.title
    config.site_description = site.description
    if site.url and not config.site_url:
        config.site_url = site.url
    config.theme["language"] = site.language
    handwritten = sorted(
        p.relative_to(config.docs_dir).as_posix() for p in Path(config.docs_dir).rglob("*.md") if p.is_file()
    )
    nav = [dict(entry) for entry in prepared.rendered.nav]
    about = next(entry for entry in nav if site.labels.about in entry)
    about[site.labels.about] = [*about[site.labels.about], *handwritten]
    config.nav = nav
    build.set_build_date(site.updated)
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    assert _current is not None and _current.rendered is not None
    for path, markdown in sorted(_current.rendered.pages.items()):
        if files.get_file_from_path(path) is not None:
            raise PluginError(f"docs/{path} is a hand-written page where the builder generates one; rename or move it")
        files.append(File.generated(config, path, content=markdown))
    for path, text in sorted(_current.rendered.assets.items()):
        files.append(File.generated(config, path, content=text))
    return files


_RENDERED = ("content", "toc", "_title_from_render", "present_anchor_ids", "links_to_anchors")


def on_pre_page(page: Page, config: MkDocsConfig, files: Files) -> Page:
    """In the live preview, convert a page's Markdown again only when it (or the set of files) changed."""
    if os.environ.get(build.PREVIEW_ENV) != "1":
        return page
    convert = page.render
    signature = hash(tuple(sorted(f.src_uri for f in files)))

    def render(config: MkDocsConfig, files: Files) -> None:
        key = (page.markdown, signature)
        cached = build.page_cache.get(page.file.src_uri)
        if cached is not None and cached[0] == key:
            for name, value in cached[1].items():
                setattr(page, name, value)
            return
        convert(config, files)
        build.page_cache[page.file.src_uri] = (key, {n: getattr(page, n) for n in _RENDERED if hasattr(page, n)})

    page.render = render  # type: ignore[method-assign]
    return page


_CHECKBOX_AUTOCOMPLETE = re.compile(r'(<input [^>]*type="checkbox"[^>]*?) autocomplete="off"')


def on_post_page(output: str, page: object, config: MkDocsConfig) -> str:
    """Mend stock Material: HTML errors the Nu Html Checker reports, and the search dialog's missing name."""
    return _mend(output)


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    return _mend(output_content) if template_name.endswith(".html") else output_content


def _mend(output: str) -> str:
    output = _CHECKBOX_AUTOCOMPLETE.sub(r"\1", output)
    output = output.replace(' tabindex=""', "")
    if 'id="__toc"' not in output:
        output = output.replace(' for="__toc"', "")
    return output.replace(
        '<div class="md-search" data-md-component="search" role="dialog">',
        '<div class="md-search" data-md-component="search" role="dialog" aria-label="Search">',
    )
