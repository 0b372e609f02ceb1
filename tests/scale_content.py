"""A generated content tree of any size whose items look like the real explainer's, for `make bench-scale`.

Facts carry Markdown (emphasis, links, inline citations), one to four citations with quotes, speakers,
locators and notes, every status, figures side by side where sources disagree, review and end dates.
Sources, people, questions and events grow with the facts; facts are spread over a fixed set of topics,
so a topic holds thousands of facts at 50,000. The same size always gives the same tree (seeded).

    python -m tests.scale_content 10000 /tmp/content-10k
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path
from typing import Any

import yaml

TOPICS = 24
"""Topics in the generated site.yaml: the navigation stays this small at every size."""
FACTS_PER_FILE = 400
FACTS_PER_SOURCE = 8
FACTS_PER_PERSON = 50
FACTS_PER_QUESTION = 100
FACTS_PER_EVENT = 50
_TEXT = (
    "ministry export licence magnet refinery quota tonnes shipment permit supply chain output share mine "
    "processing smelter agreement tariff review announcement deadline capacity contract customs license "
    "restriction suspension market price demand stockpile reserve alloy oxide concentrate separation plant"
)
WORDS = tuple(_TEXT.split(" "))
PUBLISHERS = (
    ("Ministry of Commerce", "government", "CN"),
    ("U.S. Geological Survey", "government", "US"),
    ("International Energy Agency", "international-organisation", None),
    ("Reuters", "wire", "GB"),
    ("Financial Times", "newspaper", "GB"),
    ("The New York Times", "newspaper", "US"),
    ("Center for Strategic and International Studies", "think-tank", "US"),
    ("Nikkei Asia", "magazine", "JP"),
    ("Argus Media", "trade-press", "GB"),
    ("Xinhua", "state-media", "CN"),
)
STATUSES = ("confirmed", "confirmed", "confirmed", "secondary-only", "disputed", "reported-denied", "corrected")


def sentence(rng: random.Random, words: int) -> str:
    chosen = [rng.choice(WORDS) for _ in range(words)]
    return " ".join(chosen).capitalize()


def statement(rng: random.Random, sources: list[str], n: int) -> str:
    """Two or three sentences of Markdown: emphasis, sometimes a link, sometimes an inline citation."""
    parts = [f"{sentence(rng, 14)} in {2015 + n % 11}, *about {n % 97 + 3}%* of the total."]
    if n % 5 == 0:
        parts.append(f"The [{rng.choice(WORDS)} notice](https://example.org/notices/{n}) set out the terms.")
    if n % 7 == 0:
        parts.append(f"Officials said **{rng.choice(WORDS)}** rules would follow [@{rng.choice(sources)}].")
    parts.append(f"{sentence(rng, 10)} by {rng.choice(('March', 'June', 'October'))} {2020 + n % 6}.")
    return " ".join(parts)


def fact(rng: random.Random, n: int, sources: list[str], kinds: dict[str, str], people: list[str]) -> dict[str, Any]:
    status = STATUSES[n % len(STATUSES)]
    count = 1 if status in ("single-source", "secondary-only") else rng.randint(2, 4)
    if n % 11 == 0:
        status, count = "single-source", 1
    cited = rng.sample(sources, count)
    citations: list[dict[str, Any]] = []
    for i, source in enumerate(cited):
        cite: dict[str, Any] = {"source": source}
        if i == 0 or n % 3 == 0:
            cite["quote"] = sentence(rng, 12) + "."
        if n % 4 == 0 and i == 0:
            cite["speaker"] = rng.choice(people)
            cite["role"] = "spokesperson"
        if n % 6 == 1:
            cite["locator"] = f"page {n % 40 + 1}"
        citations.append(cite)
    item: dict[str, Any] = {
        "id": f"fact-{n}",
        "title": f"{sentence(rng, 6)} ({n})",
        "statement": statement(rng, sources, n),
        "status": status,
        "as_of": dt.date(2020 + n % 6, n % 12 + 1, n % 28 + 1),
        "topics": [f"topic-{n % TOPICS}"] + ([f"topic-{(n + 5) % TOPICS}"] if n % 9 == 0 else []),
        "citations": citations,
    }
    if status == "disputed" and len(cited) >= 2:
        item["figures"] = [
            {"source": s, "label": "Share of refining", "year": 2024, "value": f"{60 + (n + i) % 35}%"}
            for i, s in enumerate(cited[:2])
        ]
    if (status == "confirmed" and count == 1) or n % 13 == 0:
        item["note"] = f"Checked against the {rng.choice(WORDS)} table; see also the _{rng.choice(WORDS)}_ annex."
    if n % 17 == 0:
        item["review_by"] = dt.date(2026, n % 12 + 1, 1)
    if n % 29 == 0:
        item["ends"] = dt.date(2026, 11, 10)
        item["ends_note"] = "the suspension runs until then"
    del kinds
    return item


def generate(facts: int, out: Path, seed: int = 13) -> None:
    """Write a content tree of `facts` facts into `out` (which must not exist)."""
    rng = random.Random(seed)
    out.mkdir(parents=True)
    n_sources = max(20, facts // FACTS_PER_SOURCE)
    sources = [f"source-{i}" for i in range(n_sources)]
    people = [f"person-{i}" for i in range(max(5, facts // FACTS_PER_PERSON))]
    kinds = {}
    source_items = []
    for i, ident in enumerate(sources):
        publisher, kind, country = PUBLISHERS[i % len(PUBLISHERS)]
        kinds[ident] = kind
        item: dict[str, Any] = {
            "id": ident,
            "publisher": publisher,
            "title": f"{sentence(rng, 7)} ({i})",
            "published": dt.date(2018 + i % 8, i % 12 + 1, i % 28 + 1),
            "url": f"https://example.org/{kind}/{i}",
            "accessed": dt.date(2025, 11, 20),
            "kind": kind,
        }
        if country:
            item["country"] = country
        if i % 10 == 3:
            item["authors"] = [f"Author {i}", f"Writer {i + 1}"]
        if i % 25 == 0:
            item["note"] = "Read in the *English* translation the publisher gives."
        source_items.append(item)
    write(out / "sources" / "sources.yaml", source_items)
    write(
        out / "people" / "people.yaml",
        [
            {
                "id": p,
                "name": f"Person {i}",
                "role": "Spokesperson",
                "citations": [{"source": sources[i % n_sources]}],
            }
            for i, p in enumerate(people)
        ],
    )
    fact_items = [fact(rng, n, sources, kinds, people) for n in range(facts)]
    for start in range(0, facts, FACTS_PER_FILE):
        write(out / "facts" / f"facts-{start // FACTS_PER_FILE:04d}.yaml", fact_items[start : start + FACTS_PER_FILE])
    questions = [
        {
            "id": f"question-{i}",
            "question": f"What happened to {rng.choice(WORDS)} {rng.choice(WORDS)} ({i})?",
            "short_answer": f"In short: {sentence(rng, 12)} [@fact-{i * FACTS_PER_QUESTION}].",
            "answer": f"{statement(rng, sources, i)}\n\nAlso: {sentence(rng, 15)} [@fact-{i * FACTS_PER_QUESTION + 1}].",
            "as_of": dt.date(2025, 6, 1),
            "topics": [f"topic-{i % TOPICS}"],
            "facts": [f"fact-{i * FACTS_PER_QUESTION + 2}"],
        }
        for i in range(max(1, facts // FACTS_PER_QUESTION))
    ]
    write(out / "questions" / "questions.yaml", questions)
    events = [
        {
            "id": f"event-{i}",
            "date": dt.date(2010 + i % 16, i % 12 + 1, i % 28 + 1),
            "title": f"{sentence(rng, 8)} ({i})",
            "citations": [{"source": sources[(i * 7) % n_sources]}],
            "facts": [f"fact-{i * FACTS_PER_EVENT}"],
        }
        for i in range(max(2, facts // FACTS_PER_EVENT))
    ]
    write(out / "events" / "events.yaml", events)
    site = {
        "title": "Generated explainer at scale",
        "description": f"A generated explainer of {facts:,} facts, for measuring the builder.",
        "language": "en",
        "publisher": "Benchmark desk",
        "updated": dt.date(2026, 11, 24),
        "topics": [
            {"id": f"topic-{t}", "label": f"Topic {t}: {WORDS[t % len(WORDS)]}", "description": sentence(rng, 9) + "."}
            for t in range(TOPICS)
        ],
        "story": {
            "headline": "The generated story",
            "standfirst": "A standfirst with citations [@fact-0] [@fact-1].",
            "what_happened": "What happened, cited [@fact-2] and sourced [@source-0].",
            "key_points": [f"fact-{i}" for i in range(min(facts, 8))],
            "voices": [f"fact-{i}" for i in range(8, min(facts, 12))],
            "timeline": [e["id"] for e in events[:10]],
            "questions": [q["id"] for q in questions[:10]],
        },
    }
    write(out / "site.yaml", site)
    used = {c["source"] for f in fact_items for c in f["citations"]}
    unused = [s for s in sources if s not in used]
    if unused:  # every source is cited somewhere: one more fact cites the rest
        extra = fact(rng, facts, sources, kinds, people)
        extra["citations"] = [{"source": s} for s in unused]
        extra["status"] = "confirmed"
        extra.pop("figures", None)
        write(out / "facts" / "facts-extra.yaml", [extra])


def write(file: Path, value: Any) -> None:
    file.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=100)
    file.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    generate(int(sys.argv[1]), Path(sys.argv[2]))
