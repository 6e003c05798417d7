"""Entry fields as both feed formats give them: plain text, stable ids, no blow-ups."""

from __future__ import annotations

import contextlib
import time
from dataclasses import replace
from datetime import UTC, datetime

from summaries.ingest import feeds
from summaries.types import FeedEntry, FeedError, ParsedFeed


def test_parse_strips_script_injection_from_plain_text_fields() -> None:
    doc = b"""<rss version="2.0"><channel>
    <title>&lt;script&gt;alert('feed')&lt;/script&gt;Safe feed</title>
    <item>
      <title>&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;Headline</title>
      <description>&lt;img src=x onerror="alert(2)"&gt;Body &lt;script&gt;steal()&lt;/script&gt;
      text</description>
      <author>&lt;b onmouseover="x()"&gt;Eve&lt;/b&gt;</author>
    </item></channel></rss>"""

    feed = feeds.parse(doc)

    entry = feed.entries[0]
    for text in (feed.title, entry.title, entry.summary, entry.author):
        assert text is not None
        assert "<" not in text and ">" not in text
        assert "script" not in text.lower()
    assert feed.title == "Safe feed"
    assert entry.summary == "Body text"
    assert entry.author == "Eve"


def test_parse_strips_bidi_controls_and_invisible_characters_from_display_fields() -> None:
    doc = (
        "<rss version='2.0'><channel><title>Daily\u202e sweN</title><item>"
        "<title>Pay the invoice\u202e fdp.exe\u202c now\u200b!</title>"
        "<author>Eve\u2066 \u2069Reed\ufeff</author><description>Body\u200e text</description>"
        "</item></channel></rss>"
    ).encode()

    feed = feeds.parse(doc)

    (entry,) = feed.entries
    assert feed.title == "Daily sweN"
    assert entry.title == "Pay the invoice fdp.exe now!"
    assert entry.author == "Eve Reed"
    assert entry.summary == "Body text"


def test_parse_gives_entries_without_id_or_link_a_stable_hash_id() -> None:
    doc = b"""<rss version="2.0"><channel><title>T</title>
    <item><title>No id</title><pubDate>Wed, 06 Mar 2024 08:00:00 GMT</pubDate></item>
    <item><title>Other</title></item></channel></rss>"""

    first = feeds.parse(doc).entries
    again = feeds.parse(doc).entries

    assert first[0].id == again[0].id
    assert first[0].id != first[1].id
    assert first[0].id.startswith("sha256:")


def test_parse_is_not_quadratic_on_pathological_input() -> None:
    hostile = [
        b"<rss version='2.0'><channel><title>" + b"<" * 300_000,
        b"<rss version='2.0'><channel><item><title>" + b"&lt;" * 200_000 + b"</title></item>",
        b"<rss><channel><item><title>" + b"<b>" * 50_000 + b"</title></item></channel></rss>",
    ]
    for doc in hostile:
        # CPU time, not wall time: other work on the machine must not fail this test.
        start = time.process_time()
        with contextlib.suppress(FeedError):
            feeds.parse(doc)
        assert time.process_time() - start < 10


def test_newest_keeps_the_most_recent_entries_in_feed_order_undated_ones_last() -> None:
    def entry(name: str, day: int | None) -> FeedEntry:
        when = datetime(2026, 11, day, tzinfo=UTC) if day else None
        return FeedEntry(id=name, link=None, title=name, author=None, published=when, summary=None)

    items = (entry("a", 3), entry("b", None), entry("c", 9), entry("d", 1), entry("e", 5))
    feed = ParsedFeed(title="T", link=None, entries=items, warning="sloppy")
    two = feeds.newest(feed, 2)
    assert [e.id for e in two.entries] == ["c", "e"]
    assert two.warning == "sloppy; read the newest 2 of 5 entries; the 3 older ones are not read"
    four = feeds.newest(replace(feed, warning=None), 4)
    assert [e.id for e in four.entries] == ["a", "c", "d", "e"]  # undated last
    assert four.warning == "read the newest 4 of 5 entries; the 1 older ones are not read"
    assert feeds.newest(feed, 5) is feed
