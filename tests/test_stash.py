"""Marked raw HTML blocks (builder/stash.py): handed to Python-Markdown whole, they give the same site, byte for
byte, as the whole Markdown pass; and they are what keeps html.parser off most of a generated page."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from markupsafe import Markup

from builder import build as b
from builder import render, stash
from builder.stash import MARK, Blocks, skeleton
from tests.conftest import FIXTURE, ROOT
from tests.scale_content import generate
from tests.test_build import tree_digest

TODAY = dt.date(2026, 6, 1)


def built(content: Path, site: Path) -> dict[str, str]:
    assert b.build(content, site, ROOT / "mkdocs.yml", today=TODAY) == 0
    return tree_digest(site)


def unmarked(self: Blocks, html: str) -> Markup:
    return Markup(html)


@pytest.mark.parametrize("which", ["fixture", "real", "scale"])
def test_the_site_is_the_same_as_from_the_whole_markdown_pass(
    which: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each build has its own cache folder (beside its site), so neither reuses the other's pages."""
    content = {"fixture": FIXTURE, "real": ROOT / "content", "scale": tmp_path / "content"}[which]
    if which == "scale":  # split topics, and status lists split into pages (a list item before a block)
        generate(1200, content)
        monkeypatch.setattr(render, "MAX_STATUS_FACTS_PER_PAGE", 100)
    marked = built(content, tmp_path / "a" / "site")
    with monkeypatch.context() as patch:
        patch.setattr(stash.Blocks, "add", unmarked)
        whole = built(content, tmp_path / "b" / "site")
    assert len(marked) > 40
    assert marked == whole


def test_a_topic_page_goes_to_markdown_as_headings_and_token_lines() -> None:
    prepared = b.Preparer().prepare(FIXTURE, TODAY, history=False)
    assert prepared.rendered is not None
    page = prepared.rendered.pages["facts/basics.md"]
    spans = prepared.rendered.spans["facts/basics.md"]
    text, blocks = skeleton(page, spans)
    assert 1 < len(blocks) < len(spans) and len(spans) > 5  # blocks with only blank lines between: one token
    assert blocks[0].startswith(page[spans[0][0] : spans[0][1]] + "\n\n" + page[spans[1][0] : spans[1][1]])
    assert "\n\n".join(blocks) == "\n\n".join(page[start:end] for start, end in spans)
    assert '<p class="fact-meta"' not in text and '<ol class="references">' not in text
    assert "## Alpha dysprosium output {: #alpha-fact .fact-title }" in text
    assert f"\n\n{MARK}0{MARK}\n\n" in text


def test_only_whole_raw_html_blocks_are_marked() -> None:
    blocks = Blocks()
    assert blocks.add(Markup('<p class="x">one</p>\n')) == f"{MARK}0{MARK}\n"
    assert blocks.add(Markup("<span>inline</span>")) == "<span>inline</span>"
    assert blocks.add(Markup("<p>one</p>\n\n<p>two</p>")) == "<p>one</p>\n\n<p>two</p>"
    assert blocks.add(Markup("<p>one</p><p>two</p>")) == "<p>one</p><p>two</p>", "two paragraphs: two blocks"
    assert blocks.add(Markup("<p>one</p> and more")) == "<p>one</p> and more"
    assert blocks.add(Markup("plain text")) == "plain text"
    assert blocks.add(Markup("")) == ""
    assert blocks.items == ['<p class="x">one</p>']
    text, spans = blocks.expand(f"# T\n\n{MARK}0{MARK}\n", offset=4)
    assert text == '# T\n\n<p class="x">one</p>\n'
    assert spans == ((9, 29),)


def test_a_block_right_after_a_list_item_stays_in_the_page() -> None:
    """Python-Markdown ends the list at a raw block's tag; a token line there would be more of the item."""
    page = '- [a](a.md)\n<nav class="n">x</nav>\n\n<p class="p">y</p>\n'
    nav = (page.index("<nav"), page.index("</nav>") + 6)
    para = (page.index('<p class="p">'), page.index("</p>") + 4)
    text, blocks = skeleton(page, (nav, para))
    assert text == f'- [a](a.md)\n<nav class="n">x</nav>\n\n{MARK}0{MARK}\n'
    assert blocks == ['<p class="p">y</p>']


def test_no_inline_pattern_is_tried_on_a_blocks_placeholder() -> None:
    """The paragraph that holds a block's placeholder skips Python-Markdown's inline patterns; a heading's text, and
    a paragraph of text, still go through them."""
    import markdown
    from markdown.inlinepatterns import InlineProcessor

    tried: list[str] = []

    class Spy(InlineProcessor):
        def handleMatch(self, m: re.Match[str], data: str) -> tuple[None, None, None]:  # type: ignore[override]
            tried.append(data)
            return None, None, None

    extension = stash.StashExtension()
    converter = markdown.Markdown(extensions=["attr_list", "toc", extension])
    converter.inlinePatterns.register(Spy(r"^", converter), "spy", 1000)
    page = f"## A *heading* {{: #a }}\n\n{MARK}0{MARK}\n\nSome *text*.\n\n{MARK}1{MARK}\n"
    extension.blocks = ['<p class="x">One</p>', "<div>Two</div>"]
    html = converter.convert(page)
    assert html == (
        '<h2 id="a">A <em>heading</em></h2>\n<p class="x">One</p>\n\n<p>Some <em>text</em>.</p>\n<div>Two</div>'
    )
    assert tried == ["A *heading* {: #a }", "Some *text*."]
