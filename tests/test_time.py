"""The explainer over time: review and end dates shown to readers, What changed, the feed, the review gate,
and the check that a fact's status agrees with its sources."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

from builder.__main__ import main
from builder.render import Rendered, render
from builder.validate import check
from tests.conftest import ROOT
from tests.golden import fixture_history

ATOM = "{http://www.w3.org/2005/Atom}"


def rendered(content: Path, today: str, url: str | None = None) -> Rendered:
    if url:
        site = content / "site.yaml"
        site.write_text(site.read_text("utf-8").replace("publisher:", f"url: {url}\npublisher:", 1), "utf-8")
    checked = check(content)
    assert checked.content is not None
    return render(checked.content, history=fixture_history(), today=dt.date.fromisoformat(today))


def test_badge_appears_only_once_review_by_has_passed(content: Path) -> None:
    before = rendered(content, "2025-05-31").pages
    after = rendered(content, "2025-06-02").pages
    # beta-fact: review_by 2025-06-01, ends 2025-06-15.
    assert "Due for review since" not in before["facts/trade.md"]
    assert "review.md" not in before
    assert "Due for review since 1 June 2025" in after["facts/trade.md"]
    assert "Due for review since 1 June 2025" in after["index.md"]  # a key point on the story page
    assert "[Officials on the flow of metals](facts/trade.md#beta-fact)" in after["review.md"]
    assert "This was due to end" not in after["facts/trade.md"]
    assert "Due to end on 15 June 2025: the officials said" in after["facts/trade.md"]


def test_a_statement_past_its_end_date_is_not_presented_as_current(content: Path) -> None:
    pages = rendered(content, "2025-06-16").pages
    assert (
        '<p class="fact-ended"><strong>This was due to end on 15 June 2025; its status since then is '
        "unconfirmed.</strong>"
    ) in pages["facts/trade.md"]
    assert "Due to end on" not in pages["facts/trade.md"]
    assert "This was due to end on 15 June 2025" in pages["review.md"]


def test_the_review_page_is_in_the_navigation_only_when_a_claim_awaits_review(content: Path) -> None:
    def about(result: Rendered) -> list[str]:
        entries = next(entry["About"] for entry in result.nav if "About" in entry)
        return [next(iter(e.values())) for e in entries]

    assert about(rendered(content, "2025-05-31")) == [
        "changes.md",
        "sources.md",
        "corrections.md",
        "method.md",
        "statuses.md",
        "downloads.md",
    ]
    assert about(rendered(content, "2025-06-02")) == [
        "changes.md",
        "review.md",
        "sources.md",
        "corrections.md",
        "method.md",
        "statuses.md",
        "downloads.md",
    ]


def test_a_control_suspended_until_a_past_date_says_so(content: Path) -> None:
    page = rendered(content, "2025-07-01").pages["elements.md"]
    assert "<strong>suspended</strong> until 1 May 2025 &#40;date passed; current status unconfirmed&#41;." in page
    assert "until 10 November 2026." in page  # dysprosium's suspension has not ended yet


def test_story_shows_its_as_of_date_under_the_headline(content: Path) -> None:
    page = rendered(content, "2025-07-01").pages["index.md"]
    headline = page.index("{: #page_title }")
    assert page.index('<p class="story-as-of"><strong>As of <time datetime="2025-06-01">') > headline
    assert page.index("story-as-of") < page.index("standfirst")


def test_our_corrections_are_apart_from_errors_in_coverage(content: Path) -> None:
    pages = rendered(content, "2025-07-01").pages
    changes = pages["changes.md"]
    ours = changes[changes.index("## Our corrections") : changes.index("## 15 May 2025")]
    assert "[Alpha dysprosium output](facts/basics.md#alpha-fact): status from Single source to Corrected" in ours
    assert "Share of output" not in ours
    assert "title: Errors in coverage" in pages["corrections.md"]
    assert "These are not errors of ours" in pages["corrections.md"]


def test_without_history_the_changes_page_says_so_and_dates_come_from_the_content(content: Path) -> None:
    checked = check(content)
    assert checked.content is not None
    result = render(checked.content, today=dt.date(2025, 7, 1))
    assert "No revision history was available" in result.pages["changes.md"]
    assert '<span class="last-changed">Last changed 31 January 2025</span>' in result.pages["facts/basics.md"]
    assert "First published" not in result.pages["facts/basics.md"]
    assert 'datetime="2025-06-01"' in result.pages["sources.md"]  # site.updated
    ET.fromstring(result.assets["feed.xml"].encode())


def _check_atom(xml: str) -> ET.Element:
    feed = ET.fromstring(xml.encode())
    assert feed.tag == f"{ATOM}feed"
    for element in (feed, *feed.findall(f"{ATOM}entry")):
        for required in ("id", "title", "updated"):
            found = element.find(f"{ATOM}{required}")
            assert found is not None and (found.text or "").strip(), (element.tag, required)
        dt.datetime.fromisoformat(element.findtext(f"{ATOM}updated") or "")
    return feed


def test_feed_is_valid_atom_with_an_entry_per_change(content: Path) -> None:
    feed = _check_atom(rendered(content, "2025-07-01").assets["feed.xml"])
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == len(fixture_history().changes)
    first = entries[0]
    assert first.findtext(f"{ATOM}title") == "Changed: What is alpha?"
    assert first.findtext(f"{ATOM}updated") == "2025-05-15T00:00:00+00:00"
    link = first.find(f"{ATOM}link")
    assert link is not None and link.get("href") == "questions/what-is-alpha/"
    assert feed.findtext(f"{ATOM}updated") == "2025-05-15T00:00:00+00:00"
    assert len({e.findtext(f"{ATOM}id") for e in entries}) == len(entries)
    summaries = [e.findtext(f"{ATOM}summary") for e in entries]
    assert (
        "Fact changed: status from Confirmed to Disputed; figures; sources added: source-b. "
        "The wire's figure of 61% is now shown beside the survey's."
    ) in summaries  # the fact's change_note, next to its latest change


def test_feed_links_are_absolute_with_a_site_url(content: Path) -> None:
    feed = _check_atom(rendered(content, "2025-07-01", url="https://example.org/explainer/").assets["feed.xml"])
    assert feed.findtext(f"{ATOM}id") == "https://example.org/explainer/feed.xml"
    hrefs = [link.get("href") for link in feed.iter(f"{ATOM}link")]
    assert "https://example.org/explainer/facts/basics/#alpha-fact" in hrefs
    assert all(str(h).startswith("https://example.org/explainer/") for h in hrefs)


def test_every_page_links_the_feed_in_its_head() -> None:
    template = (ROOT / "builder" / "overrides" / "main.html").read_text("utf-8")
    assert '<link rel="alternate" type="application/atom+xml"' in template
    assert "href=\"{{ 'feed.xml' | url | e }}\"" in template


def test_review_fail_on_stale_exit_codes(content: Path, capsys: object) -> None:
    args = ["review", "--content", str(content), "--copies", str(content.parent / "none")]
    assert main([*args, "--today", "2025-05-31", "--fail-on", "stale"]) == 0
    assert main([*args, "--today", "2025-06-02", "--fail-on", "stale"]) == 1  # beta-fact's review_by passed
    assert main([*args, "--today", "2025-06-02"]) == 0  # without --fail-on, a report
    facts = content / "facts" / "basics.yaml"
    facts.write_text(facts.read_text().replace("  review_by: 2025-06-01\n", ""))
    assert main([*args, "--today", "2025-06-10", "--fail-on", "stale"]) == 0
    assert main([*args, "--today", "2025-06-16", "--fail-on", "stale"]) == 1  # past `ends` only
    out = capsys.readouterr().out  # type: ignore[attr-defined]
    assert (
        "review: fact 'beta-fact' was due to end on 2025-06-15; readers are told its status since then is "
        "unconfirmed: find out what happened, then update the statement, ends and as_of [ended-claim]"
    ) in out


def test_status_source_mismatch_messages(content: Path) -> None:
    facts = content / "facts" / "basics.yaml"
    text = facts.read_text()
    # beta-fact (single-source) gains a second source; alpha-fact (confirmed) rests on a newspaper without a note.
    text = text.replace(
        "      speaker: official-one\n      role: trade minister\n",
        "      speaker: official-one\n      role: trade minister\n    - source: source-a\n",
    )
    facts.write_text(text)
    checked = check(content, display_root=content.parent)
    lines = [p.text() for p in checked.problems]
    assert lines == [
        "content/facts/basics.yaml:14:11: error: fact 'beta-fact' has status single-source but cites 2 sources "
        "('source-a', 'source-b'); use confirmed if they are independent, or cite only the one source "
        "[status-source-mismatch]"
    ]


def test_confirmed_on_one_secondary_source_needs_a_note(content: Path) -> None:
    sources = next((content / "sources").glob("*.yaml"))
    text = sources.read_text()
    start = text.index("- id: source-a")
    kind_at = text.index("  kind: ", start)
    end = text.index("\n", kind_at)
    sources.write_text(text[:kind_at] + "  kind: newspaper" + text[end:])
    lines = [p.text() for p in check(content, display_root=content.parent).problems]
    assert lines == [
        "content/facts/basics.yaml:4:11: error: fact 'alpha-fact' is confirmed on one source, 'source-a' "
        "(newspaper), which is not a primary document; add an independent source, use single-source or "
        "secondary-only, or say in note why this source suffices [status-source-mismatch]"
    ]
    facts = content / "facts" / "basics.yaml"
    facts.write_text(
        facts.read_text().replace(
            "  topics: [basics, trade]\n", "  topics: [basics, trade]\n  note: The survey is the only count.\n"
        )
    )
    assert check(content).problems == []


def test_the_real_content_passes_the_status_check() -> None:
    assert [p for p in check(ROOT / "content").problems if p.code == "status-source-mismatch"] == []


def test_control_characters_are_refused_and_the_feed_could_not_hold_them(content: Path) -> None:
    from builder.feed import atom_feed

    site = content / "site.yaml"
    pristine = check(content).content
    assert pristine is not None
    text = site.read_text("utf-8")
    site.write_text(text.replace("publisher: Test desk", 'publisher: "Test\\x1fdesk"'), "utf-8")
    line = text[: text.index("publisher: Test desk")].count("\n") + 1
    assert [(p.line, p.col, p.code) for p in check(content).problems] == [(line, 17, "control-character")]
    # Were such text to reach the feed all the same, XML would still parse: U+FFFD takes its place.
    hostile = pristine.site.model_copy(update={"publisher": "Test\x1fdesk"})
    feed = _check_atom(atom_feed(hostile, [], {}, dt.date(2025, 7, 1)))
    assert feed.findtext(f"{ATOM}author/{ATOM}name") == "Test\ufffddesk"
