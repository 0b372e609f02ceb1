"""The explainer's data as downloads: JSON and CSV of every content type, with a data dictionary (no I/O).

`downloads(content)` returns {path under the docs folder: text}: for each table (facts, citations,
figures, sources, questions, events, datasets, dataset values) a CSV and a JSON file in
`data/download/`, and `datapackage.json` there, a Frictionless Data Package that describes every
file, every field (name, type and description, taken from the content model's field docstrings)
and the licence. `dataset_csv(dataset)` is one dataset's numbers as a table, written beside its chart.

Everything is written by the json and csv modules, in a fixed order (items by id, keys sorted), with
dates in ISO form and numbers in machine form, so two builds are byte-identical.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import io
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

import pydantic_core
from pydantic import BaseModel

from .cache import Dumps, Generations
from .model import (
    N_,
    STATUS_TEXT,
    Citation,
    Column,
    Content,
    Dataset,
    Event,
    Fact,
    Figure,
    Question,
    Row,
    Site,
    Source,
    Via,
    field_docs,
)

FOLDER = "data/download"
"""Where the downloads live, under the docs folder (and so in the built site)."""
DICTIONARY = "datapackage.json"
JOINED = "; "
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""How a text cell would begin that a spreadsheet reads as a formula: such cells get a leading apostrophe."""
CSV_NOTE = (
    " In the CSV files, a text cell that would begin with = + - @ or a tab is written with a leading apostrophe,"
    " so that spreadsheets show it instead of running it as a formula; the JSON files hold the exact text."
)
"""How a CSV cell holds several values (a JSON file holds them as an array)."""


@dataclass(frozen=True)
class Field:
    """One column of a table: its name, Table Schema type ('list' for several values), meaning and value."""

    name: str
    type: str
    description: str
    get: Callable[[Any], Any]


def _itself(item: Any) -> list[Any]:
    return [item]


@dataclass(frozen=True)
class Table:
    """A table: its rows are those of its items (`owners`, in order), each item's made by `rows_of`."""

    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    owners: list[Any]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[tuple[str, str, str], ...] = ()
    """(field, other table, its field)."""
    rows_of: Callable[[Any], list[Any]] = _itself
    """An item's rows: the item itself, or (for citations, figures and dataset values) the rows it holds."""


def described(model: type[BaseModel], name: str, type_: str, column: str | None = None, **how: Any) -> Field:
    """A field of a content model, described by the model's own docstring for it."""
    description = field_docs(model).get(name)
    if not description:
        raise ValueError(f"{model.__name__}.{name} has no docstring to describe it in the data dictionary")
    get = how.get("get") or (lambda item: getattr(item, name))
    return Field(column or name, type_, " ".join(description.split()), get)


def _unique(values: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(values))


def permalink(site: Site, path: str) -> str:
    """The address of a page path ('facts/basics/#x') on the published site, or from its root without a URL."""
    return (site.url.rstrip("/") + "/" + path) if site.url else "/" + path


def fact_path(fact: Fact) -> str:
    return f"facts/{fact.topics[0]}/#{fact.id}"


def question_path(question: Question) -> str:
    return f"questions/{question.id}/"


def _citation_fields(model: type[Citation]) -> list[Field]:
    return [
        described(model, "source", "string"),
        described(model, "quote", "string"),
        described(model, "speaker", "string"),
        described(model, "role", "string"),
        described(model, "locator", "string"),
        described(model, "note", "string"),
    ]


POSITION = "Its place among the fact's {}, counted from 1."


