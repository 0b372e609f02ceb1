"""Generated pages held compressed (builder/packed.py): read back exactly, their front matter read alone, and
shared as they are with the page memo and MkDocs' files."""

from __future__ import annotations

import datetime as dt
import zlib
from pathlib import Path

from builder.build import Preparer, prepare
from builder.packed import STEP, Pages, pack
from builder.plugin import PackedFile
from tests.conftest import FIXTURE

TODAY = dt.date(2026, 6, 1)


def test_pages_give_back_each_page_as_it_was_set() -> None:
    pages = Pages()
    texts = {"a.md": "---\ntitle: A\n---\n\nText — with “quotes” and 中文.\n", "b/c.md": "", "d.md": "x" * 100_000}
    for src, text in texts.items():
        pages[src] = text
    assert dict(pages) == texts and pages == texts and len(pages) == 3 and "b/c.md" in pages
    assert len(pages.packed("d.md")) < 1_000  # held compressed
    other = Pages()
    other.put("a.md", pages.packed("a.md"))
    assert other["a.md"] == texts["a.md"] and other.packed("a.md") is pages.packed("a.md")
    del pages["a.md"]
    assert sorted(pages) == ["b/c.md", "d.md"]


def test_the_front_matter_is_read_without_the_rest_of_the_page() -> None:
    pages = Pages()
    long = "---\ntitle: Long\ndescription: " + "é" * STEP + "\n---\n\n" + "Body. " * 50_000
    pages["long.md"] = long
    pages["plain.md"] = "# No front matter\n\n---\n\nA rule above.\n"
    pages["open.md"] = "---\ntitle: never closed\n"
    pages["empty.md"] = ""
    assert pages.front("long.md") == long[: long.index("\n---\n", 3) + 5]
    assert pages.front("plain.md") == pages.front("open.md") == pages.front("empty.md") == ""


def test_every_rendered_page_is_held_compressed_and_its_front_matter_read_alone() -> None:
    rendered = prepare(FIXTURE, today=TODAY).rendered
    assert rendered is not None
    for src, text in rendered.pages.items():
        assert zlib.decompress(rendered.pages.packed(src)).decode() == text
        assert rendered.pages.front(src) == text[: text.index("\n---\n", 3) + 5], src


def test_the_page_memo_keeps_the_bytes_the_render_holds() -> None:
    preparer = Preparer()
    rendered = preparer.prepare(FIXTURE, TODAY, history=False).rendered
    assert rendered is not None
    stored = {key[1]: page for key, page in preparer.memo.remembered().items()}
    kept = ("facts/", "questions/", "sources", "statuses/", "review", "timeline", "people")  # lists, topics, questions
    assert sorted(stored) == sorted(src for src in rendered.pages if src.startswith(kept) and src != "facts/index.md")
    for src, page in stored.items():
        assert page.packed is rendered.pages.packed(src)  # one copy of each page, not two


def test_a_packed_file_reads_as_the_page_and_can_be_written_again(tmp_path: Path) -> None:
    from mkdocs.config.defaults import MkDocsConfig

    config = MkDocsConfig()
    config.load_dict({"site_name": "x", "docs_dir": str(FIXTURE), "site_dir": str(tmp_path / "site")})
    errors, _ = config.validate()
    assert not errors
    config.plugins._current_plugin = None  # what MkDocs sets while a plugin's event runs
    pages = Pages()
    pages["facts/x.md"] = "---\ntitle: X\n---\n\nThe page.\n"
    file = PackedFile.of(config, "facts/x.md", pages)
    assert file.content_string == pages["facts/x.md"] and file.content_bytes == pages["facts/x.md"].encode()
    assert file.front == "---\ntitle: X\n---\n" and file.is_documentation_page()
    file.content_string = "Changed by another plugin.\n"
    assert file.content_string == "Changed by another plugin.\n" and file.packed == pack(file.content_string)
    assert file.front == ""
