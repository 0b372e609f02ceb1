"""Reading time (builder/reading.py): the words a reader reads in the page's flow, at 230 words a minute."""

from __future__ import annotations

from builder.reading import minutes, words


def test_words_leave_out_tooltips_badges_references_and_scripts() -> None:
    body = (
        "# A title {: #page_title }\n\n"
        '<p>Five words in this paragraph<span class="cite" data-search-exclude><a href="#ref_1">[1]</a>'
        '<span class="cite-tip">a long quoted passage nobody reads in the flow</span></span>.</p>\n\n'
        '<p class="fact-meta" data-search-exclude><span>Confirmed</span> As of 1 June 2025</p>\n'
        '<ol class="references"><li>Publisher, a title of a source</li></ol>\n'
        '<script type="application/ld+json">{"headline": "not read"}</script>\n'
        "Two more<br>words, and a dash-joined word.\n"
    )
    assert words(body) == 3 + 5 + 7


def test_minutes_round_up_and_never_say_zero() -> None:
    assert minutes("") == 1
    assert minutes("word " * 230) == 1
    assert minutes("word " * 231) == 2
    assert minutes("<p>" + "word " * 2300 + "</p>") == 10
