"""The themes' faults are fixed at the source: copies of their templates, each changed only where needed.

builder/material/ holds Material for MkDocs templates with its HTML faults fixed and every value that comes
from the content escaped; builder/zensical/ holds Zensical's templates with the same escaping (Zensical's
templates, like Material's, write the site name, titles and descriptions unescaped). Each copy must stay
equal to the installed theme's template with those changes applied. When a theme changes one of these
templates (an upgrade), the copy test fails: run `python -m tests.test_theme` to copy the new templates again
with the same changes, and review the diff.
"""

from __future__ import annotations

import sys
from html.parser import HTMLParser
from pathlib import Path

import material
import pytest

from builder.build import MATERIAL_FIXES, ZENSICAL_FIXES

UPSTREAM = Path(material.__file__).parent / "templates"
HEADER = "{#-\n  This file was automatically generated - do not edit\n-#}\n"

ESCAPE = (
    "config.site_name",
    "config.site_description",
    "config.site_author",
    "page.meta.title",
    "page.meta.description",
    "page.meta.author",
    "page.meta.subtitle",
    "page.title",
    "page.title | striptags",
    "page.title | d(config.site_name, true)",
    "nav_item.title",
    "nav_item.typeset.title",
    "nav_item.meta.subtitle",
    "ref.title",
    "ref.title or nav_item.title",
    "page.previous_page.title",
    "page.next_page.title",
)
"""Expressions whose value comes from the content as plain text: written `{{ ... | e }}` wherever they appear."""
ESCAPED_IN = (
    "base.html",
    "partials/header.html",
    "partials/nav.html",
    "partials/content.html",
    "partials/nav-item.html",
    "partials/tabs-item.html",
    "partials/path-item.html",
    "partials/footer.html",
)
ESCAPED = "every title, the site name and descriptions from the content are escaped where they are written (| e)"


def escape_values(text: str, name: str) -> str:
    """Every {{ expression }} of ESCAPE in a template written {{ expression | e }}."""
    changed = text
    for expression in ESCAPE:
        for written in (f"{{{{ {expression} }}}}", f"{{{{ {expression}}}}}"):
            changed = changed.replace(written, f"{{{{ {expression} | e }}}}")
    assert changed != text, f"{name}: none of the content values is written here any more; look again"
    return changed


