"""Reply -> Discord message payloads (API JSON): escaped, mention-proof, within Discord's limits.

Pure: no discord import. Each payload is `{"content", "embeds", "allowed_mentions"}`; a long
Reply becomes several payloads, never a rejected one.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from bot.replies import Reply, StoryItem, StorySection, first_sentence, source_of
from summaries.times import as_utc, iso
from summaries.types import Citation
from summaries.understand.text import strip_invisible

# Discord's documented limits.
CONTENT_LIMIT = 2000
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELDS_LIMIT = 25
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FOOTER_LIMIT = 2048
AUTHOR_LIMIT = 256
EMBEDS_PER_MESSAGE = 10
EMBED_CHARS_PER_MESSAGE = 6000
URL_LIMIT = 2048
# A section embed's list is cut here, leaving room in the message for its neighbours.
SECTION_DESCRIPTION = 3000
COMPACT_SUMMARY = 240

ZWSP = "\u200b"
NO_PINGS: dict[str, list[str]] = {"parse": []}

Payload = dict[str, Any]
Embed = dict[str, Any]

_MARKDOWN = re.compile(r"([\\*_~`|>#\-\[\]])")
_CODE_SPAN = re.compile(r"`([^`\n]+)`")
# `@` starts @everyone/@here and the inside of <@id>, <@!id>, <@&id>; `<#` a channel link.
_AT = re.compile(r"@")
_CHANNEL = re.compile(r"<#")


def neutralise(text: str) -> str:
    """Break every mention (`@everyone`, `@here`, `<@id>`, `<@&id>`, `<#id>`) with a ZWSP."""
    return _CHANNEL.sub("<#" + ZWSP, _AT.sub("@" + ZWSP, text))


def escape(text: str) -> str:
    """Raw text made inert for Discord markdown: nothing invisible, mentions broken, markup
    characters escaped."""
    return _MARKDOWN.sub(r"\\\1", neutralise(strip_invisible(text)))


def escape_text(text: str) -> str:
    """Our own reply text made inert like `escape`, its `code` spans (the commands it names:
    "`/brief today`") left as code: escaped backticks would show as literal ones, and
    backslashes inside a code span are shown as they are."""
    out: list[str] = []
    at = 0
    for m in _CODE_SPAN.finditer(text):
        out.append(escape(text[at : m.start()]))
        out.append(f"`{neutralise(strip_invisible(m.group(1)))}`")
        at = m.end()
    out.append(escape(text[at:]))
    return "".join(out)


def truncate(text: str, limit: int) -> str:
    """Cut escaped text to `limit` characters with an ellipsis, never leaving a half escape."""
    if len(text) <= limit:
        return text
    return _safe_cut(text, limit - 1).rstrip() + "…"


def split_text(text: str, limit: int = CONTENT_LIMIT) -> list[str]:
    """Split text into pieces of at most `limit`, at line breaks, then spaces, then anywhere."""
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                pieces.append(current)
                current = ""
            cut = _cut_point(line, limit)
            pieces.append(line[:cut].rstrip())
            line = line[cut:].lstrip(" ")
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) <= limit:
            current = candidate
        else:
            pieces.append(current)
            current = line
    if current or not pieces:
        pieces.append(current)
    return [p for p in pieces if p.strip()] or [pieces[0][:limit]]


def render(reply: Reply) -> list[Payload]:
    """The messages that show `reply`, in order; every one within Discord's limits."""
    content = _content(reply)
    embeds = [story_embed(s) for s in reply.stories]
    embeds.extend(e for part in reply.sections for e in section_embeds(part))
    embeds.extend(quote_embed(q) for q in reply.quotes)
    messages: list[Payload] = [_payload(piece, []) for piece in split_text(content)]
    batches = _pack(embeds)
    if batches:
        messages[-1]["embeds"] = batches[0]
        messages.extend(_payload("", batch) for batch in batches[1:])
    return messages


