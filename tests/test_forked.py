"""Work shared with forked copies of the process (builder/forked.py): content files parsed and scanned in two
processes are checked as files parsed in one, and a render whose pages are drawn in two processes makes the same
pages, byte for byte, as a render in one."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import threading
from pathlib import Path
from typing import Any

import pytest

from builder import build, forked, load, render, validate
from builder.__main__ import main
from builder.build import Preparer
from builder.load import ParseCache
from builder.markup import Prose
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
    monkeypatch.setattr(validate, "PREREAD_FROM", 0)  # the files are parsed in two processes too
    monkeypatch.setattr(render, "PARALLEL_FROM", 2)  # and the downloads' few parts written in two
    writing: list[int] = []
    unwritten = render.unwritten
    monkeypatch.setattr(render, "unwritten", lambda *a: writing.append(len(tasks := unwritten(*a))) or tasks)
    taken: list[int] = []
    preread = build.preread
    monkeypatch.setattr(build, "preread", lambda *a: taken.append(preread(*a)) or taken[-1])
    made = []
    for workers in (1, 2):
        preparer = Preparer()
        preparer.workers = workers
        prepared = preparer.prepare(content, dt.date(2026, 6, 1), history=False, url="https://example.org/site/")
        made.append((preparer, prepared))
        assert bool(copies) == (workers == 2)
        assert taken[-1] == (prepared.checked.files if workers == 2 else 0)
        assert writing[-1] >= 2
    (one, alone), (two, shared) = made
    for language, first in [("", alone.rendered), *alone.editions.items()]:
        second = shared.rendered if not language else shared.editions[language]
        assert first is not None and second is not None
        assert list(first.pages) == list(second.pages)
        assert [first.pages.packed(src) for src in first.pages] == [second.pages.packed(src) for src in second.pages]
        assert list(first.spans.items()) == list(second.spans.items())
        assert list(first.images.items()) == list(second.images.items()) and first.images
        assert list(first.assets.items()) == list(second.assets.items())
    assert one.memo.export() == two.memo.export()
    assert one.prose.remembered() == two.prose.remembered()
    assert one.parsed.export() == two.parsed.export()
    assert one.download_parts.export() == two.download_parts.export()
    assert alone.checked.problems == shared.checked.problems


@pytest.mark.parametrize("broken", [False, True], ids=["every file read", "a file with a YAML error"])
def test_files_parsed_in_two_processes_are_checked_as_files_parsed_in_one(
    broken: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """check takes every file read without problems from what the two processes parsed, and parses again only the
    file that has one; its problems, the content, what the cache stores and the texts audited are the same."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    if broken:
        (content / "facts" / "broken.yaml").write_text("- id: broken-fact\n  title: [unclosed\n", "utf-8")
    one, one_prose = ParseCache(), Prose()
    alone = validate.check(content, cache=one, prose=one_prose)
    assert [p.code for p in alone.problems if p.level.value == "error"] == (["yaml-syntax"] if broken else [])

    copies: list[int] = []
    fork = forked._Child.fork
    monkeypatch.setattr(forked._Child, "fork", lambda *a: copies.append(1) or fork(*a))
    two, two_prose = ParseCache(), Prose()
    files = validate.discover(content)[0]
    assert validate.preread(content, two, two_prose, workers=2, least=0) == len(files) - broken
    assert copies == [1]
    parsed: list[str] = []
    real = load.load_text
    monkeypatch.setattr(load, "load_text", lambda path, raw, *rest: parsed.append(path) or real(path, raw, *rest))
    shared = validate.check(content, cache=two, prose=two_prose)
    assert [Path(path).name for path in parsed] == (["broken.yaml"] if broken else [])
    assert shared.problems == alone.problems
    assert shared.content == alone.content
    assert two.export() == one.export()
    assert two_prose.remembered() == one_prose.remembered()


def test_check_says_the_same_of_files_parsed_in_two_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    (content / "facts" / "broken.yaml").write_text("- id: broken-fact\n  title: [unclosed\n", "utf-8")
    copies: list[int] = []
    fork = forked._Child.fork
    monkeypatch.setattr(forked._Child, "fork", lambda *a: copies.append(1) or fork(*a))
    said = []
    for least in (1 << 40, 0):
        monkeypatch.setattr(validate, "PREREAD_FROM", least)
        said.append((main(["check", "--content", str(content)]), capsys.readouterr().out))
        assert len(copies) == (least == 0)
    assert said[0] == said[1]
    assert said[0][0] == 1 and said[0][1].endswith(
        "facts/broken.yaml:3:1: error: not valid YAML: while parsing a flow sequence, expected ',' or ']', but got '<stream end>' [yaml-syntax]\n1 error, 0 warnings in 10 files.\n"
    )


def test_files_are_parsed_in_one_process_below_the_threshold_and_when_known(monkeypatch: pytest.MonkeyPatch) -> None:
    copies: list[int] = []
    fork = forked._Child.fork
    monkeypatch.setattr(forked._Child, "fork", lambda *a: copies.append(1) or fork(*a))
    cache = ParseCache()
    assert validate.preread(FIXTURE, cache, Prose(), workers=2) == 0  # under PREREAD_FROM bytes
    validate.check(FIXTURE, cache=cache)
    assert validate.preread(FIXTURE, cache, Prose(), workers=2, least=0) == 0  # each file held by the cache
    assert validate.preread(FIXTURE, ParseCache(), Prose(), workers=1, least=0) == 0
    assert copies == []


def test_without_a_file_for_a_copy_every_task_runs_here(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_file() -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(forked.tempfile, "TemporaryFile", no_file)
    assert forked.run([os.getpid] * 3, workers=2) == [os.getpid()] * 3
    assert _no_children_left()
