"""Pagefind's indexer as a service: a process of its own, spoken to over its standard input and output.

Pagefind's service protocol: each message a JSON object, base64-encoded and closed by a comma, both ways, each
answer carrying the number of the message it answers. The service handles the messages one at a time in the
order they came, so documents added in one order always make the same index. (Pagefind's command line reads
a folder of files in the order the file system lists them, which differs between file systems and machines,
and the files themselves took a large site seconds to create.) Pagefind's own Python wrapper waits 0.1 s
before reading each answer: too slow for a message per record, so here the messages of a whole index are
written by one thread as they are made while another reads the answers as they come.

A build indexes each part of its records in a process of this module (`python -m builder.pagefind_service`,
started by builder/search.py's Indexing), which hands Pagefind the documents it reads and writes the index's
files the search needs. In a process of its own, because the build's thread keeps Python's lock busy while it
renders: a thread of the build waited up to 5 ms for the lock after each of the thousands of files it wrote.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

KEEP = re.compile(r"^(pagefind\.js|pagefind-worker\.js|pagefind-entry\.json|pagefind\.[^/]+\.pf_meta|wasm\.[^/]+)$")
"""Pagefind's files the search needs at the top of an index's folder (its own UI scripts and styles are not used)."""
KEEP_FOLDERS = ("index", "fragment", "filter")
"""Pagefind's folders the search needs, each file in them."""


class ServiceFailed(Exception):
    """The service answered with an error, ended, or took too long; the message says which."""


def message(number: int, payload: dict[str, Any]) -> bytes:
    """One message of the protocol."""
    return base64.b64encode(json.dumps({"message_id": number, "payload": payload}).encode()) + b","


def _decoded(files: list[dict[str, str]]) -> Iterator[tuple[str, bytes]]:
    """Each file of a GetFiles answer, (path, bytes), decoded as it is reached and let go of in the answer."""
    files.reverse()
    while files:
        file = files.pop()
        yield file["path"], base64.b64decode(file["content"])


class Clock:
    """The time a service may still take: `limit` seconds from its start, not counting the time spent waiting for
    the documents (between `wait_begins` and `wait_ends`)."""

    def __init__(self, limit: float) -> None:
        self.limit = limit
        self._began = time.monotonic()
        self._waited = 0.0
        self._since: float | None = None
        """When the wait under way began."""

    def wait_begins(self) -> None:
        self._since = time.monotonic()

    def wait_ends(self) -> None:
        if self._since is not None:
            self._waited += time.monotonic() - self._since
            self._since = None

    def expired(self) -> bool:
        now = time.monotonic()
        waiting = now - self._since if self._since is not None else 0.0
        return now - self._began - self._waited - waiting > self.limit


