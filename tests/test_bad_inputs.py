"""The bad-input corpus: each case is placed into a copy of the fixture content and checked.

Every case must give its expected located message (`path:line:col: level: message [code]`, the first
error reported for the case's file) or, where noted, a problem with the expected code; exit 1; never a
traceback; and finish within LIMIT seconds (a guard against runaway work, not a timing: the
benchmarks report times). Cases are files in tests/bad_inputs/, or bytes generated here
(binary, other encodings, huge files). A failed build must leave the previous site/ unchanged.

Most cases run the command line's `main()` in this process, with its output captured; the cases that
test the limits of a process (size, depth, expansion) run `python -m builder check` in a process of
their own, so that a crash, a blown stack or runaway memory shows as such.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import FIXTURE, run_main
from tests.test_build import tree_digest

CORPUS = Path(__file__).parent / "bad_inputs"
LIMIT = 60
"""Seconds a case may take: far above the few seconds each takes, so a busy machine does not fail it."""
LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<level>error|warning): .+ \[(?P<code>[a-z-]+)\]$")

# case -> (folder, expected): a whole first error line ("L:C: error: message [code]", after the file's path),
# or just a code when the first error is incidental (the case's point is elsewhere in the file).
FILE_CASES: dict[str, tuple[str, str]] = {
    "aggregator-cited": (
        "facts",
        "8:15: error: fact 'case-fact' cites 'coverage-site', an aggregator: cite the original publisher instead [cites-aggregator]",
    ),
    "alias-bomb": ("facts", "yaml-alias"),
    "alias-reuse": ("facts", "3:9: error: anchors and aliases (&name, *name) are not accepted [yaml-alias]"),
    "bad-enum-source-kind": (
        "sources",
        "7:9: error: source 'case-source': 'kind' is 'blog', not one of 'government', 'state-media', 'international-organisation', 'wire', 'newspaper', 'broadcaster', 'magazine', 'think-tank', 'law-firm', 'trade-press', 'industry', 'company', 'data', 'academic' or 'aggregator' [bad-value]",
    ),
    "bad-enum-status": (
        "facts",
        "4:11: error: fact 'case-fact': 'status' is 'probably', not one of 'confirmed', 'single-source', 'secondary-only', 'reported-denied', 'disputed' or 'corrected' [bad-value]",
    ),
    "bad-id-pattern": (
        "facts",
        "1:7: error: fact 'Case_Fact': 'Case_Fact' is not an id: use lower-case words joined by hyphens [bad-id]",
    ),
    "binary-tag": (
        "facts",
        "2:10: error: the YAML tag 'tag:yaml.org,2002:binary' is not accepted; write plain values [yaml-tag]",
    ),
    "comments-only": ("facts", "1:1: error: file is empty; remove it or add content [empty-file]"),
    "custom-local-tag": ("facts", "2:10: error: the YAML tag '!secret' is not accepted; write plain values [yaml-tag]"),
    "data-markdown-link": (
        "facts",
        "3:31: error: the address 'data:text/html;base64,PHNjcmlwdD4=' uses 'data:', which is not allowed; use an http(s) address [unsafe-link]",
    ),
    "date-as-words": (
        "facts",
        "5:10: error: fact 'case-fact': 'as_of' is 'last tuesday': expected a date like 2025-06-10 [bad-date]",
    ),
    "deep-nesting": ("facts", "too-deep"),
    "duplicate-id": (
        "facts",
        "1:7: error: duplicate id 'alpha-fact': already used by the fact at content/facts/basics.yaml:1:7 [duplicate-id]",
    ),
    "duplicate-key": (
        "facts",
        "5:3: error: duplicate key 'status' (first at line 4); the second would silently win [duplicate-key]",
    ),
    "duplicate-key-in-citation": (
        "facts",
        "9:7: error: duplicate key 'source' (first at line 8); the second would silently win [duplicate-key]",
    ),
    "empty-citations": ("facts", "7:14: error: fact 'case-fact': 'citations' needs at least one item [empty-value]"),
    "empty-file": ("facts", "1:1: error: file is empty; remove it or add content [empty-file]"),
    "empty-statement": ("facts", "3:14: error: fact 'case-fact': 'statement' needs some text [empty-value]"),
    "escaped-control-character": (
        "facts",
        "2:19: error: contains the control character U+001E, which a page cannot show; remove it [control-character]",
    ),
    "html-comment-in-text": (
        "facts",
        "3:22: error: contains raw HTML ('<!-- hidden '); write Markdown, and links as [text](https://...) [raw-html]",
    ),
    "impossible-date": ("facts", "5:10: error: '2025-02-30' is not a real date [bad-date]"),
    "impossible-month": (
        "sources",
        "4:14: error: source 'case-source': 'published' is '2025-13': not a real date [bad-date]",
    ),
    "javascript-markdown-link": (
        "facts",
        "3:31: error: the address 'javascript:alert(1)' uses 'javascript:', which is not allowed; use an http(s) address [unsafe-link]",
    ),
    "javascript-reference-link": (
        "facts",
        "6:10: error: the address 'javascript:alert(1)' uses 'javascript:', which is not allowed; use an http(s) address [unsafe-link]",
    ),
    "list-where-mapping-belongs": (
        "facts",
        "8:7: error: fact 'case-fact': 'citations' should be a mapping (key: value lines), not a list [wrong-type]",
    ),
    "mapping-instead-of-list": (
        "facts",
        "1:1: error: a facts file should be a list of fact items (each starting with '- '), not a mapping [wrong-type]",
    ),
    "merge-key": ("facts", "18:3: error: merge keys (<<) are not accepted [yaml-alias]"),
    "missing-required-field": (
        "facts",
        "1:3: error: fact 'case-fact' is missing required field 'statement' [missing-field]",
    ),
    "multi-document": (
        "facts",
        "10:1: error: not valid YAML: expected a single document in the stream, but found another document [yaml-syntax]",
    ),
    "non-string-key": ("facts", "3:3: error: a key must be plain text [wrong-type]"),
    "null-item": ("facts", "1:2: error: each fact should be a mapping (key: value lines), not empty [wrong-type]"),
    "python-name-tag": (
        "facts",
        "2:10: error: the YAML tag 'tag:yaml.org,2002:python/name:os.system' is not accepted; write plain values [yaml-tag]",
    ),
    "python-object-new-tag": (
        "facts",
        "2:10: error: the YAML tag 'tag:yaml.org,2002:python/object/new:builtins.dict' is not accepted; write plain values [yaml-tag]",
    ),
    "python-object-tag": (
        "facts",
        "1:3: error: the YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not accepted; write plain values [yaml-tag]",
    ),
    "raw-html-in-text": (
        "facts",
        "3:25: error: contains raw HTML ('<b>100 t</b>'); write Markdown, and links as [text](https://...) [raw-html]",
    ),
    "scalar-item": ("facts", "1:3: error: each fact should be a mapping (key: value lines), not text [wrong-type]"),
    "script-in-text": (
        "facts",
        "3:22: error: contains raw HTML ('<script>aler'); write Markdown, and links as [text](https://...) [raw-html]",
    ),
    "set-tag": (
        "facts",
        "6:11: error: the YAML tag 'tag:yaml.org,2002:set' is not accepted; write plain values [yaml-tag]",
    ),
    "tab-after-dash": ("facts", "1:2: error: a tab character is not allowed here; indent with spaces [yaml-syntax]"),
    "tab-indentation": ("facts", "2:1: error: a tab character is not allowed here; indent with spaces [yaml-syntax]"),
    "template-comment": (
        "facts",
        "3:22: error: contains attribute syntax ('{# hidden #} was'); write plain text [attribute-syntax]",
    ),
    "template-expression": (
        "facts",
        "3:26: error: contains template syntax ('{{ 7 * 7 }} '); write plain text [template-syntax]",
    ),
    "template-statement": (
        "facts",
        "3:15: error: contains template syntax ('{% for x in '); write plain text [template-syntax]",
    ),
    "too-long-text": (
        "facts",
        "2:10: error: fact 'case-fact': 'title' is too long (string should have at most 2000 characters) [too-long]",
    ),
    "unknown-field": ("facts", "5:3: error: fact 'case-fact' has unknown field 'confidence' [unknown-field]"),
    "unknown-reference-in-prose": (
        "facts",
        "3:31: error: [@alpha-fakt] names neither a fact nor a source; did you mean 'alpha-fact'? [unknown-reference]",
    ),
    "unknown-source-id": (
        "facts",
        "8:15: error: fact 'case-fact' cites unknown source 'source-z'; did you mean 'source-b'? [unknown-source]",
    ),
    "unknown-speaker": ("facts", "10:16: error: fact 'case-fact' names unknown person 'nobody-known' [unknown-person]"),
    "unknown-topic": (
        "facts",
        "6:12: error: fact 'case-fact' names unknown topic 'basic'; did you mean 'basics'? [unknown-topic]",
    ),
    "url-data": (
        "sources",
        "5:8: error: source 'case-source': 'url' is 'data:text/html,<script>alert(1)</script>', not an http:// or https:// address [bad-url]",
    ),
    "url-ftp": (
        "sources",
        "5:8: error: source 'case-source': 'url' is 'ftp://example.org/file.pdf', not an http:// or https:// address [bad-url]",
    ),
    "url-javascript": (
        "sources",
        "5:8: error: source 'case-source': 'url' is 'javascript:alert(document.cookie)', not an http:// or https:// address [bad-url]",
    ),
    "url-protocol-relative": (
        "sources",
        "5:8: error: source 'case-source': 'url' is '//evil.example/x', not an http:// or https:// address [bad-url]",
    ),
    "whitespace-only": ("facts", "1:1: error: file is empty; remove it or add content [empty-file]"),
    "wrong-type-bool-for-date": (
        "facts",
        "5:10: error: fact 'case-fact': 'as_of' is 'True': expected a date like 2025-06-10 [bad-date]",
    ),
    "wrong-type-number-for-text": (
        "facts",
        "2:10: error: fact 'case-fact': 'title' should be text, not a whole number [wrong-type]",
    ),
    "wrong-type-text-for-list": (
        "facts",
        "6:11: error: fact 'case-fact': 'topics' should be a list, not text [wrong-type]",
    ),
    "yaml-bad-indentation": ("facts", "3:13: error: not valid YAML: mapping values are not allowed here [yaml-syntax]"),
    "yaml-control-character": (
        "facts",
        "2:17: error: the character U+0007 is not allowed in YAML; remove it [yaml-syntax]",
    ),
    "yaml-unclosed-flow": (
        "facts",
        "4:9: error: not valid YAML: while parsing a flow sequence, expected ',' or ']', but got ':' [yaml-syntax]",
    ),
    "yaml-unclosed-quote": (
        "facts",
        "4:1: error: not valid YAML: while scanning a quoted scalar, found unexpected end of stream [yaml-syntax]",
    ),
}

FACT = "- id: case-fact\n  title: Café output\n  statement: Plain words.\n"


def _many_facts(size: int) -> bytes:
    """Valid-looking facts up to `size` bytes, one of them broken at the end."""
    one = (FIXTURE / "facts" / "basics.yaml").read_text().split("- id: beta-fact")[0]
    chunks, total = [], 0
    while total < size:
        chunks.append(one.replace("alpha-fact", f"bulk-fact-{len(chunks)}"))
        total += len(chunks[-1])
    return ("".join(chunks) + "- id: bulk-last\n  title: x\n  bogus: 1\n").encode()


# case -> (folder, bytes made at test time, expected as above)
GENERATED: dict[str, tuple[str, Callable[[], bytes], str]] = {
    "nul-bytes": (
        "facts",
        lambda: FACT.encode() + b"\x00\x01\x02binary",
        "1:1: error: file contains NUL bytes: it is binary, not YAML text [binary-file]",
    ),
    "png-image": (
        "sources",
        lambda: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
        "1:1: error: file contains NUL bytes: it is binary, not YAML text [binary-file]",
    ),
    "latin-1": (
        "facts",
        lambda: FACT.encode("latin-1"),
        "2:13: error: byte 0xe9 is not valid UTF-8; save the file as UTF-8 [bad-encoding]",
    ),
    "utf-16-with-bom": (
        "facts",
        lambda: FACT.encode("utf-16"),
        "1:1: error: file is saved as UTF-16; save it as UTF-8 [bad-encoding]",
    ),
    "utf-16-without-bom": (
        "facts",
        lambda: FACT.encode("utf-16-be"),
        "1:1: error: file is saved as UTF-16; save it as UTF-8 [bad-encoding]",
    ),
    "utf-32": (
        "facts",
        lambda: FACT.encode("utf-32"),
        "1:1: error: file is saved as UTF-32; save it as UTF-8 [bad-encoding]",
    ),
    "tens-of-megabytes": ("facts", lambda: FACT.encode() + b"  note: " + b"x" * 40_000_000 + b"\n", "file-too-large"),
    "a-megabyte-of-facts": ("facts", lambda: _many_facts(1_000_000), "bulk-last"),
    "nesting-100000-deep": (
        "facts",
        lambda: b"- " + b"[" * 100_000 + b"]" * 100_000 + b"\n",
        "1:1: error: values are nested too deeply to read [too-deep]",
    ),
    "many-aliases": (
        "facts",
        lambda: b"- &a x\n" + b"- *a\n" * 100_000,
        "yaml-alias",
    ),
}


RESOURCE_CASES = {
    "alias-bomb",
    "deep-nesting",
    "tens-of-megabytes",
    "a-megabyte-of-facts",
    "nesting-100000-deep",
    "many-aliases",
}
"""Cases run in a process of their own: what they test is how one process copes with them."""


def run_in_subprocess(args: list[str], cwd: Path) -> tuple[int, str, str]:
    result = subprocess.run(
        [sys.executable, "-m", "builder", *args], cwd=cwd, capture_output=True, text=True, timeout=30, check=False
    )
    return result.returncode, result.stdout, result.stderr


def assert_case(tmp_path: Path, folder: str, name: str, data: bytes, expected: str) -> None:
    shutil.copytree(FIXTURE, tmp_path / "content")
    (tmp_path / "content" / folder / f"{name}.yaml").write_bytes(data)
    run = run_in_subprocess if name in RESOURCE_CASES else run_main
    began = time.monotonic()
    status, stdout, stderr = run(["check", "--content", "content"], tmp_path)
    elapsed = time.monotonic() - began
    lines = stdout.splitlines()
    assert status == 1, stdout[-2000:]
    assert "Traceback" not in stdout + stderr, stderr[-2000:]
    assert elapsed < LIMIT, f"{name} took {elapsed:.1f} s"
    prefix = f"content/{folder}/{name}.yaml:"
    for line in lines[:-1]:
        assert LINE.match(line), f"not a located problem: {line!r}"
    errors = [line for line in lines if line.startswith(prefix) and ": error: " in line]
    assert errors, f"no error reported for {prefix}: {lines[:5]}"
    if ": error: " in expected:
        assert errors[0] == prefix + expected
    elif re.fullmatch(r"[a-z-]+", expected) and expected in {m.group("code") for m in map(LINE.match, errors) if m}:
        pass
    else:
        assert any(expected in line for line in errors), errors[:5]


def test_corpus_is_large_and_complete() -> None:
    files = {p.stem for p in CORPUS.glob("*.yaml")}
    assert files == set(FILE_CASES), "every file in tests/bad_inputs/ needs an expectation, and the reverse"
    assert len(FILE_CASES) + len(GENERATED) >= 40
    assert set(FILE_CASES) | set(GENERATED) >= RESOURCE_CASES


@pytest.mark.parametrize("name", sorted(FILE_CASES))
def test_bad_input_file(tmp_path: Path, name: str) -> None:
    folder, expected = FILE_CASES[name]
    assert_case(tmp_path, folder, name, (CORPUS / f"{name}.yaml").read_bytes(), expected)


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_generated_bad_input(tmp_path: Path, name: str) -> None:
    folder, make, expected = GENERATED[name]
    assert_case(tmp_path, folder, name, make(), expected)


def test_failed_build_leaves_previous_site_byte_identical(tmp_path: Path, site: Path) -> None:
    previous = shutil.copytree(site, tmp_path / "site")
    content = shutil.copytree(FIXTURE, tmp_path / "content")
    before = tree_digest(previous)
    for name in ("yaml-unclosed-flow", "python-object-tag", "alias-bomb", "script-in-text", "duplicate-id"):
        folder = FILE_CASES[name][0]
        broken = content / folder / f"{name}.yaml"
        broken.write_bytes((CORPUS / f"{name}.yaml").read_bytes())
        status, _, stderr = run_main(["build", "--content", "content", "--site-dir", "site"], tmp_path)
        assert status == 1, stderr
        assert "Traceback" not in stderr
        assert stderr.splitlines()[-1] == "Build stopped: fix the errors above. site/ was left unchanged."
        assert tree_digest(previous) == before
        broken.unlink()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != ".site.lock") == ["content", "site"], (
        "no staging folder left behind"
    )
