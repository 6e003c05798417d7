"""Input for the command line: sources named on it, and JSON-lines batches read line by line."""

from __future__ import annotations

import argparse
import inspect
import json
import logging
import sys
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import IO, Any, TextIO

from summaries.store import Tenant
from summaries.types import NewsbriefError

log = logging.getLogger(__name__)

Record = dict[str, Any]


class CliError(Exception):
    """A usage or input problem reported to the user as one line, exit status 2."""


def read_source(name: str) -> bytes:
    """The bytes of a file, or of standard input for `-`."""
    if name == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(name).read_bytes()
    except OSError as exc:
        raise CliError(f"cannot read {name}: {exc.strerror or exc}") from None


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
        for number, line in enumerate(stream, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield None, None, f"line {number}: invalid JSON ({exc.msg})"
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
    name: str, out: TextIO, handle: Callable[[Record], Record | Awaitable[Record]]
) -> int:
    """Answer each JSON line of `name` (a file, or - for stdin) with `{"id", **handle(record)}`,
    or `{"id", "error"}`: a bad line is reported on its own line and the batch goes on."""
    for rid, record, error in _jsonl(name):
        if record is None:
            emit(out, {"id": rid, "error": error})
            continue
        try:
            result = handle(record)
            if inspect.isawaitable(result):
                result = await result
            emit(out, {"id": rid, **result})
        except Exception as exc:
            emit(out, _line_error(rid, exc))
    return 0


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
