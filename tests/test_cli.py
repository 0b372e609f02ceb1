from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import FIXTURE, ROOT, run, write


def test_check_clean_tree() -> None:
    result = run("check", "--content", str(FIXTURE))
    assert result.returncode == 0
    assert result.stdout == "No problems in 9 files.\n"


def test_check_broken_tree_reports_located_problems_and_exits_1(content: Path) -> None:
    write(content / "facts" / "extra.yaml", "- id: extra\n  title: x\n  title: y\n")
    result = run("check", "--content", "content", cwd=content.parent)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert (
        "content/facts/extra.yaml:3:3: error: duplicate key 'title' (first at line 2); the second would silently win [duplicate-key]"
        in lines
    )
    assert lines[-1] == "6 errors, 0 warnings in 10 files."
    assert "Traceback" not in result.stderr


def test_check_json_format(content: Path) -> None:
    write(content / "facts" / "extra.yaml", "- 1\n")
    result = run("check", "--content", "content", "--format", "json", cwd=content.parent)
    assert result.returncode == 1
    assert json.loads(result.stdout)["problems"] == [
        {
            "file": "content/facts/extra.yaml",
            "line": 1,
            "col": 3,
            "code": "wrong-type",
            "message": "each fact should be a mapping (key: value lines), not a whole number",
            "level": "error",
        }
    ]


def test_usage_errors_exit_2() -> None:
    result = run("nonsense")
    assert result.returncode == 2
    assert "invalid choice: 'nonsense'" in result.stderr


def test_check_loads_no_build_machinery() -> None:
    """`check` must start fast: MkDocs, Jinja2, Babel and matplotlib are loaded only by the commands that build."""
    script = (
        "import sys\n"
        "from builder.__main__ import main\n"
        "status = main(['check', '--content', sys.argv[1]])\n"
        "heavy = {'babel', 'jinja2', 'material', 'matplotlib', 'mkdocs', 'numpy'}\n"
        "print(status, sorted(heavy & {name.partition('.')[0] for name in sys.modules}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(FIXTURE)], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.stdout.splitlines()[-1] == "0 []", result.stdout + result.stderr


def test_starting_check_builds_nothing_it_may_not_need() -> None:
    """What `check` imports before it reads a file: no Markdown converter, no difflib, no validator built
    (pydantic builds each class's validator on first use) and no attribute docstrings read."""
    script = (
        "import sys\n"
        "import builder.__main__, builder.validate\n"
        "from builder.model import CONTENT_TYPES, Site, _attribute_docstrings\n"
        "built = [c.__name__ for c in (Site, *CONTENT_TYPES.values()) if c.__pydantic_complete__]\n"
        "loaded = sorted({'markdown', 'difflib', 'importlib.metadata'} & set(sys.modules))\n"
        "print(loaded, built, _attribute_docstrings.cache_info().currsize)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.stdout.splitlines()[-1] == "[] [] 0", result.stdout + result.stderr
