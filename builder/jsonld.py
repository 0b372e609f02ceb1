"""Structured data for search engines and other readers of the pages: schema.org JSON-LD (no I/O).

A `ClaimReview` for each checked fact, a `Dataset` for each dataset, an `Article` for the story and
each question. `script(...)` writes them as one `<script type="application/ld+json">` element, a raw
HTML block of its own for the end of a page's Markdown: the JSON serialiser writes it, and `<`, `>`
and `&` are written as \\u escapes, so no value can close the element or start another.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from .model import STATUS_TEXT, Dataset, Fact, Site, Source
from .opendata import fact_path, permalink

CONTEXT = "https://schema.org"
_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026", 0x2028: "\\u2028", 0x2029: "\\u2029"}
"""What must not appear as itself inside a script element (and the JavaScript line breaks)."""

Plain = Callable[[str], str]
"""Editor Markdown -> the plain text a reader sees (without citations)."""


def script(items: list[dict[str, Any]]) -> str:
    """The items as one JSON-LD script element on a line of its own, with blank lines around; '' for none."""
    if not items:
        return ""
    data: dict[str, Any] = (
        {"@context": CONTEXT, **items[0]} if len(items) == 1 else {"@context": CONTEXT, "@graph": items}
    )
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).translate(_ESCAPES)
    return f'\n<script type="application/ld+json">{text}</script>\n'


def organisation(name: str, url: str | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {"@type": "Organization", "name": name}
    if url:
        found["url"] = url
    return found


def publisher(site: Site) -> dict[str, Any]:
    return organisation(site.publisher, site.url)


def claim_review(
    site: Site,
    fact: Fact,
    sources: dict[str, Source],
    plain: Plain,
    translate: Callable[[str], str] = lambda message: message,
) -> dict[str, Any]:
    """The fact as a review of a claim: the statement, its status as the rating, where the claim appears."""
    first = sources[fact.citations[0].source]
    label = translate(STATUS_TEXT[fact.status][0])  # the rating's words in the page's language
    return {
        "@type": "ClaimReview",
        "url": permalink(site, fact_path(fact)),
        "name": fact.title,
        "claimReviewed": plain(fact.statement),
        "datePublished": fact.as_of.isoformat(),
        "author": publisher(site),
        "publisher": publisher(site),
        "inLanguage": site.language,
        "reviewRating": {
            "@type": "Rating",
            "alternateName": label,
            "ratingExplanation": translate(STATUS_TEXT[fact.status][1]),
        },
        "itemReviewed": {
            "@type": "Claim",
            "author": organisation(first.publisher),
            "appearance": {"@type": "CreativeWork", "url": first.url, "headline": first.title},
        },
    }


def dataset(site: Site, item: Dataset, source: Source, plain: Plain) -> dict[str, Any]:
    """A dataset, its CSV download, and the source its numbers come from."""
    found: dict[str, Any] = {
        "@type": "Dataset",
        "name": item.title,
        "description": plain(item.description),
        "url": permalink(site, f"data/#{item.id}"),
        "dateModified": item.as_of.isoformat(),
        "creator": organisation(source.publisher),
        "publisher": publisher(site),
        "isBasedOn": source.url,
        "inLanguage": site.language,
        "variableMeasured": [c.label + (f" ({c.unit})" if c.unit else "") for c in item.columns],
        "distribution": [
            {
                "@type": "DataDownload",
                "encodingFormat": "text/csv",
                "contentUrl": permalink(site, f"data/{item.id}.csv"),
            }
        ],
    }
    if site.data_licence:
        found["license"] = site.data_licence.url
    return found


def article(site: Site, path: str, headline: str, description: str, modified: str) -> dict[str, Any]:
    """A page of writing: the story or a question's answer."""
    return {
        "@type": "Article",
        "url": permalink(site, path),
        "headline": headline,
        "description": description,
        "dateModified": modified,
        "author": publisher(site),
        "publisher": publisher(site),
        "inLanguage": site.language,
    }
