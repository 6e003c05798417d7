"""Reading lines from a terminal, a pipe or a file without letting one line fill the memory."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

_CHUNK = 64 * 1024


def bounded_lines(
    stream: IO[str], limit: int, skip_limit: int | None = None
) -> Iterator[str | None]:
    """The lines of `stream`, each read only up to `limit` characters: a longer one is None,
    the rest of it read in chunks and dropped, and the line after it read as usual. When no
    line end comes within `skip_limit` more characters (`limit` unless given) either (/dev/zero,
    an endless pipe), that None is the last: reading stops there, in bounded time as well as
    memory."""
    skip_limit = limit if skip_limit is None else skip_limit
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        if len(line) <= limit or line.endswith("\n"):
            yield line
            continue
        skipped = 0
        while line and not line.endswith("\n"):
            if skipped > skip_limit:
                yield None
                return
            line = stream.readline(_CHUNK)
            skipped += len(line)
        yield None
