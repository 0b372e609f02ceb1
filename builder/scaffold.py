"""`python -m builder new KIND ID`: append a skeleton item to a content file.

The skeleton has every required field with an empty value, so that `check` flags each one
until an editor fills it in, and a comment above each field taken from the model's own
documentation. Optional fields are listed as comments. The file is never re-serialised:
the skeleton is appended to its text, so its comments and order stay byte-for-byte.
"""

from __future__ import annotations

import os
import re
import types
import typing
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from .load import load_file, load_text
from .model import (
    CONTENT_TYPES,
    DATE_FIELDS,
    ID_PATTERN,
    PARTIAL_DATE_FIELDS,
    Event,
    Fact,
    Model,
    Question,
    Source,
    field_docs,
)
from .validate import discover

KINDS: dict[str, tuple[str, type[Model]]] = {
    "fact": ("facts", Fact),
    "source": ("sources", Source),
    "question": ("questions", Question),
    "event": ("events", Event),
}
"""What `new` can scaffold: kind -> (content folder, model); the same kinds as settings.SCAFFOLD_KINDS."""

_DATE_HINT = "Write the date as YYYY-MM-DD"
_FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\.ya?ml$")


@dataclass(frozen=True)
class Scaffolded:
    """The outcome of `new`: the file written and the line the item starts on, or why nothing was written."""

    ok: bool
    message: str
    file: Path | None = None
    line: int = 0


def _unwrap(annotation: Any) -> Any:
    """The annotation without `| None`."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return args[0] if len(args) == 1 else annotation
    return annotation


def _describe_field(name: str, info: FieldInfo, doc: str) -> str:
    annotation = _unwrap(info.annotation)
    text = doc.strip().replace("\n", " ")
    if isinstance(annotation, type) and issubclass(annotation, StrEnum):
        text = f"{text} One of: {', '.join(m.value for m in annotation)}.".strip()
    if name in DATE_FIELDS:
        text = f"{text} {_DATE_HINT}{' (or YYYY-MM, YYYY)' if name in PARTIAL_DATE_FIELDS else ''}.".strip()
    return text


def _list_of_model(annotation: Any) -> type[BaseModel] | None:
    annotation = _unwrap(annotation)
    if typing.get_origin(annotation) is list:
        (inner,) = typing.get_args(annotation)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            return inner
    return None


def _empty(annotation: Any) -> str:
    return "[]" if typing.get_origin(_unwrap(annotation)) is list else '""'


def _fields(cls: type[BaseModel], indent: str, first_prefix: str = "", skip: str = "") -> list[str]:
    """Lines for the class's required fields (empty values), then its optional fields as comments."""
    lines: list[str] = []
    optional: list[str] = []
    prefix = first_prefix
    docs = field_docs(cls)
    for name, info in cls.model_fields.items():
        if name == skip:
            continue
        about = _describe_field(name, info, docs.get(name, ""))
        if not info.is_required():
            empty = _empty(info.annotation)
            optional.append(f"{indent}# {name}: {empty}  # {about}" if about else f"{indent}# {name}: {empty}")
            continue
        if about and not prefix:
            lines.append(f"{indent}# {about}")
        inner = _list_of_model(info.annotation)
        if inner is not None:
            lines.append(f"{indent}{prefix}{name}:")
            lines.extend(_fields(inner, indent + "  ", first_prefix="- "))
        else:
            lines.append(f"{indent}{prefix}{name}: {_empty(info.annotation)}")
        if prefix:
            indent, prefix = indent + "  ", ""
    if optional:
        lines.append(f"{indent}# Optional (remove the '# ' to use):")
        lines.extend(optional)
    return lines


def skeleton(kind: str, ident: str) -> str:
    """The text of a new item: `- id: ...` and the rest of its fields, ending with a newline."""
    _, cls = KINDS[kind]
    return "\n".join([f"- id: {ident}", *_fields(cls, "  ", skip="id")]) + "\n"


def _separator(text: str) -> str:
    """What goes between a file's text and an appended item: one blank line."""
    if text.endswith("\n\n"):
        return ""
    return "\n" if text.endswith("\n") else "\n\n"


def bad_id(ident: str) -> str | None:
    """Why ident cannot be an id, or None when it can."""
    if not re.match(ID_PATTERN, ident) or len(ident) > 80:
        return f"'{ident}' is not an id: use lower-case words joined by hyphens (a-z, 0-9), at most 80 characters"
    return None


