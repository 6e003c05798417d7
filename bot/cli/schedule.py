"""Operator commands: `newsbrief schedule list|add|remove` and a channel's `newsbrief digest`.

Posting from the command line goes through the same ledger as the scheduled job, so running
`newsbrief digest --platform slack --channel C123 --post` twice in a day posts once.
"""

from __future__ import annotations

import argparse
from typing import TextIO

from bot.app import PLATFORMS, Services
from bot.cli import shapes
from bot.cli.batch import emit
from bot.console import render_text
from bot.replies import counted
from summaries.answers.subscriptions import (
    Channel,
    Schedule,
    Subscriptions,
    check_timezone,
    parse_time,
    parse_weekdays,
)
from summaries.store import Store
from summaries.types import NewsbriefError

NO_SCHEDULES = """No digest schedules yet. Set one in the channel, as someone who may manage it:
  /brief schedule 08:00 Europe/Paris mon-fri
or from here, naming the channel and its workspace (Slack team or Discord server):
  newsbrief schedule add --platform slack --workspace T0123ABCD --channel C0123ABCD 08:00 \
--timezone Europe/Paris
Where the ids are: Slack — open the channel in a browser: app.slack.com/client/<team id T…>/\
<channel id C…>; Discord — turn on Developer Mode (User Settings → Advanced), then right-click \
the server or the channel → Copy ID.
"""


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """schedule list|add|remove."""
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
    """The channel options of `newsbrief digest`."""
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
async def cmd_schedule_list(args: argparse.Namespace, s: Services, out: TextIO) -> int:
    schedules = Subscriptions(s.store).schedules(args.platform)
    last = {}
    for schedule in schedules:
        runs = s.store.digest_runs(schedule.channel, limit=1)
        last[schedule.channel] = runs[0] if runs else None
    if args.json:
        emit(out, [shapes.schedule(x, last[x.channel]) for x in schedules], indent=2)
        return 0
    if not schedules:
        out.write(NO_SCHEDULES)
        return 0
    for schedule in schedules:
        where = schedule.channel
        run = last[where]
        status = "no digest yet" if run is None else f"last digest {run.local_date}: {run.status}"
        if run is not None and run.error:
            status += f" ({run.error})"
        quiet = ", quiet" if schedule.quiet else ""
        out.write(
            f"{where.platform} {where.workspace} {where.channel}: "
            f"{schedule.describe()}{quiet} — {status}\n"
        )
    return 0


async def cmd_schedule_add(args: argparse.Namespace, s: Services, out: TextIO) -> int:
    schedule_time = parse_time(args.time)
    zone = check_timezone(args.timezone)
    days = parse_weekdays(args.days)
    where = resolve_channel(s.store, args.platform, args.channel, args.workspace)
    schedule = Schedule(where, schedule_time, zone, days, bool(args.quiet))
    Subscriptions(s.store).set_schedule(schedule)
    out.write(f"Daily digest for {where.platform} {where.channel}: {schedule.describe()}.\n")
    return 0


async def cmd_schedule_remove(args: argparse.Namespace, s: Services, out: TextIO) -> int:
    where = resolve_channel(s.store, args.platform, args.channel, args.workspace)
    if not Subscriptions(s.store).clear_schedule(where):
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
async def digest_for_channel(args: argparse.Namespace, s: Services, out: TextIO) -> int:
    """`newsbrief digest --platform P --channel ID [--workspace W] [--post] [--json]`.

    Without --post prints the digest the channel would get now (nothing is recorded). With
    --post claims today's ledger row and posts through the platform; exit 0 when posted or
    already posted today, 1 when the post failed.
    """
    as_json = bool(getattr(args, "json", False))
    where = resolve_channel(s.store, args.platform, args.channel, args.workspace)
    if not args.post:
        digest, reply = s.digests().preview(where)
        if as_json:
            emit(out, shapes.digest(digest), indent=2)
        else:
            out.write(render_text(reply))
        return 0
    async with s.poster(where.platform) as poster:
        outcome = await s.digests({where.platform: poster}).post_digest(where)
    if as_json:
        emit(out, shapes.digest_outcome(where, outcome))
    elif outcome.status == "posted":
        out.write(
            f"Posted the digest for {outcome.local_date} to {where.platform} {where.channel} "
            f"({counted(outcome.stories, 'story', 'stories')}).\n"
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
