"""`python -m builder new`: a skeleton appended to the right file, which `check` flags until it is filled."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.scaffold import KINDS, new_item, skeleton
from builder.settings import SCAFFOLD_KINDS
from builder.validate import check
from tests.conftest import run, write


@pytest.mark.parametrize("kind", list(KINDS))
def test_new_appends_to_first_file_keeping_its_bytes(content: Path, kind: str) -> None:
    folder = KINDS[kind][0]
    first = sorted((content / folder).glob("*.yaml"))[0]
    before = first.read_bytes()
    result = run("new", kind, f"brand-new-{kind}", "--content", "content", cwd=content.parent)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"content/{folder}/{first.name}:")
    after = first.read_bytes()
    assert after.startswith(before)
    assert after[len(before) :] == b"\n" + skeleton(kind, f"brand-new-{kind}").encode()
    codes = {p.code for p in check(content).problems if p.file.endswith(first.name)}
    assert codes & {"empty-value", "bad-date", "bad-value", "bad-url", "bad-id"}, "empty fields must be flagged"


def test_skeleton_of_a_fact() -> None:
    text = skeleton("fact", "x")
    assert text.startswith(
        '- id: x\n  # A short heading for the fact (search results and permalinks show it).\n  title: ""\n'
    )
    assert "  topics: []\n" in text
    assert '  citations:\n    - source: ""\n' in text
    assert '  # review_by: ""  # When an editor should check the statement again.' in text
    assert "TODO" not in text


def test_new_fact_is_flagged_field_by_field(content: Path) -> None:
    assert new_item(content, "fact", "fresh-fact").ok
    messages = [p.text() for p in check(content, display_root=content.parent).problems]
    assert messages == [
        "content/facts/basics.yaml:47:10: error: fact 'fresh-fact': 'title' needs some text [empty-value]",
        "content/facts/basics.yaml:49:14: error: fact 'fresh-fact': 'statement' needs some text [empty-value]",
        "content/facts/basics.yaml:51:11: error: fact 'fresh-fact': 'status' is '', not one of 'confirmed', "
        "'single-source', 'secondary-only', 'reported-denied', 'disputed' or 'corrected' [bad-value]",
        "content/facts/basics.yaml:53:10: error: fact 'fresh-fact': 'as_of' is '': expected a date like 2025-06-10 [bad-date]",
        "content/facts/basics.yaml:55:11: error: fact 'fresh-fact': 'topics' needs at least one item [empty-value]",
        "content/facts/basics.yaml:58:15: error: fact 'fresh-fact': 'source' needs some text, not only spaces [empty-value]",
        "content/facts/basics.yaml:58:15: error: fact 'fresh-fact' cites unknown source '' [unknown-source]",
    ]


def test_filled_skeleton_passes(content: Path) -> None:
    assert new_item(content, "question", "fresh-question").ok
    file = content / "questions" / "questions.yaml"
    text = file.read_text()
    for field, value in (("question", "Why?"), ("short_answer", "Because [@alpha-fact]."), ("answer", "Because.")):
        text = text.replace(f'  {field}: ""\n', f"  {field}: {value}\n", 1)
    file.write_text(text.replace('  as_of: ""\n', "  as_of: 2025-03-04\n"))
    assert check(content).problems == []


def test_new_with_file_creates_it_with_a_schema_modeline(content: Path) -> None:
    write(content.parent / "schemas" / "event.schema.json", "{}\n")
    result = new_item(content, "event", "fresh-event", "later.yaml")
    assert result.ok, result.message
    text = (content / "events" / "later.yaml").read_text()
    assert text == "# yaml-language-server: $schema=../../schemas/event.schema.json\n" + skeleton(
        "event", "fresh-event"
    )


def test_new_keeps_comments_and_adds_a_blank_line_only_when_needed(content: Path) -> None:
    file = write(content / "sources" / "a.yaml", "# top comment\n- id: zed  # trailing\n  publisher: P\n\n")
    assert new_item(content, "source", "fresh-source").ok
    assert file.read_text() == "# top comment\n- id: zed  # trailing\n  publisher: P\n\n" + skeleton(
        "source", "fresh-source"
    )
    write(content / "events" / "a.yaml", "- id: no-newline\n  title: x")
    assert new_item(content, "event", "fresh-event").ok
    assert (content / "events" / "a.yaml").read_text().startswith("- id: no-newline\n  title: x\n\n- id: fresh-event\n")


def test_existing_id_is_refused_naming_where(content: Path) -> None:
    before = (content / "questions" / "questions.yaml").read_bytes()
    result = run("new", "question", "alpha-fact", "--content", "content", cwd=content.parent)
    assert result.returncode == 1
    assert result.stderr == "the id 'alpha-fact' already exists: the fact at content/facts/basics.yaml:1:7\n"
    assert (content / "questions" / "questions.yaml").read_bytes() == before


def test_existing_id_in_an_unreadable_file_is_still_found(content: Path) -> None:
    write(content / "facts" / "broken.yaml", "- id: hidden-fact\n  title: [unclosed\n")
    result = new_item(content, "fact", "hidden-fact")
    assert not result.ok
    assert result.message.endswith("broken.yaml:1 (a file that does not read as YAML)")


@pytest.mark.parametrize("ident", ["Bad Id", "under_score", "café", "trail-", "a" * 81, ""])
def test_bad_id_is_refused(content: Path, ident: str) -> None:
    result = run("new", "fact", ident, "--content", "content", cwd=content.parent)
    assert result.returncode == 1
    assert result.stderr == (
        f"'{ident}' is not an id: use lower-case words joined by hyphens (a-z, 0-9), at most 80 characters\n"
    )


def test_refuses_a_file_that_is_not_a_block_list(content: Path) -> None:
    write(content / "facts" / "flow.yaml", "[]\n")
    result = new_item(content, "fact", "fresh-fact", "flow.yaml")
    assert not result.ok
    assert result.message == (
        f"cannot append to {content.as_posix()}/facts/flow.yaml: its last item does not end as a plain block list"
    )
    assert (content / "facts" / "flow.yaml").read_text() == "[]\n"


def test_refuses_a_path_as_file_name(content: Path) -> None:
    result = new_item(content, "fact", "fresh-fact", "../site.yaml")
    assert not result.ok
    assert result.message == "'../site.yaml' is not a file name: give a name like 'more.yaml' inside facts/"


def test_unknown_kind_is_a_usage_error(content: Path) -> None:
    result = run("new", "person", "someone", "--content", "content", cwd=content.parent)
    assert result.returncode == 2
    assert "invalid choice: 'person'" in result.stderr


def test_the_command_line_offers_exactly_the_kinds_new_can_scaffold():
    # settings.SCAFFOLD_KINDS lets the command line list the kinds without importing the model.
    assert tuple(KINDS) == SCAFFOLD_KINDS
