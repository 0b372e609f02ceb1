from __future__ import annotations

import contextlib
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from builder.__main__ import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "content"


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """`python -m builder ARGS` in a process of its own, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "builder", *args], cwd=cwd, capture_output=True, text=True, timeout=300, check=False
    )


def run_main(args: list[str], cwd: Path) -> tuple[int, str, str]:
    """The command line's main() in this process, as `python -m builder ARGS` runs in `cwd`:
    its exit code, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(cwd), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(args)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A writable copy of the fixture content tree."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURE, target)
    return target


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture content built once per test run (read-only: copy it to change it)."""
    out = tmp_path_factory.mktemp("built") / "site"
    result = run("build", "--content", str(FIXTURE), "--site-dir", str(out))
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The explainer in content/ built once per test run, strict (read-only).

    Built as of a date after the content's review dates, so that review badges and the review page are
    built (and checked by the browser tests) too."""
    out = tmp_path_factory.mktemp("real") / "site"
    result = run("build", "--site-dir", str(out), "--today", "2027-06-01")
    assert result.returncode == 0, result.stderr
    return out


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
