"""Editions: the content as an edition in another language shows it, from each item's `translations`.

An item (or the story, a topic, the site itself) with a translation for the edition that covers every text
field it has is shown translated; any other is shown as written, in the site's language, and its key is
listed in `untranslated` so that the pages mark it (a notice in the edition's language, `lang` on its text).
Ids, sources, statuses, dates and numbers are shared: only text fields are replaced, the item's own and
those of its parts (a citation's role and note, a figure's label and value).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from .model import TRANSLATIONS, CategoryLabels, Content, ElementSettings, Labels

SITE = "site"
STORY = "story"
"""Keys of the site's own text and of the story in `untranslated` (items use their ids)."""


@dataclass
class Edition:
    language: str
    """The edition's language (BCP 47, as in site.yaml `editions`)."""
    original: str
    """The site's own language: the language of untranslated text."""
    content: Content
    untranslated: set[str] = field(default_factory=set)


def _text_fields(model: BaseModel) -> list[str]:
    """The fields a model's translations may give (those of its *Text model, nested models aside)."""
    info = type(model).model_fields[TRANSLATIONS]
    text_cls: type[BaseModel] = next(
        arg for arg in getattr(info.annotation, "__args__", ()) if isinstance(arg, type) and issubclass(arg, BaseModel)
    )
    return [
        name
        for name, sub in text_cls.model_fields.items()
        if not (isinstance(sub.annotation, type) and issubclass(sub.annotation, BaseModel))
        and name in type(model).model_fields
    ]


def _parts(model: BaseModel) -> list[str]:
    """The fields holding lists of parts with translations of their own (citations, figures)."""
    return [
        name
        for name in type(model).model_fields
        if name != TRANSLATIONS
        and isinstance(value := getattr(model, name), list)
        and value
        and isinstance(value[0], BaseModel)
        and TRANSLATIONS in type(value[0]).model_fields
    ]


def untranslated_fields(model: Any, language: str) -> list[tuple[str | int, ...]]:
    """Where the model's text is not given in `language`: the path of each text field it has (its own, and
    its parts': a citation's role and note, a figure's label and value) that its translations lack."""
    given = model.translations.get(language)
    missing: list[tuple[str | int, ...]] = [
        (f,) for f in _text_fields(model) if getattr(model, f) and (given is None or getattr(given, f) is None)
    ]
    for name in _parts(model):
        for index, part in enumerate(getattr(model, name)):
            missing += [(name, index, *where) for where in untranslated_fields(part, language)]
    return missing


def translated(model: Any, language: str) -> tuple[Any, bool]:
    """The model with its text in `language`, and whether it is translated: every text field it has, and
    every text field of its parts. An item partly translated is shown as written."""
    if untranslated_fields(model, language):
        return model, False
    given = model.translations.get(language)
    update: dict[str, Any] = {f: getattr(given, f) for f in _text_fields(model) if getattr(model, f)}
    for name in _parts(model):
        update[name] = [translated(part, language)[0] for part in getattr(model, name)]
    return (model.model_copy(update=update) if update else model), True


def edition(content: Content, language: str) -> Edition:
    """The content as the edition in `language` shows it."""
    site = content.site
    result = Edition(language, site.language, content)
    missing = result.untranslated

    def each(items: list[Any]) -> list[Any]:
        out = []
        for item in items:
            copy, done = translated(item, language)
            if not done:
                missing.add(item.id)
            out.append(copy)
        return out

    topics = each(site.topics)
    story = site.story
    if story is not None:
        story, done = translated(story, language)
        if not done:
            missing.add(STORY)
    own = site.translations.get(language)
    title = own.title if own and own.title else site.title
    description = own.description if own and own.description else site.description
    if not (own and own.title and own.description):
        missing.add(SITE)
    elements = site.elements
    if elements is not None:
        given = own.elements if own else None
        words = given.model_dump(exclude_none=True) if given else {}
        categories = words.pop("categories", None)
        original = {"intro": elements.intro, "convention": elements.convention}  # shown as written until translated
        elements = ElementSettings(**{**original, **words}, categories=CategoryLabels(**(categories or {})))
    new_site = site.model_copy(
        update={
            "title": title,
            "description": description,
            "language": language,
            "editions": [],
            "topics": topics,
            "story": story,
            "labels": (own.labels if own and own.labels else Labels()),
            "elements": elements,
        }
    )
    result.content = content.model_copy(
        update={
            "site": new_site,
            "facts": each(content.facts),
            "questions": each(content.questions),
            "events": each(content.events),
            "elements": each(content.elements),
            "people": each(content.people),
            "datasets": each(content.datasets),
            "corrections": each(content.corrections),
        }
    )
    return result
