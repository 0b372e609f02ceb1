"""Benchmark (not a test): Lighthouse scores of the built site on a phone, served compressed as a real host serves it.

Run with `make lighthouse` (it builds site/ first). A small static server on 127.0.0.1 answers with
gzip-compressed text files (HTML, CSS, JavaScript, JSON, SVG, XML) when the browser accepts gzip, with
a Content-Length and a cache lifetime for assets, as static hosts do; Lighthouse (npm, in package.json:
`npm ci`) runs against it in Debian's Chromium with its default mobile settings (a mid-range phone,
simulated slow 4G), for the home page and the largest page. Prints each category's score (0-100) and
the performance metrics. The machine may be shared: under load the performance figures are pessimistic.

Usage: python -m tests.bench_lighthouse [SITE_DIR] [--runs N]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import mimetypes
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from tests.conftest import CHROMIUM

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
COMPRESSED = ("text/", "application/javascript", "application/json", "application/xml", "image/svg+xml")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = (
    "first-contentful-paint",
    "largest-contentful-paint",
    "total-blocking-time",
    "cumulative-layout-shift",
    "speed-index",
)


@functools.cache
def gzipped(path: Path) -> bytes:
    return gzip.compress(path.read_bytes(), compresslevel=9, mtime=0)


class CompressingHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzip-compressed (level 9, as hosts pre-compress) when the client accepts it."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()
            path = path / "index.html"
        if not path.is_file():
            return super().send_head()
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if kind == "application/octet-stream" and path.suffix == ".js":
            kind = "application/javascript"
        body = path.read_bytes()
        compress = kind.startswith(COMPRESSED) and "gzip" in self.headers.get("Accept-Encoding", "")
        if compress:
            body = gzipped(path)
        self.send_response(200)
        self.send_header("Content-Type", kind + ("; charset=utf-8" if kind.startswith("text/") else ""))
        self.send_header("Content-Length", str(len(body)))
        if compress:
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
        cached = ("/assets/" in self.path and not path.name.endswith((".css", ".js"))) or ".min." in path.name
        self.send_header("Cache-Control", "public, max-age=31536000" if cached else "no-cache")
        self.end_headers()
        return io.BytesIO(body)


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(CompressingHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/"


def largest_page(site: Path) -> str:
    """The path of the largest HTML page (by bytes) under the site."""
    pages = [p for p in site.rglob("index.html") if p.parent != site]
    biggest = max(pages, key=lambda p: p.stat().st_size)
    return biggest.parent.relative_to(site).as_posix() + "/"


def lighthouse(url: str) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as tmp:
        report = Path(tmp) / "report.json"
        result = subprocess.run(
            [
                str(LIGHTHOUSE),
                url,
                "--quiet",
                "--output=json",
                f"--output-path={report}",
                f"--only-categories={','.join(CATEGORIES)}",
                "--chrome-flags=--headless --no-sandbox --disable-gpu",
            ],
            env={**os.environ, "CHROME_PATH": CHROMIUM},
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if result.returncode != 0 or not report.is_file():
            raise RuntimeError(f"lighthouse failed on {url}: {result.stderr[-2000:]}")
        data: dict[str, object] = json.loads(report.read_text(encoding="utf-8"))
        return data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", type=Path, default=ROOT / "site")
    parser.add_argument("--runs", type=int, default=1, help="runs per page; the median performance run is shown")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        print(f"{LIGHTHOUSE} is missing: run `npm ci`", file=sys.stderr)
        return 2
    if not (args.site / "index.html").is_file():
        print(f"{args.site}/index.html is missing: build the site first (make build)", file=sys.stderr)
        return 2
    httpd, base = serve(args.site)
    try:
        for path in ("", largest_page(args.site)):
            size = (args.site / path / "index.html").stat().st_size
            runs = [lighthouse(base + path) for _ in range(args.runs)]
            runs.sort(key=lambda r: r["categories"]["performance"]["score"])  # type: ignore[index]
            report = runs[len(runs) // 2]
            categories = report["categories"]
            audits = report["audits"]
            scores = "  ".join(
                f"{name} {round(categories[name]['score'] * 100)}"  # type: ignore[index]
                for name in CATEGORIES
            )
            performance = [round(r["categories"]["performance"]["score"] * 100) for r in runs]  # type: ignore[index]
            print(f"/{path} ({size / 1024:.0f} KB of HTML): {scores}  (performance runs: {performance})")
            metrics = "  ".join(
                f"{audits[m]['title']}: {audits[m]['displayValue']}"  # type: ignore[index]
                for m in METRICS
            )
            print(f"    {metrics}")
            weight = audits["total-byte-weight"]["displayValue"]  # type: ignore[index]
            print(f"    {weight}; median of {len(runs)} run(s)")
            if statistics.median(performance) < 95:
                opportunities = [
                    f"{a['title']} ({a.get('displayValue', '')})"
                    for a in audits.values()  # type: ignore[union-attr]
                    if a.get("details", {}).get("type") == "opportunity" and (a.get("score") or 1) < 0.9
                ]
                if opportunities:
                    print("    costs: " + "; ".join(opportunities))
    finally:
        httpd.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
