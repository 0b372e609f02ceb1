from __future__ import annotations

import json
from pathlib import Path

from builder.problems import format_problems
from builder.validate import check
from tests.conftest import write


def messages(content: Path) -> list[str]:
    checked = check(content, display_root=content.parent)
    return [p.text() for p in checked.problems]


def test_fixture_is_clean(content: Path) -> None:
    checked = check(content)
    assert checked.problems == []
    assert checked.content is not None
    assert [f.id for f in checked.content.facts] == ["alpha-fact", "beta-fact", "gamma-fact"]


def test_unknown_source_with_suggestion(content: Path) -> None:
    facts = content / "facts" / "basics.yaml"
    facts.write_text(facts.read_text().replace("- source: source-a\n      quote", "- source: sourse-a\n      quote", 1))
    assert messages(content) == [
        "content/facts/basics.yaml:8:15: error: fact 'alpha-fact' cites unknown source 'sourse-a'; "
        "did you mean 'source-a'? [unknown-source]"
    ]


def test_every_problem_reported_at_once(content: Path) -> None:
    write(
        content / "facts" / "bad.yaml",
        """- id: Bad Id
  title: x
  statment: y
  status: confirm
  as_of: 2025-01-01
  topics: [basic]
  citations:
    - source: coverage-site
- id: alpha-fact
  title: <b>bold</b>
  statement: "[x](javascript:alert(1)) {{ 7*7 }} [@alpha-fakt]"
  status: confirmed
  as_of: 2025-01-01
  topics: [basics]
  citations: []
""",
    )
    assert messages(content) == [
        "content/facts/bad.yaml:1:3: error: fact 'Bad Id' is missing required field 'statement' [missing-field]",
        "content/facts/bad.yaml:1:7: error: fact 'Bad Id': 'Bad Id' is not an id: use lower-case words joined by hyphens [bad-id]",
        "content/facts/bad.yaml:3:3: error: fact 'Bad Id' has unknown field 'statment'; did you mean 'statement'? [unknown-field]",
        "content/facts/bad.yaml:4:11: error: fact 'Bad Id': 'status' is 'confirm', not one of 'confirmed', 'single-source', "
        "'secondary-only', 'reported-denied', 'disputed' or 'corrected'; did you mean 'confirmed'? [bad-value]",
        "content/facts/bad.yaml:6:12: error: fact 'Bad Id' names unknown topic 'basic'; did you mean 'basics'? [unknown-topic]",
        "content/facts/bad.yaml:8:15: error: fact 'Bad Id' cites 'coverage-site', an aggregator: cite the original publisher "
        "instead [cites-aggregator]",
        "content/facts/bad.yaml:10:10: error: contains raw HTML ('<b>bold</b>'); write Markdown, and links as "
        "[text](https://...) [raw-html]",
        "content/facts/bad.yaml:10:17: error: contains raw HTML ('</b>'); write Markdown, and links as [text](https://...) [raw-html]",
        "content/facts/bad.yaml:11:19: error: the address 'javascript:alert(1)' uses 'javascript:', which is not allowed; use an http(s) address [unsafe-link]",
        "content/facts/bad.yaml:11:40: error: contains template syntax ('{{ 7*7 }} [@'); write plain text [template-syntax]",
        "content/facts/bad.yaml:11:50: error: [@alpha-fakt] names neither a fact nor a source; did you mean 'alpha-fact'? "
        "[unknown-reference]",
        "content/facts/bad.yaml:15:14: error: fact 'alpha-fact': 'citations' needs at least one item [empty-value]",
        "content/facts/basics.yaml:1:7: error: duplicate id 'alpha-fact': already used by the fact at "
        "content/facts/bad.yaml:9:7 [duplicate-id]",
    ]


def test_missing_fields_wrong_types_and_dates(content: Path) -> None:
    write(
        content / "sources" / "more.yaml",
        """- id: source-c
  publisher: 5
  published: 2025-13
  url: ftp://example.org/x
  accessed: yesterday
  kind: wire
""",
    )
    assert messages(content) == [
        "content/sources/more.yaml:1:3: error: source 'source-c' is missing required field 'title' [missing-field]",
        "content/sources/more.yaml:1:7: warning: source 'source-c' is never cited [unused-source]",
        "content/sources/more.yaml:2:14: error: source 'source-c': 'publisher' should be text, not a whole number [wrong-type]",
        "content/sources/more.yaml:3:14: error: source 'source-c': 'published' is '2025-13': not a real date [bad-date]",
        "content/sources/more.yaml:4:8: error: source 'source-c': 'url' is 'ftp://example.org/x', not an http:// or https:// "
        "address [bad-url]",
        "content/sources/more.yaml:5:13: error: source 'source-c': 'accessed' is 'yesterday': expected a date like 2025-06-10 "
        "[bad-date]",
    ]


def test_file_shapes(content: Path) -> None:
    write(content / "facts" / "mapping.yaml", "id: not-a-list\n")
    write(content / "notes.yaml", "a: 1\n")
    (content / "site.yaml").unlink()
    assert messages(content) == [
        "content/facts/mapping.yaml:1:1: error: a facts file should be a list of fact items (each starting with '- '), "
        "not a mapping [wrong-type]",
        "content/notes.yaml:1:1: warning: not read: YAML files belong in site.yaml or one of sources, facts, questions, "
        "events, elements, people, datasets, corrections/ [unknown-file]",
        "content/site.yaml:1:1: error: the content folder has no site.yaml [missing-site]",
    ]


def test_output_formats(content: Path) -> None:
    facts = content / "facts" / "basics.yaml"
    facts.write_text(facts.read_text().replace("topics: [basics, trade]", "topics: [basics, trades]"))
    checked = check(content, display_root=content.parent)
    assert format_problems(checked.problems, checked.files, "github").splitlines() == [
        "::error file=content/facts/basics.yaml,line=6,col=20,title=unknown-topic::fact 'alpha-fact' names unknown "
        "topic 'trades'; did you mean 'trade'?",
        "1 error, 0 warnings in 9 files.",
    ]
    data = json.loads(format_problems(checked.problems, checked.files, "json"))
    assert data["errors"] == 1 and data["warnings"] == 0 and data["files"] == 9
    assert data["problems"][0] == {
        "file": "content/facts/basics.yaml",
        "line": 6,
        "col": 20,
        "code": "unknown-topic",
        "message": "fact 'alpha-fact' names unknown topic 'trades'; did you mean 'trade'?",
        "level": "error",
    }
