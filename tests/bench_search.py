"""Benchmark (not a test): build time and what a reader downloads to search, as the number of facts grows.

Run with `make bench-search` (or `python -m tests.bench_search 1000 10000`). For each size it copies the real
content, adds generated facts (real statements recombined, with their own titles, numbers and years, a
hundred to a topic) and builds the site twice: with the explainer's search (Pagefind index from the content)
and with the theme's search plugin (`search: false` in the explainer plugin's settings: the lunr index of
every finished page). Then, in Chromium, it counts the bytes of every response: loading the home page, and
from opening the search to the first result, for a few queries typed at once and typed key by key.
"""

from __future__ import annotations

import copy
import functools
import http.server
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml

from tests.conftest import ARGS, CHROMIUM

REPO = Path(__file__).resolve().parent.parent
CONTENT = REPO / "content"
QUERIES = ("dysprosium", "licence", "magnet", "export controls")


def grow(content: Path, facts: int, seed: int = 7) -> int:
    """Add generated facts to a copy of the content until it holds `facts`; returns the number it holds."""
    chance = random.Random(seed)
    real: list[dict] = []
    for file in sorted((content / "facts").glob("*.yaml")):
        real.extend(yaml.safe_load(file.read_text("utf-8")) or [])
    missing = max(0, facts - len(real))
    site = yaml.safe_load((content / "site.yaml").read_text("utf-8"))
    topics = (missing + 99) // 100
    site["topics"] = [*site["topics"], *({"id": f"gen-{n}", "label": f"Generated topic {n}"} for n in range(topics))]
    (content / "site.yaml").write_text(yaml.safe_dump(site, allow_unicode=True, sort_keys=False), "utf-8")
    words = sorted({w.strip(".,;:()").lower() for f in real for w in f["statement"].split() if len(w) > 4})
    made = []
    for n in range(missing):
        first, second = chance.sample(real, 2)
        year = chance.randint(1990, 2026)
        amount = chance.randint(1_000, 900_000)
        made.append(
            {
                **copy.deepcopy(first),
                "id": f"generated-{n}",
                "title": f"{first['title']}: {chance.choice(words)} {chance.choice(words)} in {year}",
                "statement": f"{first['statement']} {second['statement'].split('. ')[0]}. "
                f"About {amount:,} tonnes of {chance.choice(words)} were reported for {year}.",
                "topics": [f"gen-{n // 100}"],
            }
        )
    for start in range(0, len(made), 1000):
        (content / "facts" / f"generated-{start}.yaml").write_text(
            yaml.safe_dump(made[start : start + 1000], allow_unicode=True, sort_keys=False), "utf-8"
        )
    return len(real) + len(made)


def build(content: Path, site: Path, theme_search: bool) -> tuple[float, float]:
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text("utf-8"))
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "explainer" in plugin:
            plugin["explainer"] = {"content": str(content), "search": not theme_search, "history": False}
    config_file = content.parent / f"mkdocs-{'theme' if theme_search else 'pagefind'}.yml"
    config["docs_dir"] = str(REPO / "shared")
    config_file.write_text(yaml.safe_dump(config), "utf-8")
    command = [sys.executable, "-m", "builder", "build", "--content", str(content), "--site-dir", str(site)]
    command += ["--config", str(config_file), "--today", "2027-06-01"]
    began, used = time.perf_counter(), _children_cpu()
    done = subprocess.run(command, capture_output=True, text=True, cwd=content.parent)
    if done.returncode:
        raise SystemExit(f"build failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    return time.perf_counter() - began, _children_cpu() - used


def _children_cpu() -> float:
    """CPU seconds (user + system) of finished child processes: steadier than wall time on a shared machine."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@contextmanager
def serve(root: Path) -> Iterator[str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    class Server(http.server.ThreadingHTTPServer):
        def handle_error(self, request: object, client_address: object) -> None:
            if not isinstance(sys.exc_info()[1], ConnectionError):  # the browser closed a connection it had done with
                super().handle_error(request, client_address)  # type: ignore[arg-type]

    httpd = Server(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()


def downloads(site: Path, query: str, delay: float) -> tuple[int, int, float]:
    """(bytes loading the home page, bytes from opening the search to the first result shown, seconds)."""
    from playwright.sync_api import Request, sync_playwright

    with serve(site) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(service_workers="block")
        received: list[int] = []

        def count(request: Request) -> None:
            received.append(request.sizes()["responseBodySize"])

        page.on("requestfinished", count)
        page.goto(url)
        page.wait_for_load_state("networkidle")
        loaded = sum(received)
        received.clear()
        began = time.perf_counter()
        page.keyboard.press("/")
        page.locator("input.md-search__input").press_sequentially(query, delay=delay)
        page.locator(".md-search-result__item").first.wait_for(timeout=120_000)
        seconds = time.perf_counter() - began
        first = sum(received)
        page.remove_listener("requestfinished", count)
        browser.close()
    return loaded, first, seconds


def _is_index(file: Path, site: Path) -> bool:
    top = file.relative_to(site).parts[0]
    return top in ("pagefind", "search")


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [1000, 10000]
    with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp:
        for size in sizes:
            content = Path(tmp, f"{size}", "content")
            shutil.copytree(CONTENT, content)
            facts = grow(content, size)
            for theme in (True, False):
                name = "theme search (lunr)" if theme else "explainer search (Pagefind)"
                site = Path(tmp, f"{size}", "site-theme" if theme else "site-pagefind")
                seconds, cpu = build(content, site, theme)
                index = sum(f.stat().st_size for f in site.rglob("*") if f.is_file() and _is_index(f, site))
                print(
                    f"{facts:>6} facts  {name:28}  full build {seconds:6.1f} s wall, {cpu:6.1f} s CPU;"
                    f"  index files {index / 1000:8.1f} kB",
                    flush=True,
                )
                for query in QUERIES:
                    for delay in (0, 60):
                        loaded, first, took = downloads(site, query, delay)
                        how = "typed at once" if delay == 0 else "key by key"
                        print(
                            f"{'':13}{query!r:18} {how:13}  page load {loaded / 1000:7.1f} kB  "
                            f"search to first result {first / 1000:7.1f} kB  ({took:4.1f} s)",
                            flush=True,
                        )


if __name__ == "__main__":
    main()
