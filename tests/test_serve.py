"""`python -m builder serve` rebuilds when a content file is saved."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from tests.conftest import ROOT


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return str(response.read().decode())
    except OSError:
        return ""


def wait_until(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def wait_for(url: str, text: str, seconds: float) -> bool:
    return wait_until(lambda: text in fetch(url), seconds)


def test_saving_a_content_file_rebuilds_the_page(content: Path) -> None:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "builder", "serve", "--content", str(content), "--dev-addr", f"127.0.0.1:{port}"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/facts/basics/"
        assert wait_for(url, "output at 100 t", 60), "the preview server did not start"
        entry = f"http://127.0.0.1:{port}/pagefind/explainer-search.json"
        assert wait_for(entry, '"parts"', 30), "the preview's search index was not written"
        index = fetch(entry)  # its parts' names change with what is indexed
        facts = content / "facts" / "basics.yaml"
        facts.write_text(facts.read_text().replace("output at 100 t", "output at 123 t"))
        assert wait_for(url, "output at 123 t", 15), "the page was not rebuilt after the save"
        assert wait_until(lambda: fetch(entry) not in ("", index), 30), "the search index was not written again"
        assert "Sources" in fetch(f"http://127.0.0.1:{port}/sources/"), "an unchanged page is still served"
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/%00", timeout=5)
            status = 200
        except urllib.error.HTTPError as error:
            status = error.code
        assert status == 400, "a NUL in the address is a bad request, not a server error"
    finally:
        server.terminate()
        _, log = server.communicate(timeout=10)
    assert "Traceback" not in log
    first, *rebuilds = [(int(a), int(b)) for a, b in re.findall(r"Rendered (\d+) of (\d+) pages again", log)]
    assert first[0] == first[1], "the first build renders every page"
    assert rebuilds and all(0 < again < pages / 2 for again, pages in rebuilds), rebuilds  # only what changed
