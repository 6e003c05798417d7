"""Reply -> Slack Block Kit messages: pure functions, no SDK.

Every raw string is escaped for mrkdwn (`&`, `<`, `>`), so nothing from a feed or a user can
become a link or a `<!channel>`/`<@U…>` mention; `@here`-style words get a zero-width space
after the `@`, and mrkdwn text is `verbatim` so Slack does not parse names or links on its own.
Long replies are split into several messages within Slack's limits.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from bot.replies import Reply, StoryItem, StorySection, first_sentence, source_of
from summaries.types import Citation
from summaries.understand.text import strip_invisible

MAX_BLOCKS = 50  # blocks per message
MAX_SECTION = 3000  # characters of a section's text
MAX_HEADER = 150  # characters of a header's plain text
MAX_CONTEXT = 2000  # characters of one context element (kept well under the 3000 limit)
MAX_FALLBACK = 3000  # characters of the top-level notification text
MAX_TITLE = 300
MAX_SUMMARY = 2400
MAX_QUOTE = 2000
MAX_IMAGE_URL = 3000  # an image element's image_url
MAX_ALT_TEXT = 2000  # an image element's alt_text
COMPACT_SUMMARY = 240  # characters of summary a compact story shows

Block = dict[str, Any]
Message = dict[str, Any]

_BROADCAST = re.compile(r"@(?=(?:channel|here|everyone)\b)", re.IGNORECASE)
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def escape(text: str) -> str:
    """Raw text as inert mrkdwn: nothing invisible, `&`, `<`, `>` escaped and broadcast words
    defused."""
    text = strip_invisible(text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _BROADCAST.sub("@\u200b", text)


def fit(text: str, limit: int) -> str:
    """`text` escaped, cut with "…" so the escaped form is at most `limit` characters."""
    escaped = escape(text)
    if len(escaped) <= limit:
        return escaped
    # the longest raw prefix whose escaped form leaves room for "…" (escaping only grows text)
    low, high = 0, len(text)
    while low < high:
        mid = (low + high + 1) // 2
        if len(escape(text[:mid])) <= limit - 1:
            low = mid
        else:
            high = mid - 1
    return escape(text[:low]) + "…"


def link(url: str | None, label: str) -> str:
    """`<url|label>` for an http(s) URL (label already mrkdwn), else just the label."""
    if not url or urlsplit(url).scheme.lower() not in {"http", "https"}:
        return label
    safe = url.replace("&", "&amp;").replace("<", "%3C").replace(">", "%3E").replace("|", "%7C")
    safe = safe.replace(" ", "%20")
    return f"<{safe}|{label}>"


def render(reply: Reply) -> list[Message]:
    """The Slack messages (`{"text", "blocks"}`) showing `reply`, in order; never empty."""
    groups: list[list[Block]] = [[_lead(reply)]]
    groups.extend(_story_blocks(story) for story in reply.stories)
    for part in reply.sections:
        # a heading travels with its first story, never alone at the foot of a page
        stories = [_compact_block(story) for story in part.stories]
        groups.append([_heading(part), *stories[:1]])
        groups.extend([block] for block in stories[1:])
    groups.extend(_quote_blocks(quote) for quote in reply.quotes)
    groups.extend([block] for block in _line_blocks(reply.lines))
    if reply.footer:
        groups.append([_context(fit(reply.footer, MAX_CONTEXT))])
    pages = _pack(groups)
    lead = fit(reply.text, MAX_FALLBACK - 20)
    messages: list[Message] = []
    for number, blocks in enumerate(pages, start=1):
        text = lead if number == 1 else f"{lead} ({number}/{len(pages)})"
        messages.append({"text": text, "blocks": blocks})
    return messages


def _pack(groups: list[list[Block]]) -> list[list[Block]]:
    """Groups of blocks into pages of at most MAX_BLOCKS; a group stays on one page."""
    pages: list[list[Block]] = [[]]
    for group in groups:
        if pages[-1] and len(pages[-1]) + len(group) > MAX_BLOCKS:
            pages.append([])
        pages[-1].extend(group)
    return pages


def _section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text, "verbatim": True}}


def _context(*texts: str) -> Block:
    elements = [{"type": "mrkdwn", "text": t, "verbatim": True} for t in texts if t]
    return {"type": "context", "elements": elements}


def _lead(reply: Reply) -> Block:
    rich = reply.kind in {"stories", "quotes", "digest"}
    plain = not any(c in reply.text for c in "&<>@")  # header text is shown as it is: keep it inert
    if rich and plain and len(reply.text) <= MAX_HEADER and reply.text.strip():
        return {"type": "header", "text": {"type": "plain_text", "text": reply.text}}
    text = fit(reply.text.strip() or "…", MAX_SECTION - 4)
    return _section(f"*{text}*" if rich else text)


def _when(published: datetime | None) -> str:
    return published.strftime("%Y-%m-%d %H:%M UTC") if published else ""


def _story_blocks(story: StoryItem) -> list[Block]:
    title = link(story.url, fit(story.title, MAX_TITLE))
    text = f"*{title}*"
    if story.summary:
        text += "\n" + fit(story.summary, MAX_SUMMARY)
    if story.note:
        text += f"\n_({fit(story.note, 200)})_"
    section = _section(text)
    picture = image_element(story.image, story.title)
    if picture is not None:
        section["accessory"] = picture
    blocks = [section]
    meta = [fit(story.source, 200) if story.source else "", _when(story.published)]
    if story.other_sources:
        meta.append("also " + fit(", ".join(story.other_sources), 500))
    if any(meta):
        blocks.append(_context(" · ".join(m for m in meta if m)))
    if story.quote:
        blocks.append(_section(_said(story.quote)))
    return blocks


def image_element(url: str | None, alt: str) -> Block | None:
    """A Block Kit image element for an http(s) image URL (Slack fetches it), else None."""
    if not url or len(url) > MAX_IMAGE_URL or any(c.isspace() for c in url):
        return None
    if urlsplit(url).scheme.lower() not in {"http", "https"}:
        return None
    alt_text = " ".join(strip_invisible(alt).split())[:MAX_ALT_TEXT] or "picture"
    return {"type": "image", "image_url": url, "alt_text": alt_text}


def _heading(part: StorySection) -> Block:
    heading = " ".join(strip_invisible(part.heading).split())
    if heading and len(heading) <= MAX_HEADER and not any(c in heading for c in "&<>@"):
        return {"type": "header", "text": {"type": "plain_text", "text": heading}}
    return _section(f"*{fit(heading or '…', MAX_HEADER)}*")


def _compact_block(story: StoryItem) -> Block:
    """A story in one block: headline link, source and time, the summary's first sentence."""
    title = link(story.url, fit(story.title, MAX_TITLE))
    meta = " · ".join(m for m in (fit(story.source or "", 200), _when(story.published)) if m)
    text = f"*{title}*" + (f" — {meta}" if meta else "")
    if story.summary:
        text += "\n" + fit(first_sentence(story.summary), COMPACT_SUMMARY)
    if story.note:
        text += f"\n_({fit(story.note, 200)})_"
    return _section(text)