def find_id(content_dir: Path, ident: str) -> str | None:
    """Where ident is already used as an item id (`kind at path:line:col`), or None.

    Files that cannot be read as YAML are searched as text, so that a broken file never hides an id.
    """
    files, _, _ = discover(content_dir)
    line_pattern = re.compile(rf"""^[ -]*id:\s*["']?{re.escape(ident)}["']?\s*(?:#.*)?$""")
    for file in files:
        relative = file.relative_to(content_dir)
        if len(relative.parts) != 2:
            continue
        kind = str(CONTENT_TYPES[relative.parts[0]].kind_name)
        display = file.as_posix()
        doc, _ = load_file(file, display)
        if doc is not None:
            for index, raw in enumerate(doc.data if isinstance(doc.data, list) else []):
                if isinstance(raw, dict) and raw.get("id") == ident:
                    mark = doc.mark((index, "id"))
                    return f"the {kind} at {display}:{mark.line}:{mark.col}"
            continue
        try:
            text = file.read_bytes().decode("utf-8", errors="replace")
        except OSError:
            continue
        for number, line in enumerate(text.splitlines(), 1):
            if line_pattern.match(line):
                return f"{display}:{number} (a file that does not read as YAML)"
    return None


def schema_path(file: Path, kind: str) -> str | None:
    """The JSON Schema of `kind` for a new content file, as a path relative to the file's folder (what the
    yaml-language-server modeline takes): `schemas/<kind>.schema.json` in the nearest folder above the file
    that has one, up to the repository's root. None when there is none (`schema --out DIR` writes them)."""
    folder = file.parent.absolute()
    name = f"{kind}.schema.json"
    for above in folder.parents:
        if (above / "schemas" / name).is_file():
            return Path(os.path.relpath(above / "schemas" / name, folder)).as_posix()
        if (above / ".git").exists():
            break
    return None


def target_file(content_dir: Path, folder: str, name: str | None) -> Path:
    if name is not None:
        return content_dir / folder / name
    existing = sorted(p for p in (content_dir / folder).glob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    return existing[0] if existing else content_dir / folder / f"{folder}.yaml"


def new_item(content_dir: Path, kind: str, ident: str, file_name: str | None = None) -> Scaffolded:
    """Append a skeleton `kind` item with id `ident` to a file of content_dir (or refuse, writing nothing)."""
    folder, _ = KINDS[kind]
    reason = bad_id(ident)
    if reason is not None:
        return Scaffolded(False, reason)
    if not (content_dir / "site.yaml").is_file():
        return Scaffolded(False, f"{content_dir.as_posix()}/ is not a content folder (it has no site.yaml)")
    if file_name is not None and not _FILE_NAME.match(file_name):
        return Scaffolded(False, f"'{file_name}' is not a file name: give a name like 'more.yaml' inside {folder}/")
    where = find_id(content_dir, ident)
    if where is not None:
        return Scaffolded(False, f"the id '{ident}' already exists: {where}")
    file = target_file(content_dir, folder, file_name)
    display = file.as_posix()
    item = skeleton(kind, ident)
    schema: str | None = None
    if file.is_symlink() or (file.exists() and not file.is_file()):
        return Scaffolded(
            False, f"{display} is not a regular file (a link, folder, pipe or device); choose another --file"
        )
    if file.exists():
        try:
            raw = file.read_bytes()
        except OSError as exc:
            return Scaffolded(False, f"cannot read {display}: {exc.strerror}")
        before, problems = load_text(display, raw)
        if before is None or problems or not isinstance(before.data, list):
            return Scaffolded(
                False, f"{display} is not a readable list of items; fix it first (python -m builder check)"
            )
        text = raw.decode("utf-8")
        new_text = text + _separator(text) + item
    else:
        schema = schema_path(file, kind)
        new_text = (f"# yaml-language-server: $schema={schema}\n" if schema else "") + item
        before = None
    after, _ = load_text(display, new_text.encode("utf-8"))
    count = len(before.data) if before is not None else 0
    if (
        after is None
        or not isinstance(after.data, list)
        or len(after.data) != count + 1
        or (before is not None and after.data[:count] != before.data)
        or not isinstance(after.data[-1], dict)
        or after.data[-1].get("id") != ident
    ):
        return Scaffolded(False, f"cannot append to {display}: its last item does not end as a plain block list")
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_bytes(new_text.encode("utf-8"))
    line = after.mark((count,)).line
    hint = ""
    if before is None and schema is None:
        hint = (
            " No schemas/ folder was found above it, so it has no schema line for editors' tools: "
            "`python -m builder schema --out DIR` writes the schemas."
        )
    return Scaffolded(
        True,
        f"{display}:{line}: added {kind} '{ident}'. Fill in every empty field; "
        f"`python -m builder check` lists those still empty.{hint}",
        file,
        line,
    )
