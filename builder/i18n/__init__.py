"""Languages: message catalogues per language (gettext, through Babel) and CLDR formatting.

A site's language is a BCP 47 code (en, en-GB, fr-CA, zh-Hans...). Its messages come from the first
catalogue along a fallback chain (en-GB -> en; zh-CN -> zh-Hans), shipped in this folder as
<lang>/LC_MESSAGES/messages.po, or given by the explainer in content/messages/<lang>.po.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel import Locale

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
    from babel import Locale
    from babel.core import UnknownLocaleError

    try:
        return Locale.parse(gettext_name(tag))
    except (UnknownLocaleError, ValueError):
        return None


SCRIPTS = {"zh": ("Hans", {"TW": "Hant", "HK": "Hant", "MO": "Hant"})}
"""The script a language is written in when its code names none (CLDR's likely subtags, for the languages
whose catalogues are per script): zh -> Hans, zh-TW -> Hant. Kept here so that `check`, which chooses a
catalogue, does not load Babel."""


def subtags(tag: str) -> tuple[str, str | None, str | None]:
    """'zh-Hant-TW' -> ('zh', 'Hant', 'TW'); 'en-GB' -> ('en', None, 'GB')."""
    parts = tag.replace("_", "-").split("-")
    language = parts[0].lower()
    script = next((p.title() for p in parts[1:] if len(p) == 4 and p.isalpha()), None)
    region = next(
        (p.upper() for p in parts[1:] if (len(p) == 2 and p.isalpha()) or (len(p) == 3 and p.isdigit())), None
    )
    if script is None and language in SCRIPTS:
        default, by_region = SCRIPTS[language]
        script = by_region.get(region or "", default)
    return language, script, region


def chain(tag: str) -> list[str]:
    """The catalogue names to try for a language, most specific first: en-GB -> [en_GB, en];
    zh-CN -> [zh_CN, zh_Hans_CN, zh_Hans, zh]; zh -> [zh_Hans, zh]; zh-TW -> [zh_TW, zh_Hant_TW, zh_Hant, zh]."""
    language, script, region = subtags(tag)
    names = [gettext_name(tag)]
    if script and region:
        names.append(f"{language}_{script}_{region}")
    if region and not script:
        names.append(f"{language}_{region}")
    if script:
        names.append(f"{language}_{script}")
    names.append(language)
    seen: list[str] = []
    for name in names:
        if name and name not in seen:
            seen.append(name)
    return seen


def language_key(tag: str) -> tuple[str, str | None]:
    """What makes two codes the same language for a reader: the language and its script (en-GB and en are
    the same; zh-Hans and zh-TW are not)."""
    language, script, _ = subtags(tag)
    return language, script


def theme_language(tag: str, available: list[str]) -> str | None:
    """The theme's language for a site language (Material names: zh, zh-TW, zh-Hant, pt-BR, en...)."""
    language, script, region = subtags(tag)
    candidates = [tag]
    if region:
        candidates.append(f"{language}-{region}")
    if script:
        candidates.append(f"{language}-{script}")
    candidates.append(language)
    return next((c for c in candidates if c in available), None)


def shipped() -> list[str]:
    """The languages this builder ships a complete catalogue for, as BCP 47 codes."""
    return sorted(bcp47(p.parent.parent.name) for p in CATALOGUES.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def catalogue_for(tag: str, own: Iterable[str] = ()) -> str | None:
    """The catalogue name that serves a language (shipped, or the explainer's own: `own` gettext names)."""
    available = {gettext_name(t) for t in shipped()} | set(own)
    return next((name for name in chain(tag) if name in available), None)
