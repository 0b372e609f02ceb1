"""Extract the interface's messages (templates and Python) with Babel, and update every catalogue.

`python -m builder.i18n.extract` (make messages) rewrites builder/i18n/messages.pot and merges it into each
<lang>/LC_MESSAGES/messages.po: new messages arrive untranslated (tests fail until they are translated),
messages no longer used are dropped. Run it after changing a message in a template or in builder/.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from . import CATALOGUES, DOMAIN

BUILDER = CATALOGUES.parent
METHODS = [("templates/**.j2", "jinja2.ext:babel_extract"), ("**.py", "python")]
OPTIONS = {"templates/**.j2": {"trim_blocks": "true", "lstrip_blocks": "true"}}
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
TEMPLATE = CATALOGUES / f"{DOMAIN}.pot"


def extracted() -> Catalog:
    """Every message the builder shows readers, with where it is used."""
    catalogue = Catalog(project="sourced-explainer", domain=DOMAIN, fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        BUILDER, METHODS, options_map=OPTIONS, keywords=KEYWORDS, strip_comment_tags=True
    ):
        if "i18n/extract.py" in filename:
            continue
        catalogue.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalogue


def _write(path: Path, catalogue: Catalog) -> None:
    with path.open("wb") as handle:
        write_po(handle, catalogue, width=100, omit_header=True, sort_output=True, include_lineno=False)


def update() -> list[Path]:
    template = extracted()
    _write(TEMPLATE, template)
    written = [TEMPLATE]
    for po in sorted(CATALOGUES.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        name = po.parent.parent.name
        with po.open("rb") as handle:
            catalogue = read_po(handle, locale=name, domain=DOMAIN)
        catalogue.update(template, no_fuzzy_matching=True)
        catalogue.obsolete.clear()
        if name == "en":  # the source language: every message is its own translation
            for message in catalogue:
                if message.id and not message.string:
                    message.string = message.id
        _write(po, catalogue)
        written.append(po)
    return written


if __name__ == "__main__":
    for path in update():
        print(path)
