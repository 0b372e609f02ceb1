"""Benchmark (not a test): a full build at 1k, 10k and 50k generated facts. Run with `make bench-scale`.

For each size it generates a content tree (tests/scale_content.py: facts with Markdown, citations with
quotes, statuses, figures, over 24 topics), times creating 4,000 small files (the disk creates files far more
slowly for minutes after many were deleted, and says so), builds it cold with `python -m builder build` in a child
process, and prints the wall and CPU time (user + system: the machine may be shared), the peak memory of the build, its render's forked copy and the search index's processes together (their PSS, sampled from /proc: see TreeMemory) and of each, time and
memory per fact, the share of the build spent in the builder's own stage (loading, checking and
rendering, timed inside the same process), the largest HTML page, and the 10k -> 50k ratio. At 10k it also
times plain MkDocs building the same pages (`generate`, then `mkdocs build` without a plugin or search). Up to 10k it also counts, in Chromium, the bytes a reader
downloads from opening the search to the first result (tests/bench_search.py), typed at once and key by key. At the
largest size it then edits one fact and builds again (warm: the builder's cache under .cache/ in the
content's parent folder is kept, and only the pages whose Markdown changed are rendered again). Finally it times the live preview's save-to-reload at 5k facts.

    python -m tests.bench_scale                 # 1000 10000 50000, preview at 5000
    python -m tests.bench_scale 2000 5000       # other sizes; --no-serve skips the preview
    python -m tests.bench_scale --no-search     # the same without Material's search plugin
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml

from tests.scale_content import generate

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-06-01"
DRIVER = """
import json, resource, sys, time
from pathlib import Path
import builder.build as b

spent = [0.0, 0.0]

def children():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime

original = b.Preparer.prepare

def timed(self, *args, **kwargs):
    began, copies = time.process_time(), children()
    try:
        return original(self, *args, **kwargs)
    finally:
        spent[0] += time.process_time() - began
        spent[1] += children() - copies

b.Preparer.prepare = timed
began = time.process_time()
status = b.build(
    Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), today=b.dt.date.fromisoformat(sys.argv[4]), ending=True
)
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
total = time.process_time() - began + spent[1]
print(json.dumps({"status": status, "builder": spent[0] + spent[1], "total": total, "own": own, "copies": spent[1]}))
"""
"""Runs one build in a child process and reports, from inside it, the CPU time spent in the builder's stage
(load, check, render; the cache read and written) and in the whole build (CPU time, as the machine may be
shared: wall time would count other processes' turns). The CPU time of the render's forked copies
(builder/forked.py), the only processes that end while the content is prepared, counts in both; the search
index's processes in neither, as before."""


PLAIN_AT = 10000
"""The size at which the same pages are also built as a plain MkDocs project (`plain_mkdocs`)."""


def plain_mkdocs(content: Path, folder: Path) -> float:
    """Wall seconds of a plain `mkdocs build` of the same explainer, without its search plugin: the project
    `python -m builder generate` writes (the pages' Markdown, assets and theme, no plugin). What MkDocs alone takes
    to convert and write the pages a build makes, against which the builder's own stage is weighed."""
    project = folder / "plain"
    generating = [sys.executable, "-m", "builder", "generate", "--content", str(content), "--out", str(project)]
    subprocess.run([*generating, "--today", TODAY], check=True, capture_output=True, cwd=ROOT)
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"] = [p for p in config.get("plugins", []) if p != "search"]
    plain = project / "mkdocs-no-search.yml"
    plain.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    began = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(plain), "-d", str(project / "site")],
        check=True,
        capture_output=True,
        env=env,
    )
    return time.perf_counter() - began