CHANGES: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "base.html": (
        "no autocomplete attribute on the drawer and search checkboxes (the Nu Html Checker: not allowed on checkboxes),"
        " the search dialog talks to the explainer's own search worker (Pagefind) where the explainer plugin"
        " builds the index, and the theme's script deferred, so that it no longer holds up the first paint"
        " (Lighthouse: render-blocking; a site's own extra_javascript that needs the theme's script must be deferred"
        " too), and the head's links to the page in each language are written only where its address there is"
        " known (the explainer plugin's `url` of each alternate, from the site's address): absolute and to the"
        " same page, as hreflang must be (Lighthouse: a relative href is invalid)",
        [
            (
                '"search": "assets/javascripts/workers/search.a7633da7.min.js" | url,',
                '"search": (config.plugins.explainer.search_worker if config.plugins.explainer and'
                " config.plugins.explainer.search_worker else"
                ' "assets/javascripts/workers/search.a7633da7.min.js") | url,',
            ),
            (
                ".min.js' | url }}\"></script>\n      {% for script in config.extra_javascript %}",
                ".min.js' | url }}\" defer></script>\n      {% for script in config.extra_javascript %}",
            ),
            (
                "{% if config.extra.alternate is iterable %}\n"
                "        {% for alt in config.extra.alternate %}\n"
                '          <link rel="alternate" href="{{ alt.link | url }}"',
                "{% if config.extra.alternate is iterable %}\n"
                "        {% for alt in config.extra.alternate if alt.url %}\n"
                '          <link rel="alternate" href="{{ (alt.url ~ (page.url if page and page.url else \'\')) | e }}"',
            ),
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
    "partials/header.html": (
        "the search button and dialog show where the explainer plugin answers searches from its own index (it"
        " turns the theme's search plugin's indexing off), and the menu and search buttons are buttons, named"
        " from the explainer's messages, where they were labels a keyboard could not reach (assets/layout.js"
        " toggles the drawer and the search as the labels did; the theme's script still needs a label for"
        " the search toggle in the header: it stays, hidden)",
        [
            (
                "{% if search.enabled %}",
                "{% if search.enabled or (config.plugins.explainer and config.plugins.explainer.search_worker) %}",
            ),
            (
                '<label class="md-header__button md-icon" for="__drawer">\n'
                '      {% set icon = config.theme.icon.menu or "material/menu" %}\n'
                '      {% include ".icons/" ~ icon ~ ".svg" %}\n'
                "    </label>",
                '<button type="button" class="md-header__button md-icon" data-toggle="__drawer"'
                ' aria-label="{{ ((config.extra.explainer or {}).menu or "Menu") | e }}" aria-expanded="false">\n'
                '      {% set icon = config.theme.icon.menu or "material/menu" %}\n'
                '      {% include ".icons/" ~ icon ~ ".svg" %}\n'
                "    </button>",
            ),
            (
                '<label class="md-header__button md-icon" for="__search">\n'
                '          {% set icon = config.theme.icon.search or "material/magnify" %}\n'
                '          {% include ".icons/" ~ icon ~ ".svg" %}\n'
                "        </label>",
                '<button type="button" class="md-header__button md-icon" data-toggle="__search"'
                ' aria-label="{{ ((config.extra.explainer or {}).search or lang.t("search")) | e }}"'
                ' aria-expanded="false">\n'
                '          {% set icon = config.theme.icon.search or "material/magnify" %}\n'
                '          {% include ".icons/" ~ icon ~ ".svg" %}\n'
                "        </button>\n"
                '        <label for="__search" hidden></label>',
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
        "no empty tabindex on section labels (the Nu Html Checker: bad value)",
        [(' tabindex="{{ tabindex }}"', '{% if tabindex %} tabindex="{{ tabindex }}"{% endif %}')],
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
    why, changes = CHANGES.get(name, ("", []))
    text = (UPSTREAM / name).read_text(encoding="utf-8")
    assert text.startswith(HEADER), f"Material's {name} no longer starts with its usual header"
    text = text.removeprefix(HEADER)
    for old, new in changes:
        assert old in text, f"Material's {name} changed: {old!r} is gone; look again at what our copy fixes"
        text = text.replace(old, new)
    if name in ESCAPED_IN:
        text = escape_values(text, name)
        why = f"{why}, and {ESCAPED}" if why else ESCAPED
    header = (
        f"{{#- Copied from Material for MkDocs {material.__version__}, templates/{name}; changed only so that\n"
        f"  {why}.\n  tests/test_theme.py checks this copy; `python -m tests.test_theme` makes it again. -#}}\n"
    )
    return header + text


def expected_zensical(name: str) -> str:
    """The installed Zensical's template with the content's values escaped, under a header that says so."""
    import zensical

    upstream = Path(zensical.__file__).parent / "templates"
    text = (upstream / name).read_text(encoding="utf-8").removeprefix(HEADER)
    version = _zensical_version()
    header = (
        f"{{#- Copied from Zensical {version}, templates/{name}; changed only so that\n"
        f"  {ESCAPED}.\n  tests/test_theme.py checks this copy; `python -m tests.test_theme` makes it again. -#}}\n"
    )
    return header + escape_values(text, name)


def _zensical_version() -> str:
    from importlib.metadata import version

    return version("zensical")


MATERIAL_COPIES = sorted(set(CHANGES) | set(ESCAPED_IN))


@pytest.mark.parametrize("name", MATERIAL_COPIES)
def test_override_is_materials_template_with_only_our_change(name: str) -> None:
    assert (MATERIAL_FIXES / name).read_text(encoding="utf-8") == expected(name)


@pytest.mark.parametrize("name", ESCAPED_IN)
def test_zensical_copy_is_its_template_with_values_escaped(name: str) -> None:
    pytest.importorskip("zensical")
    assert (ZENSICAL_FIXES / name).read_text(encoding="utf-8") == expected_zensical(name)


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


def test_built_pages_have_none_of_materials_faults(site: Path) -> None:
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
    for folder, names, make in (
        (MATERIAL_FIXES, MATERIAL_COPIES, expected),
        (ZENSICAL_FIXES, ESCAPED_IN, expected_zensical),
    ):
        for name in names:
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(make(name), encoding="utf-8")
            print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
