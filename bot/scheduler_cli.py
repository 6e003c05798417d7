"""Operator commands: `newsbrief schedule list|add|remove` and a channel's `newsbrief digest`.

Posting from the command line goes through the same ledger as the scheduled job, so running
`newsbrief digest --platform slack --channel C123 --post` twice in a day posts once.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any, TextIO

from bot.console import render_text
from bot.scheduler import DigestOutcome, Poster, Scheduler
from bot.settings import Settings
from summaries.answers.digest import Digest
from summaries.answers.subscriptions import (
    Channel,
    Schedule,
    Subscriptions,
    check_timezone,
    parse_time,
    parse_weekdays,
)
from summaries.store import Store, StoredQuote
from summaries.types import NewsbriefError
from summaries.understand.embed import MiniLMEmbedder

log = logging.getLogger(__name__)

PLATFORMS = ("slack", "discord")


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `schedule list|add|remove` to the `newsbrief` sub-commands."""
    p = sub.add_parser("schedule", help="channels' daily digest schedules: list, add, remove")
    actions = p.add_subparsers(dest="schedule_action", required=True, metavar="ACTION")

    a = actions.add_parser("list", help="every schedule, with its last digest")
    a.add_argument("--platform", choices=PLATFORMS)
    a.add_argument("--json", action="store_true", help="print JSON")
    a.set_defaults(func=cmd_schedule_list)

    a = actions.add_parser("add", help="set a channel's daily digest (replaces its schedule)")
    _channel_arguments(a)
    a.add_argument("time", help="local time, HH:MM")
    a.add_argument("--timezone", default="UTC", help="IANA name, e.g. Europe/Paris")
    a.add_argument("--days", default="daily", help="mon-fri, sat,sun, daily (default)")
    a.add_argument("--quiet", action="store_true", help="post nothing on a day without news")
    a.set_defaults(func=cmd_schedule_add)

    a = actions.add_parser("remove", help="turn a channel's daily digest off")
    _channel_arguments(a)
    a.set_defaults(func=cmd_schedule_remove)


def add_digest_arguments(parser: argparse.ArgumentParser) -> None:
    """The channel options of `newsbrief digest` (its other options stay cli.py's)."""
    parser.add_argument("--platform", choices=PLATFORMS, help="with --channel: a channel's digest")
    parser.add_argument("--channel", help="channel id")
    parser.add_argument("--workspace", help="Slack team or Discord guild id, if ambiguous")
    parser.add_argument(
        "--post", action="store_true", help="post it (once a day: the ledger is shared)"
    )


def _channel_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--platform", choices=PLATFORMS, required=True)
    parser.add_argument("--channel", required=True, help="channel id")
    parser.add_argument("--workspace", help="Slack team or Discord guild id, if ambiguous")


