"""Telling feeds from pages: what parse refuses before reading, and looks_like_feed."""

from __future__ import annotations

import json
import random

import pytest

from summaries.ingest import feeds
from summaries.types import FeedError
from tests.summaries.ingest.feeds.samples import ATOM, JSON_FEED, RSS_10, RSS_20


def test_parse_refuses_html_page() -> None:
    page = b"""<!DOCTYPE html>
<html><head><title>Welcome</title></head><body><p>Hello</p></body></html>"""

    with pytest.raises(FeedError, match="not a feed: looks like an HTML page"):
        feeds.parse(page)


@pytest.mark.parametrize("doc", [b"", b"   \n\t ", "", b"\xef\xbb\xbf  ", b"<!-- nothing -->"])
def test_parse_refuses_empty_document(doc: bytes | str) -> None:
    with pytest.raises(FeedError, match="empty document"):
        feeds.parse(doc)


def test_parse_refuses_binary_garbage() -> None:
    garbage = random.Random(7).randbytes(20_000)

    with pytest.raises(FeedError, match="not a feed"):
        feeds.parse(garbage)


def test_parse_refuses_xml_that_is_not_a_feed() -> None:
    with pytest.raises(FeedError, match=r"root element <svg> is not RSS, RDF or Atom"):
        feeds.parse(b"<?xml version='1.0'?><svg><rect/></svg>")


def test_parse_refuses_plain_text() -> None:
    with pytest.raises(FeedError, match="not a feed"):
        feeds.parse(b"just some words, no markup at all")


def test_parse_does_not_treat_input_as_a_file_name() -> None:
    with pytest.raises(FeedError):
        feeds.parse(b"/etc/passwd")


def test_parse_reads_utf16_feed() -> None:
    doc = '<?xml version="1.0" encoding="utf-16"?><rss version="2.0"><channel><title>Wide</title>'
    doc += "<item><title>Ünïcode</title></item></channel></rss>"

    feed = feeds.parse(doc.encode("utf-16"))

    assert feed.title == "Wide"
    assert feed.entries[0].title == "Ünïcode"


@pytest.mark.parametrize(
    ("data", "content_type", "expected"),
    [
        (RSS_20, "", True),
        (RSS_10, "text/xml", True),
        (ATOM, "text/html", True),  # servers often mislabel feeds
        (json.dumps(JSON_FEED).encode(), "application/json", True),
        (b"<!DOCTYPE html><html><body>hi</body></html>", "application/rss+xml", False),
        (b"<html><head></head></html>", "", False),
        (b'{"not": "a feed"}', "application/json", False),
        (b"", "application/rss+xml", False),
        (b"\x00\x01\x02\x03binary", "", False),
        (b"<?xml version='1.0'?><!-- " + b"x" * 70_000, "application/atom+xml", True),
        (b"<?xml version='1.0'?><!-- " + b"x" * 70_000, "text/html", False),
    ],
)
def test_looks_like_feed_tells_feeds_from_pages(
    data: bytes, content_type: str, expected: bool
) -> None:
    assert feeds.looks_like_feed(data, content_type) is expected
