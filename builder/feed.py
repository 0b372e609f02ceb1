"""The Atom feed of changes (feed.xml at the site's root), written with feedgen; no I/O.

Each entry is one change of a fact or answer (from builder/history.py): its id is stable (derived from the
commit, the item and the action), its link goes to the item, its summary says what changed. Links are absolute
when site.yaml has `url`; without it they are relative to the feed's own address (the site's root).
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import uuid
from typing import TYPE_CHECKING, Any

from feedgen.feed import FeedGenerator

from .history import Change
from .model import N_, STATUS_TEXT, Site, Status

if TYPE_CHECKING:
    from .i18n.messages import Messages

FEED = "feed.xml"
MAX_ENTRIES = 100
"""Entries in the feed at most: the newest changes."""
ACTIONS = {"added": N_("Added"), "changed": N_("Changed"), "withdrawn": N_("Withdrawn")}
FIELD_NAMES = {
    "statement": N_("statement"),
    "figures": N_("figures"),
    "citations": N_("sources"),
    "title": N_("title"),
    "ends": N_("end date"),
    "question": N_("question"),
    "short_answer": N_("short answer"),
    "answer": N_("answer"),
}


def _messages(messages: Messages | None) -> Messages:
    from .i18n.messages import english

    return messages or english()


def status_label(value: str | None, messages: Messages | None = None) -> str:
    try:
        return _messages(messages).gettext(STATUS_TEXT[Status(str(value))][0])
    except ValueError:
        return str(value)


def describe(change: Change, messages: Messages | None = None) -> str:
    """What a change did, in words: 'status from Single source to Confirmed; figures; sources added: x'."""
    say = _messages(messages)
    if change.action != "changed":
        return say.gettext(ACTIONS[change.action]).lower()
    parts = []
    if change.status_from is not None:
        parts.append(
            say.gettext(
                "status from %(old)s to %(new)s",
                old=status_label(change.status_from, say),
                new=status_label(change.status_to, say),
            )
        )
    parts += [
        say.gettext(FIELD_NAMES[name]) if name in FIELD_NAMES else name
        for name in change.fields
        if name not in ("status", "citations")
    ]
    if change.sources_added:
        parts.append(say.gettext("sources added: %(ids)s", ids=", ".join(change.sources_added)))
    if change.sources_removed:
        parts.append(say.gettext("sources removed: %(ids)s", ids=", ".join(change.sources_removed)))
    if "citations" in change.fields and not (change.sources_added or change.sources_removed):
        parts.append(say.gettext("citations"))
    return say.gettext("; ").join(parts)


def item_path(ident: str, page: str) -> str:
    """The item's address relative to the site's root: 'facts/supply/#id' or 'questions/why/'."""
    stem = page.removesuffix(".md")
    path = stem.removesuffix("index") if posixpath.basename(stem) == "index" else stem + "/"
    return path if page.startswith("questions/") else f"{path}#{ident}"


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
"""Characters XML 1.0 cannot hold (control characters, lone surrogates); check refuses none of them in titles."""


def xml_text(text: str) -> str:
    """Text an XML document can hold: each character XML forbids becomes U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def atom_feed(
    site: Site, changes: list[dict[str, Any]], pages: dict[str, str], updated: dt.date, messages: Messages | None = None
) -> str:
    """The feed as Atom XML, its text in the site's language: the newest changes first."""
    say = _messages(messages)
    base = site.url.rstrip("/") + "/" if site.url else ""
    feed_id = base + FEED if base else uuid.uuid5(uuid.NAMESPACE_URL, f"explainer:{site.title}").urn
    generator = FeedGenerator()
    generator.id(feed_id)
    generator.title(xml_text(say.gettext("%(site)s: what changed", site=site.title)))
    generator.subtitle(xml_text(site.description))
    generator.author({"name": xml_text(site.publisher)})
    generator.language(site.language)
    generator.link(href=base + FEED, rel="self", type="application/atom+xml")
    generator.link(href=base or "./", rel="alternate", type="text/html")
    generator.generator("sourced-explainer")
    newest = max((c["change"].date for c in changes), default=updated)
    generator.updated(_midnight(newest))
    for entry in changes[:MAX_ENTRIES]:
        change: Change = entry["change"]
        item = generator.add_entry(order="append")
        key = f"{feed_id}#{change.commit}/{change.kind}/{change.ident}/{change.action}"
        item.id(uuid.uuid5(uuid.NAMESPACE_URL, key).urn)
        action = say.gettext(ACTIONS[change.action])
        item.title(xml_text(say.gettext("%(action)s: %(title)s", action=action, title=change.title)))
        item.updated(_midnight(change.date))
        if change.ident in pages and entry["current"]:
            item.link(href=base + item_path(change.ident, pages[change.ident]), rel="alternate")
        else:  # withdrawn: the What changed page tells of it
            item.link(href=base + "changes/", rel="alternate")
        kind = say.gettext("Answer") if change.kind == "question" else say.gettext("Fact")
        summary = say.gettext("%(kind)s %(action)s", kind=kind, action=action.lower())
        if change.action == "changed":
            summary = say.gettext("%(summary)s: %(what)s", summary=summary, what=describe(change, say))
        if entry["note"]:
            summary = say.gettext("%(summary)s. %(note)s", summary=summary, note=entry["note"])
        item.summary(xml_text(summary))
    xml: bytes = generator.atom_str(pretty=True)
    return xml.decode("utf-8")


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
