"""Input for the command line: sources named on it, and JSON-lines batches read line by line."""

from __future__ import annotations

import argparse
import asyncio
import inspect
import json
import logging
import sys
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import IO, Any, TextIO, TypeVar

from bot.textio import bounded_lines
from summaries.ingest import jsondata
from summaries.ingest.binary import binary_kind
from summaries.ingest.pipeline import MAX_FILE_BYTES, read_capped
from summaries.store import Tenant
from summaries.times import parse_iso
from summaries.types import NewsbriefError

log = logging.getLogger(__name__)

Record = dict[str, Any]
T = TypeVar("T")


class CliError(Exception):
    """A usage or input problem reported to the user as one line, exit status 2."""


def read_source(name: str) -> bytes:
    """The bytes of a text, HTML or feed file, or of standard input for `-`: at most
    MAX_FILE_BYTES of them read, and never a picture, a PDF or other binary data."""
    try:
        data = read_capped(None if name == "-" else Path(name))
    except OSError as exc:
        raise CliError(f"cannot read {name}: {exc.strerror or exc}") from None
    except NewsbriefError as exc:
        raise CliError(f"cannot read {name}: {exc}") from None
    kind = binary_kind(data)
    if kind is not None:
        raise CliError(f"cannot read {name}: it is {kind}, not text, HTML or a feed")
    return data


MAX_LIMIT = 1000  # results one --limit may ask for


def count(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: a whole number from `low` to `high`. A bare int let a negative
    --limit reach SQLite as no limit at all, 0 or a negative one fail deep inside `whosaid`
    (IndexError), and a huge one fail as an integer SQLite can't hold."""

    def whole_number(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{value[:40]!r} is not a whole number") from None
        if not low <= number <= high:
            raise argparse.ArgumentTypeError(f"{value[:40]} is not from {low:,} to {high:,}")
        return number

    return whole_number


def iso_date(value: str) -> datetime:
    """An argparse type: an ISO 8601 date or time, as UTC (a bad one is a usage error, exit 2,
    not a failure of the command, exit 1)."""
    try:
        return parse_iso(value[:100])
    except NewsbriefError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_tenant_option(parser: argparse.ArgumentParser, what: str) -> None:
    """`--tenant PLATFORM:WORKSPACE`: a workspace's library instead of the operator's."""
    parser.add_argument("--tenant", type=_tenant, metavar="PLATFORM:WORKSPACE", help=what)


def _tenant(value: str) -> Tenant:
    """`slack:T0123` (a Slack team) or `discord:<guild id>` as a Tenant."""
    platform, _, workspace = value.partition(":")
    if platform not in ("slack", "discord") or not workspace.strip():
        raise argparse.ArgumentTypeError(
            f"{value!r} is not PLATFORM:WORKSPACE (slack:<team id> or discord:<guild id>)"
        )
    return Tenant(platform, workspace.strip())


def _open_input(name: str) -> IO[str]:
    if name == "-":
        return sys.stdin
    try:
        return open(name, encoding="utf-8", errors="replace")
    except OSError as exc:
        raise CliError(f"cannot read {name}: {exc.strerror or exc}") from None


def _jsonl(name: str) -> Iterator[tuple[Any, Record | None, str | None]]:
    """Yield (id, record, error) per non-blank line; a bad line yields an error, not a raise."""
    stream = _open_input(name)
    try:
        for number, line in enumerate(bounded_lines(stream, MAX_FILE_BYTES), 1):
            if line is None:
                yield None, None, f"line {number}: longer than {MAX_FILE_BYTES:,} characters"
                continue
            if not line.strip():
                continue
            try:
                record = jsondata.loads(line)
            except ValueError as exc:
                why = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
                yield None, None, f"line {number}: invalid JSON ({why})"
                continue
            if not isinstance(record, dict):
                yield None, None, f"line {number}: expected a JSON object"
                continue
            yield record.get("id"), record, None
    finally:
        if stream is not sys.stdin:
            stream.close()


def emit(out: TextIO, obj: Any, *, indent: int | None = None) -> None:
    """Write one JSON value and a newline, and flush (a reader may be waiting on the line)."""
    out.write(json.dumps(obj, ensure_ascii=False, indent=indent) + "\n")
    out.flush()


def _line_error(rid: Any, exc: Exception) -> Record:
    if isinstance(exc, NewsbriefError):
        return {"id": rid, "error": str(exc)}
    log.exception("batch line %r failed", rid)  # one bad line must not end the batch
    return {"id": rid, "error": f"internal error: {type(exc).__name__}"}


async def batch(
    name: str,
    out: TextIO,
    handle: Callable[[Record], Record | Awaitable[Record]],
    *,
    window: int = 1,
) -> int:
    """Answer each JSON line of `name` (a file, or - for stdin) with `{"id", **handle(record)}`,
    or `{"id", "error"}`: a bad line is reported on its own line and the batch goes on.

    Up to `window` lines are handled at once (a queue's workers share them out); the answers
    are written in the lines' order all the same, each as soon as the lines before it are."""

    async def answer(rid: Any, record: Record | None, error: str | None) -> Record:
        if record is None:
            return {"id": rid, "error": error}
        try:
            result = handle(record)
            if inspect.isawaitable(result):
                result = await result
            return {"id": rid, **result}
        except Exception as exc:
            return _line_error(rid, exc)

    async for line in in_order((answer(*line) for line in _jsonl(name)), window):
        emit(out, line)
    return 0


async def in_order(work: Iterable[Awaitable[T]], window: int = 1) -> AsyncIterator[T]:
    """The results of `work`, in its order, with up to `window` of them running at once; the
    next piece of work is taken from `work` only when there is room for it."""
    running: deque[asyncio.Future[T]] = deque()
    try:
        for item in work:
            running.append(asyncio.ensure_future(item))
            if len(running) >= max(1, window):
                yield await running.popleft()
        while running:
            yield await running.popleft()
    finally:
        for left in running:
            left.cancel()


def text_field(record: Record, name: str) -> str:
    """A required string field of a batch line."""
    value = field(record, name, required=True)
    assert value is not None
    return value


def field(record: Record, name: str, *, required: bool = False) -> str | None:
    """An optional string field of a batch line; a wrong type is that line's error."""
    value = record.get(name)
    if value is None:
        if required:
            raise NewsbriefError(f'missing "{name}"')
        return None
    if not isinstance(value, str):
        raise NewsbriefError(f'"{name}" must be a string')
    return value
