"""The `newsbrief` command line. Every command is `async (args, services, out) -> exit status`,
run inside one `Services` that is closed when the command ends; the modules here each add their
commands to the one parser `build_parser` makes."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from dataclasses import replace
from typing import TextIO

from bot.app import Services
from bot.cli import articles, said, schedule, serve, worker
from bot.cli.batch import CliError
from bot.settings import Settings, SettingsError
from summaries.types import NewsbriefError

# Libraries whose routine chatter is not news to a command-line user (shown with -v).
QUIET_LOGGERS = ("alembic", "httpx", "httpcore", "trafilatura", "htmldate", "courlan")


def build_parser() -> argparse.ArgumentParser:
    """Every `newsbrief` command, from the modules that run them."""
    parser = argparse.ArgumentParser(
        prog="newsbrief", description="Self-hosted news briefings: ingest, summarise, digest."
    )
    parser.add_argument("--db", help="database URL (default: NEWSBRIEF_DATABASE_URL)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    articles.add_commands(sub)
    said.add_commands(sub)
    serve.add_commands(sub)
    schedule.add_commands(sub)
    worker.add_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run one command line; returns the exit status (2: usage or settings, 1: bad input)."""
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"newsbrief: {exc}", file=sys.stderr)
        return 2
    if args.db:
        settings = replace(settings, database_url=args.db)
    # A command's output is the answer; logs below warnings only with -v.
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    if not args.verbose:
        for name in QUIET_LOGGERS:
            logging.getLogger(name).setLevel(logging.WARNING)
    try:
        return asyncio.run(_run(args, settings, out or sys.stdout))
    except (CliError, SettingsError) as exc:
        print(f"newsbrief: {exc}", file=sys.stderr)
        return 2
    except NewsbriefError as exc:
        print(f"newsbrief: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


async def _run(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    async with Services(settings) as services:
        return int(await args.func(args, services, out))
