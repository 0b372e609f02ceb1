"""Work shared with forked copies of the process (builder/forked.py), and a render whose pages are drawn in two
processes: the same pages, byte for byte, as a render in one."""

from __future__ import annotations

import datetime as dt
import os
import signal
import threading
from pathlib import Path
from typing import Any

import pytest

from builder import forked
from builder.build import Preparer
from tests.conftest import FIXTURE, ROOT

pytestmark = [
    pytest.mark.skipif(not forked.forkable(), reason="this system makes no forked copies"),
    pytest.mark.filterwarnings("ignore:Glyph .* missing from font"),  # the Chinese edition's share images
]


@pytest.fixture(autouse=True)
def _threads_of_this_test_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """forked.forkable() counts the threads this test starts, not those other tests left behind (the live preview's
    index thread, a server's): those hold no lock the tasks here take, and the copies here are made all the same
    whichever tests ran before."""
    count = threading.active_count
    before = count()
    monkeypatch.setattr(forked.threading, "active_count", lambda: count() - before + 1)


def _no_children_left() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_the_results_come_back_in_order_whichever_process_ran_them() -> None:
    here = os.getpid()
    results = forked.run([lambda n=n: (n, os.getpid()) for n in range(7)], workers=2)
    assert [n for n, _ in results] == list(range(7))
    assert {pid for n, pid in results if n % 2 == 0} == {here}
    copies = {pid for n, pid in results if n % 2}
    assert len(copies) == 1 and here not in copies
    assert _no_children_left()


def test_what_a_copy_carries_is_absorbed_here() -> None:
    taken: list[Any] = []
    forked.run([lambda: 1, lambda: 2], workers=2, carried=lambda: ("made", os.getpid()), absorb=taken.append)
    assert len(taken) == 1 and taken[0][0] == "made" and taken[0][1] != os.getpid()


def test_a_task_that_fails_in_a_copy_is_run_again_here_and_raises_here() -> None:
    ran: list[int] = []

    def failing() -> int:
        ran.append(os.getpid())
        raise ValueError("the template could not be drawn")

    with pytest.raises(ValueError, match=r"^the template could not be drawn$"):
        forked.run([lambda: 0, failing], workers=2)
    assert ran == [os.getpid()], "the copy's attempt is not seen here; this process's own attempt raised"
    assert _no_children_left()


def test_a_copy_that_is_killed_has_its_tasks_run_here() -> None:
    here = os.getpid()

    def dies_in_a_copy() -> int:
        if os.getpid() != here:
            os.kill(os.getpid(), signal.SIGKILL)
        return os.getpid()

    assert forked.run([lambda: 0, dies_in_a_copy, lambda: 2], workers=2) == [0, here, 2]
    assert _no_children_left()


def test_a_failure_here_stops_the_copy() -> None:
    def slow() -> None:
        threading.Event().wait(60)

    def fails() -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        forked.run([fails, slow], workers=2)
    assert _no_children_left(), "the copy was stopped and reaped"


def test_no_copy_is_made_while_another_thread_runs() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not forked.forkable()
        assert {pid for pid in forked.run([os.getpid] * 4, workers=2)} == {os.getpid()}
    finally:
        stop.set()
        thread.join()


@pytest.mark.parametrize("content", [ROOT / "content", FIXTURE], ids=["the explainer", "the fixture with editions"])
def test_pages_drawn_in_two_processes_are_the_pages_drawn_in_one(
    content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every page (its Markdown, in the same order), its marked blocks and share image, the pages kept for the
    next build and the conversions kept between runs."""
    copies: list[int] = []
    fork = forked._Child.fork
    monkeypatch.setattr(forked._Child, "fork", lambda *a: copies.append(1) or fork(*a))
    made = []
    for workers in (1, 2):
        preparer = Preparer()
        preparer.workers = workers
        prepared = preparer.prepare(content, dt.date(2026, 6, 1), history=False, url="https://example.org/site/")
        made.append((preparer, prepared))
        assert bool(copies) == (workers == 2)
    (one, alone), (two, shared) = made
    for language, first in [("", alone.rendered), *alone.editions.items()]:
        second = shared.rendered if not language else shared.editions[language]
        assert first is not None and second is not None
        assert list(first.pages) == list(second.pages)
        assert [first.pages.packed(src) for src in first.pages] == [second.pages.packed(src) for src in second.pages]
        assert list(first.spans.items()) == list(second.spans.items())
        assert list(first.images.items()) == list(second.images.items()) and first.images
    assert one.memo.export() == two.memo.export()
    assert one.prose.remembered() == two.prose.remembered()


def test_without_a_file_for_a_copy_every_task_runs_here(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_file() -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(forked.tempfile, "TemporaryFile", no_file)
    assert forked.run([os.getpid] * 3, workers=2) == [os.getpid()] * 3
    assert _no_children_left()
