"""Languages: message catalogues per language (gettext, through Babel) and CLDR formatting.

A site's language is a BCP 47 code (en, en-GB, fr-CA, zh-Hans...). Its messages come from the first
catalogue along a fallback chain (en-GB -> en; zh-CN -> zh-Hans), shipped in this folder as
<lang>/LC_MESSAGES/messages.po, or given by the explainer in content/messages/<lang>.po.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from babel import Locale
from babel.core import UnknownLocaleError, get_global

CATALOGUES = Path(__file__).parent
"""Where the shipped catalogues live: <lang>/LC_MESSAGES/messages.po, lang as gettext names it (zh_Hans)."""
DOMAIN = "messages"


def gettext_name(tag: str) -> str:
    """'zh-Hans' -> 'zh_Hans': the form gettext folders and Babel use."""
    return tag.replace("-", "_")


def bcp47(name: str) -> str:
    """'zh_Hans' -> 'zh-Hans'."""
    return name.replace("_", "-")


def parse(tag: str) -> Locale | None:
    """The Babel locale of a BCP 47 code, or None when CLDR does not know it."""
    try:
        return Locale.parse(gettext_name(tag))
    except (UnknownLocaleError, ValueError):
        return None


def chain(tag: str) -> list[str]:
    """The catalogue names to try for a language, most specific first: en-GB -> [en_GB, en];
    zh-CN -> [zh_Hans_CN, zh_Hans, zh]; zh -> [zh, zh_Hans] (the script CLDR deems likely)."""
    locale = parse(tag)
    if locale is None:
        return []
    script = locale.script or _likely_script(locale.language)
    names = [gettext_name(tag), str(locale)]
    if script:
        names += [
            f"{locale.language}_{script}_{locale.territory}" if locale.territory else "",
            f"{locale.language}_{script}",
        ]
    names.append(locale.language)
    if not locale.script and script:
        names.append(f"{locale.language}_{script}")
    seen: list[str] = []
    for name in names:
        if name and name not in seen:
            seen.append(name)
    return seen


def _likely_script(language: str) -> str | None:
    likely = get_global("likely_subtags").get(language)
    if not likely:
        return None
    parts = likely.split("_")
    return next((p for p in parts[1:] if len(p) == 4 and p.istitle()), None)


def shipped() -> list[str]:
    """The languages this builder ships a complete catalogue for, as BCP 47 codes."""
    return sorted(bcp47(p.parent.parent.name) for p in CATALOGUES.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def catalogue_for(tag: str, own: Iterable[str] = ()) -> str | None:
    """The catalogue name that serves a language (shipped, or the explainer's own: `own` gettext names)."""
    available = {gettext_name(t) for t in shipped()} | set(own)
    return next((name for name in chain(tag) if name in available), None)


def theme_language(tag: str, available: list[str]) -> str | None:
    """The theme's language for a site language (Material names: zh, zh-TW, zh-Hant, pt-BR, en...)."""
    locale = parse(tag)
    if locale is None:
        return None
    script = locale.script or _likely_script(locale.language)
    candidates = [tag]
    if locale.territory:
        candidates.append(f"{locale.language}-{locale.territory}")
    if script:
        candidates.append(f"{locale.language}-{script}")
    candidates.append(locale.language)
    return next((c for c in candidates if c in available), None)


def language_key(tag: str) -> tuple[str, str | None]:
    """What makes two codes the same language for a reader: the language and its script (en-GB and en are
    the same; zh-Hans and zh-TW are not)."""
    locale = parse(tag)
    if locale is None:
        return (tag.split("-")[0].lower(), None)
    return (locale.language, locale.script or _likely_script_of(locale))


def _likely_script_of(locale: Locale) -> str | None:
    if locale.territory:
        likely = get_global("likely_subtags").get(f"{locale.language}_{locale.territory}")
        if likely:
            parts = likely.split("_")
            found = next((str(p) for p in parts[1:] if len(p) == 4 and p.istitle()), None)
            if found:
                return found
    return _likely_script(locale.language)
