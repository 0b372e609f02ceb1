"""JSON Schemas for editors' tools, generated from the content model (the one source of truth)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from .model import CONTENT_TYPES, Site, field_docs


class Documented(GenerateJsonSchema):
    """The schema pydantic writes, with each field's documentation (the docstring under it) as its description."""

    def model_schema(self, schema: core_schema.ModelSchema) -> JsonSchemaValue:
        json_schema = super().model_schema(schema)
        docs = field_docs(schema["cls"])
        for name, field in json_schema.get("properties", {}).items():
            if name in docs:
                field["description"] = docs[name]
        return json_schema


def schemas() -> dict[str, dict[str, Any]]:
    """{file name: schema}: one for site.yaml, and one per content folder (a file is a list of items)."""
    result: dict[str, dict[str, Any]] = {}
    site = Site.model_json_schema(schema_generator=Documented)
    site["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    result["site.schema.json"] = site
    for folder, cls in CONTENT_TYPES.items():
        schema = TypeAdapter(list[cls]).json_schema(schema_generator=Documented)  # type: ignore[valid-type]
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["title"] = f"{folder} file: a list of {cls.kind_name} items"
        result[f"{cls.kind_name}.schema.json"] = schema
    return result


class SchemaOutError(Exception):
    """--out names something that is not a folder the schemas can be written into."""


def write_schemas(out: Path) -> list[Path]:
    if out.exists() and not out.is_dir():
        raise SchemaOutError(f"--out {out}: is a file, not a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SchemaOutError(f"--out {out}: cannot create the folder: {exc.strerror}") from exc
    written = []
    for name, schema in schemas().items():
        path = out / name
        text = json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
