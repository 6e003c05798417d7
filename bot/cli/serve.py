"""`newsbrief run` (serve Slack and Discord) and `newsbrief chat` (the same bot in a terminal)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from typing import TextIO

from bot.app import Services, run_bot
from bot.console import run_console


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """run, chat."""
    p = sub.add_parser("run", help="serve Slack and/or Discord (whichever have credentials)")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("chat", help="talk to the bot in the terminal (no chat tokens needed)")
    p.set_defaults(func=cmd_chat)


async def cmd_run(args: argparse.Namespace, s: Services, out: TextIO) -> int:
    """Serve Slack and/or Discord, whichever have credentials in the settings, until SIGINT or
    SIGTERM."""
    logging.getLogger().setLevel(getattr(logging, s.settings.log_level.upper(), logging.INFO))
    if not (args.verbose or args.debug):
        # APScheduler logs two INFO lines each time the polling timer ticks: not news.
        logging.getLogger("apscheduler").setLevel(logging.WARNING)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await run_bot(s, stop=stop)
    return 0


async def cmd_chat(args: argparse.Namespace, s: Services, out: TextIO) -> int:
    """Talk to the bot in the terminal, with the same commands as in Slack and Discord."""
    await run_console(s.commands, out=out, prompt=sys.stdin.isatty())
    return 0
