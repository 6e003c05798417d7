"""JSON Feed 1.0 and 1.1 through feeds.parse, on small feeds written for these tests."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from summaries.ingest import feeds
from summaries.types import FeedError
from tests.summaries.ingest.feeds.samples import JSON_FEED


def test_parse_reads_json_feed_11() -> None:
    feed = feeds.parse(json.dumps(JSON_FEED).encode())

    assert feed.title == "Micro & Blog"
    assert feed.link == "https://micro.example.com/"
    first, second = feed.entries
    assert first.id == "2"
    assert first.link == "https://micro.example.com/2024/05/hello"
    assert first.title == "Hello world"
    assert first.summary == "A greeting"
    assert first.author == "Ann Poster, Bo Helper"
    assert first.published == datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
    assert first.content_html is not None
    assert 'href="https://micro.example.com/about"' in first.content_html
    assert "script" not in first.content_html
    assert second.title is None
    assert second.summary == "Just text, no title."
    assert second.author == "Feed Owner"
    assert second.published is None


def test_parse_reads_json_feed_10_single_author_and_rfc822_date() -> None:
    doc = {
        "version": "https://jsonfeed.org/version/1",
        "title": "Old style",
        "items": [
            {
                "id": "x",
                "content_html": "<p>Body</p>",
                "author": {"name": "Solo"},
                "date_published": "Fri, 31 May 2019 12:17:58 -0700",
            }
        ],
    }

    (entry,) = feeds.parse(json.dumps(doc)).entries

    assert entry.author == "Solo"
    assert entry.published == datetime(2019, 5, 31, 19, 17, 58, tzinfo=UTC)
    assert entry.summary is None
    assert entry.content_html == "<p>Body</p>"


def test_parse_refuses_json_feed_without_items() -> None:
    doc = json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "x"})

    with pytest.raises(FeedError, match="JSON Feed has no items list"):
        feeds.parse(doc)


def test_parse_refuses_json_that_is_not_a_json_feed() -> None:
    with pytest.raises(FeedError, match="not a feed"):
        feeds.parse(b'{"items": []}')