def tables(content: Content) -> list[Table]:
    """Every table of the downloads, in a fixed order, rows sorted by id."""
    site = content.site
    facts = sorted(content.facts, key=lambda f: f.id)
    datasets = sorted(content.datasets, key=lambda d: d.id)

    def cited(fact: Fact) -> list[Any]:
        return [(fact, n, c) for n, c in enumerate(fact.citations, 1)]

    def figures(fact: Fact) -> list[Any]:
        return [(fact, n, f) for n, f in enumerate(fact.figures, 1)]

    def values(dataset: Dataset) -> list[Any]:
        return [
            (dataset, row, column)
            for row in dataset.rows
            for column in dataset.columns
            if row.values.get(column.id) is not None
        ]

    def of_item(field: Field) -> Field:
        """A field of the item in the third place of a (fact, position, item) row."""
        get = field.get
        return Field(field.name, field.type, field.description, lambda row: get(row[2]))

    return [
        Table(
            "facts",
            N_("Facts"),
            N_("Every checked fact: its statement, status and date, with the ids of the sources it cites."),
            (
                described(Fact, "id", "string"),
                described(Fact, "title", "string"),
                described(Fact, "statement", "string"),
                described(Fact, "status", "string"),
                Field(
                    "status_label",
                    "string",
                    "The status as readers see it on the site.",
                    lambda f: STATUS_TEXT[f.status][0],
                ),
                described(Fact, "as_of", "date"),
                described(Fact, "review_by", "date"),
                described(Fact, "topics", "list"),
                Field(
                    "sources",
                    "list",
                    "The ids of the sources its citations name, in the order cited (see citations).",
                    lambda f: _unique([c.source for c in f.citations]),
                ),
                described(Fact, "note", "string"),
                Field(
                    "url",
                    "string",
                    "The fact's permanent address on the site.",
                    lambda f: permalink(site, fact_path(f)),
                ),
            ),
            facts,
            ("id",),
        ),
        Table(
            "citations",
            N_("Citations"),
            N_("Each citation of each fact: the source, and the quoted words where there are any."),
            (
                Field("fact", "string", "The id of the fact that cites the source.", lambda r: r[0].id),
                Field("position", "integer", POSITION.format("citations"), lambda r: r[1]),
                *(of_item(field) for field in _citation_fields(Citation)),
            ),
            facts,
            ("fact", "position"),
            (("fact", "facts", "id"), ("source", "sources", "id")),
            cited,
        ),
        Table(
            "figures",
            N_("Figures"),
            N_("Each source's value for a figure, where sources give different values: one row per value."),
            (
                Field("fact", "string", "The id of the fact the figure belongs to.", lambda r: r[0].id),
                Field("position", "integer", POSITION.format("figures"), lambda r: r[1]),
                of_item(described(Figure, "label", "string")),
                of_item(described(Figure, "value", "string")),
                of_item(described(Figure, "year", "integer")),
                *(of_item(field) for field in _citation_fields(Figure)),
            ),
            facts,
            ("fact", "position"),
            (("fact", "facts", "id"), ("source", "sources", "id")),
            figures,
        ),
        Table(
            "sources",
            N_("Sources"),
            N_("Every source: publisher, title, date and address."),
            (
                described(Source, "id", "string"),
                described(Source, "publisher", "string"),
                described(Source, "title", "string"),
                described(Source, "authors", "list"),
                described(Source, "published", "string"),
                described(Source, "url", "string"),
                described(Source, "accessed", "date"),
                described(Source, "archive_url", "string"),
                described(Via, "name", "string", "via_name", get=lambda s: s.via and s.via.name),
                described(Via, "url", "string", "via_url", get=lambda s: s.via and s.via.url),
                described(Source, "kind", "string"),
                described(Source, "country", "string"),
                described(Source, "language", "string"),
                described(Source, "note", "string"),
            ),
            sorted(content.sources, key=lambda s: s.id),
            ("id",),
        ),
        Table(
            "questions",
            N_("Questions"),
            N_("Readers' questions with their short and full answers."),
            (
                described(Question, "id", "string"),
                described(Question, "question", "string"),
                described(Question, "short_answer", "string"),
                described(Question, "answer", "string"),
                described(Question, "as_of", "date"),
                described(Question, "review_by", "date"),
                described(Question, "topics", "list"),
                described(Question, "facts", "list"),
                described(Question, "related", "list"),
                Field(
                    "url",
                    "string",
                    "The question's permanent address on the site.",
                    lambda q: permalink(site, question_path(q)),
                ),
            ),
            sorted(content.questions, key=lambda q: q.id),
            ("id",),
        ),
        Table(
            "events",
            N_("Events"),
            N_("The dated events of the timeline."),
            (
                described(Event, "id", "string"),
                described(Event, "date", "string"),
                described(Event, "date_label", "string"),
                described(Event, "title", "string"),
                described(Event, "summary", "string"),
                Field(
                    "sources",
                    "list",
                    "The ids of the sources cited for the event, in the order cited.",
                    lambda e: _unique([c.source for c in e.citations]),
                ),
                described(Event, "topics", "list"),
                described(Event, "facts", "list"),
            ),
            sorted(content.events, key=lambda e: (e.date, e.id)),
            ("id",),
        ),
        Table(
            "datasets",
            N_("Datasets"),
            N_("The sourced tables behind the charts; their numbers are in dataset_values."),
            (
                described(Dataset, "id", "string"),
                described(Dataset, "title", "string"),
                described(Dataset, "description", "string"),
                described(Dataset, "source", "string"),
                described(Dataset, "locator", "string"),
                described(Dataset, "as_of", "date"),
                Field("columns", "list", "The ids of its columns, in order.", lambda d: [c.id for c in d.columns]),
                Field("rows", "integer", "How many rows it has.", lambda d: len(d.rows)),
                described(Dataset, "note", "string"),
                Field(
                    "csv",
                    "string",
                    "The dataset as a table of its own (a row per row, a column per column), beside its chart.",
                    lambda d: permalink(site, f"data/{d.id}.csv"),
                ),
            ),
            datasets,
            ("id",),
            (("source", "sources", "id"),),
        ),
        Table(
            "dataset_values",
            N_("Dataset values"),
            N_("Every number of every dataset, one row per value (empty cells of a dataset are left out)."),
            (
                Field("dataset", "string", "The id of the dataset.", lambda v: v[0].id),
                described(Row, "label", "string", "row", get=lambda v: v[1].label),
                described(Column, "id", "string", "column", get=lambda v: v[2].id),
                described(Column, "label", "string", "column_label", get=lambda v: v[2].label),
                described(Column, "unit", "string", get=lambda v: v[2].unit),
                Field("value", "number", "The number.", lambda v: v[1].values[v[2].id]),
                described(Row, "note", "string", get=lambda v: v[1].note),
            ),
            datasets,
            ("dataset", "row", "column"),
            (("dataset", "datasets", "id"),),
            values,
        ),
    ]


