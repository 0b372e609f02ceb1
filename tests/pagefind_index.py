"""Reading a built site's Pagefind index in tests: each record's fragment, by the address it lands on."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

MAGIC = b"pagefind_dcd"
"""What starts every decompressed Pagefind file."""


def fragments(site: Path) -> dict[str, dict[str, Any]]:
    """href (page address and anchor, as the search worker links it) -> the record Pagefind stored (in any part
    of the index)."""
    found: dict[str, dict[str, Any]] = {}
    parts = json.loads((site / "pagefind" / "explainer-search.json").read_text())["parts"]
    for file in sorted(f for part in parts for f in (site / "pagefind" / part / "fragment").iterdir()):
        data = gzip.decompress(file.read_bytes())
        assert data.startswith(MAGIC), file
        record = json.loads(data[len(MAGIC) :])
        found[record["meta"]["href"]] = record
    return found
