"""Generated pages held compressed: the Markdown of every page of a large explainer at once is most of a build's
memory (at 50,000 facts, hundreds of megabytes of text), and each page is read whole only once, when MkDocs
converts it.

`Pages` maps a page's path to its Markdown, keeping each as zlib-compressed UTF-8 and decompressing it when read;
the page memo (builder/memo.py) and the plugin's files (builder/plugin.py) take the compressed bytes as they
are, and `front` reads a page's front matter without decompressing the rest.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator, MutableMapping

LEVEL = 1
"""zlib's fastest level: a tenth of the text's size for generated Markdown."""
FRONT_END = b"\n---\n"
STEP = 4096
"""Bytes decompressed at a time while looking for the end of the front matter."""


def pack(text: str) -> bytes:
    return zlib.compress(text.encode("utf-8"), LEVEL)


def unpack(packed: bytes) -> str:
    return unpack_bytes(packed).decode("utf-8")


def unpack_bytes(packed: bytes) -> bytes:
    """The UTF-8 bytes `pack` compressed (a file written as it is, without decoding it first)."""
    return zlib.decompress(packed)


class Pages(MutableMapping[str, str]):
    """Page path under the docs folder -> Markdown, held compressed."""

    def __init__(self) -> None:
        self._packed: dict[str, bytes] = {}

    def __getitem__(self, src: str) -> str:
        return unpack(self._packed[src])

    def __setitem__(self, src: str, markdown: str) -> None:
        self._packed[src] = pack(markdown)

    def __delitem__(self, src: str) -> None:
        del self._packed[src]

    def __iter__(self) -> Iterator[str]:
        return iter(self._packed)

    def __len__(self) -> int:
        return len(self._packed)

    def __contains__(self, src: object) -> bool:
        return src in self._packed

    def __repr__(self) -> str:
        return f"Pages({sorted(self._packed)!r})"

    def packed(self, src: str) -> bytes:
        """A page's Markdown as it is held (`pack`)."""
        return self._packed[src]

    def put(self, src: str, packed: bytes) -> None:
        """A page's Markdown, given as `pack` wrote it (a kept page's)."""
        self._packed[src] = packed

    def front(self, src: str) -> str:
        """A page's front matter, from its opening '---' line through its closing one ('' when it has none),
        decompressing no more of the page than that."""
        reader = zlib.decompressobj()
        rest, text = self._packed[src], b""
        while True:
            text += reader.decompress(rest, STEP)
            rest = reader.unconsumed_tail
            if len(text) >= 4 and not text.startswith(b"---\n"):
                return ""
            end = text.find(FRONT_END, 3)
            if end >= 0:
                return text[: end + len(FRONT_END)].decode("utf-8")
            if not rest:
                return ""
