"""Work shared between this process and forked copies of it, one per spare core: a cold render of a large
explainer, whose pages are drawn one after another and do not read each other.

`run(tasks, workers)` gives each task's result in the tasks' order. With more than one worker, task i goes to
worker i % workers: worker 0 is this process, each other a copy of it made by fork() just before, which holds
everything the tasks read as it was then, runs its tasks, writes their results (pickled, into an unnamed file of
its own) with what it made on the side that this process keeps (`carried`, taken by `absorb`), and ends. The
results of a copy that fails or is stopped are not read: its tasks are then run here, after this process's own,
and raise here whatever they raise. So the results are the same, task for task, whichever process ran them.

A copy is made only where that is safe: on a system with fork() other than macOS (whose system libraries may
not be used in a forked child), and in a process with one thread (a copy holds only the thread that forked, and
any lock another held stays locked in it). Elsewhere every task runs here, in order.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
import sys
import tempfile
import threading
from collections.abc import Callable, Sequence
from typing import IO, Any, TypeVar

T = TypeVar("T")

MAX_WORKERS = 2
"""Processes at most: each copy makes its own copy of every page of memory whose objects its tasks touch (a
reference count changes). At 50,000 facts a copy came to about 670 MB (its proportional set size: its own pages
and its share of those it still shares), and the build and its copy to about 1.4 GB together: a third process
would pass the 1.5 GB that build is held to."""


def usable_cores() -> int:
    """The cores this process may run on (all of the machine's where the system does not say)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def workers() -> int:
    """The workers a build shares its render between: one per usable core, at most MAX_WORKERS."""
    return max(1, min(usable_cores(), MAX_WORKERS))


def forkable() -> bool:
    """Whether a copy of this process may be made now (see the module's docstring)."""
    return hasattr(os, "fork") and sys.platform != "darwin" and threading.active_count() == 1


def run(
    tasks: Sequence[Callable[[], T]],
    workers: int = 1,
    carried: Callable[[], Any] = lambda: None,
    absorb: Callable[[Any], None] = lambda _: None,
) -> list[T]:
    """Each task's result, in order: with `workers` processes where a copy may be made (see the module's
    docstring). `carried`: what a copy made on the side, after its tasks, for `absorb` in this process."""
    count = min(workers, len(tasks))
    if count <= 1 or not forkable():
        return [task() for task in tasks]
    children: list[_Child | None] = []
    try:
        for worker in range(1, count):
            try:
                children.append(_Child.fork(tasks[worker::count], carried))
            except OSError:  # no file or no process for a copy: its tasks are run here
                children.append(None)
        results: list[Any] = [None] * len(tasks)
        results[0::count] = [task() for task in tasks[0::count]]
        for worker, child in enumerate(children, 1):
            sent = child.results() if child is not None else None
            if sent is None:
                results[worker::count] = [task() for task in tasks[worker::count]]
            else:
                results[worker::count], side = sent
                absorb(side)
        return results
    finally:
        for child in children:
            if child is not None:
                child.end()


class _Child:
    """A forked copy of this process running some of the tasks. It writes each result as it is made, then what it
    carried, into a file of its own (unnamed, removed with its last handle): it ends as soon as it is done, holding
    one result at a time, and this process reads the results one at a time once it has ended."""

    def __init__(self, pid: int, sent: IO[bytes], count: int) -> None:
        self.pid = pid
        self.sent = sent
        self.count = count
        self.ended = False

    @classmethod
    def fork(cls, tasks: Sequence[Callable[[], Any]], carried: Callable[[], Any]) -> _Child:
        sent = tempfile.TemporaryFile()  # noqa: SIM115 (closed by results() or end())
        for stream in (sys.stdout, sys.stderr):  # nothing buffered before the fork is written twice
            if stream is not None:
                stream.flush()
        try:
            pid = os.fork()
        except OSError:
            sent.close()
            raise
        if pid == 0:  # the copy: never returns
            status = 1
            try:
                signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends it at once, without a traceback
                gc.freeze()  # what it was given is never scanned: its pages stay shared with this process
                for task in tasks:
                    pickle.dump(task(), sent, protocol=pickle.HIGHEST_PROTOCOL)
                pickle.dump(carried(), sent, protocol=pickle.HIGHEST_PROTOCOL)
                sent.flush()
                status = 0
            except BaseException:  # its tasks are run again by the parent, which raises what they raise
                pass
            finally:
                os._exit(status)
        return cls(pid, sent, len(tasks))

    def results(self) -> tuple[list[Any], Any] | None:
        """What the copy wrote, once it has ended: its results and what it carried; None when it failed."""
        _, status = os.waitpid(self.pid, 0)
        self.ended = True
        with self.sent:
            if os.waitstatus_to_exitcode(status) != 0:
                return None
            self.sent.seek(0)
            try:  # written by this process's own copy
                results = [pickle.load(self.sent) for _ in range(self.count)]
                return results, pickle.load(self.sent)
            except (OSError, EOFError, pickle.UnpicklingError):  # not all of it could be read back
                return None

    def end(self) -> None:
        """Stop the copy, if it is still running (this process failed or was interrupted), and reap it."""
        if not self.ended:
            self.ended = True
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        self.sent.close()
