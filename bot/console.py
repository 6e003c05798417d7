"""The console adapter: talk to newsbrief in a terminal, same commands as in chat."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from datetime import datetime
from typing import TextIO

from bot.commands import MAX_INPUT, Caller, Commands
from bot.replies import Reply, StoryItem, first_sentence, source_of
from bot.textio import bounded_lines
from summaries.types import Citation

PROMPT = "newsbrief> "
MAX_LINE = 1_000_000  # characters of one console line read at most; longer ones are refused
# The rest of a longer line is read in chunks and dropped, and the session goes on with the next
# line; only past this many characters without a line end (an endless pipe such as /dev/zero)
# does reading stop, after ~1 s of CPU.
MAX_SKIPPED = 1_000_000_000
CALLER = Caller(
    platform="console", workspace="local", channel="console", user="you", can_manage=True
)


def render_text(reply: Reply) -> str:
    """A Reply as plain text for a terminal."""
    out = [reply.text]
    for story in reply.stories:
        out.append(_story(story))
    for part in reply.sections:
        out.append(f"\n— {part.heading} —")
        out.extend(_compact(story) for story in part.stories)
    for quote in reply.quotes:
        out.append("\n" + render_quote(quote))
    out.extend(f"  • {line}" for line in reply.lines)
    if reply.footer:
        out.append(reply.footer)
    return "\n".join(out) + "\n"


def _when(published: datetime | None) -> str:
    return published.strftime("%Y-%m-%d") if published else ""


def _story(story: StoryItem) -> str:
    meta = " · ".join(x for x in (story.source, _when(story.published), story.url) if x)
    lines = [f"\n▸ {story.title}", f"  {meta}" if meta else ""]
    if story.summary:
        lines.append(f"  {story.summary}")
    if story.note:
        lines.append(f"  ({story.note})")
    if story.quote:
        q = story.quote
        lines.append(f"  “{q.text}” — {q.speaker or 'unattributed'}")
    return "\n".join(line for line in lines if line)


def _compact(story: StoryItem) -> str:
    meta = " · ".join(x for x in (story.source, _when(story.published)) if x)
    lines = [f"  ▸ {story.title}" + (f" — {meta}" if meta else "")]
    if story.summary:
        lines.append(f"    {first_sentence(story.summary)}")
    if story.note:
        lines.append(f"    ({story.note})")
    return "\n".join(lines)


def render_quote(quote: Citation) -> str:
    """One quote as terminal text: who said it (and how), the words, and where."""
    if quote.passage:  # the article's own words: no quote marks, no one's name
        who, words = "From the article", quote.text
    else:
        who, words = quote.speaker or "Unattributed", f"“{quote.text}”"
    if quote.speaker_title:
        who += f" ({quote.speaker_title})"
    if quote.speaker and quote.cue:
        who += f" {quote.cue}"
    where = " · ".join(
        x
        for x in (
            quote.article.title,
            source_of(quote.article.site, quote.article.url),
            _when(quote.article.date),
            quote.article.url,
        )
        if x
    )
    around = f"\n  in the article: {quote.context}" if quote.context else ""
    return f"{who}:\n  {words}{around}\n  — {where}"


async def run_console(
    commands: Commands,
    stdin: TextIO | None = None,
    out: TextIO | None = None,
    *,
    prompt: bool = True,
    on_reply: Callable[[Reply], None] | None = None,
) -> None:
    """Read lines until EOF or `quit`: `/brief …` or plain words run a command; anything else
    is treated as a mention."""
    stdin = stdin or sys.stdin
    out = out or sys.stdout
    loop = asyncio.get_running_loop()
    # A line past this is refused unread: no command takes more than MAX_INPUT characters.
    lines = bounded_lines(stdin, MAX_LINE, MAX_SKIPPED)
    out.write("Newsbrief console. Type `help`, a question, or `quit`.\n")
    while True:
        if prompt:
            out.write(PROMPT)
            out.flush()
        line = await loop.run_in_executor(None, next, lines, "")
        if line is None:  # refused unread
            out.write(f"That line is too long; keep it under {MAX_INPUT:,} characters.\n")
            out.flush()
            continue
        if not line:
            break
        line = line.strip()
        if line.lower() in {"quit", "exit", ":q"}:
            break
        if not line:
            continue
        if line.startswith("/brief"):
            reply = await commands.run(CALLER, line[len("/brief") :])
        else:
            reply = await commands.mention(CALLER, line)
        if on_reply:
            on_reply(reply)
        out.write(render_text(reply))
        out.flush()
