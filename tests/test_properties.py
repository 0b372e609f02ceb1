"""Property-based safety test: mutate real content with hostile fragments and check what comes out.

For every mutation: `check` exits 0 or 1, never raises, and prints only `path:line:col: level: message [code]`
lines and its summary. When `check` passes, every generated page, converted by the same page-level Markdown
pass MkDocs runs, holds no event-handler attribute, no javascript:/data: address, nothing loaded from
another host, and front matter with only the keys the builder writes.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
from pathlib import Path
from typing import Any

import markdown
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from builder.__main__ import main
from builder.build import prepare
from tests.conftest import FIXTURE
from tests.test_bad_inputs import LINE
from tests.test_safety import PageAudit

FRAGMENTS = [
    "<",
    ">",
    '"',
    "'",
    "&",
    "{:",
    "{: onfocus=alert(1) autofocus }",
    "}",
    "{#x}",
    "{.c}",
    "javascript:",
    "JaVa\tScRiPt:",
    "[x](",
    ")",
    "![i](",
    "//evil.example/p.gif",
    "https://tracker.example/p.gif",
    "&#106;avascript:",
    "&colon;",
    "data:text/html,x",
    "\n",
    "\n\n",
    ": ",
    "# ",
    "\n---\n",
    "*",
    "_",
    "`",
    "[@alpha-fact]",
    "[@source-a]",
    "[r]: ",
    "!!binary PC90aXRsZT4=",
    "|",
    "\\",
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "%",
    "\x00",
    "\x1b",
    "\u2028",
    " ",
    "title: x",
    '" onfocus="alert(1)" x="',
    "' onmouseover='alert(1)' ",
    '" autofocus x="',
    '"><x onclick=alert(1)>',
    "*a*",
    "[link](https://ok.example/)",
    "---\nhide: [nav]\n---",
    "<https://evil.example>",
    "mail@evil.example",
    "{{ 7*7 }}",
]

hostile_text = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), min_size=1, max_size=8).map(
    "".join
)


def _fixture() -> dict[str, Any]:
    return {
        path.relative_to(FIXTURE).as_posix(): yaml.safe_load(path.read_text(encoding="utf-8"))
        for path in sorted(FIXTURE.rglob("*.yaml"))
    }


FILES = _fixture()


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, str):
        return [path]
    if isinstance(value, dict):
        return [leaf for key, sub in value.items() for leaf in _leaves(sub, (*path, key))]
    if isinstance(value, list):
        return [leaf for index, sub in enumerate(value) for leaf in _leaves(sub, (*path, index))]
    return []


LEAVES = [(name, path) for name, data in FILES.items() for path in _leaves(data)]


def _set(data: Any, path: tuple[Any, ...], value: str) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def _run(*args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue() + err.getvalue()


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(LEAVES), hostile_text), min_size=1, max_size=3))
@example([(("facts/basics.yaml", (0, "title")), '" onfocus="alert(1)" autofocus x="')])
@example([(("site.yaml", ("title",)), "Metals' onmouseover='alert(1)")])
@example([(("facts/basics.yaml", (0, "statement")), "[x](https://ok.example/) *a* 'q' \"d\" & 1. b")])
def test_mutated_content_is_refused_with_located_lines_or_renders_inert(mutations: list[Any]) -> None:
    files = yaml.safe_load(yaml.safe_dump(FILES))
    for (name, path), text in mutations:
        _set(files[name], path, text)
    with tempfile.TemporaryDirectory() as folder:
        content = Path(folder) / "content"
        for name, data in files.items():
            target = content / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        code, output = _run("check", "--content", str(content))
        assert code in (0, 1), output
        lines = output.splitlines()
        assert lines, "check printed nothing"
        for line in lines[:-1]:
            assert LINE.match(line), f"not one located problem: {line!r}"
        assert lines[-1].endswith("files.") or lines[-1].endswith("file."), lines[-1]
        if code == 1:
            return
        prepared = prepare(content)
        assert prepared.rendered is not None
        page_md = markdown.Markdown(extensions=["attr_list", "tables", "toc"])
        for src, text in prepared.rendered.pages.items():
            body = text
            if text.startswith("---\n"):
                header, body = text[4:].split("\n---\n", 1)
                meta = yaml.safe_load(header)
                assert set(meta) <= {"title", "description"}, (src, meta)
                assert all(isinstance(v, str) for v in meta.values()), (src, meta)
            html = page_md.reset().convert(body)
            audit = PageAudit()
            audit.feed(html)
            audit.close()
            assert audit.faults == [], (src, audit.faults)


PUNCTUATION = list(" !\"#$%&'()*+,-./0123456789:;<=>?@[\\]^_`{|}~aAzZ\t\n\r\xa0\u2003\u2028\ue000\ue001é漢")
"""Characters Markdown may act on, or that end or space a line, and a few that it never acts on."""
PIECES = ["word", " ", "1.", "2)", "-", "---", "+", ">", "'", '"', "(", ")", ":", ";", ",", ".", "?", "%", "$", "@"]
PIECES += ["^", "{", "}", "/", "é", "\xa0", "\u200b", "\ufeff", "  "]
"""Pieces of statements, in any order: list and rule starts, quotes, spaces of every kind."""


@settings(max_examples=3000, deadline=None, derandomize=True)
@given(
    st.one_of(
        st.text(max_size=60),
        st.text(alphabet=st.sampled_from(PUNCTUATION), max_size=30),
        st.lists(st.sampled_from(PIECES), max_size=12).map("".join),
    )
)
@example("---")
@example("1. First")
@example("Prices rose 5% in 2025 (Reuters)")
def test_a_text_that_reads_as_written_is_what_markdown_makes_of_it(text: str) -> None:
    """The Markdown that Prose skips (builder/markup.py reads_as_written) would only have wrapped the text in a
    paragraph: Markdown's own result, character for character."""
    from builder.markup import Prose, reads_as_written

    if reads_as_written(text):
        assert Prose()._convert(text) == Prose()._md.convert(text) == f"<p>{text}</p>"


@settings(max_examples=2000, deadline=None, derandomize=True)
@given(st.one_of(st.text(max_size=60), st.text(alphabet=st.sampled_from(PUNCTUATION), max_size=30)))
@example("a &amp; b")
@example("a <em>b</em>")
def test_the_text_of_a_paragraph_is_what_an_html_parser_reads_in_it(text: str) -> None:
    from builder.markup import _plain, _TextOnly

    reader = _TextOnly()
    reader.feed(f"<p>{text}</p>")
    reader.close()
    assert _plain(f"<p>{text}</p>") == " ".join("".join(reader.parts).split())
