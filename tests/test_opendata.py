"""Open data and structured data: the downloads, their data dictionary, the CSV beside each chart, JSON-LD.

The built site is the fixture with a data licence; a second build carries values that would close a
script element (they cannot pass `check`, so they are put into validated content directly), and its
pages are read with an HTML parser.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.build import Prepared, Preparer, prepare
from builder.cache import Store
from builder.generate import generate
from builder.jsonld import script
from builder.model import Content, DataLicence
from builder.opendata import (
    DICTIONARY,
    FOLDER,
    DownloadParts,
    dataset_csv,
    downloads,
    records_json,
    tables,
    to_json,
)
from builder.render import render
from tests.conftest import FIXTURE, ROOT
from tests.test_build import run, tree_digest
from tests.test_safety import set_site

LICENCE = {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}
HOSTILE = "</script><script>alert(1)</script>"
TABLES = ("facts", "citations", "figures", "sources", "questions", "events", "datasets", "dataset_values")


@pytest.fixture(scope="module")
def prepared() -> Prepared:
    result = prepare(FIXTURE)
    assert result.checked.content is not None and result.rendered is not None
    return result


@pytest.fixture(scope="module")
def fixture_content(prepared: Prepared) -> Content:
    assert prepared.checked.content is not None
    return prepared.checked.content


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture explainer with a data licence, built with MkDocs."""
    root = tmp_path_factory.mktemp("opendata")
    content = root / "content"
    shutil.copytree(FIXTURE, content)
    set_site(content, data_licence=LICENCE)
    result = run("build", "--content", str(content), "--site-dir", str(root / "site"))
    assert result.returncode == 0, result.stderr
    return root / "site"


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def expected_counts(content: Content) -> dict[str, int]:
    return {
        "facts": len(content.facts),
        "citations": sum(len(f.citations) for f in content.facts),
        "figures": sum(len(f.figures) for f in content.facts),
        "sources": len(content.sources),
        "questions": len(content.questions),
        "events": len(content.events),
        "datasets": len(content.datasets),
        "dataset_values": sum(
            1 for d in content.datasets for r in d.rows for c in d.columns if r.values.get(c.id) is not None
        ),
    }


# --- the downloads in the built site -------------------------------------------------------------


def test_every_table_is_downloadable_as_csv_and_json_with_one_row_per_item(
    site: Path, fixture_content: Content
) -> None:
    folder = site / FOLDER
    counts = expected_counts(fixture_content)
    assert all(counts.values()), "the fixture should have items of every kind"
    for name in TABLES:
        rows = read_csv(folder / f"{name}.csv")
        records = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
        assert len(rows) == len(records) == counts[name], name
        # the same fields in the same order, the same values (lists joined in the CSV, none as empty)
        assert list(rows[0]) == list(records[0]), name
        for row, record in zip(rows, records, strict=True):
            for key, value in record.items():
                cell = "; ".join(map(str, value)) if isinstance(value, list) else "" if value is None else str(value)
                assert row[key] == cell, (name, key)


def test_csv_cells_are_machine_formats(site: Path) -> None:
    facts = {row["id"]: row for row in read_csv(site / FOLDER / "facts.csv")}
    alpha = facts["alpha-fact"]
    assert alpha["as_of"] == "2025-01-31"
    assert alpha["topics"] == "basics; trade"
    assert alpha["status"] == "confirmed" and alpha["status_label"] == "Confirmed"
    assert alpha["statement"] == "The test survey put **dysprosium** output at 100 t in 2024."
    values = read_csv(site / FOLDER / "dataset_values.csv")
    assert [(v["row"], v["value"], v["unit"]) for v in values] == [
        ("Testland", "270000", "t"),
        ("Otherland", "45000", "t"),
    ]
    assert [r["fact"] for r in read_csv(site / FOLDER / "figures.csv")] == ["gamma-fact", "gamma-fact"]