def _plain(value: Any) -> Any:
    """A value in JSON form: dates as ISO text, enums as their value, whole numbers without a decimal point."""
    kind = type(value)
    if kind is str or value is None:  # most cells: nothing to change
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _cell(value: Any) -> str:
    """A value in JSON form (`_plain`) as a CSV cell: nothing for none, several values joined, numbers in
    machine form."""
    if value is None:
        return ""
    if type(value) is str:
        return "'" + value if value.startswith(FORMULA_START) else value
    text = JOINED.join(str(v) for v in value) if isinstance(value, list) else str(value)
    if isinstance(value, (str, list)) and text.startswith(FORMULA_START):
        return "'" + text
    return text


def to_csv(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([[_cell(_plain(v)) for v in row] for row in rows])
    return buffer.getvalue()


def to_json(data: Any, sort_keys: bool = True) -> str:
    """JSON text; keys sorted unless their order is fixed (a table's records keep the order of its fields)."""
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=sort_keys) + "\n"


EXACT = frozenset({str, int, bool, type(None)})
"""The types of value pydantic_core writes as JSON exactly as the json module does (to_json's options).
Floats are not among them: pydantic_core writes 1e-7 where the json module writes 1e-07."""


def _exact(value: Any) -> bool:
    kind = type(value)
    return kind in EXACT or (kind is list and all(type(v) in EXACT for v in value))


