"""The package as others get it: a wheel built from the repository, installed into a fresh virtual
environment with the hashed runtime lock, and run as `explainer` from a folder outside the repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import FIXTURE, ROOT

pytestmark = pytest.mark.wheel


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
    )


def build_wheel(tmp_path: Path) -> Path:
    """Build from a copy of what a source distribution holds, so no stale build/ folder can leak in."""
    source = tmp_path / "source"
    shutil.copytree(ROOT / "builder", source / "builder", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, source / name)
    built = run(
        sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", "dist", source, cwd=tmp_path
    )
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = (tmp_path / "dist").glob("sourced_explainer-*.whl")
    return wheel


def test_wheel_installs_and_runs_outside_the_repository(tmp_path: Path) -> None:
    wheel = build_wheel(tmp_path)
    shipped = set(zipfile.ZipFile(wheel).namelist())
    package = {p.relative_to(ROOT).as_posix() for p in (ROOT / "builder").rglob("*") if p.is_file()}
    missing = {name for name in package if "__pycache__" not in name} - shipped
    assert not missing, f"the wheel lacks {sorted(missing)}"
    assert (
        "explainer = builder.__main__:main"
        in zipfile.ZipFile(wheel)
        .read(f"{wheel.name.split('-')[0]}-{wheel.name.split('-')[1]}.dist-info/entry_points.txt")
        .decode()
        .splitlines()
    )

    env = tmp_path / "env"
    created = run(sys.executable, "-m", "venv", "--without-pip", env, cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    python = env / "bin" / "python"
    pip = (sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-compile")
    deps = run(*pip, "--require-hashes", "-r", ROOT / "requirements" / "runtime.txt", cwd=tmp_path)
    assert deps.returncode == 0, deps.stderr
    installed = run(*pip, "--no-deps", wheel, cwd=tmp_path)
    assert installed.returncode == 0, installed.stderr

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = run(python, "-c", "import builder; print(builder.__file__)", cwd=elsewhere)
    assert Path(where.stdout.strip()).is_relative_to(env), where.stdout + where.stderr

    explainer = env / "bin" / "explainer"
    checked = run(explainer, "check", "--content", FIXTURE, cwd=elsewhere)
    assert (checked.returncode, checked.stdout, checked.stderr) == (0, "No problems in 9 files.\n", "")

    site = tmp_path / "site"
    # No mkdocs.yml where it runs: the package's own configuration (builder/default.yml) is used.
    built = run(explainer, "build", "--content", FIXTURE, "--site-dir", site, cwd=elsewhere)
    assert built.returncode == 0, built.stderr
    assert built.stderr.splitlines()[-1] == f"Built 18 generated pages into {site}/ with mkdocs."
    assert (site / "assets" / "explainer.css").is_file()
    header = (site / "index.html").read_text(encoding="utf-8")
    assert "md-search" in header and 'aria-label="Search"' in header, "the fixed Material templates are used"
    assert "<title>Fixture explainer: the metals test</title>" in (site / "index.html").read_text(encoding="utf-8")
