"""One language's messages and formats: gettext through Babel, dates and numbers through CLDR.

`Messages.of(language, content_dir)` merges the shipped catalogue for the language (along its fallback
chain, en-GB -> en) with the explainer's own content/messages/<lang>.po, compiles it in memory, and offers
gettext for the templates (Jinja's i18n extension) and Python, and the CLDR formats of the language.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
from collections.abc import Iterable
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.lists import format_list
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent
from babel.support import Translations

from ..model import N_, NAV_LABELS, Labels
from . import CATALOGUES, DOMAIN, catalogue_for, chain, gettext_name, parse
from .check import MESSAGES

SOURCE_LANGUAGE = "en"
"""The language of the msgids: the templates are written in it."""


def shipped_catalogue(name: str) -> Catalog:
    """A shipped catalogue by gettext name (en, fr, zh_Hans ...), as Babel reads it."""
    return _read(CATALOGUES / name / "LC_MESSAGES" / f"{DOMAIN}.po", name)


def _read(path: Path, name: str) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=name, domain=DOMAIN)


class Messages:
    """The interface text and formats of one language."""

    def __init__(self, language: str, translations: Translations, catalogue: str) -> None:
        self.language = language
        """The site's (or edition's) BCP 47 code, as written in site.yaml."""
        self.catalogue = catalogue
        """The catalogue serving it (gettext name: en, fr, zh_Hans...)."""
        self.translations = translations
        locale = parse(language) or Locale.parse(catalogue)
        self.locale = locale
        self.key: str | None = None
        """What the messages are made from (the language, the explainer's own catalogues' digests), when known:
        set by `of`."""
        self._dates: dict[str | dt.date, str] = {}
        """Dates written before: a build writes the same few thousand dates hundreds of thousands of times."""

    @classmethod
    def of(cls, language: str, content_dir: Path | None = None) -> Messages:
        """The messages of a language: shipped catalogues along its chain, then the explainer's own."""
        own: dict[str, Path] = {}
        folder = content_dir / MESSAGES if content_dir is not None else None
        if folder is not None and folder.is_dir():
            own = {gettext_name(p.stem): p for p in sorted(folder.glob("*.po")) if p.is_file() and not p.is_symlink()}
        digest = tuple(sorted((name, hashlib.sha256(p.read_bytes()).hexdigest(), str(p)) for name, p in own.items()))
        return _messages(language, digest)

    # --- gettext -------------------------------------------------------------------------------

    def gettext(self, message: str, **values: object) -> str:
        text = self.translations.gettext(message)
        return text % values if values else text

    def ngettext(self, singular: str, plural: str, count: int, **values: object) -> str:
        text = self.translations.ngettext(singular, plural, count)
        return text % {"num": count, **values}

    # --- CLDR formats ---------------------------------------------------------------------------

    def date(self, value: str | dt.date | None) -> str:
        """A date, or a partial date (2025-06 or 2025), in the language's long form."""
        if value is None:
            return ""
        known = self._dates.get(value)
        if known is None:
            known = self._dates[value] = self._date(value)
        return known

    def _date(self, value: str | dt.date) -> str:
        if isinstance(value, dt.date):
            return format_date(value, "long", locale=self.locale)
        parts = [int(p) for p in str(value).split("-")]
        if len(parts) == 3:
            return format_date(dt.date(*parts), "long", locale=self.locale)
        if len(parts) == 2:
            return format_skeleton("yMMMM", dt.date(parts[0], parts[1], 1), locale=self.locale)
        return format_skeleton("y", dt.date(parts[0], 1, 1), locale=self.locale)

    def number(self, value: float | int | None) -> str:
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return format_decimal(value, locale=self.locale)

    def size(self, count: int) -> str:
        """A file size for readers: bytes under a kilobyte, else kilobytes or megabytes with one decimal
        (CLDR's decimal sign and unit names in this language)."""
        from babel.units import format_unit

        if count < 1000:
            return format_unit(count, "digital-byte", "short", locale=self.locale)
        unit, value = ("digital-kilobyte", count / 1000) if count < 1_000_000 else ("digital-megabyte", count / 1e6)
        return format_unit(value, unit, "short", format="0.0", locale=self.locale)

    def percent(self, value: float) -> str:
        return format_percent(value, locale=self.locale)

    def country(self, code: str | None) -> str:
        """A country's name in this language (ISO 3166 code); None -> the message 'International'."""
        if code is None:
            return self.gettext("International")
        return str(self.locale.territories.get(code, code))

    def language_name(self, tag: str) -> str:
        found = parse(tag)
        if found is None:
            return tag
        return str(found.get_display_name(self.locale) or tag)

    def join(self, items: Iterable[str]) -> str:
        """'a, b and c' in this language."""
        listed = list(items)
        return format_list(listed, locale=self.locale) if listed else ""

    def labels(self, given: Labels | None, *over: Labels | None) -> Labels:
        """Navigation labels: those the site sets (later ones first), the rest in this language."""
        values: dict[str, str] = {}
        for key, default in NAV_LABELS.items():
            chosen = [getattr(labels, key) for labels in (*reversed(over), given) if labels is not None]
            values[key] = next((value for value in chosen if value), None) or self.gettext(default)
        return Labels(**values)

    def quote(self, text: str) -> str:
        """Text between this language's quotation marks (a catalogue message: CLDR's delimiters are not in
        Babel)."""
        return self.gettext("“%(quote)s”", quote=text)


