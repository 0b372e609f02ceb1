"""Several explainers in one repository: each has its own site folder, copies of sources, preview port and
schema paths, so that building, reviewing, previewing or scaffolding one never touches the other."""

from __future__ import annotations

import json
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from builder.schema import write_schemas
from builder.settings import default_site_dir
from tests.conftest import FIXTURE, ROOT, run, run_main, write
from tests.test_optional import FACTS, SITE, SOURCES

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


def water(folder: Path, extra_site: str = "") -> Path:
    """A second, minimal explainer in `folder`."""
    write(folder / "site.yaml", SITE.replace("Minimal explainer", "Water explainer") + extra_site)
    write(folder / "sources" / "sources.yaml", SOURCES)
    write(folder / "facts" / "facts.yaml", FACTS.replace("Alpha output", "Water output"))
    return folder


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """A repository holding the fixture explainer in content/ and a second one in explainers/water/."""
    (tmp_path / ".git").mkdir()  # the repository's root, as `new` and `build` see it
    shutil.copytree(FIXTURE, tmp_path / "content")
    water(tmp_path / "explainers" / "water")
    write_schemas(tmp_path / "schemas")
    return tmp_path


def test_default_site_folder_is_beside_its_content_and_named_after_it() -> None:
    assert default_site_dir(Path("content")) == Path("site")
    assert default_site_dir(Path("water")) == Path("site-water")
    assert default_site_dir(Path("explainers/water")) == Path("explainers/site-water")
    assert default_site_dir(Path("explainers/water/content")) == Path("explainers/water/site")
    assert default_site_dir(Path("/srv/x/content/")) == Path("/srv/x/site")
    assert default_site_dir(Path(".")) == Path.cwd().parent / f"site-{Path.cwd().name}"


def test_two_explainers_build_into_their_own_site_folders(repository: Path) -> None:
    config = ["--config", str(ROOT / "mkdocs.yml")]
    first = run("build", "--content", "content", *config, cwd=repository)
    second = run("build", "--content", "explainers/water", *config, cwd=repository)
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert second.stderr.rstrip().endswith("generated pages into explainers/site-water/ with mkdocs.")
    fixture_home = (repository / "site" / "index.html").read_text("utf-8")
    water_home = (repository / "explainers" / "site-water" / "index.html").read_text("utf-8")
    assert "<title>Fixture explainer: the metals test</title>" in fixture_home
    assert "<title>Facts - Water explainer</title>" in water_home  # its home page is the facts page
    assert (repository / "site" / "questions" / "index.html").is_file()  # the first one was not replaced
    assert not (repository / "explainers" / "site-water" / "questions").exists()


def test_review_reads_the_copies_of_its_own_content_folder(repository: Path) -> None:
    write(repository / "content" / "copies" / "source-a.txt", "The survey says: output was 100 t.\n")
    write(repository / "explainers" / "water" / "copies" / "source-a.txt", "Nothing about it.\n")
    quoted = "    - source: source-a\n      quote: output was 100 t\n"
    facts = repository / "explainers" / "water" / "facts" / "facts.yaml"
    facts.write_text(facts.read_text("utf-8").replace("    - source: source-a\n", quoted), "utf-8")

    status, out, _ = run_main(["review", "--content", "explainers/water", "--format", "json"], repository)
    assert status == 0
    found = {(f["code"], f["message"]) for f in json.loads(out)["findings"]}
    assert (
        "quote-not-found",
        "fact 'alpha-fact' quotes \"output was 100 t\", which is not in the stored copy "
        "explainers/water/copies/source-a.txt",
    ) in found

    status, out, _ = run_main(["review", "--content", "content", "--format", "json"], repository)
    codes = {(f["code"], f["message"]) for f in json.loads(out)["findings"] if "'alpha-fact'" in f["message"]}
    # the fixture's alpha-fact quotes "output was 100 t" too: found in content/copies/, so nothing is reported
    assert not [c for c in codes if c[0].startswith("quote-")]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("content", "../../schemas/fact.schema.json"),
        ("explainers/water", "../../../schemas/fact.schema.json"),
    ],
)
def test_new_points_its_schema_line_at_the_schemas_above_it(repository: Path, content: str, expected: str) -> None:
    shutil.rmtree(repository / content / "facts")
    status, out, err = run_main(["new", "fact", "fresh-fact", "--content", content], repository)
    assert status == 0, err
    assert out.startswith(f"{content}/facts/facts.yaml:2: added fact 'fresh-fact'.")
    file = repository / content / "facts" / "facts.yaml"
    first = file.read_text("utf-8").splitlines()[0]
    assert first == f"# yaml-language-server: $schema={expected}"
    assert (file.parent / expected).resolve() == (repository / "schemas" / "fact.schema.json").resolve()


def test_new_from_another_folder_finds_the_same_schema(repository: Path) -> None:
    """The path is relative to the new file, whichever folder the command runs in."""
    elsewhere = repository / "explainers"
    status, _, err = run_main(["new", "question", "fresh-question", "--content", "water"], elsewhere)
    assert status == 0, err
    file = repository / "explainers" / "water" / "questions" / "questions.yaml"
    assert file.read_text("utf-8").startswith("# yaml-language-server: $schema=../../../schemas/question.schema.json\n")


def test_new_without_schemas_writes_no_schema_line_and_says_so(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    water(tmp_path / "water")
    status, out, _ = run_main(["new", "event", "fresh-event", "--content", "water"], tmp_path)
    assert status == 0
    assert out.strip().endswith(
        "No schemas/ folder was found above it, so it has no schema line for editors' tools: "
        "`python -m builder schema --out DIR` writes the schemas."
    )
    assert (tmp_path / "water" / "events" / "events.yaml").read_text("utf-8").startswith("- id: fresh-event\n")


@pytest.fixture
def listening() -> Iterator[int]:
    """A port another program listens on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        yield held.getsockname()[1]


def test_serve_refuses_a_port_in_use_with_a_clear_message(tmp_path: Path, listening: int) -> None:
    content = water(tmp_path / "water")
    result = run("serve", "--content", str(content), "--dev-addr", f"127.0.0.1:{listening}", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        f"error: cannot preview {content} on 127.0.0.1:{listening}: the port is in use (Address already in use), "
        "perhaps by the preview of another explainer. Give this one its own port: preview_port in its site.yaml, "
        "or --dev-addr 127.0.0.1:PORT."
    )


def test_serve_previews_on_the_port_its_site_yaml_names(tmp_path: Path, listening: int) -> None:
    """Without --dev-addr, the port comes from site.yaml (here one already taken, so serve stops and says so)."""
    content = water(tmp_path / "water", f"preview_port: {listening}\n")
    result = run("serve", "--content", str(content), cwd=tmp_path)
    assert result.returncode == 1
    assert f"error: cannot preview {content} on 127.0.0.1:{listening}: the port is in use" in result.stderr


@pytest.mark.parametrize("address", ["127.0.0.1:99999", "127.0.0.1", "127.0.0.1:http"])
def test_serve_refuses_an_address_without_a_port_in_one_line(tmp_path: Path, address: str) -> None:
    content = water(tmp_path / "water")
    result = run("serve", "--content", str(content), "--dev-addr", address, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == f"error: --dev-addr {address}: give HOST:PORT, with a port from 0 to 65535"
