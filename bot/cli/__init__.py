"""The `newsbrief` command line. Every command is `async (args, services, out) -> exit status`,
run inside one `Services` that is closed when the command ends; the modules here each add their
commands to the one parser `build_parser` makes."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import sys
import traceback
from collections.abc import Sequence
from dataclasses import replace
from importlib import metadata
from typing import TextIO

from bot.app import Services
from bot.cli import articles, deploy, said, schedule, serve, worker
from bot.cli.batch import CliError
from bot.settings import Settings, SettingsError, default_database_url
from summaries.types import NewsbriefError

# Libraries whose routine chatter is not news to a command-line user (shown with -v).
QUIET_LOGGERS = ("alembic", "httpx", "httpcore", "trafilatura", "htmldate", "courlan")


def version() -> str:
    """newsbrief's installed version (or "unknown" when run from a bare checkout)."""
    try:
        return metadata.version("newsbrief")
    except metadata.PackageNotFoundError:
        return "unknown"


def build_parser() -> argparse.ArgumentParser:
    """Every `newsbrief` command, from the modules that run them. The global options are
    accepted after the command too (`newsbrief digest --db URL`)."""
    parser = argparse.ArgumentParser(
        prog="newsbrief",
        description="Self-hosted news briefings: ingest, summarise, digest.",
        epilog=f"Database: NEWSBRIEF_DATABASE_URL, else {default_database_url()}",
    )
    parser.add_argument("--version", action="version", version=f"newsbrief {version()}")
    _global_options(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    articles.add_commands(sub)
    said.add_commands(sub)
    serve.add_commands(sub)
    schedule.add_commands(sub)
    worker.add_commands(sub)
    deploy.add_commands(sub)
    for command in _subparsers(parser):
        _global_options(command, top=False)
    return parser


def _global_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
    # Below the top, SUPPRESS keeps a subcommand from resetting what was given before it.
    default: object = argparse.SUPPRESS
    parser.add_argument(
        "--db",
        default=None if top else default,
        help=f"database URL (default: NEWSBRIEF_DATABASE_URL, else {default_database_url()})",
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", default=False if top else default, help="log more"
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        default=False if top else default,
        help="log everything and show the full trace of an error",
    )


def _subparsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    """Every subcommand's parser, nested ones included (`schedule list`)."""
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in dict.fromkeys(action.choices.values()):
                found.append(child)
                found.extend(_subparsers(child))
    return found


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run one command line; returns the exit status (2: usage or settings, 1: bad input or a
    failure; 130: interrupted). Every failure is one line on stderr; `--debug` adds the trace."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:  # `newsbrief` alone: what it can do
        parser.print_help(out or sys.stdout)
        return 0
    debug = bool(args.debug)
    stream = out or sys.stdout
    try:
        code = _main(args, stream)
        stream.flush()  # here, where a closed pipe is handled, not at interpreter exit
        return code
    except BaseException as exc:
        return _failed(exc, debug)


def _failed(exc: BaseException, debug: bool) -> int:
    """Report what ended the command in one line (with --debug, the trace before it)."""
    if isinstance(exc, SystemExit):
        raise exc
    if isinstance(exc, BrokenPipeError):
        # The reader went away (`| head`): stop quietly, as cat and grep do, and keep Python
        # from complaining when it flushes stdout at exit.
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # 128 + SIGPIPE, what a shell reports for a closed pipe
    if debug:
        traceback.print_exception(exc, file=sys.stderr)
    if isinstance(exc, KeyboardInterrupt):
        print("newsbrief: interrupted", file=sys.stderr)
        return 130
    if isinstance(exc, (CliError, SettingsError)):
        print(f"newsbrief: {exc}", file=sys.stderr)
        return 2
    if isinstance(exc, NewsbriefError):
        print(f"newsbrief: {exc}", file=sys.stderr)
        return 1
    hint = "" if debug else " (run with --debug for the trace)"
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    what = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
    print(f"newsbrief: unexpected error: {what}{hint}", file=sys.stderr)
    return 1


def _main(args: argparse.Namespace, out: TextIO) -> int:
    settings = Settings.from_env()
    if args.db:
        settings = replace(settings, database_url=args.db)
    # A command's output is the answer; logs below warnings only with -v.
    loud = bool(args.verbose or args.debug)
    logging.basicConfig(
        level=logging.DEBUG if loud else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    if not loud:
        for name in QUIET_LOGGERS:
            logging.getLogger(name).setLevel(logging.WARNING)
    return asyncio.run(_run(args, settings, out))


async def _run(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    async with Services(settings) as services:
        return int(await args.func(args, services, out))
