"""Finding the feeds a page advertises with <link rel="alternate">."""

from __future__ import annotations

import time

from summaries.ingest import feeds
from tests import hostile

PAGE = """<!DOCTYPE html><html><head>
<link rel="stylesheet" href="/site.css">
<link rel="alternate" type="application/json" href="/feed.json">
<link rel="alternate" type="application/rss+xml; charset=utf-8" href=" /rss.xml ">
<LINK REL="Alternate" TYPE="application/atom+xml" HREF="https://other.example/atom">
<link rel="alternate" type="text/html" href="/fr/">
<link rel="alternate" type="application/rss+xml" href="ftp://files.example/rss">
<link rel="alternate" type="application/rss+xml" href="/rss.xml">
<link rel="alternate" type="application/rss+xml">
</head><body><p>Hello</p></body></html>"""


def test_discover_finds_feed_links_absolute_with_rss_and_atom_first() -> None:
    found = feeds.discover(PAGE, base_url="https://news.example/section/")

    assert found == [
        "https://news.example/rss.xml",
        "https://other.example/atom",
        "https://news.example/feed.json",
    ]


def test_discover_finds_nothing_without_a_usable_feed_link() -> None:
    assert feeds.discover("<html><body><a href='/rss.xml'>RSS</a></body></html>") == []
    assert feeds.discover("<link rel=alternate type=application/rss+xml href=<<<") == []


def test_a_page_of_two_megabytes_of_unclosed_tags_is_read_in_bounded_time() -> None:
    """Python's html.parser, which discovery used, is quadratic in a run of unclosed tags:
    58 s of CPU for 80 kB of "<a ", hours for the 2 MB discovery reads. The link before
    them is still found."""
    page = "<link rel='alternate' type='application/rss+xml' href='/feed.xml'>" + "<a " * 700_000

    started = time.process_time()
    with hostile.within(hostile.BUDGET, "feed discovery"):
        found = feeds.discover(page, base_url="https://x.example/")

    assert time.process_time() - started < 1.0  # 0.01 s
    assert found == ["https://x.example/feed.xml"]


def test_feed_links_in_comments_and_scripts_and_unreadable_ones_are_not_taken() -> None:
    link = "<link rel='alternate' type='application/rss+xml' href='{}'>"
    page = (
        f"<?xml version='1.0' encoding='utf-8'?><html><head><!-- {link.format('/old.xml')} -->"
        f'<script>var s = "{link.format("/script.xml")}";</script>'
        f"{link.format('http://[::1')}{link.format('/feed.xml')}</head></html>"
    )

    assert feeds.discover(page, base_url="https://x.example/") == ["https://x.example/feed.xml"]