def records_json(names: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """Rows of plain values (`_plain`) as a JSON array of objects, keys in the order of `names`: the text of
    to_json(records, sort_keys=False), written by pydantic_core's encoder (the json module's indenting one is
    pure Python) when every value is of a type both write alike."""
    records = [dict(zip(names, row, strict=True)) for row in rows]
    if all(_exact(value) for row in rows for value in row):
        return pydantic_core.to_json(records, indent=2).decode() + "\n"
    return to_json(records, sort_keys=False)


@dataclass(frozen=True)
class Part:
    """One item's rows of a table, written: its CSV lines, its JSON objects as they stand in the table's array
    (without the brackets), and how many rows."""

    csv: str
    json: str
    rows: int


DownloadParts = Generations[tuple[str, bytes], Part]
"""Each item's part of each table, by (table, digest of the item and the site's address): held by the Preparer
and stored in the builder's cache, so that an edit writes again only the parts of the items it changed."""


def _part(table: Table, owner: Any) -> Part:
    gets = [field.get for field in table.fields]
    rows = [[_plain(get(row)) for get in gets] for row in table.rows_of(owner)]
    if not rows:
        return Part("", "", 0)
    buffer = io.StringIO()
    csv.writer(buffer).writerows([[_cell(value) for value in row] for row in rows])
    text = records_json([field.name for field in table.fields], rows)
    return Part(buffer.getvalue(), text[2:-3], len(rows))  # "[\n" and "\n]\n" are the table's


def digests(site: Site, dumps: Dumps | None = None) -> Callable[[Any], bytes]:
    """A digest of an item (its JSON and kind) and of the site's address: all a row reads besides the item (the
    builder's own code is in the store's stamp). `dumps`: the items' digests made before (builder/cache.py)."""
    dumps = dumps or Dumps()
    address = f"{site.url}\0".encode()
    known: dict[int, bytes] = {}
    """id(item) -> its digest, for the tables after the first that have rows of it (the item is held by dumps)."""

    def digest(item: Any) -> bytes:
        found = known.get(id(item))
        if found is None:
            found = known[id(item)] = hashlib.sha256(address + dumps.digest(item)).digest()
        return found

    return digest


Made = list[tuple[tuple[str, bytes], Part]]
"""Items' parts of the tables, by their key in DownloadParts."""


def unwritten(
    content: Content, parts: DownloadParts, digest: Callable[[Any], bytes], batch: int = 500
) -> list[Callable[[], Made]]:
    """The items' parts of the tables that `parts` does not hold, to be written by tasks of `batch` items each: the
    render runs them in its processes (builder/forked.py) and keeps what they make in `parts` before `downloads`
    joins the parts (with the same `digest`, from `digests`). At 50,000 facts the tables' parts took 2.5 s of one
    core."""
    tasks: list[Callable[[], Made]] = []
    for table in tables(content):
        keys = ((table.name, digest(owner)) for owner in table.owners)
        todo = [(key, owner) for key, owner in zip(keys, table.owners, strict=True) if key not in parts]
        tasks += [functools.partial(_parts, table, todo[n : n + batch]) for n in range(0, len(todo), batch)]
    return tasks


def _parts(table: Table, todo: list[tuple[tuple[str, bytes], Any]]) -> Made:
    return [(key, _part(table, owner)) for key, owner in todo]


def table_files(
    table: Table, parts: DownloadParts | None = None, digest: Callable[[Any], bytes] | None = None
) -> tuple[str, str, int]:
    """The table as CSV and as JSON (an array of objects, one per row), and its number of rows.

    With `parts` and `digest` (`digests`), an item's part is written only when none was kept for its digest."""
    written: list[Part] = []
    for owner in table.owners:
        if parts is None or digest is None:
            written.append(_part(table, owner))
            continue
        key = (table.name, digest(owner))
        part = parts.get(key)
        if part is None:
            part = _part(table, owner)
            parts.keep(key, part)
        written.append(part)
    header = io.StringIO()
    csv.writer(header).writerow([field.name for field in table.fields])
    text = header.getvalue() + "".join(part.csv for part in written)
    records = ",\n".join(part.json for part in written if part.rows)
    return text, f"[\n{records}\n]\n", sum(part.rows for part in written)


def dataset_csv(dataset: Dataset) -> str:
    """One dataset as a table: a row per row, a column per column (its label and unit), a note if any."""
    header = ["label", *(c.label + (f" ({c.unit})" if c.unit else "") for c in dataset.columns)]
    notes = any(row.note for row in dataset.rows)
    rows = [
        [row.label, *(row.values.get(c.id) for c in dataset.columns), *([row.note] if notes else [])]
        for row in dataset.rows
    ]
    return to_csv([*header, *(["note"] if notes else [])], rows)


def _schema(table: Table, listed: str) -> dict[str, Any]:
    fields = []
    for field in table.fields:
        entry = {"name": field.name, "type": field.type, "description": field.description}
        if field.type == "list":
            entry["type"] = listed
            if listed == "string":
                entry["description"] += f" Several values are joined with '{JOINED}'."
        fields.append(entry)
    schema: dict[str, Any] = {"fields": fields}
    if table.primary_key:
        schema["primaryKey"] = list(table.primary_key)
    if table.foreign_keys:
        schema["foreignKeys"] = [
            {"fields": [mine], "reference": {"resource": other, "fields": [theirs]}}
            for mine, other, theirs in table.foreign_keys
        ]
    return schema


def _package_name(site: Site) -> str:
    name = re.sub(r"[^a-z0-9]+", "-", site.title.lower()).strip("-")[:60].strip("-")
    return name or "explainer-data"


def downloads(
    content: Content,
    parts: DownloadParts | None = None,
    counts: dict[str, int] | None = None,
    dumps: Dumps | None = None,
    digest: Callable[[Any], bytes] | None = None,
) -> dict[str, str]:
    """Every download file and the data dictionary, keyed by path under the docs folder.

    A table without rows (questions, events, figures or datasets an explainer does not have) is left out.
    `parts`: the items' parts of the tables written before (`table_files`); `counts`, when given, is filled with
    each table's number of rows, by its name (what `listing` shows); `dumps`: the items' JSON made before;
    `digest`: the items' digests made before (`digests`, as `unwritten` had them)."""
    site = content.site
    files: dict[str, str] = {}
    resources: list[dict[str, Any]] = []
    digest = digest or digests(site, dumps)
    for table in tables(content):
        as_csv, as_json, rows = table_files(table, parts, digest)
        if not rows:
            continue  # a content type the explainer does not have: no file, no entry in the dictionary
        if counts is not None:
            counts[table.name] = rows
        for suffix, text, media, listed in (
            ("csv", as_csv, "text/csv", "string"),
            ("json", as_json, "application/json", "array"),
        ):
            path = f"{table.name}.{suffix}"
            files[f"{FOLDER}/{path}"] = text
            schema = _schema(table, listed)
            if suffix == "json" and "foreignKeys" in schema:
                # A foreign key names a resource; the CSV tables carry them, the JSON copies refer to those.
                del schema["foreignKeys"]
            resource: dict[str, Any] = {
                "name": table.name if suffix == "csv" else f"{table.name}-json",
                "title": table.title,
                "description": table.description,
                "path": path,
                "profile": "tabular-data-resource",
                "format": suffix,
                "mediatype": media,
                "encoding": "utf-8",
                "schema": schema,
            }
            if suffix == "csv":
                # Frictionless checks a CSV file's size and hash; it reads JSON as data and cannot check them.
                data = text.encode("utf-8")
                resource |= {"bytes": len(data), "hash": "sha256:" + hashlib.sha256(data).hexdigest()}
            resources.append(resource)
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": _package_name(site),
        "title": site.title,
        "description": site.description + CSV_NOTE,
        "created": f"{site.updated.isoformat()}T00:00:00Z",
        "contributors": [{"title": site.publisher, "role": "publisher"}],
        "resources": resources,
    }
    if site.url:
        package["homepage"] = site.url
    if site.data_licence:
        package["licenses"] = [{"title": site.data_licence.name, "path": site.data_licence.url}]
    files[f"{FOLDER}/{DICTIONARY}"] = to_json(package)
    return files


def listing(files: dict[str, str], counts: dict[str, int]) -> list[dict[str, Any]]:
    """What the downloads page lists: each table with its CSV and JSON files, their sizes and row count
    (`counts`, filled by `downloads`)."""
    package = json.loads(files[f"{FOLDER}/{DICTIONARY}"])
    entries: dict[str, dict[str, Any]] = {}
    for resource in package["resources"]:
        name = resource["name"].removesuffix("-json")
        entry = entries.setdefault(
            name, {"name": name, "title": resource["title"], "description": resource["description"], "files": []}
        )
        entry["rows"] = counts[name]
        written = len(files[f"{FOLDER}/{resource['path']}"].encode("utf-8"))
        entry["files"].append(
            {"path": f"{FOLDER}/{resource['path']}", "name": resource["path"], "size": size(written), "bytes": written}
        )
    return list(entries.values())


def size(count: int) -> str:
    """A file size for readers: bytes under a kilobyte, else kilobytes or megabytes with one decimal."""
    if count < 1000:
        return f"{count} B"
    if count < 1_000_000:
        return f"{count / 1000:.1f} kB"
    return f"{count / 1_000_000:.1f} MB"
