"""Python's cyclic garbage collector while the builder prepares a site.

Left to itself, the collector scans every object the process holds each time the objects that outlived its two
younger generations have grown by a quarter. Preparing a large explainer makes millions of objects that live
until the end: the cache read back, the parsed files, the validated items. Each of those scans walks all of
them, again and again as they grow: at 50,000 generated facts the scans took about 17 s of a 35 s build after
one edit, and about 14 s of a 168 s cold build.

So, while the cache is read and the content checked, only the young generations are collected (`sparing`: what
is made there lives on); while the pages are rendered, whose template contexts and conversions do make cycles
that die, the collector runs as usual but leaves out what was alive when the render began (`settled`).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

SPARING = 1_000_000
"""The oldest generation's threshold in `sparing`: the collections of the middle generation between two of its
scans, far more than a preparation makes."""


@contextmanager
def sparing() -> Iterator[None]:
    """Leave the oldest generation unscanned until the block ends (thresholds as they were after it)."""
    young, middle, old = gc.get_threshold()
    gc.set_threshold(young, middle, SPARING)
    try:
        yield
    finally:
        gc.set_threshold(young, middle, old)


@contextmanager
def settled() -> Iterator[None]:
    """Leave the objects alive when the block starts out of the collector's scans until it ends (gc.freeze): the
    block's own garbage is collected as usual, without walking the rest each time."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
