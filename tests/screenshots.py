"""Screenshots of the built site for the README, taken with the same Chromium the browser tests use.

Usage: python -m tests.screenshots SITE_DIR OUT_DIR   (or `make screenshots`)
"""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.conftest import ARGS, CHROMIUM, _Quiet

SHOTS = {
    "home-desktop.png": (1280, 900, "light", ""),
    "home-phone.png": (390, 844, "light", ""),
    "home-desktop-dark.png": (1280, 900, "dark", ""),
    "data-phone-dark.png": (390, 844, "dark", "data/#usgs-2024-mine-production"),
}
"""File name -> viewport width and height, colour scheme, page."""


def main(site: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    handler = functools.partial(_Quiet, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for name, (width, height, scheme, path) in SHOTS.items():
            page = browser.new_page(
                viewport={"width": width, "height": height}, device_scale_factor=1, color_scheme=scheme
            )
            page.goto(url + path)
            page.wait_for_timeout(300)
            page.screenshot(path=str(out / name))
            print(out / name)
        browser.close()
    httpd.shutdown()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
