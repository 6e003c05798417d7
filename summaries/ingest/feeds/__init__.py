"""Feed parsing: RSS 0.9x/1.0/2.0 and Atom through feedparser, JSON Feed 1.0/1.1 by hand; and
finding the feeds a web page advertises."""

from __future__ import annotations

from dataclasses import replace

from summaries.ingest.feeds.discovery import discover
from summaries.ingest.feeds.entries import is_absolute, newest
from summaries.ingest.feeds.jsonfeed import parse_json_feed
from summaries.ingest.feeds.sniff import classify, looks_like_feed
from summaries.ingest.feeds.xmlfeed import parse_xml_feed
from summaries.types import FeedEntry, FeedError, ParsedFeed
from summaries.understand.text import shorten, whole_unicode

__all__ = ["discover", "looks_like_feed", "newest", "parse"]


def parse(data: bytes | str, *, url: str | None = None, charset: str | None = None) -> ParsedFeed:
    """Parse a feed document; `url` is where it came from, the base for relative links, and
    `charset` the one its HTTP Content-Type header named, which outranks its XML declaration.

    Raises FeedError naming the problem when the document is not a usable feed. A sloppy
    feed that is still readable is returned with `warning` set.
    """
    if isinstance(data, str):
        raw = data.encode("utf-8")
        # A str is already decoded: tell feedparser so it ignores any encoding declaration.
        charset = "utf-8"
    else:
        raw = bytes(data)
    base_url = url if url and is_absolute(url) else None

    kind, detail = classify(raw)
    if kind == "empty":
        raise FeedError("empty document")
    if kind == "binary":
        raise FeedError("not a feed: binary data")
    if kind == "html":
        raise FeedError("not a feed: looks like an HTML page")
    if kind in ("json-feed", "json"):
        return _whole(parse_json_feed(raw, base_url))
    if kind == "text":
        raise FeedError("not a feed: plain text without markup")
    if kind == "other-xml":
        raise FeedError(f"not a feed: root element <{detail}> is not RSS, RDF or Atom")
    return _whole(parse_xml_feed(raw, base_url, charset))


def _whole(feed: ParsedFeed) -> ParsedFeed:
    """`feed` with no lone surrogate in any text (JSON's `\\ud800` escapes them): what comes out
    of a feed is stored and sent, which such text can't be; and its titles and authors at
    most MAX_LABEL characters."""

    def fix(value: str | None) -> str | None:
        return whole_unicode(value) if value is not None else None

    def label(value: str | None) -> str | None:
        return shorten(whole_unicode(value)) if value is not None else None

    def entry(e: FeedEntry) -> FeedEntry:
        return replace(
            e,
            id=whole_unicode(e.id),
            link=fix(e.link),
            title=label(e.title),
            author=label(e.author),
            summary=fix(e.summary),
            content_html=fix(e.content_html),
        )

    return replace(
        feed,
        title=label(feed.title),
        link=fix(feed.link),
        warning=fix(feed.warning),
        entries=tuple(entry(e) for e in feed.entries),
    )
