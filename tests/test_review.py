"""`python -m builder review`: what editors should look at again, located, always exit 0."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from builder.review import REVIEW_CODES, normalise, quote_found, review
from builder.validate import check
from tests.conftest import run, write


def findings(content: Path, today: str = "2025-06-01") -> list[str]:
    checked = check(content, display_root=content.parent)
    return [f.text() for f in review(checked, dt.date.fromisoformat(today), content.parent / "copies")]


def test_stale_claims_unused_sources_and_checked_quotes(content: Path) -> None:
    facts = content / "facts" / "basics.yaml"
    facts.write_text(
        facts.read_text().replace("  as_of: 2025-01-31\n", "  as_of: 2025-01-31\n  review_by: 2025-05-31\n")
    )
    questions = content / "questions" / "questions.yaml"
    questions.write_text(
        questions.read_text().replace("  as_of: 2025-03-04\n", "  as_of: 2025-03-04\n  review_by: 2025-06-01\n", 1)
    )
    sources = content / "sources" / "sources.yaml"
    sources.write_text(
        sources.read_text().replace(
            "  kind: government\n", "  kind: government\n  archive_url: https://web.archive.org/x\n"
        )
        + "- id: source-unused\n  publisher: P\n  title: T\n  published: 2025\n  url: https://example.org/u\n"
        "  accessed: 2025-05-01\n  archive_url: https://web.archive.org/u\n  kind: wire\n"
    )
    write(content.parent / "copies" / "source-a.txt", "The survey says:\n\u201coutput  was\n100 t\u201d in 2024.\n")
    write(content.parent / "copies" / "source-b.txt", "Nothing of the kind.\n")
    assert [line for line in findings(content) if "[no-archive]" not in line and "none-produced" not in line] == [
        "content/facts/basics.yaml:6:14: review: fact 'alpha-fact' was due for review on 2025-05-31 (1 day ago); "
        "check it against its sources, then update as_of and review_by [stale-claim]",
        "content/facts/basics.yaml:9:5: review: fact 'alpha-fact' rests on a single source, 'source-a' "
        "(status: confirmed); add an independent source if one exists [single-source]",
        "content/facts/basics.yaml:19:5: review: fact 'beta-fact' rests on a single source, 'source-b' "
        "(status: single-source); add an independent source if one exists [single-source]",
        "content/facts/basics.yaml:20:14: review: fact 'beta-fact' quotes \"They are flowing again\", which is not in "
        f"the stored copy {content.parent.as_posix()}/copies/source-b.txt [quote-not-found]",
        "content/sources/sources.yaml:29:7: review: source 'source-unused' is never cited; cite it or remove it "
        "[unused-source]",
    ]


def test_quote_matching_normalises_whitespace_quotes_and_ellipses() -> None:
    copy = normalise("He said \u2018it\u2019s  done\u2019 and\nthen, later, \u201cwe agree\u201d.")
    assert quote_found("it's done", copy)
    assert quote_found('then, later, "we agree"', copy)
    assert quote_found("He said ... we agree", copy)
    assert quote_found("He said [\u2026] we agree", copy)
    assert not quote_found("we agree ... He said", copy)
    assert not quote_found("it is done", copy)


def test_json_format_and_items_with_errors_left_out(content: Path) -> None:
    write(content / "facts" / "bad.yaml", "- id: broken-fact\n  title: x\n")
    result = run("review", "--content", "content", "--today", "2025-06-01", "--format", "json", cwd=content.parent)
    assert result.returncode == 0
    report = json.loads(result.stdout)
    assert list(report["counts"]) == list(REVIEW_CODES)
    assert report["counts"]["single-source"] == 2
    assert report["errors"] == 5
    assert report["findings"][0] == {
        "file": "content/corrections/corrections.yaml",
        "line": 7,
        "col": 14,
        "code": "quote-unchecked",
        "message": "correction 'none-produced' quotes source 'source-a', which has no stored copy "
        "(content/copies/source-a.txt)",
    }


def test_copies_option_and_bad_date(content: Path, tmp_path: Path) -> None:
    write(tmp_path / "elsewhere" / "source-b.txt", "They are flowing again, he said.")
    result = run("review", "--content", "content", "--copies", str(tmp_path / "elsewhere"), cwd=content.parent)
    assert result.returncode == 0
    assert "beta-fact' quotes source 'source-b'" not in result.stdout
    assert "alpha-fact' quotes source 'source-a'" in result.stdout
    bad = run("review", "--content", "content", "--today", "2025-02-30", cwd=content.parent)
    assert bad.returncode == 2
    assert "argument --today: invalid date value: '2025-02-30'" in bad.stderr


def test_review_of_the_real_content_runs() -> None:
    result = run("review", "--today", "2025-01-01")
    assert result.returncode == 0
    assert " findings: " in result.stdout.splitlines()[-1]
    assert "Traceback" not in result.stderr