def story_embed(story: StoryItem) -> Embed:
    """A story: linked headline, summary, source and time, and its key quote."""
    embed: Embed = {"title": truncate(escape(story.title or "(untitled)"), TITLE_LIMIT)}
    url = _url(story.url)
    if url:
        embed["url"] = url
    if story.summary or story.note:
        summary = escape(story.summary or "")
        note = f"*({escape(story.note)})*" if story.note else ""
        room = DESCRIPTION_LIMIT - len(note) - 1
        embed["description"] = "\n".join(x for x in (truncate(summary, room), note) if x)
    image = _url(story.image)
    if image:
        embed["thumbnail"] = {"url": image}
    fields: list[dict[str, Any]] = []
    if story.source:
        fields.append(_field("Source", escape(story.source), inline=True))
    if story.published:
        fields.append(_field("Published", _when(story.published, clock=True), inline=True))
    if story.other_sources:
        also = ", ".join(escape(s) for s in story.other_sources)
        fields.append(_field("Also from", also, inline=False))
    if story.quote:
        q = story.quote
        fields.append(_field(f"Key quote — {_speaker(q)}", f"“{escape(q.text)}”", inline=False))
    if fields:
        embed["fields"] = fields[:FIELDS_LIMIT]
    if story.published:
        embed["timestamp"] = iso(story.published)
    return _fit(embed)


def section_embeds(part: StorySection) -> list[Embed]:
    """Stories under a heading, compact: one embed whose description lists them (more when
    the list is long)."""
    heading = truncate(escape(part.heading or "…"), TITLE_LIMIT - 10)
    lines = [_compact_line(story) for story in part.stories]
    embeds: list[Embed] = []
    current: list[str] = []
    for line in lines:
        if current and len("\n".join([*current, line])) > SECTION_DESCRIPTION:
            embeds.append({"title": heading, "description": "\n".join(current)})
            current = []
        current.append(line)
    if current:
        embeds.append({"title": heading, "description": "\n".join(current)})
    for more in embeds[1:]:
        more["title"] = f"{heading} (cont.)"
    return embeds


def _compact_line(story: StoryItem) -> str:
    """A story on a line or two: linked headline, source, date, the summary's first sentence."""
    title = truncate(escape(story.title or "(untitled)"), TITLE_LIMIT)
    url = _url(story.url)
    head = f"**[{title}]({_link_target(url)})**" if url else f"**{title}**"
    meta = " · ".join(
        x
        for x in (escape(story.source or ""), _when(story.published) if story.published else "")
        if x
    )
    line = head + (f" — {truncate(meta, 300)}" if meta else "")
    if story.summary:
        line += "\n" + truncate(escape(first_sentence(story.summary)), COMPACT_SUMMARY)
    if story.note:
        line += f"\n*({escape(story.note)})*"
    return line


def _link_target(url: str) -> str:
    """A URL safe inside a markdown link's parentheses."""
    return url.replace("(", "%28").replace(")", "%29").replace("<", "%3C").replace(">", "%3E")


def quote_embed(quote: Citation) -> Embed:
    """A quote: the speaker as author, the exact words, a link to the article that has them."""
    embed: Embed = {
        "author": {"name": truncate(_plain(_speaker(quote, escaped=False)), AUTHOR_LIMIT)},
        "description": truncate(escape(quote.text), DESCRIPTION_LIMIT),
    }
    url = _url(quote.article.url)
    if url:
        embed["url"] = url
        embed["author"]["url"] = url
    # Where the words come from, always: the site, the link's host, or "pasted text".
    source = source_of(quote.article.site, url or quote.article.url)
    embed["title"] = truncate(escape(source), TITLE_LIMIT)
    dated = quote.article.date
    footer = " · ".join(x for x in (quote.article.title, dated and _when(dated)) if x)
    if footer:
        embed["footer"] = {"text": truncate(_plain(footer), FOOTER_LIMIT)}
    if quote.context:
        embed["fields"] = [
            {
                "name": "In the article",
                "value": truncate(escape(quote.context), FIELD_VALUE_LIMIT),
                "inline": False,
            }
        ]
    return _fit(embed)


