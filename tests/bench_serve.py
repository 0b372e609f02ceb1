"""Benchmark (not a test): save-to-rebuilt-page time of `python -m builder serve` on the real content.

Run with `make bench-serve`. It copies content/ to a temporary folder (the real one is never touched),
starts the preview server on a free 127.0.0.1 port, then 5 times changes a fact's statement in the
copy and polls the fact's page until the new text is served. Prints min / median / max.

`python -m tests.bench_serve --facts 5000` does the same on generated content (tests/scale_content.py).
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.test_serve import fetch, free_port

ROOT = Path(__file__).resolve().parent.parent
RUNS = 5
FILE = Path("facts") / "basics.yaml"
PAGE = "facts/basics/"
ANCHOR = "The rare earth elements are a group of 17 metals"


def wait_for(url: str, text: str, seconds: float, poll: float = 0.02) -> float:
    began = time.perf_counter()
    while time.perf_counter() - began < seconds:
        if text in fetch(url):
            return time.perf_counter() - began
        time.sleep(poll)
    raise TimeoutError(f"'{text}' did not appear at {url} within {seconds} s")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    facts = int(args[args.index("--facts") + 1]) if "--facts" in args else 0
    file_name, page, anchor = FILE, PAGE, ANCHOR
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        if facts:
            from tests.scale_content import generate

            generate(facts, content)
            file_name, page = Path("facts") / "facts-0000.yaml", "facts/topic-0/"
            first = (content / file_name).read_text(encoding="utf-8").split("statement: ", 1)[1]
            anchor = " ".join(first.split()[:6])
        else:
            shutil.copytree(ROOT / "content", content)
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "builder", "serve", "--content", str(content), "--dev-addr", f"127.0.0.1:{port}"],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            url = f"http://127.0.0.1:{port}/{page}"
            started = wait_for(url, anchor, 600, poll=0.5)
            print(f"server up after {started:.1f} s; page {url}")
            time.sleep(1.0)  # let the watcher settle after the first build
            file = content / file_name
            original = file.read_text(encoding="utf-8")
            assert anchor in original
            times = []
            for run in range(1, RUNS + 1):
                marker = f"{anchor} (bench run {run} {time.time_ns()})"
                saved = time.perf_counter()
                file.write_text(original.replace(anchor, marker, 1), encoding="utf-8")
                wait_for(url, f"(bench run {run} ", 600 if facts else 30)
                elapsed = time.perf_counter() - saved
                times.append(elapsed)
                print(f"run {run}: {elapsed:.3f} s")
                time.sleep(1.0)
            print(
                f"{'real content' if not facts else f'{facts} generated facts'}: save-to-rebuilt-page over {RUNS} runs: min {min(times):.3f} s, "
                f"median {statistics.median(times):.3f} s, max {max(times):.3f} s"
            )
        finally:
            server.terminate()
            server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