def _said(quote: Citation) -> str:
    """A quote as a mrkdwn block quote followed by its speaker."""
    words = fit(quote.text, MAX_QUOTE)
    if quote.passage:  # the article's own words: no quote marks, no one's name
        quoted = "\n".join(f">{line}" for line in words.splitlines() or [""])
        return f"{quoted}\n— _from the article_"
    quoted = "\n".join(f">{line}" for line in f"“{words}”".splitlines() or [""])
    return f"{quoted}\n— {_speaker(quote)}"


def _speaker(quote: Citation) -> str:
    who = f"*{fit(quote.speaker, 200)}*" if quote.speaker else "_unattributed_"
    if quote.speaker_title:
        who += f", {fit(quote.speaker_title, 200)}"
    return who


def _quote_blocks(quote: Citation) -> list[Block]:
    blocks = [_section(_said(quote))]
    if quote.context:
        blocks.append(_context(f"_In the article:_ {fit(quote.context, MAX_CONTEXT - 20)}"))
    title = fit(quote.article.title or quote.article.url or "", MAX_TITLE)
    where = [
        link(quote.article.url, title or "article") if (title or quote.article.url) else "",
        fit(source_of(quote.article.site, quote.article.url), 200),
        _when(quote.article.date),
    ]
    if any(where):
        blocks.append(_context(" · ".join(w for w in where if w)))
    return blocks


def _line_blocks(lines: tuple[str, ...]) -> list[Block]:
    """Lines as bullets, several to a section, each section under the text limit."""
    blocks: list[Block] = []
    chunk = ""
    for raw in lines:
        bullet = "• " + fit(raw, MAX_SECTION - 2)
        if chunk and len(chunk) + 1 + len(bullet) > MAX_SECTION:
            blocks.append(_section(chunk))
            chunk = ""
        chunk = f"{chunk}\n{bullet}" if chunk else bullet
    if chunk:
        blocks.append(_section(chunk))
    return blocks
