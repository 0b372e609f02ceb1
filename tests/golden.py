"""Regenerate the golden files under tests/cases/ from the current builder: `make golden`.

Golden files are never edited by hand: change the builder, run this, and review the diff.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from builder.history import Change, Dates, History
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


BUILD_DATE = dt.date(2025, 7, 1)
"""The golden pages' build date: after beta-fact's review_by and end date, before the others'."""


def fixture_history() -> History:
    """A history of the fixture content as builder/history.py would find it (tests/test_history.py walks real git)."""
    day = dt.date.fromisoformat
    changes = [
        Change(day("2025-01-31"), "c1", "fact", "alpha-fact", "Alpha dysprosium output", "added"),
        Change(day("2025-01-31"), "c1", "fact", "old-fact", "A fact later withdrawn", "added"),
        Change(day("2025-03-04"), "c2", "fact", "beta-fact", "Officials on the flow of metals", "added"),
        Change(day("2025-03-04"), "c2", "fact", "gamma-fact", "Share of output", "added"),
        Change(day("2025-03-04"), "c2", "question", "what-is-alpha", "What is alpha?", "added"),
        Change(
            day("2025-04-02"),
            "c3",
            "fact",
            "gamma-fact",
            "Share of output",
            "changed",
            ("status", "figures", "citations"),
            "confirmed",
            "disputed",
            ("source-b",),
        ),
        Change(day("2025-04-02"), "c3", "fact", "old-fact", "A fact later withdrawn", "withdrawn"),
        Change(
            day("2025-05-15"),
            "c4",
            "fact",
            "alpha-fact",
            "Alpha dysprosium output",
            "changed",
            ("status", "statement"),
            "single-source",
            "corrected",
            change_note="Correction: we gave 1,000 t; the survey says 100 t.",
        ),
        Change(day("2025-05-15"), "c4", "question", "what-is-alpha", "What is alpha?", "changed", ("answer",)),
    ]
    dates = {
        "alpha-fact": Dates(day("2025-01-31"), day("2025-05-15")),
        "beta-fact": Dates(day("2025-03-04"), day("2025-03-04")),
        "gamma-fact": Dates(day("2025-03-04"), day("2025-04-02")),
        "what-is-alpha": Dates(day("2025-03-04"), day("2025-05-15")),
    }
    return History("c4", False, changes, dates, day("2025-05-15"))


def rendered() -> dict[str, str]:
    """The fixture's generated pages and text assets (feed.xml) at the golden build date, with its history."""
    checked = check(FIXTURE)
    assert checked.content is not None, "the fixture content must be valid"
    result = render(checked.content, history=fixture_history(), today=BUILD_DATE)
    return {**result.pages, **{k: v for k, v in result.assets.items() if k.endswith(".xml")}}


def rendered_pages() -> dict[str, str]:
    return rendered()


def main() -> None:
    for case in sorted((CASES / "problems").iterdir()):
        (case / "expected.txt").write_text(problem_report(case), encoding="utf-8")
    out = CASES / "render"
    for old in [*out.rglob("*.md"), *out.rglob("*.xml")]:
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
