"""Material's HTML faults are fixed at the source: copies of its templates in builder/material/, each changed
only where needed (each change applies to every occurrence), which must stay equal to the installed Material's template with those changes applied.

When Material changes one of these templates (an upgrade), the copy test fails: run
`python -m tests.test_theme` to copy the new template again with the same changes, and review the diff.
"""

from __future__ import annotations

import sys
from html.parser import HTMLParser
from pathlib import Path

import material
import pytest

from builder.build import MATERIAL_FIXES
from tests.test_build import site  # noqa: F401  (the built fixture site)

UPSTREAM = Path(material.__file__).parent / "templates"
HEADER = "{#-\n  This file was automatically generated - do not edit\n-#}\n"

ESCAPED = "every title, the site name and the page description from the content is escaped where it is written (| e): editors' plain text must never become markup"

CHANGES: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "base.html": (
        "no autocomplete attribute on the drawer and search checkboxes (the Nu Html Checker: not allowed on checkboxes),"
        f" and {ESCAPED}",
        [
            (
                '<meta name="description" content="{{ page.meta.description }}">',
                '<meta name="description" content="{{ page.meta.description | e }}">',
            ),
            (
                '<meta name="description" content="{{ config.site_description }}">',
                '<meta name="description" content="{{ config.site_description | e }}">',
            ),
            (
                '<meta name="author" content="{{ page.meta.author }}">',
                '<meta name="author" content="{{ page.meta.author | e }}">',
            ),
            (
                '<meta name="author" content="{{ config.site_author }}">',
                '<meta name="author" content="{{ config.site_author | e }}">',
            ),
            (
                "<title>{{ page.meta.title }} - {{ config.site_name }}</title>",
                "<title>{{ page.meta.title | e }} - {{ config.site_name | e }}</title>",
            ),
            (
                "<title>{{ page.title | striptags }} - {{ config.site_name }}</title>",
                "<title>{{ page.title | striptags | e }} - {{ config.site_name | e }}</title>",
            ),
            ("<title>{{ config.site_name }}</title>", "<title>{{ config.site_name | e }}</title>"),
            (
                'type="checkbox" id="__drawer" autocomplete="off">',
                'type="checkbox" id="__drawer">',
            ),
            (
                'type="checkbox" id="__search" autocomplete="off">',
                'type="checkbox" id="__search">',
            ),
        ],
    ),
    "partials/search.html": (
        "the search dialog has a name (axe: aria-dialog-name)",
        [
            (
                '<div class="md-search" data-md-component="search" role="dialog">',
                '<div class="md-search" data-md-component="search" role="dialog" aria-label="{{ lang.t(\'search\') }}">',
            )
        ],
    ),
    "partials/nav-item.html": (
        f"no empty tabindex on section labels (the Nu Html Checker: bad value), and {ESCAPED}",
        [
            (' tabindex="{{ tabindex }}"', '{% if tabindex %} tabindex="{{ tabindex }}"{% endif %}'),
            ("      {{ nav_item.typeset.title }}\n", "      {{ nav_item.typeset.title | e }}\n"),
            ("    {{ nav_item.title }}\n", "    {{ nav_item.title | e }}\n"),
            ("<small>{{ nav_item.meta.subtitle }}</small>", "<small>{{ nav_item.meta.subtitle | e }}</small>"),
        ],
    ),
    "partials/header.html": (
        ESCAPED,
        [
            ('aria-label="{{ config.site_name }}"', 'aria-label="{{ config.site_name | e }}"'),
            ("            {{ config.site_name }}\n", "            {{ config.site_name | e }}\n"),
            ("              {{ page.meta.title }}\n", "              {{ page.meta.title | e }}\n"),
            ("              {{ page.title }}\n", "              {{ page.title | e }}\n"),
        ],
    ),
    "partials/nav.html": (
        ESCAPED,
        [
            ('aria-label="{{ config.site_name }}"', 'aria-label="{{ config.site_name | e }}"'),
            ("  {{ config.site_name }}\n", "  {{ config.site_name | e }}\n"),
        ],
    ),
    "partials/content.html": (
        ESCAPED,
        [
            (
                "<h1>{{ page.title | d(config.site_name, true)}}</h1>",
                "<h1>{{ page.title | d(config.site_name, true) | e }}</h1>",
            )
        ],
    ),
    "partials/tabs-item.html": (ESCAPED, [("  {{ ref.title }}\n", "  {{ ref.title | e }}\n")]),
    "partials/path-item.html": (ESCAPED, [("    {{ nav_item.title }}\n", "    {{ nav_item.title | e }}\n")]),
    "partials/footer.html": (
        ESCAPED,
        [
            (
                "                {{ page.previous_page.title }}\n",
                "                {{ page.previous_page.title | e }}\n",
            ),
            ("                {{ page.next_page.title }}\n", "                {{ page.next_page.title | e }}\n"),
        ],
    ),
    "partials/toc.html": (
        "the table of contents' title points at the __toc toggle only inside the navigation, where that toggle"
        " is; in the sidebar it pointed at nothing on pages the navigation shows as a section or not at all"
        " (the Nu Html Checker)",
        [
            (
                '<label class="md-nav__title" for="__toc">',
                '<label class="md-nav__title"{% if nav_item is defined %} for="__toc"{% endif %}>',
            )
        ],
    ),
}


