"""The editor guide (docs/editor-guide.md) documents every problem code, review code, command and field."""

from __future__ import annotations

import re

import pytest
from pydantic import BaseModel

from builder.__main__ import _parser
from builder.model import CONTENT_TYPES, Citation, Column, ElementControl, Figure, Row, Status, Via
from builder.problems import CODES
from builder.review import REVIEW_CODES
from tests.conftest import ROOT

GUIDE = ROOT / "docs" / "editor-guide.md"


def guide() -> str:
    return GUIDE.read_text(encoding="utf-8")


def code_spans() -> set[str]:
    return set(re.findall(r"`([^`\n]+)`", guide()))


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_problem_code_is_documented_with_an_example_and_a_fix(code: str) -> None:
    rows = [line for line in guide().splitlines() if line.startswith(f"| `{code}` |")]
    assert rows, f"problem code '{code}' is not in the guide's table of problem codes"
    cells = [cell.strip() for cell in rows[0].strip("|").split(" | ")]
    assert len(cells) == 4 and all(cells), f"the row for '{code}' needs a level, an example message and a fix"
    assert cells[1] == CODES[code][0].value


@pytest.mark.parametrize("code", sorted(REVIEW_CODES))
def test_every_review_code_is_documented(code: str) -> None:
    assert any(line.startswith(f"| `{code}` |") for line in guide().splitlines()), code


def test_every_command_is_documented() -> None:
    commands = next(a for a in _parser()._actions if a.dest == "command").choices
    assert commands
    for name in commands:
        assert f"python -m builder {name}" in guide(), f"command '{name}' is not in the guide"


def _models() -> list[type[BaseModel]]:
    return [*CONTENT_TYPES.values(), Citation, Figure, Via, ElementControl, Column, Row]


@pytest.mark.parametrize("cls", _models(), ids=lambda c: c.__name__)
def test_every_field_is_documented(cls: type[BaseModel]) -> None:
    spans = code_spans()
    missing = [name for name in cls.model_fields if name not in spans]
    assert not missing, f"{cls.__name__} fields not in the guide: {missing}"


def test_every_status_has_a_row() -> None:
    for status in Status:
        assert any(line.startswith(f"| `{status.value}` |") for line in guide().splitlines()), status
