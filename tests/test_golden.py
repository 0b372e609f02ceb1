"""Golden cases: expected problems, rendered Markdown and command output. Regenerate with `make golden`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.golden import CASES, COMMANDS, command_output, problem_report, rendered_pages

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


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_command_output_matches_golden_file(name: str) -> None:
    assert command_output(COMMANDS[name]) == (CASES / "commands" / name).read_text(encoding="utf-8")
