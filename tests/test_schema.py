"""The JSON Schemas for editors are generated from the model, committed, fresh, and match the content."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from builder.model import CONTENT_TYPES
from builder.schema import schemas
from tests.conftest import ROOT

SCHEMAS = ROOT / "schemas"
FILES = sorted((ROOT / "content").glob("*/*.yaml"))


def test_committed_schemas_are_fresh() -> None:
    expected = schemas()
    assert sorted(p.name for p in SCHEMAS.glob("*.json")) == sorted(expected), "run: python -m builder schema"
    for name, schema in expected.items():
        assert json.loads((SCHEMAS / name).read_text()) == schema, f"{name} is stale: run python -m builder schema"


def test_every_content_folder_is_a_kind_with_a_schema() -> None:
    assert {path.parent.name for path in FILES} <= set(CONTENT_TYPES)


@pytest.mark.parametrize("folder", sorted(CONTENT_TYPES))
def test_content_files_carry_the_modeline_and_match_their_schema(folder: str) -> None:
    """check-jsonschema, as an editor's tooling runs it, accepts every file of a kind (one process per kind)."""
    kind = CONTENT_TYPES[folder].kind_name
    files = [path for path in FILES if path.parent.name == folder]
    assert files, f"no content files in content/{folder}/"
    for path in files:
        assert path.read_text().splitlines()[0] == f"# yaml-language-server: $schema=../../schemas/{kind}.schema.json"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--schemafile",
            str(SCHEMAS / f"{kind}.schema.json"),
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_schema_flags_a_javascript_url(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "- id: x\n  publisher: P\n  title: T\n  published: 2025\n  url: javascript:alert(1)\n"
        "  accessed: 2025-01-01\n  kind: wire\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--schemafile", str(SCHEMAS / "source.schema.json"), str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "'javascript:alert(1)' does not match" in result.stdout


def test_field_docs_are_the_docstrings_under_each_field_inherited_and_given_with_the_type() -> None:
    from builder.model import Fact, Site, field_docs

    docs = field_docs(Fact)
    assert docs["as_of"] == "The date the statement is true as of."
    assert docs["id"] == "Lower-case words joined by hyphens, unique across the whole content."  # from the Id type
    assert "publisher" not in docs and set(docs) <= set(Fact.model_fields)
    assert field_docs(Site)["preview_port"].startswith("The port `serve` previews this explainer on (default 8000)")


def test_the_schemas_carry_the_field_docstrings_as_descriptions() -> None:
    from builder.schema import schemas

    fact = schemas()["fact.schema.json"]["$defs"]["Fact"]["properties"]
    assert fact["as_of"]["description"] == "The date the statement is true as of."
    site = schemas()["site.schema.json"]["properties"]
    assert site["labels"]["$ref"] == "#/$defs/Labels" and "description" not in site["labels"]
