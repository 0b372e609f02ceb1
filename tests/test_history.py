"""builder/history.py against real git repositories made in a temporary folder."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from builder.history import Change, Dates, History, HistoryCache, load_history

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

FACT = """\
- id: {ident}
  title: {title}
  statement: {statement}
  status: {status}
  as_of: 2025-01-31
  topics: [basics]
  citations:
{citations}
"""


def fact(ident: str, statement: str = "Words.", status: str = "confirmed", sources: tuple[str, ...] = ("a",)) -> str:
    citations = "".join(f"    - source: {s}\n" for s in sources)
    return FACT.format(ident=ident, title=ident.title(), statement=statement, status=status, citations=citations)


def git(repo: Path, *args: str, date: str = "2025-01-01T12:00:00+00:00") -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
        "GIT_AUTHOR_NAME": "Editor",
        "GIT_AUTHOR_EMAIL": "editor@example.org",
        "GIT_COMMITTER_NAME": "Editor",
        "GIT_COMMITTER_EMAIL": "editor@example.org",
        "GIT_CONFIG_NOSYSTEM": "1",
        "HOME": str(repo.parent),
    }
    result = subprocess.run(["git", "-C", str(repo), *args], env=env, capture_output=True, text=True, check=True)
    return result.stdout.strip()


def commit(repo: Path, files: dict[str, str | None], date: str) -> str:
    for name, text in files.items():
        path = repo / "content" / name
        if text is None:
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", f"edit {date}", date=date)
    return git(repo, "rev-parse", "HEAD")


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, list[str]]:
    """Four commits: two facts and a question added; a fact changed; a fact withdrawn, the question changed."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    commits = [
        commit(
            root,
            {
                "site.yaml": "title: T\n",
                "facts/a.yaml": fact("one") + fact("two", status="single-source"),
                "questions/q.yaml": "- id: why\n  question: Why?\n  short_answer: Because.\n  answer: Because.\n",
            },
            "2025-01-10T09:00:00+00:00",
        ),
        commit(
            root,
            {"facts/a.yaml": fact("one", "New words.") + fact("two", sources=("a", "b"))},
            "2025-02-20T23:30:00+01:00",
        ),
        commit(
            root,
            {
                "facts/a.yaml": fact("one", "New words."),
                "questions/q.yaml": "- id: why\n  question: Why?\n  short_answer: Because.\n  answer: Since.\n"
                "  change_note: 'Correction: the answer was wrong.'\n",
            },
            "2025-03-05T10:00:00+00:00",
        ),
        commit(root, {"site.yaml": "title: T2\n"}, "2025-04-01T10:00:00+00:00"),
    ]
    return root, commits


def test_the_walk_finds_every_addition_change_and_withdrawal(repo: tuple[Path, list[str]]) -> None:
    root, commits = repo
    history = load_history(root / "content")
    assert history is not None
    day = dt.date.fromisoformat
    assert history.changes == [
        Change(day("2025-01-10"), commits[0], "fact", "one", "One", "added"),
        Change(day("2025-01-10"), commits[0], "fact", "two", "Two", "added"),
        Change(day("2025-01-10"), commits[0], "question", "why", "Why?", "added"),
        Change(day("2025-02-20"), commits[1], "fact", "one", "One", "changed", ("statement",)),
        Change(
            day("2025-02-20"),
            commits[1],
            "fact",
            "two",
            "Two",
            "changed",
            ("status", "citations"),
            "single-source",
            "confirmed",
            ("b",),
        ),
        Change(day("2025-03-05"), commits[2], "fact", "two", "Two", "withdrawn"),
        Change(
            day("2025-03-05"),
            commits[2],
            "question",
            "why",
            "Why?",
            "changed",
            ("answer",),
            change_note="Correction: the answer was wrong.",
        ),
    ]
    assert history.dates == {
        "one": Dates(day("2025-01-10"), day("2025-02-20")),
        "why": Dates(day("2025-01-10"), day("2025-03-05")),
    }
    assert history.updated == day("2025-04-01")  # the last commit touching the content folder
    assert history.head == commits[-1] and not history.shallow


def test_a_commit_date_is_the_date_where_it_was_made(repo: tuple[Path, list[str]]) -> None:
    """23:30 at UTC+1 on 20 February is still 20 February: the committer's own calendar date."""
    root, _ = repo
    history = load_history(root / "content")
    assert history is not None
    assert {c.date for c in history.changes if c.ident == "one" and c.action == "changed"} == {dt.date(2025, 2, 20)}


def test_history_is_cached_per_commit_in_memory_and_on_disk(repo: tuple[Path, list[str]]) -> None:
    root, _ = repo
    cache = HistoryCache()
    first = load_history(root / "content", cache)
    assert first is not None
    assert load_history(root / "content", cache) is first
    stored = list((root / ".git" / "explainer-history").glob("*.json"))
    assert len(stored) == 1
    again = History.from_json(stored[0].read_text("utf-8"))
    assert again == first
    commit(root, {"facts/a.yaml": fact("one", "Newer words.")}, "2025-05-01T10:00:00+00:00")
    later = load_history(root / "content", cache)
    assert later is not None and later is not first
    assert later.changes[-1].fields == ("statement",) and later.changes[-1].date == dt.date(2025, 5, 1)


def test_no_history_outside_git(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    assert load_history(tmp_path / "content") is None


def test_a_shallow_clone_lists_no_additions_at_its_boundary(repo: tuple[Path, list[str]], tmp_path: Path) -> None:
    root, _ = repo
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "2", f"file://{root}", str(clone)], check=True, capture_output=True
    )
    history = load_history(clone / "content")
    assert history is not None and history.shallow
    # The boundary is the third commit: what it holds has no known first date and is not listed as added.
    assert history.changes == []
    assert history.dates == {
        "one": Dates(None, dt.date(2025, 3, 5)),
        "why": Dates(None, dt.date(2025, 3, 5)),
    }