def expected(name: str) -> str:
    """The installed Material's template with our changes applied, under a header that says so."""
    why, changes = CHANGES[name]
    text = (UPSTREAM / name).read_text(encoding="utf-8")
    assert text.startswith(HEADER), f"Material's {name} no longer starts with its usual header"
    text = text.removeprefix(HEADER)
    for old, new in changes:
        assert old in text, f"Material's {name} changed: {old!r} is gone; look again at what our copy fixes"
        text = text.replace(old, new)
    header = (
        f"{{#- Copied from Material for MkDocs {material.__version__}, templates/{name}; changed only so that\n"
        f"  {why}.\n  tests/test_theme.py checks this copy; `python -m tests.test_theme` makes it again. -#}}\n"
    )
    return header + text


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_override_is_materials_template_with_only_our_change(name: str) -> None:
    assert (MATERIAL_FIXES / name).read_text(encoding="utf-8") == expected(name)


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags(page: Path) -> list[tuple[str, dict[str, str | None]]]:
    parser = Tags()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.tags


def test_built_pages_have_none_of_materials_faults(site: Path) -> None:  # noqa: F811
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 10
    dangling_seen = False
    for page in pages:
        found = tags(page)
        ids = {attrs["id"] for _, attrs in found if attrs.get("id")}
        where = page.relative_to(site).as_posix()
        for tag, attrs in found:
            if tag == "input" and attrs.get("type") == "checkbox":
                assert "autocomplete" not in attrs, f"{where}: checkbox {attrs.get('id')} has autocomplete"
            assert attrs.get("tabindex", "0") != "", f"{where}: empty tabindex on <{tag}>"
            if tag == "label" and attrs.get("for"):
                assert attrs["for"] in ids, f"{where}: <label for={attrs['for']}> names no element"
            if tag == "label" and attrs.get("class") == "md-nav__title" and "for" not in attrs:
                dangling_seen = True
        dialogs = [attrs for tag, attrs in found if attrs.get("data-md-component") == "search" and tag == "div"]
        if dialogs:
            assert dialogs[0].get("role") == "dialog" and dialogs[0].get("aria-label") == "Search", where
    # The fixture has pages outside the navigation (each question) whose table of contents lost its `for`.
    assert dangling_seen


def main() -> int:
    for name in sorted(CHANGES):
        target = MATERIAL_FIXES / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(expected(name), encoding="utf-8")
        print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
