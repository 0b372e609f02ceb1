"""The libyaml fast path of builder/load.py gives exactly what the pure-Python parser gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.load import load_text

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = (ROOT / "content", ROOT / "tests" / "fixtures", ROOT / "tests" / "bad_inputs", ROOT / "tests" / "cases")
FILES = sorted(file for folder in FOLDERS for file in folder.rglob("*.yaml"))


@pytest.mark.parametrize("file", FILES, ids=lambda f: f.relative_to(ROOT).as_posix())
def test_fast_and_pure_paths_agree(file: Path) -> None:
    raw = file.read_bytes()
    fast, fast_problems = load_text("f.yaml", raw)
    pure, pure_problems = load_text("f.yaml", raw, fast=False)
    assert fast_problems == pure_problems
    if pure is None:
        assert fast is None
        return
    assert fast is not None
    assert fast.data == pure.data
    assert fast.marks == pure.marks
    assert fast.key_marks == pure.key_marks
    assert fast.broken == pure.broken


def test_clean_files_take_the_fast_path_and_keep_no_text_once_located() -> None:
    doc, problems = load_text("f.yaml", b"- id: a\n  title: |\n    two\n    lines\n")
    assert problems == []
    assert doc is not None and doc.text is not None  # positions not worked out yet
    assert doc.mark((0, "title")).line == 2
    assert doc.mark((0, "title")).indent == 4
    assert doc.text is None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (b"a: &x 1\nb: *x\n", "yaml-alias"),
        (b"a: 1\na: 2\n", "duplicate-key"),
        (b"a: !!set {x}\n", "yaml-tag"),
        (b"a: 2025-02-30\n", "bad-date"),
        (b"a: 1\n---\nb: 2\n", "yaml-syntax"),
        (b"[" * 100_000 + b"]" * 100_000, "too-deep"),
    ],
)
def test_what_the_fast_path_gives_up_on_is_located_by_the_pure_parser(text: bytes, code: str) -> None:
    fast = load_text("f.yaml", text)
    assert fast == load_text("f.yaml", text, fast=False)
    assert code in {p.code for p in fast[1]}
