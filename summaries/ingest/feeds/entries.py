"""What both feed formats do to an entry's fields: plain text, absolute links, stable ids."""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import replace
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.html  # type: ignore[import-untyped, unused-ignore]
from lxml import etree  # type: ignore[import-untyped, unused-ignore]

from summaries.ingest.markup import tame_tags
from summaries.times import believable
from summaries.types import FeedEntry, ParsedFeed
from summaries.understand.text import strip_invisible

# Tag-like text left in a "plain" field; `[^<>]` keeps the scan linear on a run of unclosed "<".
# Possessive: "<" and a long run of spaces was tried once per way of sharing the run out.
_TAG_RE = re.compile(r"<\s*+/?\s*+[A-Za-z!?][^<>]*+>")
_ENTITY_RE = re.compile(r"&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACE_RE = re.compile(r"\s+")
_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "embed", "head")
_BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
        "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
        "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul",
    }
)  # fmt: skip
_SAFE_SCHEMES = ("http", "https")
# lxml.html's fragment parser asserts on some inputs (a whole page with a doctype) and refuses
# strings with characters XML cannot hold.
LXML_ERRORS = (etree.LxmlError, ValueError, AssertionError)


def plain(value: str | None) -> str | None:
    """Plain text of a field that may hold HTML: no tags, scripts or entities; spaces collapsed."""
    if not value:
        return None
    text = value
    # Twice, for feeds that escape their markup twice; then drop whatever still looks like a tag.
    for _ in range(2):
        if not (_TAG_RE.search(text) or _ENTITY_RE.search(text)):
            break
        text = html_to_text(text)
    text = _TAG_RE.sub(" ", text)
    text = _SPACE_RE.sub(" ", strip_invisible(text)).strip()
    return text or None


def html_to_text(fragment: str) -> str:
    """The text of an HTML fragment, without script or style contents."""
    try:
        root = html_fragment(fragment)
    except LXML_ERRORS:
        return html.unescape(_TAG_RE.sub(" ", _CONTROL_RE.sub("", fragment)))
    pieces: list[str] = []
    # An explicit stack rather than recursion: feeds can nest tags deeper than Python's limit.
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        element, closing = stack.pop()
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if not closing and tag and tag not in _DROP_TAGS:
            pieces.append(" " if tag in _BLOCK_TAGS else "")
            pieces.append(element.text or "")
            stack.append((element, True))
            stack.extend((child, False) for child in reversed(element))
            continue
        # Closing an element, or skipping a dropped one, a comment or a processing instruction.
        if closing and tag in _BLOCK_TAGS:
            pieces.append(" ")
        if element is not root:
            pieces.append(element.tail or "")
    return "".join(pieces)


def html_fragment(fragment: str) -> Any:
    """An HTML fragment parsed into a <div>, control characters dropped; raises LXML_ERRORS."""
    return lxml.html.fragment_fromstring(
        tame_tags(_CONTROL_RE.sub("", fragment)), create_parent="div"
    )


def paragraph_html(text: str) -> str:
    """Plain text as one HTML paragraph, escaped."""
    return "<p>" + html.escape(text) + "</p>"


MAX_ENTRY_ID = 1000  # characters


def entry_id(
    raw_id: str | None,
    raw_link: str | None,
    title: str | None,
    published: datetime | None,
    summary: str | None,
) -> str:
    """The entry's own id, else its link, else a hash of its title and date (or summary). An
    id or link longer than MAX_ENTRY_ID is replaced by its hash: it is a key in a unique index,
    which PostgreSQL refuses past ~2,700 bytes (the entry then failed to save)."""
    for candidate in (raw_id, raw_link):
        if candidate and candidate.strip():
            if len(candidate.strip()) > MAX_ENTRY_ID:
                whole = candidate.strip().encode("utf-8", "replace")
                return "sha256:" + hashlib.sha256(whole).hexdigest()[:32]
            return candidate.strip()
    basis = f"{title or ''}\n{published.isoformat() if published else ''}"
    if not title and not published:
        basis += f"\n{summary or ''}"
    return "sha256:" + hashlib.sha256(basis.encode("utf-8")).hexdigest()[:32]


def absolute(link: str | None, base: str | None) -> str | None:
    """`link` made absolute against `base`; None unless it ends up an http(s) URL."""
    if not link or not link.strip():
        return None
    link = link.strip()
    if not is_absolute(link) and base:
        try:
            link = urljoin(base, link)
        except ValueError:  # e.g. "http://[bad" is an invalid IPv6 host
            return None
    return link if is_absolute(link) else None


def is_absolute(link: str) -> bool:
    """Whether link is an absolute http(s) URL with a host."""
    try:
        parts = urlsplit(link)
    except ValueError:
        return False
    return parts.scheme.lower() in _SAFE_SCHEMES and bool(parts.netloc)


def newest(feed: ParsedFeed, limit: int) -> ParsedFeed:
    """`feed` with its `limit` newest entries only (by date; undated ones after them), in feed
    order; its warning then says how many older ones are left unread."""
    entries = feed.entries
    if len(entries) <= limit:
        return feed
    order = sorted(
        range(len(entries)),
        key=lambda i: (believable(entries[i].published) is None, -_timestamp(entries[i]), i),
    )
    keep = set(order[:limit])
    left = f"read the newest {limit} of {len(entries)} entries; "
    left += f"the {len(entries) - limit} older ones are not read"
    return replace(
        feed,
        entries=tuple(e for i, e in enumerate(entries) if i in keep),
        warning=f"{feed.warning}; {left}" if feed.warning else left,
    )


def _timestamp(entry: FeedEntry) -> float:
    published = believable(entry.published)
    return published.timestamp() if published else 0.0