def without_search(folder: Path) -> Path:
    """A copy of mkdocs.yml without the search plugin (its docs folder still the repository's)."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config["docs_dir"] = str(ROOT / config.get("docs_dir", "docs"))
    config["plugins"] = [p for p in config["plugins"] if p != "search"]
    file = folder / "mkdocs-no-search.yml"
    file.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return file


class TreeMemory:
    """The largest memory of a process and its descendants at one moment (the search index's helpers and
    Pagefind run beside the build, and the render's forked copy beside it: builder/forked.py), and of its
    descendants alone, sampled from /proc every half second.

    Each process counts its proportional set size (PSS: its own pages, and its share of the pages it shares with
    others), so that the sum is the memory the processes use together. Resident sizes would count a page shared
    by a build and its forked copy twice: the copy shares every page of its parent it has not written to. PSS is
    costly to read (about 12 ms for a 1 GB process, the kernel walking its page tables): ten readings a second of
    the build and its copy would take a quarter of a core from a 2-core build, two take a twentieth. For the same
    reason as the copies, the descendants' figure is sampled rather than taken from getrusage(), whose maximum
    resident size of a child counts the parent's pages it shared between fork and exec."""

    EVERY = 0.5
    """Seconds between two samples."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = 0
        """KB."""
        self.children = 0
        """KB: the render's forked copy (builder/forked.py), the search index's processes (its helpers and their
        Pagefind indexers, builder/pagefind_service.py), and any other process the build starts, together."""
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._done.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._done.wait(self.EVERY):
            sizes = {pid: _pss(pid) for pid in _tree(self.pid)}
            self.peak = max(self.peak, sum(sizes.values()))
            self.children = max(self.children, sum(size for pid, size in sizes.items() if pid != self.pid))


def _tree(pid: int) -> list[int]:
    """The process and its descendants."""
    found: list[int] = []
    todo = [pid]
    while todo:
        each = todo.pop()
        found.append(each)
        for task in Path(f"/proc/{each}/task").glob("*/children"):
            try:
                todo.extend(int(child) for child in task.read_text().split())
            except OSError:
                continue
    return found


def _pss(pid: int) -> int:
    """KB: the process's proportional set size (0 once it has ended)."""
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    found = re.search(r"^Pss:\s+(\d+) kB", rollup, re.MULTILINE)
    return int(found.group(1)) if found else 0


PROBE_FILES = 4000
"""Small files created before each build to see how quickly the disk creates files now."""
SLOW_DISK = 0.3
"""Seconds for PROBE_FILES above which the disk is called slow (on this machine: 0.1 s when quiet, 0.5-1.7 s
in the minutes after many files were deleted, when a build that writes 62,000 files ran up to 25 s slower)."""


def disk_probe(folder: Path) -> str:
    """How long creating PROBE_FILES small files takes now, as a note for the line of the build that follows. The
    files stay until the benchmark's folder is removed: deleting them would slow the disk again."""
    folder.mkdir(parents=True)
    began = time.perf_counter()
    for number in range(PROBE_FILES):
        handle = os.open(folder / f"{number:05d}", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        os.write(handle, b"x" * 700)
        os.close(handle)
    took = time.perf_counter() - began
    slow = " (slow: files deleted in the last minutes? the build's figures are pessimistic)" if took > SLOW_DISK else ""
    return f"disk: {PROBE_FILES:,} files created in {took:.2f} s{slow}"


def run_build(content: Path, site: Path, config: Path = ROOT / "mkdocs.yml") -> dict[str, float]:
    """One `build` in a child process: wall time, peak memory (MB: the largest resident size of the process and
    its children, from os.wait4; the build's own resident size; its children's PSS together, sampled; all of
    them together at one moment, sampled), the builder stage's time."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    out, err = site.parent / "build.out", site.parent / "build.err"
    actions = [
        (os.POSIX_SPAWN_OPEN, 1, str(out), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
        (os.POSIX_SPAWN_OPEN, 2, str(err), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
    ]
    args = [sys.executable, "-c", DRIVER, str(content), str(site), str(config), TODAY]
    began = time.perf_counter()
    pid = os.posix_spawn(sys.executable, args, env, file_actions=actions)
    together = TreeMemory(pid)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - began
    together.stop()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"build failed ({status}):\n{err.read_text()[-3000:]}")
    inner = json.loads(out.read_text().strip().splitlines()[-1])
    cpu = usage.ru_utime + usage.ru_stime
    again = re.search(r"Rendered (\d+) of (\d+) pages again", err.read_text())
    return {
        "again": float(again.group(1)) if again else -1.0,
        "wall": wall,
        "cpu": cpu,
        "rss": usage.ru_maxrss / 1024,
        "own": inner["own"],
        "children": together.children / 1024,
        "together": together.peak / 1024,
        "builder": inner["builder"],
        "inner": inner["total"],
    }


def memory(r: dict[str, float]) -> str:
    return (
        f"{r['together']:5.0f} MB PSS together (the build's own RSS {r['own']:5.0f} MB, its children's PSS "
        f"{r['children']:5.0f} MB, the largest RSS {r['rss']:5.0f} MB)"
    )


def largest_page(site: Path) -> tuple[int, str]:
    sizes = [(f.stat().st_size, f.relative_to(site).as_posix()) for f in site.rglob("*.html")]
    return max(sizes)


def edit_one_fact(content: Path) -> None:
    file = sorted((content / "facts").glob("facts-*.yaml"))[len(list((content / "facts").glob("facts-*"))) // 2]
    text = file.read_text(encoding="utf-8")
    file.write_text(text.replace("statement: ", "statement: Edited. ", 1), encoding="utf-8")


SEARCHED_UP_TO = 10000
"""The largest size whose search downloads are counted (the goal is set at 10,000 facts)."""
QUERIES = ("magnet", "export licence")
"""Words of the generated facts (tests/scale_content.py)."""


def searched(site: Path) -> None:
    """Print the bytes downloaded from opening the search to the first result, for each query and way of typing."""
    from tests.bench_search import downloads

    for query in QUERIES:
        for delay, how in ((0, "typed at once"), (60, "key by key")):
            loaded, first, took = downloads(site, query, delay)
            print(
                f"{'':13}search {query!r:16} {how:13}  page load {loaded / 1024:7.1f} KB  "
                f"search to first result {first / 1024:7.1f} KB  ({took:4.1f} s)",
                flush=True,
            )


def main(argv: list[str]) -> int:
    serve = "--no-serve" not in argv
    search = "--no-search" not in argv
    sizes = [int(a) for a in argv if a.isdigit()] or [1000, 10000, 50000]
    results: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        config = ROOT / "mkdocs.yml" if search else without_search(Path(tmp))
        print(f"configuration: {'mkdocs.yml' if search else 'mkdocs.yml without the search plugin'}", flush=True)
        for size in sizes:
            folder = Path(tmp) / str(size)  # each size its own cache folder (.cache/ beside the site): cold
            content = folder / "content"
            generate(size, content)
            site = folder / "site"
            print(f"{size:>6} facts  {disk_probe(folder / 'probe')}", flush=True)
            r = run_build(content, site, config)
            page, name = largest_page(site)
            pages = sum(1 for _ in site.rglob("*.html"))
            results[size] = r
            print(
                f"{size:>6} facts  cold build {r['wall']:6.1f} s wall, {r['cpu']:6.1f} s CPU  peak {memory(r)}  "
                f"{r['wall'] / size * 1000:5.2f} ms/fact  {r['together'] / size * 1024:6.1f} KB/fact  "
                f"builder stage {r['builder']:5.1f} s CPU ({r['builder'] / r['inner'] * 100:4.1f}% of the build's CPU)  "
                f"{pages} HTML pages, largest {page / 1024:.0f} KB ({name})",
                flush=True,
            )
            if search and size <= SEARCHED_UP_TO:
                searched(site)
        if 10000 in results and 50000 in results:
            ratio = results[50000]["wall"] / results[10000]["wall"]
            cpu = results[50000]["cpu"] / results[10000]["cpu"]
            print(
                f"10k -> 50k build time ratio: {ratio:.2f} wall, {cpu:.2f} CPU (linear: 5.0; goal <= 5.5)", flush=True
            )
        largest = max(sizes)
        content = Path(tmp) / str(largest) / "content"
        edit_one_fact(content)
        print(f"{largest:>6} facts  {disk_probe(Path(tmp) / str(largest) / 'probe-warm')}", flush=True)
        r = run_build(content, Path(tmp) / str(largest) / "site", config)
        print(
            f"{largest:>6} facts  warm build after editing one fact {r['wall']:6.1f} s wall, {r['cpu']:6.1f} s CPU  peak {memory(r)}  "
            f"builder stage {r['builder']:5.1f} s CPU ({r['builder'] / r['inner'] * 100:4.1f}%)  "
            f"pages rendered again: {'all' if r['again'] < 0 else int(r['again'])}",
            flush=True,
        )
        if PLAIN_AT in results:  # last: its 10,000 pages written would slow the larger builds' disk
            plain = plain_mkdocs(Path(tmp) / str(PLAIN_AT) / "content", Path(tmp) / str(PLAIN_AT))
            print(
                f"{PLAIN_AT:>6} facts  the same pages as a plain MkDocs project, no plugin and no search: "
                f"{plain:.1f} s wall (the whole build above, search included, took "
                f"{results[PLAIN_AT]['wall'] / plain * 100:.0f}% of it)",
                flush=True,
            )
    if serve:
        from tests.bench_serve import main as serve_main

        return serve_main(["--facts", "5000"])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