class Service:
    """One `pagefind --service` process, which indexes the documents of one index and ends.

    Its messages are written by a thread while another reads the answers (each blocks on its pipe alone), and
    the caller's thread stops the process when it takes too long: nothing here is particular to one operating
    system.

    `command`: Pagefind's executable (and any arguments before `--service`); `cwd`: its working folder."""

    def __init__(self, command: list[str], cwd: Path) -> None:
        self._said = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
        """What the process writes to its standard error (said when it fails)."""
        self.process = subprocess.Popen(
            [*command, "--service"], cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._said
        )

    def index(self, documents: Iterator[tuple[str, str]], language: str, limit: float) -> Iterator[tuple[str, bytes]]:
        """Index these (file name, HTML) documents, in their order, as `language`: the index's files, (path in
        its folder, bytes).

        The files are asked for (GetFiles), not written by the service (WriteFiles): it answers once it has
        handed its writes to background threads, and the process ends as soon as its input closes, so a file
        could be left empty. `limit`: seconds the service may take, not counting the time spent waiting for the
        documents (the live preview pauses them while a rebuild runs). ServiceFailed when it answers with an
        error, ends first, or takes longer."""
        clock = Clock(limit)
        last: list[int] = []
        """The number of the last message, once it is about to be written."""
        outcome: list[dict[str, Any] | ServiceFailed] = []
        finished = threading.Event()

        def read() -> None:
            try:
                outcome.append(self._read(last))
            except ServiceFailed as exc:
                outcome.append(exc)
            finally:
                finished.set()

        writer = threading.Thread(target=self._write, args=(documents, language, clock, last), daemon=True)
        writer.start()
        threading.Thread(target=read, daemon=True).start()
        while not finished.wait(min(0.05, limit / 10)):
            if clock.expired():
                self.kill()  # the threads end with the process's pipes
                raise ServiceFailed(f"a run did not end within {limit:g} s, and was stopped")
        if isinstance(outcome[0], ServiceFailed):
            raise outcome[0]
        writer.join()  # it was flushing the last message when the answer came
        return _decoded(outcome[0].get("files", []))

    def _write(self, documents: Iterator[tuple[str, str]], language: str, clock: Clock, last: list[int]) -> None:
        """Write the messages, making each as the last is written (the documents' waits not counted). The last
        message's number is known to the reader before it is written."""
        assert self.process.stdin is not None
        messages = self._messages(documents, language)
        try:
            while True:
                clock.wait_begins()
                made = next(messages, None)
                clock.wait_ends()
                if made is None:
                    break
                number, data, final = made
                if final:
                    last.append(number)
                self.process.stdin.write(data)
            self.process.stdin.flush()
        except (OSError, ValueError):
            pass  # the process ended (a broken pipe) or was stopped (its pipe closed): the reader says why

    def _read(self, last: list[int]) -> dict[str, Any]:
        """Read the answers until the one to the last message: its payload. ServiceFailed as `index`."""
        assert self.process.stdout is not None
        received: list[bytes] = []
        """The chunks of an answer not yet ended (the index's files come in one answer, megabytes long)."""
        while True:
            chunk = os.read(self.process.stdout.fileno(), 1 << 20)
            if not chunk:
                raise ServiceFailed(self._ended())
            *ended, rest = chunk.split(b",")
            for piece in ended:
                received.append(piece)
                answered, payload = self._answer(received)
                if last and answered == last[0]:
                    return payload
            received.append(rest)

    def _messages(self, documents: Iterator[tuple[str, str]], language: str) -> Iterator[tuple[int, bytes, bool]]:
        """(the number of the message, its bytes, whether it is the last), made as they are to be written."""
        yield 1, message(1, {"type": "NewIndex", "config": {"force_language": language}}), False
        number = 1
        for name, document in documents:
            number += 1
            payload = {"type": "AddFile", "index_id": 0, "file_path": name, "file_contents": document}
            yield number, message(number, payload), False
        number += 1
        yield number, message(number, {"type": "GetFiles", "index_id": 0}), True

    @staticmethod
    def _answer(chunks: list[bytes]) -> tuple[int, dict[str, Any]]:
        """The number of the message the answer in these chunks answers, and its payload; ServiceFailed if it is
        an error. The chunks are emptied, and each form of the answer let go as soon as the next is made: the
        index's files come in one answer of tens of megabytes."""
        whole = b"".join(chunks)
        chunks.clear()
        text = base64.b64decode(whole)
        del whole
        decoded = json.loads(text)
        del text
        payload = decoded.get("payload") or {}
        if payload.get("type") == "Error":
            raise ServiceFailed(str(payload.get("message") or "an unreadable message"))
        if payload.get("type") == "NewIndex" and payload.get("index_id") != 0:
            raise ServiceFailed(f"a new service made index {payload.get('index_id')}, not 0")
        number = decoded.get("message_id")
        if not isinstance(number, int):
            raise ServiceFailed("an answer without the number of its message")
        return number, payload

    def _ended(self) -> str:
        """Why the process ended before the index was written: what it said, else its exit status."""
        code = self.process.wait()
        self._said.seek(0)
        said = self._said.read().decode("utf-8", "replace").strip()
        return said or f"it ended (exit status {code}) before writing the index"

    def close(self) -> None:
        """End the process (it ends when its standard input closes) and wait for it."""
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._said.close()

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()


def needed(path: str) -> bool:
    """Whether a file of Pagefind's index (its path in the index's folder) is one the search needs."""
    steps = path.split("/")
    if len(steps) == 1:
        return KEEP.match(steps[0]) is not None
    return len(steps) == 2 and steps[0] in KEEP_FOLDERS and steps[1] not in ("", ".", "..")


def write_new(path: Path, data: bytes) -> None:
    """A new file, written with the system's calls alone: thousands of small files took three times as long
    through Python's file objects (Path.write_text)."""
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        rest = memoryview(data)
        while rest:
            rest = rest[os.write(handle, rest) :]
    finally:
        os.close(handle)


def index_part(
    binary: str,
    language: str,
    folder: Path,
    limit: float,
    documents: Iterator[tuple[str, str]],
    indexed: Callable[[], None] = lambda: None,
) -> None:
    """The index of these documents in `folder` (new), less the files the search does not need; Pagefind runs in
    the folder that holds it; `indexed` is called once Pagefind has indexed them, before the files are written.
    ServiceFailed as Service.index."""
    service = Service([binary], folder.parent)
    try:
        files = service.index(documents, language, limit)
    except BaseException:  # failed, or stopped (a signal): Pagefind too
        service.kill()
        raise
    finally:
        service.close()
    indexed()
    for path, data in files:
        if needed(path):
            (folder / path).parent.mkdir(parents=True, exist_ok=True)
            write_new(folder / path, data)


def _say_indexed() -> None:
    sys.stdout.write("indexed\n")
    sys.stdout.flush()


def _ended_by_signal(number: int, frame: object) -> None:
    raise SystemExit(128 + number)


def main(argv: list[str]) -> int:
    """`python -m builder.pagefind_service PAGEFIND LANGUAGE FOLDER LIMIT`: the documents come on standard input,
    one JSON array [file name, HTML] per line; 'indexed' goes to standard output once Pagefind has indexed them
    (the build starts the next part's index while this one's files are written); why it failed goes to standard
    error, on one line."""
    binary, language, folder, limit = argv
    signal.signal(signal.SIGTERM, _ended_by_signal)  # the build stops it (Indexing.cancel): Pagefind goes too
    documents = (tuple(json.loads(line)) for line in sys.stdin.buffer)
    try:
        index_part(binary, language, Path(folder), float(limit), ((str(a), str(b)) for a, b in documents), _say_indexed)
    except ServiceFailed as exc:
        print(" ".join(str(exc).split()), file=sys.stderr)
        return 1
    except OSError as exc:  # a file of the index could not be written (the disk full, say)
        print(f"the index could not be written: {' '.join(str(exc).split())}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
