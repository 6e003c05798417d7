"""`newsbrief worker`: runs articles' jobs from the broker (NEWSBRIEF_BROKER_URL) on Celery."""

from __future__ import annotations

import argparse
import logging
import os
from typing import TextIO

from bot.app import Services
from bot.cli.batch import CliError, count

# Worker processes at most, as for NEWSBRIEF_ARTICLE_WORKERS: each loads the models (~500 MB).
MAX_CONCURRENCY = 64


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """worker."""
    p = sub.add_parser(
        "worker", help="run articles' jobs from the broker (NEWSBRIEF_BROKER_URL) until stopped"
    )
    p.add_argument(
        "--concurrency",
        type=count(1, MAX_CONCURRENCY),
        default=None,
        metavar="N",
        help="processes, each loading the models once (default: the cores)",
    )
    p.set_defaults(func=cmd_worker)


async def cmd_worker(args: argparse.Namespace, s: Services, out: TextIO) -> int:
    """Serve jobs until Ctrl-C or SIGTERM; one log line per finished job, with its id."""
    settings = s.settings
    if not settings.broker_url:
        raise CliError("newsbrief worker needs NEWSBRIEF_BROKER_URL (redis://… or amqp://…)")
    concurrency = args.concurrency or min(os.cpu_count() or 1, MAX_CONCURRENCY)
    try:
        from bot.queue import run_worker
    except ImportError:
        raise CliError("newsbrief worker needs Celery: pip install 'newsbrief[workers]'") from None
    level = "DEBUG" if args.verbose else settings.log_level.upper()
    logging.getLogger().setLevel(level)
    # Celery's worker blocks here, with its own signal handling, until it is stopped.
    run_worker(settings, concurrency=concurrency, loglevel=level)
    return 0
