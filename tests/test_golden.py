"""Golden cases: expected problems and rendered Markdown. Regenerate with `make golden`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.golden import CASES, problem_report, rendered_pages

PROBLEM_CASES = sorted((CASES / "problems").iterdir())


@pytest.mark.parametrize("case", PROBLEM_CASES, ids=[c.name for c in PROBLEM_CASES])
def test_problem_case(case: Path) -> None:
    assert problem_report(case) == (case / "expected.txt").read_text(encoding="utf-8")


def test_rendered_markdown_matches_golden_files() -> None:
    pages = rendered_pages()
    stored = {
        p.relative_to(CASES / "render").as_posix()
        for p in [*(CASES / "render").rglob("*.md"), *(CASES / "render").rglob("*.xml")]
    }
    assert set(pages) == stored
    for path, markdown in pages.items():
        assert markdown == (CASES / "render" / path).read_text(encoding="utf-8"), path