# -- schedule ------------------------------------------------------------------------------------
def cmd_schedule_list(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    with Store(settings.database_url) as store:
        schedules = Subscriptions(store).schedules(args.platform)
        last = {}
        for schedule in schedules:
            runs = store.digest_runs(schedule.channel, limit=1)
            last[schedule.channel] = runs[0] if runs else None
    if args.json:
        rows = []
        for s in schedules:
            run = last[s.channel]
            rows.append(
                {
                    **_channel_json(s.channel),
                    "time": s.time.strftime("%H:%M"),
                    "timezone": s.timezone,
                    "weekdays": list(s.weekdays),
                    "quiet": s.quiet,
                    "last_digest": None
                    if run is None
                    else {
                        "date": run.local_date,
                        "status": run.status,
                        "attempts": run.attempts,
                        "stories": run.stories,
                        "error": run.error,
                    },
                }
            )
        out.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return 0
    if not schedules:
        out.write(
            "No digest schedules. Add one: newsbrief schedule add --platform slack "
            "--channel C123 08:00 --timezone Europe/Paris\n"
        )
        return 0
    for s in schedules:
        where = s.channel
        run = last[where]
        status = "no digest yet" if run is None else f"last digest {run.local_date}: {run.status}"
        if run is not None and run.error:
            status += f" ({run.error})"
        quiet = ", quiet" if s.quiet else ""
        out.write(
            f"{where.platform} {where.workspace} {where.channel}: "
            f"{s.describe()}{quiet} — {status}\n"
        )
    return 0


def cmd_schedule_add(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    schedule_time = parse_time(args.time)
    zone = check_timezone(args.timezone)
    days = parse_weekdays(args.days)
    with Store(settings.database_url) as store:
        where = resolve_channel(store, args.platform, args.channel, args.workspace)
        schedule = Schedule(where, schedule_time, zone, days, bool(args.quiet))
        Subscriptions(store).set_schedule(schedule)
    out.write(f"Daily digest for {where.platform} {where.channel}: {schedule.describe()}.\n")
    return 0


def cmd_schedule_remove(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    with Store(settings.database_url) as store:
        where = resolve_channel(store, args.platform, args.channel, args.workspace)
        removed = Subscriptions(store).clear_schedule(where)
    if not removed:
        out.write(f"{where.platform} {where.channel} had no daily digest.\n")
        return 1
    out.write(f"Daily digest for {where.platform} {where.channel} turned off.\n")
    return 0


def resolve_channel(store: Store, platform: str, channel: str, workspace: str | None) -> Channel:
    """The channel named on the command line; its workspace is looked up when not given."""
    if workspace is not None:
        return Channel(platform, workspace, channel)
    found = store.channel_workspaces(platform, channel)
    if len(found) == 1:
        return Channel(platform, found.pop(), channel)
    if not found:
        raise NewsbriefError(
            f"{platform} channel {channel} follows no feeds and has no schedule: "
            "give --workspace to name it anyway"
        )
    raise NewsbriefError(
        f"{platform} channel {channel} exists in several workspaces ({', '.join(sorted(found))}):"
        " give --workspace"
    )


# -- digest ---------------------------------------------------------------------------------------
def digest_for_channel(
    args: argparse.Namespace,
    settings: Settings,
    out: TextIO,
    posters: Mapping[str, Poster] | None = None,
) -> int:
    """`newsbrief digest --platform P --channel ID [--workspace W] [--post] [--json]`.

    Without --post prints the digest the channel would get now (nothing is recorded). With
    --post claims today's ledger row and posts through the platform's adapter (or `posters`);
    exit 0 when posted or already posted today, 1 when the post failed.
    """
    as_json = bool(getattr(args, "json", False))
    with Store(settings.database_url) as store:
        where = resolve_channel(store, args.platform, args.channel, args.workspace)
        if not args.post:
            scheduler = Scheduler(store, posters or {}, embedder=MiniLMEmbedder())
            digest, reply = scheduler.preview(where)
            if as_json:
                out.write(json.dumps(_digest_json(digest), ensure_ascii=False, indent=2))
                out.write("\n")
            else:
                out.write(render_text(reply))
            return 0
        outcome = asyncio.run(_post(store, settings, where, posters))
    if as_json:
        out.write(json.dumps({**_channel_json(where), **_outcome_json(outcome)}) + "\n")
    elif outcome.status == "posted":
        out.write(
            f"Posted the digest for {outcome.local_date} to {where.platform} {where.channel} "
            f"({outcome.stories} stories).\n"
        )
    elif outcome.status == "already":
        out.write(
            f"The digest for {outcome.local_date} was already posted (or is being posted) "
            f"to {where.platform} {where.channel}: nothing sent.\n"
        )
    elif outcome.status == "skipped":
        out.write(f"No news for {where.platform} {where.channel}, and it asked for quiet.\n")
    else:
        out.write(f"The digest could not be posted: {outcome.error}\n")
    return 0 if outcome.status in ("posted", "already", "skipped") else 1


async def _post(
    store: Store, settings: Settings, where: Channel, posters: Mapping[str, Poster] | None
) -> DigestOutcome:
    embedder = MiniLMEmbedder()
    if posters is not None:
        return await Scheduler(store, posters, embedder=embedder).post_digest(where)
    async with platform_poster(settings, store, where.platform) as poster:
        return await Scheduler(store, {where.platform: poster}, embedder=embedder).post_digest(
            where
        )


@asynccontextmanager
async def platform_poster(settings: Settings, store: Store, platform: str) -> AsyncIterator[Poster]:
    """The platform's adapter, ready to post (Discord needs its gateway; Slack only its token)."""
    from bot.app import build_commands

    commands = build_commands(settings, store)
    try:
        if platform == "slack":
            from bot.slack_adapter import SlackAdapter

            try:
                slack = SlackAdapter(settings, commands)
            except ValueError as exc:
                raise NewsbriefError(str(exc)) from None
            yield slack  # posting needs only the Web API: no socket, no HTTP server
            return
        from bot.discord_adapter import DiscordAdapter

        adapter = DiscordAdapter(settings, commands)
        await adapter.start()
        try:
            yield adapter
        finally:
            await adapter.stop()
    finally:
        await commands.pipeline.fetcher.aclose()
        commands.pipeline.close()


def _channel_json(where: Channel) -> dict[str, str]:
    return {"platform": where.platform, "workspace": where.workspace, "channel": where.channel}


def _outcome_json(outcome: DigestOutcome) -> dict[str, Any]:
    return {
        "status": outcome.status,
        "date": outcome.local_date,
        "stories": outcome.stories,
        "error": outcome.error,
    }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _quote_json(q: StoredQuote) -> dict[str, Any]:
    return {
        "text": q.text,
        "speaker": q.speaker,
        "speaker_title": q.speaker_title,
        "article_title": q.article_title,
        "article_url": q.article_url,
    }


def _digest_json(digest: Digest) -> dict[str, Any]:
    return {
        **_channel_json(digest.channel),
        "since": _iso(digest.since),
        "until": _iso(digest.until),
        "articles": digest.articles,
        "stories": [
            {
                "title": s.title,
                "url": s.url,
                "sources": list(s.sources),
                "published": _iso(s.published),
                "summary": s.summary,
                "article_ids": list(s.article_ids),
                "quote": _quote_json(s.quote) if s.quote else None,
            }
            for s in digest.stories
        ],
        "who_said_what": [_quote_json(q) for q in digest.said],
    }
