"""Pagefind's indexer as a service: a process of its own, spoken to over its standard input and output.

Pagefind's service protocol: each message a JSON object, base64-encoded and closed by a comma, both ways, each
answer carrying the number of the message it answers. The service handles the messages one at a time in the
order they came, so documents added in one order always make the same index. (Pagefind's command line reads
a folder of files in the order the file system lists them, which differs between file systems and machines,
and the files themselves took a large site seconds to create.) Pagefind's own Python wrapper waits 0.1 s
before reading each answer: too slow for a message per record, so here the messages of a whole index are
written as they are made and the answers read as they come, in one loop that never blocks on either pipe.
The caller writes the index's files (Service.index).
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import select
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any


class ServiceFailed(Exception):
    """The service answered with an error, ended, or took too long; the message says which."""


def message(number: int, payload: dict[str, Any]) -> bytes:
    """One message of the protocol."""
    return base64.b64encode(json.dumps({"message_id": number, "payload": payload}).encode()) + b","


class Service:
    """One `pagefind --service` process, which writes one index and ends.

    `command`: Pagefind's executable (and any arguments before `--service`); `cwd`: its working folder."""

    def __init__(self, command: list[str], cwd: Path) -> None:
        self._said = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
        """What the process writes to its standard error (said when it fails)."""
        self.process = subprocess.Popen(
            [*command, "--service"], cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._said
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self._in, self._out = self.process.stdin.fileno(), self.process.stdout.fileno()
        os.set_blocking(self._in, False)

    def index(self, documents: Iterator[tuple[str, str]], language: str, limit: float) -> list[tuple[str, bytes]]:
        """Index these (file name, HTML) documents, in their order, as `language`: the index's files, (path in
        its folder, bytes).

        The files are asked for (GetFiles), not written by the service (WriteFiles): it answers once it has
        handed its writes to background threads, and the process ends as soon as its input closes, so a file
        could be left empty. `limit`: seconds the service may take, not counting the time the documents'
        iterator spends waiting (the live preview pauses it while a rebuild runs). ServiceFailed when it
        answers with an error, ends first, or takes longer."""
        messages: Iterator[tuple[int, bytes]] | None = self._messages(documents, language)
        last, answered = 1, 0
        """The number of the last message made, and of the last answer read (they come in order)."""
        payload: dict[str, Any] = {}
        pending = b""
        received: list[bytes] = []
        """The chunks of an answer not yet ended (the index's files come in one answer, megabytes long)."""
        deadline = time.monotonic() + limit
        while True:
            if not pending and messages is not None:
                began = time.monotonic()
                made = next(messages, None)
                deadline += time.monotonic() - began
                if made is None:
                    messages = None
                else:
                    last, pending = made
            if messages is None and answered == last:
                return [(file["path"], base64.b64decode(file["content"])) for file in payload.get("files", [])]
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ServiceFailed(f"a run did not end within {limit:g} s, and was stopped")
            readable, writable, _ = select.select([self._out], [self._in] if pending else [], [], remaining)
            if writable:
                try:
                    pending = pending[os.write(self._in, pending) :]
                except BrokenPipeError:
                    raise ServiceFailed(self._ended()) from None
            if readable:
                chunk = os.read(self._out, 1 << 20)
                if not chunk:
                    raise ServiceFailed(self._ended())
                *ended, rest = chunk.split(b",")
                for piece in ended:
                    received.append(piece)
                    answered, payload = self._answer(b"".join(received))
                    received = []
                received.append(rest)

    def _messages(self, documents: Iterator[tuple[str, str]], language: str) -> Iterator[tuple[int, bytes]]:
        """(the number of the message, its bytes), made as they are to be written."""
        yield 1, message(1, {"type": "NewIndex", "config": {"force_language": language}})
        number = 1
        for name, document in documents:
            number += 1
            payload = {"type": "AddFile", "index_id": 0, "file_path": name, "file_contents": document}
            yield number, message(number, payload)
        number += 1
        yield number, message(number, {"type": "GetFiles", "index_id": 0})

    @staticmethod
    def _answer(answer: bytes) -> tuple[int, dict[str, Any]]:
        """The number of the message this answers, and its payload; ServiceFailed if it is an error."""
        decoded = json.loads(base64.b64decode(answer))
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
