from __future__ import annotations

import contextlib
import functools
import http.server
import io
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from builder.__main__ import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "content"

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

# What the browser tests share: Chromium, a local static server and a guarded tab.
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def nu_html_errors(site: Path) -> str:
    """The Nu Html Checker's errors in a built site ('' when none). Without java or `npm ci` the test is
    skipped, except where REQUIRE_BROWSER=1 (CI), where it fails."""
    if not VNU.exists() or not shutil.which("java"):
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail("the Nu Html Checker needs java and `npm ci` (node_modules/vnu-jar)")
        pytest.skip("the Nu Html Checker is not installed (npm ci)")
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--skip-non-html", "--errors-only", str(site)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return "" if result.returncode == 0 else result.stderr[:3000] or "the checker failed"


def require_chromium() -> None:
    """At the top of a browser test module: skip it when Chromium is missing, except where
    REQUIRE_BROWSER=1 (CI), where that is an error."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            raise RuntimeError(f"REQUIRE_BROWSER=1 but Chromium is not at {CHROMIUM}")
        pytest.skip("Chromium is not installed (apt-get install chromium)", allow_module_level=True)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(root: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    yield from serve(site)


@pytest.fixture(scope="module")
def real_server(real_site: Path) -> Iterator[str]:
    yield from serve(real_site)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless (Playwright is imported here: only browser tests need it)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A guarded tab (see guarded) at 1280×900."""
    yield from guarded(browser.new_context(viewport={"width": 1280, "height": 900}))


def guarded(context: BrowserContext) -> Iterator[Page]:
    """A tab of the context that fails the test if any request leaves 127.0.0.1 or the console reports an
    error; the context is closed after it."""
    requests: list[str] = []
    errors: list[str] = []
    tab = context.new_page()
    tab.on("request", lambda request: requests.append(request.url))
    tab.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    outside = [url for url in requests if not url.startswith(("http://127.0.0.1", "data:", "blob:"))]
    context.close()
    assert outside == [], f"requests left the site: {outside}"
    assert errors == [], f"console errors: {errors}"


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """`python -m builder ARGS` in a process of its own, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "builder", *args], cwd=cwd, capture_output=True, text=True, timeout=300, check=False
    )


def run_main(args: list[str], cwd: Path) -> tuple[int, str, str]:
    """The command line's main() in this process, as `python -m builder ARGS` runs in `cwd`:
    its exit code, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(cwd), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(args)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A writable copy of the fixture content tree."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURE, target)
    return target


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture content built once per test run (read-only: copy it to change it)."""
    out = tmp_path_factory.mktemp("built") / "site"
    result = run("build", "--content", str(FIXTURE), "--site-dir", str(out))
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The explainer in content/ built once per test run, strict (read-only).

    Built as of a date after the content's review dates, so that review badges and the review page are
    built (and checked by the browser tests) too."""
    out = tmp_path_factory.mktemp("real") / "site"
    result = run("build", "--site-dir", str(out), "--today", "2027-06-01")
    assert result.returncode == 0, result.stderr
    return out


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
