"""The rare-earths explainer in content/: complete, valid, and free of the errors the fact sheet flags."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.model import Content, SourceKind
from builder.stats import stats
from builder.validate import check
from tests.conftest import ROOT
from tests.pagefind_index import fragments

CONTENT = ROOT / "content"


@pytest.fixture(scope="module")
def real() -> Content:
    checked = check(CONTENT, display_root=ROOT)
    assert [p.text() for p in checked.problems] == []
    assert checked.content is not None
    return checked.content


def test_minimums(real: Content) -> None:
    counts = stats(real)
    assert counts["facts"] >= 80
    assert counts["sources"] >= 30
    assert counts["questions"] >= 24
    assert counts["events"] >= 25
    assert counts["elements"] == 17
    assert counts["people"] >= 15
    assert counts["uncited_facts"] == 0


def test_required_questions_exist(real: Content) -> None:
    asked = {q.question for q in real.questions}
    for question in (
        "What are rare earth elements?",
        "Why does China dominate refining rather than mining?",
        "What did China restrict in April 2025?",
        "What happened at the London talks?",
        "Is China's leverage temporary?",
        "Can the US build its own supply chain?",
    ):
        assert question in asked


def test_flagged_errors_are_never_stated_as_fact(real: Content) -> None:
    for fact in real.facts:
        text = fact.statement.lower()
        assert "joe biden" not in text, fact.id
        assert "virtually none" not in text, fact.id
        assert "middle of the periodic table" not in text, fact.id
    claims = " ".join(c.claim for c in real.corrections)
    for wrong in ("virtually none", "Joe Biden", "middle of the periodic table"):
        assert wrong in claims


def test_aggregators_are_listed_but_never_cited(real: Content) -> None:
    aggregators = {s.id for s in real.sources if s.kind is SourceKind.AGGREGATOR}
    assert aggregators
    assert not aggregators & {c.source for c in real.all_citations()}


def test_elements_cover_the_seventeen(real: Content) -> None:
    numbers = sorted(e.atomic_number for e in real.elements)
    assert numbers == [21, 39, *range(57, 72)]


def test_real_site_builds_strict_and_search_finds_key_items(real_site: Path) -> None:
    records = fragments(real_site)

    def found(word: str) -> set[str]:
        return {href for href, record in records.items() if word.lower() in record["content"].lower()}

    assert any(loc.startswith("facts/") and "#" in loc for loc in found("dysprosium"))
    assert any("#" in loc for loc in found("Busan"))
    assert any("#" in loc for loc in found("Announcement No. 18"))
