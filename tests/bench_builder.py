"""Benchmark (not a test): time the builder's own stage (check + render) as the number of facts grows.

Run with `make bench`. It copies the fixture content and multiplies its facts N times.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

from builder.render import render
from builder.validate import check

FIXTURE = Path(__file__).parent / "fixtures" / "content"
IDS = ("alpha-fact", "beta-fact", "gamma-fact")


def measure(copies: int, root: Path) -> str:
    content = root / f"content-{copies}"
    shutil.copytree(FIXTURE, content)
    base = (FIXTURE / "facts" / "basics.yaml").read_text()
    for start in range(0, copies, 300):
        chunk = []
        for i in range(start, min(start + 300, copies)):
            text = base
            for ident in IDS:
                text = text.replace(f"id: {ident}", f"id: n{i}-{ident}")
            chunk.append(text)
        (content / "facts" / f"many-{start}.yaml").write_text("".join(chunk))
    began = time.perf_counter()
    checked = check(content)
    checked_at = time.perf_counter()
    assert checked.content is not None, checked.problems[:3]
    render(checked.content)
    done = time.perf_counter()
    facts = len(checked.content.facts)
    return f"{facts:>6} facts  check {checked_at - began:6.2f} s  render {done - checked_at:5.2f} s  ({(done - began) / facts * 1000:.2f} ms/fact)"


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [250, 1000, 4000]
    with tempfile.TemporaryDirectory() as tmp:
        for copies in sizes:
            print(measure(copies, Path(tmp)))


if __name__ == "__main__":
    main()