def test_the_data_package_describes_every_file_and_field(site: Path) -> None:
    folder = site / FOLDER
    package = json.loads((folder / DICTIONARY).read_text(encoding="utf-8"))
    for key in ("name", "title", "resources", "licenses"):
        assert package[key], key
    assert package["licenses"] == [{"path": LICENCE["url"], "title": LICENCE["name"]}]
    names = [r["name"] for r in package["resources"]]
    assert len(names) == len(set(names)) == 2 * len(TABLES)
    described = {r["path"] for r in package["resources"]}
    assert described == {p.name for p in folder.iterdir()} - {DICTIONARY}
    for resource in package["resources"]:
        for key in ("name", "path", "format", "mediatype", "schema"):
            assert resource[key], (resource["name"], key)
        path = folder / resource["path"]
        assert path.is_file() and "/" not in resource["path"] and ".." not in resource["path"]
        header = list(read_csv(path)[0]) if resource["format"] == "csv" else list(json.loads(path.read_text())[0])
        fields = resource["schema"]["fields"]
        assert [f["name"] for f in fields] == header, resource["name"]
        for field in fields:
            assert field["type"] in {"string", "integer", "number", "date", "array"}, field
            assert field["description"].strip(), (resource["name"], field["name"])
        if resource["format"] == "csv":
            assert resource["bytes"] == path.stat().st_size


def test_field_descriptions_come_from_the_model_docstrings(site: Path) -> None:
    package = json.loads((site / FOLDER / DICTIONARY).read_text(encoding="utf-8"))
    fields = {r["name"]: {f["name"]: f for f in r["schema"]["fields"]} for r in package["resources"]}
    # The docstrings written under Fact.as_of and Source.publisher in builder/model.py:
    assert fields["facts"]["as_of"]["description"] == "The date the statement is true as of."
    assert fields["sources"]["publisher"]["description"] == (
        "The original publisher, e.g. 'World Health Organization' or 'Reuters'."
    )
    assert fields["facts"]["topics"]["type"] == "string" and fields["facts-json"]["topics"]["type"] == "array"
    assert "joined with '; '" in fields["facts"]["topics"]["description"]


def test_frictionless_finds_the_package_valid(site: Path) -> None:
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(site / FOLDER / DICTIONARY))
    errors = [e.message for task in report.tasks for e in task.errors] + [e.message for e in report.errors]
    assert report.valid, errors


def test_frictionless_notices_a_file_that_differs_from_its_description(site: Path, tmp_path: Path) -> None:
    frictionless = pytest.importorskip("frictionless")
    folder = tmp_path / "download"
    shutil.copytree(site / FOLDER, folder)
    facts = folder / "facts.csv"
    facts.write_text(facts.read_text(encoding="utf-8").replace("2025-01-31", "31 January 2025"), encoding="utf-8")
    assert not frictionless.validate(str(folder / DICTIONARY)).valid


def test_each_chart_has_its_numbers_as_csv_linked_from_its_caption(site: Path, fixture_content: Content) -> None:
    page = (site / "data" / "index.html").read_text(encoding="utf-8")
    for dataset in fixture_content.datasets:
        rows = list(csv.reader(io.StringIO((site / "data" / f"{dataset.id}.csv").read_text(encoding="utf-8"))))
        assert rows[0] == ["label", "Output 2024 (t)"]
        assert rows[1:] == [["Testland", "270000"], ["Otherland", "45000"]]
        caption = page[page.index("<figcaption>") : page.index("</figcaption>")]
        assert f'<a href="{dataset.id}.csv">' in caption


def test_the_downloads_page_lists_files_rows_licence_and_dictionary(site: Path) -> None:
    page = (site / "downloads" / "index.html").read_text(encoding="utf-8")
    assert '<a href="../data/download/datapackage.json">datapackage.json</a>' in page
    assert f'<a href="{LICENCE["url"]}">CC BY 4.0</a>' in page
    assert "Quotations remain their publishers" in page
    for name in TABLES:
        assert f'<a href="../data/download/{name}.csv">' in page and f'<a href="../data/download/{name}.json">' in page
    row = page[page.index("facts.csv") - 400 : page.index("facts.csv")]
    assert "<td>3</td>" in row
    nav = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="downloads/"' in nav


def test_without_a_licence_the_downloads_say_so(fixture_content: Content, prepared: Prepared) -> None:
    assert fixture_content.site.data_licence is None
    package = json.loads(downloads(fixture_content)[f"{FOLDER}/{DICTIONARY}"])
    assert "licenses" not in package
    assert prepared.rendered is not None
    assert "No licence stated" in prepared.rendered.pages["downloads.md"]
    assert all("license" not in item for item in structured(prepared.rendered.pages["data.md"]))


