from __future__ import annotations

from builder.load import MAX_BYTES, load_text


def problems(text: str | bytes) -> list[str]:
    raw = text.encode() if isinstance(text, str) else text
    return [p.text() for p in load_text("x.yaml", raw)[1]]


def test_values_remember_line_and_column() -> None:
    doc, found = load_text("x.yaml", b"- id: a\n  title: |\n    first\n    second [@b]\n")
    assert found == []
    assert doc is not None
    assert doc.data == [{"id": "a", "title": "first\nsecond [@b]\n"}]
    assert (doc.mark((0, "id")).line, doc.mark((0, "id")).col) == (1, 7)
    located = doc.locate_in_text((0, "title"), doc.data[0]["title"].index("[@b]"))
    assert (located.line, located.col) == (4, 12)


def test_duplicate_key() -> None:
    assert problems("a: 1\nb: 2\na: 3\n") == [
        "x.yaml:3:1: error: duplicate key 'a' (first at line 1); the second would silently win [duplicate-key]"
    ]


def test_tab_indentation() -> None:
    assert problems("a:\n\t- b\n") == [
        "x.yaml:2:1: error: a tab character is not allowed here; indent with spaces [yaml-syntax]"
    ]


def test_broken_yaml() -> None:
    assert problems("a: [1, 2\nb: 3\n") == [
        "x.yaml:2:2: error: not valid YAML: while parsing a flow sequence, expected ',' or ']', but got ':' [yaml-syntax]"
    ]


def test_object_constructing_tag_is_refused() -> None:
    assert problems('- !!python/object/apply:os.system ["true"]\n') == [
        "x.yaml:1:3: error: the YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not accepted; "
        "write plain values [yaml-tag]"
    ]


def test_alias_bomb_is_refused_without_expanding() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for n in range(1, 30):
        prev = chr(ord("a") + (n - 1) % 26) + str(n - 1)
        lines.append(f"b{n}: &{chr(ord('a') + n % 26)}{n} [*{prev if n > 1 else 'a'}, *{prev if n > 1 else 'a'}]")
    found = problems("\n".join(lines) + "\n")
    # Each alias is reported where it is written (not at its anchor), and nothing is expanded.
    assert found[:2] == [
        "x.yaml:2:10: error: anchors and aliases (&name, *name) are not accepted [yaml-alias]",
        "x.yaml:2:14: error: anchors and aliases (&name, *name) are not accepted [yaml-alias]",
    ]
    assert len(found) == 58


def test_impossible_date() -> None:
    assert problems("d: 2025-02-30\n") == ["x.yaml:1:4: error: '2025-02-30' is not a real date [bad-date]"]


def test_empty_binary_encoding_and_size() -> None:
    assert problems("") == ["x.yaml:1:1: error: file is empty; remove it or add content [empty-file]"]
    assert problems("# only a comment\n") == ["x.yaml:1:1: error: file is empty; remove it or add content [empty-file]"]
    assert problems(b"a: 1\x00\n") == [
        "x.yaml:1:1: error: file contains NUL bytes: it is binary, not YAML text [binary-file]"
    ]
    assert problems(b"a: ok\nb: caf\xe9\n") == [
        "x.yaml:2:7: error: byte 0xe9 is not valid UTF-8; save the file as UTF-8 [bad-encoding]"
    ]
    big = b"a: " + b"x" * MAX_BYTES
    assert problems(big) == [
        f"x.yaml:1:1: error: file is {len(big):,} bytes; content files may be at most {MAX_BYTES:,} [file-too-large]"
    ]