@functools.cache
def _messages(language: str, own: tuple[tuple[str, str, str], ...]) -> Messages:
    files = {name: Path(path) for name, _, path in own}
    name = catalogue_for(language, files) or SOURCE_LANGUAGE
    merged = Catalog(locale=name, domain=DOMAIN)
    for step in reversed(chain(language) or [name]):
        shipped = CATALOGUES / step / "LC_MESSAGES" / f"{DOMAIN}.po"
        for source in (
            _read(shipped, step) if shipped.is_file() else None,
            _read(files[step], step) if step in files else None,
        ):
            for message in source or ():
                if message.id and message.string and not message.fuzzy:
                    if message.id in merged:  # Babel keeps the first string of a message set twice
                        merged.delete(message.id)
                    merged[message.id] = message
    buffer = io.BytesIO()
    write_mo(buffer, merged)
    buffer.seek(0)
    messages = Messages(language, Translations(buffer, domain=DOMAIN), name)
    messages.key = repr((language, own))
    return messages


@functools.cache
def english_ids() -> frozenset[str]:
    """Every message of the interface (the English catalogue's ids; a plural by its singular)."""
    return frozenset(
        str(m.id[0] if isinstance(m.id, (tuple, list)) else m.id) for m in shipped_catalogue(SOURCE_LANGUAGE) if m.id
    )


def english() -> Messages:
    return Messages.of(SOURCE_LANGUAGE)


__all__ = ["Messages", "english", "gettext_name", "shipped_catalogue"]


THEME_MESSAGES: dict[str, str] = {
    "feed_title": N_("%(site)s: what changed"),
    "not_found": N_("404 - Not found"),
    "not_found_text": N_("There is no page at this address. Search the site, or start again from its home page."),
    "home": N_("Home page"),
    "untranslated": N_("Not yet translated: shown in the original language."),
    "on_this_page": N_("On this page"),
    "published_by": N_("Published by"),
    "licensed_under": N_("Text licensed under"),
    "made_with": N_("Made with"),
    "share": N_("Share this page"),
    "by_email": N_("by e-mail"),
    "copy_link": N_("Copy link"),
    "link_copied": N_("Link copied"),
    "menu": N_("Menu"),
    "search": N_("Search"),
}
"""Messages the theme's templates show (overrides/), handed to them in the configuration's `extra`."""


def theme_languages() -> list[str]:
    """The languages Material for MkDocs has its own interface text for (its partials/languages/ files)."""
    try:
        import material
    except ImportError:  # pragma: no cover - Material is a dependency
        return [SOURCE_LANGUAGE]
    folder = Path(material.__file__).parent / "templates" / "partials" / "languages"
    return sorted(p.stem for p in folder.glob("*.html") if p.stem != "custom")


def theme_settings(messages: Messages, site_title: str) -> tuple[str, dict[str, str]]:
    """The theme's language for the site's (zh-Hans -> zh, en-GB -> en, zh-TW -> zh-TW) and the messages
    the overrides show, for the configuration's `extra.explainer`."""
    from . import theme_language

    language = theme_language(messages.language, theme_languages()) or SOURCE_LANGUAGE
    extra = {key: messages.gettext(message) for key, message in THEME_MESSAGES.items()}
    feed = THEME_MESSAGES["feed_title"]
    extra["feed_title"] = messages.gettext(feed, site=site_title)
    extra["language"] = messages.language
    return language, extra
