"""JSON Feed 1.0 and 1.1 (jsonfeed.org), read by hand into ParsedFeed."""

from __future__ import annotations

import html
import json
from datetime import datetime
from typing import Any

import lxml.html  # type: ignore[import-untyped, unused-ignore]
from lxml_html_clean import Cleaner

from summaries.ingest import jsondata
from summaries.ingest.dates import rfc822_datetime
from summaries.ingest.feeds.entries import (
    LXML_ERRORS,
    absolute,
    entry_id,
    html_fragment,
    html_to_text,
    paragraph_html,
    plain,
)
from summaries.ingest.feeds.xmlfeed import MAX_FEED_TAGS
from summaries.times import utc_or_none
from summaries.types import FeedEntry, FeedError, ParsedFeed

_JSONFEED_VERSION = "https://jsonfeed.org/version/"
_TEXT_KEYS = ("title", "summary", "content_html", "content_text")

_cleaner = Cleaner(
    scripts=True,
    javascript=True,
    comments=True,
    style=True,
    inline_style=True,
    embedded=True,
    forms=True,
    frames=True,
    meta=True,
    page_structure=True,
    processing_instructions=True,
    remove_unknown_tags=False,
    safe_attrs_only=True,
)


def parse_json_feed(raw: bytes, base_url: str | None) -> ParsedFeed:
    """Read a JSON Feed document; `base_url` (absolute or None) resolves relative links."""
    try:
        doc = jsondata.loads(raw)
    except UnicodeDecodeError as exc:
        raise FeedError(f"malformed JSON: not UTF-8 ({exc.reason})") from None
    except json.JSONDecodeError as exc:
        raise FeedError(f"malformed JSON at line {exc.lineno}: {exc.msg}") from None
    except ValueError as exc:
        raise FeedError(f"malformed JSON: {exc}") from None
    if not isinstance(doc, dict):
        raise FeedError("not a feed: JSON document is not an object")
    version = doc.get("version")
    if not isinstance(version, str) or not version.startswith(_JSONFEED_VERSION):
        raise FeedError("not a feed: JSON without a jsonfeed.org version")
    items = doc.get("items")
    if not isinstance(items, list):
        raise FeedError("JSON Feed has no items list")

    site = absolute(_str(doc.get("home_page_url")), base_url)
    feed_url = absolute(_str(doc.get("feed_url")), base_url)
    base = site or base_url or feed_url
    feed_author = _json_author(doc)
    objects = [item for item in items if isinstance(item, dict)]
    skipped = len(items) - len(objects)
    readable = _within_tag_budget(objects)
    entries = tuple(_json_entry(item, base, feed_author) for item in readable)
    warnings = []
    if skipped:
        warnings.append(f"{skipped} items are not JSON objects; skipped")
    if len(readable) < len(objects):
        warnings.append(
            f"feed too large: read its first {len(readable)} of {len(objects)} items "
            f"(a feed is read up to {MAX_FEED_TAGS:,} tags and items)"
        )
    return ParsedFeed(
        title=plain(_str(doc.get("title"))),
        link=site,
        entries=entries,
        warning="; ".join(warnings) or None,
    )


def _within_tag_budget(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The first `items` whose text fields hold at most MAX_FEED_TAGS tags (raw or escaped)
    between them, each item counting one more: the bound XML feeds have, for the same reason
    (each tag costs the HTML cleaner some tens of µs; so does each item). Refuses a feed whose
    first item alone is past it."""
    left = MAX_FEED_TAGS
    for n, item in enumerate(items):
        cost = 1
        for key in _TEXT_KEYS:
            if isinstance(value := item.get(key), str):
                cost += value.count("<") + value.count("&lt;")
        left -= cost
        if left < 0:
            if n == 0:
                raise FeedError(
                    f"feed too large: its first item alone holds more than {MAX_FEED_TAGS:,} tags"
                )
            return items[:n]
    return items


def _json_entry(item: dict[str, Any], base: str | None, feed_author: str | None) -> FeedEntry:
    title = plain(_str(item.get("title")))
    raw_link = _str(item.get("url")) or _str(item.get("external_url"))
    published = _iso_datetime(_str(item.get("date_published"))) or _iso_datetime(
        _str(item.get("date_modified"))
    )
    content_html = _clean_html(_str(item.get("content_html")), base)
    summary = plain(_str(item.get("summary")))
    if summary is None and content_html is None:
        summary = plain(_str(item.get("content_text")))
    if content_html is None and _str(item.get("content_text")):
        content_html = paragraph_html(_str(item.get("content_text")) or "")
    raw_id = item.get("id")
    return FeedEntry(
        id=entry_id(
            str(raw_id) if isinstance(raw_id, str | int) and str(raw_id) else None,
            raw_link,
            title,
            published,
            summary,
        ),
        link=absolute(raw_link, base),
        title=title,
        author=_json_author(item) or feed_author,
        published=published,
        summary=summary,
        content_html=content_html,
    )


def _json_author(obj: dict[str, Any]) -> str | None:
    """The names of JSON Feed 1.1 `authors`, else of the 1.0 `author`."""
    people = obj.get("authors")
    if not isinstance(people, list):
        people = [obj.get("author")]
    names = [plain(_str(p.get("name"))) for p in people if isinstance(p, dict)]
    joined = ", ".join(n for n in names if n)
    return joined or None


def _iso_datetime(value: str | None) -> datetime | None:
    """An RFC 3339 date as aware UTC; a date without a zone is taken as UTC."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return rfc822_datetime(value)  # feeds in the wild put RFC 822 dates here too
    return utc_or_none(parsed)


def _clean_html(fragment: str | None, base: str | None) -> str | None:
    """Sanitised HTML with links made absolute, as feedparser does for XML feeds."""
    if not fragment or not fragment.strip():
        return None
    try:
        root = html_fragment(fragment)
        if base:
            root.make_links_absolute(base, resolve_base_href=False)
        cleaned = _cleaner.clean_html(root)
    except LXML_ERRORS:
        return html.escape(html_to_text(fragment))
    parts = [html.escape(cleaned.text or "", quote=False)]
    parts += [lxml.html.tostring(child, encoding="unicode") for child in cleaned]
    return "".join(parts).strip() or None


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None
