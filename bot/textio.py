"""Reading lines from a terminal, a pipe or a file without letting one line fill the memory."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO


def bounded_lines(stream: IO[str], limit: int) -> Iterator[str | None]:
    """The lines of `stream`, each read only up to `limit` characters: a longer one (or an
    endless one, from /dev/zero or a pipe) is None, the rest of it skipped unread into memory."""
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        if len(line) <= limit or line.endswith("\n"):
            yield line
            continue
        while line and not line.endswith("\n"):  # skip to the end of the long line
            line = stream.readline(64 * 1024)
        yield None
