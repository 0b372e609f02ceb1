"""Regenerate the golden files under tests/cases/ from the current builder: `make golden`.

Golden files are never edited by hand: change the builder, run this, and review the diff.
"""

from __future__ import annotations

from pathlib import Path

from builder.problems import format_problems
from builder.render import render
from builder.validate import check
from tests.conftest import run_main

CASES = Path(__file__).parent / "cases"
FIXTURE = Path(__file__).parent / "fixtures" / "content"


COMMANDS = {
    "review.txt": ["review", "--content", "content", "--today", "2025-06-01"],
    "stats.json": ["stats", "--content", "content", "--format", "json"],
}
"""Golden file under tests/cases/commands/ -> a command run on the fixture content; the file holds its stdout."""


def command_output(args: list[str]) -> str:
    status, stdout, stderr = run_main(args, FIXTURE.parent)
    assert (status, stderr) == (0, ""), stderr
    return stdout


def problem_report(case: Path) -> str:
    checked = check(case / "content", display_root=case)
    return format_problems(checked.problems, checked.files) + "\n"


def rendered_pages() -> dict[str, str]:
    checked = check(FIXTURE)
    assert checked.content is not None, "the fixture content must be valid"
    return render(checked.content).pages


def main() -> None:
    for case in sorted((CASES / "problems").iterdir()):
        (case / "expected.txt").write_text(problem_report(case), encoding="utf-8")
    out = CASES / "render"
    for old in out.rglob("*.md"):
        old.unlink()
    for path, markdown in rendered_pages().items():
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(markdown, encoding="utf-8")
    for name, args in COMMANDS.items():
        (CASES / "commands" / name).write_text(command_output(args), encoding="utf-8")
    print(f"Golden files written under {CASES}")


if __name__ == "__main__":
    main()