def test_downloads_are_byte_identical_across_builds(site: Path, tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    set_site(content, data_licence=LICENCE)
    assert run("build", "--content", str(content), "--site-dir", str(tmp_path / "again")).returncode == 0
    again = tree_digest(tmp_path / "again" / "data")
    assert again == tree_digest(site / "data") and len(again) >= 2 * len(TABLES) + 1


def test_a_dataset_csv_keeps_numbers_exact_and_notes() -> None:
    from builder.model import Column, Dataset, Row

    dataset = Dataset(
        id="d",
        title="T",
        description="D",
        source="s",
        as_of="2025-01-01",
        columns=[Column(id="a", label="A, with comma", unit="%"), Column(id="b", label="B")],
        rows=[Row(label="x", values={"a": 0.125, "b": None}, note='say "hi"'), Row(label="y", values={"a": -3.0})],
    )
    rows = list(csv.reader(io.StringIO(dataset_csv(dataset))))
    assert rows == [["label", "A, with comma (%)", "B", "note"], ["x", "0.125", "", 'say "hi"'], ["y", "-3", "", ""]]


# --- JSON-LD ------------------------------------------------------------------------------------


class Scripts(HTMLParser):
    """Every script element of a page: its attributes and its text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.found: list[tuple[dict[str, str | None], str]] = []
        self._open: dict[str, str | None] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self._open, self._text = dict(attrs), []

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._open is not None:
            self.found.append((self._open, "".join(self._text)))
            self._open = None


def scripts(html: str) -> list[tuple[dict[str, str | None], str]]:
    parser = Scripts()
    parser.feed(html)
    parser.close()
    return parser.found


def structured(html: str) -> list[dict[str, Any]]:
    """The schema.org items of a page (its JSON-LD scripts, parsed)."""
    items: list[dict[str, Any]] = []
    for attrs, text in scripts(html):
        if attrs.get("type") == "application/ld+json":
            data = json.loads(text)
            assert data["@context"] == "https://schema.org"
            items.extend(data.get("@graph", [data]))
    return items


def by_type(items: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [item for item in items if item["@type"] == kind]


def test_each_checked_fact_is_a_claim_review(site: Path, fixture_content: Content) -> None:
    reviews = []
    for topic in fixture_content.site.topics:
        reviews += by_type(
            structured((site / "facts" / topic.id / "index.html").read_text(encoding="utf-8")), "ClaimReview"
        )
    assert len(reviews) == len(fixture_content.facts)
    alpha = next(r for r in reviews if r["url"].endswith("#alpha-fact"))
    for key in ("claimReviewed", "reviewRating", "itemReviewed", "author", "url", "datePublished"):
        assert alpha[key], key
    assert alpha["claimReviewed"] == "The test survey put dysprosium output at 100 t in 2024."
    assert alpha["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "Confirmed",
        "ratingExplanation": "Seen in the primary document, or reported by at least two independent sources.",
    }
    assert alpha["author"] == {"@type": "Organization", "name": "Test desk"}
    assert alpha["datePublished"] == "2025-01-31"
    assert alpha["url"] == "/facts/basics/#alpha-fact"
    assert alpha["itemReviewed"]["@type"] == "Claim"
    assert alpha["itemReviewed"]["appearance"]["url"] == "https://example.org/survey?year=2025&part=1"


def test_each_dataset_is_a_dataset_with_its_csv(site: Path) -> None:
    (item,) = by_type(structured((site / "data" / "index.html").read_text(encoding="utf-8")), "Dataset")
    assert item["name"] == "Test output by country, 2024"
    assert item["description"] == "Output of the test metal by country."
    assert item["license"] == LICENCE["url"]
    assert item["creator"] == {"@type": "Organization", "name": "Test Survey"}
    (download,) = item["distribution"]
    assert download == {
        "@type": "DataDownload",
        "contentUrl": "/data/output-by-country.csv",
        "encodingFormat": "text/csv",
    }
    assert (site / download["contentUrl"].lstrip("/")).is_file()


def test_story_and_questions_are_articles(site: Path, fixture_content: Content) -> None:
    (story,) = by_type(structured((site / "index.html").read_text(encoding="utf-8")), "Article")
    assert story["headline"] == "Metals in the test story"
    assert story["dateModified"] == "2025-06-01"
    assert story["author"] == {"@type": "Organization", "name": "Test desk"}
    for question in fixture_content.questions:
        page = (site / "questions" / question.id / "index.html").read_text(encoding="utf-8")
        (article,) = by_type(structured(page), "Article")
        assert article["headline"] == question.question
        assert article["dateModified"] == question.as_of.isoformat()
        assert article["author"]["name"] == "Test desk"


def test_pages_without_structured_data_have_no_json_ld(site: Path) -> None:
    for page in ("sources", "method", "timeline", "downloads"):
        assert structured((site / page / "index.html").read_text(encoding="utf-8")) == [], page


def test_json_ld_escapes_what_would_end_the_script() -> None:
    text = script([{"@type": "Thing", "name": HOSTILE + " & <!-- \u2028"}])
    body = text.strip().removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert "<" not in body and ">" not in body and "&" not in body
    assert json.loads(body)["name"] == HOSTILE + " & <!-- \u2028"
    assert text.startswith("\n<script") and text.endswith("</script>\n")
    assert script([]) == ""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory, fixture_content: Content, prepared: Prepared) -> Path:
    """The fixture with script-closing text in statements, titles, answers and the licence, built with MkDocs.

    `check` refuses such text, so it is put into the validated content, which is then rendered,
    written as a plain MkDocs project and built as any engine would.
    """
    content = fixture_content
    facts = [
        fact.model_copy(update={"title": f"Title {HOSTILE}", "statement": f"Claim {HOSTILE} & more."})
        for fact in content.facts
    ]
    datasets = [d.model_copy(update={"title": f"Data {HOSTILE}", "description": HOSTILE}) for d in content.datasets]
    # a question is its page's title, which the theme prints in <title> as it is (check refuses markup there)
    questions = [q.model_copy(update={"short_answer": f"Because {HOSTILE}."}) for q in content.questions]
    assert content.site.story is not None
    story = content.site.story.model_copy(update={"headline": f"Story {HOSTILE}"})
    site = content.site.model_copy(
        update={
            "story": story,
            "data_licence": DataLicence.model_construct(name=HOSTILE, url="https://example.org/l?a=1&b=</script>"),
        }
    )
    hostile = content.model_copy(update={"facts": facts, "datasets": datasets, "questions": questions, "site": site})
    root = tmp_path_factory.mktemp("hostile-jsonld")
    generate(FIXTURE, root / "project", Prepared(prepared.checked, render(hostile)), ROOT / "mkdocs.yml")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(root / "project" / "mkdocs.yml")],
        cwd=root / "project",
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return root / "project" / "site"


@pytest.mark.parametrize(
    ("page", "kind", "count"),
    [
        ("index.html", "Article", 1),
        ("questions/what-is-alpha/index.html", "Article", 1),
        ("facts/basics/index.html", "ClaimReview", 2),
        ("data/index.html", "Dataset", 1),
    ],
)
def test_hostile_text_cannot_leave_the_json_ld(hostile_site: Path, page: str, kind: str, count: int) -> None:
    html = (hostile_site / page).read_text(encoding="utf-8")
    found = scripts(html)
    inline = [(attrs, text) for attrs, text in found if "src" not in attrs]
    # the theme's own: its configuration (JSON) and three small inline scripts; then ours, once
    assert sorted(str(attrs.get("type")) for attrs, _ in inline) == [
        "None",
        "None",
        "None",
        "application/json",
        "application/ld+json",
    ]
    assert not any("alert(1)" in text for attrs, text in inline if attrs.get("type") != "application/ld+json")
    items = by_type(structured(html), kind)
    assert len(items) == count
    values = json.dumps(items, ensure_ascii=False)
    assert HOSTILE in values  # the text arrives whole, as data


def test_csv_text_cannot_run_as_a_spreadsheet_formula(fixture_content: Content) -> None:
    fact = fixture_content.facts[0]
    hostile = fact.model_copy(update={"title": '=HYPERLINK("https://evil.example/","click")', "note": "-5% @home"})
    content = fixture_content.model_copy(update={"facts": [hostile, *fixture_content.facts[1:]]})
    files = downloads(content)
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(files[f"{FOLDER}/facts.csv"]))}
    assert rows[fact.id]["title"] == '\'=HYPERLINK("https://evil.example/","click")'
    assert rows[fact.id]["note"] == "'-5% @home"
    records = {record["id"]: record for record in json.loads(files[f"{FOLDER}/facts.json"])}
    assert records[fact.id]["title"] == '=HYPERLINK("https://evil.example/","click")'
    package = json.loads(files[f"{FOLDER}/{DICTIONARY}"])
    assert (
        "a text cell that would begin with = + - @ or a tab is written with a leading apostrophe"
        in (package["description"])
    )


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(st.characters(codec="utf-8")),  # every character a model's text may hold (no lone surrogates)
)
RECORDS = st.lists(
    st.lists(st.one_of(SCALARS, st.lists(SCALARS, max_size=3)), min_size=3, max_size=3), min_size=1, max_size=4
)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(RECORDS)
def test_records_are_written_as_the_json_module_writes_them(rows: list[list[Any]]) -> None:
    """records_json writes with pydantic_core where that gives the same text, else with the json module:
    either way the text is to_json's, to the byte (floats such as 1e-07 are where the two writers differ)."""
    names = ["id", "title", "topics"]
    assert records_json(names, rows) == to_json([dict(zip(names, row, strict=True)) for row in rows], sort_keys=False)


def parts_of(content: Content) -> int:
    """How many parts the downloads have: one per item of each table (a fact has one in facts, citations and
    figures, a dataset in datasets and dataset_values)."""
    return sum(len(table.owners) for table in tables(content))


def edited(content: Content, kind: str, index: int, **update: Any) -> Content:
    items = list(getattr(content, kind))
    items[index] = items[index].model_copy(update=update)
    return content.model_copy(update={kind: items})


def test_downloads_from_kept_parts_equal_downloads_written_anew(fixture_content: Content) -> None:
    """After each edit, the downloads written with the parts kept from the content before are those written from
    nothing, and only the edited item's parts are written again."""
    content = fixture_content
    fact, dataset = content.facts[0], content.datasets[0]
    row = dataset.rows[0]
    column = next(c.id for c in dataset.columns if row.values.get(c.id) is not None)
    small = row.model_copy(update={"values": {**row.values, column: 0.00001}})  # the json module writes 1e-05
    site = content.site
    edits: list[tuple[str, Content, int]] = [
        ("nothing", content, 0),
        ("a fact's statement", edited(content, "facts", 0, statement="Edited. " + fact.statement), 3),
        (
            "a fact's quotation",
            edited(
                content, "facts", 0, citations=[c.model_copy(update={"quote": "Other words."}) for c in fact.citations]
            ),
            3,
        ),
        ("a fact's figures", edited(content, "facts", 2, figures=[]), 3),
        ("a source's title", edited(content, "sources", 0, title="Another title"), 1),
        ("a question's answer", edited(content, "questions", 0, short_answer="No."), 1),
        ("an event's title", edited(content, "events", 0, title="Another event"), 1),
        ("a dataset's number", edited(content, "datasets", 0, rows=[small, *dataset.rows[1:]]), 2),
        (
            "the site's address",
            content.model_copy(update={"site": site.model_copy(update={"url": "https://x.org/"})}),
            -1,
        ),
    ]
    for what, changed, written in edits:
        parts = DownloadParts()
        parts.begin()
        assert downloads(content, parts) == downloads(content), what
        parts.finish()
        parts.begin()
        assert downloads(changed, parts) == downloads(changed), what
        every = parts_of(changed)
        assert parts.reused == (every - written if written >= 0 else 0), what
    assert "1e-05" in downloads(edits[-2][1], DownloadParts())[f"{FOLDER}/dataset_values.json"]


def test_a_new_build_writes_only_the_edited_facts_parts_of_the_downloads(tmp_path: Path) -> None:
    """The parts are stored in the builder's cache: a new process writes again only those of the fact edited."""
    content = shutil.copytree(FIXTURE, tmp_path / "content")
    store = Store(tmp_path / "cache")
    first = Preparer(store).prepare(content, history=False)
    facts = content / "facts" / "basics.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("output at 100 t", "output at 120 t"), "utf-8")
    preparer = Preparer(store)
    warm = preparer.prepare(content, history=False)
    cold = prepare(content, history=False)
    assert warm.rendered is not None and cold.rendered is not None and first.rendered is not None
    assert warm.rendered.assets == cold.rendered.assets != first.rendered.assets
    assert cold.checked.content is not None
    assert preparer.download_parts.reused == parts_of(cold.checked.content) - 3