def embed_size(embed: Embed) -> int:
    """Characters that count towards Discord's 6000 per message."""
    size = len(embed.get("title", "")) + len(embed.get("description", ""))
    size += len(embed.get("author", {}).get("name", ""))
    size += len(embed.get("footer", {}).get("text", ""))
    for field in embed.get("fields", []):
        size += len(field["name"]) + len(field["value"])
    return size


# -- helpers --------------------------------------------------------------------------------------
def _payload(content: str, embeds: list[Embed]) -> Payload:
    return {"content": content, "embeds": embeds, "allowed_mentions": {"parse": []}}


def _content(reply: Reply) -> str:
    lines = [escape_text(reply.text)]
    lines.extend(f"• {escape_text(line)}" for line in reply.lines)
    if reply.footer:
        # Discord's "-# " subtext line: ours, so left unescaped.
        lines.append(f"-# {escape_text(reply.footer)}")
    return "\n".join(lines)


def _pack(embeds: list[Embed]) -> list[list[Embed]]:
    batches: list[list[Embed]] = []
    size = 0
    for embed in embeds:
        n = embed_size(embed)
        if (
            not batches
            or len(batches[-1]) >= EMBEDS_PER_MESSAGE
            or size + n > EMBED_CHARS_PER_MESSAGE
        ):
            batches.append([])
            size = 0
        batches[-1].append(embed)
        size += n
    return batches


def _fit(embed: Embed) -> Embed:
    """Shorten the description, then drop trailing fields, until one embed fits a message."""
    over = embed_size(embed) - EMBED_CHARS_PER_MESSAGE
    if over > 0 and embed.get("description"):
        keep = max(1, len(embed["description"]) - over)
        embed["description"] = truncate(embed["description"], keep)
    while embed_size(embed) > EMBED_CHARS_PER_MESSAGE and embed.get("fields"):
        embed["fields"].pop()
    return embed


def _field(name: str, value: str, *, inline: bool) -> dict[str, Any]:
    return {
        "name": truncate(name, FIELD_NAME_LIMIT),
        "value": truncate(value, FIELD_VALUE_LIMIT) or "—",
        "inline": inline,
    }


def _speaker(quote: Citation, *, escaped: bool = True) -> str:
    who = quote.speaker or ("From the article" if quote.passage else "Unattributed")
    if quote.speaker_title:
        who += f" ({quote.speaker_title})"
    return escape(who) if escaped else who


def _plain(text: str) -> str:
    # Author names and footers are not markdown-rendered: escapes would show as backslashes.
    return neutralise(" ".join(strip_invisible(text).split()))


def _url(url: str | None) -> str | None:
    """Only http(s) links Discord accepts; anything else would fail the whole message."""
    if not url or len(url) > URL_LIMIT or any(c.isspace() for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        return None
    return url


def _when(when: datetime, *, clock: bool = False) -> str:
    fmt = "%Y-%m-%d %H:%M UTC" if clock else "%Y-%m-%d"
    return as_utc(when).strftime(fmt)


def _odd_backslashes_before(text: str, index: int) -> bool:
    count = 0
    while index - count - 1 >= 0 and text[index - count - 1] == "\\":
        count += 1
    return count % 2 == 1


def _safe_cut(text: str, limit: int) -> str:
    cut = limit
    if _odd_backslashes_before(text, cut):  # don't strand an escape without its character
        cut -= 1
    return text[:cut]


def _cut_point(line: str, limit: int) -> int:
    space = line.rfind(" ", limit // 2, limit + 1)
    cut = space if space > 0 else limit
    if _odd_backslashes_before(line, cut):
        cut -= 1
    return cut
